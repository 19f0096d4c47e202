/*
 * The real servers the tests in this directory run against: pyftpdlib and
 * vsftpd, each on 127.0.0.1 or ::1, started through the launchers in
 * tests/servers/ with a fresh root directory under FTPC_TEST_TMP.
 *
 * Every test program takes the server and the address as its arguments
 * (meson.build runs it once per combination):
 *     test_real_xxx pyftpdlib|vsftpd 127.0.0.1|::1
 */
#ifndef REAL_SERVER_H
#define REAL_SERVER_H

#include <ftpc/ftpc.h>

#include <stddef.h>

#include "test_server.h"

typedef enum real_kind { REAL_PYFTPDLIB = 0, REAL_VSFTPD = 1 } real_kind;

typedef struct real_server {
    real_kind kind;
    const char *host;   /* "127.0.0.1" or "::1" */
    char root[1024];    /* the directory the server serves as "/" */
    char user[64];      /* the named account, which may write everywhere */
    char password[128];
    test_server proc;
} real_server;

/* Reads "<server> <host>" from the command line; prints usage and exits 2
 * on anything else. */
void real_parse_args(int argc, char **argv, real_kind *kind, const char **host);

/* "pyftpdlib" or "vsftpd". */
const char *real_kind_name(real_kind kind);

/* Starts a server of @p kind on @p host serving a new empty root named
 * after @p tag.  Returns 0, or -1 after saying why on stderr (a cmocka
 * group setup returning -1 fails every test of the group). */
int real_server_start(real_server *srv, real_kind kind, const char *host, const char *tag);

void real_server_stop(real_server *srv);

/* @p name inside the server's root, as the test sees it on disk. */
void real_path(const real_server *srv, const char *name, char *out, size_t cap);

/* A new session, connected and logged in as the named user; fails the
 * running cmocka test if that does not work.  Set FTPC_TEST_TRACE=1 in the
 * environment to trace every session to stderr. */
ftp_session *real_login(const real_server *srv);

/* A new session, connected but not logged in. */
ftp_session *real_connect(const real_server *srv);

/* A new session, tracing to stderr when FTPC_TEST_TRACE is set. */
ftp_session *real_session_new(void);

/* Reads the "user\npassword\n" file a launcher wrote into @p srv; 0 or -1
 * after saying why on stderr. */
int real_read_credentials(real_server *srv, const char *path);

/* After an abort the replies are drained: the last one read is the 226 or
 * 225 that ends ABOR's answer, or, when the server had already finished and
 * answered with a lone 225/226, the 200 of the NOOP that ftpc then sends to
 * find the end of the answer (ftp_abort()). */
void real_assert_abort_answered(ftp_session *s);

/* QUIT (which must succeed) and free. */
void real_logout(ftp_session *s);

/* Fails the running test with ftpc's error text unless @p rc is FTP_OK. */
#define REAL_OK(s, call)                                                                      \
    do {                                                                                      \
        int real_ok_rc_ = (call);                                                             \
        if (real_ok_rc_ != FTP_OK)                                                            \
            fail_msg("%s -> %s: %s (last reply: %s)", #call, ftp_error_name(real_ok_rc_),     \
                     ftp_last_error(s), ftp_last_reply(s));                                   \
    } while (0)

/* Fails the running test unless @p call returns @p expected. */
#define REAL_RC(s, expected, call)                                                            \
    do {                                                                                      \
        int real_rc_ = (call);                                                                \
        if (real_rc_ != (expected))                                                           \
            fail_msg("%s -> %s, expected %s: %s (last reply: %s)", #call,                     \
                     ftp_error_name(real_rc_), ftp_error_name(expected), ftp_last_error(s),   \
                     ftp_last_reply(s));                                                      \
    } while (0)

#endif
