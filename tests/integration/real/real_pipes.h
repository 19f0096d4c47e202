/*
 * The far end of a pipe for the descriptor transfers (ftp_retr_fd,
 * ftp_stor_fd), run in a thread: a hasher that reads a download to EOF, and
 * a feeder that writes an upload of the pseudo-random stream (real_files.h).
 * Each closes its end when done, so the other side sees EOF or EPIPE.
 */
#ifndef REAL_PIPES_H
#define REAL_PIPES_H

#include <pthread.h>
#include <stdint.h>

#include "sha256.h"

typedef struct pipe_hasher {
    int fd;
    uint64_t received;
    int failed_errno;
    char hex[SHA256_HEX_SIZE];
    pthread_t thread;
} pipe_hasher;

/* Reads @p fd (the pipe's read end) in a new thread; 0 or an errno. */
int pipe_hasher_start(pipe_hasher *p, int fd);

typedef struct pipe_feeder {
    int fd;
    uint64_t seed, size;
    int failed_errno;
    pthread_t thread;
} pipe_feeder;

/* Writes @p size bytes of stream @p seed into @p fd (the write end) in a new
 * thread, with SIGPIPE blocked there: an upload that fails early gives the
 * feeder EPIPE, not the test program a SIGPIPE.  0 or an errno. */
int pipe_feeder_start(pipe_feeder *p, int fd, uint64_t seed, uint64_t size);

#endif
