#include "round_trip.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "real_callbacks.h"
#include "real_files.h"

void round_trip_fail(round_trip_result *r, const char *fmt, ...)
{
    if (r->failure[0] != '\0')
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->failure, sizeof r->failure, fmt, ap);
    va_end(ap);
}

int round_trip_expect(round_trip_result *r, ftp_session *s, const char *step, int rc,
                      int expected)
{
    if (rc == expected)
        return 1;
    const char *detail = ftp_last_error(s);
    round_trip_fail(r, "%s -> %s, expected %s: %s", step, ftp_error_name(rc),
                    ftp_error_name(expected), detail != NULL ? detail : "(no message)");
    return 0;
}

/* The first offset where @p got differs from @p want, or @p len. */
static size_t first_difference(const unsigned char *got, const unsigned char *want, size_t len)
{
    size_t i = 0;
    while (i < len && got[i] == want[i])
        i++;
    return i;
}

static int upload(ftp_session *s, const round_trip_plan *plan, round_trip_result *r)
{
    char cmd[96];
    snprintf(cmd, sizeof cmd, "STOR %s", plan->name);
    pattern_source source = {plan->seed, 0, plan->size, 0};
    if (!round_trip_expect(r, s, cmd,
                           ftp_storbinary(s, cmd, plan->blocksize, 0, pattern_source_fn, &source),
                           FTP_OK))
        return 0;
    if (ftp_last_transfer_bytes(s) != plan->size) {
        round_trip_fail(r, "%s reported %llu bytes moved, expected %zu", cmd,
                        (unsigned long long)ftp_last_transfer_bytes(s), plan->size);
        return 0;
    }
    uint64_t size = 0;
    if (!round_trip_expect(r, s, "SIZE", ftp_size(s, plan->name, &size), FTP_OK))
        return 0;
    if (size != plan->size) {
        round_trip_fail(r, "SIZE %s is %llu, expected %zu", plan->name,
                        (unsigned long long)size, plan->size);
        return 0;
    }
    return 1;
}

static int download_and_compare(ftp_session *s, const round_trip_plan *plan,
                                round_trip_result *r)
{
    char cmd[96];
    snprintf(cmd, sizeof cmd, "RETR %s", plan->name);
    byte_sink got = {0};
    int ok = round_trip_expect(r, s, cmd,
                               ftp_retrbinary(s, cmd, plan->blocksize, 0, byte_sink_fn, &got),
                               FTP_OK);
    if (ok && got.len != plan->size) {
        round_trip_fail(r, "%s delivered %zu bytes, expected %zu", cmd, got.len, plan->size);
        ok = 0;
    }
    if (ok) {
        unsigned char *want = real_pattern(plan->seed, plan->size);
        size_t at = first_difference(got.data, want, plan->size);
        if (at != plan->size) {
            round_trip_fail(r, "%s differs from what was sent from byte %zu on", cmd, at);
            ok = 0;
        }
        free(want);
    }
    byte_sink_free(&got);
    return ok;
}

int round_trip_transfer(ftp_session *s, const round_trip_plan *plan, round_trip_result *r)
{
    return upload(s, plan, r) && download_and_compare(s, plan, r);
}

void round_trip_session(const round_trip_plan *plan, round_trip_result *r)
{
    ftp_session *s = ftp_session_new();
    if (s == NULL) {
        round_trip_fail(r, "ftp_session_new returned NULL");
        return;
    }
    int ok = round_trip_expect(r, s, "set data mode", ftp_set_data_mode(s, plan->data_mode),
                               FTP_OK) &&
             round_trip_expect(r, s, "connect", ftp_connect(s, plan->host, plan->port),
                               FTP_OK) &&
             round_trip_expect(r, s, "login",
                               ftp_login(s, plan->user, plan->password, NULL), FTP_OK) &&
             round_trip_transfer(s, plan, r);
    if (ok)
        round_trip_expect(r, s, "QUIT", ftp_quit(s), FTP_OK);
    ftp_session_free(s);
}
