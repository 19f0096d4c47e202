/*
 * Aborting transfers on a real server: a sink that says stop in the middle
 * of a 100 MiB download or on a 100-byte file the server has already sent,
 * ftp_abort() on a transfercmd stream, ftp_abort() with no transfer, an
 * upload source that says stop; after each the
 * session must still work, and an interrupted transfer must resume with
 * REST to the exact bytes (SHA-256 of the whole file).
 * Usage: test_real_abort pyftpdlib|vsftpd 127.0.0.1|::1
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <ftpc/ftpc.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "real_callbacks.h"
#include "real_files.h"
#include "real_server.h"
#include "sha256.h"

static real_server server;
static real_kind server_kind;
static const char *server_host;

#define BIG_FILE "big.bin"
#define BIG_SEED 200
#define BIG_SIZE (100ull * 1024 * 1024)
#define SMALL_FILE "small.bin"
#define SMALL_SEED 201
#define SMALL_SIZE 300001
#define TINY_FILE "tiny.bin" /* the first SMALL_FILE bytes */
#define TINY_SIZE 100
#define MIB (1024ull * 1024)

static char big_hex[SHA256_HEX_SIZE];
static unsigned char *small_bytes;

static int start_server(void **state)
{
    (void)state;
    if (real_server_start(&server, server_kind, server_host, "abort") != 0)
        return -1;
    char path[1200];
    real_path(&server, BIG_FILE, path, sizeof path);
    if (real_write_pattern_file(path, BIG_SEED, BIG_SIZE, big_hex) != 0)
        return -1;
    small_bytes = real_pattern(SMALL_SEED, SMALL_SIZE);
    real_path(&server, TINY_FILE, path, sizeof path);
    if (real_write_file(path, small_bytes, TINY_SIZE) != 0)
        return -1;
    real_path(&server, SMALL_FILE, path, sizeof path);
    return real_write_file(path, small_bytes, SMALL_SIZE);
}

static int stop_server(void **state)
{
    (void)state;
    real_server_stop(&server);
    static const char *const big_files[] = {BIG_FILE, "resumed-upload.bin"};
    for (size_t i = 0; i < 2; i++) {
        char path[1200];
        real_path(&server, big_files[i], path, sizeof path);
        unlink(path);
    }
    free(small_bytes);
    return 0;
}

/* The session is in step: PWD answers, and a complete small download works. */
static void assert_session_works(ftp_session *s)
{
    const char *cwd = NULL;
    REAL_OK(s, ftp_pwd(s, &cwd));
    assert_string_equal(cwd, "/");
    byte_sink sink = {0};
    REAL_OK(s, ftp_retrbinary(s, "RETR " SMALL_FILE, 0, 0, byte_sink_fn, &sink));
    assert_int_equal(sink.len, SMALL_SIZE);
    assert_memory_equal(sink.data, small_bytes, SMALL_SIZE);
    byte_sink_free(&sink);
}

static void test_sink_stops_mid_download(void **state)
{
    (void)state;
    ftp_session *s = real_login(&server);
    hash_sink sink;
    hash_sink_init(&sink, 4 * MIB);
    REAL_RC(s, FTP_E_ABORTED,
            ftp_retrbinary(s, "RETR " BIG_FILE, 65536, 0, hash_sink_fn, &sink));
    /* The sink was not called again after it said stop. */
    assert_true(sink.received >= 4 * MIB);
    assert_true(sink.received < 4 * MIB + 65536);
    real_assert_abort_answered(s);
    assert_session_works(s);
    real_logout(s);
}

static int stop_at_once(const void *data, size_t len, void *userdata)
{
    (void)data;
    (void)len;
    (*(int *)userdata)++;
    return 1;
}

static void test_sink_stops_on_tiny_file(void **state)
{
    (void)state;
    /* 100 bytes, one block: the server has usually finished (and may have
     * sent its 226) before the sink says stop, so the transfer's own reply
     * and ABOR's answer race.  Whichever way it goes, the call returns
     * FTP_E_ABORTED with nothing left unread.  Repeated, because it is a
     * race. */
    ftp_session *s = real_login(&server);
    for (int i = 0; i < 20; i++) {
        int calls = 0;
        REAL_RC(s, FTP_E_ABORTED,
                ftp_retrbinary(s, "RETR " TINY_FILE, 0, 0, stop_at_once, &calls));
        assert_int_equal(calls, 1);
        assert_session_works(s);
    }
    real_logout(s);
}

static void test_ftp_abort_on_stream(void **state)
{
    (void)state;
    ftp_session *s = real_login(&server);
    REAL_OK(s, ftp_voidcmd(s, "TYPE I"));
    ftp_data *d = NULL;
    REAL_OK(s, ftp_transfercmd(s, "RETR " BIG_FILE, 0, &d, NULL));
    static unsigned char buf[65536];
    uint64_t received = 0;
    for (int i = 0; i < 100000 && received < 5 * MIB; i++) {
        size_t n = 0;
        REAL_OK(s, ftp_data_read(d, buf, sizeof buf, &n));
        if (n == 0)
            break;
        received += n;
    }
    assert_true(received >= 5 * MIB);
    REAL_OK(s, ftp_abort(s)); /* closes the stream, d is gone */
    real_assert_abort_answered(s);
    assert_session_works(s);
    real_logout(s);
}

static void test_ftp_abort_without_transfer(void **state)
{
    (void)state;
    ftp_session *s = real_login(&server);
    REAL_OK(s, ftp_abort(s));
    /* Nothing to abort: both servers answer 225 alone. */
    assert_int_equal(ftp_last_reply_code(s), 225);
    assert_session_works(s);
    real_logout(s);
}

static void test_interrupted_download_resumes(void **state)
{
    (void)state;
    ftp_session *s = real_login(&server);
    hash_sink sink;
    hash_sink_init(&sink, 37 * MIB + 12345);
    REAL_RC(s, FTP_E_ABORTED,
            ftp_retrbinary(s, "RETR " BIG_FILE, 100000, 0, hash_sink_fn, &sink));
    uint64_t first_part = sink.received;
    assert_true(first_part >= 37 * MIB + 12345 && first_part < BIG_SIZE);
    /* Resume where the bytes stopped; the same hash runs on. */
    sink.stop_after = 0;
    REAL_OK(s, ftp_retrbinary(s, "RETR " BIG_FILE, 100000, first_part, hash_sink_fn, &sink));
    assert_int_equal(sink.received, BIG_SIZE);
    char hex[SHA256_HEX_SIZE];
    hash_sink_hex(&sink, hex);
    assert_string_equal(hex, big_hex);
    real_logout(s);
}

static void test_interrupted_upload_resumes(void **state)
{
    (void)state;
    ftp_session *s = real_login(&server);
    pattern_source src = {BIG_SEED, 0, BIG_SIZE, 30 * MIB};
    REAL_RC(s, FTP_E_ABORTED,
            ftp_storbinary(s, "STOR resumed-upload.bin", 65536, 0, pattern_source_fn, &src));
    const char *cwd = NULL;
    REAL_OK(s, ftp_pwd(s, &cwd));

    /* The server kept a prefix of what the source handed out; ask how much
     * and send the rest from there. */
    uint64_t kept = 0;
    REAL_OK(s, ftp_voidcmd(s, "TYPE I"));
    REAL_OK(s, ftp_size(s, "resumed-upload.bin", &kept));
    assert_true(kept <= src.offset);
    pattern_source rest = {BIG_SEED, kept, BIG_SIZE, 0};
    REAL_OK(s, ftp_storbinary(s, "STOR resumed-upload.bin", 65536, kept, pattern_source_fn,
                              &rest));

    char path[1200], hex[SHA256_HEX_SIZE];
    uint64_t stored = 0;
    real_path(&server, "resumed-upload.bin", path, sizeof path);
    assert_int_equal(sha256_file_hex(path, hex, &stored), 0);
    assert_int_equal(stored, BIG_SIZE);
    assert_string_equal(hex, big_hex);
    assert_session_works(s);
    real_logout(s);
}

int main(int argc, char **argv)
{
    real_parse_args(argc, argv, &server_kind, &server_host);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sink_stops_mid_download),
        cmocka_unit_test(test_sink_stops_on_tiny_file),
        cmocka_unit_test(test_ftp_abort_on_stream),
        cmocka_unit_test(test_ftp_abort_without_transfer),
        cmocka_unit_test(test_interrupted_download_resumes),
        cmocka_unit_test(test_interrupted_upload_resumes),
    };
    char name[128];
    snprintf(name, sizeof name, "real abort: %s on %s", real_kind_name(server_kind),
             server_host);
    return cmocka_run_group_tests_name(name, tests, start_server, stop_server);
}
