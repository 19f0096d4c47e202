#include "tls_transfers.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "real_callbacks.h"
#include "real_files.h"

void tls_list_expecting(ftp_session *s, tls_tally *t, const char *what, const char *expect)
{
    line_list lines = {0};
    REAL_OK(s, ftp_dir(s, NULL, line_list_fn, &lines));
    tls_tally_data(t, s, what);
    if (line_list_find_part(&lines, expect) < 0)
        fail_msg("%s: LIST does not show %s (%zu lines)", what, expect, lines.count);
    line_list_free(&lines);
}

void tls_assert_session_works(ftp_session *s, tls_tally *t, const char *what, const char *expect)
{
    const char *cwd = NULL;
    REAL_OK(s, ftp_pwd(s, &cwd));
    assert_string_equal(cwd, "/");
    tls_list_expecting(s, t, what, expect);
}

void tls_nlst_expecting(ftp_session *s, tls_tally *t, const char *what, const char *expect)
{
    line_list names = {0};
    REAL_OK(s, ftp_nlst(s, NULL, line_list_fn, &names));
    tls_tally_data(t, s, what);
    if (line_list_find_part(&names, expect) < 0)
        fail_msg("%s: NLST does not name %s (%zu names)", what, expect, names.count);
    line_list_free(&names);
}

/* The SHA-256 of bytes [0, len) of the pseudo-random stream @p seed. */
static void pattern_hex(uint64_t seed, uint64_t len, char hex[SHA256_HEX_SIZE])
{
    static unsigned char block[65536];
    sha256_ctx sha;
    sha256_init(&sha);
    for (uint64_t off = 0; off < len; off += sizeof block) {
        size_t n = len - off < sizeof block ? (size_t)(len - off) : sizeof block;
        real_fill(seed, off, block, n);
        sha256_update(&sha, block, n);
    }
    unsigned char digest[SHA256_DIGEST_SIZE];
    sha256_final(&sha, digest);
    sha256_hex(digest, hex);
}

void tls_store_and_fetch(ftp_session *s, const real_server *srv, tls_tally *t,
                         const char *name, uint64_t seed, uint64_t size)
{
    char cmd[512], path[1200];
    char want[SHA256_HEX_SIZE], got[SHA256_HEX_SIZE];
    pattern_hex(seed, size, want);

    snprintf(cmd, sizeof cmd, "STOR %s", name);
    pattern_source src = {seed, 0, size, 0};
    REAL_OK(s, ftp_storbinary(s, cmd, 65536, 0, pattern_source_fn, &src));
    tls_tally_data(t, s, cmd);
    assert_int_equal(ftp_last_transfer_bytes(s), size);
    uint64_t stored = 0;
    real_path(srv, name, path, sizeof path);
    if (sha256_file_hex(path, got, &stored) != 0)
        fail_msg("%s: the server stored no %s", cmd, path);
    assert_int_equal(stored, size);
    assert_string_equal(got, want);

    snprintf(cmd, sizeof cmd, "RETR %s", name);
    hash_sink sink;
    hash_sink_init(&sink, 0);
    REAL_OK(s, ftp_retrbinary(s, cmd, 65536, 0, hash_sink_fn, &sink));
    tls_tally_data(t, s, cmd);
    assert_int_equal(sink.received, size);
    assert_int_equal(ftp_last_transfer_bytes(s), size);
    hash_sink_hex(&sink, got);
    assert_string_equal(got, want);
}
