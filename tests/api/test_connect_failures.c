/*
 * ftp_connect() failures that need no FTP server: a loopback port nobody
 * listens on (FTP_E_CONNECT), a name that cannot resolve (FTP_E_RESOLVE),
 * a listener that never sends a banner (FTP_E_TIMEOUT) and a cancel made
 * while the session was idle (FTP_E_CANCELLED).  Only 127.0.0.1 and ::1
 * are contacted, on ports the kernel hands out.
 */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif

#include "api_assert.h"
#include "api_fixtures.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

/* Deadlines that keep a broken library from hanging the test; never timed.
 * (HANG_GUARD_MS, the default, is in api_fixtures.h.) */
#define SHORT_REPLY_TIMEOUT_MS 300
/* Long enough that a working cancel always wins, short enough that a lost
 * one does not stall the run for long. */
#define CANCEL_GUARD_MS 5000

/* A loopback TCP socket bound to a kernel-chosen port. */
struct loopback_port {
    int fd;
    unsigned port;
};

/*
 * Binds a TCP socket to @p address (127.0.0.1 or ::1) port 0.  With
 * @p listening 0 the port is reserved but refuses connections (RST), which is
 * race-free as long as the socket stays open; with 1 the kernel completes
 * handshakes into the backlog although nobody ever accepts or writes.
 */
static struct loopback_port loopback_port_open(int family, int listening)
{
    struct loopback_port lp = {-1, 0};
    struct sockaddr_storage ss;
    socklen_t len;

    memset(&ss, 0, sizeof ss);
    if (family == AF_INET6) {
        struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;
        sin6->sin6_family = AF_INET6;
        sin6->sin6_addr = in6addr_loopback;
        len = sizeof *sin6;
    } else {
        struct sockaddr_in *sin = (struct sockaddr_in *)&ss;
        sin->sin_family = AF_INET;
        sin->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        len = sizeof *sin;
    }
    lp.fd = socket(family, SOCK_STREAM, 0);
    if (lp.fd < 0)
        fail_msg("socket: %s", strerror(errno));
    if (bind(lp.fd, (struct sockaddr *)&ss, len) != 0)
        fail_msg("bind to loopback: %s", strerror(errno));
    if (listening && listen(lp.fd, 16) != 0)
        fail_msg("listen: %s", strerror(errno));
    len = sizeof ss;
    if (getsockname(lp.fd, (struct sockaddr *)&ss, &len) != 0)
        fail_msg("getsockname: %s", strerror(errno));
    lp.port = family == AF_INET6 ? ntohs(((struct sockaddr_in6 *)&ss)->sin6_port)
                                 : ntohs(((struct sockaddr_in *)&ss)->sin_port);
    return lp;
}

static void loopback_port_close(struct loopback_port *lp)
{
    if (lp->fd >= 0)
        close(lp->fd);
    lp->fd = -1;
}

/* Trace events seen while connecting: counted and checked for shape. */
struct trace_log {
    int events;
    int malformed;
};

static void check_trace_event(int kind, const char *text, size_t len, void *userdata)
{
    struct trace_log *log = userdata;
    log->events++;
    if (kind < FTP_TRACE_INFO || kind > FTP_TRACE_REPLY || text == NULL ||
        strlen(text) != len)
        log->malformed++;
}

/* After a failed ftp_connect() "the session is left unconnected". */
static void assert_left_unconnected(ftp_session *s)
{
    assert_null(ftp_getwelcome(s));
    assert_status(ftp_voidcmd(s, "NOOP"), FTP_E_STATE);
}

static void closed_ipv4_port_is_connect_error(void **state)
{
    ftp_session *s = *state;
    struct loopback_port closed = loopback_port_open(AF_INET, 0);
    struct trace_log log = {0, 0};

    assert_status(ftp_set_debuglevel(s, 2), FTP_OK);
    assert_status(ftp_set_trace_fn(s, check_trace_event, &log, NULL), FTP_OK);
    assert_status(ftp_connect(s, "127.0.0.1", closed.port), FTP_E_CONNECT);
    assert_status(ftp_last_error_code(s), FTP_E_CONNECT);
    assert_true(ftp_last_error(s)[0] != '\0');
    assert_int_equal(ftp_last_reply_code(s), 0);
    assert_int_equal(log.malformed, 0);
    assert_left_unconnected(s);

    /* The same session may try again, and fails the same way. */
    assert_status(ftp_connect(s, "127.0.0.1", closed.port), FTP_E_CONNECT);
    loopback_port_close(&closed);
}

static void closed_ipv6_port_is_connect_error(void **state)
{
    ftp_session *s = *state;
    struct loopback_port closed = loopback_port_open(AF_INET6, 0);

    assert_status(ftp_connect(s, "::1", closed.port), FTP_E_CONNECT);
    assert_left_unconnected(s);
    loopback_port_close(&closed);
}

/* RFC 2606 reserves .invalid: it never resolves, and a resolver without
 * network answers at once. */
static void invalid_tld_is_resolve_error(void **state)
{
    ftp_session *s = *state;

    assert_status(ftp_connect(s, "nonexistent.invalid", 21), FTP_E_RESOLVE);
    assert_status(ftp_last_error_code(s), FTP_E_RESOLVE);
    assert_true(ftp_last_error(s)[0] != '\0');
    assert_left_unconnected(s);
}

static void silent_listener_is_timeout_and_leaves_session_unconnected(void **state)
{
    ftp_session *s = *state;
    struct loopback_port silent = loopback_port_open(AF_INET, 1);

    assert_status(ftp_set_phase_timeout_ms(s, FTP_TIMEOUT_REPLY, SHORT_REPLY_TIMEOUT_MS),
                  FTP_OK);
    assert_status(ftp_connect(s, "127.0.0.1", silent.port), FTP_E_TIMEOUT);
    assert_left_unconnected(s);
    loopback_port_close(&silent);
}

/*
 * "A cancel that arrives while no call is running breaks the next blocking
 * call at its first wait" - and only that one: the connect after it runs
 * normally (here: into the reply timeout).
 */
static void idle_cancel_breaks_only_the_next_blocking_call(void **state)
{
    ftp_session *s = *state;
    struct loopback_port silent = loopback_port_open(AF_INET, 1);

    assert_status(ftp_set_timeout_ms(s, CANCEL_GUARD_MS), FTP_OK);
    assert_status(ftp_cancel(s), FTP_OK);
    assert_status(ftp_set_debuglevel(s, 0), FTP_OK); /* never waits: unaffected */
    assert_status(ftp_connect(s, "127.0.0.1", silent.port), FTP_E_CANCELLED);
    assert_left_unconnected(s);

    assert_status(ftp_set_phase_timeout_ms(s, FTP_TIMEOUT_REPLY, SHORT_REPLY_TIMEOUT_MS),
                  FTP_OK);
    assert_status(ftp_connect(s, "127.0.0.1", silent.port), FTP_E_TIMEOUT);
    loopback_port_close(&silent);
}

#define WITH_SESSION(test) cmocka_unit_test_setup_teardown(test, session_setup, session_teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        WITH_SESSION(closed_ipv4_port_is_connect_error),
        WITH_SESSION(closed_ipv6_port_is_connect_error),
        WITH_SESSION(invalid_tld_is_resolve_error),
        WITH_SESSION(silent_listener_is_timeout_and_leaves_session_unconnected),
        WITH_SESSION(idle_cancel_breaks_only_the_next_blocking_call),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
