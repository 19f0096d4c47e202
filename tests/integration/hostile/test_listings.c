/*
 * Hostile-server scenarios, catalogue section I: listings and names.
 * MLSD is parsed exactly as Python's ftplib.mlsd parses it; names are
 * handed over as data, byte for byte; a listing line over the line cap
 * fails the transfer (the library aborts it) but not the session.
 */
#include "hostile.h"

#include <string.h>

/* Formats each MLSD entry as "name|key=value|...\n". */
typedef struct mlsd_log {
    char text[2048];
    size_t len;
    unsigned entries;
} mlsd_log;

static void append(mlsd_log *log, const char *text)
{
    size_t n = strlen(text);
    if (n < sizeof log->text - log->len) {
        memcpy(log->text + log->len, text, n + 1);
        log->len += n;
    }
}

static int log_entry(const char *name, size_t nfacts, const char *const *keys,
                     const char *const *values, void *userdata)
{
    mlsd_log *log = userdata;
    append(log, name);
    for (size_t i = 0; i < nfacts; i++) {
        append(log, "|");
        append(log, keys[i]);
        append(log, "=");
        append(log, values[i]);
    }
    append(log, "\n");
    log->entries++;
    return 0;
}

/* I.80: "=" inside values, ";" and spaces in names, a name that keeps a
 * leading space (only the first space separates), mixed-case keys
 * lower-cased, values untouched; OPTS MLST goes first when facts are asked. */
static void mlsd_edge_facts(void **state)
{
    hostile *h = *state;
    hostile_start(h,
                  "on OPTS reply 200 MLST OPTS type;size;\n"
                  "on MLSD serve "
                  "type=file;size=5;unique==keVO1+ZF4; a file\\r\\n"
                  "Type=dir;Perm=el; semi;colon name\\r\\n"
                  "type=file;x.hash=a=b=c;  leading space\\r\\n"
                  "type=OS.unix=slink:/x;UNIX.mode=0777; link\\r\\n\n");
    hostile_connect_login(h);

    static const char *const facts[] = {"type", "size", NULL};
    mlsd_log log = {{0}, 0, 0};
    assert_int_equal(ftp_mlsd(h->s, "/dir", facts, log_entry, &log), FTP_OK);
    assert_string_equal(log.text, "a file|type=file|size=5|unique==keVO1+ZF4\n"
                                  "semi;colon name|type=dir|perm=el\n"
                                  " leading space|type=file|x.hash=a=b=c\n"
                                  "link|type=OS.unix=slink:/x|unix.mode=0777\n");

    hostile_finish(h, HOSTILE_LOGIN "OPTS MLST type;size;\nTYPE A\nEPSV\nMLSD /dir\n");
}

/* I.80: an empty MLSD listing is success with no entries; no path, no
 * facts: a bare MLSD and no OPTS. */
static void mlsd_empty_listing(void **state)
{
    hostile *h = *state;
    hostile_start(h,
                  "on MLSD reply 150 Here comes nothing\n"
                  "  dataopen\n"
                  "  dataclose\n"
                  "  reply 226 done\n");
    hostile_connect_login(h);

    mlsd_log log = {{0}, 0, 0};
    assert_int_equal(ftp_mlsd(h->s, NULL, NULL, log_entry, &log), FTP_OK);
    assert_int_equal(log.entries, 0);
    assert_int_equal(ftp_mlsd(h->s, "", NULL, log_entry, &log), FTP_OK);
    assert_int_equal(log.entries, 0);

    hostile_finish(h, HOSTILE_LOGIN "TYPE A\nEPSV\nMLSD\nEPSV\nMLSD\n");
}

/* I.81: hostile names come back as data, unchanged. */
static void nlst_hostile_names_are_data(void **state)
{
    hostile *h = *state;
    hostile_start(h, "on NLST serve ../x\\r\\n/etc/passwd\\r\\na/b\\r\\nC:\\\\x\\r\\nfile:\\r\\n"
                     "..\\r\\n\\xff\\xfename\\r\\n\n");
    hostile_connect_login(h);

    hostile_lines lines = {0};
    assert_int_equal(ftp_nlst(h->s, "dir", hostile_line_fn, &lines), FTP_OK);
    assert_string_equal(lines.text, "../x\n/etc/passwd\na/b\nC:\\x\nfile:\n..\n\xff\xfename\n");

    hostile_finish(h, HOSTILE_LOGIN "TYPE A\nEPSV\nNLST dir\n");
}

/* NLST with no files: 550 and 450 are errors (as in ftplib), an empty
 * listing with 226 is success without lines. */
static void nlst_no_files(void **state)
{
    hostile *h = *state;
    hostile_start(h,
                  "on NLST #1 reply 550 No files found\n"
                  "on NLST #2 reply 450 No files found\n"
                  "on NLST #3 serve \n");
    hostile_connect_login(h);

    hostile_lines lines = {0};
    assert_int_equal(ftp_nlst(h->s, NULL, hostile_line_fn, &lines), FTP_E_PERM);
    assert_int_equal(ftp_nlst(h->s, NULL, hostile_line_fn, &lines), FTP_E_TEMP);
    assert_int_equal(ftp_nlst(h->s, NULL, hostile_line_fn, &lines), FTP_OK);
    assert_int_equal(lines.count, 0);

    hostile_finish(h, HOSTILE_LOGIN "TYPE A\nEPSV\nNLST\nEPSV\nNLST\nEPSV\nNLST\n");
}

/* Text lines end in CRLF or LF, and a last line without an ending counts. */
static void retrlines_line_endings(void **state)
{
    hostile *h = *state;
    hostile_start(h, "on RETR serve crlf\\r\\nlf\\n\\r\\nlast\n");
    hostile_connect_login(h);

    hostile_lines lines = {0};
    assert_int_equal(ftp_retrlines(h->s, "RETR notes.txt", hostile_line_fn, &lines), FTP_OK);
    assert_string_equal(lines.text, "crlf\nlf\n\nlast\n");
    assert_int_equal(lines.count, 4);

    hostile_finish(h, HOSTILE_LOGIN "TYPE A\nEPSV\nRETR notes.txt\n");
}

/* I.82: one listing line over the cap (512 here) never ends: FTP_E_PROTO,
 * the library aborts the transfer (ABOR, 426 + 226), the session goes on. */
static void listing_line_over_cap(void **state)
{
    hostile *h = *state;
    hostile_start(h,
                  "on LIST reply 150 Here comes the listing\n"
                  "  data short line\\r\\n\n"
                  "  dataflood 67108864 y\n"
                  "on ABOR reply 426 Transfer aborted\n"
                  "  reply 226 Abort successful\n");
    assert_int_equal(ftp_set_limit(h->s, FTP_LIMIT_LINE, 512), FTP_OK);
    hostile_connect_login(h);

    hostile_lines lines = {0};
    assert_int_equal(ftp_dir(h->s, NULL, hostile_line_fn, &lines), FTP_E_PROTO);
    assert_string_equal(lines.text, "short line\n");
    assert_int_equal(ftp_voidcmd(h->s, "NOOP"), FTP_OK);

    hostile_finish(h, HOSTILE_LOGIN "TYPE A\nEPSV\nLIST\nABOR\nNOOP\n");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        HOSTILE_TEST(mlsd_edge_facts),
        HOSTILE_TEST(mlsd_empty_listing),
        HOSTILE_TEST(nlst_hostile_names_are_data),
        HOSTILE_TEST(nlst_no_files),
        HOSTILE_TEST(retrlines_line_endings),
        HOSTILE_TEST(listing_line_over_cap),
    };
    return cmocka_run_group_tests_name("hostile: I. listings and names", tests, NULL, NULL);
}
