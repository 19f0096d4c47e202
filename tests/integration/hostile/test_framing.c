/*
 * Hostile-server scenarios, catalogue section B: control-channel framing.
 * Replies that break the reply grammar or a cap fail with FTP_E_PROTO and
 * break the session (FTP_E_STATE afterwards, nothing more sent); replies
 * that are odd but legal work.
 */
#include "hostile.h"

#include <stdio.h>
#include <string.h>

/* Lines of a session that is broken: the next command is refused locally. */
static void assert_broken(hostile *h)
{
    assert_int_equal(ftp_voidcmd(h->s, "NOOP"), FTP_E_STATE);
}

/* Runs NOOP against a server whose NOOP rule is @p rule; expects @p rc and,
 * for a protocol error, a broken session. */
static void noop_reply_scenario(hostile *h, const char *rule, int rc)
{
    char script[512];
    snprintf(script, sizeof script, "on NOOP %s\n", rule);
    hostile_start(h, script);
    hostile_connect_login(h);
    assert_int_equal(ftp_voidcmd(h->s, "NOOP"), rc);
    if (rc == FTP_E_PROTO)
        assert_broken(h);
    hostile_finish(h, HOSTILE_LOGIN "NOOP\n");
}

/* B.8: with the line cap at 512, a 512-byte reply line (CRLF not counted)
 * is fine. */
static void line_exactly_at_cap_is_accepted(void **state)
{
    hostile *h = *state;
    hostile_start(h, "on NOOP reply 200 %repeat[508 x a]%\n");
    assert_int_equal(ftp_set_limit(h->s, FTP_LIMIT_LINE, 512), FTP_OK);
    hostile_connect_login(h);

    assert_int_equal(ftp_voidcmd(h->s, "NOOP"), FTP_OK);
    assert_int_equal(strlen(ftp_last_reply(h->s)), 512);
    assert_int_equal(ftp_voidcmd(h->s, "NOOP"), FTP_OK);

    hostile_finish(h, HOSTILE_LOGIN "NOOP\nNOOP\n");
}

/* B.8: one byte more than the cap is a protocol error that breaks the session. */
static void line_one_over_cap_breaks_session(void **state)
{
    hostile *h = *state;
    hostile_start(h, "on NOOP reply 200 %repeat[509 x a]%\n");
    assert_int_equal(ftp_set_limit(h->s, FTP_LIMIT_LINE, 512), FTP_OK);
    hostile_connect_login(h);

    assert_int_equal(ftp_voidcmd(h->s, "NOOP"), FTP_E_PROTO);
    assert_broken(h);

    hostile_finish(h, HOSTILE_LOGIN "NOOP\n");
}

/* B.9: bytes without any LF stop at the cap, not at memory exhaustion. */
static void endless_bytes_without_lf(void **state)
{
    hostile *h = *state;
    hostile_start(h, "on PWD flood 50000000 220-no line end ever \n");
    assert_int_equal(ftp_set_limit(h->s, FTP_LIMIT_LINE, 512), FTP_OK);
    hostile_connect_login(h);

    const char *out = NULL;
    assert_int_equal(ftp_pwd(h->s, &out), FTP_E_PROTO);
    assert_broken(h);

    hostile_finish(h, HOSTILE_LOGIN "PWD\n");
}

/* B.10: a multi-line reply of exactly 10000 lines (the default cap) works. */
static void reply_of_10000_lines_is_accepted(void **state)
{
    hostile *h = *state;
    hostile_start(h, "on HELP reply 214-start\\r\\n%repeat[9998 x  help line\\r\\n]%214 end\n");
    hostile_connect_login(h);

    const char *reply = NULL;
    assert_int_equal(ftp_sendcmd(h->s, "HELP", &reply), FTP_OK);
    assert_int_equal(ftp_last_reply_code(h->s), 214);
    assert_int_equal(ftp_voidcmd(h->s, "NOOP"), FTP_OK);

    hostile_finish(h, HOSTILE_LOGIN "HELP\nNOOP\n");
}

/* B.10: 10001 lines is one too many: protocol error, broken. */
static void reply_of_10001_lines_breaks_session(void **state)
{
    hostile *h = *state;
    hostile_start(h, "on HELP reply 214-start\\r\\n%repeat[9999 x  help line\\r\\n]%214 end\n");
    hostile_connect_login(h);

    const char *reply = NULL;
    assert_int_equal(ftp_sendcmd(h->s, "HELP", &reply), FTP_E_PROTO);
    assert_broken(h);

    hostile_finish(h, HOSTILE_LOGIN "HELP\n");
}

/* B.10: a reply over the total byte cap (set to 512) breaks the session,
 * even though every line is short. */
static void reply_over_byte_cap_breaks_session(void **state)
{
    hostile *h = *state;
    hostile_start(h, "on STAT reply 211-status\\r\\n%repeat[100 x  status line\\r\\n]%211 end\n");
    assert_int_equal(ftp_set_limit(h->s, FTP_LIMIT_REPLY_BYTES, 512), FTP_OK);
    hostile_connect_login(h);

    const char *reply = NULL;
    assert_int_equal(ftp_sendcmd(h->s, "STAT", &reply), FTP_E_PROTO);
    assert_broken(h);

    hostile_finish(h, HOSTILE_LOGIN "STAT\n");
}

/* B.11: "200 inner" inside a 211 reply is text; only "211 " ends it. */
static void inner_line_with_other_code_is_text(void **state)
{
    hostile *h = *state;
    hostile_start(h, "on FEAT reply 211-Features:\\r\\n200 inner\\r\\n MDTM\\r\\n211 End\n");
    hostile_connect_login(h);

    const char *reply = NULL;
    assert_int_equal(ftp_sendcmd(h->s, "FEAT", &reply), FTP_OK);
    assert_string_equal(reply, "211-Features:\n200 inner\n MDTM\n211 End");
    assert_int_equal(ftp_last_reply_code(h->s), 211);
    assert_int_equal(ftp_voidcmd(h->s, "NOOP"), FTP_OK);

    hostile_finish(h, HOSTILE_LOGIN "FEAT\nNOOP\n");
}

/* B.12: padded lines, a repeated "211-" and an empty line are text too. */
static void inner_padding_lines_are_text(void **state)
{
    hostile *h = *state;
    hostile_start(h, "on STAT reply 211-a\\r\\n 211 padded\\r\\n211-again\\r\\n\\r\\n211 b\n");
    hostile_connect_login(h);

    const char *reply = NULL;
    assert_int_equal(ftp_sendcmd(h->s, "STAT", &reply), FTP_OK);
    assert_string_equal(reply, "211-a\n 211 padded\n211-again\n\n211 b");
    assert_int_equal(ftp_voidcmd(h->s, "NOOP"), FTP_OK);

    hostile_finish(h, HOSTILE_LOGIN "STAT\nNOOP\n");
}

/* B.13: lines ending in a bare LF are lines. */
static void bare_lf_line_endings(void **state)
{
    hostile *h = *state;
    hostile_start(h,
                  "on PWD raw 257 \"/lf\" is cwd\\n\n"
                  "on STAT raw 211-a\\n 211 x\\n211 b\\n\n");
    hostile_connect_login(h);

    const char *out = NULL;
    assert_int_equal(ftp_pwd(h->s, &out), FTP_OK);
    assert_string_equal(out, "/lf");
    assert_int_equal(ftp_sendcmd(h->s, "STAT", &out), FTP_OK);
    assert_string_equal(out, "211-a\n 211 x\n211 b");
    assert_int_equal(ftp_voidcmd(h->s, "NOOP"), FTP_OK);

    hostile_finish(h, HOSTILE_LOGIN "PWD\nSTAT\nNOOP\n");
}

/* B.14: a NUL byte inside a reply. */
static void nul_in_reply_breaks_session(void **state)
{
    noop_reply_scenario(*state, "reply 200 o\\0k", FTP_E_PROTO);
}

/* B.15: "2000 ok" must never be read as 200. */
static void four_digit_code_breaks_session(void **state)
{
    noop_reply_scenario(*state, "reply 2000 ok", FTP_E_PROTO);
}

/* B.15: a two-digit code. */
static void two_digit_code_breaks_session(void **state)
{
    noop_reply_scenario(*state, "reply 20 ok", FTP_E_PROTO);
}

/* B.15/16: 6xx is not a reply ftpc knows (no RFC 2228 security): FTP_E_PROTO.
 * Since API 0.2 a well-framed reply with such a code no longer breaks the
 * session (ftplib's error_proto): the next command reads its own reply. */
static void code_600_is_proto_and_keeps_step(void **state)
{
    hostile *h = *state;
    hostile_start(h, "on NOOP #1 reply 600 x\n");
    hostile_connect_login(h);
    assert_int_equal(ftp_voidcmd(h->s, "NOOP"), FTP_E_PROTO);
    assert_string_equal(ftp_last_reply(h->s), "600 x");
    assert_int_equal(ftp_voidcmd(h->s, "NOOP"), FTP_OK);
    hostile_finish(h, HOSTILE_LOGIN "NOOP\nNOOP\n");
}

/* B.15: a leading space before the code. */
static void leading_space_breaks_session(void **state)
{
    noop_reply_scenario(*state, "reply \\s200 ok", FTP_E_PROTO);
}

/* B.15: letters instead of a code. */
static void letters_instead_of_code_break_session(void **state)
{
    noop_reply_scenario(*state, "reply abc", FTP_E_PROTO);
}

/* B.17: two replies to one command.  The first answers NOOP; the second is
 * waiting when the next command is due, so that command is never sent. */
static void unsolicited_reply_breaks_session(void **state)
{
    hostile *h = *state;
    hostile_start(h, "on NOOP raw 200 ok\\r\\n200 surprise\\r\\n\n");
    hostile_connect_login(h);

    const char *out = NULL;
    assert_int_equal(ftp_voidcmd(h->s, "NOOP"), FTP_OK);
    assert_int_equal(ftp_pwd(h->s, &out), FTP_E_PROTO);
    assert_broken(h);

    hostile_finish(h, HOSTILE_LOGIN "NOOP\n");
}

/* B.17: a second reply right after the banner, before any command: USER
 * is never sent. */
static void reply_before_first_command_breaks_session(void **state)
{
    hostile *h = *state;
    hostile_start(h, "on CONNECT raw 220 hello\\r\\n230 you are in anyway\\r\\n\n");
    assert_int_equal(hostile_connect(h), FTP_OK);
    assert_int_equal(ftp_login(h->s, "user", "secret", NULL), FTP_E_PROTO);
    assert_broken(h);
    hostile_finish(h, "");
}

/* B.18: a reply delivered one byte at a time, 10 ms apart, is the same reply. */
static void reply_one_byte_at_a_time(void **state)
{
    hostile *h = *state;
    hostile_start(h, "on PWD slow 10 257 \"/slow\" is cwd\n");
    hostile_connect_login(h);

    const char *out = NULL;
    assert_int_equal(ftp_pwd(h->s, &out), FTP_OK);
    assert_string_equal(out, "/slow");
    assert_int_equal(ftp_voidcmd(h->s, "NOOP"), FTP_OK);

    hostile_finish(h, HOSTILE_LOGIN "PWD\nNOOP\n");
}

/* B.19: a multi-line 220 banner is the welcome text. */
static void banner_multiline_220(void **state)
{
    hostile *h = *state;
    hostile_start(h, "banner 220-Welcome\\r\\n220-to the\\r\\n220 server\n");
    hostile_connect_login(h);
    assert_non_null(ftp_getwelcome(h->s));
    assert_string_equal(ftp_getwelcome(h->s), "220-Welcome\n220-to the\n220 server");
    hostile_finish(h, HOSTILE_LOGIN);
}

/* B.19: "120 ready in a minute" is followed by the real 220. */
static void banner_120_then_220(void **state)
{
    hostile *h = *state;
    hostile_start(h,
                  "on CONNECT reply 120 ready in 1 minute\n"
                  "  delay 0.1\n"
                  "  reply 220 ready now\n");
    assert_int_equal(hostile_connect(h), FTP_OK);
    assert_int_equal(ftp_last_reply_code(h->s), 220);
    assert_int_equal(ftp_login(h->s, "user", "secret", NULL), FTP_OK);
    hostile_finish(h, HOSTILE_LOGIN);
}

/* B.19: a 421 banner: FTP_E_TEMP and no connection. */
static void banner_421(void **state)
{
    hostile *h = *state;
    hostile_start(h,
                  "on CONNECT reply 421 too many users\n"
                  "  close\n");
    assert_int_equal(hostile_connect(h), FTP_E_TEMP);
    assert_int_equal(ftp_last_reply_code(h->s), 421);
    assert_int_equal(ftp_voidcmd(h->s, "NOOP"), FTP_E_STATE);
    hostile_finish(h, "");
}

/* B.19: a 230 banner (already logged in) is accepted. */
static void banner_230(void **state)
{
    hostile *h = *state;
    hostile_start(h, "banner 230 you are already in\n"
                     "on PWD reply 257 \"/\"\n");
    assert_int_equal(hostile_connect(h), FTP_OK);
    const char *out = NULL;
    assert_int_equal(ftp_pwd(h->s, &out), FTP_OK);
    assert_string_equal(out, "/");
    hostile_finish(h, "PWD\n");
}

/* B.19: an HTTP server is not an FTP server. */
static void banner_http(void **state)
{
    hostile *h = *state;
    hostile_start(h,
                  "on CONNECT raw HTTP/1.1 400 Bad Request\\r\\nContent-Length: 0\\r\\n\\r\\n\n"
                  "  close\n");
    assert_int_equal(hostile_connect(h), FTP_E_PROTO);
    assert_int_equal(ftp_voidcmd(h->s, "NOOP"), FTP_E_STATE);
    hostile_finish(h, "");
}

/* B.20: a 550 with 60 KiB of text: the error sentence stays bounded, the
 * last reply keeps everything, and the session goes on. */
static void long_550_text_is_bounded_in_error(void **state)
{
    hostile *h = *state;
    hostile_start(h, "on DELE reply 550 %repeat[61440 x e]%\n");
    hostile_connect_login(h);

    assert_int_equal(ftp_delete(h->s, "f"), FTP_E_PERM);
    assert_int_equal(ftp_last_reply_code(h->s), 550);
    const char *reply = ftp_last_reply(h->s);
    assert_int_equal(strlen(reply), 4 + 61440);
    assert_memory_equal(reply, "550 eeee", 8);
    size_t error_len = strlen(ftp_last_error(h->s));
    assert_true(error_len > 0);
    assert_true(error_len < 8192);
    assert_int_equal(ftp_voidcmd(h->s, "NOOP"), FTP_OK);

    hostile_finish(h, HOSTILE_LOGIN "DELE f\nNOOP\n");
}

/* B.21: a never-ending reply to QUIT: ftp_quit returns (cap) and the
 * session is closed anyway. */
static void endless_reply_to_quit(void **state)
{
    hostile *h = *state;
    hostile_start(h, "on QUIT flood 50000000 221 bye bye bye \n");
    hostile_connect_login(h);

    assert_int_equal(ftp_quit(h->s), FTP_E_PROTO);
    assert_int_equal(ftp_voidcmd(h->s, "NOOP"), FTP_E_STATE);

    hostile_finish(h, HOSTILE_LOGIN "QUIT\n");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        HOSTILE_TEST(line_exactly_at_cap_is_accepted),
        HOSTILE_TEST(line_one_over_cap_breaks_session),
        HOSTILE_TEST(endless_bytes_without_lf),
        HOSTILE_TEST(reply_of_10000_lines_is_accepted),
        HOSTILE_TEST(reply_of_10001_lines_breaks_session),
        HOSTILE_TEST(reply_over_byte_cap_breaks_session),
        HOSTILE_TEST(inner_line_with_other_code_is_text),
        HOSTILE_TEST(inner_padding_lines_are_text),
        HOSTILE_TEST(bare_lf_line_endings),
        HOSTILE_TEST(nul_in_reply_breaks_session),
        HOSTILE_TEST(four_digit_code_breaks_session),
        HOSTILE_TEST(two_digit_code_breaks_session),
        HOSTILE_TEST(code_600_is_proto_and_keeps_step),
        HOSTILE_TEST(leading_space_breaks_session),
        HOSTILE_TEST(letters_instead_of_code_break_session),
        HOSTILE_TEST(unsolicited_reply_breaks_session),
        HOSTILE_TEST(reply_before_first_command_breaks_session),
        HOSTILE_TEST(reply_one_byte_at_a_time),
        HOSTILE_TEST(banner_multiline_220),
        HOSTILE_TEST(banner_120_then_220),
        HOSTILE_TEST(banner_421),
        HOSTILE_TEST(banner_230),
        HOSTILE_TEST(banner_http),
        HOSTILE_TEST(long_550_text_is_bounded_in_error),
        HOSTILE_TEST(endless_reply_to_quit),
    };
    return cmocka_run_group_tests_name("hostile: B. control-channel framing", tests, NULL, NULL);
}
