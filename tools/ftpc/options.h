/*
 * The ftpc command line: options, the command word and its arguments.
 */
#ifndef FTPC_CLI_OPTIONS_H
#define FTPC_CLI_OPTIONS_H

#include <stdint.h>

typedef struct cli_options {
    int active;         /* --active: EPRT/PORT instead of EPSV/PASV */
    int64_t timeout_ms; /* --timeout; 0 keeps the library's defaults */
    int verbose;        /* -v: trace commands, replies and connections */
    int resume;         /* -C: get continues LOCAL.part */
    int names_only;     /* -1: ls lists names (NLST) */
    const char *command;
    char **args;        /* the arguments after the command word */
    int nargs;
} cli_options;

enum options_outcome {
    OPTIONS_RUN,        /* run opts->command */
    OPTIONS_DONE,       /* --help or --version was printed: exit 0 */
    OPTIONS_USAGE_ERROR /* the reason was printed: exit 2 */
};

/* Parses argv (options may come before or after the command word). */
enum options_outcome options_parse(int argc, char **argv, cli_options *opts);

#endif
