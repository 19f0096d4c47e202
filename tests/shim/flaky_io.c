/*
 * flaky_io — an LD_PRELOAD shim that makes every stream socket of the test
 * process as awkward as POSIX allows (reliability.md catalogue J.85): reads
 * that return 1 byte or a random short count, writes that take 1..n bytes,
 * and calls that fail with EINTR, or with EAGAIN on non-blocking sockets,
 * before touching the socket.  A correct program gives identical results
 * with it; `meson test --setup=flakyio` runs suites that way.
 *
 * What it interposes (dlsym(RTLD_NEXT) reaches the real ones): recv,
 * recvfrom, read, send, sendto, write, and the fortified __recv_chk and
 * __read_chk.  libftpc uses recv and send (MSG_NOSIGNAL) on non-blocking
 * sockets and waits in poll(), which is NOT faked: after an injected
 * EAGAIN poll() reports the socket's real readiness, so a retry always
 * makes progress.  Only SOCK_STREAM sockets are touched (checked with
 * getsockopt(SO_TYPE) on each call, as descriptors are reused): files,
 * pipes, eventfds and datagram sockets pass straight through, and so do
 * descriptors 0-2, which belong to the harness.  MSG_OOB sends are never
 * split (the urgent mark is on the last byte of the call) and MSG_WAITALL
 * reads are left alone.
 *
 * Which call gets which fault is a pure function of FLAKY_IO_SEED (default
 * 1) and the call's sequence number in the process, so a single-threaded
 * run is reproducible: roughly 1/8 EINTR, 1/8 EAGAIN (EINTR on a blocking
 * socket, where EAGAIN cannot happen), 1/4 one byte, 1/4 a short count,
 * 1/4 untouched.
 *
 * Only the test process: LD_PRELOAD is inherited, and the servers a test
 * starts (pyftpdlib, vsftpd, the hostile server) must not be made flaky —
 * their behaviour is part of the expected results.  So, at load time, the
 * shim records its process id and removes itself from LD_PRELOAD in the
 * environment, so that no program the test executes loads it; and a
 * process forked without exec (same memory, different pid) finds the pid
 * changed and passes every call through.  Both, because either alone has
 * a gap: a child given an environment copied before the load would still
 * get LD_PRELOAD, and a forked child inherits the loaded shim.  Nothing in
 * the harness has to remember to unset anything.
 *
 * FLAKY_IO_WRITE_DELAY_US=N sleeps N microseconds before each write, as a
 * slow link would: the peer then acts between the pieces of one message
 * (how a server that rejects our first TLS record and resets is met).
 *
 * Proof that it fires: at exit it prints its counts to stderr (meson keeps
 * them in the test log), and with FLAKY_IO_STATS=DIR it also writes them
 * to DIR/flaky_io.PID, which .ci/lanes/shim.sh adds up.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

/* ---- the real functions ---------------------------------------------- */

typedef ssize_t (*recv_fn)(int, void *, size_t, int);
/* With _GNU_SOURCE glibc declares the address arguments as transparent
 * unions; its own macros keep these definitions compatible either way. */
typedef ssize_t (*recvfrom_fn)(int, void *, size_t, int, __SOCKADDR_ARG, socklen_t *);
typedef ssize_t (*read_fn)(int, void *, size_t);
typedef ssize_t (*send_fn)(int, const void *, size_t, int);
typedef ssize_t (*sendto_fn)(int, const void *, size_t, int, __CONST_SOCKADDR_ARG, socklen_t);
typedef ssize_t (*write_fn)(int, const void *, size_t);

static recv_fn real_recv;
static recvfrom_fn real_recvfrom;
static read_fn real_read;
static send_fn real_send;
static sendto_fn real_sendto;
static write_fn real_write;

/* dlsym() returns an object pointer; ISO C has no cast to a function
 * pointer, POSIX guarantees the representation: copy the bytes. */
static void resolve(void *fn_ptr, size_t size, const char *name)
{
    void *sym = dlsym(RTLD_NEXT, name);
    if (sym == NULL)
        abort(); /* no libc to fall back on; write() itself may be missing */
    memcpy(fn_ptr, &sym, size);
}

/* Resolved on first use too: another library's constructor may do I/O
 * before this one's runs. */
static void resolve_all(void)
{
    if (real_write != NULL)
        return;
    resolve(&real_recv, sizeof real_recv, "recv");
    resolve(&real_recvfrom, sizeof real_recvfrom, "recvfrom");
    resolve(&real_read, sizeof real_read, "read");
    resolve(&real_send, sizeof real_send, "send");
    resolve(&real_sendto, sizeof real_sendto, "sendto");
    resolve(&real_write, sizeof real_write, "write");
}

/* ---- state ----------------------------------------------------------- */

static pid_t owner_pid;      /* the process the shim is for; 0: inert */
static uint64_t seed = 1;
static long write_delay_us;  /* FLAKY_IO_WRITE_DELAY_US */
static uint64_t call_number; /* atomic */
static char stats_dir[4096];

/* What happened to the calls in one direction (atomic counters). */
typedef struct io_counts {
    uint64_t calls;    /* calls on stream sockets of the owner process */
    uint64_t one_byte; /* limited to 1 byte */
    uint64_t shortened; /* limited to a random count below the request */
    uint64_t eintr;
    uint64_t eagain;
} io_counts;

static io_counts reads, writes;

static void count(uint64_t *counter)
{
    __atomic_fetch_add(counter, 1, __ATOMIC_RELAXED);
}

static uint64_t load(const uint64_t *counter)
{
    return __atomic_load_n(counter, __ATOMIC_RELAXED);
}

/* ---- deciding -------------------------------------------------------- */

/* splitmix64 */
static uint64_t mix(uint64_t x)
{
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

/* A stream socket of the process the shim is for.  Keeps errno.  The
 * standard descriptors are the harness's (stderr may be a journal socket),
 * never the code under test's. */
static int flaky_fd(int fd)
{
    if (owner_pid == 0 || fd <= STDERR_FILENO)
        return 0;
    int saved = errno;
    int type = 0;
    socklen_t len = sizeof type;
    int stream = getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &len) == 0 && type == SOCK_STREAM;
    int ours = stream && getpid() == owner_pid;
    errno = saved;
    return ours;
}

static int nonblocking(int fd, int flags)
{
    if (flags & MSG_DONTWAIT)
        return 1;
    int saved = errno;
    int fl = fcntl(fd, F_GETFL);
    errno = saved;
    return fl >= 0 && (fl & O_NONBLOCK) != 0;
}

/*
 * Picks this call's fault.  Returns 0 and may lower *len (never to 0) when
 * the call should go ahead, or -1 with errno set when it should fail
 * without touching the socket.  @p splittable is 0 for MSG_OOB sends.
 */
static int inject(io_counts *counts, int fd, int flags, size_t *len, int splittable)
{
    count(&counts->calls);
    if (counts == &writes && write_delay_us > 0) {
        struct timespec pause = {write_delay_us / 1000000, (write_delay_us % 1000000) * 1000};
        nanosleep(&pause, NULL);
    }
    uint64_t n = __atomic_fetch_add(&call_number, 1, __ATOMIC_RELAXED);
    uint64_t h = mix(seed ^ mix(n));
    unsigned pick = (unsigned)(h & 15);
    uint64_t r = h >> 8;

    if (pick < 2 || (pick < 4 && !nonblocking(fd, flags))) {
        count(&counts->eintr);
        errno = EINTR;
        return -1;
    }
    if (pick < 4) {
        count(&counts->eagain);
        errno = EAGAIN;
        return -1;
    }
    if (!splittable || *len <= 1)
        return 0;
    if (pick < 8) {
        count(&counts->one_byte);
        *len = 1;
    } else if (pick < 12) {
        count(&counts->shortened);
        *len = 1 + (size_t)(r % (*len - 1)); /* 1 .. len-1 */
    }
    return 0;
}

/* ---- the interposed functions ---------------------------------------- */

ssize_t recv(int fd, void *buf, size_t len, int flags)
{
    resolve_all();
    if (len > 0 && !(flags & MSG_WAITALL) && flaky_fd(fd) &&
        inject(&reads, fd, flags, &len, !(flags & MSG_OOB)) != 0)
        return -1;
    return real_recv(fd, buf, len, flags);
}

ssize_t recvfrom(int fd, void *buf, size_t len, int flags, __SOCKADDR_ARG addr,
                 socklen_t *addrlen)
{
    resolve_all();
    if (len > 0 && !(flags & MSG_WAITALL) && flaky_fd(fd) &&
        inject(&reads, fd, flags, &len, !(flags & MSG_OOB)) != 0)
        return -1;
    return real_recvfrom(fd, buf, len, flags, addr, addrlen);
}

ssize_t read(int fd, void *buf, size_t len)
{
    resolve_all();
    if (len > 0 && flaky_fd(fd) && inject(&reads, fd, 0, &len, 1) != 0)
        return -1;
    return real_read(fd, buf, len);
}

ssize_t send(int fd, const void *buf, size_t len, int flags)
{
    resolve_all();
    if (len > 0 && flaky_fd(fd) && inject(&writes, fd, flags, &len, !(flags & MSG_OOB)) != 0)
        return -1;
    return real_send(fd, buf, len, flags);
}

ssize_t sendto(int fd, const void *buf, size_t len, int flags, __CONST_SOCKADDR_ARG addr,
               socklen_t addrlen)
{
    resolve_all();
    if (len > 0 && flaky_fd(fd) && inject(&writes, fd, flags, &len, !(flags & MSG_OOB)) != 0)
        return -1;
    return real_sendto(fd, buf, len, flags, addr, addrlen);
}

ssize_t write(int fd, const void *buf, size_t len)
{
    resolve_all();
    if (len > 0 && flaky_fd(fd) && inject(&writes, fd, 0, &len, 1) != 0)
        return -1;
    return real_write(fd, buf, len);
}

/* With _FORTIFY_SOURCE, recv() and read() on buffers of known size compile
 * to these; glibc's own would bypass the shim. */
ssize_t __recv_chk(int fd, void *buf, size_t len, size_t buflen, int flags);
ssize_t __read_chk(int fd, void *buf, size_t len, size_t buflen);

ssize_t __recv_chk(int fd, void *buf, size_t len, size_t buflen, int flags)
{
    if (len > buflen)
        abort(); /* what glibc's __chk_fail does, minus the message */
    return recv(fd, buf, len, flags);
}

ssize_t __read_chk(int fd, void *buf, size_t len, size_t buflen)
{
    if (len > buflen)
        abort();
    return read(fd, buf, len);
}

/* ---- loading and unloading ------------------------------------------- */

/* Removes this library from LD_PRELOAD (entries are separated by ':' or
 * ' ') so that programs the test runs do not load it. */
static void leave_preload(void)
{
    const char *preload = getenv("LD_PRELOAD");
    Dl_info self;
    if (preload == NULL || dladdr(&owner_pid, &self) == 0 || self.dli_fname == NULL)
        return;
    const char *slash = strrchr(self.dli_fname, '/');
    const char *me = slash != NULL ? slash + 1 : self.dli_fname;
    size_t me_len = strlen(me);

    char *kept = malloc(strlen(preload) + 1);
    if (kept == NULL)
        return;
    size_t used = 0;
    for (const char *p = preload; *p != '\0';) {
        size_t n = strcspn(p, ": ");
        /* The entry's file name: after its last '/'. */
        const char *name = p;
        for (const char *q = p; q < p + n; q++)
            if (*q == '/')
                name = q + 1;
        size_t name_len = (size_t)(p + n - name);
        if (n > 0 && !(name_len == me_len && memcmp(name, me, me_len) == 0)) {
            if (used > 0)
                kept[used++] = ':';
            memcpy(kept + used, p, n);
            used += n;
        }
        p += n;
        if (*p != '\0')
            p++;
    }
    kept[used] = '\0';
    if (used > 0)
        setenv("LD_PRELOAD", kept, 1);
    else
        unsetenv("LD_PRELOAD");
    free(kept);
}

__attribute__((constructor)) static void flaky_io_load(void)
{
    resolve_all();
    const char *s = getenv("FLAKY_IO_SEED");
    if (s != NULL && *s != '\0')
        seed = strtoull(s, NULL, 0);
    const char *delay = getenv("FLAKY_IO_WRITE_DELAY_US");
    if (delay != NULL && *delay != '\0')
        write_delay_us = strtol(delay, NULL, 10);
    const char *dir = getenv("FLAKY_IO_STATS");
    if (dir != NULL && strlen(dir) < sizeof stats_dir)
        strcpy(stats_dir, dir);
    leave_preload();
    owner_pid = getpid();
}

static void print_counts(FILE *f, const char *what, const io_counts *c)
{
    fprintf(f, "%s_calls %llu\n%s_one_byte %llu\n%s_short %llu\n%s_eintr %llu\n%s_eagain %llu\n",
            what, (unsigned long long)load(&c->calls), what, (unsigned long long)load(&c->one_byte),
            what, (unsigned long long)load(&c->shortened), what,
            (unsigned long long)load(&c->eintr), what, (unsigned long long)load(&c->eagain));
}

__attribute__((destructor)) static void flaky_io_unload(void)
{
    if (owner_pid == 0 || getpid() != owner_pid)
        return; /* a forked child: the counts are its parent's */
    fprintf(stderr,
            "flaky_io[%ld] seed %llu: reads %llu (1-byte %llu, short %llu, EINTR %llu, "
            "EAGAIN %llu), writes %llu (1-byte %llu, short %llu, EINTR %llu, EAGAIN %llu)\n",
            (long)owner_pid, (unsigned long long)seed, (unsigned long long)load(&reads.calls),
            (unsigned long long)load(&reads.one_byte), (unsigned long long)load(&reads.shortened),
            (unsigned long long)load(&reads.eintr), (unsigned long long)load(&reads.eagain),
            (unsigned long long)load(&writes.calls), (unsigned long long)load(&writes.one_byte),
            (unsigned long long)load(&writes.shortened), (unsigned long long)load(&writes.eintr),
            (unsigned long long)load(&writes.eagain));
    if (stats_dir[0] == '\0')
        return;
    char path[4200];
    snprintf(path, sizeof path, "%s/flaky_io.%ld", stats_dir, (long)owner_pid);
    FILE *f = fopen(path, "w");
    if (f == NULL)
        return;
    print_counts(f, "read", &reads);
    print_counts(f, "write", &writes);
    fclose(f);
}
