/*
 * -v trace printing (see trace.h).
 */
#include "trace.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <ftpc/ftpc.h>

static const char *prefix_for(int kind)
{
    switch (kind) {
    case FTP_TRACE_CMD:
        return "> ";
    case FTP_TRACE_REPLY:
        return "< ";
    default:
        return "* ";
    }
}

void trace_to_stderr(int kind, const char *text, size_t len, void *userdata)
{
    const char *prefix = prefix_for(kind);
    const char *end = text + len;
    (void)userdata;
    /* One prefixed line per '\n'-separated line; len is authoritative, so a
     * NUL inside the text is written as it is rather than ending it. */
    for (const char *line = text; line <= end;) {
        const char *nl = memchr(line, '\n', (size_t)(end - line));
        const char *line_end = nl != NULL ? nl : end;
        fputs(prefix, stderr);
        fwrite(line, 1, (size_t)(line_end - line), stderr);
        fputc('\n', stderr);
        if (nl == NULL)
            break;
        line = nl + 1;
    }
}

void trace_note(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("* ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}
