/*
 * Protocol version limits on both sides, against pyftpdlib (the server whose
 * versions the launcher can pin; Debian's vsftpd 3.0.3 cannot):
 *  - server TLS 1.2 only: ftpc with default settings negotiates TLS 1.2 and
 *    its data connections resume; ftpc with minimum TLS 1.3 fails with
 *    FTP_E_TLS before USER is sent;
 *  - server TLS 1.3 only: ftpc with maximum TLS 1.2 fails the same way;
 *    default settings negotiate TLS 1.3.
 * Usage: test_tls_versions 127.0.0.1|::1
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <ftpc/ftpc.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "real_server.h"
#include "tls_server.h"
#include "tls_session.h"
#include "tls_transfers.h"

static const char *server_host;
static real_server server;

static int start_tls12_only(void **state)
{
    (void)state;
    const tls_server_options only_12 = {.max_version = "1.2"};
    return tls_server_start(&server, REAL_PYFTPDLIB, server_host, "tls-12-only", &only_12);
}

static int start_tls13_only(void **state)
{
    (void)state;
    const tls_server_options only_13 = {.min_version = "1.3"};
    return tls_server_start(&server, REAL_PYFTPDLIB, server_host, "tls-13-only", &only_13);
}

static int stop_server(void **state)
{
    (void)state;
    real_server_stop(&server);
    return 0;
}

/* A session limited to @p min .. @p max must not agree with the server. */
static void expect_no_common_version(int min, int max)
{
    ftp_session *s = tls_session_new(FTP_TLS_EXPLICIT, FTP_TLS_VERSION_ANY);
    if (min != FTP_TLS_VERSION_ANY)
        REAL_OK(s, ftp_set_tls_min_version(s, min));
    if (max != FTP_TLS_VERSION_ANY)
        REAL_OK(s, ftp_set_tls_max_version(s, max));
    REAL_RC(s, FTP_E_TLS, ftp_connect(s, server.host, server.proc.port));
    printf("pyftpdlib %s, no common TLS version: %s\n", server_host, ftp_last_error(s));
    assert_null(ftp_tls_version(s));
    ftp_session_free(s);
    tls_assert_no_user_sent(&server);
}

/* Default settings: the server's only version, data connections resumed. */
static void expect_default_negotiates(int version, const char *file)
{
    char label[128];
    snprintf(label, sizeof label, "pyftpdlib %s server %s only, client defaults", server_host,
             tls_version_name(version));
    tls_tally t;
    tls_tally_init(&t, label, version);
    ftp_session *s = tls_login(&server, FTP_TLS_EXPLICIT, FTP_TLS_VERSION_ANY);
    assert_string_equal(ftp_tls_version(s), tls_version_name(version));
    tls_store_and_fetch(s, &server, &t, file, 91, 100000);
    tls_list_expecting(s, &t, "LIST", file);
    tls_tally_finish(&t);
    real_logout(s);
}

static void test_client_min_13_vs_server_12(void **state)
{
    (void)state;
    expect_no_common_version(FTP_TLS_VERSION_1_3, FTP_TLS_VERSION_ANY);
}

static void test_defaults_vs_server_12(void **state)
{
    (void)state;
    expect_default_negotiates(FTP_TLS_VERSION_1_2, "v12.bin");
}

static void test_client_max_12_vs_server_13(void **state)
{
    (void)state;
    expect_no_common_version(FTP_TLS_VERSION_ANY, FTP_TLS_VERSION_1_2);
}

static void test_defaults_vs_server_13(void **state)
{
    (void)state;
    expect_default_negotiates(FTP_TLS_VERSION_1_3, "v13.bin");
}

int main(int argc, char **argv)
{
    tls_skip_unless_built_with_tls("test_tls_versions");
    if (argc != 2 || (strcmp(argv[1], "127.0.0.1") != 0 && strcmp(argv[1], "::1") != 0)) {
        fprintf(stderr, "usage: test_tls_versions 127.0.0.1|::1\n");
        return 2;
    }
    server_host = argv[1];
    /* The "no common version" tests run first on each server, so that its
     * log holds only their sessions. */
    const struct CMUnitTest server_12[] = {
        cmocka_unit_test(test_client_min_13_vs_server_12),
        cmocka_unit_test(test_defaults_vs_server_12),
    };
    const struct CMUnitTest server_13[] = {
        cmocka_unit_test(test_client_max_12_vs_server_13),
        cmocka_unit_test(test_defaults_vs_server_13),
    };
    int failed = cmocka_run_group_tests(server_12, start_tls12_only, stop_server);
    failed += cmocka_run_group_tests(server_13, start_tls13_only, stop_server);
    return failed;
}
