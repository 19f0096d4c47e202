/* Ceiling for many small files: what one passive-mode download of a 4 KiB
 * file costs on loopback with the FTP protocol stripped to its bones.
 *
 *   small_exchanges [COUNT] [BYTES]
 *
 * Per exchange, as an FTP RETR in passive mode: the client sends a line on
 * the control connection and reads the one-line answer (EPSV's round trip),
 * opens a NEW TCP connection to the server's data listener, sends a second
 * line (RETR); the server accepts, answers "150", writes BYTES bytes
 * (default 4096) on the data connection, closes it and answers "226"; the
 * client reads the data to EOF and both replies.  Two round trips, one
 * connection set-up and tear-down, BYTES bytes; no parsing, no files, no
 * TLS.  The server is a separate process, like an FTP server.
 *
 * Prints one JSON line: {"exchanges": COUNT, "bytes": BYTES, "seconds": S}.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "ceiling.h"

static void fail(const char *what)
{
    fprintf(stderr, "small_exchanges: %s: %s\n", what, strerror(errno));
    exit(1);
}

static int listen_loopback(struct sockaddr_in *addr)
{
    int fd = ceiling_listen_loopback(addr, 16);
    if (fd < 0) {
        fail("listen on 127.0.0.1");
    }
    return fd;
}

static void no_delay(int fd)
{
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

static void write_all(int fd, const void *data, size_t size)
{
    const char *p = data;
    while (size > 0) {
        ssize_t n = write(fd, p, size);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            fail("write");
        }
        p += n;
        size -= (size_t)n;
    }
}

/* Reads one line ending in '\n' byte by byte (the lines are tiny and this
 * keeps both ends in step without buffering); 0 at EOF before any byte. */
static int read_line(int fd)
{
    char c;
    int got = 0;
    for (;;) {
        ssize_t n = read(fd, &c, 1);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n < 0) {
            fail("read line");
        }
        if (n == 0) {
            return got;
        }
        got = 1;
        if (c == '\n') {
            return 1;
        }
    }
}

static void serve(int control_listener, int data_listener, size_t bytes)
{
    char *payload = calloc(1, bytes > 0 ? bytes : 1);
    int control = accept(control_listener, NULL, NULL);
    if (payload == NULL || control < 0) {
        fail("server setup");
    }
    no_delay(control);
    while (read_line(control)) {           /* "EPSV" */
        write_all(control, "229 ok\r\n", 8);
        if (!read_line(control)) {         /* "RETR" */
            break;
        }
        int data = accept(data_listener, NULL, NULL);
        if (data < 0) {
            fail("accept data");
        }
        write_all(control, "150 ok\r\n", 8);
        write_all(data, payload, bytes);
        close(data);
        write_all(control, "226 ok\r\n", 8);
    }
    free(payload);
    _exit(0);
}

int main(int argc, char **argv)
{
    long count = argc > 1 ? atol(argv[1]) : 1000;
    size_t bytes = argc > 2 ? strtoul(argv[2], NULL, 10) : 4096;
    if (count <= 0) {
        fputs("usage: small_exchanges [COUNT] [BYTES]\n", stderr);
        return 2;
    }
    struct sockaddr_in control_addr, data_addr;
    int control_listener = listen_loopback(&control_addr);
    int data_listener = listen_loopback(&data_addr);
    fflush(stdout);
    pid_t server = fork();
    if (server < 0) {
        fail("fork");
    }
    if (server == 0) {
        serve(control_listener, data_listener, bytes);
    }
    close(control_listener);
    close(data_listener);

    char buffer[65536];
    double start = ceiling_now();
    int control = socket(AF_INET, SOCK_STREAM, 0);
    if (control < 0 || connect(control, (struct sockaddr *)&control_addr, sizeof control_addr)) {
        fail("connect control");
    }
    no_delay(control);
    for (long i = 0; i < count; i++) {
        write_all(control, "EPSV\r\n", 6);
        if (!read_line(control)) {
            fail("229");
        }
        int data = socket(AF_INET, SOCK_STREAM, 0);
        if (data < 0 || connect(data, (struct sockaddr *)&data_addr, sizeof data_addr) != 0) {
            fail("connect data");
        }
        write_all(control, "RETR\r\n", 6);
        size_t received = 0;
        for (;;) {
            ssize_t n = read(data, buffer, sizeof buffer);
            if (n < 0 && errno == EINTR) {
                continue;
            }
            if (n < 0) {
                fail("read data");
            }
            if (n == 0) {
                break;
            }
            received += (size_t)n;
        }
        close(data);
        if (received != bytes || !read_line(control) || !read_line(control)) {
            fail("short exchange");
        }
    }
    close(control);
    double seconds = ceiling_now() - start;
    int status;
    if (waitpid(server, &status, 0) != server || !WIFEXITED(status) ||
        WEXITSTATUS(status) != 0) {
        fputs("small_exchanges: the server failed\n", stderr);
        return 1;
    }
    printf("{\"exchanges\": %ld, \"bytes\": %zu, \"seconds\": %.6f}\n", count, bytes, seconds);
    return 0;
}
