/*
 * Hostile-server scenarios, catalogue section G: ABOR.  ftp_abort() and
 * the library's own abort (a callback returning nonzero) send Telnet IP and
 * Synch then ABOR (the server strips the Telnet bytes, so the transcript
 * says "ABOR"), close the data connection and read every reply: 426 then
 * 226/225, or 225/226 alone.
 *
 * The transfers here stream up to 64 MiB, far more than socket buffers
 * hold, so the server is still sending when the abort comes.
 */
#include "hostile.h"

#include <string.h>

#define STREAMING_RETR                        \
    "on RETR reply 150 Opening data connection\n" \
    "  dataflood 67108864 0123456789abcdef\n"

/* Opens "RETR f" as a stream (TYPE I first) and reads one block of it. */
/* G.60: ABOR mid-transfer, answered 426 then 226: both consumed, and the
 * next command reads its own reply. */
static void abor_426_then_226(void **state)
{
    hostile *h = *state;
    hostile_start(h, STREAMING_RETR
                  "on ABOR reply 426 Connection closed; transfer aborted\n"
                  "  reply 226 Abort successful\n");
    hostile_connect_login(h);

    hostile_open_and_read_some(h);
    assert_int_equal(ftp_abort(h->s), FTP_OK);
    assert_int_equal(ftp_last_reply_code(h->s), 226);
    assert_int_equal(ftp_voidcmd(h->s, "NOOP"), FTP_OK);
    assert_string_equal(ftp_last_reply(h->s), "200 ok");

    hostile_finish(h, HOSTILE_LOGIN "TYPE I\nEPSV\nRETR f\nABOR\nNOOP\n");
}

/* G.61: 426 followed by 225 is the other accepted pair. */
static void abor_426_then_225(void **state)
{
    hostile *h = *state;
    hostile_start(h, STREAMING_RETR
                  "on ABOR reply 426 Transfer aborted\n"
                  "  reply 225 ABOR command successful\n");
    hostile_connect_login(h);

    hostile_open_and_read_some(h);
    assert_int_equal(ftp_abort(h->s), FTP_OK);
    assert_int_equal(ftp_voidcmd(h->s, "NOOP"), FTP_OK);

    hostile_finish(h, HOSTILE_LOGIN "TYPE I\nEPSV\nRETR f\nABOR\nNOOP\n");
}

/* G.61: ftp_abort() with no transfer at all: a lone 225. */
static void abort_without_transfer_225(void **state)
{
    hostile *h = *state;
    hostile_start(h, "on ABOR reply 225 No transfer to abort\n");
    hostile_connect_login(h);

    assert_int_equal(ftp_abort(h->s), FTP_OK);
    assert_int_equal(ftp_last_reply_code(h->s), 225);
    assert_int_equal(ftp_voidcmd(h->s, "NOOP"), FTP_OK);

    hostile_finish(h, HOSTILE_LOGIN "ABOR\nNOOP\n");
}

/* G.61: ABOR after the data already ended and before the final reply: the
 * server answers with a lone 226.  Whether another reply follows cannot be
 * told from timing, so the library marks the end with a NOOP of its own and
 * reads up to that NOOP's 200 before the caller's NOOP goes out. */
static void abor_after_data_end_lone_226(void **state)
{
    hostile *h = *state;
    hostile_start(h,
                  "on RETR reply 150 ok\n"
                  "  data short\n"
                  "  dataclose\n"
                  "on ABOR reply 226 Transfer complete\n");
    hostile_connect_login(h);

    ftp_data *d = hostile_open_and_read_some(h);
    char buf[64];
    size_t n = 1;
    for (int guard = 0; guard < 100 && n > 0; guard++)
        assert_int_equal(ftp_data_read(d, buf, sizeof buf, &n), FTP_OK);
    assert_int_equal(n, 0);
    assert_int_equal(ftp_abort(h->s), FTP_OK);
    assert_int_equal(ftp_voidcmd(h->s, "NOOP"), FTP_OK);

    hostile_finish(h, HOSTILE_LOGIN "TYPE I\nEPSV\nRETR f\nABOR\nNOOP\nNOOP\n");
}

/* G.63: the server ignores ABOR: the close timeout fires, broken. */
static void abor_ignored_times_out(void **state)
{
    hostile *h = *state;
    hostile_start(h, STREAMING_RETR "on ABOR noreply\n");
    assert_int_equal(ftp_set_phase_timeout_ms(h->s, FTP_TIMEOUT_CLOSE, 300), FTP_OK);
    hostile_connect_login(h);

    hostile_open_and_read_some(h);
    assert_int_equal(ftp_abort(h->s), FTP_E_TIMEOUT);
    assert_int_equal(ftp_voidcmd(h->s, "NOOP"), FTP_E_STATE);

    hostile_finish(h, HOSTILE_LOGIN "TYPE I\nEPSV\nRETR f\nABOR\n");
}

/* G.61: a reply to ABOR that is none of 225/226/426: FTP_E_PROTO, broken. */
static void abor_answered_500_breaks_session(void **state)
{
    hostile *h = *state;
    hostile_start(h, STREAMING_RETR "on ABOR reply 500 ABOR? never heard of it\n");
    hostile_connect_login(h);

    hostile_open_and_read_some(h);
    assert_int_equal(ftp_abort(h->s), FTP_E_PROTO);
    assert_int_equal(ftp_voidcmd(h->s, "NOOP"), FTP_E_STATE);

    hostile_finish(h, HOSTILE_LOGIN "TYPE I\nEPSV\nRETR f\nABOR\n");
}

/* G.60 via a callback (J.87): the sink says stop after the first block:
 * FTP_E_ABORTED, ABOR with its two replies read, the session usable. */
static void callback_abort_mid_retr(void **state)
{
    hostile *h = *state;
    hostile_start(h, STREAMING_RETR
                  "on ABOR reply 426 Transfer aborted\n"
                  "  reply 226 Abort successful\n");
    hostile_connect_login(h);

    hostile_sink sink = {0};
    sink.stop_after = 1;
    assert_int_equal(ftp_retrbinary(h->s, "RETR f", 4096, 0, hostile_sink_fn, &sink),
                     FTP_E_ABORTED);
    assert_int_equal(sink.calls, 1);
    assert_int_equal(ftp_voidcmd(h->s, "NOOP"), FTP_OK);
    assert_string_equal(ftp_last_reply(h->s), "200 ok");

    hostile_finish(h, HOSTILE_LOGIN "TYPE I\nEPSV\nRETR f\nABOR\nNOOP\n");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        HOSTILE_TEST(abor_426_then_226),
        HOSTILE_TEST(abor_426_then_225),
        HOSTILE_TEST(abort_without_transfer_225),
        HOSTILE_TEST(abor_after_data_end_lone_226),
        HOSTILE_TEST(abor_ignored_times_out),
        HOSTILE_TEST(abor_answered_500_breaks_session),
        HOSTILE_TEST(callback_abort_mid_retr),
    };
    return cmocka_run_group_tests_name("hostile: G. ABOR", tests, NULL, NULL);
}
