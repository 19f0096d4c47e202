/*
 * Assertions shared by the public-API tests.
 *
 * cmocka's assert_int_equal() prints negative status codes as huge unsigned
 * numbers; assert_status() prints their names instead, which is what a
 * reader of a failed run needs.  Everything here uses only <ftpc/ftpc.h>.
 */
#ifndef FTPC_API_ASSERT_H
#define FTPC_API_ASSERT_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <ftpc/ftpc.h>

/* Fails the running test unless @p got equals @p want, naming both codes. */
static inline void assert_status_at(int got, int want, const char *call, const char *file,
                                    int line)
{
    if (got != want) {
        print_error("%s returned %s (%d), expected %s (%d)\n", call, ftp_error_name(got), got,
                    ftp_error_name(want), want);
        _fail(file, line);
    }
}

#define assert_status(call, want) assert_status_at((call), (want), #call, __FILE__, __LINE__)

/*
 * A value that no successful call would store in an out-parameter: tests
 * preset out-parameters with it and check that a failing call left them alone.
 */
static const char sentinel_text[] = "sentinel: untouched";
#define SENTINEL_STRING (sentinel_text)
#define SENTINEL_U64 UINT64_C(0x5e5e5e5e5e5e5e5e)

/* A non-NULL ftp_data pointer that no call returns; never dereferenced. */
static inline ftp_data *sentinel_data(void)
{
    static char byte;
    return (ftp_data *)(void *)&byte;
}

#endif
