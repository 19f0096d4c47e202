/* Ceiling: how fast this machine moves a file over one loopback TCP
 * connection when nobody copies a byte in user space.
 *
 *   sendfile_pair FILE [REPEAT]
 *
 * A sender sendfile()s FILE into a TCP connection on 127.0.0.1; a receiver
 * process splice()s the socket into a pipe and the pipe into /dev/null.  No
 * FTP client or server can beat this on the same machine: it is what an FTP
 * download costs without the protocol, the user-space copies and the disk.
 * FILE should be in the page cache (the harness reads it first).
 *
 * Prints one JSON line: {"bytes": N, "seconds": [s1, s2, ...]}, one time per
 * repetition (default 3), each from connect() to the receiver's exit.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "ceiling.h"

#define CHUNK (1 << 20)

static void fail(const char *what)
{
    fprintf(stderr, "sendfile_pair: %s: %s\n", what, strerror(errno));
    exit(1);
}

/* The receiving process: socket -> pipe -> /dev/null, never in user space. */
static void receive_to_null(int listener)
{
    int sock = accept(listener, NULL, NULL);
    int null_fd = open("/dev/null", O_WRONLY);
    int pipe_fds[2];
    if (sock < 0 || null_fd < 0 || pipe(pipe_fds) != 0) {
        fail("receiver setup");
    }
    for (;;) {
        ssize_t in = splice(sock, NULL, pipe_fds[1], NULL, CHUNK, SPLICE_F_MOVE | SPLICE_F_MORE);
        if (in == 0) {
            break;
        }
        if (in < 0) {
            if (errno == EINTR) {
                continue;
            }
            fail("splice from socket");
        }
        while (in > 0) {
            ssize_t out = splice(pipe_fds[0], NULL, null_fd, NULL, (size_t)in, SPLICE_F_MOVE);
            if (out < 0) {
                if (errno == EINTR) {
                    continue;
                }
                fail("splice to /dev/null");
            }
            in -= out;
        }
    }
    _exit(0);
}

/* One repetition: returns the seconds from connect() to the receiver's exit. */
static double send_once(int file_fd, off_t size)
{
    struct sockaddr_in addr;
    int listener = ceiling_listen_loopback(&addr, 1);
    if (listener < 0) {
        fail("listen on 127.0.0.1");
    }
    fflush(stdout); /* or the child's exit(1) would print our output twice */
    pid_t receiver = fork();
    if (receiver < 0) {
        fail("fork");
    }
    if (receiver == 0) {
        receive_to_null(listener);
    }
    close(listener);

    double start = ceiling_now();
    int sock = socket(AF_INET, SOCK_STREAM, 0);
    if (sock < 0 || connect(sock, (struct sockaddr *)&addr, sizeof addr) != 0) {
        fail("connect");
    }
    off_t offset = 0;
    while (offset < size) {
        ssize_t sent = sendfile(sock, file_fd, &offset, CHUNK * 8);
        if (sent < 0 && errno != EINTR) {
            fail("sendfile");
        }
        if (sent == 0) {
            break; /* the file shrank */
        }
    }
    close(sock);
    int status;
    if (waitpid(receiver, &status, 0) != receiver || !WIFEXITED(status) ||
        WEXITSTATUS(status) != 0) {
        fprintf(stderr, "sendfile_pair: the receiver failed\n");
        exit(1);
    }
    return ceiling_now() - start;
}

int main(int argc, char **argv)
{
    if (argc < 2 || argc > 3) {
        fputs("usage: sendfile_pair FILE [REPEAT]\n", stderr);
        return 2;
    }
    int repeat = argc == 3 ? atoi(argv[2]) : 3;
    int file_fd = open(argv[1], O_RDONLY);
    struct stat st;
    if (file_fd < 0 || fstat(file_fd, &st) != 0) {
        fail(argv[1]);
    }
    printf("{\"bytes\": %lld, \"seconds\": [", (long long)st.st_size);
    for (int i = 0; i < repeat; i++) {
        printf("%s%.6f", i ? ", " : "", send_once(file_fd, st.st_size));
    }
    printf("]}\n");
    close(file_fd);
    return 0;
}
