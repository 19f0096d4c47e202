/*
 * Commands on a session that never connected.
 *
 *  - Every command function answers FTP_E_STATE and leaves its
 *    out-parameters untouched ("written only on success").
 *  - An argument that would become part of a command and holds CR or LF is
 *    refused with FTP_E_INVALID even here: the header says such arguments
 *    are refused "before anything is sent", so argument validation is
 *    expected to come before the connection check.
 */
#include "api_assert.h"
#include "api_fixtures.h"

#include <string.h>

/* ---- FTP_E_STATE ----------------------------------------------------------- */

static void login_and_quit_need_a_connection(void **state)
{
    ftp_session *s = *state;

    assert_status(ftp_login(s, "user", "secret", NULL), FTP_E_STATE);
    assert_status(ftp_login(s, NULL, NULL, NULL), FTP_E_STATE);
    assert_status(ftp_login(s, "user", "secret", "account"), FTP_E_STATE);
    assert_status(ftp_quit(s), FTP_E_STATE);
    assert_status(ftp_abort(s), FTP_E_STATE);
    assert_null(ftp_getwelcome(s));
}

static void simple_commands_need_a_connection(void **state)
{
    ftp_session *s = *state;

    assert_status(ftp_voidcmd(s, "NOOP"), FTP_E_STATE);
    assert_status(ftp_rename(s, "a", "b"), FTP_E_STATE);
    assert_status(ftp_delete(s, "a"), FTP_E_STATE);
    assert_status(ftp_cwd(s, "dir"), FTP_E_STATE);
    assert_status(ftp_cwd(s, ".."), FTP_E_STATE);
    assert_status(ftp_cwd(s, ""), FTP_E_STATE);
    assert_status(ftp_rmd(s, "dir"), FTP_E_STATE);
    assert_status(ftp_voidresp(s), FTP_E_STATE);
    assert_null(ftp_peer_address(s));
    assert_null(ftp_local_address(s));
    assert_null(ftp_peer_address(NULL));
    assert_null(ftp_data_session(NULL));
    assert_status(ftp_last_error_code(s), FTP_E_STATE);
    assert_int_equal(ftp_last_reply_code(s), 0);
    assert_string_equal(ftp_last_reply(s), "");
}

static void failed_commands_leave_out_parameters_untouched(void **state)
{
    ftp_session *s = *state;
    const char *text = SENTINEL_STRING;
    uint64_t size = SENTINEL_U64;

    assert_status(ftp_sendcmd(s, "NOOP", &text), FTP_E_STATE);
    assert_ptr_equal(text, SENTINEL_STRING);
    assert_status(ftp_mkd(s, "dir", &text), FTP_E_STATE);
    assert_ptr_equal(text, SENTINEL_STRING);
    assert_status(ftp_pwd(s, &text), FTP_E_STATE);
    assert_ptr_equal(text, SENTINEL_STRING);
    assert_status(ftp_size(s, "file", &size), FTP_E_STATE);
    assert_true(size == SENTINEL_U64);
    assert_status(ftp_getresp(s, &text), FTP_E_STATE);
    assert_ptr_equal(text, SENTINEL_STRING);
}

static void transfers_need_a_connection(void **state)
{
    ftp_session *s = *state;
    ftp_data *data = sentinel_data();
    uint64_t size = SENTINEL_U64;
    static const char *const facts[] = {"type", "size", "modify", NULL};

    assert_status(ftp_retrbinary(s, "RETR a", 0, 0, sink_never_called, NULL), FTP_E_STATE);
    assert_status(ftp_retrbinary(s, "RETR a", 16u << 20, 100, sink_never_called, NULL),
                  FTP_E_STATE);
    assert_status(ftp_retrlines(s, "LIST", line_never_called, NULL), FTP_E_STATE);
    assert_status(ftp_storbinary(s, "STOR a", 0, 0, source_never_called, NULL), FTP_E_STATE);
    assert_status(ftp_storbinary(s, "APPE a", 4096, 7, source_never_called, NULL), FTP_E_STATE);
    assert_status(ftp_storlines(s, "STOR a", source_never_called, NULL), FTP_E_STATE);
    assert_status(ftp_transfercmd(s, "RETR a", 0, &data, &size), FTP_E_STATE);
    assert_ptr_equal(data, sentinel_data());
    assert_true(size == SENTINEL_U64);
    assert_status(ftp_mlsd(s, NULL, NULL, entry_never_called, NULL), FTP_E_STATE);
    assert_status(ftp_mlsd(s, "", facts, entry_never_called, NULL), FTP_E_STATE);
    assert_status(ftp_mlsd(s, "dir", facts, entry_never_called, NULL), FTP_E_STATE);
    assert_status(ftp_nlst(s, NULL, line_never_called, NULL), FTP_E_STATE);
    assert_status(ftp_nlst(s, "dir", line_never_called, NULL), FTP_E_STATE);
    assert_status(ftp_dir(s, "", line_never_called, NULL), FTP_E_STATE);
    assert_status(ftp_dir(s, "dir", line_never_called, NULL), FTP_E_STATE);
}

/* ---- FTP_E_INVALID before FTP_E_STATE ------------------------------------- */

/* Strings a careless caller might pass: each would smuggle in a command. */
static const char *const injections[] = {
    "a\r\nDELE b", "a\r", "a\n", "\r\n", "\n", "a\rb", "a\nb", "\r\nNOOP",
};
#define INJECTION_COUNT (sizeof injections / sizeof injections[0])

static void empty_command_is_invalid(void **state)
{
    ftp_session *s = *state;
    const char *reply = SENTINEL_STRING;

    assert_status(ftp_sendcmd(s, "", &reply), FTP_E_INVALID);
    assert_ptr_equal(reply, SENTINEL_STRING);
    assert_status(ftp_voidcmd(s, ""), FTP_E_INVALID);
}

static void cr_lf_in_login_arguments_is_invalid(void **state)
{
    ftp_session *s = *state;
    size_t i;

    for (i = 0; i < INJECTION_COUNT; i++) {
        const char *bad = injections[i];
        assert_status(ftp_login(s, bad, "secret", NULL), FTP_E_INVALID);
        assert_status(ftp_login(s, "user", bad, NULL), FTP_E_INVALID);
        assert_status(ftp_login(s, "user", "secret", bad), FTP_E_INVALID);
        assert_status(ftp_login(s, NULL, bad, NULL), FTP_E_INVALID);
    }
}

static void cr_lf_in_simple_commands_is_invalid(void **state)
{
    ftp_session *s = *state;
    size_t i;

    for (i = 0; i < INJECTION_COUNT; i++) {
        const char *bad = injections[i];
        const char *text = SENTINEL_STRING;
        uint64_t size = SENTINEL_U64;

        assert_status(ftp_sendcmd(s, bad, &text), FTP_E_INVALID);
        assert_ptr_equal(text, SENTINEL_STRING);
        assert_status(ftp_voidcmd(s, bad), FTP_E_INVALID);
        assert_status(ftp_rename(s, bad, "b"), FTP_E_INVALID);
        assert_status(ftp_rename(s, "a", bad), FTP_E_INVALID);
        assert_status(ftp_delete(s, bad), FTP_E_INVALID);
        assert_status(ftp_cwd(s, bad), FTP_E_INVALID);
        assert_status(ftp_mkd(s, bad, &text), FTP_E_INVALID);
        assert_ptr_equal(text, SENTINEL_STRING);
        assert_status(ftp_rmd(s, bad), FTP_E_INVALID);
        assert_status(ftp_size(s, bad, &size), FTP_E_INVALID);
        assert_true(size == SENTINEL_U64);
    }
}

static void cr_lf_in_transfer_commands_is_invalid(void **state)
{
    ftp_session *s = *state;
    size_t i;

    for (i = 0; i < INJECTION_COUNT; i++) {
        const char *bad = injections[i];
        ftp_data *data = sentinel_data();
        uint64_t size = SENTINEL_U64;

        assert_status(ftp_retrbinary(s, bad, 0, 0, sink_never_called, NULL), FTP_E_INVALID);
        assert_status(ftp_retrlines(s, bad, line_never_called, NULL), FTP_E_INVALID);
        assert_status(ftp_storbinary(s, bad, 0, 0, source_never_called, NULL), FTP_E_INVALID);
        assert_status(ftp_storlines(s, bad, source_never_called, NULL), FTP_E_INVALID);
        assert_status(ftp_transfercmd(s, bad, 0, &data, &size), FTP_E_INVALID);
        assert_ptr_equal(data, sentinel_data());
        assert_true(size == SENTINEL_U64);
    }
}

static void cr_lf_in_listing_paths_and_facts_is_invalid(void **state)
{
    ftp_session *s = *state;
    size_t i;

    for (i = 0; i < INJECTION_COUNT; i++) {
        const char *bad = injections[i];
        const char *const bad_facts[] = {"type", bad, NULL};

        assert_status(ftp_mlsd(s, bad, NULL, entry_never_called, NULL), FTP_E_INVALID);
        assert_status(ftp_mlsd(s, NULL, bad_facts, entry_never_called, NULL), FTP_E_INVALID);
        assert_status(ftp_nlst(s, bad, line_never_called, NULL), FTP_E_INVALID);
        assert_status(ftp_dir(s, bad, line_never_called, NULL), FTP_E_INVALID);
    }
}

/* "0 means 8192; at most 16 MiB" (ftp_retrbinary). */
static void oversized_download_block_is_invalid(void **state)
{
    ftp_session *s = *state;

    assert_status(ftp_retrbinary(s, "RETR a", (16u << 20) + 1, 0, sink_never_called, NULL),
                  FTP_E_INVALID);
    assert_status(ftp_retrbinary(s, "RETR a", (size_t)-1, 0, sink_never_called, NULL),
                  FTP_E_INVALID);
}

/* A refusal changes nothing: the session is as unconnected as before. */
static void refused_arguments_leave_session_unconnected(void **state)
{
    ftp_session *s = *state;

    assert_status(ftp_voidcmd(s, "NOOP\r\nQUIT"), FTP_E_INVALID);
    assert_true(strlen(ftp_last_error(s)) > 0);
    assert_int_equal(ftp_last_reply_code(s), 0);
    assert_string_equal(ftp_last_reply(s), "");
    assert_status(ftp_voidcmd(s, "NOOP"), FTP_E_STATE);
}

#define WITH_SESSION(test) cmocka_unit_test_setup_teardown(test, session_setup, session_teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        WITH_SESSION(login_and_quit_need_a_connection),
        WITH_SESSION(simple_commands_need_a_connection),
        WITH_SESSION(failed_commands_leave_out_parameters_untouched),
        WITH_SESSION(transfers_need_a_connection),
        WITH_SESSION(empty_command_is_invalid),
        WITH_SESSION(cr_lf_in_login_arguments_is_invalid),
        WITH_SESSION(cr_lf_in_simple_commands_is_invalid),
        WITH_SESSION(cr_lf_in_transfer_commands_is_invalid),
        WITH_SESSION(cr_lf_in_listing_paths_and_facts_is_invalid),
        WITH_SESSION(oversized_download_block_is_invalid),
        WITH_SESSION(refused_arguments_leave_session_unconnected),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
