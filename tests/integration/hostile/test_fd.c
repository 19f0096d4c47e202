/*
 * Hostile-server scenarios for ftp_retr_fd() / ftp_stor_fd() and the TYPE
 * cache (issue 4).
 *
 * Downloads go into regular files (splice), O_APPEND files (the buffered
 * fallback), pipes and sockets, blocking or not; uploads come from regular
 * files (sendfile), pipes and sockets.  A descriptor that fails (a pipe or
 * socket without a reader, /dev/full, a bad number, a directory, a file size
 * limit) gives FTP_E_FILE: the transfer is stopped with ABOR, the session
 * stays usable, no SIGPIPE reaches the process (whose SIGPIPE is at its
 * default disposition here, so one would kill it), and
 * ftp_last_transfer_bytes() counts what reached the descriptor.
 *
 * TYPE I / TYPE A goes out only when it changes; a raw TYPE, REIN, USER,
 * AUTH or CCC, a refused TYPE and a new connection make it go out again.
 * Every scenario checks the server's exact transcript.
 */
#include "hostile.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define MIB (1024u * 1024u)

/* What "dataflood" sends, over and over: byte i is FLOOD[i % 16]. */
#define FLOOD "0123456789abcdef"

/* A download that streams far more (64 MiB) than socket and pipe buffers
 * hold, so the server is still sending when the client stops it. */
#define STREAMING_RETR                              \
    "on RETR reply 150 Opening data connection\n" \
    "  dataflood 67108864 " FLOOD "\n"

/* ABOR answered as a real server answers it during a transfer. */
#define ABOR_426_226                        \
    "on ABOR reply 426 Transfer aborted\n" \
    "  reply 226 Abort successful\n"

#define SHA256_EMPTY "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

/* ---- local files ----------------------------------------------------------- */

static void local_path(const hostile *h, const char *name, char *out, size_t cap)
{
    if ((size_t)snprintf(out, cap, "%s/%s", h->dir, name) >= cap)
        fail_msg("path too long");
}

/* Opens @p name in the scenario's directory (created 0600 if O_CREAT). */
static int open_local(const hostile *h, const char *name, int flags)
{
    char path[1200];
    local_path(h, name, path, sizeof path);
    int fd = open(path, flags | O_CLOEXEC, 0600);
    if (fd < 0)
        fail_msg("open %s: %s", path, strerror(errno));
    return fd;
}

/* The whole file (malloc'ed, plus a NUL); its size in @p len. */
static unsigned char *read_local(const hostile *h, const char *name, size_t *len)
{
    char path[1200];
    local_path(h, name, path, sizeof path);
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        fail_msg("cannot read %s: %s", path, strerror(errno));
    size_t cap = 65536, used = 0, got;
    unsigned char *buf = malloc(cap + 1);
    assert_non_null(buf);
    while ((got = fread(buf + used, 1, cap - used, f)) > 0) {
        used += got;
        if (used == cap) {
            cap *= 2;
            buf = realloc(buf, cap + 1);
            assert_non_null(buf);
        }
    }
    fclose(f);
    buf[used] = '\0';
    *len = used;
    return buf;
}

/* Removes a local file, so that hostile_finish() can remove the directory. */
static void remove_local(const hostile *h, const char *name)
{
    char path[1200];
    local_path(h, name, path, sizeof path);
    unlink(path);
}

static void write_all_fd(int fd, const void *data, size_t len)
{
    const char *p = data;
    while (len > 0) {
        ssize_t n = write(fd, p, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            fail_msg("write: %s", strerror(errno));
        p += n;
        len -= (size_t)n;
    }
}

/* Fails unless @p len bytes at @p buf are the flood pattern from @p offset on. */
static void assert_flood_bytes(const unsigned char *buf, size_t len, uint64_t offset)
{
    for (size_t i = 0; i < len; i++)
        if (buf[i] != (unsigned char)FLOOD[(offset + i) % 16])
            fail_msg("byte %zu of %zu is 0x%02x, expected '%c'", i, len, buf[i],
                     FLOOD[(offset + i) % 16]);
}

/* The upload payloads: byte i of stream @p seed.  The SHA-256 values the
 * transcripts expect were computed from this formula with Python. */
static unsigned char pattern_byte(uint64_t i, unsigned seed)
{
    return (unsigned char)((i * 7 + (i >> 9) * 13 + seed * 29) & 0xff);
}

static unsigned char *make_pattern(size_t len, unsigned seed)
{
    unsigned char *buf = malloc(len ? len : 1);
    assert_non_null(buf);
    for (size_t i = 0; i < len; i++)
        buf[i] = pattern_byte(i, seed);
    return buf;
}

/* Writes @p len bytes of stream @p seed to local file @p name. */
static void write_pattern_file(const hostile *h, const char *name, size_t len, unsigned seed)
{
    unsigned char *data = make_pattern(len, seed);
    int fd = open_local(h, name, O_WRONLY | O_CREAT | O_TRUNC);
    write_all_fd(fd, data, len);
    close(fd);
    free(data);
}

static off_t position(int fd)
{
    return lseek(fd, 0, SEEK_CUR);
}

static off_t file_size(int fd)
{
    struct stat st;
    assert_int_equal(fstat(fd, &st), 0);
    return st.st_size;
}

/* Fails unless ftp_last_error() holds strerror(@p err) ("Broken pipe"...). */
static void assert_error_mentions(ftp_session *s, int err)
{
    const char *text = ftp_last_error(s);
    if (strstr(text, strerror(err)) == NULL)
        fail_msg("ftp_last_error() is \"%s\", expected it to mention \"%s\"", text,
                 strerror(err));
}

/* ---- signals --------------------------------------------------------------- */

/* SIGPIPE at its default disposition and not blocked: one raised in this
 * process and not caught by the library ends the test program. */
static void sigpipe_default(void)
{
    signal(SIGPIPE, SIG_DFL);
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGPIPE);
    pthread_sigmask(SIG_UNBLOCK, &set, NULL);
}

static void sigpipe_block(int block)
{
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGPIPE);
    pthread_sigmask(block ? SIG_BLOCK : SIG_UNBLOCK, &set, NULL);
}

static int sigpipe_pending(void)
{
    sigset_t pending;
    sigemptyset(&pending);
    assert_int_equal(sigpending(&pending), 0);
    return sigismember(&pending, SIGPIPE) == 1;
}

/* Takes a pending SIGPIPE (blocked) off the pending set. */
static void sigpipe_consume(void)
{
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGPIPE);
    struct timespec zero = {0, 0};
    assert_int_equal(sigtimedwait(&set, NULL, &zero), SIGPIPE);
}

static void sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
    }
}

/* ---- helper threads -------------------------------------------------------- */

/* Writes @c len bytes of stream @c seed to @c fd in pieces, pausing between
 * them, then closes @c fd. */
typedef struct writer {
    int fd;
    size_t len;
    unsigned seed;
    size_t piece;
    long pause_ms;
    int failed_errno;
    pthread_t thread;
} writer;

static void *writer_main(void *arg)
{
    writer *w = arg;
    unsigned char *data = make_pattern(w->len, w->seed);
    size_t off = 0;
    while (off < w->len) {
        size_t n = w->len - off < w->piece ? w->len - off : w->piece;
        ssize_t put = write(w->fd, data + off, n);
        if (put < 0 && errno == EINTR)
            continue;
        if (put <= 0) {
            w->failed_errno = errno;
            break;
        }
        off += (size_t)put;
        if (w->pause_ms > 0)
            sleep_ms(w->pause_ms);
    }
    close(w->fd);
    free(data);
    return NULL;
}

static void writer_start(writer *w)
{
    assert_int_equal(pthread_create(&w->thread, NULL, writer_main, w), 0);
}

/* Reads @c fd to end of file, checking the flood pattern, pausing between
 * reads; closes @c fd. */
typedef struct reader {
    int fd;
    long pause_ms;
    uint64_t got;
    uint64_t bad_at; /* offset + 1 of the first wrong byte, or 0 */
    int failed_errno;
    pthread_t thread;
} reader;

static void *reader_main(void *arg)
{
    reader *r = arg;
    unsigned char buf[16384];
    for (;;) {
        ssize_t n = read(r->fd, buf, sizeof buf);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            r->failed_errno = errno;
            break;
        }
        if (n == 0)
            break;
        for (ssize_t i = 0; i < n && r->bad_at == 0; i++)
            if (buf[i] != (unsigned char)FLOOD[(r->got + (uint64_t)i) % 16])
                r->bad_at = r->got + (uint64_t)i + 1;
        r->got += (uint64_t)n;
        if (r->pause_ms > 0)
            sleep_ms(r->pause_ms);
    }
    close(r->fd);
    return NULL;
}

static void reader_start(reader *r)
{
    assert_int_equal(pthread_create(&r->thread, NULL, reader_main, r), 0);
}

/* ==== downloads ============================================================= */

/* A regular file: every byte at the right place (splice), the 226 read, the
 * count right, the descriptor left open just past what was written. */
static void retr_fd_into_regular_file(void **state)
{
    hostile *h = *state;
    const size_t size = 3 * MIB + 17;
    char script[256];
    snprintf(script, sizeof script,
             "on RETR reply 150 Opening data connection\n"
             "  dataflood %zu " FLOOD "\n"
             "  dataclose\n"
             "  reply 226 Transfer complete\n",
             size);
    hostile_start(h, script);
    hostile_connect_login(h);

    int fd = open_local(h, "down.bin", O_WRONLY | O_CREAT | O_TRUNC);
    assert_int_equal(ftp_retr_fd(h->s, "RETR f", 0, fd), FTP_OK);
    assert_int_equal(ftp_last_reply_code(h->s), 226);
    assert_string_equal(ftp_last_reply(h->s), "226 Transfer complete");
    assert_int_equal(ftp_last_transfer_bytes(h->s), size);
    assert_string_equal(ftp_last_transfer_mode(h->s), "EPSV");
    assert_int_equal(position(fd), (off_t)size);
    assert_int_equal(close(fd), 0); /* still ours, still open */

    size_t len = 0;
    unsigned char *got = read_local(h, "down.bin", &len);
    assert_int_equal(len, size);
    assert_flood_bytes(got, len, 0);
    free(got);
    remove_local(h, "down.bin");

    hostile_finish(h, HOSTILE_LOGIN "TYPE I\nEPSV\nRETR f\n");
}

/* O_APPEND: splice refuses such a file, the bytes go through the buffer and
 * land after what the file held. */
static void retr_fd_into_append_file(void **state)
{
    hostile *h = *state;
    const size_t size = MIB + 3;
    char script[256];
    snprintf(script, sizeof script,
             "on RETR reply 150 Opening data connection\n"
             "  dataflood %zu " FLOOD "\n"
             "  dataclose\n"
             "  reply 226 Transfer complete\n",
             size);
    hostile_start(h, script);
    hostile_connect_login(h);

    int fd = open_local(h, "append.bin", O_WRONLY | O_CREAT | O_TRUNC | O_APPEND);
    write_all_fd(fd, "HEAD", 4);
    assert_int_equal(ftp_retr_fd(h->s, "RETR f", 0, fd), FTP_OK);
    assert_int_equal(ftp_last_reply_code(h->s), 226);
    assert_int_equal(ftp_last_transfer_bytes(h->s), size);
    close(fd);

    size_t len = 0;
    unsigned char *got = read_local(h, "append.bin", &len);
    assert_int_equal(len, 4 + size);
    assert_memory_equal(got, "HEAD", 4);
    assert_flood_bytes(got + 4, size, 0);
    free(got);
    remove_local(h, "append.bin");

    hostile_finish(h, HOSTILE_LOGIN "TYPE I\nEPSV\nRETR f\n");
}

/* A pipe whose read end is closed: FTP_E_FILE (EPIPE), no SIGPIPE kills the
 * process, ABOR stops the server, the session goes on.  Also with SIGPIPE
 * blocked by the caller: the library's own SIGPIPE is not left pending;
 * and one the caller already had pending stays pending. */
static void retr_fd_into_pipe_without_reader(void **state)
{
    hostile *h = *state;
    hostile_start(h, STREAMING_RETR ABOR_426_226 "on RETR #4 serve after\n");
    hostile_connect_login(h);
    sigpipe_default();

    int p[2];
    assert_int_equal(pipe2(p, O_CLOEXEC), 0);
    close(p[0]);

    /* 1: SIGPIPE unblocked, default disposition. */
    assert_int_equal(ftp_retr_fd(h->s, "RETR f", 0, p[1]), FTP_E_FILE);
    assert_int_equal(ftp_last_error_code(h->s), FTP_E_FILE);
    assert_error_mentions(h->s, EPIPE);
    assert_int_equal(ftp_last_transfer_bytes(h->s), 0);
    assert_false(sigpipe_pending());

    /* 2: blocked by the caller: nothing left pending afterwards.  (First,
     * that a write into this pipe does leave one pending here.) */
    sigpipe_block(1);
    assert_int_equal(write(p[1], "x", 1), -1);
    assert_int_equal(errno, EPIPE);
    assert_true(sigpipe_pending());
    sigpipe_consume();
    assert_int_equal(ftp_retr_fd(h->s, "RETR f", 0, p[1]), FTP_E_FILE);
    assert_error_mentions(h->s, EPIPE);
    assert_false(sigpipe_pending());

    /* 3: the caller's own pending SIGPIPE is not taken away. */
    assert_int_equal(raise(SIGPIPE), 0);
    assert_true(sigpipe_pending());
    assert_int_equal(ftp_retr_fd(h->s, "RETR f", 0, p[1]), FTP_E_FILE);
    assert_true(sigpipe_pending());
    sigpipe_consume();
    sigpipe_block(0);
    close(p[1]);

    /* The session is usable, and the type still known. */
    int fd = open_local(h, "after.txt", O_WRONLY | O_CREAT | O_TRUNC);
    assert_int_equal(ftp_retr_fd(h->s, "RETR f", 0, fd), FTP_OK);
    close(fd);
    size_t len = 0;
    unsigned char *got = read_local(h, "after.txt", &len);
    assert_string_equal((char *)got, "after");
    free(got);
    remove_local(h, "after.txt");
    assert_int_equal(ftp_voidcmd(h->s, "NOOP"), FTP_OK);

    hostile_finish(h, HOSTILE_LOGIN "TYPE I\n"
                                    "EPSV\nRETR f\nABOR\n"
                                    "EPSV\nRETR f\nABOR\n"
                                    "EPSV\nRETR f\nABOR\n"
                                    "EPSV\nRETR f\nNOOP\n");
}

/* A socket whose peer is gone: the same (splice into a socket raises
 * SIGPIPE too). */
static void retr_fd_into_socket_without_peer(void **state)
{
    hostile *h = *state;
    hostile_start(h, STREAMING_RETR ABOR_426_226);
    hostile_connect_login(h);
    sigpipe_default();

    int sv[2];
    assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), 0);
    close(sv[1]);
    assert_int_equal(ftp_retr_fd(h->s, "RETR f", 0, sv[0]), FTP_E_FILE);
    assert_error_mentions(h->s, EPIPE);
    assert_int_equal(ftp_last_transfer_bytes(h->s), 0);
    assert_false(sigpipe_pending());
    close(sv[0]);
    assert_int_equal(ftp_voidcmd(h->s, "NOOP"), FTP_OK);

    hostile_finish(h, HOSTILE_LOGIN "TYPE I\nEPSV\nRETR f\nABOR\nNOOP\n");
}

/* /dev/full: FTP_E_FILE (ENOSPC), ABOR, usable. */
static void retr_fd_into_dev_full(void **state)
{
    hostile *h = *state;
    hostile_start(h, STREAMING_RETR ABOR_426_226);
    hostile_connect_login(h);

    int fd = open("/dev/full", O_WRONLY | O_CLOEXEC);
    assert_true(fd >= 0);
    assert_int_equal(ftp_retr_fd(h->s, "RETR f", 0, fd), FTP_E_FILE);
    assert_error_mentions(h->s, ENOSPC);
    assert_int_equal(ftp_last_transfer_bytes(h->s), 0);
    close(fd);
    assert_int_equal(ftp_voidcmd(h->s, "NOOP"), FTP_OK);
    assert_string_equal(ftp_last_reply(h->s), "200 ok");

    hostile_finish(h, HOSTILE_LOGIN "TYPE I\nEPSV\nRETR f\nABOR\nNOOP\n");
}

/* A number that is no open descriptor, and a file open only for reading:
 * FTP_E_FILE (EBADF), ABOR, usable.  A negative descriptor is FTP_E_INVALID
 * with nothing sent, for downloads and uploads alike. */
static void retr_fd_bad_descriptors(void **state)
{
    hostile *h = *state;
    hostile_start(h, STREAMING_RETR ABOR_426_226);
    hostile_connect_login(h);

    assert_int_equal(ftp_retr_fd(h->s, "RETR f", 0, -1), FTP_E_INVALID);
    assert_int_equal(ftp_stor_fd(h->s, "STOR f", 0, -1), FTP_E_INVALID);
    assert_int_equal(ftp_retr_fd(h->s, "RETR f", 100, -5), FTP_E_INVALID);

    /* Far above anything this process or the library opens. */
    const int closed_fd = 900;
    assert_int_equal(fcntl(closed_fd, F_GETFD), -1);
    assert_int_equal(errno, EBADF);
    assert_int_equal(ftp_retr_fd(h->s, "RETR f", 0, closed_fd), FTP_E_FILE);
    assert_error_mentions(h->s, EBADF);
    assert_int_equal(ftp_last_transfer_bytes(h->s), 0);

    int fd = open_local(h, "readonly.bin", O_RDONLY | O_CREAT);
    assert_int_equal(ftp_retr_fd(h->s, "RETR f", 0, fd), FTP_E_FILE);
    assert_error_mentions(h->s, EBADF);
    assert_int_equal(file_size(fd), 0);
    close(fd);
    remove_local(h, "readonly.bin");

    assert_int_equal(ftp_retr_fd(h->s, "RETR f", 0, -1), FTP_E_INVALID);
    assert_int_equal(ftp_voidcmd(h->s, "NOOP"), FTP_OK);

    hostile_finish(h, HOSTILE_LOGIN "TYPE I\n"
                                    "EPSV\nRETR f\nABOR\n"
                                    "EPSV\nRETR f\nABOR\n"
                                    "NOOP\n");
}

/* REST n goes out, and the bytes land at the descriptor's own position:
 * ftpc does not seek it. */
static void retr_fd_rest_writes_at_fd_position(void **state)
{
    hostile *h = *state;
    hostile_start(h,
                  "on REST reply 350 Restarting at 4\n"
                  "on RETR serve ABCDEF\n");
    hostile_connect_login(h);

    int fd = open_local(h, "resume.txt", O_RDWR | O_CREAT | O_TRUNC);
    write_all_fd(fd, "0123456789", 10);
    assert_int_equal(lseek(fd, 4, SEEK_SET), 4);
    assert_int_equal(ftp_retr_fd(h->s, "RETR f", 4, fd), FTP_OK);
    assert_int_equal(ftp_last_transfer_bytes(h->s), 6);
    assert_int_equal(position(fd), 10);
    close(fd);

    size_t len = 0;
    unsigned char *got = read_local(h, "resume.txt", &len);
    assert_string_equal((char *)got, "0123ABCDEF");
    free(got);
    remove_local(h, "resume.txt");

    hostile_finish(h, HOSTILE_LOGIN "TYPE I\nEPSV\nREST 4\nRETR f\n");
}

/* A file size limit cuts the download: FTP_E_FILE (EFBIG), ABOR, and the
 * descriptor holds a prefix of the file, which ftp_last_transfer_bytes()
 * counts exactly ("counts the bytes that reached fd").  @p flags picks the
 * splice path (plain file) or the buffered one (O_APPEND). */
static void size_limit_scenario(hostile *h, int flags)
{
    const rlim_t limit = 300000; /* not a multiple of any block size */
    hostile_start(h, STREAMING_RETR ABOR_426_226);
    hostile_connect_login(h);

    int fd = open_local(h, "limited.bin", O_WRONLY | O_CREAT | O_TRUNC | flags);
    struct rlimit old;
    assert_int_equal(getrlimit(RLIMIT_FSIZE, &old), 0);
    struct rlimit small = {limit, old.rlim_max};
    void (*old_xfsz)(int) = signal(SIGXFSZ, SIG_IGN);
    assert_int_equal(setrlimit(RLIMIT_FSIZE, &small), 0);
    int rc = ftp_retr_fd(h->s, "RETR f", 0, fd);
    assert_int_equal(setrlimit(RLIMIT_FSIZE, &old), 0);
    signal(SIGXFSZ, old_xfsz);

    assert_int_equal(rc, FTP_E_FILE);
    assert_error_mentions(h->s, EFBIG);
    assert_int_equal(file_size(fd), (off_t)limit);
    close(fd);
    size_t len = 0;
    unsigned char *got = read_local(h, "limited.bin", &len);
    assert_int_equal(len, limit);
    assert_flood_bytes(got, len, 0);
    free(got);
    remove_local(h, "limited.bin");
    assert_int_equal(ftp_last_transfer_bytes(h->s), limit);
    assert_int_equal(ftp_voidcmd(h->s, "NOOP"), FTP_OK);

    hostile_finish(h, HOSTILE_LOGIN "TYPE I\nEPSV\nRETR f\nABOR\nNOOP\n");
}

static void retr_fd_size_limit_splice(void **state)
{
    size_limit_scenario(*state, 0);
}

static void retr_fd_size_limit_buffered(void **state)
{
    size_limit_scenario(*state, O_APPEND);
}

/* A non-blocking pipe with a slow reader: the library waits for room each
 * time the pipe is full, and every byte arrives in order. */
static void retr_fd_into_nonblocking_pipe_slow_reader(void **state)
{
    hostile *h = *state;
    const size_t size = 2 * MIB + 5;
    char script[256];
    snprintf(script, sizeof script,
             "on RETR reply 150 Opening data connection\n"
             "  dataflood %zu " FLOOD "\n"
             "  dataclose\n"
             "  reply 226 Transfer complete\n",
             size);
    hostile_start(h, script);
    hostile_connect_login(h);

    int p[2];
    assert_int_equal(pipe2(p, O_CLOEXEC | O_NONBLOCK), 0);
    /* The reader blocks; only the library's end is non-blocking. */
    assert_int_equal(fcntl(p[0], F_SETFL, 0), 0);
    reader r = {p[0], 1, 0, 0, 0, 0};
    reader_start(&r);
    assert_int_equal(ftp_retr_fd(h->s, "RETR f", 0, p[1]), FTP_OK);
    assert_int_equal(ftp_last_transfer_bytes(h->s), size);
    close(p[1]);
    pthread_join(r.thread, NULL);
    assert_int_equal(r.failed_errno, 0);
    assert_int_equal(r.bad_at, 0);
    assert_int_equal(r.got, size);

    hostile_finish(h, HOSTILE_LOGIN "TYPE I\nEPSV\nRETR f\n");
}

/* A non-blocking pipe that nobody reads: the wait for room ends at the data
 * timeout with FTP_E_TIMEOUT, not never. */
static void retr_fd_into_stuck_pipe_times_out(void **state)
{
    hostile *h = *state;
    hostile_start(h, STREAMING_RETR);
    assert_int_equal(ftp_set_phase_timeout_ms(h->s, FTP_TIMEOUT_DATA, 300), FTP_OK);
    hostile_connect_login(h);

    int p[2];
    assert_int_equal(pipe2(p, O_CLOEXEC | O_NONBLOCK), 0);
    assert_int_equal(ftp_retr_fd(h->s, "RETR f", 0, p[1]), FTP_E_TIMEOUT);
    close(p[0]);
    close(p[1]);

    hostile_finish(h, HOSTILE_LOGIN "TYPE I\nEPSV\nRETR f\n");
}

typedef struct canceller {
    ftp_session *s;
    long after_ms;
    pthread_t thread;
} canceller;

static void *canceller_main(void *arg)
{
    canceller *c = arg;
    sleep_ms(c->after_ms);
    ftp_cancel(c->s);
    return NULL;
}

/* ... and ftp_cancel() from another thread ends that wait promptly. */
static void retr_fd_into_stuck_pipe_cancelled(void **state)
{
    hostile *h = *state;
    hostile_start(h, STREAMING_RETR);
    assert_int_equal(ftp_set_phase_timeout_ms(h->s, FTP_TIMEOUT_DATA, 60000), FTP_OK);
    hostile_connect_login(h);

    int p[2];
    assert_int_equal(pipe2(p, O_CLOEXEC | O_NONBLOCK), 0);
    canceller c = {h->s, 200, 0};
    assert_int_equal(pthread_create(&c.thread, NULL, canceller_main, &c), 0);
    assert_int_equal(ftp_retr_fd(h->s, "RETR f", 0, p[1]), FTP_E_CANCELLED);
    pthread_join(c.thread, NULL);
    close(p[0]);
    close(p[1]);

    hostile_finish(h, HOSTILE_LOGIN "TYPE I\nEPSV\nRETR f\n");
}

/* RETR refused with 550: FTP_E_PERM, nothing written. */
static void retr_fd_550_writes_nothing(void **state)
{
    hostile *h = *state;
    hostile_start(h, "on RETR reply 550 No such file\n");
    hostile_connect_login(h);

    int fd = open_local(h, "missing.bin", O_WRONLY | O_CREAT | O_TRUNC);
    assert_int_equal(ftp_retr_fd(h->s, "RETR missing", 0, fd), FTP_E_PERM);
    assert_int_equal(ftp_last_reply_code(h->s), 550);
    assert_int_equal(ftp_last_transfer_bytes(h->s), 0);
    assert_int_equal(file_size(fd), 0);
    assert_int_equal(position(fd), 0);
    close(fd);
    remove_local(h, "missing.bin");
    assert_int_equal(ftp_voidcmd(h->s, "NOOP"), FTP_OK);

    hostile_finish(h, HOSTILE_LOGIN "TYPE I\nEPSV\nRETR missing\nNOOP\n");
}

/* The data connection reset mid-transfer with a 426: the reply's error, as
 * ftp_retrbinary() reports it, and the session goes on. */
static void retr_fd_data_reset_426_as_retrbinary(void **state)
{
    hostile *h = *state;
    hostile_start(h,
                  "on RETR reply 150 Opening data connection\n"
                  "  data partial\n"
                  "  delay 0.1\n"
                  "  datarst\n"
                  "  reply 426 Connection reset; transfer aborted\n");
    hostile_connect_login(h);

    hostile_sink sink = {0};
    int by_callback = ftp_retrbinary(h->s, "RETR a", 0, 0, hostile_sink_fn, &sink);
    assert_int_equal(ftp_last_reply_code(h->s), 426);
    int fd = open_local(h, "reset.bin", O_WRONLY | O_CREAT | O_TRUNC);
    int by_fd = ftp_retr_fd(h->s, "RETR b", 0, fd);
    assert_int_equal(ftp_last_reply_code(h->s), 426);
    close(fd);
    remove_local(h, "reset.bin");
    assert_int_equal(by_callback, FTP_E_TEMP);
    assert_int_equal(by_fd, FTP_E_TEMP);
    assert_int_equal(ftp_voidcmd(h->s, "NOOP"), FTP_OK);

    hostile_finish(h, HOSTILE_LOGIN "TYPE I\nEPSV\nRETR a\nEPSV\nRETR b\nNOOP\n");
}

/* All the data, a clean end, then 426: FTP_E_TEMP, and the bytes are in
 * the file. */
static void retr_fd_clean_eof_then_426(void **state)
{
    hostile *h = *state;
    hostile_start(h,
                  "on RETR reply 150 ok\n"
                  "  data all of it\n"
                  "  dataclose\n"
                  "  reply 426 Connection closed; transfer aborted\n");
    hostile_connect_login(h);

    int fd = open_local(h, "late426.txt", O_WRONLY | O_CREAT | O_TRUNC);
    assert_int_equal(ftp_retr_fd(h->s, "RETR f", 0, fd), FTP_E_TEMP);
    assert_int_equal(ftp_last_reply_code(h->s), 426);
    close(fd);
    size_t len = 0;
    unsigned char *got = read_local(h, "late426.txt", &len);
    assert_string_equal((char *)got, "all of it");
    free(got);
    remove_local(h, "late426.txt");
    assert_int_equal(ftp_voidcmd(h->s, "NOOP"), FTP_OK);

    hostile_finish(h, HOSTILE_LOGIN "TYPE I\nEPSV\nRETR f\nNOOP\n");
}

/* ==== uploads =============================================================== */

/* A regular file (sendfile): the server gets exactly its bytes from the
 * descriptor's position on, which ends at end of file; REST with a
 * positioned descriptor sends the rest; at end of file, nothing. */
static void stor_fd_from_regular_file(void **state)
{
    hostile *h = *state;
    const size_t size = 3 * MIB + 17;
    hostile_start(h,
                  "on STOR store\n"
                  "on REST reply 350 Restarting at 1000000\n");
    hostile_connect_login(h);
    write_pattern_file(h, "up.bin", size, 1);

    int fd = open_local(h, "up.bin", O_RDONLY);
    assert_int_equal(ftp_stor_fd(h->s, "STOR up.bin", 0, fd), FTP_OK);
    assert_int_equal(ftp_last_reply_code(h->s), 226);
    assert_int_equal(ftp_last_transfer_bytes(h->s), size);
    assert_int_equal(position(fd), (off_t)size);

    assert_int_equal(lseek(fd, 1000000, SEEK_SET), 1000000);
    assert_int_equal(ftp_stor_fd(h->s, "STOR up.bin", 1000000, fd), FTP_OK);
    assert_int_equal(ftp_last_transfer_bytes(h->s), size - 1000000);
    assert_int_equal(position(fd), (off_t)size);

    assert_int_equal(ftp_stor_fd(h->s, "STOR empty.bin", 0, fd), FTP_OK);
    assert_int_equal(ftp_last_transfer_bytes(h->s), 0);
    close(fd);
    remove_local(h, "up.bin");

    hostile_finish(h, HOSTILE_LOGIN
                   "TYPE I\nEPSV\nSTOR up.bin\n"
                   "# received 3145745 bytes sha256 "
                   "e174407b73079f791957f7b906301b13b1f831d8f30e50379e55d8869888d8f3\n"
                   "EPSV\nREST 1000000\nSTOR up.bin\n"
                   "# received 2145745 bytes sha256 "
                   "9934a03fc67743f24a23bdd4bd52cdb293194dd12f50ff453e8f288c4ddc8f68\n"
                   "EPSV\nSTOR empty.bin\n"
                   "# received 0 bytes sha256 " SHA256_EMPTY "\n");
}

/* A small file read from the middle: only the bytes after the position. */
static void stor_fd_from_file_position(void **state)
{
    hostile *h = *state;
    hostile_start(h, "on STOR store\n");
    hostile_connect_login(h);

    int fd = open_local(h, "digits.txt", O_RDWR | O_CREAT | O_TRUNC);
    write_all_fd(fd, "0123456789", 10);
    assert_int_equal(lseek(fd, 4, SEEK_SET), 4);
    assert_int_equal(ftp_stor_fd(h->s, "STOR tail", 0, fd), FTP_OK);
    assert_int_equal(ftp_last_transfer_bytes(h->s), 6);
    assert_int_equal(position(fd), 10);
    close(fd);
    remove_local(h, "digits.txt");

    /* sha256("456789") */
    hostile_finish(h, HOSTILE_LOGIN "TYPE I\nEPSV\nSTOR tail\n"
                                    "# received 6 bytes sha256 "
                                    "472bbe83616e93d3c09a79103ae47d8f71e3d35a966d6e8b22f743218d04171d\n");
}

/* A pipe filled and closed beforehand (the buffered path). */
static void stor_fd_from_prefilled_pipe(void **state)
{
    hostile *h = *state;
    hostile_start(h, "on STOR store\n");
    hostile_connect_login(h);

    int p[2];
    assert_int_equal(pipe2(p, O_CLOEXEC), 0);
    write_all_fd(p[1], "456789", 6);
    close(p[1]);
    assert_int_equal(ftp_stor_fd(h->s, "STOR piped", 0, p[0]), FTP_OK);
    assert_int_equal(ftp_last_transfer_bytes(h->s), 6);
    close(p[0]);

    hostile_finish(h, HOSTILE_LOGIN "TYPE I\nEPSV\nSTOR piped\n"
                                    "# received 6 bytes sha256 "
                                    "472bbe83616e93d3c09a79103ae47d8f71e3d35a966d6e8b22f743218d04171d\n");
}

/* A non-blocking pipe fed by a slow writer thread: the library waits for
 * data each time the pipe runs dry, and sends everything. */
static void stor_fd_from_nonblocking_pipe_writer_thread(void **state)
{
    hostile *h = *state;
    hostile_start(h, "on STOR store\n");
    hostile_connect_login(h);

    int p[2];
    assert_int_equal(pipe2(p, O_CLOEXEC | O_NONBLOCK), 0);
    assert_int_equal(fcntl(p[1], F_SETFL, 0), 0); /* the writer blocks */
    writer w = {p[1], 2 * MIB + 3, 2, 65536, 2, 0, 0};
    writer_start(&w);
    assert_int_equal(ftp_stor_fd(h->s, "STOR piped.bin", 0, p[0]), FTP_OK);
    pthread_join(w.thread, NULL);
    assert_int_equal(w.failed_errno, 0);
    assert_int_equal(ftp_last_transfer_bytes(h->s), 2 * MIB + 3);
    close(p[0]);

    hostile_finish(h, HOSTILE_LOGIN "TYPE I\nEPSV\nSTOR piped.bin\n"
                                    "# received 2097155 bytes sha256 "
                                    "5ec307f6cc074a8b6233f9c16b43a8a50389f4b2259042be94dd2eda930c2a2c\n");
}

/* A socket fed by a writer thread. */
static void stor_fd_from_socket(void **state)
{
    hostile *h = *state;
    hostile_start(h, "on STOR store\n");
    hostile_connect_login(h);

    int sv[2];
    assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), 0);
    writer w = {sv[1], MIB + 5, 3, 100000, 0, 0, 0};
    writer_start(&w);
    assert_int_equal(ftp_stor_fd(h->s, "STOR socket.bin", 0, sv[0]), FTP_OK);
    pthread_join(w.thread, NULL);
    assert_int_equal(w.failed_errno, 0);
    assert_int_equal(ftp_last_transfer_bytes(h->s), MIB + 5);
    close(sv[0]);

    hostile_finish(h, HOSTILE_LOGIN "TYPE I\nEPSV\nSTOR socket.bin\n"
                                    "# received 1048581 bytes sha256 "
                                    "957c8f76550d8eeec89a7bf4eff79452aa1611726bda162d89a0c70aa9e6294f\n");
}

/* A directory (read gives EISDIR): FTP_E_FILE, and the upload is stopped
 * with ABOR, not ended normally; the session goes on. */
static void stor_fd_from_directory(void **state)
{
    hostile *h = *state;
    hostile_start(h,
                  "on STOR reply 150 Ok to send data\n"
                  "  datarecv\n" ABOR_426_226);
    hostile_connect_login(h);

    int fd = open(h->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    assert_true(fd >= 0);
    assert_int_equal(ftp_stor_fd(h->s, "STOR d", 0, fd), FTP_E_FILE);
    assert_int_equal(ftp_last_error_code(h->s), FTP_E_FILE);
    assert_error_mentions(h->s, EISDIR);
    assert_int_equal(ftp_last_transfer_bytes(h->s), 0);
    close(fd);
    assert_int_equal(ftp_voidcmd(h->s, "NOOP"), FTP_OK);

    hostile_finish(h, HOSTILE_LOGIN "TYPE I\nEPSV\nSTOR d\n"
                                    "# received 0 bytes sha256 " SHA256_EMPTY "\n"
                                    "ABOR\nNOOP\n");
}

/* A bad descriptor for an upload: FTP_E_FILE (EBADF), ABOR, usable. */
static void stor_fd_bad_descriptor(void **state)
{
    hostile *h = *state;
    hostile_start(h,
                  "on STOR reply 150 Ok to send data\n"
                  "  datarecv\n" ABOR_426_226);
    hostile_connect_login(h);

    const int closed_fd = 900;
    assert_int_equal(fcntl(closed_fd, F_GETFD), -1);
    assert_int_equal(ftp_stor_fd(h->s, "STOR x", 0, closed_fd), FTP_E_FILE);
    assert_error_mentions(h->s, EBADF);
    assert_int_equal(ftp_voidcmd(h->s, "NOOP"), FTP_OK);

    hostile_finish(h, HOSTILE_LOGIN "TYPE I\nEPSV\nSTOR x\n"
                                    "# received 0 bytes sha256 " SHA256_EMPTY "\n"
                                    "ABOR\nNOOP\n");
}

/* The server takes 1000 bytes, resets the data connection and says 552:
 * that reply is the error, sendfile's SIGPIPE does not kill the process,
 * and the session goes on. */
static void stor_fd_server_fails_mid_upload(void **state)
{
    hostile *h = *state;
    hostile_start(h,
                  "on STOR reply 150 Ok to send data\n"
                  "  datarecvclose 1000\n"
                  "  reply 552 Disk full\n");
    hostile_connect_login(h);
    sigpipe_default();
    write_pattern_file(h, "big.bin", 8 * MIB, 4);

    int fd = open_local(h, "big.bin", O_RDONLY);
    assert_int_equal(ftp_stor_fd(h->s, "STOR big", 0, fd), FTP_E_PERM);
    assert_int_equal(ftp_last_reply_code(h->s), 552);
    assert_false(sigpipe_pending());
    close(fd);
    remove_local(h, "big.bin");
    assert_int_equal(ftp_voidcmd(h->s, "NOOP"), FTP_OK);

    hostile_finish(h, HOSTILE_LOGIN "TYPE I\nEPSV\nSTOR big\n"
                                    "# received 1000 bytes then reset the data connection\n"
                                    "NOOP\n");
}

/* ==== calls that must be refused ============================================ */

typedef struct reentry {
    ftp_session *s;
    int fd;
    int retr_rc, stor_rc;
    int calls;
} reentry;

static int reentering_sink(const void *data, size_t len, void *userdata)
{
    (void)data;
    (void)len;
    reentry *r = userdata;
    if (r->calls++ == 0) {
        r->retr_rc = ftp_retr_fd(r->s, "RETR other", 0, r->fd);
        r->stor_rc = ftp_stor_fd(r->s, "STOR other", 0, r->fd);
    }
    return 0;
}

/* From a callback of the same session, and while a data stream is open:
 * FTP_E_BUSY, nothing sent, and the running transfer is unharmed. */
static void fd_transfers_busy(void **state)
{
    hostile *h = *state;
    hostile_start(h, "on RETR serve payload\n");
    hostile_connect_login(h);

    int fd = open_local(h, "busy.bin", O_RDWR | O_CREAT | O_TRUNC);
    reentry r = {h->s, fd, 0, 0, 0};
    assert_int_equal(ftp_retrbinary(h->s, "RETR f", 0, 0, reentering_sink, &r), FTP_OK);
    assert_int_equal(r.retr_rc, FTP_E_BUSY);
    assert_int_equal(r.stor_rc, FTP_E_BUSY);

    ftp_data *d = NULL;
    assert_int_equal(ftp_transfercmd(h->s, "RETR f", 0, &d, NULL), FTP_OK);
    assert_int_equal(ftp_retr_fd(h->s, "RETR other", 0, fd), FTP_E_BUSY);
    assert_int_equal(ftp_stor_fd(h->s, "STOR other", 0, fd), FTP_E_BUSY);
    char buf[64];
    size_t n = 1, total = 0;
    while (n > 0) {
        assert_int_equal(ftp_data_read(d, buf + total, sizeof buf - total, &n), FTP_OK);
        total += n;
    }
    assert_int_equal(ftp_data_close(d), FTP_OK);
    assert_int_equal(total, 7);
    assert_int_equal(file_size(fd), 0);
    close(fd);
    remove_local(h, "busy.bin");

    hostile_finish(h, HOSTILE_LOGIN "TYPE I\nEPSV\nRETR f\nEPSV\nRETR f\n");
}

/* ==== the TYPE cache ======================================================== */

#define SERVE_ALL                 \
    "on RETR serve r\n"           \
    "on NLST serve n\\r\\n\n"     \
    "on LIST serve l\\r\\n\n"     \
    "on MLSD serve type=file; m\\r\\n\n" \
    "on STOR store\n"

static void retr(hostile *h, const char *cmd)
{
    hostile_sink sink = {0};
    assert_int_equal(ftp_retrbinary(h->s, cmd, 0, 0, hostile_sink_fn, &sink), FTP_OK);
    assert_string_equal(sink.data, "r");
}

static void retr_text(hostile *h, const char *cmd)
{
    hostile_lines lines = {0};
    assert_int_equal(ftp_retrlines(h->s, cmd, hostile_line_fn, &lines), FTP_OK);
    assert_string_equal(lines.text, "r\n");
}

static void retr_into_fd(hostile *h, const char *cmd)
{
    int p[2];
    assert_int_equal(pipe2(p, O_CLOEXEC), 0);
    assert_int_equal(ftp_retr_fd(h->s, cmd, 0, p[1]), FTP_OK);
    close(p[1]);
    char buf[8] = {0};
    assert_int_equal(read(p[0], buf, sizeof buf - 1), 1);
    assert_string_equal(buf, "r");
    close(p[0]);
}

static void stor_from_fd(hostile *h, const char *cmd)
{
    int p[2];
    assert_int_equal(pipe2(p, O_CLOEXEC), 0);
    close(p[1]); /* an empty upload */
    assert_int_equal(ftp_stor_fd(h->s, cmd, 0, p[0]), FTP_OK);
    close(p[0]);
}

#define RECEIVED_EMPTY "# received 0 bytes sha256 " SHA256_EMPTY "\n"
#define RECEIVED_X     \
    "# received 1 bytes sha256 " \
    "2d711642b726b04401627ca9fbac32f5c8530fb1903cc4db02258717921a4881\n"
/* "x" through ftp_storlines(): its line gets its CRLF. */
#define RECEIVED_X_LINE     \
    "# received 3 bytes sha256 " \
    "b35e09fa2ced9ebcad9d16336fb961146fe34bfbebc562679da85f8a314c9dca\n"

/* Two binary downloads and a binary upload: one TYPE I. */
static void type_sent_once_for_binary_transfers(void **state)
{
    hostile *h = *state;
    hostile_start(h, SERVE_ALL);
    hostile_connect_login(h);

    retr(h, "RETR a");
    retr(h, "RETR b");
    hostile_source src = {"x", 0, 0};
    assert_int_equal(ftp_storbinary(h->s, "STOR c", 0, 0, hostile_source_fn, &src), FTP_OK);

    hostile_finish(h, HOSTILE_LOGIN "TYPE I\nEPSV\nRETR a\nEPSV\nRETR b\nEPSV\nSTOR c\n" RECEIVED_X);
}

/* Text and binary in turn: TYPE only where it changes; listings are text. */
static void type_follows_text_and_binary(void **state)
{
    hostile *h = *state;
    hostile_start(h, SERVE_ALL);
    hostile_connect_login(h);

    retr_text(h, "RETR a");
    retr(h, "RETR b");
    hostile_lines lines = {0};
    assert_int_equal(ftp_nlst(h->s, NULL, hostile_line_fn, &lines), FTP_OK);
    assert_int_equal(ftp_dir(h->s, NULL, hostile_line_fn, &lines), FTP_OK);
    assert_int_equal(lines.count, 2);
    hostile_source src = {"x", 0, 0};
    assert_int_equal(ftp_storbinary(h->s, "STOR c", 0, 0, hostile_source_fn, &src), FTP_OK);
    src.given = 0;
    assert_int_equal(ftp_storlines(h->s, "STOR d", hostile_source_fn, &src), FTP_OK);
    retr_text(h, "RETR e");

    hostile_finish(h, HOSTILE_LOGIN "TYPE A\nEPSV\nRETR a\n"
                                    "TYPE I\nEPSV\nRETR b\n"
                                    "TYPE A\nEPSV\nNLST\nEPSV\nLIST\n"
                                    "TYPE I\nEPSV\nSTOR c\n" RECEIVED_X
                                    "TYPE A\nEPSV\nSTOR d\n" RECEIVED_X_LINE
                                    "EPSV\nRETR e\n");
}

/* A raw TYPE through ftp_sendcmd()/ftp_voidcmd(), whatever it says and in
 * whatever case, makes the next transfer send its TYPE again. */
static void raw_type_makes_type_go_out_again(void **state)
{
    hostile *h = *state;
    hostile_start(h, SERVE_ALL);
    hostile_connect_login(h);

    retr(h, "RETR a");
    assert_int_equal(ftp_sendcmd(h->s, "TYPE A", NULL), FTP_OK);
    retr(h, "RETR b");
    assert_int_equal(ftp_voidcmd(h->s, "TYPE I"), FTP_OK);
    retr(h, "RETR c");
    assert_int_equal(ftp_voidcmd(h->s, "type a"), FTP_OK);
    retr(h, "RETR d");
    retr(h, "RETR e");

    hostile_finish(h, HOSTILE_LOGIN "TYPE I\nEPSV\nRETR a\n"
                                    "TYPE A\nTYPE I\nEPSV\nRETR b\n"
                                    "TYPE I\nTYPE I\nEPSV\nRETR c\n"
                                    "type a\nTYPE I\nEPSV\nRETR d\n"
                                    "EPSV\nRETR e\n");
}

/* REIN, USER (raw, or through ftp_login()), AUTH and CCC reset the type,
 * answered or refused; other raw commands do not. */
static void other_resetting_verbs(void **state)
{
    hostile *h = *state;
    hostile_start(h, SERVE_ALL
                  "on REIN reply 220 Service ready for new user\n"
                  "on AUTH reply 504 Not now\n"
                  "on CCC reply 533 Control connection not protected\n"
                  "on SYST reply 215 UNIX Type: L8\n"
                  "on MODE reply 200 Mode S\n");
    hostile_connect_login(h);

    retr(h, "RETR a");
    assert_int_equal(ftp_voidcmd(h->s, "NOOP"), FTP_OK);
    assert_int_equal(ftp_voidcmd(h->s, "SYST"), FTP_OK);
    assert_int_equal(ftp_voidcmd(h->s, "MODE S"), FTP_OK);
    retr(h, "RETR b");
    assert_int_equal(ftp_voidcmd(h->s, "REIN"), FTP_OK);
    retr(h, "RETR c");
    assert_int_equal(ftp_login(h->s, "user", "secret", NULL), FTP_OK);
    retr(h, "RETR d");
    assert_int_equal(ftp_sendcmd(h->s, "USER other", NULL), FTP_OK);
    retr(h, "RETR e");
    assert_int_equal(ftp_sendcmd(h->s, "AUTH TLS", NULL), FTP_E_PERM);
    retr(h, "RETR f");
    assert_int_equal(ftp_sendcmd(h->s, "CCC", NULL), FTP_E_PERM);
    retr(h, "RETR g");
    retr(h, "RETR h");

    hostile_finish(h, HOSTILE_LOGIN "TYPE I\nEPSV\nRETR a\n"
                                    "NOOP\nSYST\nMODE S\nEPSV\nRETR b\n"
                                    "REIN\nTYPE I\nEPSV\nRETR c\n"
                                    HOSTILE_LOGIN "TYPE I\nEPSV\nRETR d\n"
                                    "USER other\nTYPE I\nEPSV\nRETR e\n"
                                    "AUTH TLS\nTYPE I\nEPSV\nRETR f\n"
                                    "CCC\nTYPE I\nEPSV\nRETR g\n"
                                    "EPSV\nRETR h\n");
}

/* A refused TYPE: the transfer fails, and the next one sends TYPE again. */
static void refused_type_is_sent_again(void **state)
{
    hostile *h = *state;
    hostile_start(h, SERVE_ALL "on TYPE #1 reply 500 Not now\n");
    hostile_connect_login(h);

    hostile_sink sink = {0};
    assert_int_equal(ftp_retrbinary(h->s, "RETR a", 0, 0, hostile_sink_fn, &sink), FTP_E_PERM);
    assert_int_equal(sink.calls, 0);
    retr(h, "RETR b");
    retr(h, "RETR c");

    hostile_finish(h, HOSTILE_LOGIN "TYPE I\nTYPE I\nEPSV\nRETR b\nEPSV\nRETR c\n");
}

/* Every new connection starts with the type unknown: after ftp_close() and
 * ftp_quit(), with and without a login (which would reset it by itself). */
static void new_connection_sends_type_again(void **state)
{
    hostile *h = *state;
    hostile_start(h, SERVE_ALL);

    assert_int_equal(hostile_connect(h), FTP_OK);
    retr(h, "RETR a");
    retr(h, "RETR b");
    assert_int_equal(ftp_close(h->s), FTP_OK);
    assert_int_equal(hostile_connect(h), FTP_OK);
    retr(h, "RETR c");
    assert_int_equal(ftp_quit(h->s), FTP_OK);
    hostile_connect_login(h);
    retr(h, "RETR d");
    assert_int_equal(ftp_close(h->s), FTP_OK);
    hostile_connect_login(h);
    retr(h, "RETR e");

    hostile_finish(h, "TYPE I\nEPSV\nRETR a\nEPSV\nRETR b\n"
                      "TYPE I\nEPSV\nRETR c\nQUIT\n"
                      HOSTILE_LOGIN "TYPE I\nEPSV\nRETR d\n"
                      HOSTILE_LOGIN "TYPE I\nEPSV\nRETR e\n");
}

/* The descriptor transfers share the cache: no second TYPE I after a
 * binary transfer, TYPE I again after a text one. */
static void fd_transfers_use_the_type_cache(void **state)
{
    hostile *h = *state;
    hostile_start(h, SERVE_ALL);
    hostile_connect_login(h);

    retr(h, "RETR a");
    retr_into_fd(h, "RETR b");
    stor_from_fd(h, "STOR c");
    retr_text(h, "RETR d");
    retr_into_fd(h, "RETR e");
    stor_from_fd(h, "STOR f");
    retr_text(h, "RETR g");
    stor_from_fd(h, "STOR h");
    retr(h, "RETR i");

    hostile_finish(h, HOSTILE_LOGIN "TYPE I\nEPSV\nRETR a\nEPSV\nRETR b\n"
                                    "EPSV\nSTOR c\n" RECEIVED_EMPTY
                                    "TYPE A\nEPSV\nRETR d\n"
                                    "TYPE I\nEPSV\nRETR e\n"
                                    "EPSV\nSTOR f\n" RECEIVED_EMPTY
                                    "TYPE A\nEPSV\nRETR g\n"
                                    "TYPE I\nEPSV\nSTOR h\n" RECEIVED_EMPTY
                                    "EPSV\nRETR i\n");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        HOSTILE_TEST(retr_fd_into_regular_file),
        HOSTILE_TEST(retr_fd_into_append_file),
        HOSTILE_TEST(retr_fd_into_pipe_without_reader),
        HOSTILE_TEST(retr_fd_into_socket_without_peer),
        HOSTILE_TEST(retr_fd_into_dev_full),
        HOSTILE_TEST(retr_fd_bad_descriptors),
        HOSTILE_TEST(retr_fd_rest_writes_at_fd_position),
        HOSTILE_TEST(retr_fd_size_limit_splice),
        HOSTILE_TEST(retr_fd_size_limit_buffered),
        HOSTILE_TEST(retr_fd_into_nonblocking_pipe_slow_reader),
        HOSTILE_TEST(retr_fd_into_stuck_pipe_times_out),
        HOSTILE_TEST(retr_fd_into_stuck_pipe_cancelled),
        HOSTILE_TEST(retr_fd_550_writes_nothing),
        HOSTILE_TEST(retr_fd_data_reset_426_as_retrbinary),
        HOSTILE_TEST(retr_fd_clean_eof_then_426),
        HOSTILE_TEST(stor_fd_from_regular_file),
        HOSTILE_TEST(stor_fd_from_file_position),
        HOSTILE_TEST(stor_fd_from_prefilled_pipe),
        HOSTILE_TEST(stor_fd_from_nonblocking_pipe_writer_thread),
        HOSTILE_TEST(stor_fd_from_socket),
        HOSTILE_TEST(stor_fd_from_directory),
        HOSTILE_TEST(stor_fd_bad_descriptor),
        HOSTILE_TEST(stor_fd_server_fails_mid_upload),
        HOSTILE_TEST(fd_transfers_busy),
        HOSTILE_TEST(type_sent_once_for_binary_transfers),
        HOSTILE_TEST(type_follows_text_and_binary),
        HOSTILE_TEST(raw_type_makes_type_go_out_again),
        HOSTILE_TEST(other_resetting_verbs),
        HOSTILE_TEST(refused_type_is_sent_again),
        HOSTILE_TEST(new_connection_sends_type_again),
        HOSTILE_TEST(fd_transfers_use_the_type_cache),
    };
    return cmocka_run_group_tests_name("hostile: ftp_retr_fd / ftp_stor_fd and the TYPE cache",
                                       tests, NULL, NULL);
}
