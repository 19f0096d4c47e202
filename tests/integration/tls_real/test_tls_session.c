/*
 * FTPS session features against a real server (explicit TLS, verification
 * on, any TLS version the two sides agree on):
 *  - PROT C then PROT P on the same session (a server instance that allows
 *    clear data connections), and a login that leaves data protection off
 *    until ftp_prot_p();
 *  - active mode (EPRT) under TLS: the server connects, ftpc is still the
 *    TLS client and still resumes the control connection's session;
 *  - CCC, which neither pyftpdlib nor vsftpd implements: refused, the
 *    control connection stays encrypted and usable;
 *  - a second ftp_connect() on the same session object: its data
 *    connections resume the new control connection's session.
 * Usage: test_tls_session pyftpdlib|vsftpd 127.0.0.1|::1
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

#define FILE_SIZE (512u * 1024u + 3u)

/* TLS required for login and data (the launchers' default). */
static real_server strict_server;
/* TLS required for login only: PROT C is allowed. */
static real_server optional_server;
static real_kind server_kind;
static const char *server_host;

static int start_servers(void **state)
{
    (void)state;
    const tls_server_options data_optional = {.data_optional = 1};
    if (tls_server_start(&strict_server, server_kind, server_host, "tls-strict", NULL) != 0)
        return -1;
    if (tls_server_start(&optional_server, server_kind, server_host, "tls-optional",
                         &data_optional) != 0) {
        real_server_stop(&strict_server);
        return -1;
    }
    return 0;
}

static int stop_servers(void **state)
{
    (void)state;
    real_server_stop(&strict_server);
    real_server_stop(&optional_server);
    return 0;
}

static void label_for(char *out, size_t cap, const char *test)
{
    snprintf(out, cap, "%s %s %s", real_kind_name(server_kind), server_host, test);
}

/* A logged-in session on @p srv whose commands go to @p log. */
static ftp_session *login_logged(const real_server *srv, command_log *log)
{
    ftp_session *s = tls_session_new(FTP_TLS_EXPLICIT, FTP_TLS_VERSION_ANY);
    memset(log, 0, sizeof *log);
    REAL_OK(s, ftp_set_debuglevel(s, 1));
    REAL_OK(s, ftp_set_trace_fn(s, command_log_fn, log, NULL));
    tls_connect(s, srv, FTP_TLS_VERSION_ANY);
    REAL_OK(s, ftp_login(s, srv->user, srv->password, NULL));
    return s;
}

/* A clear-text LIST and RETR of @p name (already on the server). */
static void clear_list_and_fetch(ftp_session *s, const char *name, uint64_t size)
{
    line_list lines = {0};
    REAL_OK(s, ftp_dir(s, NULL, line_list_fn, &lines));
    tls_assert_clear_data(s, "LIST after PROT C");
    assert_true(line_list_find_part(&lines, name) >= 0);
    line_list_free(&lines);

    char cmd[256];
    snprintf(cmd, sizeof cmd, "RETR %s", name);
    hash_sink sink;
    hash_sink_init(&sink, 0);
    REAL_OK(s, ftp_retrbinary(s, cmd, 0, 0, hash_sink_fn, &sink));
    tls_assert_clear_data(s, "RETR after PROT C");
    assert_int_equal(sink.received, size);
}

static void test_prot_c_then_prot_p(void **state)
{
    (void)state;
    char label[160];
    label_for(label, sizeof label, "PROT C then PROT P");
    tls_tally t;
    tls_tally_init(&t, label, FTP_TLS_VERSION_ANY);
    command_log log;
    ftp_session *s = login_logged(&optional_server, &log);
    assert_true(command_log_has_exact(&log, "PROT P"));

    tls_store_and_fetch(s, &optional_server, &t, "prot-p-first.bin", 51, FILE_SIZE);

    REAL_OK(s, ftp_prot_c(s));
    assert_true(command_log_has_exact(&log, "PROT C"));
    clear_list_and_fetch(s, "prot-p-first.bin", FILE_SIZE);
    /* The control connection stays encrypted. */
    assert_non_null(ftp_tls_version(s));

    REAL_OK(s, ftp_prot_p(s));
    tls_store_and_fetch(s, &optional_server, &t, "prot-p-again.bin", 52, FILE_SIZE);
    tls_list_expecting(s, &t, "LIST after PROT P", "prot-p-again.bin");

    assert_int_equal(log.dropped, 0);
    tls_tally_finish(&t);
    real_logout(s);
}

static void test_protect_data_off_until_prot_p(void **state)
{
    (void)state;
    char label[160];
    label_for(label, sizeof label, "protect_data 0, then PROT P");
    tls_tally t;
    tls_tally_init(&t, label, FTP_TLS_VERSION_ANY);

    ftp_session *s = tls_session_new(FTP_TLS_EXPLICIT, FTP_TLS_VERSION_ANY);
    command_log log;
    memset(&log, 0, sizeof log);
    REAL_OK(s, ftp_set_debuglevel(s, 1));
    REAL_OK(s, ftp_set_trace_fn(s, command_log_fn, &log, NULL));
    REAL_OK(s, ftp_set_tls_protect_data(s, 0));
    tls_connect(s, &optional_server, FTP_TLS_VERSION_ANY);
    REAL_OK(s, ftp_login(s, optional_server.user, optional_server.password, NULL));
    assert_false(command_log_has(&log, "PBSZ"));
    assert_false(command_log_has(&log, "PROT"));

    char path[1200];
    real_path(&optional_server, "clear-first.bin", path, sizeof path);
    unsigned char *data = real_pattern(53, FILE_SIZE);
    assert_int_equal(real_write_file(path, data, FILE_SIZE), 0);
    free(data);
    clear_list_and_fetch(s, "clear-first.bin", FILE_SIZE);

    REAL_OK(s, ftp_prot_p(s));
    assert_true(command_log_has_exact(&log, "PBSZ 0"));
    assert_true(command_log_has_exact(&log, "PROT P"));
    tls_list_expecting(s, &t, "LIST after PROT P", "clear-first.bin");
    tls_store_and_fetch(s, &optional_server, &t, "protected-later.bin", 54, FILE_SIZE);

    assert_int_equal(log.dropped, 0);
    tls_tally_finish(&t);
    real_logout(s);
}

static void test_active_mode(void **state)
{
    (void)state;
    char label[160];
    label_for(label, sizeof label, "active (EPRT)");
    tls_tally t;
    tls_tally_init(&t, label, FTP_TLS_VERSION_ANY);
    command_log log;
    ftp_session *s = login_logged(&strict_server, &log);
    REAL_OK(s, ftp_set_data_mode(s, FTP_DATA_ACTIVE));

    tls_store_and_fetch(s, &strict_server, &t, "active.bin", 61, FILE_SIZE);
    assert_string_equal(ftp_last_transfer_mode(s), "EPRT");
    tls_list_expecting(s, &t, "LIST (active)", "active.bin");
    assert_string_equal(ftp_last_transfer_mode(s), "EPRT");
    tls_nlst_expecting(s, &t, "NLST (active)", "active.bin");
    assert_string_equal(ftp_last_transfer_mode(s), "EPRT");

    assert_true(command_log_has(&log, "EPRT "));
    assert_false(command_log_has(&log, "PORT "));
    assert_false(command_log_has(&log, "EPSV"));
    assert_false(command_log_has(&log, "PASV"));
    assert_int_equal(log.dropped, 0);
    tls_tally_finish(&t);
    real_logout(s);
}

static void test_ccc_refused_stays_encrypted(void **state)
{
    (void)state;
    char label[160];
    label_for(label, sizeof label, "CCC refused");
    tls_tally t;
    tls_tally_init(&t, label, FTP_TLS_VERSION_ANY);
    command_log log;
    ftp_session *s = login_logged(&strict_server, &log);
    const char *version = ftp_tls_version(s);
    assert_non_null(version);
    char before[32];
    snprintf(before, sizeof before, "%s", version);

    /* Neither server knows CCC: both answer 500. */
    REAL_RC(s, FTP_E_PERM, ftp_ccc(s));
    assert_true(command_log_has_exact(&log, "CCC"));
    assert_int_equal(ftp_last_reply_code(s), 500);
    assert_non_null(ftp_tls_version(s));
    assert_string_equal(ftp_tls_version(s), before);

    REAL_OK(s, ftp_voidcmd(s, "NOOP"));
    tls_store_and_fetch(s, &strict_server, &t, "after-ccc.bin", 71, FILE_SIZE);
    assert_int_equal(log.dropped, 0);
    tls_tally_finish(&t);
    real_logout(s);
}

static void test_reconnect_resumes_new_session(void **state)
{
    (void)state;
    char label[160];
    label_for(label, sizeof label, "reconnect");
    tls_tally t;
    tls_tally_init(&t, label, FTP_TLS_VERSION_ANY);
    char path[1200];
    real_path(&strict_server, "reconnect.txt", path, sizeof path);
    assert_int_equal(real_write_file(path, "again\n", 6), 0);

    ftp_session *s = tls_login(&strict_server, FTP_TLS_EXPLICIT, FTP_TLS_VERSION_ANY);
    tls_list_expecting(s, &t, "LIST (first connection)", "reconnect.txt");
    REAL_OK(s, ftp_quit(s));
    assert_null(ftp_tls_version(s));

    tls_connect(s, &strict_server, FTP_TLS_VERSION_ANY);
    REAL_OK(s, ftp_login(s, strict_server.user, strict_server.password, NULL));
    tls_list_expecting(s, &t, "LIST (second connection)", "reconnect.txt");
    tls_nlst_expecting(s, &t, "NLST (second connection)", "reconnect.txt");
    tls_tally_finish(&t);
    real_logout(s);
}

int main(int argc, char **argv)
{
    tls_skip_unless_built_with_tls("test_tls_session");
    real_parse_args(argc, argv, &server_kind, &server_host);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_prot_c_then_prot_p),
        cmocka_unit_test(test_protect_data_off_until_prot_p),
        cmocka_unit_test(test_active_mode),
        cmocka_unit_test(test_ccc_refused_stays_encrypted),
        cmocka_unit_test(test_reconnect_resumes_new_session),
    };
    return cmocka_run_group_tests(tests, start_servers, stop_servers);
}
