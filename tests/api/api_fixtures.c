#include "api_fixtures.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdint.h>
#include <cmocka.h>

int session_setup(void **state)
{
    ftp_session *s = ftp_session_new();
    if (s == NULL)
        return -1;
    if (ftp_set_timeout_ms(s, HANG_GUARD_MS) != FTP_OK) {
        ftp_session_free(s);
        return -1;
    }
    *state = s;
    return 0;
}

int session_teardown(void **state)
{
    ftp_session_free(*state);
    return 0;
}

int sink_never_called(const void *data, size_t len, void *userdata)
{
    (void)data;
    (void)len;
    (void)userdata;
    fail_msg("a sink ran in a call that should have been refused");
    return 1;
}

int source_never_called(void *buf, size_t cap, size_t *out_len, void *userdata)
{
    (void)buf;
    (void)cap;
    (void)out_len;
    (void)userdata;
    fail_msg("a source ran in a call that should have been refused");
    return 1;
}

int line_never_called(const char *line, size_t len, void *userdata)
{
    (void)line;
    (void)len;
    (void)userdata;
    fail_msg("a line callback ran in a call that should have been refused");
    return 1;
}

int entry_never_called(const char *name, size_t nfacts, const char *const *keys,
                       const char *const *values, void *userdata)
{
    (void)name;
    (void)nfacts;
    (void)keys;
    (void)values;
    (void)userdata;
    fail_msg("an MLSD callback ran in a call that should have been refused");
    return 1;
}

void trace_never_called(int kind, const char *text, size_t len, void *userdata)
{
    (void)kind;
    (void)text;
    (void)len;
    (void)userdata;
    fail_msg("a trace callback ran where none may");
}
