/*
 * Who trusts whom, against a real FTPS server:
 *  - without ftp_set_ca_file() ftpc trusts the system store, which does
 *    not know the test CA: ftp_connect() fails with FTP_E_TLS and the
 *    server's log shows AUTH TLS but never USER (no credentials leave);
 *  - a server that requires a client certificate from the test CA:
 *    without one the session fails with FTP_E_TLS; with
 *    ftp_set_client_cert() login and transfers work, and every data
 *    connection still resumes the control connection's session
 *    (TLS 1.2 and TLS 1.3).
 * Usage: test_tls_trust pyftpdlib|vsftpd 127.0.0.1|::1
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <ftpc/ftpc.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "real_callbacks.h"
#include "real_files.h"
#include "real_server.h"
#include "tls_server.h"
#include "tls_session.h"
#include "tls_transfers.h"

#define FILE_SIZE (256u * 1024u + 5u)

static real_kind server_kind;
static const char *server_host;

/* The system-store test has a server of its own, so that its log holds
 * only that test's session; the client-certificate tests share another. */
static real_server server;

static int stop_server(void **state)
{
    (void)state;
    real_server_stop(&server);
    return 0;
}

static int start_plain_tls_server(void **state)
{
    (void)state;
    return tls_server_start(&server, server_kind, server_host, "tls-trust", NULL);
}

/* One server for all the client-certificate tests. */
static int start_client_cert_server(void **state)
{
    (void)state;
    const tls_server_options client_ca = {.client_ca = 1};
    return tls_server_start(&server, server_kind, server_host, "tls-client-cert", &client_ca);
}

static void test_system_store_rejects_test_ca(void **state)
{
    (void)state;
    ftp_session *s = ftp_session_new();
    assert_non_null(s);
    REAL_OK(s, ftp_set_tls_mode(s, FTP_TLS_EXPLICIT));
    REAL_RC(s, FTP_E_TLS, ftp_connect(s, server.host, server.proc.port));
    printf("%s %s: without the test CA: %s\n", real_kind_name(server_kind), server_host,
           ftp_last_error(s));
    assert_null(ftp_tls_version(s));
    REAL_RC(s, FTP_E_STATE, ftp_login(s, server.user, server.password, NULL));
    ftp_session_free(s);

    tls_assert_no_user_sent(&server);
}

/*
 * A session without a client certificate must fail with FTP_E_TLS.  In TLS
 * 1.2 the server rejects the handshake itself.  In TLS 1.3 the client
 * finishes its side of the handshake first and the server's "certificate
 * required" alert follows: it reaches ftpc either while the login waits
 * for the reply to USER, or, when ftpc is slower than the server, before
 * USER goes out.  @p pause_ms > 0 waits between connect and login so that
 * the second case happens for certain.
 */
static void expect_rejected_without_cert(int version, int pause_ms)
{
    ftp_session *s = tls_session_new(FTP_TLS_EXPLICIT, version);
    int rc = ftp_connect(s, server.host, server.proc.port);
    const char *step = "ftp_connect";
    if (rc == FTP_OK && version == FTP_TLS_VERSION_1_3) {
        if (pause_ms > 0) {
            struct timespec pause = {0, (long)pause_ms * 1000000L};
            nanosleep(&pause, NULL);
        }
        step = "ftp_login";
        rc = ftp_login(s, server.user, server.password, NULL);
    }
    printf("%s %s %s without a client certificate (pause %d ms): %s -> %s: %s\n",
           real_kind_name(server_kind), server_host, tls_version_name(version), pause_ms, step,
           ftp_error_name(rc), ftp_last_error(s));
    if (rc != FTP_E_TLS)
        fail_msg("%s without a client certificate (pause %d ms): %s -> %s, expected FTP_E_TLS: "
                 "%s",
                 tls_version_name(version), pause_ms, step, ftp_error_name(rc),
                 ftp_last_error(s));
    ftp_session_free(s);
}

/* With the client certificate: login, transfers, every data connection
 * resumed. */
static void expect_accepted_with_cert(int version)
{
    char label[160], file[64], key[1100], cert[1100];
    snprintf(label, sizeof label, "%s %s client certificate %s", real_kind_name(server_kind),
             server_host, tls_version_name(version));
    snprintf(file, sizeof file, "client-cert-%x.bin", (unsigned)version);
    tls_pki_file("client.pem", cert, sizeof cert);
    tls_pki_file("client.key", key, sizeof key);
    tls_tally t;
    tls_tally_init(&t, label, version);

    ftp_session *s = tls_session_new(FTP_TLS_EXPLICIT, version);
    REAL_OK(s, ftp_set_client_cert(s, cert, key));
    tls_connect(s, &server, version);
    REAL_OK(s, ftp_login(s, server.user, server.password, NULL));
    tls_store_and_fetch(s, &server, &t, file, 81 + (uint64_t)version, FILE_SIZE);
    tls_list_expecting(s, &t, "LIST", file);
    tls_nlst_expecting(s, &t, "NLST", file);
    tls_tally_finish(&t);
    real_logout(s);
}

static void test_no_client_cert_tls12(void **state)
{
    (void)state;
    expect_rejected_without_cert(FTP_TLS_VERSION_1_2, 0);
}

static void test_no_client_cert_tls13(void **state)
{
    (void)state;
    expect_rejected_without_cert(FTP_TLS_VERSION_1_3, 0);
}

static void test_no_client_cert_tls13_alert_waiting(void **state)
{
    (void)state;
    expect_rejected_without_cert(FTP_TLS_VERSION_1_3, 300);
}

static void test_client_cert_tls12(void **state)
{
    (void)state;
    expect_accepted_with_cert(FTP_TLS_VERSION_1_2);
}

static void test_client_cert_tls13(void **state)
{
    (void)state;
    expect_accepted_with_cert(FTP_TLS_VERSION_1_3);
}

int main(int argc, char **argv)
{
    tls_skip_unless_built_with_tls("test_tls_trust");
    real_parse_args(argc, argv, &server_kind, &server_host);
    const struct CMUnitTest system_store_tests[] = {
        cmocka_unit_test(test_system_store_rejects_test_ca),
    };
    const struct CMUnitTest client_cert_tests[] = {
        cmocka_unit_test(test_no_client_cert_tls12),
        cmocka_unit_test(test_no_client_cert_tls13),
        cmocka_unit_test(test_no_client_cert_tls13_alert_waiting),
        cmocka_unit_test(test_client_cert_tls12),
        cmocka_unit_test(test_client_cert_tls13),
    };
    int failed = cmocka_run_group_tests(system_store_tests, start_plain_tls_server, stop_server);
    failed += cmocka_run_group_tests(client_cert_tests, start_client_cert_server, stop_server);
    return failed;
}
