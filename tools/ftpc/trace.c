/*
 * -v trace printing (see trace.h).
 *
 * Writes to stderr are unchecked ((void)): a trace that cannot be printed
 * is no reason to fail the command it describes.
 */
#include "trace.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

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
        (void)fputs(prefix, stderr);
        (void)fwrite(line, 1, (size_t)(line_end - line), stderr);
        (void)fputc('\n', stderr);
        if (nl == NULL)
            break;
        line = nl + 1;
    }
}

void trace_note(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    (void)fputs("* ", stderr);
    (void)vfprintf(stderr, fmt, ap);
    (void)fputc('\n', stderr);
    va_end(ap);
}

void trace_transfer(const ftp_session *s)
{
    const char *mode = ftp_last_transfer_mode(s);
    if (mode == NULL)
        return;
    const char *peer = ftp_last_transfer_peer(s);
    uint64_t bytes = ftp_last_transfer_bytes(s);
    const char *version = ftp_last_transfer_tls_version(s);
    if (peer == NULL)
        peer = "(unknown peer)";
    if (version == NULL) {
        trace_note("data connection: %s %s, %" PRIu64 " bytes, clear text (not encrypted)", mode,
                   peer, bytes);
        return;
    }
    const char *cipher = ftp_last_transfer_tls_cipher(s);
    trace_note("data connection: %s %s, %" PRIu64 " bytes, %s %s, resumed: %s", mode, peer,
               bytes, version, cipher != NULL ? cipher : "(unknown cipher)",
               ftp_last_transfer_tls_resumed(s) == 1 ? "yes" : "no");
}
