/*
 * Hostile-server scenarios, catalogue section E: transfer lifecycle and
 * reply ordering.  Success means all the data and a 2xx final reply; a
 * refused or failed transfer reports the server's code and, when the
 * replies are all read, leaves the session usable.
 */
#include "hostile.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int retr(hostile *h, const char *cmd, hostile_sink *sink)
{
    return ftp_retrbinary(h->s, cmd, 0, 0, hostile_sink_fn, sink);
}

/* E.39: 125 instead of 150 is a fine preliminary reply. */
static void preliminary_125(void **state)
{
    hostile *h = *state;
    hostile_start(h,
                  "on RETR reply 125 Data connection already open; transfer starting\n"
                  "  data payload\n"
                  "  dataclose\n"
                  "  reply 226 done\n");
    hostile_connect_login(h);

    hostile_sink sink = {0};
    assert_int_equal(retr(h, "RETR f", &sink), FTP_OK);
    assert_string_equal(sink.data, "payload");

    hostile_finish(h, HOSTILE_LOGIN "TYPE I\nEPSV\nRETR f\n");
}

/* E.40: 150 and 226 arrive together before any data byte: every byte is
 * still delivered, then success. */
static void replies_150_and_226_before_data(void **state)
{
    hostile *h = *state;
    hostile_start(h,
                  "on RETR raw 150 here\\r\\n226 already done\\r\\n\n"
                  "  delay 0.1\n"
                  "  data late but complete\n"
                  "  dataclose\n");
    hostile_connect_login(h);

    hostile_sink sink = {0};
    assert_int_equal(retr(h, "RETR f", &sink), FTP_OK);
    assert_string_equal(sink.data, "late but complete");
    assert_int_equal(ftp_voidcmd(h->s, "NOOP"), FTP_OK);

    hostile_finish(h, HOSTILE_LOGIN "TYPE I\nEPSV\nRETR f\nNOOP\n");
}

/* E.41: RETR refused with 550: FTP_E_PERM, the reply on the handle, and
 * the next command gets its own reply. */
static void retr_550_then_next_command_works(void **state)
{
    hostile *h = *state;
    hostile_start(h, "on RETR reply 550 No such file\n");
    hostile_connect_login(h);

    hostile_sink sink = {0};
    assert_int_equal(retr(h, "RETR missing", &sink), FTP_E_PERM);
    assert_int_equal(ftp_last_reply_code(h->s), 550);
    assert_string_equal(ftp_last_reply(h->s), "550 No such file");
    assert_int_equal(ftp_voidcmd(h->s, "NOOP"), FTP_OK);
    assert_string_equal(ftp_last_reply(h->s), "200 ok");

    hostile_finish(h, HOSTILE_LOGIN "TYPE I\nEPSV\nRETR missing\nNOOP\n");
}

/* E.42: data ended cleanly, but the final reply is @p final. */
static void final_reply_scenario(hostile *h, const char *final, int rc)
{
    char script[256];
    snprintf(script, sizeof script,
             "on RETR reply 150 ok\n"
             "  data all of it\n"
             "  dataclose\n"
             "  reply %s\n",
             final);
    hostile_start(h, script);
    hostile_connect_login(h);

    hostile_sink sink = {0};
    assert_int_equal(retr(h, "RETR f", &sink), rc);
    assert_string_equal(sink.data, "all of it");
    assert_int_equal(ftp_voidcmd(h->s, "NOOP"), FTP_OK);

    hostile_finish(h, HOSTILE_LOGIN "TYPE I\nEPSV\nRETR f\nNOOP\n");
}

static void clean_eof_then_426(void **state)
{
    final_reply_scenario(*state, "426 Connection closed; transfer aborted", FTP_E_TEMP);
}

static void clean_eof_then_451(void **state)
{
    final_reply_scenario(*state, "451 Local error in processing", FTP_E_TEMP);
}

static void clean_eof_then_552(void **state)
{
    final_reply_scenario(*state, "552 Exceeded storage allocation", FTP_E_PERM);
}

/* E.44: the server takes 1000 bytes of an upload, resets the data
 * connection and says 552: that reply is the error, no SIGPIPE, and the
 * session goes on. */
static void upload_552_mid_stream(void **state)
{
    hostile *h = *state;
    hostile_start(h,
                  "on STOR reply 150 Ok to send data\n"
                  "  datarecvclose 1000\n"
                  "  reply 552 Disk full\n");
    hostile_connect_login(h);

    hostile_source src = {NULL, 8u << 20, 0};
    assert_int_equal(ftp_storbinary(h->s, "STOR big", 0, 0, hostile_source_fn, &src),
                     FTP_E_PERM);
    assert_int_equal(ftp_last_reply_code(h->s), 552);
    assert_int_equal(ftp_voidcmd(h->s, "NOOP"), FTP_OK);

    hostile_finish(h, HOSTILE_LOGIN "TYPE I\nEPSV\nSTOR big\n"
                                    "# received 1000 bytes then reset the data connection\n"
                                    "NOOP\n");
}

/* Uploads arrive complete: binary as is, text with LF turned into CRLF.
 * (sha256("hello world") and sha256("one\r\ntwo\r\nthree\r\n")) */
static void uploads_arrive_complete(void **state)
{
    hostile *h = *state;
    hostile_start(h, "on STOR store\n");
    hostile_connect_login(h);

    hostile_source bin = {"hello world", 0, 0};
    assert_int_equal(ftp_storbinary(h->s, "STOR a.bin", 4, 0, hostile_source_fn, &bin), FTP_OK);
    hostile_source text = {"one\ntwo\r\nthree\n", 0, 0};
    assert_int_equal(ftp_storlines(h->s, "STOR a.txt", hostile_source_fn, &text), FTP_OK);
    /* The last line without LF (or with a lone CR) still ends in CRLF. */
    hostile_source open_line = {"one\ntwo\r\nthree\nfour", 0, 0};
    assert_int_equal(ftp_storlines(h->s, "STOR b.txt", hostile_source_fn, &open_line), FTP_OK);
    hostile_source lone_cr = {"five\r", 0, 0};
    assert_int_equal(ftp_storlines(h->s, "STOR c.txt", hostile_source_fn, &lone_cr), FTP_OK);

    hostile_finish(h, HOSTILE_LOGIN
                   "TYPE I\nEPSV\nSTOR a.bin\n"
                   "# received 11 bytes sha256 "
                   "b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9\n"
                   "TYPE A\nEPSV\nSTOR a.txt\n"
                   "# received 17 bytes sha256 "
                   "9fc4c6bdc7e5374b75e38fa9e1097577399bb74f1ccc33b1712d53a26d02c09a\n"
                   "EPSV\nSTOR b.txt\n"
                   "# received 23 bytes sha256 "
                   "0b0f8ca4c3a7f82f7946d3033176c3d5eadf8a75026c3dc77d5fe4152c9d5558\n"
                   "EPSV\nSTOR c.txt\n"
                   "# received 6 bytes sha256 "
                   "24fe4431a6c837da18bd1b71f8f96628c4e4c950d8cb8b05b5c01b7492f9f81c\n");
}

/* E.45: data done, but no final reply ever comes: reply timeout, broken. */
static void no_final_reply_times_out(void **state)
{
    hostile *h = *state;
    hostile_start(h,
                  "on RETR reply 150 ok\n"
                  "  data everything\n"
                  "  dataclose\n");
    assert_int_equal(ftp_set_phase_timeout_ms(h->s, FTP_TIMEOUT_REPLY, 500), FTP_OK);
    hostile_connect_login(h);

    hostile_sink sink = {0};
    assert_int_equal(retr(h, "RETR f", &sink), FTP_E_TIMEOUT);
    assert_int_equal(ftp_voidcmd(h->s, "NOOP"), FTP_E_STATE);

    hostile_finish(h, HOSTILE_LOGIN "TYPE I\nEPSV\nRETR f\n");
}

/* E.47: REST refused: the error, no RETR (no silent restart from 0), and
 * the session goes on.  The passive connection is made before REST. */
static void rest_refused(void **state)
{
    hostile *h = *state;
    hostile_start(h, "on REST reply 501 REST not allowed\n");
    hostile_connect_login(h);

    hostile_sink sink = {0};
    assert_int_equal(ftp_retrbinary(h->s, "RETR f", 0, 100, hostile_sink_fn, &sink), FTP_E_PERM);
    assert_int_equal(sink.calls, 0);
    assert_int_equal(ftp_voidcmd(h->s, "NOOP"), FTP_OK);

    hostile_finish(h, HOSTILE_LOGIN "TYPE I\nEPSV\nREST 100\nNOOP\n");
}

/* E.48: TYPE refused: nothing more for that transfer. */
static void type_refused(void **state)
{
    hostile *h = *state;
    hostile_start(h, "on TYPE reply 504 Type not implemented\n");
    hostile_connect_login(h);

    hostile_sink sink = {0};
    assert_int_equal(retr(h, "RETR f", &sink), FTP_E_PERM);
    assert_int_equal(ftp_voidcmd(h->s, "NOOP"), FTP_OK);

    hostile_finish(h, HOSTILE_LOGIN "TYPE I\nNOOP\n");
}

/* E.49: a 200 before the 150 of LIST is tolerated once, as ftplib does. */
static void reply_200_before_150_on_list(void **state)
{
    hostile *h = *state;
    hostile_start(h,
                  "on LIST reply 200 PORT-ish chatter\n"
                  "  reply 150 Here comes the listing\n"
                  "  data -rw-r--r-- 1 u g 5 Jan 1 00:00 a\\r\\n\n"
                  "  dataclose\n"
                  "  reply 226 done\n");
    hostile_connect_login(h);

    hostile_lines lines = {0};
    assert_int_equal(ftp_dir(h->s, NULL, hostile_line_fn, &lines), FTP_OK);
    assert_string_equal(lines.text, "-rw-r--r-- 1 u g 5 Jan 1 00:00 a\n");
    assert_int_equal(ftp_voidcmd(h->s, "NOOP"), FTP_OK);

    hostile_finish(h, HOSTILE_LOGIN "TYPE A\nEPSV\nLIST\nNOOP\n");
}

/* E.50: a failed transfer followed by a good one: the second reads its own
 * replies, not a stale one. */
static void failed_then_good_transfer(void **state)
{
    hostile *h = *state;
    hostile_start(h,
                  "on RETR #1 reply 150 ok\n"
                  "  data part\n"
                  "  dataclose\n"
                  "  reply 451 aborted by local error\n"
                  "on RETR #2 serve second\n");
    hostile_connect_login(h);

    hostile_sink sink = {0};
    assert_int_equal(retr(h, "RETR a", &sink), FTP_E_TEMP);
    hostile_sink second = {0};
    assert_int_equal(retr(h, "RETR b", &second), FTP_OK);
    assert_string_equal(second.data, "second");
    assert_int_equal(ftp_last_reply_code(h->s), 226);

    hostile_finish(h, HOSTILE_LOGIN "TYPE I\nEPSV\nRETR a\nEPSV\nRETR b\n");
}

/* Regression (speed work): past its first MiB a download asks the kernel to
 * wake it only once 256 KiB have arrived (SO_RCVLOWAT), which must not hold
 * back a slow sender's bytes: after 1.1 MB at full speed, each piece below
 * arrives within the data timeout of the previous one, but the rest of the
 * file takes longer than that timeout.  A reader that slept until the mark
 * or the end would time out; ftpc looks again every few milliseconds, so
 * both download paths get every byte. */
#define TRICKLE_FLOOD 1100000
static const char trickle_script[] = "on RETR reply 150 ok\n"
                                     "  dataflood 1100000 x\n"
                                     "  data first,\n"
                                     "  delay 0.6\n"
                                     "  data second,\n"
                                     "  delay 0.6\n"
                                     "  data third\n"
                                     "  dataclose\n"
                                     "  reply 226 done\n";

static void bulk_reads_still_take_a_trickle(void **state)
{
    hostile *h = *state;
    hostile_start(h, trickle_script);
    hostile_connect_login(h);
    assert_int_equal(ftp_set_phase_timeout_ms(h->s, FTP_TIMEOUT_DATA, 1000), FTP_OK);

    hostile_sink sink = {0};
    assert_int_equal(ftp_retrbinary(h->s, "RETR slow", 65536, 0, hostile_sink_fn, &sink), FTP_OK);
    assert_int_equal(sink.total, TRICKLE_FLOOD + 18);

    char path[] = "/tmp/ftpc-trickle-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    unlink(path);
    assert_int_equal(ftp_retr_fd(h->s, "RETR slow", 0, fd), FTP_OK);
    char got[64] = {0};
    assert_int_equal(pread(fd, got, sizeof got - 1, TRICKLE_FLOOD), 18);
    assert_string_equal(got, "first,second,third");
    close(fd);

    hostile_finish(h, HOSTILE_LOGIN "TYPE I\nEPSV\nRETR slow\nEPSV\nRETR slow\n");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        HOSTILE_TEST(preliminary_125),
        HOSTILE_TEST(replies_150_and_226_before_data),
        HOSTILE_TEST(retr_550_then_next_command_works),
        HOSTILE_TEST(clean_eof_then_426),
        HOSTILE_TEST(clean_eof_then_451),
        HOSTILE_TEST(clean_eof_then_552),
        HOSTILE_TEST(upload_552_mid_stream),
        HOSTILE_TEST(uploads_arrive_complete),
        HOSTILE_TEST(no_final_reply_times_out),
        HOSTILE_TEST(rest_refused),
        HOSTILE_TEST(type_refused),
        HOSTILE_TEST(reply_200_before_150_on_list),
        HOSTILE_TEST(failed_then_good_transfer),
        HOSTILE_TEST(bulk_reads_still_take_a_trickle),
    };
    return cmocka_run_group_tests_name("hostile: E. transfer lifecycle", tests, NULL, NULL);
}
