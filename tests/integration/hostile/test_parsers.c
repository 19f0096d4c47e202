/*
 * Hostile-server scenarios, catalogue section C: reply payload parsers
 * (257 paths, 213 sizes, the 150 size hint).  A malformed payload in a
 * well-framed reply is FTP_E_PROTO, and the session stays usable because
 * command and reply are still in step.
 */
#include "hostile.h"

#include <string.h>

/* C.24: doubled quotes inside the quoted path stand for one quote. */
static void pwd_doubled_quotes_are_undone(void **state)
{
    hostile *h = *state;
    hostile_start(h,
                  "on PWD reply 257 \"/a\"\"b\" is current directory\n"
                  "on MKD reply 257 \"/new\"\"dir\"\"\" created\n");
    hostile_connect_login(h);

    const char *out = NULL;
    assert_int_equal(ftp_pwd(h->s, &out), FTP_OK);
    assert_string_equal(out, "/a\"b");
    assert_int_equal(ftp_mkd(h->s, "new\"dir\"", &out), FTP_OK);
    assert_string_equal(out, "/new\"dir\"");

    hostile_finish(h, HOSTILE_LOGIN "PWD\nMKD new\"dir\"\n");
}

/* C.24: `257 ""` is the empty path; a 257 without ` "` after the code (even
 * with a quoted path later on) gives "" too, as ftplib's parse257 does. */
static void pwd_empty_and_unquoted(void **state)
{
    hostile *h = *state;
    hostile_start(h,
                  "on PWD #1 reply 257 \"\"\n"
                  "on PWD #2 reply 257 rubbish\n"
                  "on PWD #3 reply 257 rubbish \"/p\"\n");
    hostile_connect_login(h);

    const char *out = NULL;
    assert_int_equal(ftp_pwd(h->s, &out), FTP_OK);
    assert_string_equal(out, "");
    out = NULL;
    assert_int_equal(ftp_pwd(h->s, &out), FTP_OK);
    assert_string_equal(out, "");
    out = NULL;
    assert_int_equal(ftp_pwd(h->s, &out), FTP_OK);
    assert_string_equal(out, "");

    hostile_finish(h, HOSTILE_LOGIN "PWD\nPWD\nPWD\n");
}

/* C.23: an unterminated quoted path is an error, never an over-read; the
 * session goes on. */
static void pwd_unterminated_quote(void **state)
{
    hostile *h = *state;
    hostile_start(h, "on PWD reply 257 \"/abc\n");
    hostile_connect_login(h);

    const char *out = NULL;
    assert_int_equal(ftp_pwd(h->s, &out), FTP_E_PROTO);
    assert_null(out);
    assert_int_equal(ftp_voidcmd(h->s, "NOOP"), FTP_OK);

    hostile_finish(h, HOSTILE_LOGIN "PWD\nNOOP\n");
}

/* C.25 and A.4: control characters (ETX, a bare CR) in the quoted path are
 * refused, so they can never be echoed into a later command. */
static void pwd_control_characters_refused(void **state)
{
    hostile *h = *state;
    hostile_start(h,
                  "on PWD #1 reply 257 \"/a\\x03b\" ok\n"
                  "on PWD #2 reply 257 \"/a\\rDELE b\" ok\n");
    hostile_connect_login(h);

    const char *out = NULL;
    assert_int_equal(ftp_pwd(h->s, &out), FTP_E_PROTO);
    assert_int_equal(ftp_voidcmd(h->s, "NOOP"), FTP_OK);
    assert_int_equal(ftp_pwd(h->s, &out), FTP_E_PROTO);
    assert_int_equal(ftp_voidcmd(h->s, "NOOP"), FTP_OK);
    assert_null(out);

    hostile_finish(h, HOSTILE_LOGIN "PWD\nNOOP\nPWD\nNOOP\n");
}

/* C.26: SIZE must be "213 <digits>" that fit 64 bits; everything else is
 * FTP_E_PROTO with the session intact, and the out-parameter untouched. */
static void size_strict_unsigned_decimal(void **state)
{
    hostile *h = *state;
    hostile_start(h,
                  "on SIZE #1 reply 213 51\n"
                  "on SIZE #2 reply 213 18446744073709551615\n"
                  "on SIZE #3 reply 213 18446744073709551616\n"
                  "on SIZE #4 reply 213 99999999999999999999\n"
                  "on SIZE #5 reply 213 -5\n"
                  "on SIZE #6 reply 213 12abc\n"
                  "on SIZE #7 reply 213 file: 213, Size =51\n"
                  "on SIZE #8 reply 213\n");
    hostile_connect_login(h);

    uint64_t size = 7;
    assert_int_equal(ftp_size(h->s, "f", &size), FTP_OK);
    assert_true(size == 51);
    assert_int_equal(ftp_size(h->s, "f", &size), FTP_OK);
    assert_true(size == UINT64_MAX);
    size = 7;
    for (int i = 3; i <= 8; i++) {
        assert_int_equal(ftp_size(h->s, "f", &size), FTP_E_PROTO);
        assert_true(size == 7);
    }
    assert_int_equal(ftp_voidcmd(h->s, "NOOP"), FTP_OK);

    hostile_finish(h, HOSTILE_LOGIN "SIZE f\nSIZE f\nSIZE f\nSIZE f\n"
                                    "SIZE f\nSIZE f\nSIZE f\nSIZE f\nNOOP\n");
}

/* C.26: a 2xx other than 213 is FTP_E_REPLY; a 550 is FTP_E_PERM. */
static void size_other_replies(void **state)
{
    hostile *h = *state;
    hostile_start(h,
                  "on SIZE #1 reply 200 51\n"
                  "on SIZE #2 reply 550 not a plain file\n");
    hostile_connect_login(h);

    uint64_t size = 0;
    assert_int_equal(ftp_size(h->s, "f", &size), FTP_E_REPLY);
    assert_int_equal(ftp_size(h->s, "d", &size), FTP_E_PERM);
    assert_string_equal(ftp_last_reply(h->s), "550 not a plain file");
    assert_int_equal(ftp_voidcmd(h->s, "NOOP"), FTP_OK);

    hostile_finish(h, HOSTILE_LOGIN "SIZE f\nSIZE d\nNOOP\n");
}

/* Reads a stream to EOF into @p sink. */
static void read_stream(ftp_data *d, hostile_sink *sink)
{
    char buf[256];
    size_t n = 0;
    for (int guard = 0; guard < 1000; guard++) {
        assert_int_equal(ftp_data_read(d, buf, sizeof buf, &n), FTP_OK);
        if (n == 0)
            return;
        hostile_sink_fn(buf, n, sink);
    }
    fail_msg("the stream never ended");
}

/* C.28: the 150 size hint is advisory: parsed when well-formed, otherwise
 * FTP_SIZE_UNKNOWN, and never a reason to fail. */
static void size_hint_in_150(void **state)
{
    hostile *h = *state;
    hostile_start(h,
                  "on RETR #1 reply 150 Opening BINARY mode data connection for a (1234 bytes)\n"
                  "  data hello\n"
                  "  dataclose\n"
                  "  reply 226 done\n"
                  "on RETR #2 reply 150 Opening data connection (lots of bytes)\n"
                  "  data world\n"
                  "  dataclose\n"
                  "  reply 226 done\n"
                  "on RETR #3 reply 150 Opening (99999999999999999999 bytes)\n"
                  "  data !\n"
                  "  dataclose\n"
                  "  reply 226 done\n");
    hostile_connect_login(h);
    assert_int_equal(ftp_voidcmd(h->s, "TYPE I"), FTP_OK);

    ftp_data *d = NULL;
    uint64_t size = 0;
    hostile_sink sink = {0};
    assert_int_equal(ftp_transfercmd(h->s, "RETR a", 0, &d, &size), FTP_OK);
    assert_true(size == 1234);
    read_stream(d, &sink);
    assert_int_equal(ftp_data_close(d), FTP_OK);

    assert_int_equal(ftp_transfercmd(h->s, "RETR b", 0, &d, &size), FTP_OK);
    assert_true(size == FTP_SIZE_UNKNOWN);
    read_stream(d, &sink);
    assert_int_equal(ftp_data_close(d), FTP_OK);

    size = 0;
    assert_int_equal(ftp_transfercmd(h->s, "RETR c", 0, &d, &size), FTP_OK);
    assert_true(size == FTP_SIZE_UNKNOWN);
    read_stream(d, &sink);
    assert_int_equal(ftp_data_close(d), FTP_OK);
    assert_string_equal(sink.data, "helloworld!");

    hostile_finish(h, HOSTILE_LOGIN "TYPE I\nEPSV\nRETR a\nEPSV\nRETR b\nEPSV\nRETR c\n");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        HOSTILE_TEST(pwd_doubled_quotes_are_undone),
        HOSTILE_TEST(pwd_empty_and_unquoted),
        HOSTILE_TEST(pwd_unterminated_quote),
        HOSTILE_TEST(pwd_control_characters_refused),
        HOSTILE_TEST(size_strict_unsigned_decimal),
        HOSTILE_TEST(size_other_replies),
        HOSTILE_TEST(size_hint_in_150),
    };
    return cmocka_run_group_tests_name("hostile: C. reply payload parsers", tests, NULL, NULL);
}
