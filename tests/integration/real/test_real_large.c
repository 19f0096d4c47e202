/*
 * A 100 MiB binary file through a real server, both ways, checked by
 * SHA-256: the test writes deterministic pseudo-random content into the
 * server's root, downloads it (hashing on the fly), uploads the same stream
 * and hashes the file the server wrote.  The SHA-256 used is checked
 * against the standard's test vectors first.
 * Usage: test_real_large pyftpdlib|vsftpd 127.0.0.1|::1
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
#define BIG_UPLOAD "big-upload.bin"
#define BIG_SEED 100
#define BIG_SIZE (100ull * 1024 * 1024)
#define BLOCK_SIZE 65536

static char big_hex[SHA256_HEX_SIZE];

static int start_server(void **state)
{
    (void)state;
    if (real_server_start(&server, server_kind, server_host, "large") != 0)
        return -1;
    char path[1200];
    real_path(&server, BIG_FILE, path, sizeof path);
    return real_write_pattern_file(path, BIG_SEED, BIG_SIZE, big_hex);
}

static int stop_server(void **state)
{
    (void)state;
    real_server_stop(&server);
    /* 200 MiB per run: do not leave them in the build directory. */
    char path[1200];
    real_path(&server, BIG_FILE, path, sizeof path);
    unlink(path);
    real_path(&server, BIG_UPLOAD, path, sizeof path);
    unlink(path);
    return 0;
}

static void assert_sha256(const void *data, size_t len, const char *expected)
{
    sha256_ctx ctx;
    unsigned char digest[SHA256_DIGEST_SIZE];
    char hex[SHA256_HEX_SIZE];
    sha256_init(&ctx);
    sha256_update(&ctx, data, len);
    sha256_final(&ctx, digest);
    sha256_hex(digest, hex);
    assert_string_equal(hex, expected);

    /* The same bytes fed one at a time must give the same digest. */
    sha256_init(&ctx);
    for (size_t i = 0; i < len; i++)
        sha256_update(&ctx, (const unsigned char *)data + i, 1);
    sha256_final(&ctx, digest);
    sha256_hex(digest, hex);
    assert_string_equal(hex, expected);
}

static void test_sha256_known_answers(void **state)
{
    (void)state;
    /* FIPS 180-4 examples (NIST CSRC "SHA256.pdf"). */
    assert_sha256("", 0, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    assert_sha256("abc", 3, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    static const char two_blocks[] = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    assert_sha256(two_blocks, strlen(two_blocks),
                  "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    size_t million = 1000000;
    char *as = malloc(million);
    assert_non_null(as);
    memset(as, 'a', million);
    assert_sha256(as, million, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
    free(as);
}

static void test_download_100_mib(void **state)
{
    (void)state;
    ftp_session *s = real_login(&server);
    REAL_OK(s, ftp_voidcmd(s, "TYPE I"));
    uint64_t size = 0;
    REAL_OK(s, ftp_size(s, BIG_FILE, &size));
    assert_int_equal(size, BIG_SIZE);

    hash_sink sink;
    hash_sink_init(&sink, 0);
    REAL_OK(s, ftp_retrbinary(s, "RETR " BIG_FILE, BLOCK_SIZE, 0, hash_sink_fn, &sink));
    assert_int_equal(ftp_last_reply_code(s), 226);
    assert_int_equal(sink.received, BIG_SIZE);
    char hex[SHA256_HEX_SIZE];
    hash_sink_hex(&sink, hex);
    assert_string_equal(hex, big_hex);
    real_logout(s);
}

static void test_upload_100_mib(void **state)
{
    (void)state;
    ftp_session *s = real_login(&server);
    pattern_source src = {BIG_SEED, 0, BIG_SIZE, 0};
    REAL_OK(s, ftp_storbinary(s, "STOR " BIG_UPLOAD, BLOCK_SIZE, 0, pattern_source_fn, &src));
    assert_int_equal(ftp_last_reply_code(s), 226);
    assert_int_equal(src.offset, BIG_SIZE);

    char path[1200], hex[SHA256_HEX_SIZE];
    uint64_t stored = 0;
    real_path(&server, BIG_UPLOAD, path, sizeof path);
    assert_int_equal(sha256_file_hex(path, hex, &stored), 0);
    assert_int_equal(stored, BIG_SIZE);
    assert_string_equal(hex, big_hex);

    uint64_t size = 0;
    REAL_OK(s, ftp_voidcmd(s, "TYPE I"));
    REAL_OK(s, ftp_size(s, BIG_UPLOAD, &size));
    assert_int_equal(size, BIG_SIZE);
    real_logout(s);
}

int main(int argc, char **argv)
{
    real_parse_args(argc, argv, &server_kind, &server_host);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sha256_known_answers),
        cmocka_unit_test(test_download_100_mib),
        cmocka_unit_test(test_upload_100_mib),
    };
    char name[128];
    snprintf(name, sizeof name, "real 100 MiB: %s on %s", real_kind_name(server_kind),
             server_host);
    return cmocka_run_group_tests_name(name, tests, start_server, stop_server);
}
