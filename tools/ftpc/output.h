/*
 * Writing what a command produces (listings, replies, downloaded bytes) to
 * stdout or to a local file, remembering the first failure.
 *
 * A write to stdout that fails with EPIPE means the reader went away
 * (ftpc cat URL | head): the command stops early but counts as a success,
 * and nothing is printed — the reader already has what it wanted.  SIGPIPE
 * is ignored in main(), so EPIPE arrives here as an error code.
 */
#ifndef FTPC_CLI_OUTPUT_H
#define FTPC_CLI_OUTPUT_H

#include <stddef.h>
#include <stdio.h>

typedef struct output {
    FILE *fp;
    const char *name; /* for messages: a file name, or "stdout" */
    int is_stdout;
    int error;        /* errno of the first failure, 0 if none */
} output;

void output_init(output *out, FILE *fp, const char *name, int is_stdout);

/* Writes @p len bytes; returns 0, or -1 after the first failure (and after it). */
int output_write(output *out, const void *data, size_t len);

/* Writes a line of @p len bytes plus '\n'; as output_write(). */
int output_line(output *out, const char *line, size_t len);

/* Flushes; returns 0 or -1 (out->error set). */
int output_flush(output *out);

/* True when the failure is a reader that went away (stdout, EPIPE). */
int output_reader_gone(const output *out);

/*
 * The exit status for a failed output: prints "ftpc: NAME: reason" and
 * returns CLI_EXIT_LOCAL, or returns CLI_EXIT_OK quietly for a reader gone.
 */
int output_failure_exit(const output *out);

#endif
