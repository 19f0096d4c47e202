/*
 * Transfers and listings against a real server: retrbinary (block size,
 * REST), retrlines, storbinary (REST resume, APPE), storlines and its line
 * endings, the ASCII round trip, transfercmd streams, MLSD, NLST and LIST.
 * The server's root is a local directory, so every upload is checked
 * byte for byte in the file the server wrote.
 * Usage: test_real_transfer pyftpdlib|vsftpd 127.0.0.1|::1
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <ftpc/ftpc.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "real_callbacks.h"
#include "real_files.h"
#include "real_server.h"

static real_server server;
static real_kind server_kind;
static const char *server_host;

/* Served files, written by the group setup. */
#define DATA_FILE "data.bin"
#define DATA_SEED 1
#define DATA_SIZE 100000 /* not a multiple of any block size used below */
#define TEXT_FILE "text-lf.txt"
#define TEXT_CONTENT "alpha\nbeta\n\ngamma" /* the last line has no LF */

static unsigned char *data_bytes;

static int start_server(void **state)
{
    (void)state;
    if (real_server_start(&server, server_kind, server_host, "transfer") != 0)
        return -1;
    char path[1200];
    data_bytes = real_pattern(DATA_SEED, DATA_SIZE);
    real_path(&server, DATA_FILE, path, sizeof path);
    if (real_write_file(path, data_bytes, DATA_SIZE) != 0)
        return -1;
    real_path(&server, TEXT_FILE, path, sizeof path);
    return real_write_file(path, TEXT_CONTENT, strlen(TEXT_CONTENT));
}

static int stop_server(void **state)
{
    (void)state;
    real_server_stop(&server);
    free(data_bytes);
    return 0;
}

/* Fails the test unless the server-side file @p name holds exactly @p len
 * bytes of @p expected. */
static void assert_server_file(const char *name, const void *expected, size_t len)
{
    char path[1200];
    real_path(&server, name, path, sizeof path);
    size_t got_len = 0;
    unsigned char *got = real_read_file(path, &got_len);
    if (got == NULL)
        fail_msg("the server wrote no %s", name);
    assert_int_equal(got_len, len);
    assert_memory_equal(got, expected, len);
    free(got);
}

static void assert_lines(const line_list *lines, const char *const *expected, size_t n)
{
    assert_int_equal(lines->count, n);
    for (size_t i = 0; i < n; i++) {
        assert_string_equal(lines->lines[i], expected[i]);
        assert_int_equal(lines->lens[i], strlen(expected[i]));
    }
}

/* ---- downloads ---- */

static void test_retrbinary_block_sizes(void **state)
{
    (void)state;
    ftp_session *s = real_login(&server);
    byte_sink sink = {0};
    REAL_OK(s, ftp_retrbinary(s, "RETR " DATA_FILE, 1000, 0, byte_sink_fn, &sink));
    assert_int_equal(ftp_last_reply_code(s), 226);
    assert_int_equal(sink.len, DATA_SIZE);
    assert_memory_equal(sink.data, data_bytes, DATA_SIZE);
    assert_true(sink.largest_block <= 1000);
    byte_sink_free(&sink);

    /* Block size 0 means 8192. */
    REAL_OK(s, ftp_retrbinary(s, "RETR " DATA_FILE, 0, 0, byte_sink_fn, &sink));
    assert_int_equal(sink.len, DATA_SIZE);
    assert_memory_equal(sink.data, data_bytes, DATA_SIZE);
    assert_true(sink.largest_block <= 8192);
    byte_sink_free(&sink);
    real_logout(s);
}

static void test_retrbinary_rest(void **state)
{
    (void)state;
    ftp_session *s = real_login(&server);
    byte_sink sink = {0};
    REAL_OK(s, ftp_retrbinary(s, "RETR " DATA_FILE, 4096, 12345, byte_sink_fn, &sink));
    assert_int_equal(sink.len, DATA_SIZE - 12345);
    assert_memory_equal(sink.data, data_bytes + 12345, DATA_SIZE - 12345);
    byte_sink_free(&sink);
    real_logout(s);
}

static void test_retrbinary_missing_file(void **state)
{
    (void)state;
    ftp_session *s = real_login(&server);
    byte_sink sink = {0};
    REAL_RC(s, FTP_E_PERM, ftp_retrbinary(s, "RETR no-such-file", 0, 0, byte_sink_fn, &sink));
    assert_int_equal(ftp_last_reply_code(s), 550);
    assert_int_equal(sink.calls, 0);
    /* Refused before any data: the next transfer works. */
    REAL_OK(s, ftp_retrbinary(s, "RETR " DATA_FILE, 0, 0, byte_sink_fn, &sink));
    assert_int_equal(sink.len, DATA_SIZE);
    byte_sink_free(&sink);
    real_logout(s);
}

static void test_retrlines_text_file(void **state)
{
    (void)state;
    /* pyftpdlib turns LF into CRLF in ASCII mode, vsftpd (ascii_download_enable
     * off) sends the LF file as it is: the lines are the same either way. */
    ftp_session *s = real_login(&server);
    line_list lines = {0};
    REAL_OK(s, ftp_retrlines(s, "RETR " TEXT_FILE, line_list_fn, &lines));
    static const char *const expected[] = {"alpha", "beta", "", "gamma"};
    assert_lines(&lines, expected, 4);
    line_list_free(&lines);
    real_logout(s);
}

/* ---- uploads ---- */

static void test_storbinary(void **state)
{
    (void)state;
    enum { SIZE = 200003 };
    unsigned char *bytes = real_pattern(2, SIZE);
    ftp_session *s = real_login(&server);
    memory_source src = {bytes, SIZE, 0, 0, 0};
    REAL_OK(s, ftp_storbinary(s, "STOR up.bin", 4096, 0, memory_source_fn, &src));
    assert_int_equal(ftp_last_reply_code(s), 226);
    assert_server_file("up.bin", bytes, SIZE);

    /* Uploading over it replaces it; an empty upload makes an empty file. */
    memory_source empty = {bytes, 0, 0, 0, 0};
    REAL_OK(s, ftp_storbinary(s, "STOR up.bin", 0, 0, memory_source_fn, &empty));
    assert_server_file("up.bin", bytes, 0);
    real_logout(s);
    free(bytes);
}

static void test_storbinary_rest_resume(void **state)
{
    (void)state;
    enum { SIZE = 150001, HALF = 70000 };
    unsigned char *bytes = real_pattern(3, SIZE);
    ftp_session *s = real_login(&server);
    /* An interrupted upload left the first part... */
    memory_source first = {bytes, HALF, 0, 0, 0};
    REAL_OK(s, ftp_storbinary(s, "STOR resumed.bin", 0, 0, memory_source_fn, &first));
    assert_server_file("resumed.bin", bytes, HALF);
    /* ...and REST + STOR writes the rest from that offset. */
    memory_source rest = {bytes + HALF, SIZE - HALF, 0, 0, 0};
    REAL_OK(s, ftp_storbinary(s, "STOR resumed.bin", 0, HALF, memory_source_fn, &rest));
    assert_int_equal(ftp_last_reply_code(s), 226);
    assert_server_file("resumed.bin", bytes, SIZE);
    real_logout(s);
    free(bytes);
}

static void test_storbinary_append(void **state)
{
    (void)state;
    enum { SIZE = 90000, FIRST = 33333 };
    unsigned char *bytes = real_pattern(4, SIZE);
    ftp_session *s = real_login(&server);
    memory_source first = {bytes, FIRST, 0, 0, 0};
    REAL_OK(s, ftp_storbinary(s, "STOR appended.bin", 0, 0, memory_source_fn, &first));
    memory_source second = {bytes + FIRST, SIZE - FIRST, 0, 0, 0};
    REAL_OK(s, ftp_storbinary(s, "APPE appended.bin", 0, 0, memory_source_fn, &second));
    assert_server_file("appended.bin", bytes, SIZE);
    real_logout(s);
    free(bytes);
}

/* What the server stores for a TYPE A upload whose wire text is @p wire
 * (CRLF line ends): pyftpdlib converts CRLF to LF; vsftpd, with its default
 * ascii_upload_enable=NO, stores the wire bytes, so its file shows exactly
 * what ftpc sent. */
static const char *stored_text(const char *wire_crlf, const char *lf_only)
{
    return server_kind == REAL_VSFTPD ? wire_crlf : lf_only;
}

static void storlines_case(ftp_session *s, size_t max_chunk)
{
    static const char input[] = "one\ntwo\r\nthree\n\nlast";
    memory_source src = {(const unsigned char *)input, strlen(input), 0, max_chunk, 0};
    REAL_OK(s, ftp_storlines(s, "STOR lines.txt", memory_source_fn, &src));
    assert_int_equal(ftp_last_reply_code(s), 226);
    /* The last line, without LF, is ended as ftplib ends it. */
    const char *expected =
        stored_text("one\r\ntwo\r\nthree\r\n\r\nlast\r\n", "one\ntwo\nthree\n\nlast\n");
    assert_server_file("lines.txt", expected, strlen(expected));
}

static void test_storlines_line_endings(void **state)
{
    (void)state;
    ftp_session *s = real_login(&server);
    storlines_case(s, 0);
    /* One byte per call: a CR and its LF arrive in different blocks. */
    storlines_case(s, 1);
    real_logout(s);
}

static void test_ascii_round_trip(void **state)
{
    (void)state;
    static const char text[] = "first line\nsecond line\n\n  indented\tand tabbed\nend\n";
    ftp_session *s = real_login(&server);
    memory_source src = {(const unsigned char *)text, strlen(text), 0, 7, 0};
    REAL_OK(s, ftp_storlines(s, "STOR round.txt", memory_source_fn, &src));
    line_list lines = {0};
    REAL_OK(s, ftp_retrlines(s, "RETR round.txt", line_list_fn, &lines));
    static const char *const expected[] = {"first line", "second line", "",
                                           "  indented\tand tabbed", "end"};
    assert_lines(&lines, expected, 5);
    line_list_free(&lines);
    real_logout(s);
}

/* ---- transfercmd streams ---- */

static void read_stream(ftp_session *s, ftp_data *d, byte_sink *sink)
{
    unsigned char buf[7000];
    for (int i = 0; i < 100000; i++) {
        size_t n = 0;
        REAL_OK(s, ftp_data_read(d, buf, sizeof buf, &n));
        if (n == 0)
            return;
        assert_true(n <= sizeof buf);
        byte_sink_fn(buf, n, sink);
    }
    fail_msg("the data stream did not end");
}

static void test_transfercmd_download(void **state)
{
    (void)state;
    ftp_session *s = real_login(&server);
    REAL_OK(s, ftp_voidcmd(s, "TYPE I"));
    ftp_data *d = NULL;
    uint64_t size = 0;
    REAL_OK(s, ftp_transfercmd(s, "RETR " DATA_FILE, 0, &d, &size));
    assert_non_null(d);
    /* vsftpd's 150 says "(100000 bytes)"; pyftpdlib answers 125 without a
     * size because the passive connection is already open. */
    if (server_kind == REAL_VSFTPD)
        assert_int_equal(size, DATA_SIZE);
    else
        assert_true(size == FTP_SIZE_UNKNOWN);
    byte_sink sink = {0};
    read_stream(s, d, &sink);
    REAL_OK(s, ftp_data_close(d));
    assert_int_equal(ftp_last_reply_code(s), 226);
    assert_int_equal(sink.len, DATA_SIZE);
    assert_memory_equal(sink.data, data_bytes, DATA_SIZE);
    byte_sink_free(&sink);
    REAL_OK(s, ftp_voidcmd(s, "NOOP"));
    real_logout(s);
}

static void test_transfercmd_download_rest(void **state)
{
    (void)state;
    ftp_session *s = real_login(&server);
    REAL_OK(s, ftp_voidcmd(s, "TYPE I"));
    ftp_data *d = NULL;
    REAL_OK(s, ftp_transfercmd(s, "RETR " DATA_FILE, 1000, &d, NULL));
    byte_sink sink = {0};
    read_stream(s, d, &sink);
    REAL_OK(s, ftp_data_close(d));
    assert_int_equal(sink.len, DATA_SIZE - 1000);
    assert_memory_equal(sink.data, data_bytes + 1000, DATA_SIZE - 1000);
    byte_sink_free(&sink);
    real_logout(s);
}

static void test_transfercmd_upload(void **state)
{
    (void)state;
    enum { SIZE = 123457 };
    unsigned char *bytes = real_pattern(5, SIZE);
    ftp_session *s = real_login(&server);
    REAL_OK(s, ftp_voidcmd(s, "TYPE I"));
    ftp_data *d = NULL;
    REAL_OK(s, ftp_transfercmd(s, "STOR stream.bin", 0, &d, NULL));
    for (size_t off = 0; off < SIZE; off += 10000) {
        size_t n = SIZE - off < 10000 ? SIZE - off : 10000;
        REAL_OK(s, ftp_data_write(d, bytes + off, n));
    }
    REAL_OK(s, ftp_data_close(d));
    assert_int_equal(ftp_last_reply_code(s), 226);
    assert_server_file("stream.bin", bytes, SIZE);
    real_logout(s);
    free(bytes);
}

static void test_transfercmd_blocks_other_commands(void **state)
{
    (void)state;
    ftp_session *s = real_login(&server);
    REAL_OK(s, ftp_voidcmd(s, "TYPE I"));
    ftp_data *d = NULL;
    REAL_OK(s, ftp_transfercmd(s, "RETR " DATA_FILE, 0, &d, NULL));
    const char *cwd = NULL;
    REAL_RC(s, FTP_E_BUSY, ftp_pwd(s, &cwd));
    byte_sink sink = {0};
    REAL_RC(s, FTP_E_BUSY, ftp_retrbinary(s, "RETR " DATA_FILE, 0, 0, byte_sink_fn, &sink));
    read_stream(s, d, &sink);
    REAL_OK(s, ftp_data_close(d));
    assert_int_equal(sink.len, DATA_SIZE);
    byte_sink_free(&sink);
    REAL_OK(s, ftp_pwd(s, &cwd));
    assert_string_equal(cwd, "/");
    real_logout(s);
}

/* ---- listings ---- */

static void test_mlsd(void **state)
{
    (void)state;
    ftp_session *s = real_login(&server);
    mlsd_list entries = {0};
    if (server_kind == REAL_VSFTPD) {
        /* vsftpd has no MLSD: "500 Unknown command." */
        REAL_RC(s, FTP_E_PERM, ftp_mlsd(s, NULL, NULL, mlsd_list_fn, &entries));
        assert_int_equal(ftp_last_reply_code(s), 500);
        assert_int_equal(entries.count, 0);
        const char *cwd = NULL;
        REAL_OK(s, ftp_pwd(s, &cwd));
        assert_string_equal(cwd, "/");
        real_logout(s);
        return;
    }
    REAL_OK(s, ftp_mlsd(s, NULL, NULL, mlsd_list_fn, &entries));
    long i = mlsd_list_find(&entries, DATA_FILE);
    assert_true(i >= 0);
    assert_non_null(strstr(entries.facts[i], "type=file;"));
    assert_non_null(strstr(entries.facts[i], "size=100000;"));
    assert_non_null(strstr(entries.facts[i], "modify="));
    assert_true(mlsd_list_find(&entries, TEXT_FILE) >= 0);
    mlsd_list_free(&entries);

    /* OPTS MLST narrows the facts to the ones asked for. */
    REAL_OK(s, ftp_mkd(s, "mlsd-dir", NULL));
    static const char *const facts[] = {"type", "size", NULL};
    REAL_OK(s, ftp_mlsd(s, "", facts, mlsd_list_fn, &entries));
    i = mlsd_list_find(&entries, DATA_FILE);
    assert_true(i >= 0);
    assert_non_null(strstr(entries.facts[i], "type=file;"));
    assert_non_null(strstr(entries.facts[i], "size=100000;"));
    assert_null(strstr(entries.facts[i], "modify="));
    i = mlsd_list_find(&entries, "mlsd-dir");
    assert_true(i >= 0);
    assert_non_null(strstr(entries.facts[i], "type=dir;"));
    mlsd_list_free(&entries);

    /* A path, and an empty directory: success without entries. */
    REAL_OK(s, ftp_mlsd(s, "mlsd-dir", NULL, mlsd_list_fn, &entries));
    assert_int_equal(entries.count, 0);
    REAL_RC(s, FTP_E_PERM, ftp_mlsd(s, "no-such-dir", NULL, mlsd_list_fn, &entries));
    real_logout(s);
}

static void test_nlst(void **state)
{
    (void)state;
    ftp_session *s = real_login(&server);
    line_list names = {0};
    REAL_OK(s, ftp_nlst(s, NULL, line_list_fn, &names));
    assert_true(line_list_find(&names, DATA_FILE) >= 0);
    assert_true(line_list_find(&names, TEXT_FILE) >= 0);
    line_list_free(&names);

    REAL_OK(s, ftp_mkd(s, "nlst-dir", NULL));
    REAL_OK(s, ftp_nlst(s, "nlst-dir", line_list_fn, &names));
    assert_int_equal(names.count, 0); /* empty: 226 and no lines */

    memory_source src = {(const unsigned char *)"x", 1, 0, 0, 0};
    REAL_OK(s, ftp_storbinary(s, "STOR nlst-dir/inside.txt", 0, 0, memory_source_fn, &src));
    REAL_OK(s, ftp_nlst(s, "nlst-dir", line_list_fn, &names));
    assert_int_equal(names.count, 1);
    /* pyftpdlib names the entry, vsftpd prefixes the directory. */
    assert_non_null(strstr(names.lines[0], "inside.txt"));
    line_list_free(&names);
    real_logout(s);
}

static void test_dir(void **state)
{
    (void)state;
    ftp_session *s = real_login(&server);
    line_list lines = {0};
    REAL_OK(s, ftp_dir(s, NULL, line_list_fn, &lines));
    long i = line_list_find_part(&lines, " " DATA_FILE);
    assert_true(i >= 0);
    assert_true(lines.lines[i][0] == '-'); /* a Unix "ls -l" line for a file */
    assert_non_null(strstr(lines.lines[i], "100000"));
    line_list_free(&lines);

    REAL_OK(s, ftp_dir(s, TEXT_FILE, line_list_fn, &lines));
    assert_int_equal(lines.count, 1);
    assert_non_null(strstr(lines.lines[0], TEXT_FILE));
    line_list_free(&lines);
    real_logout(s);
}

int main(int argc, char **argv)
{
    real_parse_args(argc, argv, &server_kind, &server_host);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_retrbinary_block_sizes),
        cmocka_unit_test(test_retrbinary_rest),
        cmocka_unit_test(test_retrbinary_missing_file),
        cmocka_unit_test(test_retrlines_text_file),
        cmocka_unit_test(test_storbinary),
        cmocka_unit_test(test_storbinary_rest_resume),
        cmocka_unit_test(test_storbinary_append),
        cmocka_unit_test(test_storlines_line_endings),
        cmocka_unit_test(test_ascii_round_trip),
        cmocka_unit_test(test_transfercmd_download),
        cmocka_unit_test(test_transfercmd_download_rest),
        cmocka_unit_test(test_transfercmd_upload),
        cmocka_unit_test(test_transfercmd_blocks_other_commands),
        cmocka_unit_test(test_mlsd),
        cmocka_unit_test(test_nlst),
        cmocka_unit_test(test_dir),
    };
    char name[128];
    snprintf(name, sizeof name, "real transfer: %s on %s", real_kind_name(server_kind),
             server_host);
    return cmocka_run_group_tests_name(name, tests, start_server, stop_server);
}
