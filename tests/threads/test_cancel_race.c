/*
 * Regression test for "cancel racing reset leaves a stale wakeup".
 *
 * ftp_cancel() may run concurrently with any call on its session.  The
 * library's canceller is an atomic flag plus an eventfd that every poll()
 * also waits on; ftp_close() (and a call that a cancel stopped) resets
 * both.  A cancel and a reset interleaved as "flag set, eventfd drained,
 * flag cleared, eventfd written" used to leave the eventfd readable with
 * the flag clear: every later wait of the session then woke at once, found
 * no cancel and polled again — a busy loop burning a whole core until
 * the next reset, found by reasoning about tests/threads and then shown
 * here.
 *
 * The test races one ftp_cancel() against one ftp_close() many times, and
 * after each race makes the session wait for a banner that never comes
 * (a listener nobody accepts on).  That wait must either be cancelled
 * (the cancel survived the reset) or time out having slept — never spin.
 * Spinning is seen in the thread's CPU time: a sleeping wait uses almost
 * none of it, a spinning one nearly all of its wall time.  A race is hit
 * by chance (a few in a thousand rounds), hence the many rounds.
 */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <ftpc/ftpc.h>

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define ROUNDS 3000
/* Bounds the run on slow builds (sanitizers, valgrind): fewer rounds then. */
#define TIME_BUDGET_S 25.0
/* The banner wait of each probe, and how much of it may be spent on CPU:
 * a sleeping wait spends well under a millisecond even under valgrind. */
#define PROBE_WAIT_MS 20
#define PROBE_CPU_LIMIT_S 0.010

static double seconds(clockid_t clock)
{
    struct timespec t;
    clock_gettime(clock, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* A listener on 127.0.0.1 that completes handshakes but never answers. */
static int silent_listener(unsigned *port)
{
    struct sockaddr_in sin;
    memset(&sin, 0, sizeof sin);
    sin.sin_family = AF_INET;
    sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    socklen_t len = sizeof sin;
    if (fd < 0 || bind(fd, (struct sockaddr *)&sin, len) != 0 || listen(fd, 64) != 0 ||
        fcntl(fd, F_SETFL, O_NONBLOCK) != 0 ||
        getsockname(fd, (struct sockaddr *)&sin, &len) != 0)
        fail_msg("cannot listen on 127.0.0.1: %s", strerror(errno));
    *port = ntohs(sin.sin_port);
    return fd;
}

/* Closes the connections the probes left in the backlog. */
static void drain_backlog(int listener)
{
    int fd;
    while ((fd = accept(listener, NULL, NULL)) >= 0)
        close(fd);
}

/* The two sides of a race, released together round by round. */
typedef struct race {
    ftp_session *s;
    int go;   /* round to run; -1: stop (atomic) */
    int done; /* last round the canceller finished (atomic) */
} race;

static void wait_until(const int *value, int wanted)
{
    while (__atomic_load_n(value, __ATOMIC_ACQUIRE) != wanted)
        sched_yield();
}

static void *canceller(void *arg)
{
    race *r = arg;
    for (int round = 1;; round++) {
        int go;
        while ((go = __atomic_load_n(&r->go, __ATOMIC_ACQUIRE)) != round && go != -1)
            ;
        if (go == -1)
            return NULL;
        ftp_cancel(r->s);
        __atomic_store_n(&r->done, round, __ATOMIC_RELEASE);
    }
}

static void cancel_racing_close_leaves_no_busy_wait(void **state)
{
    (void)state;
    unsigned port = 0;
    int listener = silent_listener(&port);
    race r = {ftp_session_new(), 0, 0};
    assert_non_null(r.s);
    assert_int_equal(ftp_set_phase_timeout_ms(r.s, FTP_TIMEOUT_REPLY, PROBE_WAIT_MS), FTP_OK);
    pthread_t thread;
    assert_int_equal(pthread_create(&thread, NULL, canceller, &r), 0);

    int rounds = 0, cancelled = 0, busy = 0;
    double worst_cpu = 0, started = seconds(CLOCK_MONOTONIC);
    while (rounds < ROUNDS && seconds(CLOCK_MONOTONIC) - started < TIME_BUDGET_S) {
        rounds++;
        __atomic_store_n(&r.go, rounds, __ATOMIC_RELEASE);
        ftp_close(r.s); /* resets the canceller, racing ftp_cancel() */
        wait_until(&r.done, rounds);

        double cpu = seconds(CLOCK_THREAD_CPUTIME_ID);
        int rc = ftp_connect(r.s, "127.0.0.1", port);
        cpu = seconds(CLOCK_THREAD_CPUTIME_ID) - cpu;
        if (rc == FTP_E_CANCELLED) {
            cancelled++;
        } else if (rc != FTP_E_TIMEOUT) {
            fail_msg("round %d: ftp_connect -> %s: %s", rounds, ftp_error_name(rc),
                     ftp_last_error(r.s));
        } else if (cpu > PROBE_CPU_LIMIT_S) {
            busy++;
            if (cpu > worst_cpu)
                worst_cpu = cpu;
        }
        ftp_close(r.s);
        drain_backlog(listener);
    }
    __atomic_store_n(&r.go, -1, __ATOMIC_RELEASE);
    pthread_join(thread, NULL);
    ftp_session_free(r.s);
    close(listener);

    printf("# %d rounds, %d cancelled, %d busy waits (worst %.1f ms CPU in a %d ms wait)\n",
           rounds, cancelled, busy, worst_cpu * 1000, PROBE_WAIT_MS);
    if (busy > 0)
        fail_msg("%d of %d waits after a cancel raced ftp_close() spun on the CPU "
                 "(worst %.1f ms CPU in a %d ms wait)",
                 busy, rounds, worst_cpu * 1000, PROBE_WAIT_MS);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(cancel_racing_close_leaves_no_busy_wait),
    };
    return cmocka_run_group_tests_name("threads: cancel racing reset", tests, NULL, NULL);
}
