#include "real_server.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "real_files.h"

/* The first start of vsftpd on a machine creates its test account. */
#define START_TIMEOUT_MS 30000

void real_parse_args(int argc, char **argv, real_kind *kind, const char **host)
{
    if (argc == 3 && (strcmp(argv[2], "127.0.0.1") == 0 || strcmp(argv[2], "::1") == 0)) {
        *host = argv[2];
        if (strcmp(argv[1], "pyftpdlib") == 0) {
            *kind = REAL_PYFTPDLIB;
            return;
        }
        if (strcmp(argv[1], "vsftpd") == 0) {
            *kind = REAL_VSFTPD;
            return;
        }
    }
    fprintf(stderr, "usage: %s pyftpdlib|vsftpd 127.0.0.1|::1\n", argv[0]);
    exit(2);
}

const char *real_kind_name(real_kind kind)
{
    return kind == REAL_VSFTPD ? "vsftpd" : "pyftpdlib";
}

int real_read_credentials(real_server *srv, const char *path)
{
    FILE *f = fopen(path, "r");
    if (f == NULL) {
        fprintf(stderr, "vsftpd launcher wrote no credentials to %s\n", path);
        return -1;
    }
    int ok = fgets(srv->user, sizeof srv->user, f) != NULL &&
             fgets(srv->password, sizeof srv->password, f) != NULL;
    fclose(f);
    srv->user[strcspn(srv->user, "\n")] = '\0';
    srv->password[strcspn(srv->password, "\n")] = '\0';
    if (!ok || srv->user[0] == '\0' || srv->password[0] == '\0') {
        fprintf(stderr, "bad credentials file %s\n", path);
        return -1;
    }
    return 0;
}

int real_server_start(real_server *srv, real_kind kind, const char *host, const char *tag)
{
    memset(srv, 0, sizeof *srv);
    srv->kind = kind;
    srv->host = host;
    test_make_dir(tag, srv->root, sizeof srv->root);

    /* Next to the root: the server's protocol log, kept for post-mortems,
     * and the credentials vsftpd's launcher hands back. */
    char log[1100], credentials[1100], script[1100];
    snprintf(log, sizeof log, "%s.log", srv->root);
    snprintf(credentials, sizeof credentials, "%s.credentials", srv->root);
    const char *python = test_env("FTPC_TEST_PYTHON");
    const char *servers = test_env("FTPC_TEST_SERVERS");

    int rc;
    if (kind == REAL_PYFTPDLIB) {
        real_join(script, sizeof script, servers, "pyftpdlib_server.py");
        const char *argv[] = {python, script, "--root", srv->root, "--host", host,
                              "--anonymous", "--log", log, NULL};
        rc = test_server_start(&srv->proc, argv, START_TIMEOUT_MS);
        snprintf(srv->user, sizeof srv->user, "alice");
        snprintf(srv->password, sizeof srv->password, "s3cret");
    } else {
        real_join(script, sizeof script, servers, "vsftpd_server.py");
        const char *argv[] = {python, script, "--root", srv->root, "--host", host,
                              "--credentials", credentials, "--log", log, NULL};
        rc = test_server_start(&srv->proc, argv, START_TIMEOUT_MS);
        if (rc == 0 && real_read_credentials(srv, credentials) != 0) {
            test_server_stop(&srv->proc);
            rc = -1;
        }
    }
    if (rc != 0)
        fprintf(stderr, "cannot start %s on %s (see the launcher's message above)\n",
                real_kind_name(kind), host);
    return rc;
}

void real_server_stop(real_server *srv)
{
    test_server_stop(&srv->proc);
}

void real_path(const real_server *srv, const char *name, char *out, size_t cap)
{
    real_join(out, cap, srv->root, name);
}

static void trace_to_stderr(int kind, const char *text, size_t len, void *userdata)
{
    static const char *const marks[] = {"**", "->", "<-"};
    (void)userdata;
    fprintf(stderr, "  %s %.*s\n", kind >= 0 && kind <= 2 ? marks[kind] : "??", (int)len,
            text);
}

ftp_session *real_session_new(void)
{
    ftp_session *s = ftp_session_new();
    assert_non_null(s);
    const char *trace = getenv("FTPC_TEST_TRACE");
    if (trace != NULL && *trace != '\0' && strcmp(trace, "0") != 0) {
        ftp_set_debuglevel(s, 2);
        ftp_set_trace_fn(s, trace_to_stderr, NULL, NULL);
    }
    return s;
}

ftp_session *real_connect(const real_server *srv)
{
    ftp_session *s = real_session_new();
    REAL_OK(s, ftp_connect(s, srv->host, srv->proc.port));
    return s;
}

ftp_session *real_login(const real_server *srv)
{
    ftp_session *s = real_connect(srv);
    REAL_OK(s, ftp_login(s, srv->user, srv->password, NULL));
    return s;
}

void real_assert_abort_answered(ftp_session *s)
{
    int code = ftp_last_reply_code(s);
    if (code != 225 && code != 226 && code != 200)
        fail_msg("last reply after ABOR: %s", ftp_last_reply(s));
}

void real_logout(ftp_session *s)
{
    REAL_OK(s, ftp_quit(s));
    ftp_session_free(s);
}
