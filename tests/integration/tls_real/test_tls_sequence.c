/*
 * The FTPS sequence of issue 3 against a real server, with one TLS version
 * forced from the client side and certificate verification on (the test
 * CA, host 127.0.0.1 or ::1 matched against the certificate's IP SANs):
 *     LIST, LIST, LIST, STOR (10 MiB), RETR (SHA-256 checked), LIST, NLST, MLSD
 * Every transfer must succeed and every data connection must be encrypted
 * with that version and resume the control connection's TLS session (vsftpd
 * runs with require_ssl_reuse=YES and refuses data connections that do not).
 * vsftpd has no MLSD: there it must fail with FTP_E_PERM and leave the
 * session usable.  The output says how many data connections resumed.
 * Usage: test_tls_sequence pyftpdlib|vsftpd 127.0.0.1|::1 1.2|1.3
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

#define USAGE "test_tls_sequence pyftpdlib|vsftpd 127.0.0.1|::1 1.2|1.3"

#define SMALL_FILE "hello.txt"
#define BIG_FILE "big-10MiB.bin"
#define BIG_SEED 31
#define BIG_SIZE (10u * 1024u * 1024u)

static real_server server;
static real_kind server_kind;
static const char *server_host;
static int tls_version;

static int start_server(void **state)
{
    (void)state;
    if (tls_server_start(&server, server_kind, server_host, "tls-sequence", NULL) != 0)
        return -1;
    char path[1200];
    real_path(&server, SMALL_FILE, path, sizeof path);
    return real_write_file(path, "hello over TLS\n", 15);
}

static int stop_server(void **state)
{
    (void)state;
    real_server_stop(&server);
    return 0;
}

static void test_sequence(void **state)
{
    (void)state;
    char label[128];
    snprintf(label, sizeof label, "%s %s %s", real_kind_name(server_kind), server_host,
             tls_version_name(tls_version));
    tls_tally t;
    tls_tally_init(&t, label, tls_version);

    ftp_session *s = tls_session_new(FTP_TLS_EXPLICIT, tls_version);
    command_log log;
    memset(&log, 0, sizeof log);
    REAL_OK(s, ftp_set_debuglevel(s, 1));
    REAL_OK(s, ftp_set_trace_fn(s, command_log_fn, &log, NULL));
    tls_connect(s, &server, tls_version);
    REAL_OK(s, ftp_login(s, server.user, server.password, NULL));
    /* Data protection comes with the login, before any data connection. */
    assert_true(command_log_has_exact(&log, "AUTH TLS"));
    assert_true(command_log_has_exact(&log, "PBSZ 0"));
    assert_true(command_log_has_exact(&log, "PROT P"));

    tls_list_expecting(s, &t, "LIST 1", SMALL_FILE);
    tls_list_expecting(s, &t, "LIST 2", SMALL_FILE);
    tls_list_expecting(s, &t, "LIST 3", SMALL_FILE);

    tls_store_and_fetch(s, &server, &t, BIG_FILE, BIG_SEED, BIG_SIZE);

    tls_list_expecting(s, &t, "LIST 4", BIG_FILE);

    tls_nlst_expecting(s, &t, "NLST", BIG_FILE);

    mlsd_list entries = {0};
    if (server_kind == REAL_PYFTPDLIB) {
        REAL_OK(s, ftp_mlsd(s, NULL, NULL, mlsd_list_fn, &entries));
        tls_tally_data(&t, s, "MLSD");
        long i = mlsd_list_find(&entries, BIG_FILE);
        assert_true(i >= 0);
        assert_non_null(strstr(entries.facts[i], "size=10485760;"));
    } else {
        /* vsftpd 3.0.3 answers MLSD with 500 Unknown command. */
        REAL_RC(s, FTP_E_PERM, ftp_mlsd(s, NULL, NULL, mlsd_list_fn, &entries));
        assert_int_equal(entries.count, 0);
        REAL_OK(s, ftp_voidcmd(s, "NOOP"));
    }
    mlsd_list_free(&entries);

    /* The control connection is still the one negotiated at connect. */
    assert_string_equal(ftp_tls_version(s), tls_version_name(tls_version));
    assert_int_equal(log.dropped, 0);
    tls_tally_finish(&t);
    real_logout(s);
}

int main(int argc, char **argv)
{
    tls_skip_unless_built_with_tls("test_tls_sequence");
    if (argc != 4) {
        fprintf(stderr, "usage: %s\n", USAGE);
        return 2;
    }
    tls_version = tls_parse_version(argv[3], USAGE);
    real_parse_args(3, argv, &server_kind, &server_host);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sequence),
    };
    return cmocka_run_group_tests(tests, start_server, stop_server);
}
