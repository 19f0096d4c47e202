/*
 * Hostile-server scenarios, catalogue section D: data-connection setup.
 * 227/229 replies are parsed strictly, the address in them is never
 * trusted, and in active mode only the control peer may connect.
 */
#include "hostile.h"

#include <string.h>

/* Downloads "RETR f" into @p sink and returns the status. */
static int retr(hostile *h, const char *cmd, hostile_sink *sink)
{
    return ftp_retrbinary(h->s, cmd, 0, 0, hostile_sink_fn, sink);
}

/* D.29: the 227 names 127.0.0.3, where nothing listens (the fake address is
 * on loopback so that even a client that trusts it contacts nothing else);
 * the data connection still goes to the control peer, 127.0.0.1, and the
 * transfer works. */
static void pasv_fake_address_is_ignored(void **state)
{
    hostile *h = *state;
    hostile_start(h,
                  "on EPSV reply 500 EPSV not understood\n"
                  "on PASV pasv 227 Entering Passive Mode (127,0,0,3,{p1},{p2})\n"
                  "on RETR serve hello\n");
    hostile_connect_login(h);

    hostile_sink sink = {0};
    assert_int_equal(retr(h, "RETR f", &sink), FTP_OK);
    assert_string_equal(sink.data, "hello");

    hostile_finish(h, HOSTILE_LOGIN "TYPE I\nEPSV\nPASV\nRETR f\n");
}

/* D.29: with the insecure opt-in the 227 address is used: 127.0.0.3 has
 * no listener, so the connect is refused (FTP_E_CONNECT, before RETR) and
 * the session goes on. */
static void pasv_address_trusted_only_on_opt_in(void **state)
{
    hostile *h = *state;
    hostile_start(h, "on PASV pasv 227 Entering Passive Mode (127,0,0,3,{p1},{p2})\n");
    assert_int_equal(ftp_set_data_mode(h->s, FTP_DATA_PASV), FTP_OK);
    assert_int_equal(ftp_set_trust_pasv_address_insecure(h->s, 1), FTP_OK);
    hostile_connect_login(h);

    hostile_sink sink = {0};
    assert_int_equal(retr(h, "RETR f", &sink), FTP_E_CONNECT);
    assert_int_equal(ftp_voidcmd(h->s, "NOOP"), FTP_OK);

    hostile_finish(h, HOSTILE_LOGIN "TYPE I\nPASV\nNOOP\n");
}

/* D.30: 227 numbers out of range: FTP_E_PROTO, no connect, no RETR; the
 * control connection is in step, so the session goes on. */
static void pasv_numbers_out_of_range(void **state)
{
    hostile *h = *state;
    hostile_start(h,
                  "on PASV #1 reply 227 Entering Passive Mode (1216,256,2,127,127,127)\n"
                  "on PASV #2 reply 227 Entering Passive Mode (127,0,0,1,300,1)\n"
                  "on PASV #3 reply 227 Entering Passive Mode (127,0,0,1,4)\n");
    assert_int_equal(ftp_set_data_mode(h->s, FTP_DATA_PASV), FTP_OK);
    hostile_connect_login(h);

    hostile_sink sink = {0};
    assert_int_equal(retr(h, "RETR f", &sink), FTP_E_PROTO);
    assert_int_equal(retr(h, "RETR f", &sink), FTP_E_PROTO);
    assert_int_equal(retr(h, "RETR f", &sink), FTP_E_PROTO);
    assert_int_equal(sink.calls, 0);
    assert_int_equal(ftp_voidcmd(h->s, "NOOP"), FTP_OK);

    hostile_finish(h, HOSTILE_LOGIN "TYPE I\nPASV\nPASV\nPASV\nNOOP\n");
}

/* D.31: port 0 in a 227 is refused without a connect attempt. */
static void pasv_port_zero(void **state)
{
    hostile *h = *state;
    hostile_start(h, "on PASV reply 227 Entering Passive Mode (127,0,0,1,0,0)\n");
    assert_int_equal(ftp_set_data_mode(h->s, FTP_DATA_PASV), FTP_OK);
    hostile_connect_login(h);

    hostile_sink sink = {0};
    assert_int_equal(retr(h, "RETR f", &sink), FTP_E_PROTO);
    assert_int_equal(ftp_voidcmd(h->s, "NOOP"), FTP_OK);

    hostile_finish(h, HOSTILE_LOGIN "TYPE I\nPASV\nNOOP\n");
}

/* D.31: port 0 in a 229 likewise; a malformed 229 is not a refusal, so
 * there is no PASV fallback either. */
static void epsv_port_zero(void **state)
{
    hostile *h = *state;
    hostile_start(h, "on EPSV reply 229 Entering Extended Passive Mode (|||0|)\n");
    hostile_connect_login(h);

    hostile_sink sink = {0};
    assert_int_equal(retr(h, "RETR f", &sink), FTP_E_PROTO);
    assert_int_equal(ftp_voidcmd(h->s, "NOOP"), FTP_OK);

    hostile_finish(h, HOSTILE_LOGIN "TYPE I\nEPSV\nNOOP\n");
}

/* D.32: a port over 65535, non-digits, a missing delimiter. */
static void epsv_malformed(void **state)
{
    hostile *h = *state;
    hostile_start(h,
                  "on EPSV #1 reply 229 Entering Extended Passive Mode (|||1000000|)\n"
                  "on EPSV #2 reply 229 Entering Extended Passive Mode (|||12ab|)\n"
                  "on EPSV #3 reply 229 Entering Extended Passive Mode (||6446)\n"
                  "on EPSV #4 reply 229 Entering Extended Passive Mode\n");
    assert_int_equal(ftp_set_data_mode(h->s, FTP_DATA_EPSV), FTP_OK);
    hostile_connect_login(h);

    hostile_sink sink = {0};
    for (int i = 1; i <= 4; i++)
        assert_int_equal(retr(h, "RETR f", &sink), FTP_E_PROTO);
    assert_int_equal(ftp_voidcmd(h->s, "NOOP"), FTP_OK);

    hostile_finish(h, HOSTILE_LOGIN "TYPE I\nEPSV\nEPSV\nEPSV\nEPSV\nNOOP\n");
}

/* D.33: RFC 2428 lets the server pick another delimiter; an address filled
 * into the 229 is ignored (the connect goes to the control peer, not to
 * 127.0.0.3 where nothing listens). */
static void epsv_other_delimiter_and_address(void **state)
{
    hostile *h = *state;
    hostile_start(h,
                  "on EPSV #1 epsv 229 Entering Extended Passive Mode (!!!{port}!)\n"
                  "on EPSV #2 epsv 229 Entering Extended Passive Mode (|1|127.0.0.3|{port}|)\n"
                  "on RETR serve data\n");
    hostile_connect_login(h);

    hostile_sink sink = {0};
    assert_int_equal(retr(h, "RETR a", &sink), FTP_OK);
    assert_int_equal(retr(h, "RETR b", &sink), FTP_OK);
    assert_string_equal(sink.data, "datadata");

    hostile_finish(h, HOSTILE_LOGIN "TYPE I\nEPSV\nRETR a\nEPSV\nRETR b\n");
}

/* D.34: a 227 without parentheses still has six numbers to find. */
static void pasv_without_parentheses(void **state)
{
    hostile *h = *state;
    hostile_start(h,
                  "on PASV pasv 227 Entering Passive Mode 127,0,0,1,{p1},{p2}\n"
                  "on RETR serve text\n");
    assert_int_equal(ftp_set_data_mode(h->s, FTP_DATA_PASV), FTP_OK);
    hostile_connect_login(h);

    hostile_sink sink = {0};
    assert_int_equal(retr(h, "RETR f", &sink), FTP_OK);
    assert_string_equal(sink.data, "text");

    hostile_finish(h, HOSTILE_LOGIN "TYPE I\nPASV\nRETR f\n");
}

/* D.35: EPSV refused (500) falls back to PASV, and the session remembers:
 * the second transfer starts with PASV. */
static void epsv_refused_falls_back_to_pasv_once(void **state)
{
    hostile *h = *state;
    hostile_start(h,
                  "on EPSV reply 500 EPSV not understood\n"
                  "on RETR serve abc\n");
    hostile_connect_login(h);

    hostile_sink sink = {0};
    assert_int_equal(retr(h, "RETR a", &sink), FTP_OK);
    assert_int_equal(retr(h, "RETR b", &sink), FTP_OK);
    assert_string_equal(sink.data, "abcabc");

    hostile_finish(h, HOSTILE_LOGIN "TYPE I\nEPSV\nPASV\nRETR a\nPASV\nRETR b\n");
}

/* D.36: the announced passive port has nobody listening: FTP_E_CONNECT
 * before any transfer command, and the session goes on. */
static void passive_port_not_listening(void **state)
{
    hostile *h = *state;
    hostile_start(h,
                  "on EPSV nolisten\n"
                  "  reply 229 Entering Extended Passive Mode (|||{port}|)\n");
    hostile_connect_login(h);

    hostile_sink sink = {0};
    assert_int_equal(retr(h, "RETR f", &sink), FTP_E_CONNECT);
    assert_int_equal(ftp_voidcmd(h->s, "NOOP"), FTP_OK);

    hostile_finish(h, HOSTILE_LOGIN "TYPE I\nEPSV\nNOOP\n");
}

/* D.37: active mode, the server answers 425 instead of connecting. */
static void active_425(void **state)
{
    hostile *h = *state;
    hostile_start(h, "on RETR reply 425 Can't open data connection\n");
    assert_int_equal(ftp_set_pasv(h->s, 0), FTP_OK);
    hostile_connect_login(h);

    hostile_sink sink = {0};
    assert_int_equal(retr(h, "RETR f", &sink), FTP_E_TEMP);
    assert_int_equal(ftp_last_reply_code(h->s), 425);
    assert_int_equal(ftp_voidcmd(h->s, "NOOP"), FTP_OK);

    hostile_finish(h, HOSTILE_LOGIN "TYPE I\nEPRT |1|127.0.0.1|{n}|\nRETR f\nNOOP\n");
}

/* D.37: active mode, 421 instead of the data connection: broken. */
static void active_421(void **state)
{
    hostile *h = *state;
    hostile_start(h, "on RETR reply 421 Service closing\n"
                     "  close\n");
    assert_int_equal(ftp_set_pasv(h->s, 0), FTP_OK);
    hostile_connect_login(h);

    hostile_sink sink = {0};
    assert_int_equal(retr(h, "RETR f", &sink), FTP_E_TEMP);
    assert_int_equal(ftp_voidcmd(h->s, "NOOP"), FTP_E_STATE);

    hostile_finish(h, HOSTILE_LOGIN "TYPE I\nEPRT |1|127.0.0.1|{n}|\nRETR f\n");
}

/* D.37: active mode, 150 and then no connection: the accept timeout fires
 * and the session is broken. */
static void active_no_connection_accept_timeout(void **state)
{
    hostile *h = *state;
    hostile_start(h, "on RETR reply 150 I will never connect\n");
    assert_int_equal(ftp_set_pasv(h->s, 0), FTP_OK);
    assert_int_equal(ftp_set_phase_timeout_ms(h->s, FTP_TIMEOUT_ACCEPT, 300), FTP_OK);
    hostile_connect_login(h);

    hostile_sink sink = {0};
    assert_int_equal(retr(h, "RETR f", &sink), FTP_E_TIMEOUT);
    assert_int_equal(ftp_voidcmd(h->s, "NOOP"), FTP_E_STATE);

    hostile_finish(h, HOSTILE_LOGIN "TYPE I\nEPRT |1|127.0.0.1|{n}|\nRETR f\n");
}

/* D.38: a connection from 127.0.0.2 to our active listener is a thief: it
 * is closed, and the real connection from the control peer is accepted. */
static void active_port_thief_rejected(void **state)
{
    hostile *h = *state;
    hostile_start(h,
                  "on RETR reply 150 Here it comes\n"
                  "  thief\n"
                  "  data the real data\n"
                  "  dataclose\n"
                  "  reply 226 done\n");
    assert_int_equal(ftp_set_pasv(h->s, 0), FTP_OK);
    hostile_connect_login(h);

    hostile_sink sink = {0};
    assert_int_equal(retr(h, "RETR f", &sink), FTP_OK);
    assert_string_equal(sink.data, "the real data");

    hostile_finish(h, HOSTILE_LOGIN "TYPE I\nEPRT |1|127.0.0.1|{n}|\nRETR f\n"
                                    "# thief connection from 127.0.0.2 closed by the client\n");
}

/* EPRT refused: PORT on IPv4, remembered for the next transfer. */
static void eprt_refused_falls_back_to_port(void **state)
{
    hostile *h = *state;
    hostile_start(h,
                  "on EPRT reply 500 EPRT not understood\n"
                  "on RETR serve xyz\n");
    assert_int_equal(ftp_set_data_mode(h->s, FTP_DATA_ACTIVE), FTP_OK);
    hostile_connect_login(h);

    hostile_sink sink = {0};
    assert_int_equal(retr(h, "RETR a", &sink), FTP_OK);
    assert_int_equal(retr(h, "RETR b", &sink), FTP_OK);
    assert_string_equal(sink.data, "xyzxyz");

    hostile_finish(h, HOSTILE_LOGIN "TYPE I\nEPRT |1|127.0.0.1|{n}|\nPORT 127,0,0,1,{n},{n}\nRETR a\n"
                                    "PORT 127,0,0,1,{n},{n}\nRETR b\n");
}

/* Over IPv6: EPSV connects to ::1, EPRT advertises |2|::1|. */
static void ipv6_epsv_and_eprt(void **state)
{
    hostile *h = *state;
    hostile_start_family(h, "on RETR serve six\n", 6);
    assert_int_equal(ftp_connect(h->s, "::1", h->server.port), FTP_OK);
    assert_int_equal(ftp_login(h->s, "user", "secret", NULL), FTP_OK);

    hostile_sink sink = {0};
    assert_int_equal(retr(h, "RETR a", &sink), FTP_OK);
    assert_int_equal(ftp_set_pasv(h->s, 0), FTP_OK);
    assert_int_equal(retr(h, "RETR b", &sink), FTP_OK);
    assert_string_equal(sink.data, "sixsix");

    hostile_finish(h, HOSTILE_LOGIN "TYPE I\nEPSV\nRETR a\nEPRT |2|::1|{n}|\nRETR b\n");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        HOSTILE_TEST(pasv_fake_address_is_ignored),
        HOSTILE_TEST(pasv_address_trusted_only_on_opt_in),
        HOSTILE_TEST(pasv_numbers_out_of_range),
        HOSTILE_TEST(pasv_port_zero),
        HOSTILE_TEST(epsv_port_zero),
        HOSTILE_TEST(epsv_malformed),
        HOSTILE_TEST(epsv_other_delimiter_and_address),
        HOSTILE_TEST(pasv_without_parentheses),
        HOSTILE_TEST(epsv_refused_falls_back_to_pasv_once),
        HOSTILE_TEST(passive_port_not_listening),
        HOSTILE_TEST(active_425),
        HOSTILE_TEST(active_421),
        HOSTILE_TEST(active_no_connection_accept_timeout),
        HOSTILE_TEST(active_port_thief_rejected),
        HOSTILE_TEST(eprt_refused_falls_back_to_port),
        HOSTILE_TEST(ipv6_epsv_and_eprt),
    };
    return cmocka_run_group_tests_name("hostile: D. data-connection setup", tests, NULL, NULL);
}
