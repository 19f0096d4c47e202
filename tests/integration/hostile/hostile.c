/*
 * Shared helper for the hostile-server scenarios: see hostile.h.
 */
#include "hostile.h"

#include <errno.h>
#include <poll.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

/* How long the server may take to start, and to finish with the last
 * connection after the session is freed (it may be in a scripted delay or
 * waiting for a data connection that will never come). */
enum { START_TIMEOUT_MS = 10000, DRAIN_TIMEOUT_MS = 10000 };

/* The session's timeout for every phase: long enough for a loaded machine,
 * short enough that a scenario that waits in vain ends quickly. */
enum { SESSION_TIMEOUT_MS = 2000 };

static long long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int hostile_setup(void **state)
{
    hostile *h = calloc(1, sizeof *h);
    if (h == NULL)
        return -1;
    *state = h;
    return 0;
}

int hostile_teardown(void **state)
{
    hostile *h = *state;
    if (h != NULL) {
        ftp_session_free(h->s);
        if (h->server_running)
            test_server_stop(&h->server);
        free(h);
    }
    *state = NULL;
    return 0;
}

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    if (f == NULL)
        fail_msg("cannot write %s: %s", path, strerror(errno));
    if (fputs(text, f) == EOF || fclose(f) != 0)
        fail_msg("cannot write %s", path);
}

/* Starts the server; @p pki_dir (or NULL) becomes its --pki argument. */
static void start_server(hostile *h, const char *script, int family, const char *pki_dir)
{
    char server_path[1024];
    const char *python = test_env("FTPC_TEST_PYTHON");
    snprintf(server_path, sizeof server_path, "%s/hostile_server.py",
             test_env("FTPC_TEST_SERVERS"));
    test_make_dir("hostile", h->dir, sizeof h->dir);
    snprintf(h->script_path, sizeof h->script_path, "%s/script.txt", h->dir);
    snprintf(h->transcript_path, sizeof h->transcript_path, "%s/transcript.txt", h->dir);
    write_file(h->script_path, script);
    write_file(h->transcript_path, "");

    const char *argv[] = {python,
                          server_path,
                          "--script",
                          h->script_path,
                          "--transcript",
                          h->transcript_path,
                          "--family",
                          family == 6 ? "6" : "4",
                          /* without a PKI, the list ends here */
                          pki_dir != NULL ? "--pki" : NULL,
                          pki_dir,
                          NULL};
    if (test_server_start(&h->server, argv, START_TIMEOUT_MS) != 0)
        fail_msg("the hostile server did not start (script %s)", h->script_path);
    h->server_running = 1;

    h->s = ftp_session_new();
    assert_non_null(h->s);
    assert_int_equal(ftp_set_timeout_ms(h->s, SESSION_TIMEOUT_MS), FTP_OK);
}

void hostile_start_family(hostile *h, const char *script, int family)
{
    start_server(h, script, family, NULL);
}

void hostile_start(hostile *h, const char *script)
{
    hostile_start_family(h, script, 4);
}

int hostile_connect(hostile *h)
{
    return ftp_connect(h->s, "127.0.0.1", h->server.port);
}

void hostile_connect_login(hostile *h)
{
    assert_int_equal(hostile_connect(h), FTP_OK);
    assert_int_equal(ftp_login(h->s, "user", "secret", NULL), FTP_OK);
}

/* Reads the server's stdout for OPEN/CLOSED lines until it has closed every
 * connection it opened, or the deadline passes.  The server prints OPEN
 * before it sends a banner, so once the lines already in the pipe are read,
 * every connection the session made is counted; only then does
 * "opened == closed" mean idle (the server may still be noting what the
 * client did last, e.g. that it closed in the middle of a TLS handshake). */
static int wait_until_server_idle(hostile *h)
{
    long long deadline = now_ms() + DRAIN_TIMEOUT_MS;
    for (;;) {
        char *nl;
        while ((nl = memchr(h->status_buf, '\n', h->status_used)) != NULL) {
            size_t n = (size_t)(nl - h->status_buf) + 1;
            if (strncmp(h->status_buf, "OPEN\n", n) == 0)
                h->opened++;
            else if (strncmp(h->status_buf, "CLOSED\n", n) == 0)
                h->closed++;
            memmove(h->status_buf, h->status_buf + n, h->status_used - n);
            h->status_used -= n;
        }
        int idle = h->opened == h->closed;
        long long left = deadline - now_ms();
        if (!idle && left <= 0)
            return -1;
        struct pollfd p = {h->server.stdout_fd, POLLIN, 0};
        if (poll(&p, 1, idle ? 0 : (int)left) <= 0) {
            if (idle)
                return 0; /* nothing more in the pipe */
            continue;
        }
        ssize_t got = read(h->server.stdout_fd, h->status_buf + h->status_used,
                           sizeof h->status_buf - 1 - h->status_used);
        if (got <= 0)
            return idle ? 0 : -1; /* the server died: its transcript is what it is */
        h->status_used += (size_t)got;
        if (h->status_used == sizeof h->status_buf - 1)
            h->status_used = 0; /* not a status line; never happens */
    }
}

static char *read_transcript(const char *path)
{
    FILE *f = fopen(path, "r");
    if (f == NULL)
        fail_msg("cannot read %s: %s", path, strerror(errno));
    size_t cap = 4096, len = 0;
    char *text = malloc(cap);
    assert_non_null(text);
    size_t got;
    while ((got = fread(text + len, 1, cap - len - 1, f)) > 0) {
        len += got;
        if (cap - len - 1 == 0) {
            cap *= 2;
            text = realloc(text, cap);
            assert_non_null(text);
        }
    }
    fclose(f);
    text[len] = '\0';
    return text;
}

/* Does one expected line (up to its '\n' or NUL) match one actual line?
 * "{n}" in the expected line stands for one or more digits. */
static int line_matches(const char *exp, const char *act)
{
    for (;;) {
        int exp_end = *exp == '\n' || *exp == '\0';
        int act_end = *act == '\n' || *act == '\0';
        if (exp_end || act_end)
            return exp_end && act_end;
        if (strncmp(exp, "{n}", 3) == 0) {
            if (*act < '0' || *act > '9')
                return 0;
            while (*act >= '0' && *act <= '9')
                act++;
            exp += 3;
            continue;
        }
        if (*exp != *act)
            return 0;
        exp++;
        act++;
    }
}

static int transcripts_match(const char *exp, const char *act)
{
    while (*exp != '\0' && *act != '\0') {
        if (!line_matches(exp, act))
            return 0;
        exp = strchr(exp, '\n');
        act = strchr(act, '\n');
        if (exp == NULL || act == NULL)
            return exp == act;
        exp++;
        act++;
    }
    return *exp == '\0' && *act == '\0';
}

void hostile_finish(hostile *h, const char *expected)
{
    ftp_session_free(h->s);
    h->s = NULL;
    if (wait_until_server_idle(h) != 0)
        fprintf(stderr, "hostile_finish: the server did not finish its connections in %d ms\n",
                DRAIN_TIMEOUT_MS);
    char *actual = read_transcript(h->transcript_path);
    int ok = transcripts_match(expected, actual);
    if (!ok)
        fprintf(stderr,
                "---- expected transcript ----\n%s"
                "---- actual transcript (%s) ----\n%s"
                "----\n",
                expected, h->transcript_path, actual);
    free(actual);
    test_server_stop(&h->server);
    h->server_running = 0;
    if (!ok)
        fail_msg("the server's transcript differs from the expected one");
    /* Keep the files of a failing scenario for a look; drop the others. */
    unlink(h->script_path);
    unlink(h->transcript_path);
    rmdir(h->dir);
}

/* ---- FTPS ---------------------------------------------------------------- */

/* Shared by every test program of the run (and by the real-server TLS tests,
 * which use the same place): make_test_pki.py works under a lock and does
 * nothing once the set is complete. */
static void pki_dir_path(char *out, size_t cap)
{
    if ((size_t)snprintf(out, cap, "%s/pki", test_env("FTPC_TEST_TMP")) >= cap)
        fail_msg("the certificate directory's path is too long");
}

void hostile_pki_file(const char *name, char *out, size_t cap)
{
    char dir[1024];
    pki_dir_path(dir, sizeof dir);
    if ((size_t)snprintf(out, cap, "%s/%s", dir, name) >= cap)
        fail_msg("the path of %s is too long", name);
}

/* Runs make_test_pki.py once per test program; fails the test if it fails. */
static void ensure_pki(const char *dir)
{
    static int made;
    if (made)
        return;
    char script[1024];
    snprintf(script, sizeof script, "%s/make_test_pki.py", test_env("FTPC_TEST_SERVERS"));
    const char *argv[] = {test_env("FTPC_TEST_PYTHON"), script, dir, NULL};
    pid_t pid;
    int rc = posix_spawn(&pid, argv[0], NULL, NULL, (char *const *)argv, environ);
    if (rc != 0)
        fail_msg("cannot run %s: %s", argv[0], strerror(rc));
    int status = 0;
    while (waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR)
            fail_msg("waitpid for make_test_pki.py: %s", strerror(errno));
    }
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        fail_msg("make_test_pki.py %s failed (its message is above)", dir);
    made = 1;
}

void hostile_start_tls(hostile *h, const char *script, int mode)
{
    char dir[1024], ca[1100];
    pki_dir_path(dir, sizeof dir);
    ensure_pki(dir);
    start_server(h, script, 4, dir);
    hostile_pki_file("ca.pem", ca, sizeof ca);
    assert_int_equal(ftp_set_tls_mode(h->s, mode), FTP_OK);
    assert_int_equal(ftp_set_ca_file(h->s, ca), FTP_OK);
}

/* ---- callbacks ----------------------------------------------------------- */

int hostile_sink_fn(const void *data, size_t len, void *userdata)
{
    hostile_sink *sink = userdata;
    size_t room = sizeof sink->data - 1 - sink->len;
    size_t keep = len < room ? len : room;
    memcpy(sink->data + sink->len, data, keep);
    sink->len += keep;
    sink->data[sink->len] = '\0';
    sink->total += len;
    sink->calls++;
    return sink->stop_after != 0 && sink->total >= sink->stop_after;
}

int hostile_line_fn(const char *line, size_t len, void *userdata)
{
    hostile_lines *lines = userdata;
    if (lines->len + len + 2 <= sizeof lines->text) {
        memcpy(lines->text + lines->len, line, len);
        lines->len += len;
        lines->text[lines->len++] = '\n';
        lines->text[lines->len] = '\0';
    }
    lines->count++;
    return lines->stop_after != 0 && lines->count >= lines->stop_after;
}

int hostile_source_fn(void *buf, size_t cap, size_t *out_len, void *userdata)
{
    hostile_source *src = userdata;
    uint64_t total = src->text != NULL ? strlen(src->text) : src->total;
    uint64_t left = total - src->given;
    size_t n = left < cap ? (size_t)left : cap;
    if (src->text != NULL)
        memcpy(buf, src->text + src->given, n);
    else
        memset(buf, 'x', n);
    src->given += n;
    *out_len = n;
    return 0;
}

ftp_data *hostile_open_and_read_some(hostile *h)
{
    assert_int_equal(ftp_voidcmd(h->s, "TYPE I"), FTP_OK);
    ftp_data *d = NULL;
    assert_int_equal(ftp_transfercmd(h->s, "RETR f", 0, &d, NULL), FTP_OK);
    char buf[1024];
    size_t n = 0;
    assert_int_equal(ftp_data_read(d, buf, sizeof buf, &n), FTP_OK);
    assert_true(n > 0);
    return d;
}
