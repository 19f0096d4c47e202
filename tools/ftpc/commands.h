/*
 * The ftpc commands: a table of what each takes, and their implementations.
 *
 * main() checks everything the table describes (argument counts, which
 * options apply, the URL, arguments that become command text) before a
 * command runs, so a usage error never contacts the server.  A command then
 * prepares its local side first (opening the file to upload, creating the
 * .part file), so a local error does not contact the server either.
 */
#ifndef FTPC_CLI_COMMANDS_H
#define FTPC_CLI_COMMANDS_H

#include <ftpc/ftpc.h>

#include "options.h"
#include "output.h"
#include "url.h"

typedef struct command_context {
    const cli_options *opts;
    const ftpc_url *url;
    char **args; /* the arguments other than the URL, in order */
    int nargs;
} command_context;

typedef struct command_spec {
    const char *name;
    const char *synopsis;   /* "get URL [LOCAL]", for usage errors */
    int url_index;          /* the URL's position among the arguments */
    int min_args, max_args; /* arguments after the command word, URL included; -1: no limit */
    int args_are_commands;  /* the other arguments go into FTP commands (mv, quote) */
    int takes_names_only;   /* -1 applies */
    int takes_resume;       /* -C applies */
    int (*run)(const command_context *ctx); /* returns an exit status */
} command_spec;

/* The command called @p name, or NULL. */
const command_spec *command_find(const char *name);

/*
 * The exit status of a command that ended with library status @p status
 * and wrote to @p out (NULL if it wrote nothing): reports the failure, or
 * flushes @p out.  An output failure is reported as such, not as the
 * FTP_E_ABORTED it caused.
 */
int command_outcome(ftp_session *s, int status, output *out);

int command_ls(const command_context *ctx);
int command_mkdir(const command_context *ctx);
int command_rm(const command_context *ctx);
int command_rmdir(const command_context *ctx);
int command_mv(const command_context *ctx);
int command_pwd(const command_context *ctx);
int command_quote(const command_context *ctx);
int command_get(const command_context *ctx);
int command_cat(const command_context *ctx);
int command_put(const command_context *ctx);

#endif
