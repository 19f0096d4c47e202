/*
 * -v trace printing, in the style of curl -v: "> " commands sent, "< "
 * replies received (every line of a multi-line reply), "* " the library's
 * narration of connections and ftpc's own notes.
 */
#ifndef FTPC_CLI_TRACE_H
#define FTPC_CLI_TRACE_H

#include <stddef.h>

#include <ftpc/ftpc.h>

/* An ftp_trace_fn; @p userdata is unused. */
void trace_to_stderr(int kind, const char *text, size_t len, void *userdata);

/* Prints one "* " line of ftpc's own narration (only used under -v). */
void trace_note(const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 1, 2)))
#endif
    ;

/*
 * Prints one "* " line on the session's last data connection: how it was
 * set up (EPSV, PASV, EPRT, PORT), the server's address, the bytes moved,
 * and, when it was protected, the TLS version, cipher and whether the
 * handshake resumed the control connection's session ("resumed: yes").
 * Nothing when no data connection was opened.
 */
void trace_transfer(const ftp_session *s);

#endif
