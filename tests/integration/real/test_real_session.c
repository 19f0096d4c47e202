/*
 * Sessions against a real server: connect and welcome, logins, simple
 * commands and their error replies, directory and file commands, quit and
 * close.  Usage: test_real_session pyftpdlib|vsftpd 127.0.0.1|::1
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <ftpc/ftpc.h>

#include <stdio.h>
#include <string.h>

#include "real_callbacks.h"
#include "real_files.h"
#include "real_server.h"

static real_server server;
static real_kind server_kind;
static const char *server_host;

static int start_server(void **state)
{
    (void)state;
    return real_server_start(&server, server_kind, server_host, "session");
}

static int stop_server(void **state)
{
    (void)state;
    real_server_stop(&server);
    return 0;
}

static void put_file(const char *name, const char *content)
{
    char path[1200];
    real_path(&server, name, path, sizeof path);
    assert_int_equal(real_write_file(path, content, strlen(content)), 0);
}

static int exists_on_server(const char *name)
{
    char path[1200];
    real_path(&server, name, path, sizeof path);
    return real_file_exists(path);
}

static void test_connect_and_welcome(void **state)
{
    (void)state;
    ftp_session *s = ftp_session_new();
    assert_non_null(s);
    assert_null(ftp_getwelcome(s));
    REAL_OK(s, ftp_connect(s, server.host, server.proc.port));
    const char *welcome = ftp_getwelcome(s);
    assert_non_null(welcome);
    assert_true(strncmp(welcome, "220 ", 4) == 0);
    /* Both launchers put their server's name into the banner. */
    assert_non_null(strstr(welcome, server_kind == REAL_VSFTPD ? "vsFTPd" : "pyftpdlib"));
    assert_int_equal(ftp_last_reply_code(s), 220);
    REAL_OK(s, ftp_login(s, server.user, server.password, NULL));
    assert_int_equal(ftp_last_reply_code(s), 230);
    real_logout(s);
}

static void test_login_anonymous(void **state)
{
    (void)state;
    /* Both servers accept "anonymous" (vsftpd read-only): NULL user means
     * USER anonymous, PASS anonymous@. */
    put_file("for-anyone.txt", "public\n");
    ftp_session *s = real_connect(&server);
    REAL_OK(s, ftp_login(s, NULL, NULL, NULL));
    assert_int_equal(ftp_last_reply_code(s), 230);
    const char *cwd = NULL;
    REAL_OK(s, ftp_pwd(s, &cwd));
    assert_string_equal(cwd, "/");
    byte_sink sink = {0};
    REAL_OK(s, ftp_retrbinary(s, "RETR for-anyone.txt", 0, 0, byte_sink_fn, &sink));
    assert_int_equal(sink.len, 7);
    assert_memory_equal(sink.data, "public\n", 7);
    byte_sink_free(&sink);
    real_logout(s);
}

static void test_login_bad_password_then_good(void **state)
{
    (void)state;
    ftp_session *s = real_connect(&server);
    REAL_RC(s, FTP_E_PERM, ftp_login(s, server.user, "wrong-password", NULL));
    assert_int_equal(ftp_last_reply_code(s), 530);
    assert_true(strncmp(ftp_last_reply(s), "530", 3) == 0);
    assert_true(ftp_last_error(s)[0] != '\0');
    /* A refused login is an answer, not a desync: the session goes on. */
    REAL_OK(s, ftp_login(s, server.user, server.password, NULL));
    assert_int_equal(ftp_last_reply_code(s), 230);
    real_logout(s);
}

static void test_sendcmd_and_voidcmd(void **state)
{
    (void)state;
    ftp_session *s = real_login(&server);
    const char *reply = NULL;
    REAL_OK(s, ftp_sendcmd(s, "NOOP", &reply));
    assert_non_null(reply);
    assert_true(strncmp(reply, "200", 3) == 0);
    REAL_OK(s, ftp_voidcmd(s, "NOOP"));
    assert_int_equal(ftp_last_reply_code(s), 200);
    REAL_OK(s, ftp_sendcmd(s, "SYST", &reply));
    assert_true(strncmp(reply, "215 UNIX", 8) == 0);
    assert_string_equal(ftp_last_reply(s), reply);
    real_logout(s);
}

static void test_error_replies(void **state)
{
    (void)state;
    ftp_session *s = real_login(&server);
    REAL_RC(s, FTP_E_PERM, ftp_sendcmd(s, "XYZZY", NULL));
    assert_int_equal(ftp_last_reply_code(s), 500);
    assert_true(strncmp(ftp_last_reply(s), "500", 3) == 0);
    REAL_RC(s, FTP_E_PERM, ftp_voidcmd(s, "XYZZY"));
    /* voidcmd wants 2xx: RNFR's 350 is FTP_E_REPLY, and the session stays in
     * step (RNTO then completes the rename the 350 started). */
    put_file("renamed-by-hand.txt", "x\n");
    REAL_RC(s, FTP_E_REPLY, ftp_voidcmd(s, "RNFR renamed-by-hand.txt"));
    assert_int_equal(ftp_last_reply_code(s), 350);
    REAL_OK(s, ftp_voidcmd(s, "RNTO renamed-by-hand-2.txt"));
    assert_true(exists_on_server("renamed-by-hand-2.txt"));
    REAL_OK(s, ftp_voidcmd(s, "NOOP"));
    real_logout(s);
}

static void test_invalid_argument_sends_nothing(void **state)
{
    (void)state;
    put_file("keep-me.txt", "still here\n");
    ftp_session *s = real_login(&server);
    REAL_RC(s, FTP_E_INVALID, ftp_sendcmd(s, "NOOP\r\nDELE keep-me.txt", NULL));
    REAL_RC(s, FTP_E_INVALID, ftp_delete(s, "keep-me.txt\nx"));
    REAL_OK(s, ftp_voidcmd(s, "NOOP"));
    assert_int_equal(ftp_last_reply_code(s), 200);
    assert_true(exists_on_server("keep-me.txt"));
    real_logout(s);
}

static void test_directories(void **state)
{
    (void)state;
    ftp_session *s = real_login(&server);
    command_log log = {{0}, 0, 0};
    REAL_OK(s, ftp_set_debuglevel(s, 1));
    REAL_OK(s, ftp_set_trace_fn(s, command_log_fn, &log, NULL));
    const char *path = NULL;
    REAL_OK(s, ftp_pwd(s, &path));
    assert_string_equal(path, "/");

    REAL_OK(s, ftp_mkd(s, "dir-a", &path));
    assert_string_equal(path, "/dir-a");
    assert_true(exists_on_server("dir-a"));
    REAL_OK(s, ftp_cwd(s, "dir-a"));
    REAL_OK(s, ftp_pwd(s, &path));
    assert_string_equal(path, "/dir-a");

    /* A relative MKD inside it; the server answers with the full path. */
    REAL_OK(s, ftp_mkd(s, "inner", &path));
    assert_string_equal(path, "/dir-a/inner");
    REAL_OK(s, ftp_cwd(s, "inner"));
    REAL_OK(s, ftp_cwd(s, ""));
    REAL_OK(s, ftp_pwd(s, &path));
    assert_string_equal(path, "/dir-a/inner");

    REAL_OK(s, ftp_cwd(s, ".."));
    REAL_OK(s, ftp_pwd(s, &path));
    assert_string_equal(path, "/dir-a");
    REAL_OK(s, ftp_cwd(s, ".."));
    REAL_OK(s, ftp_pwd(s, &path));
    assert_string_equal(path, "/");
    /* ".." went out as CDUP (both servers know it), "" as "CWD .". */
    assert_true(command_log_has_exact(&log, "CDUP"));
    assert_false(command_log_has_exact(&log, "CWD .."));
    assert_true(command_log_has_exact(&log, "CWD ."));
    assert_int_equal(log.dropped, 0);

    REAL_RC(s, FTP_E_PERM, ftp_cwd(s, "no-such-dir"));
    assert_int_equal(ftp_last_reply_code(s), 550);
    REAL_RC(s, FTP_E_PERM, ftp_rmd(s, "dir-a")); /* not empty */

    REAL_OK(s, ftp_rmd(s, "dir-a/inner"));
    REAL_OK(s, ftp_rmd(s, "dir-a"));
    assert_false(exists_on_server("dir-a"));
    REAL_RC(s, FTP_E_PERM, ftp_rmd(s, "dir-a"));
    real_logout(s);
}

static void test_rename_delete_size(void **state)
{
    (void)state;
    put_file("before.txt", "0123456789abcdef");
    ftp_session *s = real_login(&server);

    REAL_OK(s, ftp_rename(s, "before.txt", "after.txt"));
    assert_false(exists_on_server("before.txt"));
    assert_true(exists_on_server("after.txt"));
    REAL_RC(s, FTP_E_PERM, ftp_rename(s, "before.txt", "again.txt"));

    /* pyftpdlib refuses SIZE in ASCII mode; the caller picks the TYPE. */
    REAL_OK(s, ftp_voidcmd(s, "TYPE I"));
    uint64_t size = 0;
    REAL_OK(s, ftp_size(s, "after.txt", &size));
    assert_int_equal(size, 16);
    size = 77;
    REAL_RC(s, FTP_E_PERM, ftp_size(s, "before.txt", &size));
    assert_int_equal(size, 77); /* out-parameters are written only on success */

    REAL_OK(s, ftp_delete(s, "after.txt"));
    assert_false(exists_on_server("after.txt"));
    REAL_RC(s, FTP_E_PERM, ftp_delete(s, "after.txt"));
    assert_int_equal(ftp_last_reply_code(s), 550);
    real_logout(s);
}

static void test_quit(void **state)
{
    (void)state;
    ftp_session *s = real_login(&server);
    REAL_OK(s, ftp_quit(s));
    assert_int_equal(ftp_last_reply_code(s), 221);
    assert_null(ftp_getwelcome(s));
    REAL_RC(s, FTP_E_STATE, ftp_voidcmd(s, "NOOP"));
    REAL_RC(s, FTP_E_STATE, ftp_quit(s));
    ftp_session_free(s);
}

static void test_close_and_reconnect(void **state)
{
    (void)state;
    ftp_session *s = real_login(&server);
    REAL_OK(s, ftp_close(s));
    assert_null(ftp_getwelcome(s));
    REAL_RC(s, FTP_E_STATE, ftp_voidcmd(s, "NOOP"));
    REAL_OK(s, ftp_close(s)); /* harmless when unconnected */
    /* The same handle connects again. */
    REAL_OK(s, ftp_connect(s, server.host, server.proc.port));
    REAL_OK(s, ftp_login(s, server.user, server.password, NULL));
    REAL_OK(s, ftp_voidcmd(s, "NOOP"));
    real_logout(s);
}

int main(int argc, char **argv)
{
    real_parse_args(argc, argv, &server_kind, &server_host);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_connect_and_welcome),
        cmocka_unit_test(test_login_anonymous),
        cmocka_unit_test(test_login_bad_password_then_good),
        cmocka_unit_test(test_sendcmd_and_voidcmd),
        cmocka_unit_test(test_error_replies),
        cmocka_unit_test(test_invalid_argument_sends_nothing),
        cmocka_unit_test(test_directories),
        cmocka_unit_test(test_rename_delete_size),
        cmocka_unit_test(test_quit),
        cmocka_unit_test(test_close_and_reconnect),
    };
    char name[128];
    snprintf(name, sizeof name, "real session: %s on %s", real_kind_name(server_kind),
             server_host);
    return cmocka_run_group_tests_name(name, tests, start_server, stop_server);
}
