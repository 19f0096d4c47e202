/*
 * The shared part of the hostile-server scenarios: start
 * tests/servers/hostile_server.py with a script, point a session at it, and
 * at the end compare the server's command transcript with the expected one,
 * line for line.
 *
 * Every scenario is a cmocka test registered with HOSTILE_TEST(), so the
 * teardown stops the server and frees the session even when an assertion
 * fails half-way.
 *
 * The server's built-in rules (see its docstring) answer USER 331, PASS 230,
 * TYPE 200, EPSV/PASV with a real listener, EPRT/PORT 200, NOOP 200,
 * ABOR 225, QUIT 221 and anything else 500, so a script only states what is
 * unusual about its scenario.
 */
#ifndef FTPC_TEST_HOSTILE_H
#define FTPC_TEST_HOSTILE_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>

#include <cmocka.h>
#include <ftpc/ftpc.h>

#include "test_server.h"

typedef struct hostile {
    test_server server;
    int server_running;
    ftp_session *s;
    char dir[1024];
    char script_path[1100];
    char transcript_path[1100];
    unsigned opened; /* "OPEN" lines the server printed so far */
    unsigned closed; /* "CLOSED" lines */
    char status_buf[256];
    size_t status_used;
} hostile;

/* cmocka fixtures: *state becomes a zeroed hostile, torn down afterwards. */
int hostile_setup(void **state);
int hostile_teardown(void **state);
#define HOSTILE_TEST(fn) cmocka_unit_test_setup_teardown(fn, hostile_setup, hostile_teardown)

/*
 * Starts the server on @p script (IPv4, or IPv6 with @p family 6) and creates
 * h->s with every timeout at 2 s, so a scenario that waits in vain fails fast
 * instead of hanging.  Fails the test if the server does not come up.
 */
void hostile_start(hostile *h, const char *script);
void hostile_start_family(hostile *h, const char *script, int family);

/* ftp_connect() to the server; returns its status. */
int hostile_connect(hostile *h);

/* Connects and logs in as "user"/"secret"; both must succeed. */
void hostile_connect_login(hostile *h);

/* The transcript lines hostile_connect_login() causes. */
#define HOSTILE_LOGIN "USER user\nPASS secret\n"

/*
 * Ends the scenario: frees the session (so nothing more can be sent), waits
 * until the server is done with every control connection, then compares its
 * transcript with @p expected ('\n'-separated lines, the last one also ending
 * in '\n').  In an expected line "{n}" matches one or more digits (a port the
 * kernel chose).  On a mismatch both transcripts go to stderr and the test
 * fails.
 */
void hostile_finish(hostile *h, const char *expected);

/* ---- FTPS ---------------------------------------------------------------- */

/*
 * Like hostile_start(), for a TLS scenario: makes the test certificates
 * (tests/servers/make_test_pki.py, once per run, in FTPC_TEST_TMP/pki), gives
 * the server --pki, and sets the session's TLS @p mode (FTP_TLS_*) and
 * ftp_set_ca_file() to the test CA.  The script's "tls cert NAME" chooses
 * what the server presents.
 */
void hostile_start_tls(hostile *h, const char *script, int mode);

/* The path of file @p name ("ca.pem", "selfsigned.pem") among the test
 * certificates, which hostile_start_tls() made. */
void hostile_pki_file(const char *name, char *out, size_t cap);

/* The transcript lines of a successful server-side TLS handshake on the
 * control connection, and of AUTH TLS followed by one. */
#define HOSTILE_TLS_OK "# tls handshake ok TLSv1.3\n"
#define HOSTILE_AUTH_TLS "AUTH TLS\n" HOSTILE_TLS_OK

/* hostile_connect_login() under FTP_TLS_EXPLICIT: AUTH TLS, the handshake,
 * the login, then PBSZ 0 and PROT P. */
#define HOSTILE_TLS_LOGIN HOSTILE_AUTH_TLS HOSTILE_LOGIN "PBSZ 0\nPROT P\n"

/* A data connection's handshake that resumed the control session. */
#define HOSTILE_DATA_TLS_RESUMED "# data tls handshake ok TLSv1.3 resumed\n"

/* ---- callbacks the scenarios share ------------------------------------ */

/* Collects downloaded bytes; stops (returns 1) once stop_after bytes came, if nonzero. */
typedef struct hostile_sink {
    char data[4096];
    size_t len;    /* bytes kept in data */
    uint64_t total; /* bytes received */
    uint64_t stop_after;
    unsigned calls;
} hostile_sink;
int hostile_sink_fn(const void *data, size_t len, void *userdata);

/* Collects text lines, joined by '\n' (each followed by one). */
typedef struct hostile_lines {
    char text[8192];
    size_t len;
    unsigned count;
    unsigned stop_after; /* return 1 after this many lines, if nonzero */
} hostile_lines;
int hostile_line_fn(const char *line, size_t len, void *userdata);

/* Supplies @p total bytes of 'x' in blocks; counts what it handed out. */
typedef struct hostile_source {
    const char *text; /* if not NULL, the exact bytes to upload instead */
    uint64_t total;
    uint64_t given;
} hostile_source;
int hostile_source_fn(void *buf, size_t cap, size_t *out_len, void *userdata);

/* TYPE I, then "RETR f" as an ftp_transfercmd() stream, and one block read
 * from it: a transfer running, for the ABOR scenarios. */
ftp_data *hostile_open_and_read_some(hostile *h);

#endif
