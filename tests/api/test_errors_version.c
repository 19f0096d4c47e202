/*
 * Status names and descriptions (ftp_error_name, ftp_strerror), the error
 * accessors on a NULL session, and the version functions and macros.
 */
#include "api_assert.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>

struct named_status {
    int code;
    const char *name;
};

/* Every enum ftp_status_code value with the name the header gives it. */
static const struct named_status all_statuses[] = {
    {FTP_OK, "FTP_OK"},
    {FTP_E_REPLY, "FTP_E_REPLY"},
    {FTP_E_TEMP, "FTP_E_TEMP"},
    {FTP_E_PERM, "FTP_E_PERM"},
    {FTP_E_PROTO, "FTP_E_PROTO"},
    {FTP_E_RESOLVE, "FTP_E_RESOLVE"},
    {FTP_E_CONNECT, "FTP_E_CONNECT"},
    {FTP_E_IO, "FTP_E_IO"},
    {FTP_E_TIMEOUT, "FTP_E_TIMEOUT"},
    {FTP_E_CLOSED, "FTP_E_CLOSED"},
    {FTP_E_TLS, "FTP_E_TLS"},
    {FTP_E_INVALID, "FTP_E_INVALID"},
    {FTP_E_NOMEM, "FTP_E_NOMEM"},
    {FTP_E_ABORTED, "FTP_E_ABORTED"},
    {FTP_E_CANCELLED, "FTP_E_CANCELLED"},
    {FTP_E_STATE, "FTP_E_STATE"},
    {FTP_E_BUSY, "FTP_E_BUSY"},
    {FTP_E_UNSUPPORTED, "FTP_E_UNSUPPORTED"},
    {FTP_E_INTERNAL, "FTP_E_INTERNAL"},
    {FTP_E_FILE, "FTP_E_FILE"},
};
#define STATUS_COUNT (sizeof all_statuses / sizeof all_statuses[0])

/* Values inside the bands and around them that name no status. */
static const int unknown_codes[] = {1, 2, 100, -5, -19, -25, -39, -41, -59, -69, -1000,
                                    INT_MAX, INT_MIN};
#define UNKNOWN_COUNT (sizeof unknown_codes / sizeof unknown_codes[0])

static const char unknown_name[] = "FTP_E_UNKNOWN";
static const char unknown_description[] = "no such status";

/* The values are part of the ABI: "fixed forever and never reused". */
static void status_values_are_the_documented_numbers(void **state)
{
    (void)state;
    assert_int_equal(FTP_OK, 0);
    assert_int_equal(FTP_E_REPLY, -1);
    assert_int_equal(FTP_E_TEMP, -2);
    assert_int_equal(FTP_E_PERM, -3);
    assert_int_equal(FTP_E_PROTO, -4);
    assert_int_equal(FTP_E_RESOLVE, -20);
    assert_int_equal(FTP_E_CONNECT, -21);
    assert_int_equal(FTP_E_IO, -22);
    assert_int_equal(FTP_E_TIMEOUT, -23);
    assert_int_equal(FTP_E_CLOSED, -24);
    assert_int_equal(FTP_E_TLS, -40);
    assert_int_equal(FTP_E_INVALID, -60);
    assert_int_equal(FTP_E_NOMEM, -61);
    assert_int_equal(FTP_E_ABORTED, -62);
    assert_int_equal(FTP_E_CANCELLED, -63);
    assert_int_equal(FTP_E_STATE, -64);
    assert_int_equal(FTP_E_BUSY, -65);
    assert_int_equal(FTP_E_UNSUPPORTED, -66);
    assert_int_equal(FTP_E_INTERNAL, -67);
    assert_int_equal(FTP_E_FILE, -68);
}

static void error_name_is_the_enumerator_name(void **state)
{
    size_t i;
    (void)state;

    for (i = 0; i < STATUS_COUNT; i++) {
        const char *name = ftp_error_name(all_statuses[i].code);
        assert_non_null(name);
        assert_string_equal(name, all_statuses[i].name);
    }
}

static void error_name_of_unknown_values_is_ftp_e_unknown(void **state)
{
    size_t i;
    (void)state;

    for (i = 0; i < UNKNOWN_COUNT; i++) {
        const char *name = ftp_error_name(unknown_codes[i]);
        assert_non_null(name);
        assert_string_equal(name, unknown_name);
    }
}

static void strerror_describes_every_status(void **state)
{
    size_t i;
    (void)state;

    for (i = 0; i < STATUS_COUNT; i++) {
        const char *text = ftp_strerror(all_statuses[i].code);
        assert_non_null(text);
        assert_true(text[0] != '\0');
        assert_string_not_equal(text, unknown_description);
        /* Same code, same static text. */
        assert_ptr_equal(text, ftp_strerror(all_statuses[i].code));
    }
}

static void strerror_of_unknown_values_says_no_such_status(void **state)
{
    size_t i;
    (void)state;

    for (i = 0; i < UNKNOWN_COUNT; i++) {
        const char *text = ftp_strerror(unknown_codes[i]);
        assert_non_null(text);
        assert_string_equal(text, unknown_description);
    }
}

static void accessors_on_null_session_never_return_null(void **state)
{
    (void)state;
    assert_non_null(ftp_last_error(NULL));
    assert_non_null(ftp_last_reply(NULL));
    assert_string_equal(ftp_last_reply(NULL), "");
    assert_int_equal(ftp_last_reply_code(NULL), 0);
    assert_status(ftp_last_error_code(NULL), FTP_E_INVALID);
}

/* ---- version ------------------------------------------------------------- */

static void runtime_version_matches_headers(void **state)
{
    (void)state;
    assert_true(ftp_version() == FTP_VERSION_NUMBER);
    assert_non_null(ftp_version_string());
    assert_string_equal(ftp_version_string(), FTP_VERSION_STRING);
    /* Static: the same pointer every time. */
    assert_ptr_equal(ftp_version_string(), ftp_version_string());
}

static void version_number_encodes_major_minor_micro(void **state)
{
    char expected[64];
    (void)state;

    assert_true(FTP_VERSION_NUMBER == (((uint32_t)FTP_VERSION_MAJOR << 16) |
                                       ((uint32_t)FTP_VERSION_MINOR << 8) |
                                       (uint32_t)FTP_VERSION_MICRO));
    snprintf(expected, sizeof expected, "%d.%d.%d", FTP_VERSION_MAJOR, FTP_VERSION_MINOR,
             FTP_VERSION_MICRO);
    assert_string_equal(FTP_VERSION_STRING, expected);
    assert_int_equal(ftp_version() >> 16, FTP_VERSION_MAJOR);
    assert_int_equal((ftp_version() >> 8) & 0xff, FTP_VERSION_MINOR);
    assert_int_equal(ftp_version() & 0xff, FTP_VERSION_MICRO);
}

static void version_atleast_compares_against_headers(void **state)
{
    (void)state;
    assert_true(FTP_VERSION_ATLEAST(0, 0, 0));
    assert_true(FTP_VERSION_ATLEAST(FTP_VERSION_MAJOR, FTP_VERSION_MINOR, FTP_VERSION_MICRO));
    assert_false(FTP_VERSION_ATLEAST(FTP_VERSION_MAJOR, FTP_VERSION_MINOR, FTP_VERSION_MICRO + 1));
    assert_false(FTP_VERSION_ATLEAST(FTP_VERSION_MAJOR, FTP_VERSION_MINOR + 1, 0));
    assert_false(FTP_VERSION_ATLEAST(FTP_VERSION_MAJOR + 1, 0, 0));
    if (FTP_VERSION_MICRO > 0)
        assert_true(FTP_VERSION_ATLEAST(FTP_VERSION_MAJOR, FTP_VERSION_MINOR, 0));
    if (FTP_VERSION_MINOR > 0)
        assert_true(FTP_VERSION_ATLEAST(FTP_VERSION_MAJOR, FTP_VERSION_MINOR - 1, 255));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(status_values_are_the_documented_numbers),
        cmocka_unit_test(error_name_is_the_enumerator_name),
        cmocka_unit_test(error_name_of_unknown_values_is_ftp_e_unknown),
        cmocka_unit_test(strerror_describes_every_status),
        cmocka_unit_test(strerror_of_unknown_values_says_no_such_status),
        cmocka_unit_test(accessors_on_null_session_never_return_null),
        cmocka_unit_test(runtime_version_matches_headers),
        cmocka_unit_test(version_number_encodes_major_minor_micro),
        cmocka_unit_test(version_atleast_compares_against_headers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
