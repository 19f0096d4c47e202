/*
 * Transfers the FTPS tests repeat, each checked end to end (the server's
 * file on disk, SHA-256 both ways) and each data connection counted in a
 * tls_tally (tls_session.h).
 */
#ifndef TLS_TRANSFERS_H
#define TLS_TRANSFERS_H

#include <ftpc/ftpc.h>

#include <stdint.h>

#include "real_server.h"
#include "tls_session.h"

/* LIST (ftp_dir) of the working directory, which must succeed and show a
 * line containing @p expect; counted in @p t as @p what. */
void tls_list_expecting(ftp_session *s, tls_tally *t, const char *what, const char *expect);

/* The session is in step (after an abort or a failed transfer): PWD answers
 * "/", and a protected LIST works and shows @p expect. */
void tls_assert_session_works(ftp_session *s, tls_tally *t, const char *what, const char *expect);

/* NLST of the working directory, which must name @p expect. */
void tls_nlst_expecting(ftp_session *s, tls_tally *t, const char *what, const char *expect);

/*
 * STOR @p name with @p size bytes of the pseudo-random stream @p seed, then
 * RETR it back: both must succeed, the server's file and the download must
 * have the stream's SHA-256, and both data connections are counted in
 * @p t ("STOR <name>", "RETR <name>").
 */
void tls_store_and_fetch(ftp_session *s, const real_server *srv, tls_tally *t,
                         const char *name, uint64_t seed, uint64_t size);

#endif
