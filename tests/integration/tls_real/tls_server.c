#include "tls_server.h"

#include <errno.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "real_files.h"

extern char **environ;

/* The first start of vsftpd on a machine creates its test account. */
#define START_TIMEOUT_MS 30000

/* Where every test of the run finds the certificates (make_test_pki.py
 * makes them once, under a lock, whoever asks first). */
static void pki_dir(char *out, size_t cap)
{
    real_join(out, cap, test_env("FTPC_TEST_TMP"), "pki");
}

void tls_pki_file(const char *name, char *out, size_t cap)
{
    char dir[1024];
    pki_dir(dir, sizeof dir);
    real_join(out, cap, dir, name);
}

/* Runs @p argv (NULL-terminated) and waits for it; returns its exit status
 * or -1 if it could not run or was killed. */
static int run_and_wait(const char *const argv[])
{
    pid_t pid;
    int rc = posix_spawn(&pid, argv[0], NULL, NULL, (char *const *)argv, environ);
    if (rc != 0) {
        fprintf(stderr, "cannot run %s: %s\n", argv[0], strerror(rc));
        return -1;
    }
    int status;
    while (waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR)
            return -1;
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

int tls_pki_ensure(void)
{
    char dir[1024], script[1100];
    pki_dir(dir, sizeof dir);
    real_join(script, sizeof script, test_env("FTPC_TEST_SERVERS"), "make_test_pki.py");
    const char *argv[] = {test_env("FTPC_TEST_PYTHON"), script, dir, NULL};
    int rc = run_and_wait(argv);
    if (rc != 0) {
        fprintf(stderr, "make_test_pki.py %s failed (status %d; its message is above)\n", dir,
                rc);
        return -1;
    }
    return 0;
}

void tls_server_log_path(const real_server *srv, char *out, size_t cap)
{
    if ((size_t)snprintf(out, cap, "%s.log", srv->root) >= cap) {
        fprintf(stderr, "tls_server_log_path: path too long\n");
        abort();
    }
}

/* Appends @p arg to the NULL-terminated @p argv of capacity @p cap. */
static void push_arg(const char **argv, size_t *argc, size_t cap, const char *arg)
{
    if (*argc + 1 >= cap) {
        fprintf(stderr, "tls_server_start: too many launcher arguments\n");
        abort();
    }
    argv[(*argc)++] = arg;
    argv[*argc] = NULL;
}

int tls_server_start(real_server *srv, real_kind kind, const char *host, const char *tag,
                     const tls_server_options *opt)
{
    static const tls_server_options defaults = {0, 0, 0, NULL, NULL};
    if (opt == NULL)
        opt = &defaults;
    memset(srv, 0, sizeof *srv);
    srv->kind = kind;
    srv->host = host;
    if (kind != REAL_VSFTPD && opt->implicit) {
        fprintf(stderr, "tls_server_start: only vsftpd serves implicit FTPS\n");
        return -1;
    }
    if (kind != REAL_PYFTPDLIB && (opt->min_version != NULL || opt->max_version != NULL)) {
        fprintf(stderr, "tls_server_start: only pyftpdlib's TLS versions can be limited\n");
        return -1;
    }
    if (tls_pki_ensure() != 0)
        return -1;
    test_make_dir(tag, srv->root, sizeof srv->root);

    char log[1100], credentials[1100], script[1100], cert[1100], key[1100], ca[1100];
    tls_server_log_path(srv, log, sizeof log);
    snprintf(credentials, sizeof credentials, "%s.credentials", srv->root);
    tls_pki_file("server.pem", cert, sizeof cert);
    tls_pki_file("server.key", key, sizeof key);
    tls_pki_file("ca.pem", ca, sizeof ca);
    real_join(script, sizeof script, test_env("FTPC_TEST_SERVERS"),
              kind == REAL_VSFTPD ? "vsftpd_server.py" : "pyftpdlib_server.py");

    const char *argv[24];
    size_t argc = 0;
    const size_t cap = sizeof argv / sizeof argv[0];
    push_arg(argv, &argc, cap, test_env("FTPC_TEST_PYTHON"));
    push_arg(argv, &argc, cap, script);
    push_arg(argv, &argc, cap, "--root");
    push_arg(argv, &argc, cap, srv->root);
    push_arg(argv, &argc, cap, "--host");
    push_arg(argv, &argc, cap, host);
    push_arg(argv, &argc, cap, "--log");
    push_arg(argv, &argc, cap, log);
    push_arg(argv, &argc, cap, "--tls-cert");
    push_arg(argv, &argc, cap, cert);
    push_arg(argv, &argc, cap, "--tls-key");
    push_arg(argv, &argc, cap, key);
    if (opt->implicit)
        push_arg(argv, &argc, cap, "--implicit");
    if (opt->data_optional)
        push_arg(argv, &argc, cap, "--tls-data-optional");
    if (opt->client_ca) {
        push_arg(argv, &argc, cap, "--tls-client-ca");
        push_arg(argv, &argc, cap, ca);
    }
    if (opt->min_version != NULL) {
        push_arg(argv, &argc, cap, "--tls-min");
        push_arg(argv, &argc, cap, opt->min_version);
    }
    if (opt->max_version != NULL) {
        push_arg(argv, &argc, cap, "--tls-max");
        push_arg(argv, &argc, cap, opt->max_version);
    }
    if (kind == REAL_VSFTPD) {
        push_arg(argv, &argc, cap, "--credentials");
        push_arg(argv, &argc, cap, credentials);
    }

    int rc = test_server_start(&srv->proc, argv, START_TIMEOUT_MS);
    if (rc == 0 && kind == REAL_VSFTPD && real_read_credentials(srv, credentials) != 0) {
        test_server_stop(&srv->proc);
        rc = -1;
    }
    if (rc == 0 && kind == REAL_PYFTPDLIB) {
        snprintf(srv->user, sizeof srv->user, "alice");
        snprintf(srv->password, sizeof srv->password, "s3cret");
    }
    if (rc != 0)
        fprintf(stderr, "cannot start FTPS %s on %s (see the launcher's message above)\n",
                real_kind_name(kind), host);
    return rc;
}
