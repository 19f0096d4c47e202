/*
 * Session lifecycle through the public API: creating and freeing sessions,
 * the trace callback's destroy notifier, ftp_close() and ftp_cancel() on an
 * idle session.  No network I/O happens here.
 */
#include "api_assert.h"

enum { MANY_SESSIONS = 1000 };

static void new_session_is_unconnected_with_clean_accessors(void **state)
{
    ftp_session *s = ftp_session_new();
    (void)state;

    assert_non_null(s);
    assert_null(ftp_getwelcome(s));
    assert_status(ftp_last_error_code(s), FTP_OK);
    assert_string_equal(ftp_last_error(s), "");
    assert_int_equal(ftp_last_reply_code(s), 0);
    assert_string_equal(ftp_last_reply(s), "");
    ftp_session_free(s);
}

static void free_null_is_harmless(void **state)
{
    (void)state;
    ftp_session_free(NULL);
}

static void free_without_connect_after_setting_every_option(void **state)
{
    ftp_session *s = ftp_session_new();
    (void)state;

    assert_non_null(s);
    assert_status(ftp_set_timeout_ms(s, 1000), FTP_OK);
    assert_status(ftp_set_phase_timeout_ms(s, FTP_TIMEOUT_CLOSE, 500), FTP_OK);
    assert_status(ftp_set_limit(s, FTP_LIMIT_LINE, 4096), FTP_OK);
    assert_status(ftp_set_source_address(s, "127.0.0.1", 0), FTP_OK);
    assert_status(ftp_set_data_mode(s, FTP_DATA_ACTIVE), FTP_OK);
    assert_status(ftp_set_pasv(s, 1), FTP_OK);
    assert_status(ftp_set_trust_pasv_address_insecure(s, 1), FTP_OK);
    assert_status(ftp_set_debuglevel(s, 2), FTP_OK);
    ftp_session_free(s);
}

/* Sessions are independent: many live at once, and freeing order is free. */
static void many_sessions_live_at_once_and_are_distinct(void **state)
{
    static ftp_session *sessions[MANY_SESSIONS];
    int i;
    (void)state;

    for (i = 0; i < MANY_SESSIONS; i++) {
        sessions[i] = ftp_session_new();
        assert_non_null(sessions[i]);
        if (i > 0)
            assert_ptr_not_equal(sessions[i], sessions[i - 1]);
        /* Give each a different state so that a shared one would show. */
        assert_status(ftp_set_timeout_ms(sessions[i], 1 + i), FTP_OK);
    }
    /* Fail one in three: its error must not leak into its neighbours. */
    for (i = 0; i < MANY_SESSIONS; i += 3)
        assert_status(ftp_set_timeout_ms(sessions[i], 0), FTP_E_INVALID);
    for (i = 0; i < MANY_SESSIONS; i++)
        assert_status(ftp_last_error_code(sessions[i]), i % 3 == 0 ? FTP_E_INVALID : FTP_OK);
    /* Free the odd ones first, then the even ones backwards. */
    for (i = 1; i < MANY_SESSIONS; i += 2)
        ftp_session_free(sessions[i]);
    for (i = MANY_SESSIONS - 2; i >= 0; i -= 2)
        ftp_session_free(sessions[i]);
}

static void close_on_unconnected_session_is_harmless(void **state)
{
    ftp_session *s = ftp_session_new();
    (void)state;

    assert_non_null(s);
    assert_status(ftp_close(s), FTP_OK);
    assert_status(ftp_close(s), FTP_OK);
    assert_null(ftp_getwelcome(s));
    ftp_session_free(s);
}

/* ---- ftp_set_trace_fn() and its destroy notifier ------------------------ */

struct destroy_counter {
    int runs;
};

static void count_destroy(void *userdata)
{
    struct destroy_counter *counter = userdata;
    counter->runs++;
}

static void ignore_trace(int kind, const char *text, size_t len, void *userdata)
{
    (void)kind;
    (void)text;
    (void)len;
    (void)userdata;
}

static void trace_destroy_runs_once_on_replace_and_once_on_free(void **state)
{
    struct destroy_counter first = {0}, second = {0};
    ftp_session *s = ftp_session_new();
    (void)state;

    assert_non_null(s);
    assert_status(ftp_set_trace_fn(s, ignore_trace, &first, count_destroy), FTP_OK);
    assert_int_equal(first.runs, 0);

    assert_status(ftp_set_trace_fn(s, ignore_trace, &second, count_destroy), FTP_OK);
    assert_int_equal(first.runs, 1);
    assert_int_equal(second.runs, 0);

    ftp_session_free(s);
    assert_int_equal(first.runs, 1);
    assert_int_equal(second.runs, 1);
}

static void trace_destroy_runs_once_when_callback_removed(void **state)
{
    struct destroy_counter counter = {0};
    ftp_session *s = ftp_session_new();
    (void)state;

    assert_non_null(s);
    assert_status(ftp_set_trace_fn(s, ignore_trace, &counter, count_destroy), FTP_OK);
    assert_status(ftp_set_trace_fn(s, NULL, NULL, NULL), FTP_OK);
    assert_int_equal(counter.runs, 1);
    ftp_session_free(s);
    assert_int_equal(counter.runs, 1);
}

static void trace_destroy_runs_once_on_free_after_close(void **state)
{
    struct destroy_counter counter = {0};
    ftp_session *s = ftp_session_new();
    (void)state;

    assert_non_null(s);
    assert_status(ftp_set_trace_fn(s, ignore_trace, &counter, count_destroy), FTP_OK);
    /* ftp_close() ends a connection, not the session's options. */
    assert_status(ftp_close(s), FTP_OK);
    assert_int_equal(counter.runs, 0);
    ftp_session_free(s);
    assert_int_equal(counter.runs, 1);
}

static void trace_fn_without_destroy_is_accepted(void **state)
{
    ftp_session *s = ftp_session_new();
    (void)state;

    assert_non_null(s);
    assert_status(ftp_set_trace_fn(s, ignore_trace, NULL, NULL), FTP_OK);
    assert_status(ftp_set_trace_fn(s, ignore_trace, NULL, NULL), FTP_OK);
    ftp_session_free(s);
}

/* ---- ftp_cancel() while nothing runs ------------------------------------- */

/*
 * An idle cancel is kept for "the next blocking call at its first wait";
 * calls that never wait are not affected by it, and ftp_cancel() itself does
 * not change ftp_last_error_code().
 */
static void cancel_on_idle_session_spares_calls_that_never_wait(void **state)
{
    const char *reply = SENTINEL_STRING;
    ftp_session *s = ftp_session_new();
    (void)state;

    assert_non_null(s);
    assert_status(ftp_set_timeout_ms(s, 0), FTP_E_INVALID);
    assert_status(ftp_cancel(s), FTP_OK);
    assert_status(ftp_last_error_code(s), FTP_E_INVALID);
    assert_status(ftp_cancel(s), FTP_OK); /* twice is fine too */

    assert_status(ftp_set_timeout_ms(s, 2000), FTP_OK);
    assert_status(ftp_set_debuglevel(s, 1), FTP_OK);
    /* Not connected: refused before any wait, so still FTP_E_STATE. */
    assert_status(ftp_sendcmd(s, "NOOP", &reply), FTP_E_STATE);
    assert_ptr_equal(reply, SENTINEL_STRING);
    assert_status(ftp_close(s), FTP_OK);
    ftp_session_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(new_session_is_unconnected_with_clean_accessors),
        cmocka_unit_test(free_null_is_harmless),
        cmocka_unit_test(free_without_connect_after_setting_every_option),
        cmocka_unit_test(many_sessions_live_at_once_and_are_distinct),
        cmocka_unit_test(close_on_unconnected_session_is_harmless),
        cmocka_unit_test(trace_destroy_runs_once_on_replace_and_once_on_free),
        cmocka_unit_test(trace_destroy_runs_once_when_callback_removed),
        cmocka_unit_test(trace_destroy_runs_once_on_free_after_close),
        cmocka_unit_test(trace_fn_without_destroy_is_accepted),
        cmocka_unit_test(cancel_on_idle_session_spares_calls_that_never_wait),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
