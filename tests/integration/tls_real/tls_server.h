/*
 * FTPS servers for the tests in this directory: pyftpdlib's TLS handler and
 * vsftpd with ssl_enable=YES, started through the launchers in
 * tests/servers/ with certificates that tests/servers/make_test_pki.py
 * makes at test time (shared by every test under FTPC_TEST_TMP/pki).
 *
 * Servers are described by the real_server of tests/integration/real/, so
 * that its file and callback helpers apply unchanged.
 */
#ifndef TLS_SERVER_H
#define TLS_SERVER_H

#include <stddef.h>

#include "real_server.h"

/* How a server is set up beyond "explicit FTPS required for login and
 * data" (all zero: that default). */
typedef struct tls_server_options {
    int implicit;      /* TLS from the first byte (vsftpd only) */
    int data_optional; /* PROT C allowed (clear data connections) */
    int client_ca;     /* require a client certificate signed by the test CA */
    const char *min_version; /* "1.2"/"1.3": lowest version accepted (pyftpdlib only) */
    const char *max_version; /* "1.2"/"1.3": highest version accepted (pyftpdlib only) */
} tls_server_options;

/* Makes the test certificates if needed; returns 0, or -1 after saying why
 * on stderr.  Called by tls_server_start(). */
int tls_pki_ensure(void);

/* The path of certificate file @p name ("ca.pem", "client.key", ...). */
void tls_pki_file(const char *name, char *out, size_t cap);

/*
 * Starts an FTPS server of @p kind on @p host serving a new empty root named
 * after @p tag, with the test CA's "server" certificate (SAN localhost,
 * 127.0.0.1, ::1).  @p opt may be NULL.  Returns 0, or -1 after saying why
 * on stderr.  Stop it with real_server_stop().
 */
int tls_server_start(real_server *srv, real_kind kind, const char *host, const char *tag,
                     const tls_server_options *opt);

/* The server's protocol log (it logs every command it receives). */
void tls_server_log_path(const real_server *srv, char *out, size_t cap);

#endif
