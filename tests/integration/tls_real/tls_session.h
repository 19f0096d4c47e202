/*
 * FTPS sessions against the servers of tls_server.h, and the checks every
 * test applies to each protected data connection: encrypted with the
 * expected TLS version, and resuming the control connection's session.
 */
#ifndef TLS_SESSION_H
#define TLS_SESSION_H

#include <ftpc/ftpc.h>

#include "real_server.h"

/*
 * Exits the program with status 77 (meson: SKIP) after saying why when ftpc
 * was built without TLS (-Dtls=disabled), which is the only reason an FTPS
 * test may skip.  Any other answer than FTP_OK / FTP_E_UNSUPPORTED exits 1.
 * Call first thing in main().
 */
void tls_skip_unless_built_with_tls(const char *program);

/* "1.2" -> FTP_TLS_VERSION_1_2, "1.3" -> FTP_TLS_VERSION_1_3; anything
 * else prints usage and exits 2. */
int tls_parse_version(const char *arg, const char *usage);

/* "TLSv1.2" / "TLSv1.3" (OpenSSL's names, which ftp_tls_version() uses);
 * NULL for FTP_TLS_VERSION_ANY. */
const char *tls_version_name(int version);

/*
 * A new, unconnected session for @p srv in TLS @p mode, trusting only the
 * test CA (ftp_set_ca_file), with minimum and maximum version both
 * @p version unless it is FTP_TLS_VERSION_ANY.  FTPC_TEST_TRACE=1 in the
 * environment traces it to stderr.
 */
ftp_session *tls_session_new(int mode, int version);

/* ftp_connect() to @p srv; fails the test unless it succeeds with an
 * encrypted control connection of @p version (any if FTP_TLS_VERSION_ANY). */
void tls_connect(ftp_session *s, const real_server *srv, int version);

/* tls_session_new(), tls_connect() and ftp_login() as the named user. */
ftp_session *tls_login(const real_server *srv, int mode, int version);

/* Counts the protected data connections of one test. */
typedef struct tls_tally {
    const char *label;        /* names the test in the printed lines */
    const char *want_version; /* "TLSv1.3", or NULL: any version */
    unsigned connections;
    unsigned resumed;
    char not_resumed[1024]; /* which ones did not resume, for the failure */
} tls_tally;

void tls_tally_init(tls_tally *t, const char *label, int version);

/*
 * Checks the data connection that the transfer @p what (just finished, or
 * stopped on purpose) used: it was encrypted, with the wanted version (and
 * the control connection's) and a cipher; and whether it resumed the control connection's session, which is printed
 * and counted.  A connection that did not resume fails the test in
 * tls_tally_finish(), so that the count covers the whole sequence.
 */
void tls_tally_data(tls_tally *t, const ftp_session *s, const char *what);

/* Prints "<label>: resumed N of M data connections" and fails the test
 * unless every connection resumed. */
void tls_tally_finish(const tls_tally *t);

/* Fails the test unless @p srv's log shows AUTH TLS and no USER: the
 * server never received credentials. */
void tls_assert_no_user_sent(const real_server *srv);

/* Fails the test unless the last data connection was clear text. */
void tls_assert_clear_data(const ftp_session *s, const char *what);

#endif
