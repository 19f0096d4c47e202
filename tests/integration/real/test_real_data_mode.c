/*
 * Every way of opening a data connection against a real server: passive
 * by default (EPSV first), EPSV only, PASV only (IPv4), active through
 * ftp_set_data_mode() and through ftplib's set_pasv(0).  Each mode moves a
 * download, an upload and a listing, and the command trace shows which
 * data-channel command the library really used.
 * Usage: test_real_data_mode pyftpdlib|vsftpd 127.0.0.1|::1
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

static real_server server;
static real_kind server_kind;
static const char *server_host;

#define DATA_FILE "mode-data.bin"
#define DATA_SEED 11
#define DATA_SIZE 300007

static unsigned char *data_bytes;

static int start_server(void **state)
{
    (void)state;
    if (real_server_start(&server, server_kind, server_host, "data-mode") != 0)
        return -1;
    char path[1200];
    data_bytes = real_pattern(DATA_SEED, DATA_SIZE);
    real_path(&server, DATA_FILE, path, sizeof path);
    return real_write_file(path, data_bytes, DATA_SIZE);
}

static int stop_server(void **state)
{
    (void)state;
    real_server_stop(&server);
    free(data_bytes);
    return 0;
}

static int is_ipv6(void)
{
    return strchr(server.host, ':') != NULL;
}

/* A logged-in session whose commands are recorded into @p log. */
static ftp_session *login_with_log(command_log *log)
{
    ftp_session *s = real_login(&server);
    memset(log, 0, sizeof *log);
    REAL_OK(s, ftp_set_debuglevel(s, 1));
    REAL_OK(s, ftp_set_trace_fn(s, command_log_fn, log, NULL));
    return s;
}

/* Checks that @p log saw every command, then QUIT and free. */
static void logout_with_log(ftp_session *s, const command_log *log)
{
    assert_int_equal(log->dropped, 0);
    real_logout(s);
}

/* Download, upload (checked in the server's file) and NLST, twice, so that
 * a remembered choice (AUTO, ACTIVE) is exercised too. */
static void move_data(ftp_session *s, const char *upload_name)
{
    for (int round = 0; round < 2; round++) {
        byte_sink sink = {0};
        REAL_OK(s, ftp_retrbinary(s, "RETR " DATA_FILE, 0, 0, byte_sink_fn, &sink));
        assert_int_equal(sink.len, DATA_SIZE);
        assert_memory_equal(sink.data, data_bytes, DATA_SIZE);
        byte_sink_free(&sink);

        char cmd[256];
        snprintf(cmd, sizeof cmd, "STOR %s", upload_name);
        memory_source src = {data_bytes, DATA_SIZE, 0, 0, 0};
        REAL_OK(s, ftp_storbinary(s, cmd, 0, 0, memory_source_fn, &src));
        char path[1200];
        real_path(&server, upload_name, path, sizeof path);
        size_t len = 0;
        unsigned char *stored = real_read_file(path, &len);
        assert_non_null(stored);
        assert_int_equal(len, DATA_SIZE);
        assert_memory_equal(stored, data_bytes, DATA_SIZE);
        free(stored);

        line_list names = {0};
        REAL_OK(s, ftp_nlst(s, NULL, line_list_fn, &names));
        assert_true(line_list_find(&names, upload_name) >= 0);
        line_list_free(&names);
    }
}

static void test_default_passive(void **state)
{
    (void)state;
    command_log log;
    ftp_session *s = login_with_log(&log);
    move_data(s, "auto.bin");
    /* Both servers support EPSV, so AUTO never needs PASV. */
    assert_true(command_log_has(&log, "EPSV"));
    assert_false(command_log_has(&log, "PASV"));
    assert_false(command_log_has(&log, "EPRT"));
    assert_false(command_log_has(&log, "PORT"));
    logout_with_log(s, &log);
}

static void test_epsv_only(void **state)
{
    (void)state;
    command_log log;
    ftp_session *s = login_with_log(&log);
    REAL_OK(s, ftp_set_data_mode(s, FTP_DATA_EPSV));
    move_data(s, "epsv.bin");
    assert_true(command_log_has(&log, "EPSV"));
    assert_false(command_log_has(&log, "PASV"));
    logout_with_log(s, &log);
}

/* Registered on IPv4 only: PASV carries an IPv4 address, and the mode is
 * documented for IPv4 control connections. */
static void test_pasv_only(void **state)
{
    (void)state;
    command_log log;
    ftp_session *s = login_with_log(&log);
    REAL_OK(s, ftp_set_data_mode(s, FTP_DATA_PASV));
    move_data(s, "pasv.bin");
    assert_true(command_log_has(&log, "PASV"));
    assert_false(command_log_has(&log, "EPSV"));
    logout_with_log(s, &log);
}

static void test_active_mode(void **state)
{
    (void)state;
    command_log log;
    ftp_session *s = login_with_log(&log);
    REAL_OK(s, ftp_set_data_mode(s, FTP_DATA_ACTIVE));
    move_data(s, "active.bin");
    /* Both servers take EPRT, on IPv4 (|1|127.0.0.1|) and IPv6 (|2|::1|). */
    assert_true(command_log_has(&log, is_ipv6() ? "EPRT |2|::1|" : "EPRT |1|127.0.0.1|"));
    assert_false(command_log_has(&log, "PORT"));
    assert_false(command_log_has(&log, "EPSV"));
    assert_false(command_log_has(&log, "PASV"));
    logout_with_log(s, &log);
}

static void test_set_pasv_off_and_on(void **state)
{
    (void)state;
    command_log log;
    ftp_session *s = login_with_log(&log);
    REAL_OK(s, ftp_set_pasv(s, 0));
    move_data(s, "set-pasv.bin");
    assert_true(command_log_has(&log, "EPRT"));
    assert_false(command_log_has(&log, "EPSV"));

    memset(&log, 0, sizeof log);
    REAL_OK(s, ftp_set_pasv(s, 1));
    move_data(s, "set-pasv.bin");
    assert_true(command_log_has(&log, "EPSV"));
    assert_false(command_log_has(&log, "EPRT"));
    logout_with_log(s, &log);
}

static void test_listing_in_every_mode(void **state)
{
    (void)state;
    static const int modes[] = {FTP_DATA_AUTO, FTP_DATA_EPSV, FTP_DATA_PASV, FTP_DATA_ACTIVE};
    ftp_session *s = real_login(&server);
    for (size_t i = 0; i < sizeof modes / sizeof modes[0]; i++) {
        if (modes[i] == FTP_DATA_PASV && is_ipv6())
            continue;
        REAL_OK(s, ftp_set_data_mode(s, modes[i]));
        line_list lines = {0};
        REAL_OK(s, ftp_dir(s, NULL, line_list_fn, &lines));
        assert_true(line_list_find_part(&lines, DATA_FILE) >= 0);
        line_list_free(&lines);
        lines = (line_list){0};
        REAL_OK(s, ftp_retrlines(s, "NLST", line_list_fn, &lines));
        assert_true(line_list_find(&lines, DATA_FILE) >= 0);
        line_list_free(&lines);
    }
    real_logout(s);
}

int main(int argc, char **argv)
{
    real_parse_args(argc, argv, &server_kind, &server_host);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_default_passive),
        cmocka_unit_test(test_epsv_only),
        cmocka_unit_test(test_active_mode),
        cmocka_unit_test(test_set_pasv_off_and_on),
        cmocka_unit_test(test_listing_in_every_mode),
        cmocka_unit_test(test_pasv_only), /* last: left out on IPv6 */
    };
    size_t count = sizeof tests / sizeof tests[0] - (strchr(server_host, ':') != NULL);
    char name[128];
    snprintf(name, sizeof name, "real data modes: %s on %s", real_kind_name(server_kind),
             server_host);
    return _cmocka_run_group_tests(name, tests, count, start_server, stop_server);
}
