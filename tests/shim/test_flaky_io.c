/*
 * The flaky_io shim checks itself (meson runs this with the shim in
 * LD_PRELOAD): it must really fire on stream sockets, inject only what the
 * socket's mode allows, never corrupt data, leave every other descriptor
 * alone, and stay out of child processes.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <spawn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

#define PAYLOAD (256u * 1024u)
#define PASSES 200 /* calls that must come through whole where the shim is inert */
/* Bytes asked for per call: many calls per transfer, so every kind of
 * fault comes up (with the fixed seed, always the same ones). */
#define PIECE 2048u

/* ---- a connected loopback TCP pair ----------------------------------- */

/* fds[0] non-blocking, fds[1] blocking. */
static void tcp_pair(int fds[2])
{
    struct sockaddr_in sin;
    memset(&sin, 0, sizeof sin);
    sin.sin_family = AF_INET;
    sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof sin;
    int listener = socket(AF_INET, SOCK_STREAM, 0);
    assert_true(listener >= 0);
    assert_int_equal(bind(listener, (struct sockaddr *)&sin, len), 0);
    assert_int_equal(listen(listener, 1), 0);
    assert_int_equal(getsockname(listener, (struct sockaddr *)&sin, &len), 0);
    fds[0] = socket(AF_INET, SOCK_STREAM, 0);
    assert_true(fds[0] >= 0);
    assert_int_equal(connect(fds[0], (struct sockaddr *)&sin, len), 0);
    fds[1] = accept(listener, NULL, NULL);
    assert_true(fds[1] >= 0);
    close(listener);
    assert_int_equal(fcntl(fds[0], F_SETFL, O_NONBLOCK), 0);
}

/* ---- moving bytes the way a careful program does ---------------------- */

enum api { API_SEND_RECV, API_WRITE_READ, API_SENDTO_RECVFROM };

/* What a transfer saw; filled by the side that did the calls. */
typedef struct observed {
    unsigned long calls, partial, one_byte, eintr, eagain;
} observed;

static ssize_t put(enum api api, int fd, const void *buf, size_t len)
{
    switch (api) {
    case API_SEND_RECV:
        return send(fd, buf, len, MSG_NOSIGNAL);
    case API_WRITE_READ:
        return write(fd, buf, len);
    default:
        return sendto(fd, buf, len, MSG_NOSIGNAL, NULL, 0);
    }
}

static ssize_t get(enum api api, int fd, void *buf, size_t len)
{
    switch (api) {
    case API_SEND_RECV:
        return recv(fd, buf, len, 0);
    case API_WRITE_READ:
        return read(fd, buf, len);
    default:
        return recvfrom(fd, buf, len, 0, NULL, NULL);
    }
}

static void wait_ready(int fd, short events)
{
    struct pollfd p = {fd, events, 0};
    while (poll(&p, 1, 10000) < 0 && errno == EINTR) {
    }
}

/* Returns 0, or -1 on an unexpected error (the caller may be a thread:
 * no cmocka assertions here). */
static int put_all(enum api api, int fd, const unsigned char *buf, size_t len, observed *o)
{
    while (len > 0) {
        o->calls++;
        size_t want = len < PIECE ? len : PIECE;
        ssize_t n = put(api, fd, buf, want);
        if (n < 0) {
            if (errno == EINTR) {
                o->eintr++;
                continue;
            }
            if (errno == EAGAIN || errno == EWOULDBLOCK) {
                o->eagain++;
                wait_ready(fd, POLLOUT);
                continue;
            }
            return -1;
        }
        if ((size_t)n < want)
            o->partial++;
        if (n == 1 && want > 1)
            o->one_byte++;
        buf += n;
        len -= (size_t)n;
    }
    return 0;
}

static size_t get_all(enum api api, int fd, unsigned char *buf, size_t len, observed *o)
{
    size_t got = 0;
    while (got < len) {
        o->calls++;
        size_t want = len - got < PIECE ? len - got : PIECE;
        ssize_t n = get(api, fd, buf + got, want);
        if (n < 0) {
            if (errno == EINTR) {
                o->eintr++;
                continue;
            }
            if (errno == EAGAIN || errno == EWOULDBLOCK) {
                o->eagain++;
                wait_ready(fd, POLLIN);
                continue;
            }
            fail_msg("read side: %s", strerror(errno));
        }
        if (n == 0)
            break;
        if ((size_t)n < want)
            o->partial++;
        if (n == 1 && want > 1)
            o->one_byte++;
        got += (size_t)n;
    }
    return got;
}

typedef struct writer {
    enum api api;
    int fd;
    const unsigned char *data;
    observed seen;
    int status;
} writer;

static void *writer_run(void *arg)
{
    writer *w = arg;
    w->status = put_all(w->api, w->fd, w->data, PAYLOAD, &w->seen);
    return NULL;
}

static unsigned char *pattern(unsigned salt)
{
    unsigned char *p = malloc(PAYLOAD);
    assert_non_null(p);
    for (size_t i = 0; i < PAYLOAD; i++)
        p[i] = (unsigned char)((i * 131u + salt) ^ (i >> 9));
    return p;
}

/* Sends PAYLOAD bytes from @p from to @p to on a thread, reads them here,
 * and checks they arrived intact. */
static void transfer(enum api api, int from, int to, observed *sent, observed *received)
{
    unsigned char *data = pattern((unsigned)api + 1);
    unsigned char *got = calloc(1, PAYLOAD);
    assert_non_null(got);
    writer w = {api, from, data, {0, 0, 0, 0, 0}, 0};
    pthread_t t;
    assert_int_equal(pthread_create(&t, NULL, writer_run, &w), 0);
    memset(received, 0, sizeof *received);
    size_t n = get_all(api, to, got, PAYLOAD, received);
    pthread_join(t, NULL);
    assert_int_equal(w.status, 0);
    assert_int_equal(n, PAYLOAD);
    assert_memory_equal(got, data, PAYLOAD);
    *sent = w.seen;
    free(data);
    free(got);
}

static void expect_flaky(const char *what, const observed *o, int may_eagain)
{
    printf("# %s: %lu calls, %lu partial, %lu one-byte, %lu EINTR, %lu EAGAIN\n", what,
           o->calls, o->partial, o->one_byte, o->eintr, o->eagain);
    if (o->partial == 0 || o->one_byte == 0 || o->eintr == 0)
        fail_msg("%s: the shim did not fire (is it in LD_PRELOAD?)", what);
    if (may_eagain && o->eagain == 0)
        fail_msg("%s: no EAGAIN on a non-blocking socket", what);
    if (!may_eagain && o->eagain != 0)
        fail_msg("%s: EAGAIN on a blocking socket, which cannot happen", what);
}

/* Every API, both directions: non-blocking sockets get EAGAIN, blocking
 * ones never do; bytes always arrive intact. */
static void stream_sockets_are_made_flaky(void **state)
{
    (void)state;
    FILE *maps = fopen("/proc/self/maps", "r");
    assert_non_null(maps);
    char line[4096];
    int loaded = 0;
    while (!loaded && fgets(line, sizeof line, maps) != NULL)
        loaded = strstr(line, "flaky_io") != NULL;
    fclose(maps);
    if (!loaded)
        fail_msg("the flaky_io shim is not loaded: run through meson (LD_PRELOAD)");
    static const char *const names[] = {"send/recv", "write/read", "sendto/recvfrom"};
    for (int api = API_SEND_RECV; api <= API_SENDTO_RECVFROM; api++) {
        int fds[2];
        tcp_pair(fds);
        observed sent, received;
        char what[64];

        transfer((enum api)api, fds[0], fds[1], &sent, &received);
        snprintf(what, sizeof what, "%s, non-blocking writer", names[api]);
        expect_flaky(what, &sent, 1);
        snprintf(what, sizeof what, "%s, blocking reader", names[api]);
        expect_flaky(what, &received, 0);

        transfer((enum api)api, fds[1], fds[0], &sent, &received);
        snprintf(what, sizeof what, "%s, blocking writer", names[api]);
        expect_flaky(what, &sent, 0);
        snprintf(what, sizeof what, "%s, non-blocking reader", names[api]);
        expect_flaky(what, &received, 1);

        close(fds[0]);
        close(fds[1]);
    }
}

/* PASSES writes and reads of @p size on @p wfd / @p rfd, each of which must
 * move the whole size in one call.  Returns the number that did not. */
static int whole_calls(int wfd, int rfd, size_t size, int use_send)
{
    unsigned char buf[1024];
    int bad = 0;
    memset(buf, 'x', sizeof buf);
    for (int i = 0; i < PASSES; i++) {
        ssize_t w = use_send ? send(wfd, buf, size, MSG_NOSIGNAL) : write(wfd, buf, size);
        ssize_t r = use_send ? recv(rfd, buf, sizeof buf, 0) : read(rfd, buf, sizeof buf);
        if (w != (ssize_t)size || r != (ssize_t)size)
            bad++;
    }
    return bad;
}

/* Pipes and datagram sockets are not stream sockets: untouched. */
static void other_descriptors_pass_through(void **state)
{
    (void)state;
    int p[2];
    assert_int_equal(pipe(p), 0);
    assert_int_equal(whole_calls(p[1], p[0], 1000, 0), 0);
    close(p[0]);
    close(p[1]);

    int d[2];
    assert_int_equal(socketpair(AF_UNIX, SOCK_DGRAM, 0, d), 0);
    assert_int_equal(whole_calls(d[0], d[1], 1000, 1), 0);
    close(d[0]);
    close(d[1]);
}

/* A forked child (same memory, new pid) and an executed one (fresh
 * process) must see plain sockets: the servers tests start are children. */
static void children_are_left_alone(void **state)
{
    (void)state;
    const char *preload = getenv("LD_PRELOAD");
    if (preload != NULL && strstr(preload, "flaky_io") != NULL)
        fail_msg("LD_PRELOAD still names the shim: %s", preload);

    int fds[2];
    tcp_pair(fds);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0)
        _exit(whole_calls(fds[0], fds[1], 1000, 1) == 0 ? 0 : 1);
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
    close(fds[0]);
    close(fds[1]);

    /* The shell fails if the shim is in its environment or mapped into it. */
    char *const argv[] = {"/bin/sh", "-c",
                          "case \"$LD_PRELOAD\" in *flaky_io*) exit 1;; esac; "
                          "if grep -q flaky_io /proc/$$/maps; then exit 2; fi; exit 0",
                          NULL};
    assert_int_equal(posix_spawn(&pid, "/bin/sh", NULL, NULL, argv, environ), 0);
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(stream_sockets_are_made_flaky),
        cmocka_unit_test(other_descriptors_pass_through),
        cmocka_unit_test(children_are_left_alone),
    };
    return cmocka_run_group_tests_name("shim: flaky_io fires, and only where it should",
                                       tests, NULL, NULL);
}
