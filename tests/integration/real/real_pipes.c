#include "real_pipes.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "real_files.h"

static void *hasher_main(void *arg)
{
    pipe_hasher *p = arg;
    static unsigned char buf[65536];
    sha256_ctx ctx;
    sha256_init(&ctx);
    for (;;) {
        ssize_t n = read(p->fd, buf, sizeof buf);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            p->failed_errno = errno;
            break;
        }
        if (n == 0)
            break;
        sha256_update(&ctx, buf, (size_t)n);
        p->received += (uint64_t)n;
    }
    unsigned char digest[SHA256_DIGEST_SIZE];
    sha256_final(&ctx, digest);
    sha256_hex(digest, p->hex);
    close(p->fd);
    return NULL;
}

int pipe_hasher_start(pipe_hasher *p, int fd)
{
    memset(p, 0, sizeof *p);
    p->fd = fd;
    return pthread_create(&p->thread, NULL, hasher_main, p);
}

static void *feeder_main(void *arg)
{
    pipe_feeder *p = arg;
    /* Not a multiple of any block size the library uses. */
    static unsigned char buf[65536 + 123];
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    for (uint64_t off = 0; off < p->size && p->failed_errno == 0;) {
        size_t n = p->size - off < sizeof buf ? (size_t)(p->size - off) : sizeof buf;
        real_fill(p->seed, off, buf, n);
        for (size_t done = 0; done < n;) {
            ssize_t put = write(p->fd, buf + done, n - done);
            if (put < 0 && errno == EINTR)
                continue;
            if (put <= 0) {
                p->failed_errno = errno;
                break;
            }
            done += (size_t)put;
        }
        off += n;
    }
    close(p->fd);
    return NULL;
}

int pipe_feeder_start(pipe_feeder *p, int fd, uint64_t seed, uint64_t size)
{
    memset(p, 0, sizeof *p);
    p->fd = fd;
    p->seed = seed;
    p->size = size;
    return pthread_create(&p->thread, NULL, feeder_main, p);
}
