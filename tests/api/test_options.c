/*
 * Option setters at and beyond the edges of their documented ranges:
 * timeouts 1..86400000 ms, the three limits, data modes, debug level,
 * source address and connect port.  A refused value returns FTP_E_INVALID
 * and is recorded in ftp_last_error_code(); an accepted one returns FTP_OK.
 */
#include "api_assert.h"
#include "api_fixtures.h"

#include <limits.h>

#define MAX_TIMEOUT_MS INT64_C(86400000)
#define MIB UINT64_C(1048576)

static const int all_phases[] = {FTP_TIMEOUT_CONNECT, FTP_TIMEOUT_REPLY, FTP_TIMEOUT_DATA,
                                 FTP_TIMEOUT_ACCEPT, FTP_TIMEOUT_CLOSE};
#define PHASE_COUNT (sizeof all_phases / sizeof all_phases[0])

static const int64_t bad_timeouts[] = {0, -1, -1000, MAX_TIMEOUT_MS + 1, INT64_MAX, INT64_MIN};
#define BAD_TIMEOUT_COUNT (sizeof bad_timeouts / sizeof bad_timeouts[0])

static void timeout_accepts_1_to_86400000_ms(void **state)
{
    ftp_session *s = *state;

    assert_status(ftp_set_timeout_ms(s, 1), FTP_OK);
    assert_status(ftp_set_timeout_ms(s, 30000), FTP_OK);
    assert_status(ftp_set_timeout_ms(s, MAX_TIMEOUT_MS), FTP_OK);
}

static void timeout_refuses_zero_negative_and_over_one_day(void **state)
{
    ftp_session *s = *state;
    size_t i;

    for (i = 0; i < BAD_TIMEOUT_COUNT; i++) {
        assert_status(ftp_set_timeout_ms(s, bad_timeouts[i]), FTP_E_INVALID);
        assert_status(ftp_last_error_code(s), FTP_E_INVALID);
        assert_true(ftp_last_error(s)[0] != '\0');
    }
}

static void phase_timeout_accepts_every_phase_in_range(void **state)
{
    ftp_session *s = *state;
    size_t i;

    for (i = 0; i < PHASE_COUNT; i++) {
        assert_status(ftp_set_phase_timeout_ms(s, all_phases[i], 1), FTP_OK);
        assert_status(ftp_set_phase_timeout_ms(s, all_phases[i], MAX_TIMEOUT_MS), FTP_OK);
    }
}

static void phase_timeout_refuses_bad_values_for_every_phase(void **state)
{
    ftp_session *s = *state;
    size_t p, t;

    for (p = 0; p < PHASE_COUNT; p++)
        for (t = 0; t < BAD_TIMEOUT_COUNT; t++)
            assert_status(ftp_set_phase_timeout_ms(s, all_phases[p], bad_timeouts[t]),
                          FTP_E_INVALID);
}

static void phase_timeout_refuses_unknown_phases(void **state)
{
    ftp_session *s = *state;
    static const int bad_phases[] = {0, -1, 6, 99, INT_MAX, INT_MIN};
    size_t i;

    for (i = 0; i < sizeof bad_phases / sizeof bad_phases[0]; i++)
        assert_status(ftp_set_phase_timeout_ms(s, bad_phases[i], 1000), FTP_E_INVALID);
}

struct limit_range {
    int which;
    uint64_t min, max;
};

static const struct limit_range limit_ranges[] = {
    {FTP_LIMIT_LINE, 512, 16 * MIB},
    {FTP_LIMIT_REPLY_BYTES, 512, 256 * MIB},
    {FTP_LIMIT_REPLY_LINES, 1, 10000000},
};
#define LIMIT_COUNT (sizeof limit_ranges / sizeof limit_ranges[0])

static void limit_accepts_both_ends_of_each_range(void **state)
{
    ftp_session *s = *state;
    size_t i;

    for (i = 0; i < LIMIT_COUNT; i++) {
        assert_status(ftp_set_limit(s, limit_ranges[i].which, limit_ranges[i].min), FTP_OK);
        assert_status(ftp_set_limit(s, limit_ranges[i].which, limit_ranges[i].max), FTP_OK);
    }
}

static void limit_refuses_values_just_outside_each_range(void **state)
{
    ftp_session *s = *state;
    size_t i;

    for (i = 0; i < LIMIT_COUNT; i++) {
        const struct limit_range *r = &limit_ranges[i];
        assert_status(ftp_set_limit(s, r->which, r->min - 1), FTP_E_INVALID);
        assert_status(ftp_set_limit(s, r->which, r->max + 1), FTP_E_INVALID);
        assert_status(ftp_set_limit(s, r->which, 0), FTP_E_INVALID);
        assert_status(ftp_set_limit(s, r->which, UINT64_MAX), FTP_E_INVALID);
    }
}

static void limit_refuses_unknown_kinds(void **state)
{
    ftp_session *s = *state;
    static const int bad_kinds[] = {0, -1, 4, 99, INT_MAX, INT_MIN};
    size_t i;

    for (i = 0; i < sizeof bad_kinds / sizeof bad_kinds[0]; i++)
        assert_status(ftp_set_limit(s, bad_kinds[i], 4096), FTP_E_INVALID);
}

static void data_mode_accepts_the_six_modes_only(void **state)
{
    ftp_session *s = *state;
    static const int bad_modes[] = {-1, 6, 99, INT_MAX, INT_MIN};
    size_t i;

    assert_status(ftp_set_data_mode(s, FTP_DATA_AUTO), FTP_OK);
    assert_status(ftp_set_data_mode(s, FTP_DATA_EPSV), FTP_OK);
    assert_status(ftp_set_data_mode(s, FTP_DATA_PASV), FTP_OK);
    assert_status(ftp_set_data_mode(s, FTP_DATA_ACTIVE), FTP_OK);
    assert_status(ftp_set_data_mode(s, FTP_DATA_EPRT), FTP_OK);
    assert_status(ftp_set_data_mode(s, FTP_DATA_PORT), FTP_OK);
    for (i = 0; i < sizeof bad_modes / sizeof bad_modes[0]; i++)
        assert_status(ftp_set_data_mode(s, bad_modes[i]), FTP_E_INVALID);
}

static void abort_style_accepts_the_three_styles_only(void **state)
{
    ftp_session *s = *state;
    static const int bad_styles[] = {-1, 3, INT_MAX, INT_MIN};
    size_t i;

    assert_status(ftp_set_abort_style(s, FTP_ABORT_TELNET), FTP_OK);
    assert_status(ftp_set_abort_style(s, FTP_ABORT_URGENT_LINE), FTP_OK);
    assert_status(ftp_set_abort_style(s, FTP_ABORT_PLAIN), FTP_OK);
    for (i = 0; i < sizeof bad_styles / sizeof bad_styles[0]; i++)
        assert_status(ftp_set_abort_style(s, bad_styles[i]), FTP_E_INVALID);
    assert_status(ftp_set_abort_style(NULL, FTP_ABORT_PLAIN), FTP_E_INVALID);
}

/* An unknown type is refused before the session is looked at; a good one
 * needs a connection. */
static void type_checks_its_argument_first(void **state)
{
    ftp_session *s = *state;
    static const int bad_types[] = {0, 'a', 'i', 'E', 'L', -1, INT_MAX};
    size_t i;

    for (i = 0; i < sizeof bad_types / sizeof bad_types[0]; i++)
        assert_status(ftp_type(s, bad_types[i]), FTP_E_INVALID);
    assert_status(ftp_type(s, FTP_TYPE_BINARY), FTP_E_STATE);
    assert_status(ftp_type(s, FTP_TYPE_ASCII), FTP_E_STATE);
    assert_status(ftp_type(NULL, FTP_TYPE_ASCII), FTP_E_INVALID);
}

/* Booleans in the ftplib style: any nonzero value means "on". */
static void boolean_options_accept_any_int(void **state)
{
    ftp_session *s = *state;
    static const int values[] = {0, 1, 2, -1, INT_MAX, INT_MIN};
    size_t i;

    for (i = 0; i < sizeof values / sizeof values[0]; i++) {
        assert_status(ftp_set_pasv(s, values[i]), FTP_OK);
        assert_status(ftp_set_trust_pasv_address_insecure(s, values[i]), FTP_OK);
    }
}

static void debuglevel_refuses_negative_levels(void **state)
{
    ftp_session *s = *state;

    assert_status(ftp_set_debuglevel(s, 0), FTP_OK);
    assert_status(ftp_set_debuglevel(s, 1), FTP_OK);
    assert_status(ftp_set_debuglevel(s, 2), FTP_OK);
    assert_status(ftp_set_debuglevel(s, -1), FTP_E_INVALID);
    assert_status(ftp_set_debuglevel(s, INT_MIN), FTP_E_INVALID);
}

static void source_address_validates_host(void **state)
{
    ftp_session *s = *state;

    assert_status(ftp_set_source_address(s, "127.0.0.1", 0), FTP_OK);
    assert_status(ftp_set_source_address(s, "::1", 40000), FTP_OK);
    assert_status(ftp_set_source_address(s, "localhost", 65535), FTP_OK);
    assert_status(ftp_set_source_address(s, NULL, 0), FTP_OK);
    assert_status(ftp_set_source_address(s, "", 0), FTP_E_INVALID);
    assert_status(ftp_set_source_address(s, "127.0.0.1\r", 0), FTP_E_INVALID);
    assert_status(ftp_set_source_address(s, "127.0.0.1\n", 0), FTP_E_INVALID);
}

/* Not spelled out for ftp_set_source_address(); FTP_E_INVALID covers "out
 * of range", and ftp_connect() refuses the same port. */
static void source_address_refuses_port_over_65535(void **state)
{
    ftp_session *s = *state;

    assert_status(ftp_set_source_address(s, "127.0.0.1", 65536), FTP_E_INVALID);
    assert_status(ftp_set_source_address(s, "127.0.0.1", UINT_MAX), FTP_E_INVALID);
}

static void connect_refuses_bad_host_and_port_without_network(void **state)
{
    ftp_session *s = *state;

    assert_status(ftp_connect(s, "127.0.0.1", 65536), FTP_E_INVALID);
    assert_status(ftp_connect(s, "127.0.0.1", UINT_MAX), FTP_E_INVALID);
    assert_status(ftp_connect(s, "", 21), FTP_E_INVALID);
    assert_status(ftp_connect(s, "127.0.0.1\r\n", 21), FTP_E_INVALID);
    assert_status(ftp_connect(s, "local\nhost", 21), FTP_E_INVALID);
    assert_null(ftp_getwelcome(s));
    assert_int_equal(ftp_last_reply_code(s), 0);
}

/* ftp_last_error_code() follows every non-accessor call, success included. */
static void last_error_code_tracks_the_last_call(void **state)
{
    ftp_session *s = *state;

    assert_status(ftp_set_limit(s, 0, 4096), FTP_E_INVALID);
    assert_status(ftp_last_error_code(s), FTP_E_INVALID);
    assert_true(ftp_last_error(s)[0] != '\0');
    /* Accessors leave it alone. */
    assert_non_null(ftp_last_reply(s));
    (void)ftp_last_reply_code(s);
    assert_null(ftp_getwelcome(s));
    assert_status(ftp_last_error_code(s), FTP_E_INVALID);

    assert_status(ftp_set_limit(s, FTP_LIMIT_LINE, 4096), FTP_OK);
    assert_status(ftp_last_error_code(s), FTP_OK);
    assert_string_equal(ftp_last_error(s), "");

    assert_status(ftp_voidcmd(s, "NOOP"), FTP_E_STATE);
    assert_status(ftp_last_error_code(s), FTP_E_STATE);
    assert_true(ftp_last_error(s)[0] != '\0');

    assert_status(ftp_close(s), FTP_OK);
    assert_status(ftp_last_error_code(s), FTP_OK);
    assert_string_equal(ftp_last_error(s), "");
}

#define WITH_SESSION(test) cmocka_unit_test_setup_teardown(test, session_setup, session_teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        WITH_SESSION(timeout_accepts_1_to_86400000_ms),
        WITH_SESSION(timeout_refuses_zero_negative_and_over_one_day),
        WITH_SESSION(phase_timeout_accepts_every_phase_in_range),
        WITH_SESSION(phase_timeout_refuses_bad_values_for_every_phase),
        WITH_SESSION(phase_timeout_refuses_unknown_phases),
        WITH_SESSION(limit_accepts_both_ends_of_each_range),
        WITH_SESSION(limit_refuses_values_just_outside_each_range),
        WITH_SESSION(limit_refuses_unknown_kinds),
        WITH_SESSION(data_mode_accepts_the_six_modes_only),
        WITH_SESSION(abort_style_accepts_the_three_styles_only),
        WITH_SESSION(type_checks_its_argument_first),
        WITH_SESSION(boolean_options_accept_any_int),
        WITH_SESSION(debuglevel_refuses_negative_levels),
        WITH_SESSION(source_address_validates_host),
        WITH_SESSION(source_address_refuses_port_over_65535),
        WITH_SESSION(connect_refuses_bad_host_and_port_without_network),
        WITH_SESSION(last_error_code_tracks_the_last_call),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
