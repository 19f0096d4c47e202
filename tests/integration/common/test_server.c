#include "test_server.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

static long long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void reap(pid_t pid)
{
    for (int i = 0; i < 300; i++) {
        if (waitpid(pid, NULL, WNOHANG) == pid)
            return;
        if (i == 0)
            kill(pid, SIGTERM);
        usleep(10000);
    }
    kill(pid, SIGKILL);
    waitpid(pid, NULL, 0);
}

int test_server_start(test_server *srv, const char *const argv[], int timeout_ms)
{
    int pipefd[2];
    memset(srv, 0, sizeof *srv);
    srv->stdout_fd = -1;
    if (pipe2(pipefd, O_CLOEXEC) != 0) {
        fprintf(stderr, "test_server_start: pipe: %s\n", strerror(errno));
        return -1;
    }
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, pipefd[1], 1);
    pid_t pid;
    int rc = posix_spawn(&pid, argv[0], &fa, NULL, (char *const *)argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    close(pipefd[1]);
    if (rc != 0) {
        fprintf(stderr, "test_server_start: cannot run %s: %s\n", argv[0], strerror(rc));
        close(pipefd[0]);
        return -1;
    }

    char line[256];
    size_t used = 0;
    long long deadline = now_ms() + timeout_ms;
    for (;;) {
        long long left = deadline - now_ms();
        if (left <= 0) {
            fprintf(stderr, "test_server_start: %s printed no READY line in %d ms\n", argv[0],
                    timeout_ms);
            break;
        }
        struct pollfd p = {pipefd[0], POLLIN, 0};
        if (poll(&p, 1, (int)left) <= 0)
            continue;
        ssize_t n = read(pipefd[0], line + used, sizeof line - 1 - used);
        if (n <= 0) {
            fprintf(stderr, "test_server_start: %s exited before it was ready\n", argv[0]);
            break;
        }
        used += (size_t)n;
        line[used] = '\0';
        char *nl = strchr(line, '\n');
        if (nl != NULL) {
            unsigned port = 0;
            if (sscanf(line, "READY %u", &port) == 1 && port > 0 && port < 65536) {
                srv->pid = pid;
                srv->port = port;
                srv->stdout_fd = pipefd[0];
                return 0;
            }
            fprintf(stderr, "test_server_start: %s said \"%.*s\" instead of READY <port>\n",
                    argv[0], (int)(nl - line), line);
            break;
        }
        if (used == sizeof line - 1) {
            fprintf(stderr, "test_server_start: %s printed an overlong first line\n", argv[0]);
            break;
        }
    }
    close(pipefd[0]);
    reap(pid);
    return -1;
}

void test_server_stop(test_server *srv)
{
    if (srv->pid > 0)
        reap(srv->pid);
    if (srv->stdout_fd >= 0)
        close(srv->stdout_fd);
    srv->pid = 0;
    srv->stdout_fd = -1;
}

const char *test_env(const char *name)
{
    const char *v = getenv(name);
    if (v == NULL || *v == '\0') {
        fprintf(stderr, "%s is not set: run this test through `meson test`\n", name);
        exit(2);
    }
    return v;
}

void test_make_dir(const char *tag, char *out, size_t cap)
{
    static unsigned counter;
    const char *base = test_env("FTPC_TEST_TMP");
    mkdir(base, 0700);
    snprintf(out, cap, "%s/%s-%ld-%u", base, tag, (long)getpid(), counter++);
    char cmd[4200];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", out);
    if (system(cmd) != 0 || mkdir(out, 0700) != 0) {
        fprintf(stderr, "test_make_dir: cannot create %s\n", out);
        exit(2);
    }
}
