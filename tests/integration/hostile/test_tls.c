/*
 * Hostile-server scenarios, catalogue section H: FTPS.  The scripted server
 * runs the server side of every handshake with Python's ssl module and
 * certificates from tests/servers/make_test_pki.py; the session trusts the
 * test CA.  Its transcript shows the TLS events as notes ("# tls handshake
 * ok TLSv1.3", "# data tls handshake ok TLSv1.3 resumed"), so each scenario
 * pins down which commands went out before, after or instead of a handshake.
 *
 * Built without TLS, the program exits 77 (meson: SKIP).
 */
#include "hostile.h"

#include <stdio.h>
#include <unistd.h>

/* A download the server ends properly: data, close_notify, FIN, 226. */
#define RETR_HELLO                \
    "on RETR reply 150 ok\n"      \
    "  data hello\n"              \
    "  dataclose\n"               \
    "  reply 226 done\n"

/* Not connected (a failed ftp_connect) or broken: nothing more goes out. */
static void assert_unusable(hostile *h)
{
    assert_int_equal(ftp_login(h->s, "user", "secret", NULL), FTP_E_STATE);
    assert_int_equal(ftp_voidcmd(h->s, "NOOP"), FTP_E_STATE);
}

static void assert_usable(hostile *h)
{
    assert_int_equal(ftp_voidcmd(h->s, "NOOP"), FTP_OK);
    assert_string_equal(ftp_last_reply(h->s), "200 ok");
}

/* Downloads "RETR f" (the RETR_HELLO script) and checks the data connection
 * resumed the control connection's TLS session. */
static void retr_hello_resumed(hostile *h, const char *version)
{
    hostile_sink sink = {0};
    assert_int_equal(ftp_retrbinary(h->s, "RETR f", 0, 0, hostile_sink_fn, &sink), FTP_OK);
    assert_string_equal(sink.data, "hello");
    assert_string_equal(ftp_last_transfer_tls_version(h->s), version);
    assert_non_null(ftp_last_transfer_tls_cipher(h->s));
    assert_int_equal(ftp_last_transfer_tls_resumed(h->s), 1);
}

/* ---- the happy paths the hostile ones are measured against -------------- */

/* Explicit FTPS: AUTH TLS, verified handshake, login, PBSZ 0 + PROT P, and
 * two protected downloads that both resume the control session. */
static void explicit_login_and_resumed_downloads(void **state)
{
    hostile *h = *state;
    hostile_start_tls(h, RETR_HELLO, FTP_TLS_EXPLICIT);
    hostile_connect_login(h);
    assert_string_equal(ftp_tls_version(h->s), "TLSv1.3");
    assert_non_null(ftp_tls_cipher(h->s));

    retr_hello_resumed(h, "TLSv1.3");
    retr_hello_resumed(h, "TLSv1.3");

    hostile_finish(h, HOSTILE_TLS_LOGIN
                   "TYPE I\nEPSV\nRETR f\n" HOSTILE_DATA_TLS_RESUMED
                   "EPSV\nRETR f\n" HOSTILE_DATA_TLS_RESUMED);
}

/* Regression (ASan lane): the non-blocking look at the control connection
 * before each command (are unread bytes waiting?) handed OpenSSL's callbacks
 * a deadline that had already gone out of scope.  TLS 1.3 tickets waiting
 * after the handshake are exactly what that look reads through, so let them
 * arrive before each command; the ASan and valgrind lanes check the memory,
 * this scenario that the commands still pair with their replies. */
static void regression_tls_probe_deadline_outlives_its_scope(void **state)
{
    hostile *h = *state;
    hostile_start_tls(h, "", FTP_TLS_EXPLICIT);
    assert_int_equal(hostile_connect(h), FTP_OK);
    for (int i = 0; i < 3; i++) {
        usleep(100 * 1000);
        assert_int_equal(ftp_voidcmd(h->s, "NOOP"), FTP_OK);
    }
    hostile_finish(h, HOSTILE_AUTH_TLS "NOOP\nNOOP\nNOOP\n");
}

/* H.70/71 with TLS 1.2 (session ids and tickets instead of 1.3 tickets). */
static void explicit_tls12_downloads_resume(void **state)
{
    hostile *h = *state;
    hostile_start_tls(h, "tls version 1.2\n" RETR_HELLO, FTP_TLS_EXPLICIT);
    hostile_connect_login(h);
    assert_string_equal(ftp_tls_version(h->s), "TLSv1.2");

    retr_hello_resumed(h, "TLSv1.2");
    retr_hello_resumed(h, "TLSv1.2");

    hostile_finish(h, "AUTH TLS\n# tls handshake ok TLSv1.2\n" HOSTILE_LOGIN "PBSZ 0\nPROT P\n"
                      "TYPE I\nEPSV\nRETR f\n# data tls handshake ok TLSv1.2 resumed\n"
                      "EPSV\nRETR f\n# data tls handshake ok TLSv1.2 resumed\n");
}

/* H.76: an upload ends with the client's close_notify (the server notes it
 * before the byte count). */
static void protected_upload_sends_close_notify(void **state)
{
    hostile *h = *state;
    hostile_start_tls(h, "on STOR store\n", FTP_TLS_EXPLICIT);
    hostile_connect_login(h);

    hostile_source src = {"bytes sent under PROT P", 0, 0};
    assert_int_equal(ftp_storbinary(h->s, "STOR f", 0, 0, hostile_source_fn, &src), FTP_OK);
    assert_int_equal(ftp_last_transfer_tls_resumed(h->s), 1);
    assert_usable(h);

    hostile_finish(h, HOSTILE_TLS_LOGIN "TYPE I\nEPSV\nSTOR f\n" HOSTILE_DATA_TLS_RESUMED
                      "# data tls close_notify received\n"
                      "# received 23 bytes sha256 "
                      "97060856deef2c8d560274b68fa6b49a79cca54a58be6182b2596e9034dceed4\n"
                      "NOOP\n");
}

/* Implicit FTPS: the handshake comes first, the banner arrives encrypted. */
static void implicit_login_and_download(void **state)
{
    hostile *h = *state;
    hostile_start_tls(h, "tls implicit\n" RETR_HELLO, FTP_TLS_IMPLICIT);
    hostile_connect_login(h);
    assert_string_equal(ftp_getwelcome(h->s), "220 hostile server ready");
    assert_string_equal(ftp_tls_version(h->s), "TLSv1.3");

    retr_hello_resumed(h, "TLSv1.3");

    hostile_finish(h, HOSTILE_TLS_OK HOSTILE_LOGIN "PBSZ 0\nPROT P\n"
                      "TYPE I\nEPSV\nRETR f\n" HOSTILE_DATA_TLS_RESUMED);
}

/* Downloads "RETR f" (the RETR_HELLO script) over a data connection that
 * cannot resume ("tls datacert"): a full handshake, reported as such. */
static void retr_hello_full_handshake(hostile *h)
{
    hostile_sink sink = {0};
    assert_int_equal(ftp_retrbinary(h->s, "RETR f", 0, 0, hostile_sink_fn, &sink), FTP_OK);
    assert_string_equal(sink.data, "hello");
    assert_string_equal(ftp_last_transfer_tls_version(h->s), "TLSv1.3");
    assert_int_equal(ftp_last_transfer_tls_resumed(h->s), 0);
}

/* The loudly named opt-out: a self-signed certificate is accepted on the
 * control connection and, in a full handshake, on the data connection. */
static void insecure_skip_verify_accepts_self_signed(void **state)
{
    hostile *h = *state;
    hostile_start_tls(h, "tls cert selfsigned\ntls datacert selfsigned\n" RETR_HELLO,
                      FTP_TLS_EXPLICIT);
    assert_int_equal(ftp_set_tls_insecure_skip_verify(h->s, 1), FTP_OK);
    hostile_connect_login(h);

    retr_hello_full_handshake(h);

    hostile_finish(h, HOSTILE_TLS_LOGIN "TYPE I\nEPSV\nRETR f\n"
                      "# data tls handshake ok TLSv1.3 full handshake\n");
}

/* Active mode: the server connects back, and is still the TLS server. */
static void active_mode_download(void **state)
{
    hostile *h = *state;
    hostile_start_tls(h, RETR_HELLO, FTP_TLS_EXPLICIT);
    assert_int_equal(ftp_set_data_mode(h->s, FTP_DATA_ACTIVE), FTP_OK);
    hostile_connect_login(h);

    retr_hello_resumed(h, "TLSv1.3");
    assert_string_equal(ftp_last_transfer_mode(h->s), "EPRT");

    hostile_finish(h, HOSTILE_TLS_LOGIN "TYPE I\nEPRT |1|127.0.0.1|{n}|\nRETR f\n"
                      HOSTILE_DATA_TLS_RESUMED);
}

/* ---- H.65: data connections that cannot resume ---------------------------- */

/* The data connections have session keys of their own: a full handshake,
 * verified (the same certificate as the control connection's), reported as
 * not resumed. */
static void data_full_handshake_is_reported(void **state)
{
    hostile *h = *state;
    hostile_start_tls(h, "tls datacert server\n" RETR_HELLO, FTP_TLS_EXPLICIT);
    hostile_connect_login(h);

    retr_hello_full_handshake(h);

    hostile_finish(h, HOSTILE_TLS_LOGIN "TYPE I\nEPSV\nRETR f\n"
                      "# data tls handshake ok TLSv1.3 full handshake\n");
}

/* A full data handshake presents a certificate for another host: verified
 * against the control connection's host, so refused (FTP_E_TLS); the
 * server's reply to the failed transfer is read, the session stays usable. */
static void data_certificate_for_another_host(void **state)
{
    hostile *h = *state;
    hostile_start_tls(h,
                      "tls datacert wronghost\n"
                      "on RETR reply 150 ok\n"
                      "  dataopen\n"
                      "  reply 425 TLS negotiation on the data connection failed\n",
                      FTP_TLS_EXPLICIT);
    hostile_connect_login(h);

    hostile_sink sink = {0};
    assert_int_equal(ftp_retrbinary(h->s, "RETR f", 0, 0, hostile_sink_fn, &sink), FTP_E_TLS);
    assert_int_equal(sink.total, 0);
    assert_usable(h);

    hostile_finish(h, HOSTILE_TLS_LOGIN "TYPE I\nEPSV\nRETR f\n"
                      "# data tls handshake failed: SSLV3_ALERT_BAD_CERTIFICATE\nNOOP\n");
}

/* ---- H.64: certificates that must fail verification, before USER ------- */

/* Connects under FTP_TLS_EXPLICIT to a server presenting @p cert: the
 * handshake fails on the client's alert @p alert, nothing follows. */
static void certificate_rejected(hostile *h, const char *cert, int trust_test_ca,
                                 const char *alert)
{
    char script[128], expected[256];
    snprintf(script, sizeof script, "tls cert %s\n", cert);
    snprintf(expected, sizeof expected, "AUTH TLS\n# tls handshake failed: %s\n", alert);
    hostile_start_tls(h, script, FTP_TLS_EXPLICIT);
    if (!trust_test_ca)
        assert_int_equal(ftp_set_ca_file(h->s, NULL), FTP_OK); /* the system store */

    assert_int_equal(hostile_connect(h), FTP_E_TLS);
    assert_null(ftp_tls_version(h->s));
    assert_unusable(h);

    hostile_finish(h, expected);
}

static void expired_certificate(void **state)
{
    certificate_rejected(*state, "expired", 1, "SSLV3_ALERT_CERTIFICATE_EXPIRED");
}

static void wrong_host_certificate(void **state)
{
    certificate_rejected(*state, "wronghost", 1, "SSLV3_ALERT_BAD_CERTIFICATE");
}

static void self_signed_certificate(void **state)
{
    certificate_rejected(*state, "selfsigned", 1, "TLSV1_ALERT_UNKNOWN_CA");
}

/* A good certificate from a CA the system store does not know. */
static void untrusted_ca_certificate(void **state)
{
    certificate_rejected(*state, "server", 0, "TLSV1_ALERT_UNKNOWN_CA");
}

/* ftp_set_tls_insecure_skip_hostname() accepts a trusted certificate for
 * another name, and nothing else: the chain is still verified. */
static void skip_hostname_accepts_wrong_host_only(void **state)
{
    hostile *h = *state;
    hostile_start_tls(h, "tls cert wronghost\n", FTP_TLS_EXPLICIT);
    assert_int_equal(ftp_set_tls_insecure_skip_hostname(h->s, 1), FTP_OK);
    assert_int_equal(hostile_connect(h), FTP_OK);
    assert_non_null(ftp_tls_version(h->s));
    assert_int_equal(ftp_voidcmd(h->s, "NOOP"), FTP_OK);
    hostile_finish(h, "AUTH TLS\n# tls handshake ok TLSv1.3\nNOOP\n");
}

static void skip_hostname_still_refuses_untrusted_chain(void **state)
{
    hostile *h = *state;
    hostile_start_tls(h, "tls cert selfsigned\n", FTP_TLS_EXPLICIT);
    assert_int_equal(ftp_set_tls_insecure_skip_hostname(h->s, 1), FTP_OK);
    assert_int_equal(hostile_connect(h), FTP_E_TLS);
    assert_unusable(h);
    hostile_finish(h, "AUTH TLS\n# tls handshake failed: TLSV1_ALERT_UNKNOWN_CA\n");
}

/* ---- H.66/67: refused AUTH, pre-authenticated banner --------------------- */

/* FTP_TLS_EXPLICIT never falls back to clear text: connect fails, closed. */
static void auth_refused_explicit(hostile *h, const char *reply)
{
    char script[128];
    snprintf(script, sizeof script, "on AUTH reply %s\n", reply);
    hostile_start_tls(h, script, FTP_TLS_EXPLICIT);

    assert_int_equal(hostile_connect(h), FTP_E_TLS);
    assert_unusable(h);

    hostile_finish(h, "AUTH TLS\n");
}

static void auth_500_explicit_fails(void **state)
{
    auth_refused_explicit(*state, "500 AUTH not understood");
}

static void auth_534_explicit_fails(void **state)
{
    auth_refused_explicit(*state, "534 TLS not available");
}

/* FTP_TLS_TRY_INSECURE goes on in clear text: no PBSZ/PROT, clear data. */
static void auth_refused_try_insecure(hostile *h, const char *reply)
{
    char script[256];
    snprintf(script, sizeof script, "on AUTH reply %s\n" RETR_HELLO, reply);
    hostile_start_tls(h, script, FTP_TLS_TRY_INSECURE);

    hostile_connect_login(h);
    assert_null(ftp_tls_version(h->s));
    hostile_sink sink = {0};
    assert_int_equal(ftp_retrbinary(h->s, "RETR f", 0, 0, hostile_sink_fn, &sink), FTP_OK);
    assert_string_equal(sink.data, "hello");
    assert_null(ftp_last_transfer_tls_version(h->s));
    assert_int_equal(ftp_last_transfer_tls_resumed(h->s), -1);
    assert_usable(h);

    hostile_finish(h, "AUTH TLS\n" HOSTILE_LOGIN "TYPE I\nEPSV\nRETR f\nNOOP\n");
}

static void auth_500_try_insecure_goes_clear(void **state)
{
    auth_refused_try_insecure(*state, "500 AUTH not understood");
}

static void auth_534_try_insecure_goes_clear(void **state)
{
    auth_refused_try_insecure(*state, "534 TLS not available");
}

/* AUTH TLS must be answered 234: any other reply that is not a refusal
 * (4xx/5xx) is not a reason to go on in clear text either, not even with
 * FTP_TLS_TRY_INSECURE. */
static void auth_not_234(hostile *h, const char *reply, int mode)
{
    char script[128];
    snprintf(script, sizeof script, "on AUTH reply %s\n", reply);
    hostile_start_tls(h, script, mode);

    assert_int_equal(hostile_connect(h), FTP_E_TLS);
    assert_unusable(h);

    hostile_finish(h, "AUTH TLS\n");
}

static void auth_200_explicit_fails(void **state)
{
    auth_not_234(*state, "200 AUTH fine, whatever", FTP_TLS_EXPLICIT);
}

static void auth_334_try_insecure_fails(void **state)
{
    auth_not_234(*state, "334 ADAT=please", FTP_TLS_TRY_INSECURE);
}

/* ftp_auth() on a plain session: a plain refusal leaves it usable. */
static void ftp_auth_refused_stays_usable(void **state)
{
    hostile *h = *state;
    hostile_start_tls(h, "on AUTH reply 534 TLS not available\n", FTP_TLS_NONE);
    assert_int_equal(hostile_connect(h), FTP_OK);

    assert_int_equal(ftp_auth(h->s), FTP_E_TLS);
    assert_null(ftp_tls_version(h->s));
    assert_usable(h);

    hostile_finish(h, "AUTH TLS\nNOOP\n");
}

/* H.67: "230 already logged in" as banner while TLS is required. */
static void preauthenticated_banner_fails(void **state)
{
    hostile *h = *state;
    hostile_start_tls(h, "banner 230 welcome, you are logged in already\n", FTP_TLS_EXPLICIT);

    assert_int_equal(hostile_connect(h), FTP_E_TLS);
    assert_unusable(h);

    hostile_finish(h, "");
}

/* ---- H.68/69: what comes instead of a handshake ------------------------ */

/* H.68: bytes after the 234, before the handshake (in the same segment, so
 * they are waiting when the 234 is read): they are unauthenticated. */
static void bytes_after_234_fail(void **state)
{
    hostile *h = *state;
    hostile_start_tls(h,
                      "on AUTH raw 234 go ahead\\r\\n230 injected in clear text\\r\\n\n"
                      "  starttls\n",
                      FTP_TLS_EXPLICIT);

    assert_int_equal(hostile_connect(h), FTP_E_TLS);
    assert_unusable(h);

    hostile_finish(h, "AUTH TLS\n# tls handshake failed: connection closed\n");
}

/* H.69: the ClientHello is answered with clear text. */
static void garbage_instead_of_server_hello(void **state)
{
    hostile *h = *state;
    hostile_start_tls(h,
                      "on AUTH reply 234 go ahead\n"
                      "  clienthello\n"
                      "  raw 220 this is not a ServerHello\\r\\n\n"
                      "  waitclose\n",
                      FTP_TLS_EXPLICIT);

    assert_int_equal(hostile_connect(h), FTP_E_TLS);
    assert_unusable(h);

    hostile_finish(h, "AUTH TLS\n# tls ClientHello received\n"
                      "# the client closed the connection\n");
}

/* H.69: the server hangs up on the ClientHello. */
static void eof_instead_of_server_hello(void **state)
{
    hostile *h = *state;
    hostile_start_tls(h,
                      "on AUTH reply 234 go ahead\n"
                      "  clienthello\n"
                      "  close\n",
                      FTP_TLS_EXPLICIT);

    assert_int_equal(hostile_connect(h), FTP_E_TLS);
    assert_unusable(h);

    hostile_finish(h, "AUTH TLS\n# tls ClientHello received\n");
}

/* The ClientHello is never answered: the deadline ends the handshake. */
static void stalled_handshake_times_out(void **state)
{
    hostile *h = *state;
    hostile_start_tls(h,
                      "on AUTH reply 234 go ahead\n"
                      "  clienthello\n"
                      "  waitclose\n",
                      FTP_TLS_EXPLICIT);
    assert_int_equal(ftp_set_timeout_ms(h->s, 300), FTP_OK);

    assert_int_equal(hostile_connect(h), FTP_E_TIMEOUT);
    assert_unusable(h);

    hostile_finish(h, "AUTH TLS\n# tls ClientHello received\n"
                      "# the client closed the connection\n");
}

/* The same on the implicit port: TCP accepted, ClientHello never answered. */
static void stalled_implicit_handshake_times_out(void **state)
{
    hostile *h = *state;
    hostile_start_tls(h,
                      "on CONNECT clienthello\n"
                      "  waitclose\n",
                      FTP_TLS_IMPLICIT);
    assert_int_equal(ftp_set_timeout_ms(h->s, 300), FTP_OK);

    assert_int_equal(hostile_connect(h), FTP_E_TIMEOUT);
    assert_unusable(h);

    hostile_finish(h, "# tls ClientHello received\n# the client closed the connection\n");
}

/* The data connection is accepted but its ClientHello never answered: the
 * data deadline ends the wait (and, like every timeout, the session). */
static void stalled_data_handshake_times_out(void **state)
{
    hostile *h = *state;
    hostile_start_tls(h,
                      "on RETR reply 150 ok\n"
                      "  datastall\n",
                      FTP_TLS_EXPLICIT);
    hostile_connect_login(h);
    assert_int_equal(ftp_set_timeout_ms(h->s, 300), FTP_OK);

    hostile_sink sink = {0};
    assert_int_equal(ftp_retrbinary(h->s, "RETR f", 0, 0, hostile_sink_fn, &sink),
                     FTP_E_TIMEOUT);
    assert_unusable(h);

    hostile_finish(h, HOSTILE_TLS_LOGIN "TYPE I\nEPSV\nRETR f\n");
}

/* ---- H.75: truncation ----------------------------------------------------- */

/* The download ends with a TCP FIN but no close_notify: FTP_E_TLS, the 226
 * is still read, and the session stays usable. */
static void download_without_close_notify(void **state)
{
    hostile *h = *state;
    hostile_start_tls(h,
                      "on RETR reply 150 ok\n"
                      "  data hello\n"
                      "  datacut\n"
                      "  reply 226 done\n",
                      FTP_TLS_EXPLICIT);
    hostile_connect_login(h);

    hostile_sink sink = {0};
    assert_int_equal(ftp_retrbinary(h->s, "RETR f", 0, 0, hostile_sink_fn, &sink), FTP_E_TLS);
    assert_string_equal(sink.data, "hello");
    assert_usable(h);

    hostile_finish(h, HOSTILE_TLS_LOGIN "TYPE I\nEPSV\nRETR f\n" HOSTILE_DATA_TLS_RESUMED "NOOP\n");
}

/* The same truncation on a listing (the line-reading path). */
static void listing_without_close_notify(void **state)
{
    hostile *h = *state;
    hostile_start_tls(h,
                      "on LIST reply 150 ok\n"
                      "  data a\\r\\nb\\r\\n\n"
                      "  datacut\n"
                      "  reply 226 done\n",
                      FTP_TLS_EXPLICIT);
    hostile_connect_login(h);

    hostile_lines lines = {0};
    assert_int_equal(ftp_dir(h->s, NULL, hostile_line_fn, &lines), FTP_E_TLS);
    assert_usable(h);

    hostile_finish(h, HOSTILE_TLS_LOGIN "TYPE A\nEPSV\nLIST\n" HOSTILE_DATA_TLS_RESUMED "NOOP\n");
}

/* The same truncation read through a stream: ftp_data_read() must not call
 * it end of file (0 bytes), or the caller would take a cut file for a whole
 * one.  ftp_data_close() then reads the final reply (226: FTP_OK, the
 * truncation was reported already), and the session stays usable. */
static void stream_without_close_notify(void **state)
{
    hostile *h = *state;
    hostile_start_tls(h,
                      "on RETR reply 150 ok\n"
                      "  data hello\n"
                      "  datacut\n"
                      "  reply 226 done\n",
                      FTP_TLS_EXPLICIT);
    hostile_connect_login(h);

    assert_int_equal(ftp_voidcmd(h->s, "TYPE I"), FTP_OK);
    ftp_data *d = NULL;
    assert_int_equal(ftp_transfercmd(h->s, "RETR f", 0, &d, NULL), FTP_OK);
    char buf[64];
    size_t got = 0, n = 0;
    int rc = FTP_OK;
    for (int guard = 0; guard < 100 && rc == FTP_OK; guard++) {
        rc = ftp_data_read(d, buf + got, sizeof buf - got, &n);
        if (rc == FTP_OK && n == 0)
            break; /* end of file: what a truncation must not look like */
        if (rc == FTP_OK)
            got += n;
    }
    assert_int_equal(got, 5);
    assert_int_equal(rc, FTP_E_TLS);
    assert_int_equal(ftp_data_close(d), FTP_OK);
    assert_int_equal(ftp_last_reply_code(h->s), 226);
    assert_usable(h);

    hostile_finish(h, HOSTILE_TLS_LOGIN "TYPE I\nEPSV\nRETR f\n" HOSTILE_DATA_TLS_RESUMED "NOOP\n");
}

/* ---- H.78: PBSZ / PROT ---------------------------------------------------- */

/* PROT C: clear data connections; ftp_prot_p() protects them again. */
static void prot_c_then_prot_p(void **state)
{
    hostile *h = *state;
    hostile_start_tls(h, RETR_HELLO, FTP_TLS_EXPLICIT);
    hostile_connect_login(h);

    assert_int_equal(ftp_prot_c(h->s), FTP_OK);
    hostile_sink sink = {0};
    assert_int_equal(ftp_retrbinary(h->s, "RETR f", 0, 0, hostile_sink_fn, &sink), FTP_OK);
    assert_string_equal(sink.data, "hello");
    assert_null(ftp_last_transfer_tls_version(h->s));
    assert_int_equal(ftp_last_transfer_tls_resumed(h->s), -1);

    assert_int_equal(ftp_prot_p(h->s), FTP_OK);
    retr_hello_resumed(h, "TLSv1.3");

    hostile_finish(h, HOSTILE_TLS_LOGIN "PROT C\nTYPE I\nEPSV\nRETR f\n"
                      "PBSZ 0\nPROT P\nEPSV\nRETR f\n" HOSTILE_DATA_TLS_RESUMED);
}

static void prot_p_refused_fails_login(void **state)
{
    hostile *h = *state;
    hostile_start_tls(h, "on PROT reply 534 PROT P refused\n", FTP_TLS_EXPLICIT);
    assert_int_equal(hostile_connect(h), FTP_OK);

    assert_int_equal(ftp_login(h->s, "user", "secret", NULL), FTP_E_TLS);
    assert_usable(h);

    hostile_finish(h, HOSTILE_TLS_LOGIN "NOOP\n");
}

/* RFC 4217: PBSZ 0 for TLS; a server that asks for another size cannot be
 * protected, and PROT P is pointless after it. */
static void pbsz_nonzero_fails_login(void **state)
{
    hostile *h = *state;
    hostile_start_tls(h, "on PBSZ reply 200 PBSZ=16384\n", FTP_TLS_EXPLICIT);
    assert_int_equal(hostile_connect(h), FTP_OK);

    assert_int_equal(ftp_login(h->s, "user", "secret", NULL), FTP_E_TLS);
    assert_usable(h);

    hostile_finish(h, HOSTILE_AUTH_TLS HOSTILE_LOGIN "PBSZ 0\nNOOP\n");
}

/* ---- H.77: CCC ------------------------------------------------------------ */

/* CCC accepted: close_notify both ways, then clear text on the same TCP
 * connection (the server reads the NOOP without TLS); data stays protected. */
static void ccc_accepted_goes_clear(void **state)
{
    hostile *h = *state;
    hostile_start_tls(h, RETR_HELLO, FTP_TLS_EXPLICIT);
    hostile_connect_login(h);

    assert_int_equal(ftp_ccc(h->s), FTP_OK);
    assert_null(ftp_tls_version(h->s));
    assert_usable(h);
    retr_hello_resumed(h, "TLSv1.3");

    hostile_finish(h, HOSTILE_TLS_LOGIN "CCC\n# tls unwrapped: clear text from here\nNOOP\n"
                      "TYPE I\nEPSV\nRETR f\n" HOSTILE_DATA_TLS_RESUMED);
}

/* CCC refused: still encrypted (the server still reads TLS) and usable. */
static void ccc_refused_stays_encrypted(void **state)
{
    hostile *h = *state;
    hostile_start_tls(h, "on CCC reply 500 CCC not allowed\n", FTP_TLS_EXPLICIT);
    hostile_connect_login(h);

    assert_int_equal(ftp_ccc(h->s), FTP_E_PERM);
    assert_string_equal(ftp_tls_version(h->s), "TLSv1.3");
    assert_usable(h);

    hostile_finish(h, HOSTILE_TLS_LOGIN "CCC\nNOOP\n");
}

/* ---- ABOR under TLS --------------------------------------------------------- */

#define STREAMING_RETR                            \
    "on RETR reply 150 Opening data connection\n" \
    "  dataflood 67108864 0123456789abcdef\n"      \
    "on ABOR reply 426 Transfer aborted\n"        \
    "  reply 226 Abort successful\n"

/* ftp_abort() under TLS sends a plain in-band "ABOR": the server keeps
 * Telnet bytes in its transcript while encrypted, and urgent bytes sent
 * beside the TLS stream would break its records ("# tls read failed"). */
static void abort_is_in_band(void **state)
{
    hostile *h = *state;
    hostile_start_tls(h, STREAMING_RETR, FTP_TLS_EXPLICIT);
    hostile_connect_login(h);

    hostile_open_and_read_some(h);
    assert_int_equal(ftp_abort(h->s), FTP_OK);
    assert_int_equal(ftp_last_reply_code(h->s), 226);
    assert_usable(h);

    hostile_finish(h, HOSTILE_TLS_LOGIN "TYPE I\nEPSV\nRETR f\n" HOSTILE_DATA_TLS_RESUMED
                      "ABOR\nNOOP\n");
}

/* The library's own abort (a callback says stop) takes the same path. */
static void callback_abort_is_in_band(void **state)
{
    hostile *h = *state;
    hostile_start_tls(h, STREAMING_RETR, FTP_TLS_EXPLICIT);
    hostile_connect_login(h);

    hostile_sink sink = {0};
    sink.stop_after = 1;
    assert_int_equal(ftp_retrbinary(h->s, "RETR f", 4096, 0, hostile_sink_fn, &sink),
                     FTP_E_ABORTED);
    assert_usable(h);

    hostile_finish(h, HOSTILE_TLS_LOGIN "TYPE I\nEPSV\nRETR f\n" HOSTILE_DATA_TLS_RESUMED
                      "ABOR\nNOOP\n");
}

/* The only allowed skip: a library built with -Dtls=disabled. */
static int tls_is_built_in(void)
{
    ftp_session *s = ftp_session_new();
    if (s == NULL)
        return -1;
    int rc = ftp_set_tls_mode(s, FTP_TLS_EXPLICIT);
    ftp_session_free(s);
    return rc != FTP_E_UNSUPPORTED;
}

int main(void)
{
    int built_in = tls_is_built_in();
    if (built_in < 0) {
        fprintf(stderr, "ftp_session_new failed\n");
        return 1;
    }
    if (!built_in) {
        printf("SKIP: ftpc was built without TLS (-Dtls=disabled): "
               "ftp_set_tls_mode returns FTP_E_UNSUPPORTED\n");
        return 77;
    }
    const struct CMUnitTest tests[] = {
        HOSTILE_TEST(explicit_login_and_resumed_downloads),
        HOSTILE_TEST(regression_tls_probe_deadline_outlives_its_scope),
        HOSTILE_TEST(explicit_tls12_downloads_resume),
        HOSTILE_TEST(protected_upload_sends_close_notify),
        HOSTILE_TEST(implicit_login_and_download),
        HOSTILE_TEST(insecure_skip_verify_accepts_self_signed),
        HOSTILE_TEST(active_mode_download),
        HOSTILE_TEST(data_full_handshake_is_reported),
        HOSTILE_TEST(data_certificate_for_another_host),
        HOSTILE_TEST(expired_certificate),
        HOSTILE_TEST(wrong_host_certificate),
        HOSTILE_TEST(self_signed_certificate),
        HOSTILE_TEST(untrusted_ca_certificate),
        HOSTILE_TEST(skip_hostname_accepts_wrong_host_only),
        HOSTILE_TEST(skip_hostname_still_refuses_untrusted_chain),
        HOSTILE_TEST(auth_500_explicit_fails),
        HOSTILE_TEST(auth_534_explicit_fails),
        HOSTILE_TEST(auth_500_try_insecure_goes_clear),
        HOSTILE_TEST(auth_534_try_insecure_goes_clear),
        HOSTILE_TEST(auth_200_explicit_fails),
        HOSTILE_TEST(auth_334_try_insecure_fails),
        HOSTILE_TEST(ftp_auth_refused_stays_usable),
        HOSTILE_TEST(preauthenticated_banner_fails),
        HOSTILE_TEST(bytes_after_234_fail),
        HOSTILE_TEST(garbage_instead_of_server_hello),
        HOSTILE_TEST(eof_instead_of_server_hello),
        HOSTILE_TEST(stalled_handshake_times_out),
        HOSTILE_TEST(stalled_implicit_handshake_times_out),
        HOSTILE_TEST(stalled_data_handshake_times_out),
        HOSTILE_TEST(download_without_close_notify),
        HOSTILE_TEST(listing_without_close_notify),
        HOSTILE_TEST(stream_without_close_notify),
        HOSTILE_TEST(prot_c_then_prot_p),
        HOSTILE_TEST(prot_p_refused_fails_login),
        HOSTILE_TEST(pbsz_nonzero_fails_login),
        HOSTILE_TEST(ccc_accepted_goes_clear),
        HOSTILE_TEST(ccc_refused_stays_encrypted),
        HOSTILE_TEST(abort_is_in_band),
        HOSTILE_TEST(callback_abort_is_in_band),
    };
    return cmocka_run_group_tests_name("hostile: H. FTPS", tests, NULL, NULL);
}
