/*
 * ftp_retr_fd() / ftp_stor_fd() against a real server, 100 MiB at a time,
 * checked by SHA-256: a download into a file (splice) and an upload from a
 * file (sendfile); a resumed download (REST, the descriptor positioned at
 * the partial file's end, and again through O_APPEND, the buffered path);
 * a resumed upload (REST STOR from a positioned descriptor); a download in
 * active mode; a download into a pipe read and hashed by a thread, and an
 * upload from a pipe fed by one.
 * Usage: test_real_fd pyftpdlib|vsftpd 127.0.0.1|::1
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
#include <sys/stat.h>
#include <unistd.h>

#include "real_files.h"
#include "real_pipes.h"
#include "real_server.h"
#include "sha256.h"
#include "test_server.h"

#define MIB (1024ull * 1024)
#define BIG_FILE "big.bin"
#define BIG_SEED 400
#define BIG_SIZE (100 * MIB)
/* Where the partial files of the resume tests end: no block boundary. */
#define PART_SIZE (37 * MIB + 12345)

static real_server server;
static real_kind server_kind;
static const char *server_host;
static char big_hex[SHA256_HEX_SIZE];
static char local_dir[1024]; /* the client's side: files ftpc reads and writes */

static void local_path(const char *name, char *out, size_t cap)
{
    real_join(out, cap, local_dir, name);
}

static int open_path(const char *path, int flags)
{
    int fd = open(path, flags | O_CLOEXEC, 0644);
    if (fd < 0)
        fail_msg("open %s: %s", path, strerror(errno));
    return fd;
}

/* Fails unless the file at @p path has BIG_SIZE bytes with big_hex's hash. */
static void assert_big_file(const char *path)
{
    char hex[SHA256_HEX_SIZE];
    uint64_t size = 0;
    assert_int_equal(sha256_file_hex(path, hex, &size), 0);
    assert_int_equal(size, BIG_SIZE);
    assert_string_equal(hex, big_hex);
}

static int start_server(void **state)
{
    (void)state;
    if (real_server_start(&server, server_kind, server_host, "fd") != 0)
        return -1;
    test_make_dir("fd-local", local_dir, sizeof local_dir);
    char path[1200];
    real_path(&server, BIG_FILE, path, sizeof path);
    return real_write_pattern_file(path, BIG_SEED, BIG_SIZE, big_hex);
}

static const char *const server_files[] = {BIG_FILE, "up.bin", "up-resumed.bin", "up-pipe.bin"};
static const char *const local_files[] = {"down.bin", "partial.bin", "partial-append.bin",
                                          "active.bin", "prefix.bin"};

static int stop_server(void **state)
{
    (void)state;
    real_server_stop(&server);
    /* Hundreds of MiB per run: do not leave them in the build directory. */
    char path[1200];
    for (size_t i = 0; i < sizeof server_files / sizeof server_files[0]; i++) {
        real_path(&server, server_files[i], path, sizeof path);
        unlink(path);
    }
    for (size_t i = 0; i < sizeof local_files / sizeof local_files[0]; i++) {
        local_path(local_files[i], path, sizeof path);
        unlink(path);
    }
    rmdir(local_dir);
    return 0;
}

static void test_retr_fd_100_mib(void **state)
{
    (void)state;
    ftp_session *s = real_login(&server);
    char path[1200];
    local_path("down.bin", path, sizeof path);
    int fd = open_path(path, O_WRONLY | O_CREAT | O_TRUNC);
    REAL_OK(s, ftp_retr_fd(s, "RETR " BIG_FILE, 0, fd));
    assert_int_equal(ftp_last_reply_code(s), 226);
    assert_int_equal(ftp_last_transfer_bytes(s), BIG_SIZE);
    assert_int_equal(lseek(fd, 0, SEEK_CUR), (off_t)BIG_SIZE);
    assert_int_equal(close(fd), 0);
    assert_big_file(path);
    unlink(path);
    real_logout(s);
}

static void test_stor_fd_100_mib(void **state)
{
    (void)state;
    ftp_session *s = real_login(&server);
    char source[1200], stored[1200];
    real_path(&server, BIG_FILE, source, sizeof source);
    int fd = open_path(source, O_RDONLY);
    REAL_OK(s, ftp_stor_fd(s, "STOR up.bin", 0, fd));
    assert_int_equal(ftp_last_reply_code(s), 226);
    assert_int_equal(ftp_last_transfer_bytes(s), BIG_SIZE);
    assert_int_equal(lseek(fd, 0, SEEK_CUR), (off_t)BIG_SIZE); /* left at end of file */
    assert_int_equal(close(fd), 0);
    real_path(&server, "up.bin", stored, sizeof stored);
    assert_big_file(stored);

    uint64_t size = 0;
    REAL_OK(s, ftp_size(s, "up.bin", &size));
    assert_int_equal(size, BIG_SIZE);
    unlink(stored);
    real_logout(s);
}

/* A partial local file, completed by REST with the descriptor at its end:
 * once positioned with lseek(), once through O_APPEND. */
static void test_retr_fd_resume(void **state)
{
    (void)state;
    ftp_session *s = real_login(&server);
    char hex[SHA256_HEX_SIZE];

    char path[1200];
    local_path("partial.bin", path, sizeof path);
    assert_int_equal(real_write_pattern_file(path, BIG_SEED, PART_SIZE, hex), 0);
    int fd = open_path(path, O_WRONLY);
    assert_int_equal(lseek(fd, 0, SEEK_END), (off_t)PART_SIZE);
    REAL_OK(s, ftp_retr_fd(s, "RETR " BIG_FILE, PART_SIZE, fd));
    assert_int_equal(ftp_last_transfer_bytes(s), BIG_SIZE - PART_SIZE);
    assert_int_equal(close(fd), 0);
    assert_big_file(path);
    unlink(path);

    local_path("partial-append.bin", path, sizeof path);
    assert_int_equal(real_write_pattern_file(path, BIG_SEED, PART_SIZE, hex), 0);
    fd = open_path(path, O_WRONLY | O_APPEND);
    REAL_OK(s, ftp_retr_fd(s, "RETR " BIG_FILE, PART_SIZE, fd));
    assert_int_equal(ftp_last_transfer_bytes(s), BIG_SIZE - PART_SIZE);
    assert_int_equal(close(fd), 0);
    assert_big_file(path);
    unlink(path);
    real_logout(s);
}

/* The server holds a prefix (uploaded from a prefix file); REST STOR from
 * the full file positioned at the prefix's end completes it. */
static void test_stor_fd_resume(void **state)
{
    (void)state;
    ftp_session *s = real_login(&server);
    char hex[SHA256_HEX_SIZE], prefix[1200], source[1200], stored[1200];

    local_path("prefix.bin", prefix, sizeof prefix);
    assert_int_equal(real_write_pattern_file(prefix, BIG_SEED, PART_SIZE, hex), 0);
    int fd = open_path(prefix, O_RDONLY);
    REAL_OK(s, ftp_stor_fd(s, "STOR up-resumed.bin", 0, fd));
    assert_int_equal(ftp_last_transfer_bytes(s), PART_SIZE);
    assert_int_equal(close(fd), 0);
    unlink(prefix);
    uint64_t size = 0;
    REAL_OK(s, ftp_size(s, "up-resumed.bin", &size));
    assert_int_equal(size, PART_SIZE);

    real_path(&server, BIG_FILE, source, sizeof source);
    fd = open_path(source, O_RDONLY);
    assert_int_equal(lseek(fd, PART_SIZE, SEEK_SET), (off_t)PART_SIZE);
    REAL_OK(s, ftp_stor_fd(s, "STOR up-resumed.bin", PART_SIZE, fd));
    assert_int_equal(ftp_last_transfer_bytes(s), BIG_SIZE - PART_SIZE);
    assert_int_equal(close(fd), 0);
    real_path(&server, "up-resumed.bin", stored, sizeof stored);
    assert_big_file(stored);
    unlink(stored);
    real_logout(s);
}

static void test_retr_fd_active(void **state)
{
    (void)state;
    ftp_session *s = real_login(&server);
    REAL_OK(s, ftp_set_data_mode(s, FTP_DATA_ACTIVE));
    char path[1200];
    local_path("active.bin", path, sizeof path);
    int fd = open_path(path, O_WRONLY | O_CREAT | O_TRUNC);
    REAL_OK(s, ftp_retr_fd(s, "RETR " BIG_FILE, 0, fd));
    const char *mode = ftp_last_transfer_mode(s);
    assert_non_null(mode);
    if (strcmp(mode, "EPRT") != 0 && strcmp(mode, "PORT") != 0)
        fail_msg("the download used %s, not active mode", mode);
    assert_int_equal(ftp_last_transfer_bytes(s), BIG_SIZE);
    assert_int_equal(close(fd), 0);
    assert_big_file(path);
    unlink(path);
    real_logout(s);
}

static void test_retr_fd_into_pipe(void **state)
{
    (void)state;
    ftp_session *s = real_login(&server);
    int p[2];
    assert_int_equal(pipe2(p, O_CLOEXEC), 0);
    pipe_hasher hasher;
    assert_int_equal(pipe_hasher_start(&hasher, p[0]), 0);
    int rc = ftp_retr_fd(s, "RETR " BIG_FILE, 0, p[1]);
    close(p[1]); /* the hasher sees EOF whatever happened */
    pthread_join(hasher.thread, NULL);
    REAL_OK(s, rc);
    assert_int_equal(ftp_last_transfer_bytes(s), BIG_SIZE);
    assert_int_equal(hasher.failed_errno, 0);
    assert_int_equal(hasher.received, BIG_SIZE);
    assert_string_equal(hasher.hex, big_hex);
    real_logout(s);
}

static void test_stor_fd_from_pipe(void **state)
{
    (void)state;
    ftp_session *s = real_login(&server);
    int p[2];
    assert_int_equal(pipe2(p, O_CLOEXEC), 0);
    pipe_feeder feeder;
    assert_int_equal(pipe_feeder_start(&feeder, p[1], BIG_SEED, BIG_SIZE), 0);
    int rc = ftp_stor_fd(s, "STOR up-pipe.bin", 0, p[0]);
    close(p[0]); /* a feeder still writing gets EPIPE rather than hang */
    pthread_join(feeder.thread, NULL);
    REAL_OK(s, rc);
    assert_int_equal(feeder.failed_errno, 0);
    assert_int_equal(ftp_last_transfer_bytes(s), BIG_SIZE);
    char stored[1200];
    real_path(&server, "up-pipe.bin", stored, sizeof stored);
    assert_big_file(stored);
    unlink(stored);
    real_logout(s);
}

int main(int argc, char **argv)
{
    real_parse_args(argc, argv, &server_kind, &server_host);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_retr_fd_100_mib),
        cmocka_unit_test(test_stor_fd_100_mib),
        cmocka_unit_test(test_retr_fd_resume),
        cmocka_unit_test(test_stor_fd_resume),
        cmocka_unit_test(test_retr_fd_active),
        cmocka_unit_test(test_retr_fd_into_pipe),
        cmocka_unit_test(test_stor_fd_from_pipe),
    };
    char name[128];
    snprintf(name, sizeof name, "real ftp_retr_fd / ftp_stor_fd: %s on %s",
             real_kind_name(server_kind), server_host);
    return cmocka_run_group_tests_name(name, tests, start_server, stop_server);
}
