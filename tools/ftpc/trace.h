/*
 * -v: the library's trace events printed on stderr, one line each, in the
 * style of curl -v: "> " commands sent, "< " replies received (every line of
 * a multi-line reply), "* " the library's narration of connections.
 */
#ifndef FTPC_CLI_TRACE_H
#define FTPC_CLI_TRACE_H

#include <stddef.h>

/* An ftp_trace_fn; @p userdata is unused. */
void trace_to_stderr(int kind, const char *text, size_t len, void *userdata);

/* Prints one "* " line of ftpc's own narration (only used under -v). */
void trace_note(const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 1, 2)))
#endif
    ;

#endif
