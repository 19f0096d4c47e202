/*
 * Hostile-server scenarios, catalogue section A: outbound command safety.
 * A caller string holding CR, LF or NUL never reaches the wire, secrets
 * never reach the trace, and PORT/EPRT advertise only our own address.
 */
#include "hostile.h"

#include <string.h>

/* A.1: CR/LF in USER or PASS is refused before anything is written, and
 * the session is still usable afterwards. */
static void crlf_in_login_sends_nothing(void **state)
{
    hostile *h = *state;
    hostile_start(h, "on DELE reply 250 deleted (must never happen)\n");
    assert_int_equal(hostile_connect(h), FTP_OK);

    assert_int_equal(ftp_login(h->s, "user\r\nDELE x", "secret", NULL), FTP_E_INVALID);
    assert_int_equal(ftp_login(h->s, "user", "sec\nDELE x", NULL), FTP_E_INVALID);
    assert_int_equal(ftp_login(h->s, "user", "secret", "acct\rDELE x"), FTP_E_INVALID);
    assert_int_equal(ftp_login(h->s, "user", "secret", NULL), FTP_OK);

    hostile_finish(h, HOSTILE_LOGIN);
}

static int ignore_entry(const char *name, size_t nfacts, const char *const *keys,
                        const char *const *values, void *userdata)
{
    (void)name;
    (void)nfacts;
    (void)keys;
    (void)values;
    ++*(unsigned *)userdata;
    return 0;
}

/* A.1: CR/LF in a path, for every call that puts a path on the wire:
 * FTP_E_INVALID, and not even TYPE or EPSV goes out for the transfers. */
static void crlf_in_path_sends_nothing(void **state)
{
    hostile *h = *state;
    hostile_start(h, "on PWD reply 257 \"/home\" is cwd\n");
    hostile_connect_login(h);

    const char *out = NULL;
    uint64_t size = 0;
    hostile_sink sink = {0};
    hostile_lines lines = {0};
    assert_int_equal(ftp_cwd(h->s, "a\r\nDELE b"), FTP_E_INVALID);
    assert_int_equal(ftp_delete(h->s, "x\ny"), FTP_E_INVALID);
    assert_int_equal(ftp_mkd(h->s, "d\r", &out), FTP_E_INVALID);
    assert_int_equal(ftp_rmd(h->s, "d\n"), FTP_E_INVALID);
    assert_int_equal(ftp_rename(h->s, "a", "b\r\nDELE c"), FTP_E_INVALID);
    assert_int_equal(ftp_rename(h->s, "a\n", "b"), FTP_E_INVALID);
    assert_int_equal(ftp_size(h->s, "f\r\n", &size), FTP_E_INVALID);
    assert_int_equal(ftp_retrbinary(h->s, "RETR a\r\nDELE b", 0, 0, hostile_sink_fn, &sink),
                     FTP_E_INVALID);
    assert_int_equal(ftp_retrlines(h->s, "LIST\n", hostile_line_fn, &lines), FTP_E_INVALID);
    assert_int_equal(ftp_nlst(h->s, "dir\r\nDELE x", hostile_line_fn, &lines), FTP_E_INVALID);
    assert_int_equal(ftp_dir(h->s, "dir\n", hostile_line_fn, &lines), FTP_E_INVALID);
    unsigned entries = 0;
    assert_int_equal(ftp_mlsd(h->s, "dir\r", NULL, ignore_entry, &entries), FTP_E_INVALID);
    assert_int_equal(sink.calls, 0);
    assert_int_equal(entries, 0);
    assert_int_equal(lines.count, 0);

    assert_int_equal(ftp_pwd(h->s, &out), FTP_OK);
    assert_string_equal(out, "/home");

    hostile_finish(h, HOSTILE_LOGIN "PWD\n");
}

/* A.1: a raw command with CR or LF anywhere is refused whole. */
static void crlf_in_raw_command_sends_nothing(void **state)
{
    hostile *h = *state;
    hostile_start(h, "on DELE reply 250 deleted (must never happen)\n");
    hostile_connect_login(h);

    const char *reply = NULL;
    assert_int_equal(ftp_sendcmd(h->s, "NOOP\r\nDELE x", &reply), FTP_E_INVALID);
    assert_int_equal(ftp_sendcmd(h->s, "NOOP\r", &reply), FTP_E_INVALID);
    assert_int_equal(ftp_voidcmd(h->s, "\n"), FTP_E_INVALID);
    assert_int_equal(ftp_voidcmd(h->s, "SITE CHMOD 777 x\nDELE y"), FTP_E_INVALID);
    assert_int_equal(ftp_voidcmd(h->s, "NOOP"), FTP_OK);

    hostile_finish(h, HOSTILE_LOGIN "NOOP\n");
}

/* A.2: a C string ends at its NUL, so the bytes after an embedded NUL can
 * never reach the wire: only "NOOP" goes out. */
static void nul_ends_the_argument(void **state)
{
    hostile *h = *state;
    hostile_start(h, "on DELE reply 250 deleted (must never happen)\n");
    hostile_connect_login(h);

    static const char with_nul[] = "NOOP\0\r\nDELE x";
    assert_int_equal(ftp_voidcmd(h->s, with_nul), FTP_OK);
    assert_int_equal(ftp_cwd(h->s, "dir\0\r\nDELE y"), FTP_E_PERM); /* "CWD dir": 500 */

    hostile_finish(h, HOSTILE_LOGIN "NOOP\nCWD dir\n");
}

typedef struct trace_log {
    char commands[1024];
    size_t len;
    int saw_secret;
} trace_log;

static void record_trace(int kind, const char *text, size_t len, void *userdata)
{
    trace_log *log = userdata;
    if (strstr(text, "secret") != NULL || strstr(text, "acct1") != NULL)
        log->saw_secret = 1;
    if (kind == FTP_TRACE_CMD && log->len + len + 2 < sizeof log->commands) {
        memcpy(log->commands + log->len, text, len);
        log->len += len;
        log->commands[log->len++] = '\n';
        log->commands[log->len] = '\0';
    }
}

/* A.5: the server receives PASS and ACCT in clear, the trace never does. */
static void password_and_account_masked_in_trace(void **state)
{
    hostile *h = *state;
    hostile_start(h,
                  "on PASS reply 332 need account\n"
                  "on ACCT reply 230 logged in with account\n");
    trace_log log = {{0}, 0, 0};
    assert_int_equal(ftp_set_debuglevel(h->s, 2), FTP_OK);
    assert_int_equal(ftp_set_trace_fn(h->s, record_trace, &log, NULL), FTP_OK);
    assert_int_equal(hostile_connect(h), FTP_OK);

    assert_int_equal(ftp_login(h->s, "user", "secret", "acct1"), FTP_OK);

    assert_string_equal(log.commands, "USER user\nPASS ****\nACCT ****\n");
    assert_int_equal(log.saw_secret, 0);
    hostile_finish(h, "USER user\nPASS secret\nACCT acct1\n");
}

/* A.6: EPRT advertises the control connection's own local address. */
static void eprt_advertises_own_address(void **state)
{
    hostile *h = *state;
    hostile_start(h, "on NLST serve a\\r\\n\n");
    hostile_connect_login(h);
    assert_int_equal(ftp_set_pasv(h->s, 0), FTP_OK);

    hostile_lines lines = {0};
    assert_int_equal(ftp_nlst(h->s, NULL, hostile_line_fn, &lines), FTP_OK);
    assert_string_equal(lines.text, "a\n");

    hostile_finish(h, HOSTILE_LOGIN "TYPE A\nEPRT |1|127.0.0.1|{n}|\nNLST\n");
}

/* ftp_cwd("..") is CDUP; a server that does not know CDUP (500) gets
 * "CWD .." instead, and "" means ".". */
static void cwd_dotdot_falls_back_from_cdup(void **state)
{
    hostile *h = *state;
    hostile_start(h,
                  "on CDUP reply 500 CDUP unknown\n"
                  "on CWD reply 250 ok\n");
    hostile_connect_login(h);

    assert_int_equal(ftp_cwd(h->s, ".."), FTP_OK);
    assert_int_equal(ftp_cwd(h->s, ""), FTP_OK);

    hostile_finish(h, HOSTILE_LOGIN "CDUP\nCWD ..\nCWD .\n");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        HOSTILE_TEST(crlf_in_login_sends_nothing),
        HOSTILE_TEST(crlf_in_path_sends_nothing),
        HOSTILE_TEST(crlf_in_raw_command_sends_nothing),
        HOSTILE_TEST(nul_ends_the_argument),
        HOSTILE_TEST(password_and_account_masked_in_trace),
        HOSTILE_TEST(eprt_advertises_own_address),
        HOSTILE_TEST(cwd_dotdot_falls_back_from_cdup),
    };
    return cmocka_run_group_tests_name("hostile: A. command safety", tests, NULL, NULL);
}
