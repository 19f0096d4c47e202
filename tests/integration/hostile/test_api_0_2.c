/*
 * Hostile-server scenarios for the calls added in API 0.2 (version node
 * FTPC_0.2): ftp_getresp() / ftp_voidresp(), ftp_type() and its TYPE
 * cache, ftp_peer_address() / ftp_local_address(), ftp_data_session(), the
 * data modes FTP_DATA_EPRT and FTP_DATA_PORT, ftp_set_abort_style(), and
 * well-framed replies whose code is outside 1xx-5xx (FTP_E_PROTO that keeps
 * the session in step).
 *
 * The server strips the Telnet bytes in front of ABOR and reads urgent data
 * inline, so the three abort styles all leave "ABOR" in the transcript; the
 * script directive "note urgent" adds which byte was urgent and which Telnet
 * bytes were stripped, so abort_styles_put_these_bytes_on_the_wire proves
 * the bytes of each style.
 */
#include "hostile.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

/* Downloads @p cmd in binary into @p sink and returns the status. */
static int retr(hostile *h, const char *cmd, hostile_sink *sink)
{
    return ftp_retrbinary(h->s, cmd, 0, 0, hostile_sink_fn, sink);
}

/* Reads a data stream to its end; returns what it held (NUL-terminated). */
static void read_to_eof(ftp_data *d, char *out, size_t cap)
{
    size_t used = 0, n = 1;
    for (int guard = 0; guard < 1000 && n > 0; guard++) {
        assert_int_equal(ftp_data_read(d, out + used, cap - 1 - used, &n), FTP_OK);
        used += n;
    }
    assert_int_equal(n, 0);
    out[used] = '\0';
}

/* ==== ftp_getresp() / ftp_voidresp() ====================================== */

/* STAT answered 150 now and 226 a moment later, unasked. */
#define STAT_150_THEN(final)            \
    "on STAT reply 150 here it comes\n" \
    "  delay 0.2\n"                     \
    "  reply " final "\n"

/* ftp_sendcmd() returns the 150; ftp_getresp() reads the 226 the server owes,
 * sending nothing, and the next command reads its own reply. */
static void getresp_reads_reply_owed_after_1xx(void **state)
{
    hostile *h = *state;
    hostile_start(h, STAT_150_THEN("226 that was all"));
    hostile_connect_login(h);

    const char *reply = NULL;
    assert_int_equal(ftp_sendcmd(h->s, "STAT", &reply), FTP_OK);
    assert_string_equal(reply, "150 here it comes");
    reply = NULL;
    assert_int_equal(ftp_getresp(h->s, &reply), FTP_OK);
    assert_string_equal(reply, "226 that was all");
    assert_int_equal(ftp_last_reply_code(h->s), 226);
    assert_int_equal(ftp_voidcmd(h->s, "NOOP"), FTP_OK);
    assert_string_equal(ftp_last_reply(h->s), "200 ok");

    hostile_finish(h, HOSTILE_LOGIN "STAT\nNOOP\n");
}

/* ftp_getresp() accepts a 3xx (as ftplib's getresp does); ftp_voidresp()
 * reads the same kind of reply and refuses it with FTP_E_REPLY.  Either way
 * the reply is consumed and the session stays in step. */
static void voidresp_3xx_is_reply_error(void **state)
{
    hostile *h = *state;
    hostile_start(h,
                  "on STAT #1 reply 150 one\n"
                  "  delay 0.2\n"
                  "  reply 350 more please\n"
                  "on STAT #2 reply 150 two\n"
                  "  delay 0.2\n"
                  "  reply 350 more please\n");
    hostile_connect_login(h);

    const char *reply = NULL;
    assert_int_equal(ftp_sendcmd(h->s, "STAT", NULL), FTP_OK);
    assert_int_equal(ftp_getresp(h->s, &reply), FTP_OK);
    assert_string_equal(reply, "350 more please");

    assert_int_equal(ftp_sendcmd(h->s, "STAT", NULL), FTP_OK);
    assert_int_equal(ftp_voidresp(h->s), FTP_E_REPLY);
    assert_int_equal(ftp_last_error_code(h->s), FTP_E_REPLY);
    assert_int_equal(ftp_last_reply_code(h->s), 350);
    assert_string_equal(ftp_last_reply(h->s), "350 more please");
    assert_int_equal(ftp_voidcmd(h->s, "NOOP"), FTP_OK);

    hostile_finish(h, HOSTILE_LOGIN "STAT\nSTAT\nNOOP\n");
}

/* ftp_voidresp() after a 1xx: a 4xx final reply is FTP_E_TEMP, the session
 * stays usable. */
static void voidresp_4xx_is_temp(void **state)
{
    hostile *h = *state;
    hostile_start(h, STAT_150_THEN("451 local error"));
    hostile_connect_login(h);

    assert_int_equal(ftp_sendcmd(h->s, "STAT", NULL), FTP_OK);
    assert_int_equal(ftp_voidresp(h->s), FTP_E_TEMP);
    assert_int_equal(ftp_last_reply_code(h->s), 451);
    assert_string_equal(ftp_last_reply(h->s), "451 local error");
    assert_int_equal(ftp_voidcmd(h->s, "NOOP"), FTP_OK);

    hostile_finish(h, HOSTILE_LOGIN "STAT\nNOOP\n");
}

/* ftp_voidresp() after a 1xx: a 5xx final reply is FTP_E_PERM, the session
 * stays usable. */
static void voidresp_5xx_is_perm(void **state)
{
    hostile *h = *state;
    hostile_start(h, STAT_150_THEN("550 gone"));
    hostile_connect_login(h);

    assert_int_equal(ftp_sendcmd(h->s, "STAT", NULL), FTP_OK);
    assert_int_equal(ftp_voidresp(h->s), FTP_E_PERM);
    assert_int_equal(ftp_last_reply_code(h->s), 550);
    assert_string_equal(ftp_last_reply(h->s), "550 gone");
    assert_int_equal(ftp_voidcmd(h->s, "NOOP"), FTP_OK);

    hostile_finish(h, HOSTILE_LOGIN "STAT\nNOOP\n");
}

/* ftp_getresp() maps 4xx/5xx as ftp_sendcmd() does, and leaves its
 * out-parameter alone on failure. */
static void getresp_4xx_5xx_are_temp_and_perm(void **state)
{
    hostile *h = *state;
    hostile_start(h,
                  "on STAT #1 reply 150 one\n"
                  "  delay 0.2\n"
                  "  reply 426 connection lost\n"
                  "on STAT #2 reply 150 two\n"
                  "  delay 0.2\n"
                  "  reply 552 quota\n");
    hostile_connect_login(h);

    const char *reply = "untouched";
    assert_int_equal(ftp_sendcmd(h->s, "STAT", NULL), FTP_OK);
    assert_int_equal(ftp_getresp(h->s, &reply), FTP_E_TEMP);
    assert_int_equal(ftp_last_reply_code(h->s), 426);
    assert_int_equal(ftp_sendcmd(h->s, "STAT", NULL), FTP_OK);
    assert_int_equal(ftp_getresp(h->s, &reply), FTP_E_PERM);
    assert_int_equal(ftp_last_reply_code(h->s), 552);
    assert_string_equal(reply, "untouched");
    assert_int_equal(ftp_voidcmd(h->s, "NOOP"), FTP_OK);

    hostile_finish(h, HOSTILE_LOGIN "STAT\nSTAT\nNOOP\n");
}

/* With a data stream open the transfer's reply belongs to ftp_data_close():
 * ftp_getresp() and ftp_voidresp() are FTP_E_BUSY and read nothing, so
 * ftp_data_close() still finds its 226. */
static void getresp_with_data_stream_open_is_busy(void **state)
{
    hostile *h = *state;
    hostile_start(h,
                  "on RETR reply 150 ok\n"
                  "  data hello\n"
                  "  dataclose\n"
                  "  reply 226 done\n");
    hostile_connect_login(h);

    ftp_data *d = NULL;
    assert_int_equal(ftp_type(h->s, FTP_TYPE_BINARY), FTP_OK);
    assert_int_equal(ftp_transfercmd(h->s, "RETR f", 0, &d, NULL), FTP_OK);
    const char *reply = "untouched";
    assert_int_equal(ftp_getresp(h->s, &reply), FTP_E_BUSY);
    assert_string_equal(reply, "untouched");
    assert_int_equal(ftp_voidresp(h->s), FTP_E_BUSY);
    assert_int_equal(ftp_last_reply_code(h->s), 150);

    char buf[64];
    read_to_eof(d, buf, sizeof buf);
    assert_string_equal(buf, "hello");
    assert_int_equal(ftp_data_close(d), FTP_OK);
    assert_string_equal(ftp_last_reply(h->s), "226 done");
    assert_int_equal(ftp_voidcmd(h->s, "NOOP"), FTP_OK);

    hostile_finish(h, HOSTILE_LOGIN "TYPE I\nEPSV\nRETR f\nNOOP\n");
}

/* ==== ftp_type() ========================================================== */

/* TYPE goes out only when the type changes: I, (I again: nothing), A,
 * (A again: nothing), I. */
static void type_sent_only_when_it_changes(void **state)
{
    hostile *h = *state;
    hostile_start(h, "");
    hostile_connect_login(h);

    assert_int_equal(ftp_type(h->s, FTP_TYPE_BINARY), FTP_OK);
    assert_string_equal(ftp_last_reply(h->s), "200 type set");
    assert_int_equal(ftp_voidcmd(h->s, "NOOP"), FTP_OK);
    assert_int_equal(ftp_type(h->s, FTP_TYPE_BINARY), FTP_OK);
    assert_int_equal(ftp_type(h->s, FTP_TYPE_ASCII), FTP_OK);
    assert_int_equal(ftp_type(h->s, FTP_TYPE_ASCII), FTP_OK);
    assert_int_equal(ftp_type(h->s, FTP_TYPE_BINARY), FTP_OK);

    hostile_finish(h, HOSTILE_LOGIN "TYPE I\nNOOP\nTYPE A\nTYPE I\n");
}

/* A raw "TYPE I" through ftp_voidcmd() makes the session forget what it
 * knew, so the next ftp_type(I) sends TYPE I again. */
static void raw_type_command_makes_type_resend(void **state)
{
    hostile *h = *state;
    hostile_start(h, "");
    hostile_connect_login(h);

    assert_int_equal(ftp_type(h->s, FTP_TYPE_BINARY), FTP_OK);
    assert_int_equal(ftp_voidcmd(h->s, "TYPE I"), FTP_OK);
    assert_int_equal(ftp_type(h->s, FTP_TYPE_BINARY), FTP_OK);
    assert_int_equal(ftp_type(h->s, FTP_TYPE_BINARY), FTP_OK);

    hostile_finish(h, HOSTILE_LOGIN "TYPE I\nTYPE I\nTYPE I\n");
}

/* A refused TYPE (504) is FTP_E_PERM; the session does not take the type as
 * set, so the next ftp_type() for it sends TYPE again. */
static void refused_type_is_perm_and_resent(void **state)
{
    hostile *h = *state;
    hostile_start(h, "on TYPE #2 reply 504 Type not implemented for that parameter\n");
    hostile_connect_login(h);

    assert_int_equal(ftp_type(h->s, FTP_TYPE_BINARY), FTP_OK);
    assert_int_equal(ftp_type(h->s, FTP_TYPE_ASCII), FTP_E_PERM);
    assert_int_equal(ftp_last_reply_code(h->s), 504);
    assert_int_equal(ftp_type(h->s, FTP_TYPE_ASCII), FTP_OK);
    assert_int_equal(ftp_type(h->s, FTP_TYPE_ASCII), FTP_OK);

    hostile_finish(h, HOSTILE_LOGIN "TYPE I\nTYPE A\nTYPE A\n");
}

/* ftp_type() and the transfers share one cache: after ftp_retrbinary()
 * ftp_type(I) sends nothing, and after ftp_type(A) ftp_retrlines() sends no
 * TYPE of its own. */
static void type_cache_shared_with_transfers(void **state)
{
    hostile *h = *state;
    hostile_start(h, "on RETR serve abc\n"
                     "on LIST serve line\\r\\n\n");
    hostile_connect_login(h);

    hostile_sink sink = {0};
    assert_int_equal(retr(h, "RETR f", &sink), FTP_OK);
    assert_int_equal(ftp_type(h->s, FTP_TYPE_BINARY), FTP_OK);
    assert_int_equal(ftp_type(h->s, FTP_TYPE_ASCII), FTP_OK);
    hostile_lines lines = {0};
    assert_int_equal(ftp_retrlines(h->s, "LIST", hostile_line_fn, &lines), FTP_OK);
    assert_string_equal(lines.text, "line\n");

    hostile_finish(h, HOSTILE_LOGIN "TYPE I\nEPSV\nRETR f\nTYPE A\nEPSV\nLIST\n");
}

/* The type the session already knows is no shortcut past the state checks:
 * beside an open data stream it is FTP_E_BUSY, on a broken session
 * FTP_E_STATE, as for any other type (regressions: both were FTP_OK). */
static void known_type_still_checks_the_session(void **state)
{
    hostile *h = *state;
    hostile_start(h, "on RETR serve abc\n"
                     "on STAT reply 421 going away\n"
                     "  close\n");
    hostile_connect_login(h);

    ftp_data *d = NULL;
    assert_int_equal(ftp_type(h->s, FTP_TYPE_BINARY), FTP_OK);
    assert_int_equal(ftp_transfercmd(h->s, "RETR f", 0, &d, NULL), FTP_OK);
    assert_int_equal(ftp_type(h->s, FTP_TYPE_BINARY), FTP_E_BUSY);
    assert_int_equal(ftp_data_close(d), FTP_OK);
    assert_int_equal(ftp_voidcmd(h->s, "STAT"), FTP_E_TEMP);
    assert_int_equal(ftp_type(h->s, FTP_TYPE_BINARY), FTP_E_STATE);
    assert_int_equal(ftp_last_error_code(h->s), FTP_E_STATE);

    hostile_finish(h, HOSTILE_LOGIN "TYPE I\nEPSV\nRETR f\nSTAT\n");
}

/* Anything but FTP_TYPE_ASCII / FTP_TYPE_BINARY is FTP_E_INVALID, nothing
 * sent. */
static void type_unknown_code_is_invalid(void **state)
{
    hostile *h = *state;
    hostile_start(h, "");
    hostile_connect_login(h);

    assert_int_equal(ftp_type(h->s, 'E'), FTP_E_INVALID);
    assert_int_equal(ftp_type(h->s, 'a'), FTP_E_INVALID);
    assert_int_equal(ftp_type(h->s, 0), FTP_E_INVALID);
    assert_int_equal(ftp_voidcmd(h->s, "NOOP"), FTP_OK);

    hostile_finish(h, HOSTILE_LOGIN "NOOP\n");
}

/* ==== ftp_peer_address() / ftp_local_address() =========================== */

/* A loopback port of @p family that nothing uses right now, for
 * ftp_set_source_address(), so the local port is known in advance. */
static unsigned free_loopback_port(int family)
{
    struct sockaddr_storage ss;
    socklen_t len;
    memset(&ss, 0, sizeof ss);
    if (family == 6) {
        struct sockaddr_in6 *a = (struct sockaddr_in6 *)&ss;
        a->sin6_family = AF_INET6;
        a->sin6_addr = in6addr_loopback;
        len = sizeof *a;
    } else {
        struct sockaddr_in *a = (struct sockaddr_in *)&ss;
        a->sin_family = AF_INET;
        a->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        len = sizeof *a;
    }
    int fd = socket(ss.ss_family, SOCK_STREAM, 0);
    assert_true(fd >= 0);
    assert_int_equal(bind(fd, (struct sockaddr *)&ss, len), 0);
    assert_int_equal(getsockname(fd, (struct sockaddr *)&ss, &len), 0);
    close(fd);
    return ntohs(family == 6 ? ((struct sockaddr_in6 *)&ss)->sin6_port
                             : ((struct sockaddr_in *)&ss)->sin_port);
}

/* Connects from a known local port to the server over @p family and checks
 * both addresses' exact text; NULL before the connection and after
 * ftp_close(). */
static void check_addresses(hostile *h, int family)
{
    const char *host = family == 6 ? "::1" : "127.0.0.1";
    const char *fmt = family == 6 ? "[::1]:%u" : "127.0.0.1:%u";
    char peer[64], local[64];
    unsigned local_port = free_loopback_port(family);
    snprintf(peer, sizeof peer, fmt, h->server.port);
    snprintf(local, sizeof local, fmt, local_port);

    assert_null(ftp_peer_address(h->s));
    assert_null(ftp_local_address(h->s));
    assert_int_equal(ftp_set_source_address(h->s, host, local_port), FTP_OK);
    assert_int_equal(ftp_connect(h->s, host, h->server.port), FTP_OK);
    assert_string_equal(ftp_peer_address(h->s), peer);
    assert_string_equal(ftp_local_address(h->s), local);
    /* Both stay valid together (regression: they shared one buffer). */
    const char *peer_text = ftp_peer_address(h->s);
    const char *local_text = ftp_local_address(h->s);
    assert_string_equal(peer_text, peer);
    assert_string_equal(local_text, local);
    assert_int_equal(ftp_voidcmd(h->s, "NOOP"), FTP_OK);
    assert_string_equal(ftp_peer_address(h->s), peer);
    assert_int_equal(ftp_close(h->s), FTP_OK);
    assert_null(ftp_peer_address(h->s));
    assert_null(ftp_local_address(h->s));

    hostile_finish(h, "NOOP\n");
}

static void addresses_ipv4(void **state)
{
    hostile *h = *state;
    hostile_start(h, "");
    check_addresses(h, 4);
}

static void addresses_ipv6_in_brackets(void **state)
{
    hostile *h = *state;
    hostile_start_family(h, "", 6);
    check_addresses(h, 6);
}

/* ==== ftp_data_session() ================================================== */

/* A stream from ftp_transfercmd() leads back to its session, where its
 * replies are recorded; NULL gives NULL. */
static void data_session_is_the_owning_session(void **state)
{
    hostile *h = *state;
    hostile_start(h,
                  "on RETR reply 150 ok\n"
                  "  data x\n"
                  "  dataclose\n"
                  "  reply 226 done\n");
    hostile_connect_login(h);

    ftp_data *d = NULL;
    assert_int_equal(ftp_transfercmd(h->s, "RETR f", 0, &d, NULL), FTP_OK);
    ftp_session *owner = ftp_data_session(d);
    assert_ptr_equal(owner, h->s);
    assert_string_equal(ftp_last_reply(owner), "150 ok");
    char buf[16];
    read_to_eof(d, buf, sizeof buf);
    assert_int_equal(ftp_data_close(d), FTP_OK);
    assert_string_equal(ftp_last_reply(owner), "226 done");
    assert_null(ftp_data_session(NULL));

    hostile_finish(h, HOSTILE_LOGIN "EPSV\nRETR f\n");
}

/* ==== FTP_DATA_EPRT / FTP_DATA_PORT ======================================= */

/* FTP_DATA_EPRT transfers over EPRT. */
static void eprt_mode_transfers_over_eprt(void **state)
{
    hostile *h = *state;
    hostile_start(h, "on RETR serve via eprt\n");
    assert_int_equal(ftp_set_data_mode(h->s, FTP_DATA_EPRT), FTP_OK);
    hostile_connect_login(h);

    hostile_sink sink = {0};
    assert_int_equal(retr(h, "RETR f", &sink), FTP_OK);
    assert_string_equal(sink.data, "via eprt");
    assert_string_equal(ftp_last_transfer_mode(h->s), "EPRT");

    hostile_finish(h, HOSTILE_LOGIN "TYPE I\nEPRT |1|127.0.0.1|{n}|\nRETR f\n");
}

/* FTP_DATA_EPRT: EPRT answered 500 is FTP_E_PERM with no PORT fallback, and
 * the next transfer tries EPRT again (nothing remembered). */
static void eprt_mode_refused_never_falls_back_to_port(void **state)
{
    hostile *h = *state;
    hostile_start(h, "on EPRT reply 500 EPRT not understood\n");
    assert_int_equal(ftp_set_data_mode(h->s, FTP_DATA_EPRT), FTP_OK);
    hostile_connect_login(h);

    hostile_sink sink = {0};
    assert_int_equal(retr(h, "RETR a", &sink), FTP_E_PERM);
    assert_int_equal(ftp_last_reply_code(h->s), 500);
    assert_int_equal(retr(h, "RETR b", &sink), FTP_E_PERM);
    assert_int_equal(sink.calls, 0);
    assert_int_equal(ftp_voidcmd(h->s, "NOOP"), FTP_OK);

    hostile_finish(h, HOSTILE_LOGIN "TYPE I\nEPRT |1|127.0.0.1|{n}|\nEPRT |1|127.0.0.1|{n}|\nNOOP\n");
}

/* FTP_DATA_PORT transfers over PORT and never sends EPRT. */
static void port_mode_transfers_over_port_only(void **state)
{
    hostile *h = *state;
    hostile_start(h, "on RETR serve via port\n");
    assert_int_equal(ftp_set_data_mode(h->s, FTP_DATA_PORT), FTP_OK);
    hostile_connect_login(h);

    hostile_sink sink = {0};
    assert_int_equal(retr(h, "RETR f", &sink), FTP_OK);
    assert_string_equal(sink.data, "via port");
    assert_string_equal(ftp_last_transfer_mode(h->s), "PORT");

    hostile_finish(h, HOSTILE_LOGIN "TYPE I\nPORT 127,0,0,1,{n},{n}\nRETR f\n");
}

/* FTP_DATA_PORT: PORT accepted, then 425 to RETR: FTP_E_TEMP, the session
 * stays usable; a refused PORT (500) is FTP_E_PERM with no EPRT tried. */
static void port_mode_refusals_never_try_eprt(void **state)
{
    hostile *h = *state;
    hostile_start(h,
                  "on PORT #2 reply 500 PORT not understood\n"
                  "on RETR reply 425 Can't open data connection\n");
    assert_int_equal(ftp_set_data_mode(h->s, FTP_DATA_PORT), FTP_OK);
    hostile_connect_login(h);

    hostile_sink sink = {0};
    assert_int_equal(retr(h, "RETR a", &sink), FTP_E_TEMP);
    assert_int_equal(ftp_last_reply_code(h->s), 425);
    assert_int_equal(retr(h, "RETR b", &sink), FTP_E_PERM);
    assert_int_equal(ftp_last_reply_code(h->s), 500);
    assert_int_equal(ftp_voidcmd(h->s, "NOOP"), FTP_OK);

    hostile_finish(h, HOSTILE_LOGIN "TYPE I\nPORT 127,0,0,1,{n},{n}\nRETR a\n"
                                    "PORT 127,0,0,1,{n},{n}\nNOOP\n");
}

/* FTP_DATA_PORT on an IPv6 control connection: FTP_E_UNSUPPORTED before
 * anything is sent (ftp_transfercmd() sends no TYPE), the session usable. */
static void port_mode_on_ipv6_is_unsupported(void **state)
{
    hostile *h = *state;
    hostile_start_family(h, "", 6);
    assert_int_equal(ftp_set_data_mode(h->s, FTP_DATA_PORT), FTP_OK);
    assert_int_equal(ftp_connect(h->s, "::1", h->server.port), FTP_OK);
    assert_int_equal(ftp_login(h->s, "user", "secret", NULL), FTP_OK);

    ftp_data *d = NULL;
    assert_int_equal(ftp_transfercmd(h->s, "RETR f", 0, &d, NULL), FTP_E_UNSUPPORTED);
    assert_null(d);
    assert_int_equal(ftp_voidcmd(h->s, "NOOP"), FTP_OK);

    hostile_finish(h, HOSTILE_LOGIN "NOOP\n");
}

/* ==== ftp_set_abort_style() =============================================== */

/* A 64 MiB download, far more than socket buffers hold, so the server is
 * still sending when ABOR comes; ABOR answered 426 then 226. */
#define STREAMING_RETR                                        \
    "on RETR reply 150 Opening data connection\n"             \
    "  dataflood 67108864 0123456789abcdef\n"                 \
    "on ABOR reply 426 Connection closed; transfer aborted\n" \
    "  reply 226 Abort successful\n"

/* Starts a 64 MiB download as a stream, reads one block, then ftp_abort()s
 * it with @p style: both replies read, and the next command in step. */
static void abort_mid_transfer_with_style(hostile *h, int style)
{
    hostile_start(h, STREAMING_RETR);
    assert_int_equal(ftp_set_abort_style(h->s, style), FTP_OK);
    hostile_connect_login(h);

    hostile_open_and_read_some(h);
    assert_int_equal(ftp_abort(h->s), FTP_OK);
    assert_int_equal(ftp_last_reply_code(h->s), 226);
    assert_int_equal(ftp_voidcmd(h->s, "NOOP"), FTP_OK);
    assert_string_equal(ftp_last_reply(h->s), "200 ok");

    hostile_finish(h, HOSTILE_LOGIN "TYPE I\nEPSV\nRETR f\nABOR\nNOOP\n");
}

/* FTP_ABORT_URGENT_LINE ("ABOR\r\n" as urgent data, as ftplib) aborts a
 * running download: 426 + 226 read, the session usable. */
static void abort_style_urgent_line_mid_transfer(void **state)
{
    abort_mid_transfer_with_style(*state, FTP_ABORT_URGENT_LINE);
}

/* FTP_ABORT_PLAIN (in-band "ABOR\r\n") does the same. */
static void abort_style_plain_mid_transfer(void **state)
{
    abort_mid_transfer_with_style(*state, FTP_ABORT_PLAIN);
}

/* Setting FTP_ABORT_TELNET back (the default) does the same. */
static void abort_style_telnet_mid_transfer(void **state)
{
    abort_mid_transfer_with_style(*state, FTP_ABORT_TELNET);
}

/* The library's own abort (a sink returning nonzero) uses the style too:
 * FTP_E_ABORTED, the session usable. */
static void abort_style_urgent_line_on_callback_stop(void **state)
{
    hostile *h = *state;
    hostile_start(h, STREAMING_RETR);
    assert_int_equal(ftp_set_abort_style(h->s, FTP_ABORT_URGENT_LINE), FTP_OK);
    hostile_connect_login(h);

    hostile_sink sink = {0};
    sink.stop_after = 1;
    assert_int_equal(ftp_retrbinary(h->s, "RETR f", 4096, 0, hostile_sink_fn, &sink),
                     FTP_E_ABORTED);
    assert_int_equal(sink.calls, 1);
    assert_int_equal(ftp_last_reply_code(h->s), 226);
    assert_int_equal(ftp_voidcmd(h->s, "NOOP"), FTP_OK);

    hostile_finish(h, HOSTILE_LOGIN "TYPE I\nEPSV\nRETR f\nABOR\nNOOP\n");
}

/* With nothing to abort, each style gets the lone 225 and leaves the session
 * in step. */
static void abort_styles_without_transfer_225(void **state)
{
    hostile *h = *state;
    hostile_start(h, "on ABOR reply 225 No transfer to abort\n");
    hostile_connect_login(h);

    const int styles[] = {FTP_ABORT_URGENT_LINE, FTP_ABORT_PLAIN, FTP_ABORT_TELNET};
    for (size_t i = 0; i < sizeof styles / sizeof styles[0]; i++) {
        assert_int_equal(ftp_set_abort_style(h->s, styles[i]), FTP_OK);
        assert_int_equal(ftp_abort(h->s), FTP_OK);
        assert_string_equal(ftp_last_reply(h->s), "225 No transfer to abort");
        assert_int_equal(ftp_voidcmd(h->s, "NOOP"), FTP_OK);
    }

    hostile_finish(h, HOSTILE_LOGIN "ABOR\nNOOP\nABOR\nNOOP\nABOR\nNOOP\n");
}

/* The bytes of each style, as the server saw them: RFC 959's IP and Synch
 * with the IAC urgent; ftplib's "ABOR\r\n" with its last byte urgent (what
 * sendall(..., MSG_OOB) does) and no Telnet bytes; plain ABOR with no
 * urgent data at all. */
static void abort_styles_put_these_bytes_on_the_wire(void **state)
{
    hostile *h = *state;
    hostile_start(h, "note urgent\n"
                     "on ABOR reply 225 No transfer to abort\n");
    hostile_connect_login(h);

    const int styles[] = {FTP_ABORT_TELNET, FTP_ABORT_URGENT_LINE, FTP_ABORT_PLAIN};
    for (size_t i = 0; i < sizeof styles / sizeof styles[0]; i++) {
        assert_int_equal(ftp_set_abort_style(h->s, styles[i]), FTP_OK);
        assert_int_equal(ftp_abort(h->s), FTP_OK);
        assert_int_equal(ftp_voidcmd(h->s, "NOOP"), FTP_OK);
    }

    hostile_finish(h, HOSTILE_LOGIN
                   "# urgent byte \\xff\n# telnet \\xff\\xf4\\xff\\xf2\nABOR\nNOOP\n"
                   "# urgent byte \\n\nABOR\nNOOP\n"
                   "ABOR\nNOOP\n");
}

/* ABOR refused with nothing running (500): one complete reply, so the
 * refusal is FTP_E_PERM and the session stays in step (0.2; it used to
 * break the session).  ftplib reads it the same way. */
static void abort_refused_without_transfer_keeps_step(void **state)
{
    hostile *h = *state;
    hostile_start(h, "on ABOR #1 reply 500 what abort?\n"
                     "on ABOR #2 reply 225-multi-line\\r\\n225 no transfer\n");
    hostile_connect_login(h);

    assert_int_equal(ftp_abort(h->s), FTP_E_PERM);
    assert_string_equal(ftp_last_reply(h->s), "500 what abort?");
    assert_int_equal(ftp_voidcmd(h->s, "NOOP"), FTP_OK);
    assert_int_equal(ftp_abort(h->s), FTP_OK);
    assert_string_equal(ftp_last_reply(h->s), "225-multi-line\n225 no transfer");
    assert_int_equal(ftp_voidcmd(h->s, "NOOP"), FTP_OK);

    hostile_finish(h, HOSTILE_LOGIN "ABOR\nNOOP\nABOR\nNOOP\n");
}

/* An unknown style is FTP_E_INVALID; ABOR still goes out and is answered. */
static void abort_style_unknown_is_invalid(void **state)
{
    hostile *h = *state;
    hostile_start(h, "on ABOR reply 225 No transfer to abort\n");
    assert_int_equal(ftp_set_abort_style(h->s, FTP_ABORT_PLAIN), FTP_OK);
    assert_int_equal(ftp_set_abort_style(h->s, 3), FTP_E_INVALID);
    assert_int_equal(ftp_set_abort_style(h->s, -1), FTP_E_INVALID);
    hostile_connect_login(h);

    assert_int_equal(ftp_abort(h->s), FTP_OK);

    hostile_finish(h, HOSTILE_LOGIN "ABOR\n");
}

/* ==== reply codes outside 1xx-5xx ========================================= */

/* "999 x" to a raw command: FTP_E_PROTO, the reply recorded, and the next
 * command reads its own reply (the session is not broken). */
static void code_999_is_proto_and_keeps_step(void **state)
{
    hostile *h = *state;
    hostile_start(h, "on STAT reply 999 x\n");
    hostile_connect_login(h);

    const char *reply = "untouched";
    assert_int_equal(ftp_sendcmd(h->s, "STAT", &reply), FTP_E_PROTO);
    assert_string_equal(reply, "untouched");
    assert_int_equal(ftp_last_error_code(h->s), FTP_E_PROTO);
    assert_int_equal(ftp_last_reply_code(h->s), 999);
    assert_string_equal(ftp_last_reply(h->s), "999 x");
    assert_int_equal(ftp_voidcmd(h->s, "NOOP"), FTP_OK);
    assert_string_equal(ftp_last_reply(h->s), "200 ok");

    hostile_finish(h, HOSTILE_LOGIN "STAT\nNOOP\n");
}

/* A multi-line "631" (RFC 2228's protected reply, which ftpc does not
 * speak): FTP_E_PROTO from ftp_voidcmd(), every line consumed, in step. */
static void code_631_multiline_is_proto_and_keeps_step(void **state)
{
    hostile *h = *state;
    hostile_start(h, "on NOOP #1 reply 631-y\\r\\n more\\r\\n631 end\n");
    hostile_connect_login(h);

    assert_int_equal(ftp_voidcmd(h->s, "NOOP"), FTP_E_PROTO);
    assert_int_equal(ftp_last_reply_code(h->s), 631);
    assert_string_equal(ftp_last_reply(h->s), "631-y\n more\n631 end");
    assert_int_equal(ftp_voidcmd(h->s, "NOOP"), FTP_OK);
    assert_string_equal(ftp_last_reply(h->s), "200 ok");

    hostile_finish(h, HOSTILE_LOGIN "NOOP\nNOOP\n");
}

/* A bare "999" with no text: FTP_E_PROTO, in step. */
static void bare_999_is_proto_and_keeps_step(void **state)
{
    hostile *h = *state;
    hostile_start(h, "on STAT reply 999\n");
    hostile_connect_login(h);

    assert_int_equal(ftp_sendcmd(h->s, "STAT", NULL), FTP_E_PROTO);
    assert_int_equal(ftp_last_reply_code(h->s), 999);
    assert_string_equal(ftp_last_reply(h->s), "999");
    assert_int_equal(ftp_voidcmd(h->s, "NOOP"), FTP_OK);

    hostile_finish(h, HOSTILE_LOGIN "STAT\nNOOP\n");
}

/* "999" read by ftp_getresp() after a 1xx: FTP_E_PROTO, in step. */
static void getresp_999_is_proto_and_keeps_step(void **state)
{
    hostile *h = *state;
    hostile_start(h, STAT_150_THEN("999 odd"));
    hostile_connect_login(h);

    assert_int_equal(ftp_sendcmd(h->s, "STAT", NULL), FTP_OK);
    assert_int_equal(ftp_getresp(h->s, NULL), FTP_E_PROTO);
    assert_string_equal(ftp_last_reply(h->s), "999 odd");
    assert_int_equal(ftp_voidcmd(h->s, "NOOP"), FTP_OK);

    hostile_finish(h, HOSTILE_LOGIN "STAT\nNOOP\n");
}

/* A "999" banner: ftp_connect() fails with FTP_E_PROTO and leaves the
 * session unconnected (nothing sent, FTP_E_STATE); the next connection, with
 * a 220 banner, works. */
static void banner_999_fails_connect_with_proto(void **state)
{
    hostile *h = *state;
    hostile_start(h, "on CONNECT #1 reply 999\n");

    assert_int_equal(hostile_connect(h), FTP_E_PROTO);
    assert_int_equal(ftp_last_reply_code(h->s), 999);
    assert_string_equal(ftp_last_reply(h->s), "999");
    assert_null(ftp_getwelcome(h->s));
    assert_null(ftp_peer_address(h->s));
    assert_int_equal(ftp_voidcmd(h->s, "NOOP"), FTP_E_STATE);
    hostile_connect_login(h);

    hostile_finish(h, HOSTILE_LOGIN);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        HOSTILE_TEST(getresp_reads_reply_owed_after_1xx),
        HOSTILE_TEST(voidresp_3xx_is_reply_error),
        HOSTILE_TEST(voidresp_4xx_is_temp),
        HOSTILE_TEST(voidresp_5xx_is_perm),
        HOSTILE_TEST(getresp_4xx_5xx_are_temp_and_perm),
        HOSTILE_TEST(getresp_with_data_stream_open_is_busy),
        HOSTILE_TEST(type_sent_only_when_it_changes),
        HOSTILE_TEST(raw_type_command_makes_type_resend),
        HOSTILE_TEST(refused_type_is_perm_and_resent),
        HOSTILE_TEST(type_cache_shared_with_transfers),
        HOSTILE_TEST(known_type_still_checks_the_session),
        HOSTILE_TEST(type_unknown_code_is_invalid),
        HOSTILE_TEST(addresses_ipv4),
        HOSTILE_TEST(addresses_ipv6_in_brackets),
        HOSTILE_TEST(data_session_is_the_owning_session),
        HOSTILE_TEST(eprt_mode_transfers_over_eprt),
        HOSTILE_TEST(eprt_mode_refused_never_falls_back_to_port),
        HOSTILE_TEST(port_mode_transfers_over_port_only),
        HOSTILE_TEST(port_mode_refusals_never_try_eprt),
        HOSTILE_TEST(port_mode_on_ipv6_is_unsupported),
        HOSTILE_TEST(abort_style_urgent_line_mid_transfer),
        HOSTILE_TEST(abort_style_plain_mid_transfer),
        HOSTILE_TEST(abort_style_telnet_mid_transfer),
        HOSTILE_TEST(abort_style_urgent_line_on_callback_stop),
        HOSTILE_TEST(abort_styles_without_transfer_225),
        HOSTILE_TEST(abort_styles_put_these_bytes_on_the_wire),
        HOSTILE_TEST(abort_refused_without_transfer_keeps_step),
        HOSTILE_TEST(abort_style_unknown_is_invalid),
        HOSTILE_TEST(code_999_is_proto_and_keeps_step),
        HOSTILE_TEST(code_631_multiline_is_proto_and_keeps_step),
        HOSTILE_TEST(bare_999_is_proto_and_keeps_step),
        HOSTILE_TEST(getresp_999_is_proto_and_keeps_step),
        HOSTILE_TEST(banner_999_fails_connect_with_proto),
    };
    return cmocka_run_group_tests_name("hostile: API 0.2", tests, NULL, NULL);
}
