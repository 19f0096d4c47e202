/*
 * NULL where the API needs a pointer: every function declared in
 * <ftpc/ftpc.h> called with a NULL session, and every required pointer
 * argument passed as NULL on a real session.  Each must return the
 * documented status (FTP_E_INVALID for fallible calls) and never crash.
 */
#include "api_assert.h"
#include "api_fixtures.h"

/* Callbacks handed to calls that must fail before any data moves. */
/* ---- a NULL session ------------------------------------------------------ */

static void null_session_lifecycle_and_options(void **state)
{
    (void)state;
    ftp_session_free(NULL);
    assert_status(ftp_cancel(NULL), FTP_E_INVALID);
    assert_status(ftp_set_timeout_ms(NULL, 1000), FTP_E_INVALID);
    assert_status(ftp_set_phase_timeout_ms(NULL, FTP_TIMEOUT_REPLY, 1000), FTP_E_INVALID);
    assert_status(ftp_set_limit(NULL, FTP_LIMIT_LINE, 4096), FTP_E_INVALID);
    assert_status(ftp_set_source_address(NULL, "127.0.0.1", 0), FTP_E_INVALID);
    assert_status(ftp_set_source_address(NULL, NULL, 0), FTP_E_INVALID);
    assert_status(ftp_set_data_mode(NULL, FTP_DATA_AUTO), FTP_E_INVALID);
    assert_status(ftp_set_pasv(NULL, 1), FTP_E_INVALID);
    assert_status(ftp_set_trust_pasv_address_insecure(NULL, 0), FTP_E_INVALID);
    assert_status(ftp_set_debuglevel(NULL, 1), FTP_E_INVALID);
    assert_status(ftp_set_abort_style(NULL, FTP_ABORT_TELNET), FTP_E_INVALID);
    assert_status(ftp_set_tls_insecure_skip_hostname(NULL, 1), FTP_E_INVALID);
    assert_status(ftp_getresp(NULL, NULL), FTP_E_INVALID);
    assert_status(ftp_voidresp(NULL), FTP_E_INVALID);
    assert_status(ftp_type(NULL, FTP_TYPE_BINARY), FTP_E_INVALID);
    /* Whether destroy runs for a refused setter is not specified: no check. */
    assert_status(ftp_set_trace_fn(NULL, trace_never_called, NULL, NULL), FTP_E_INVALID);
    assert_status(ftp_set_trace_fn(NULL, NULL, NULL, NULL), FTP_E_INVALID);
}

static void null_session_connection_calls(void **state)
{
    (void)state;
    assert_status(ftp_connect(NULL, "127.0.0.1", 21), FTP_E_INVALID);
    assert_null(ftp_getwelcome(NULL));
    assert_status(ftp_login(NULL, "user", "pass", "acct"), FTP_E_INVALID);
    assert_status(ftp_login(NULL, NULL, NULL, NULL), FTP_E_INVALID);
    assert_status(ftp_close(NULL), FTP_E_INVALID);
    assert_status(ftp_quit(NULL), FTP_E_INVALID);
}

static void null_session_simple_commands(void **state)
{
    const char *text = SENTINEL_STRING;
    uint64_t size = SENTINEL_U64;
    (void)state;

    assert_status(ftp_sendcmd(NULL, "NOOP", &text), FTP_E_INVALID);
    assert_ptr_equal(text, SENTINEL_STRING);
    assert_status(ftp_sendcmd(NULL, "NOOP", NULL), FTP_E_INVALID);
    assert_status(ftp_voidcmd(NULL, "NOOP"), FTP_E_INVALID);
    assert_status(ftp_rename(NULL, "a", "b"), FTP_E_INVALID);
    assert_status(ftp_delete(NULL, "a"), FTP_E_INVALID);
    assert_status(ftp_cwd(NULL, "a"), FTP_E_INVALID);
    assert_status(ftp_cwd(NULL, ".."), FTP_E_INVALID);
    assert_status(ftp_mkd(NULL, "a", &text), FTP_E_INVALID);
    assert_ptr_equal(text, SENTINEL_STRING);
    assert_status(ftp_pwd(NULL, &text), FTP_E_INVALID);
    assert_ptr_equal(text, SENTINEL_STRING);
    assert_status(ftp_rmd(NULL, "a"), FTP_E_INVALID);
    assert_status(ftp_size(NULL, "a", &size), FTP_E_INVALID);
    assert_true(size == SENTINEL_U64);
    assert_status(ftp_abort(NULL), FTP_E_INVALID);
}

static void null_session_transfers(void **state)
{
    ftp_data *data = sentinel_data();
    uint64_t size = SENTINEL_U64;
    static const char *const facts[] = {"type", "size", NULL};
    (void)state;

    assert_status(ftp_retrbinary(NULL, "RETR a", 0, 0, sink_never_called, NULL), FTP_E_INVALID);
    assert_status(ftp_retrlines(NULL, "RETR a", line_never_called, NULL), FTP_E_INVALID);
    assert_status(ftp_storbinary(NULL, "STOR a", 0, 0, source_never_called, NULL),
                  FTP_E_INVALID);
    assert_status(ftp_storlines(NULL, "STOR a", source_never_called, NULL), FTP_E_INVALID);
    assert_status(ftp_transfercmd(NULL, "RETR a", 0, &data, &size), FTP_E_INVALID);
    assert_ptr_equal(data, sentinel_data());
    assert_true(size == SENTINEL_U64);
    assert_status(ftp_mlsd(NULL, NULL, NULL, entry_never_called, NULL), FTP_E_INVALID);
    assert_status(ftp_mlsd(NULL, "dir", facts, entry_never_called, NULL), FTP_E_INVALID);
    assert_status(ftp_nlst(NULL, NULL, line_never_called, NULL), FTP_E_INVALID);
    assert_status(ftp_dir(NULL, NULL, line_never_called, NULL), FTP_E_INVALID);
}

static void null_data_stream(void **state)
{
    char buf[16];
    size_t nread = 12345;
    (void)state;

    assert_status(ftp_data_read(NULL, buf, sizeof buf, &nread), FTP_E_INVALID);
    assert_int_equal(nread, 12345);
    assert_status(ftp_data_write(NULL, "x", 1), FTP_E_INVALID);
    assert_status(ftp_data_close(NULL), FTP_E_INVALID);
}

static void null_session_accessors(void **state)
{
    (void)state;
    assert_status(ftp_last_error_code(NULL), FTP_E_INVALID);
    assert_non_null(ftp_last_error(NULL));
    assert_int_equal(ftp_last_reply_code(NULL), 0);
    assert_non_null(ftp_last_reply(NULL));
    assert_null(ftp_getwelcome(NULL));
}

/* ---- NULL required pointers on a real session --------------------------- */

static void null_host_for_connect(void **state)
{
    ftp_session *s = *state;

    assert_status(ftp_connect(s, NULL, 21), FTP_E_INVALID);
    assert_status(ftp_last_error_code(s), FTP_E_INVALID);
    assert_true(ftp_last_error(s)[0] != '\0');
    assert_null(ftp_getwelcome(s));
}

static void null_command_text(void **state)
{
    ftp_session *s = *state;
    const char *reply = SENTINEL_STRING;
    ftp_data *data = sentinel_data();

    assert_status(ftp_sendcmd(s, NULL, &reply), FTP_E_INVALID);
    assert_ptr_equal(reply, SENTINEL_STRING);
    assert_status(ftp_voidcmd(s, NULL), FTP_E_INVALID);
    assert_status(ftp_retrbinary(s, NULL, 0, 0, sink_never_called, NULL), FTP_E_INVALID);
    assert_status(ftp_retrlines(s, NULL, line_never_called, NULL), FTP_E_INVALID);
    assert_status(ftp_storbinary(s, NULL, 0, 0, source_never_called, NULL), FTP_E_INVALID);
    assert_status(ftp_storlines(s, NULL, source_never_called, NULL), FTP_E_INVALID);
    assert_status(ftp_transfercmd(s, NULL, 0, &data, NULL), FTP_E_INVALID);
    assert_ptr_equal(data, sentinel_data());
}

static void null_path_arguments(void **state)
{
    ftp_session *s = *state;
    const char *out = SENTINEL_STRING;
    uint64_t size = SENTINEL_U64;

    assert_status(ftp_rename(s, NULL, "b"), FTP_E_INVALID);
    assert_status(ftp_rename(s, "a", NULL), FTP_E_INVALID);
    assert_status(ftp_delete(s, NULL), FTP_E_INVALID);
    /* The header gives "" a meaning for ftp_cwd() but not NULL. */
    assert_status(ftp_cwd(s, NULL), FTP_E_INVALID);
    assert_status(ftp_mkd(s, NULL, &out), FTP_E_INVALID);
    assert_ptr_equal(out, SENTINEL_STRING);
    assert_status(ftp_rmd(s, NULL), FTP_E_INVALID);
    assert_status(ftp_size(s, NULL, &size), FTP_E_INVALID);
    assert_true(size == SENTINEL_U64);
}

static void null_out_parameters_that_are_required(void **state)
{
    ftp_session *s = *state;

    /* "@p out must not be NULL" (ftp_pwd, ftp_size); ftp_transfercmd's
     * stream is its whole result. */
    assert_status(ftp_pwd(s, NULL), FTP_E_INVALID);
    assert_status(ftp_size(s, "a", NULL), FTP_E_INVALID);
    assert_status(ftp_transfercmd(s, "RETR a", 0, NULL, NULL), FTP_E_INVALID);
}

static void null_callbacks(void **state)
{
    ftp_session *s = *state;

    assert_status(ftp_retrbinary(s, "RETR a", 0, 0, NULL, NULL), FTP_E_INVALID);
    assert_status(ftp_retrlines(s, "RETR a", NULL, NULL), FTP_E_INVALID);
    assert_status(ftp_storbinary(s, "STOR a", 0, 0, NULL, NULL), FTP_E_INVALID);
    assert_status(ftp_storlines(s, "STOR a", NULL, NULL), FTP_E_INVALID);
    assert_status(ftp_mlsd(s, NULL, NULL, NULL, NULL), FTP_E_INVALID);
    assert_status(ftp_nlst(s, NULL, NULL, NULL), FTP_E_INVALID);
    assert_status(ftp_dir(s, NULL, NULL, NULL), FTP_E_INVALID);
}

/* Optional pointers (documented "if not NULL" or "NULL means ...") are
 * accepted: the unconnected session then answers FTP_E_STATE. */
static void optional_pointers_accept_null(void **state)
{
    ftp_session *s = *state;
    ftp_data *data = sentinel_data();

    assert_status(ftp_sendcmd(s, "NOOP", NULL), FTP_E_STATE);
    assert_status(ftp_mkd(s, "a", NULL), FTP_E_STATE);
    assert_status(ftp_login(s, NULL, NULL, NULL), FTP_E_STATE);
    assert_status(ftp_transfercmd(s, "RETR a", 0, &data, NULL), FTP_E_STATE);
    assert_ptr_equal(data, sentinel_data());
    assert_status(ftp_mlsd(s, NULL, NULL, entry_never_called, NULL), FTP_E_STATE);
    assert_status(ftp_nlst(s, NULL, line_never_called, NULL), FTP_E_STATE);
    assert_status(ftp_dir(s, NULL, line_never_called, NULL), FTP_E_STATE);
    assert_status(ftp_set_source_address(s, NULL, 0), FTP_OK);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(null_session_lifecycle_and_options),
        cmocka_unit_test(null_session_connection_calls),
        cmocka_unit_test(null_session_simple_commands),
        cmocka_unit_test(null_session_transfers),
        cmocka_unit_test(null_data_stream),
        cmocka_unit_test(null_session_accessors),
        cmocka_unit_test_setup_teardown(null_host_for_connect, session_setup, session_teardown),
        cmocka_unit_test_setup_teardown(null_command_text, session_setup, session_teardown),
        cmocka_unit_test_setup_teardown(null_path_arguments, session_setup, session_teardown),
        cmocka_unit_test_setup_teardown(null_out_parameters_that_are_required, session_setup,
                                        session_teardown),
        cmocka_unit_test_setup_teardown(null_callbacks, session_setup, session_teardown),
        cmocka_unit_test_setup_teardown(optional_pointers_accept_null, session_setup,
                                        session_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
