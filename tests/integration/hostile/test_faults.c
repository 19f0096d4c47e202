/*
 * Hostile-server scenarios, catalogue section F: timeouts, disconnects,
 * slow peers.  Each wait has a deadline (a few hundred ms here), a deadline
 * or a lost connection breaks the session, and ftp_connect() revives it.
 */
#include "hostile.h"

#include <pthread.h>
#include <time.h>

static void assert_broken(hostile *h)
{
    assert_int_equal(ftp_voidcmd(h->s, "NOOP"), FTP_E_STATE);
}

/* F.51: the data connection goes quiet mid-download: data idle timeout. */
static void data_stall_times_out(void **state)
{
    hostile *h = *state;
    hostile_start(h,
                  "on RETR reply 150 ok\n"
                  "  data the first part, and then nothing\n");
    assert_int_equal(ftp_set_phase_timeout_ms(h->s, FTP_TIMEOUT_DATA, 300), FTP_OK);
    hostile_connect_login(h);

    hostile_sink sink = {0};
    assert_int_equal(ftp_retrbinary(h->s, "RETR f", 0, 0, hostile_sink_fn, &sink), FTP_E_TIMEOUT);
    assert_string_equal(sink.data, "the first part, and then nothing");
    assert_broken(h);

    hostile_finish(h, HOSTILE_LOGIN "TYPE I\nEPSV\nRETR f\n");
}

/* F.59: the server never reads an upload: the writes stall, data timeout. */
static void upload_stall_times_out(void **state)
{
    hostile *h = *state;
    hostile_start(h,
                  "on STOR reply 150 send it\n"
                  "  dataopen\n");
    assert_int_equal(ftp_set_phase_timeout_ms(h->s, FTP_TIMEOUT_DATA, 300), FTP_OK);
    hostile_connect_login(h);

    hostile_source src = {NULL, 256u << 20, 0};
    assert_int_equal(ftp_storbinary(h->s, "STOR f", 0, 0, hostile_source_fn, &src),
                     FTP_E_TIMEOUT);
    assert_true(src.given < src.total);
    assert_broken(h);

    hostile_finish(h, HOSTILE_LOGIN "TYPE I\nEPSV\nSTOR f\n");
}

/* F.53: a reply delayed past the reply timeout. */
static void delayed_reply_times_out(void **state)
{
    hostile *h = *state;
    hostile_start(h,
                  "on CWD delay 1.5\n"
                  "  reply 250 too late\n");
    assert_int_equal(ftp_set_phase_timeout_ms(h->s, FTP_TIMEOUT_REPLY, 300), FTP_OK);
    hostile_connect_login(h);

    assert_int_equal(ftp_cwd(h->s, "dir"), FTP_E_TIMEOUT);
    assert_broken(h);

    hostile_finish(h, HOSTILE_LOGIN "CWD dir\n");
}

/* F.52/53: slowloris on the control connection: one byte every 50 ms keeps
 * any per-read timeout happy, but the reply deadline covers the whole reply. */
static void trickling_reply_times_out(void **state)
{
    hostile *h = *state;
    hostile_start(h, "on PWD slow 50 257 \"/a/rather/long/path/that/trickles/in\" is cwd\n");
    assert_int_equal(ftp_set_phase_timeout_ms(h->s, FTP_TIMEOUT_REPLY, 500), FTP_OK);
    hostile_connect_login(h);

    const char *out = NULL;
    assert_int_equal(ftp_pwd(h->s, &out), FTP_E_TIMEOUT);
    assert_broken(h);

    hostile_finish(h, HOSTILE_LOGIN "PWD\n");
}

/* F.54: the server closes the control connection half-way through a reply. */
static void control_closed_mid_reply(void **state)
{
    hostile *h = *state;
    hostile_start(h, "on PWD closeafter 6 257 \"/x\" is cwd\n");
    hostile_connect_login(h);

    const char *out = NULL;
    assert_int_equal(ftp_pwd(h->s, &out), FTP_E_CLOSED);
    assert_broken(h);

    hostile_finish(h, HOSTILE_LOGIN "PWD\n");
}

/* F.54: the server closes the control connection instead of replying. */
static void control_closed_instead_of_reply(void **state)
{
    hostile *h = *state;
    hostile_start(h, "on CWD close\n");
    hostile_connect_login(h);

    assert_int_equal(ftp_cwd(h->s, "dir"), FTP_E_CLOSED);
    assert_broken(h);

    hostile_finish(h, HOSTILE_LOGIN "CWD dir\n");
}

/* F.54: the control connection closes mid-download (the data connection
 * goes with it): the final reply can never come, FTP_E_CLOSED, broken. */
static void control_closed_mid_transfer(void **state)
{
    hostile *h = *state;
    hostile_start(h,
                  "on RETR reply 150 ok\n"
                  "  data some of it\n"
                  "  close\n");
    hostile_connect_login(h);

    hostile_sink sink = {0};
    assert_int_equal(ftp_retrbinary(h->s, "RETR f", 0, 0, hostile_sink_fn, &sink), FTP_E_CLOSED);
    assert_broken(h);

    hostile_finish(h, HOSTILE_LOGIN "TYPE I\nEPSV\nRETR f\n");
}

/* F.55: the data connection is reset mid-download and the server gives
 * its reason, 426: that reply is the error, and the session goes on. */
static void data_reset_mid_download(void **state)
{
    hostile *h = *state;
    hostile_start(h,
                  "on RETR reply 150 ok\n"
                  "  data some of it\n"
                  "  datarst\n"
                  "  reply 426 Connection reset; transfer aborted\n");
    hostile_connect_login(h);

    hostile_sink sink = {0};
    assert_int_equal(ftp_retrbinary(h->s, "RETR f", 0, 0, hostile_sink_fn, &sink), FTP_E_TEMP);
    assert_int_equal(ftp_last_reply_code(h->s), 426);
    assert_int_equal(ftp_voidcmd(h->s, "NOOP"), FTP_OK);

    hostile_finish(h, HOSTILE_LOGIN "TYPE I\nEPSV\nRETR f\nNOOP\n");
}

/* F.55: a reset control connection: FTP_E_IO (or FTP_E_CLOSED), no SIGPIPE. */
static void control_reset(void **state)
{
    hostile *h = *state;
    hostile_start(h, "on PWD rst\n");
    hostile_connect_login(h);

    const char *out = NULL;
    int rc = ftp_pwd(h->s, &out);
    if (rc != FTP_E_IO && rc != FTP_E_CLOSED)
        fail_msg("ftp_pwd after RST returned %s, expected FTP_E_IO or FTP_E_CLOSED",
                 ftp_error_name(rc));
    assert_broken(h);

    hostile_finish(h, HOSTILE_LOGIN "PWD\n");
}

/* F.56: 421 to an ordinary command breaks the session even though this
 * server keeps the connection open; ftp_connect() revives it. */
static void reply_421_breaks_then_reconnect(void **state)
{
    hostile *h = *state;
    hostile_start(h,
                  "on CWD reply 421 Service not available, closing control connection\n"
                  "on CONNECT #2 reply 220 welcome back\n");
    hostile_connect_login(h);

    assert_int_equal(ftp_cwd(h->s, "dir"), FTP_E_TEMP);
    assert_int_equal(ftp_last_reply_code(h->s), 421);
    assert_broken(h);

    hostile_connect_login(h);
    assert_string_equal(ftp_getwelcome(h->s), "220 welcome back");
    assert_int_equal(ftp_voidcmd(h->s, "NOOP"), FTP_OK);

    hostile_finish(h, HOSTILE_LOGIN "CWD dir\n" HOSTILE_LOGIN "NOOP\n");
}

/* F.57: the port accepts TCP but never sends a banner. */
static void no_banner_times_out(void **state)
{
    hostile *h = *state;
    hostile_start(h, "on CONNECT noreply\n");
    assert_int_equal(ftp_set_phase_timeout_ms(h->s, FTP_TIMEOUT_REPLY, 300), FTP_OK);

    assert_int_equal(hostile_connect(h), FTP_E_TIMEOUT);
    assert_null(ftp_getwelcome(h->s));
    assert_int_equal(ftp_voidcmd(h->s, "NOOP"), FTP_E_STATE);

    hostile_finish(h, "");
}

/* B.21: QUIT is never answered: ftp_quit() gives up after the close
 * timeout and the session is closed anyway. */
static void quit_without_reply_times_out(void **state)
{
    hostile *h = *state;
    hostile_start(h, "on QUIT noreply\n");
    assert_int_equal(ftp_set_phase_timeout_ms(h->s, FTP_TIMEOUT_CLOSE, 300), FTP_OK);
    hostile_connect_login(h);

    assert_int_equal(ftp_quit(h->s), FTP_E_TIMEOUT);
    assert_int_equal(ftp_voidcmd(h->s, "NOOP"), FTP_E_STATE);
    assert_null(ftp_getwelcome(h->s));

    hostile_finish(h, HOSTILE_LOGIN "QUIT\n");
}

static void *cancel_after_200_ms(void *session)
{
    struct timespec pause = {0, 200 * 1000 * 1000};
    nanosleep(&pause, NULL);
    ftp_cancel(session);
    return NULL;
}

/* ftp_cancel() from another thread while the server sits on a reply:
 * FTP_E_CANCELLED long before the (10 s) reply timeout, then broken.  A
 * cancel that came before the wait would break it at its first wait, so
 * the outcome does not depend on thread timing. */
static void cancel_from_thread_during_stalled_reply(void **state)
{
    hostile *h = *state;
    hostile_start(h, "on PWD noreply\n");
    assert_int_equal(ftp_set_phase_timeout_ms(h->s, FTP_TIMEOUT_REPLY, 10000), FTP_OK);
    hostile_connect_login(h);

    pthread_t canceller;
    assert_int_equal(pthread_create(&canceller, NULL, cancel_after_200_ms, h->s), 0);
    const char *out = NULL;
    int rc = ftp_pwd(h->s, &out);
    pthread_join(canceller, NULL);
    assert_int_equal(rc, FTP_E_CANCELLED);
    assert_broken(h);

    hostile_finish(h, HOSTILE_LOGIN "PWD\n");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        HOSTILE_TEST(data_stall_times_out),
        HOSTILE_TEST(upload_stall_times_out),
        HOSTILE_TEST(delayed_reply_times_out),
        HOSTILE_TEST(trickling_reply_times_out),
        HOSTILE_TEST(control_closed_mid_reply),
        HOSTILE_TEST(control_closed_instead_of_reply),
        HOSTILE_TEST(control_closed_mid_transfer),
        HOSTILE_TEST(data_reset_mid_download),
        HOSTILE_TEST(control_reset),
        HOSTILE_TEST(reply_421_breaks_then_reconnect),
        HOSTILE_TEST(no_banner_times_out),
        HOSTILE_TEST(quit_without_reply_times_out),
        HOSTILE_TEST(cancel_from_thread_during_stalled_reply),
    };
    return cmocka_run_group_tests_name("hostile: F. timeouts and disconnects", tests, NULL, NULL);
}
