/*
 * The commands that work on the server only: ls, mkdir, rm, rmdir, mv, pwd
 * and quote.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "connection.h"
#include "paths.h"
#include "status.h"
#include "trace.h"

static int print_line(const char *line, size_t len, void *userdata)
{
    return output_line(userdata, line, len) != 0; /* nonzero stops the listing */
}

int command_ls(const command_context *ctx)
{
    ftp_session *s = NULL;
    int exit_code = connection_open(ctx->opts, ctx->url, &s);
    if (exit_code != CLI_EXIT_OK)
        return exit_code;

    output out;
    output_init(&out, stdout, "stdout", 1);
    /* No path: a bare LIST/NLST lists the login directory. */
    const char *path = ctx->url->path[0] != '\0' ? ctx->url->path : NULL;
    int status = ctx->opts->names_only ? ftp_nlst(s, path, print_line, &out)
                                       : ftp_dir(s, path, print_line, &out);
    if (ctx->opts->verbose)
        trace_transfer(s);
    exit_code = command_outcome(s, status, &out);
    connection_close(s);
    return exit_code;
}

/* One library call on the URL's path; @p ctx gives mv its NEWPATH. */
typedef int (*path_operation)(ftp_session *s, const char *path, const command_context *ctx);

/* Connects, applies @p op to the URL's path (trailing '/' removed, as
 * "mkdir dir/" means "mkdir dir"), reports the outcome. */
static int run_on_path(const command_context *ctx, const char *what, path_operation op)
{
    char *path = path_strip_trailing_slashes(ctx->url->path);
    if (path == NULL)
        return report_failure(CLI_EXIT_OTHER, "out of memory");
    if (path[0] == '\0') {
        free(path);
        return report_usage_error("the URL names no %s", what);
    }
    ftp_session *s = NULL;
    int exit_code = connection_open(ctx->opts, ctx->url, &s);
    if (exit_code == CLI_EXIT_OK) {
        exit_code = command_outcome(s, op(s, path, ctx), NULL);
        connection_close(s);
    }
    free(path);
    return exit_code;
}

static int make_directory(ftp_session *s, const char *path, const command_context *ctx)
{
    (void)ctx;
    return ftp_mkd(s, path, NULL);
}

static int delete_file(ftp_session *s, const char *path, const command_context *ctx)
{
    (void)ctx;
    return ftp_delete(s, path);
}

static int remove_directory(ftp_session *s, const char *path, const command_context *ctx)
{
    (void)ctx;
    return ftp_rmd(s, path);
}

static int rename_path(ftp_session *s, const char *path, const command_context *ctx)
{
    return ftp_rename(s, path, ctx->args[0]);
}

int command_mkdir(const command_context *ctx)
{
    return run_on_path(ctx, "directory", make_directory);
}

int command_rm(const command_context *ctx) { return run_on_path(ctx, "file", delete_file); }

int command_rmdir(const command_context *ctx)
{
    return run_on_path(ctx, "directory", remove_directory);
}

int command_mv(const command_context *ctx)
{
    if (ctx->args[0][0] == '\0')
        return report_usage_error("mv needs a non-empty NEWPATH");
    return run_on_path(ctx, "file or directory to rename", rename_path);
}

/* pwd and quote first change into the URL's path, when it names one. */
static int enter_url_directory(ftp_session *s, const ftpc_url *url)
{
    return url->path[0] != '\0' ? ftp_cwd(s, url->path) : FTP_OK;
}

int command_pwd(const command_context *ctx)
{
    ftp_session *s = NULL;
    int exit_code = connection_open(ctx->opts, ctx->url, &s);
    if (exit_code != CLI_EXIT_OK)
        return exit_code;

    output out;
    output_init(&out, stdout, "stdout", 1);
    const char *dir = NULL;
    int status = enter_url_directory(s, ctx->url);
    if (status == FTP_OK)
        status = ftp_pwd(s, &dir);
    if (status == FTP_OK)
        output_line(&out, dir, strlen(dir));
    exit_code = command_outcome(s, status, &out);
    connection_close(s);
    return exit_code;
}

int command_quote(const command_context *ctx)
{
    ftp_session *s = NULL;
    int exit_code = connection_open(ctx->opts, ctx->url, &s);
    if (exit_code != CLI_EXIT_OK)
        return exit_code;

    output out;
    output_init(&out, stdout, "stdout", 1);
    int status = enter_url_directory(s, ctx->url);
    /* Stop at the first refusal: later commands may depend on it (RNFR). */
    for (int i = 0; i < ctx->nargs && status == FTP_OK && out.error == 0; i++) {
        const char *reply = NULL;
        status = ftp_sendcmd(s, ctx->args[i], &reply);
        if (status == FTP_OK)
            output_line(&out, reply, strlen(reply));
    }
    exit_code = command_outcome(s, status, &out);
    connection_close(s);
    return exit_code;
}
