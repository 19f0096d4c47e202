/*
 * ftp_retr_fd() / ftp_stor_fd() over protected data connections (explicit
 * FTPS, PROT P, verification on; vsftpd with require_ssl_reuse=YES), where
 * the bytes go through the library's buffer instead of splice/sendfile:
 * a download into a file and an upload from a file, a resumed download
 * (REST, positioned descriptor), a download into a pipe read by a thread,
 * an upload from a pipe fed by one; then descriptors that fail (/dev/full,
 * a directory): FTP_E_FILE, the transfer stopped with an in-band ABOR, the
 * session still in step.  Every data connection, the stopped ones
 * included, must be encrypted and resume the control connection's TLS
 * session.
 * Usage: test_tls_fd pyftpdlib|vsftpd 127.0.0.1|::1
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <ftpc/ftpc.h>

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "real_files.h"
#include "real_pipes.h"
#include "real_server.h"
#include "sha256.h"
#include "test_server.h"
#include "tls_server.h"
#include "tls_session.h"
#include "tls_transfers.h"

#define MIB (1024ull * 1024)
#define FILE_NAME "fd.bin"
#define FILE_SEED 500
#define FILE_SIZE (6 * MIB + 321)
#define PART_SIZE (2 * MIB + 77)

static real_server server;
static real_kind server_kind;
static const char *server_host;
static char file_hex[SHA256_HEX_SIZE];
static char local_dir[1024];

static int start_server(void **state)
{
    (void)state;
    if (tls_server_start(&server, server_kind, server_host, "tls-fd", NULL) != 0)
        return -1;
    test_make_dir("tls-fd-local", local_dir, sizeof local_dir);
    char path[1200];
    real_path(&server, FILE_NAME, path, sizeof path);
    return real_write_pattern_file(path, FILE_SEED, FILE_SIZE, file_hex);
}

static const char *const server_files[] = {FILE_NAME, "up.bin", "up-pipe.bin", "from-dir.bin"};
static const char *const local_files[] = {"down.bin", "partial.bin"};

static int stop_server(void **state)
{
    (void)state;
    real_server_stop(&server);
    char path[1200];
    for (size_t i = 0; i < sizeof server_files / sizeof server_files[0]; i++) {
        real_path(&server, server_files[i], path, sizeof path);
        unlink(path);
    }
    for (size_t i = 0; i < sizeof local_files / sizeof local_files[0]; i++) {
        real_join(path, sizeof path, local_dir, local_files[i]);
        unlink(path);
    }
    rmdir(local_dir);
    return 0;
}

static void label_for(char *out, size_t cap, const char *test)
{
    snprintf(out, cap, "%s %s %s", real_kind_name(server_kind), server_host, test);
}

static int open_path(const char *path, int flags)
{
    int fd = open(path, flags | O_CLOEXEC, 0644);
    if (fd < 0)
        fail_msg("open %s: %s", path, strerror(errno));
    return fd;
}

static void assert_file_is_the_pattern(const char *path)
{
    char hex[SHA256_HEX_SIZE];
    uint64_t size = 0;
    assert_int_equal(sha256_file_hex(path, hex, &size), 0);
    assert_int_equal(size, FILE_SIZE);
    assert_string_equal(hex, file_hex);
}

/* Counts the data connection, and requires it to have resumed: the check
 * the issue asks for, made right where it happens. */
static void tally(tls_tally *t, ftp_session *s, const char *what)
{
    tls_tally_data(t, s, what);
    assert_int_equal(ftp_last_transfer_tls_resumed(s), 1);
}

/* ---- tests ----------------------------------------------------------------- */

static void test_fd_transfers_over_prot_p(void **state)
{
    (void)state;
    char label[160];
    label_for(label, sizeof label, "fd transfers");
    tls_tally t;
    tls_tally_init(&t, label, FTP_TLS_VERSION_ANY);
    ftp_session *s = tls_login(&server, FTP_TLS_EXPLICIT, FTP_TLS_VERSION_ANY);
    char path[1200], stored[1200];

    /* Download into a file. */
    real_join(path, sizeof path, local_dir, "down.bin");
    int fd = open_path(path, O_WRONLY | O_CREAT | O_TRUNC);
    REAL_OK(s, ftp_retr_fd(s, "RETR " FILE_NAME, 0, fd));
    tally(&t, s, "RETR into a file");
    assert_int_equal(ftp_last_reply_code(s), 226);
    assert_int_equal(ftp_last_transfer_bytes(s), FILE_SIZE);
    assert_int_equal(lseek(fd, 0, SEEK_CUR), (off_t)FILE_SIZE);
    assert_int_equal(close(fd), 0);
    assert_file_is_the_pattern(path);

    /* Upload that file back under another name. */
    fd = open_path(path, O_RDONLY);
    REAL_OK(s, ftp_stor_fd(s, "STOR up.bin", 0, fd));
    tally(&t, s, "STOR from a file");
    assert_int_equal(ftp_last_reply_code(s), 226);
    assert_int_equal(ftp_last_transfer_bytes(s), FILE_SIZE);
    assert_int_equal(lseek(fd, 0, SEEK_CUR), (off_t)FILE_SIZE);
    assert_int_equal(close(fd), 0);
    unlink(path);
    real_path(&server, "up.bin", stored, sizeof stored);
    assert_file_is_the_pattern(stored);
    unlink(stored);

    /* Resume a partial download. */
    char hex[SHA256_HEX_SIZE];
    real_join(path, sizeof path, local_dir, "partial.bin");
    assert_int_equal(real_write_pattern_file(path, FILE_SEED, PART_SIZE, hex), 0);
    fd = open_path(path, O_WRONLY);
    assert_int_equal(lseek(fd, 0, SEEK_END), (off_t)PART_SIZE);
    REAL_OK(s, ftp_retr_fd(s, "RETR " FILE_NAME, PART_SIZE, fd));
    tally(&t, s, "RETR with REST into a file");
    assert_int_equal(ftp_last_transfer_bytes(s), FILE_SIZE - PART_SIZE);
    assert_int_equal(close(fd), 0);
    assert_file_is_the_pattern(path);
    unlink(path);

    /* Download into a pipe read by a thread. */
    int p[2];
    assert_int_equal(pipe2(p, O_CLOEXEC), 0);
    pipe_hasher hasher;
    assert_int_equal(pipe_hasher_start(&hasher, p[0]), 0);
    int rc = ftp_retr_fd(s, "RETR " FILE_NAME, 0, p[1]);
    close(p[1]);
    pthread_join(hasher.thread, NULL);
    REAL_OK(s, rc);
    tally(&t, s, "RETR into a pipe");
    assert_int_equal(hasher.failed_errno, 0);
    assert_int_equal(hasher.received, FILE_SIZE);
    assert_string_equal(hasher.hex, file_hex);

    /* Upload from a pipe fed by a thread. */
    assert_int_equal(pipe2(p, O_CLOEXEC), 0);
    pipe_feeder feeder;
    assert_int_equal(pipe_feeder_start(&feeder, p[1], FILE_SEED, FILE_SIZE), 0);
    rc = ftp_stor_fd(s, "STOR up-pipe.bin", 0, p[0]);
    close(p[0]);
    pthread_join(feeder.thread, NULL);
    REAL_OK(s, rc);
    tally(&t, s, "STOR from a pipe");
    assert_int_equal(feeder.failed_errno, 0);
    assert_int_equal(ftp_last_transfer_bytes(s), FILE_SIZE);
    real_path(&server, "up-pipe.bin", stored, sizeof stored);
    assert_file_is_the_pattern(stored);
    unlink(stored);

    tls_tally_finish(&t);
    real_logout(s);
}

static void test_fd_failures_over_prot_p(void **state)
{
    (void)state;
    char label[160];
    label_for(label, sizeof label, "fd failures");
    tls_tally t;
    tls_tally_init(&t, label, FTP_TLS_VERSION_ANY);
    ftp_session *s = tls_login(&server, FTP_TLS_EXPLICIT, FTP_TLS_VERSION_ANY);

    int fd = open("/dev/full", O_WRONLY | O_CLOEXEC);
    assert_true(fd >= 0);
    REAL_RC(s, FTP_E_FILE, ftp_retr_fd(s, "RETR " FILE_NAME, 0, fd));
    close(fd);
    tally(&t, s, "RETR into /dev/full");
    if (strstr(ftp_last_error(s), strerror(ENOSPC)) == NULL)
        fail_msg("ftp_last_error: %s", ftp_last_error(s));
    assert_int_equal(ftp_last_transfer_bytes(s), 0);
    tls_assert_session_works(s, &t, "LIST after /dev/full", FILE_NAME);

    fd = open(local_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    assert_true(fd >= 0);
    REAL_RC(s, FTP_E_FILE, ftp_stor_fd(s, "STOR from-dir.bin", 0, fd));
    close(fd);
    tally(&t, s, "STOR from a directory");
    if (strstr(ftp_last_error(s), strerror(EISDIR)) == NULL)
        fail_msg("ftp_last_error: %s", ftp_last_error(s));
    assert_int_equal(ftp_last_transfer_bytes(s), 0);
    tls_assert_session_works(s, &t, "LIST after the directory", FILE_NAME);
    char stored[1200];
    real_path(&server, "from-dir.bin", stored, sizeof stored);
    unlink(stored);

    tls_tally_finish(&t);
    real_logout(s);
}

int main(int argc, char **argv)
{
    tls_skip_unless_built_with_tls("test_tls_fd");
    real_parse_args(argc, argv, &server_kind, &server_host);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fd_transfers_over_prot_p),
        cmocka_unit_test(test_fd_failures_over_prot_p),
    };
    return cmocka_run_group_tests(tests, start_server, stop_server);
}
