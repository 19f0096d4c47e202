/*
 * ftp_retr_fd() / ftp_stor_fd() argument checks, with no server:
 *
 *  - a NULL session is FTP_E_INVALID;
 *  - a NULL or empty command, or one holding CR or LF, and a negative
 *    descriptor are FTP_E_INVALID even on an unconnected session (arguments
 *    are checked before anything else, as for every transfer call);
 *  - valid arguments on an unconnected session are FTP_E_STATE;
 *  - a refused call leaves the caller's descriptor alone: still open, not
 *    written, not read, not moved;
 *  - FTP_E_FILE is -68 and is named "FTP_E_FILE".
 */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif

#include "api_assert.h"
#include "api_fixtures.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static const char *const injections[] = {
    "RETR a\r\nDELE b", "RETR a\r", "RETR a\n", "\r\n", "\n", "RETR a\rb", "STOR a\nb",
    "\r\nNOOP",
};
#define INJECTION_COUNT (sizeof injections / sizeof injections[0])

static const int negative_fds[] = {-1, -2, -100, INT_MIN};
#define NEGATIVE_COUNT (sizeof negative_fds / sizeof negative_fds[0])

/* A pipe whose read end holds "abc" and is non-blocking, so that a test can
 * tell whether anything was read from it or written into it. */
struct probe_pipe {
    int read_end, write_end;
};

static void probe_open(struct probe_pipe *p)
{
    int fds[2];
    assert_int_equal(pipe(fds), 0);
    p->read_end = fds[0];
    p->write_end = fds[1];
    assert_int_equal(fcntl(p->read_end, F_SETFL, O_NONBLOCK), 0);
    assert_int_equal(write(p->write_end, "abc", 3), 3);
}

/* Fails unless both ends are open and the pipe holds exactly "abc". */
static void probe_check_and_close(struct probe_pipe *p)
{
    char buf[8];
    assert_true(fcntl(p->read_end, F_GETFD) >= 0);
    assert_true(fcntl(p->write_end, F_GETFD) >= 0);
    assert_int_equal(read(p->read_end, buf, sizeof buf), 3);
    assert_memory_equal(buf, "abc", 3);
    assert_int_equal(read(p->read_end, buf, sizeof buf), -1);
    assert_int_equal(errno, EAGAIN);
    close(p->read_end);
    close(p->write_end);
}

/* ---- NULL session ---------------------------------------------------------- */

static void null_session_is_invalid(void **state)
{
    struct probe_pipe p;
    (void)state;
    probe_open(&p);

    assert_status(ftp_retr_fd(NULL, "RETR a", 0, p.write_end), FTP_E_INVALID);
    assert_status(ftp_retr_fd(NULL, "RETR a", 100, p.write_end), FTP_E_INVALID);
    assert_status(ftp_retr_fd(NULL, NULL, 0, -1), FTP_E_INVALID);
    assert_status(ftp_stor_fd(NULL, "STOR a", 0, p.read_end), FTP_E_INVALID);
    assert_status(ftp_stor_fd(NULL, "APPE a", 7, p.read_end), FTP_E_INVALID);
    assert_status(ftp_stor_fd(NULL, NULL, 0, -1), FTP_E_INVALID);

    probe_check_and_close(&p);
}

/* ---- bad commands ---------------------------------------------------------- */

static void null_or_empty_command_is_invalid(void **state)
{
    ftp_session *s = *state;
    struct probe_pipe p;
    probe_open(&p);

    assert_status(ftp_retr_fd(s, NULL, 0, p.write_end), FTP_E_INVALID);
    assert_status(ftp_retr_fd(s, "", 0, p.write_end), FTP_E_INVALID);
    assert_status(ftp_stor_fd(s, NULL, 0, p.read_end), FTP_E_INVALID);
    assert_status(ftp_stor_fd(s, "", 0, p.read_end), FTP_E_INVALID);
    assert_status(ftp_last_error_code(s), FTP_E_INVALID);
    assert_true(strlen(ftp_last_error(s)) > 0);

    probe_check_and_close(&p);
}

static void cr_lf_in_command_is_invalid(void **state)
{
    ftp_session *s = *state;
    struct probe_pipe p;
    size_t i;
    probe_open(&p);

    for (i = 0; i < INJECTION_COUNT; i++) {
        assert_status(ftp_retr_fd(s, injections[i], 0, p.write_end), FTP_E_INVALID);
        assert_status(ftp_retr_fd(s, injections[i], 5, p.write_end), FTP_E_INVALID);
        assert_status(ftp_stor_fd(s, injections[i], 0, p.read_end), FTP_E_INVALID);
        assert_status(ftp_stor_fd(s, injections[i], 5, p.read_end), FTP_E_INVALID);
    }

    probe_check_and_close(&p);
}

/* ---- bad descriptors ------------------------------------------------------- */

static void negative_descriptor_is_invalid(void **state)
{
    ftp_session *s = *state;
    size_t i;

    for (i = 0; i < NEGATIVE_COUNT; i++) {
        assert_status(ftp_retr_fd(s, "RETR a", 0, negative_fds[i]), FTP_E_INVALID);
        assert_status(ftp_retr_fd(s, "RETR a", 1000, negative_fds[i]), FTP_E_INVALID);
        assert_status(ftp_stor_fd(s, "STOR a", 0, negative_fds[i]), FTP_E_INVALID);
        assert_status(ftp_stor_fd(s, "APPE a", 1000, negative_fds[i]), FTP_E_INVALID);
        assert_status(ftp_last_error_code(s), FTP_E_INVALID);
    }
    /* Refusals leave the session as unconnected as before. */
    assert_int_equal(ftp_last_reply_code(s), 0);
    assert_string_equal(ftp_last_reply(s), "");
    assert_status(ftp_voidcmd(s, "NOOP"), FTP_E_STATE);
}

/* ---- unconnected ----------------------------------------------------------- */

static void valid_arguments_need_a_connection(void **state)
{
    ftp_session *s = *state;
    struct probe_pipe p;
    probe_open(&p);

    assert_status(ftp_retr_fd(s, "RETR a", 0, p.write_end), FTP_E_STATE);
    assert_status(ftp_retr_fd(s, "RETR a", 12345, p.write_end), FTP_E_STATE);
    assert_status(ftp_stor_fd(s, "STOR a", 0, p.read_end), FTP_E_STATE);
    assert_status(ftp_stor_fd(s, "APPE a", 12345, p.read_end), FTP_E_STATE);
    assert_status(ftp_last_error_code(s), FTP_E_STATE);
    assert_int_equal(ftp_last_reply_code(s), 0);
    assert_true(ftp_last_transfer_bytes(s) == 0);
    assert_null(ftp_last_transfer_mode(s));

    probe_check_and_close(&p);
}

/* A regular file given to refused calls keeps its position and content. */
static void refused_calls_leave_a_file_alone(void **state)
{
    ftp_session *s = *state;
    FILE *f = tmpfile();
    int fd;
    char buf[16];
    assert_non_null(f);
    fd = fileno(f);
    assert_int_equal(write(fd, "0123456789", 10), 10);
    assert_int_equal(lseek(fd, 4, SEEK_SET), 4);

    assert_status(ftp_retr_fd(s, "RETR a", 4, fd), FTP_E_STATE);
    assert_status(ftp_stor_fd(s, "STOR a", 4, fd), FTP_E_STATE);
    assert_status(ftp_retr_fd(s, "RETR a\r\n", 4, fd), FTP_E_INVALID);
    assert_status(ftp_stor_fd(s, "", 4, fd), FTP_E_INVALID);
    assert_status(ftp_retr_fd(NULL, "RETR a", 4, fd), FTP_E_INVALID);

    assert_int_equal(lseek(fd, 0, SEEK_CUR), 4);
    assert_int_equal(lseek(fd, 0, SEEK_SET), 0);
    assert_int_equal(read(fd, buf, sizeof buf), 10);
    assert_memory_equal(buf, "0123456789", 10);
    fclose(f);
}

/* ---- FTP_E_FILE ------------------------------------------------------------ */

static void file_status_is_named(void **state)
{
    (void)state;
    assert_int_equal(FTP_E_FILE, -68);
    assert_string_equal(ftp_error_name(FTP_E_FILE), "FTP_E_FILE");
    assert_non_null(ftp_strerror(FTP_E_FILE));
    assert_true(ftp_strerror(FTP_E_FILE)[0] != '\0');
    assert_string_not_equal(ftp_strerror(FTP_E_FILE), ftp_strerror(-69));
}

#define WITH_SESSION(test) cmocka_unit_test_setup_teardown(test, session_setup, session_teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(null_session_is_invalid),
        WITH_SESSION(null_or_empty_command_is_invalid),
        WITH_SESSION(cr_lf_in_command_is_invalid),
        WITH_SESSION(negative_descriptor_is_invalid),
        WITH_SESSION(valid_arguments_need_a_connection),
        WITH_SESSION(refused_calls_leave_a_file_alone),
        cmocka_unit_test(file_status_is_named),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
