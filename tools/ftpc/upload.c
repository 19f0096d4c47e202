/*
 * Uploads: put.  The local side is opened before anything is contacted, so a
 * missing or unreadable file fails fast with the local-error status.
 *
 * Without a progress bar the library reads the file itself (ftp_stor_fd):
 * on a clear-text data connection sendfile() sends it without copying it
 * through this process.  stdin, and any upload showing the bar, goes through
 * a callback.
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

#define UPLOAD_BLOCK_SIZE ((size_t)64 * 1024)

typedef struct upload_source {
    FILE *fp;
    int error; /* errno of a failed read, 0 if none */
    progress *bar;
} upload_source;

static int read_block(void *buf, size_t cap, size_t *out_len, void *userdata)
{
    upload_source *src = userdata;
    errno = 0;
    size_t n = fread(buf, 1, cap, src->fp);
    if (n == 0 && ferror(src->fp)) {
        src->error = errno != 0 ? errno : EIO;
        return 1; /* stops the upload */
    }
    *out_len = n;
    progress_advance(src->bar, n);
    return 0;
}

/* The remote path: the URL's, plus LOCAL's base name when it ends in '/'.
 * *out is NULL exactly when it fails (and has reported why). */
static int remote_target(const command_context *ctx, const char *local, char **out)
{
    const char *path = ctx->url->path;
    *out = NULL;
    if (!path_is_directory_form(path)) {
        *out = strdup(path);
    } else {
        if (strcmp(local, "-") == 0)
            return report_usage_error("uploading stdin needs a URL that names the file");
        *out = path_join(path, path_basename(local));
    }
    if (*out == NULL)
        return report_failure(CLI_EXIT_OTHER, "out of memory");
    if (strpbrk(*out, "\r\n") != NULL) { /* from LOCAL's name: it would split the command */
        free(*out);
        *out = NULL;
        return report_usage_error("LOCAL's name holds a CR or LF, which cannot go into an "
                                  "FTP command");
    }
    return CLI_EXIT_OK;
}

static void close_local(FILE *fp)
{
    if (fp != NULL && fp != stdin)
        (void)fclose(fp); /* opened for reading: nothing buffered to lose */
}

/* Opens LOCAL ('-': stdin) and finds its size, when it has one.  On failure
 * *fp is NULL. */
static int open_local(const char *local, FILE **fp, uint64_t *size)
{
    struct stat st;
    *size = PROGRESS_TOTAL_UNKNOWN;
    FILE *opened = strcmp(local, "-") == 0 ? stdin : fopen(local, "rb");
    *fp = NULL;
    /* Each failure returns here: nothing below runs with st unset. */
    if (opened == NULL || fstat(fileno(opened), &st) != 0) {
        int error = errno;
        close_local(opened);
        return report_failure(CLI_EXIT_LOCAL, "%s: %s", local, strerror(error));
    }
    if (S_ISDIR(st.st_mode)) {
        close_local(opened);
        return report_failure(CLI_EXIT_LOCAL, "%s: %s", local, strerror(EISDIR));
    }
    if (S_ISREG(st.st_mode))
        *size = (uint64_t)st.st_size;
    *fp = opened;
    return CLI_EXIT_OK;
}

static int upload(const command_context *ctx, const char *local, const char *remote,
                  FILE *fp, uint64_t size)
{
    static const char verb[] = "STOR ";
    size_t remote_len = strlen(remote);
    char *cmd = malloc(sizeof verb + remote_len);
    if (cmd == NULL)
        return report_failure(CLI_EXIT_OTHER, "out of memory");
    memcpy(cmd, verb, sizeof verb - 1);
    memcpy(cmd + sizeof verb - 1, remote, remote_len + 1);

    ftp_session *s = NULL;
    int exit_code = connection_open(ctx->opts, ctx->url, &s);
    if (exit_code == CLI_EXIT_OK) {
        progress bar;
        upload_source src = {fp, 0, &bar};
        int status;
        if (!progress_wanted() && fp != stdin) {
            status = ftp_stor_fd(s, cmd, 0, fileno(fp)); /* fp was only opened: no buffered input */
        } else {
            progress_start(&bar, progress_wanted(), path_basename(remote), 0, size);
            status = ftp_storbinary(s, cmd, UPLOAD_BLOCK_SIZE, 0, read_block, &src);
            progress_finish(&bar);
        }
        if (ctx->opts->verbose)
            trace_transfer(s);
        if (src.error != 0)
            exit_code = report_failure(CLI_EXIT_LOCAL, "%s: %s", local, strerror(src.error));
        else if (status == FTP_E_FILE)
            exit_code = report_failure(CLI_EXIT_LOCAL, "%s: %s", local, ftp_last_error(s));
        else
            exit_code = command_outcome(s, status, NULL);
        connection_close(s);
    }
    free(cmd);
    return exit_code;
}

int command_put(const command_context *ctx)
{
    const char *local = ctx->args[0];
    char *remote = NULL;
    int exit_code = remote_target(ctx, local, &remote);
    if (remote == NULL) /* remote_target() reported why */
        return exit_code;

    FILE *fp = NULL;
    uint64_t size = 0;
    exit_code = open_local(local, &fp, &size);
    if (exit_code == CLI_EXIT_OK) {
        exit_code = upload(ctx, local, remote, fp, size);
        close_local(fp);
    }
    free(remote);
    return exit_code;
}
