/*
 * Starting and stopping the servers that integration tests talk to.
 *
 * A server is a child process (a script from tests/servers/) that binds
 * 127.0.0.1 or ::1 on a port of its own choosing and then prints one line
 * "READY <port>" on stdout.  Anything that stops that line from arriving
 * within the start timeout (a missing program, a crash, a port clash) fails
 * the test: a server that cannot run never makes a test pass or skip.
 */
#ifndef FTPC_TEST_SERVER_H
#define FTPC_TEST_SERVER_H

#include <sys/types.h>

typedef struct test_server {
    pid_t pid;
    unsigned port;
    int stdout_fd;
} test_server;

/*
 * Runs argv[0] with argv (NULL-terminated) and waits up to @p timeout_ms for
 * its READY line.  Returns 0 and fills @p srv, or -1 after writing the reason
 * to stderr (the child is killed and reaped).
 */
int test_server_start(test_server *srv, const char *const argv[], int timeout_ms);

/* Stops the server (SIGTERM, then SIGKILL after 3 s) and reaps it. */
void test_server_stop(test_server *srv);

/*
 * The value of environment variable @p name, which meson's test setup
 * provides (FTPC_TEST_PYTHON, FTPC_TEST_SERVERS, ...).  Aborts the test
 * program with a message if it is unset: running a test outside
 * `meson test` without its environment is a usage error, not a pass.
 */
const char *test_env(const char *name);

/*
 * Makes a fresh, empty directory under FTPC_TEST_TMP named after @p tag and
 * the process id, and returns its path (static storage per call site is
 * not kept: the result is written into @p out of size @p cap).
 */
void test_make_dir(const char *tag, char *out, size_t cap);

#endif
