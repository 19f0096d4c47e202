/* What the ceiling programs share: a clock and a loopback listener. */
#ifndef BENCH_CEILING_H
#define BENCH_CEILING_H

#include <netinet/in.h>

/* Seconds on the monotonic clock. */
double ceiling_now(void);

/* A listening TCP socket on 127.0.0.1 at a port the kernel picks, which
 * @p addr receives; -1 (errno set) on failure. */
int ceiling_listen_loopback(struct sockaddr_in *addr, int backlog);

#endif
