/*
 * Implicit FTPS (TLS from the first byte) against vsftpd with
 * implicit_ssl=YES and require_ssl_reuse=YES, once with TLS 1.2 and once
 * with TLS 1.3 forced from the client side, verification on.  The banner
 * arrives over TLS, no AUTH TLS is sent, PBSZ 0 / PROT P follow the login,
 * and every data connection must resume the control connection's session.
 * (pyftpdlib has no implicit FTPS.)
 * Usage: test_tls_implicit 127.0.0.1|::1
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <ftpc/ftpc.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "real_callbacks.h"
#include "real_files.h"
#include "real_server.h"
#include "tls_server.h"
#include "tls_session.h"
#include "tls_transfers.h"

#define FILE_SIZE (1024u * 1024u + 17u)

static real_server server;
static const char *server_host;

static int start_server(void **state)
{
    (void)state;
    const tls_server_options implicit = {.implicit = 1};
    return tls_server_start(&server, REAL_VSFTPD, server_host, "tls-implicit", &implicit);
}

static int stop_server(void **state)
{
    (void)state;
    real_server_stop(&server);
    return 0;
}

static void run_implicit(int version, const char *file, uint64_t seed)
{
    char label[128];
    snprintf(label, sizeof label, "vsftpd implicit %s %s", server_host,
             tls_version_name(version));
    tls_tally t;
    tls_tally_init(&t, label, version);

    ftp_session *s = tls_session_new(FTP_TLS_IMPLICIT, version);
    command_log log;
    memset(&log, 0, sizeof log);
    REAL_OK(s, ftp_set_debuglevel(s, 1));
    REAL_OK(s, ftp_set_trace_fn(s, command_log_fn, &log, NULL));
    tls_connect(s, &server, version);
    /* The launcher's banner, read over TLS. */
    assert_non_null(strstr(ftp_getwelcome(s), "ftpc-test vsFTPd"));
    REAL_OK(s, ftp_login(s, server.user, server.password, NULL));
    assert_false(command_log_has(&log, "AUTH"));
    assert_true(command_log_has_exact(&log, "PBSZ 0"));
    assert_true(command_log_has_exact(&log, "PROT P"));

    tls_store_and_fetch(s, &server, &t, file, seed, FILE_SIZE);
    tls_list_expecting(s, &t, "LIST", file);
    tls_nlst_expecting(s, &t, "NLST", file);
    tls_list_expecting(s, &t, "LIST again", file);

    assert_string_equal(ftp_tls_version(s), tls_version_name(version));
    assert_int_equal(log.dropped, 0);
    tls_tally_finish(&t);
    real_logout(s);
}

static void test_implicit_tls12(void **state)
{
    (void)state;
    run_implicit(FTP_TLS_VERSION_1_2, "implicit-12.bin", 41);
}

static void test_implicit_tls13(void **state)
{
    (void)state;
    run_implicit(FTP_TLS_VERSION_1_3, "implicit-13.bin", 43);
}

int main(int argc, char **argv)
{
    tls_skip_unless_built_with_tls("test_tls_implicit");
    if (argc != 2 || (strcmp(argv[1], "127.0.0.1") != 0 && strcmp(argv[1], "::1") != 0)) {
        fprintf(stderr, "usage: test_tls_implicit 127.0.0.1|::1\n");
        return 2;
    }
    server_host = argv[1];
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_implicit_tls12),
        cmocka_unit_test(test_implicit_tls13),
    };
    return cmocka_run_group_tests(tests, start_server, stop_server);
}
