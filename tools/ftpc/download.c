/*
 * Downloads: get and cat.
 *
 * get writes into LOCAL.part and renames it to LOCAL only after the server
 * has confirmed the whole transfer, so LOCAL is never a truncated file.  When
 * a download fails, an empty LOCAL.part is deleted and one holding data is
 * kept: get --resume appends to it, starting the transfer at its size (REST).
 * A LOCAL that exists and is no regular file (/dev/null, a FIFO) is written
 * directly: renaming a .part over it would replace the device or pipe.
 *
 * Without a progress bar (stderr not a terminal: scripts, pipelines) a file
 * is written by the library itself with ftp_retr_fd(), which on a clear-text
 * data connection moves the bytes from socket to file without copying them
 * through this process.  The bar needs to see every block, so with it (and
 * for stdout, whose failures are reported differently) the blocks come
 * through a callback.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "commands.h"
#include "connection.h"
#include "paths.h"
#include "progress.h"
#include "status.h"
#include "trace.h"

#define DOWNLOAD_BLOCK_SIZE ((size_t)64 * 1024)
#define PART_SUFFIX ".part"

typedef struct download_sink {
    output *out;
    progress *bar;
} download_sink;

static int write_block(const void *data, size_t len, void *userdata)
{
    download_sink *sink = userdata;
    if (output_write(sink->out, data, len) != 0)
        return 1; /* stops the transfer: the library sends ABOR */
    progress_advance(sink->bar, len);
    return 0;
}

/*
 * The file's size, for the progress bar only.  A server that refuses SIZE
 * (not a file, not supported) just leaves the total unknown; anything that
 * breaks the session (421, a lost connection) is the download's failure.
 */
static int size_for_progress(ftp_session *s, const char *path, uint64_t *total)
{
    *total = PROGRESS_TOTAL_UNKNOWN;
    int status = ftp_voidcmd(s, "TYPE I"); /* many servers refuse SIZE in ASCII mode */
    if (status == FTP_OK)
        status = ftp_size(s, path, total);
    int refused = status == FTP_E_REPLY || status == FTP_E_PERM ||
                  (status == FTP_E_TEMP && ftp_last_reply_code(s) != 421);
    return refused ? FTP_OK : status;
}

static char *retr_command(const char *path)
{
    static const char verb[] = "RETR ";
    size_t path_len = strlen(path);
    char *cmd = malloc(sizeof verb + path_len);
    if (cmd != NULL) {
        memcpy(cmd, verb, sizeof verb - 1);
        memcpy(cmd + sizeof verb - 1, path, path_len + 1);
    }
    return cmd;
}

/* Connects and downloads the URL's file into @p out from byte @p offset. */
static int download(const command_context *ctx, output *out, uint64_t offset, int show_progress)
{
    const char *path = ctx->url->path;
    char *cmd = retr_command(path);
    if (cmd == NULL)
        return report_failure(CLI_EXIT_OTHER, "out of memory");
    ftp_session *s = NULL;
    int exit_code = connection_open(ctx->opts, ctx->url, &s);
    if (exit_code != CLI_EXIT_OK) {
        free(cmd);
        return exit_code;
    }

    uint64_t total = PROGRESS_TOTAL_UNKNOWN;
    int status = show_progress ? size_for_progress(s, path, &total) : FTP_OK;
    if (status == FTP_OK) {
        if (!show_progress && !out->is_stdout) {
            /* Whatever stdio holds must reach the file before the library
             * writes behind its back (nothing, as the file was just opened). */
            if (output_flush(out) == 0)
                status = ftp_retr_fd(s, cmd, offset, fileno(out->fp));
        } else {
            progress bar;
            download_sink sink = {out, &bar};
            progress_start(&bar, show_progress, path_basename(path), offset, total);
            status = ftp_retrbinary(s, cmd, DOWNLOAD_BLOCK_SIZE, offset, write_block, &sink);
            progress_finish(&bar);
        }
        if (ctx->opts->verbose)
            trace_transfer(s);
    }
    if (status == FTP_E_FILE) /* the library's message says which call failed how */
        exit_code = report_failure(CLI_EXIT_LOCAL, "%s: %s", out->name, ftp_last_error(s));
    else
        exit_code = command_outcome(s, status, out);
    connection_close(s);
    free(cmd);
    return exit_code;
}

/* The URL must name a file: "" and "dir/" do not. */
static int check_remote_file(const ftpc_url *url)
{
    if (path_is_directory_form(url->path))
        return report_usage_error("the URL names no file (its path is empty or ends in '/')");
    return CLI_EXIT_OK;
}

int command_cat(const command_context *ctx)
{
    int exit_code = check_remote_file(ctx->url);
    if (exit_code != CLI_EXIT_OK)
        return exit_code;
    output out;
    output_init(&out, stdout, "stdout", 1);
    return download(ctx, &out, 0, 0);
}

/* LOCAL as given, or inside it when it is a directory, or the remote name. */
static char *local_target(const command_context *ctx)
{
    const char *remote_name = path_basename(ctx->url->path);
    struct stat st;
    if (ctx->nargs == 0)
        return strdup(remote_name);
    if (stat(ctx->args[0], &st) == 0 && S_ISDIR(st.st_mode))
        return path_join(ctx->args[0], remote_name);
    return strdup(ctx->args[0]);
}

/* After a failure: drop an empty .part, keep one with data for --resume. */
static void settle_partial_file(const command_context *ctx, const char *part)
{
    struct stat st;
    if (stat(part, &st) != 0)
        return;
    if (st.st_size == 0)
        (void)remove(part); /* best effort: the failure is already reported */
    else if (ctx->opts->verbose)
        trace_note("the partial download stays in %s; get --resume continues it", part);
}

/* LOCAL is a device, FIFO or socket: write into it as it is. */
static int download_to_special(const command_context *ctx, const char *local)
{
    if (ctx->opts->resume)
        return report_usage_error("--resume needs a regular file; %s is not one", local);
    FILE *fp = fopen(local, "wb");
    if (fp == NULL)
        return report_failure(CLI_EXIT_LOCAL, "%s: %s", local, strerror(errno));
    output out;
    output_init(&out, fp, local, 0);
    int exit_code = download(ctx, &out, 0, progress_wanted());
    if (fclose(fp) != 0 && exit_code == CLI_EXIT_OK)
        exit_code = report_failure(CLI_EXIT_LOCAL, "%s: %s", local, strerror(errno));
    return exit_code;
}

static int download_to_file(const command_context *ctx, const char *local)
{
    struct stat existing;
    if (stat(local, &existing) == 0 && !S_ISREG(existing.st_mode))
        return download_to_special(ctx, local);

    size_t local_len = strlen(local);
    char *part = malloc(local_len + sizeof PART_SUFFIX);
    if (part == NULL)
        return report_failure(CLI_EXIT_OTHER, "out of memory");
    memcpy(part, local, local_len);
    memcpy(part + local_len, PART_SUFFIX, sizeof PART_SUFFIX);

    FILE *fp = fopen(part, ctx->opts->resume ? "ab" : "wb");
    struct stat st;
    if (fp == NULL || fstat(fileno(fp), &st) != 0) {
        int exit_code = report_failure(CLI_EXIT_LOCAL, "%s: %s", part, strerror(errno));
        if (fp != NULL)
            (void)fclose(fp); /* nothing was written to it */
        free(part);
        return exit_code;
    }
    uint64_t offset = ctx->opts->resume ? (uint64_t)st.st_size : 0;

    output out;
    output_init(&out, fp, part, 0);
    int exit_code = download(ctx, &out, offset, progress_wanted());
    /* command_outcome() flushed on success, so fclose() fails only on a late
     * write-back error (NFS, quota). */
    if (fclose(fp) != 0 && exit_code == CLI_EXIT_OK)
        exit_code = report_failure(CLI_EXIT_LOCAL, "%s: %s", part, strerror(errno));
    if (exit_code == CLI_EXIT_OK && rename(part, local) != 0)
        exit_code = report_failure(CLI_EXIT_LOCAL, "cannot rename %s to %s: %s", part, local,
                                   strerror(errno));
    if (exit_code != CLI_EXIT_OK)
        settle_partial_file(ctx, part);
    free(part);
    return exit_code;
}

int command_get(const command_context *ctx)
{
    int exit_code = check_remote_file(ctx->url);
    if (exit_code != CLI_EXIT_OK)
        return exit_code;
    const char *remote_name = path_basename(ctx->url->path);
    if (strcmp(remote_name, ".") == 0 || strcmp(remote_name, "..") == 0)
        return report_usage_error("'%s' cannot name a local file", remote_name);

    if (ctx->nargs > 0 && strcmp(ctx->args[0], "-") == 0) {
        if (ctx->opts->resume)
            return report_usage_error("--resume cannot continue a download to stdout");
        output out;
        output_init(&out, stdout, "stdout", 1);
        return download(ctx, &out, 0, progress_wanted());
    }
    char *local = local_target(ctx);
    if (local == NULL)
        return report_failure(CLI_EXIT_OTHER, "out of memory");
    exit_code = download_to_file(ctx, local);
    free(local);
    return exit_code;
}
