/*
 * Compiled as C99 and as C11 with -Wall -Wextra -pedantic -Werror: proves
 * that <ftpc/ftpc.h> alone is a complete, warning-free C header, and (run as
 * a test) that the shared library links and agrees with the header's version.
 * The same program exists as header_use.cc for C++.
 */
#include <ftpc/ftpc.h>

#include <stdio.h>
#include <string.h>

/* One function of each callback type, so every typedef is used. */
static int sink(const void *data, size_t len, void *userdata)
{
    (void)data;
    (void)len;
    (void)userdata;
    return 0;
}

static int source(void *buf, size_t cap, size_t *out_len, void *userdata)
{
    (void)buf;
    (void)cap;
    (void)userdata;
    *out_len = 0;
    return 0;
}

static int line(const char *text, size_t len, void *userdata)
{
    (void)text;
    (void)len;
    (void)userdata;
    return 0;
}

static int entry(const char *name, size_t nfacts, const char *const *keys,
                 const char *const *values, void *userdata)
{
    (void)name;
    (void)nfacts;
    (void)keys;
    (void)values;
    (void)userdata;
    return 0;
}

static void trace(int kind, const char *text, size_t len, void *userdata)
{
    (void)kind;
    (void)text;
    (void)len;
    (void)userdata;
}

static void destroy(void *userdata)
{
    (void)userdata;
}

int main(void)
{
    ftp_sink_fn sink_fn = sink;
    ftp_source_fn source_fn = source;
    ftp_line_fn line_fn = line;
    ftp_mlsd_fn mlsd_fn = entry;
    ftp_trace_fn trace_fn = trace;
    ftp_destroy_fn destroy_fn = destroy;
    enum ftp_status_code status = FTP_E_STATE;
    enum ftp_timeout_phase phase = FTP_TIMEOUT_REPLY;
    enum ftp_limit limit = FTP_LIMIT_LINE;
    enum ftp_data_mode mode = FTP_DATA_AUTO;
    enum ftp_trace_kind kind = FTP_TRACE_CMD;
    uint64_t unknown_size = FTP_SIZE_UNKNOWN;
    ftp_data *data = NULL;
    ftp_session *s;
    int failures = 0;

    (void)sink_fn;
    (void)source_fn;
    (void)line_fn;
    (void)mlsd_fn;
    (void)kind;
    (void)data;
    (void)unknown_size;

    if (ftp_version() != FTP_VERSION_NUMBER ||
        strcmp(ftp_version_string(), FTP_VERSION_STRING) != 0) {
        fprintf(stderr, "library %s does not match header %s\n", ftp_version_string(),
                FTP_VERSION_STRING);
        failures++;
    }
    s = ftp_session_new();
    if (s == NULL)
        return 1;
    if (ftp_set_trace_fn(s, trace_fn, NULL, destroy_fn) != FTP_OK ||
        ftp_set_phase_timeout_ms(s, phase, 1000) != FTP_OK ||
        ftp_set_limit(s, limit, 4096) != FTP_OK || ftp_set_data_mode(s, mode) != FTP_OK ||
        ftp_voidcmd(s, "NOOP") != (int)status) {
        fprintf(stderr, "calls through the header failed: %s\n", ftp_last_error(s));
        failures++;
    }
    ftp_session_free(s);
    return failures == 0 ? 0 : 1;
}
