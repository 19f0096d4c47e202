/*
 * ftpc_bench: the benchmark's ftpc client, on the public C API only.
 *
 *   ftpc_bench [--tls] [--cacert FILE] [--blocksize N] HOST PORT USER PASS SCENARIO ARGS...
 *
 * Scenarios (the same command line as curl_bench and ftplib_bench.py):
 *   get-discard REMOTE                 download into a callback that drops the bytes
 *   get-file REMOTE LOCAL              download into a file (ftp_retr_fd: splice)
 *   put-mem REMOTE BYTES               upload BYTES bytes from memory (byte i = (i*7+3) & 0xff)
 *   put-file LOCAL REMOTE              upload a file (ftp_stor_fd: sendfile)
 *   get-many REMOTE_DIR COUNT LOCAL_DIR  REMOTE_DIR/fNNNN.bin into LOCAL_DIR, one session
 *   put-many LOCAL_DIR COUNT REMOTE_DIR  the reverse
 *   mlsd REMOTE_DIR                    MLSD, parsed into entries
 *   list REMOTE_DIR                    LIST, raw lines
 *
 * On success prints one JSON line, {"bytes": N, "files": N, "entries": N},
 * and exits 0; on failure says why on stderr and exits 1 (2: usage).
 */
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <ftpc/ftpc.h>

/* 256 KiB blocks: what the anchor table's best libcurl setting uses. */
#define DEFAULT_BLOCKSIZE (256u * 1024u)

struct totals {
    uint64_t bytes;
    uint64_t files;
    uint64_t entries;
};

/* The upload's bytes, made before the transfer as curl_bench makes them. */
struct memory_source {
    const unsigned char *data;
    size_t size;
    size_t offset;
};

static int fail(ftp_session *s, const char *what)
{
    fprintf(stderr, "ftpc_bench: %s failed: %s (%s)\n", what, ftp_last_error(s),
            ftp_error_name(ftp_last_error_code(s)));
    return 1;
}

static int discard(const void *data, size_t len, void *userdata)
{
    (void)data;
    ((struct totals *)userdata)->bytes += len;
    return 0;
}

static int from_memory(void *buf, size_t cap, size_t *out_len, void *userdata)
{
    struct memory_source *src = userdata;
    size_t left = src->size - src->offset;
    size_t n = left < cap ? left : cap;
    memcpy(buf, src->data + src->offset, n);
    src->offset += n;
    *out_len = n;
    return 0;
}

static int count_entry(const char *name, size_t nfacts, const char *const *keys, const char *const *values,
                       void *userdata)
{
    (void)name, (void)nfacts, (void)keys, (void)values;
    ((struct totals *)userdata)->entries++;
    return 0;
}

static int count_line(const char *line, size_t len, void *userdata)
{
    struct totals *t = userdata;
    (void)line;
    t->entries++;
    t->bytes += len;
    return 0;
}

static int get_file(ftp_session *s, const char *remote, const char *local, struct totals *t)
{
    char cmd[4096];
    int fd = open(local, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) {
        perror(local);
        return 1;
    }
    (void)snprintf(cmd, sizeof cmd, "RETR %s", remote);
    int rc = ftp_retr_fd(s, cmd, 0, fd);
    if (close(fd) != 0 && rc == FTP_OK) {
        perror(local);
        return 1;
    }
    if (rc != FTP_OK)
        return fail(s, cmd);
    t->bytes += ftp_last_transfer_bytes(s);
    t->files++;
    return 0;
}

static int put_file(ftp_session *s, const char *local, const char *remote, struct totals *t)
{
    char cmd[4096];
    int fd = open(local, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        perror(local);
        return 1;
    }
    (void)snprintf(cmd, sizeof cmd, "STOR %s", remote);
    int rc = ftp_stor_fd(s, cmd, 0, fd);
    (void)close(fd);
    if (rc != FTP_OK)
        return fail(s, cmd);
    t->bytes += ftp_last_transfer_bytes(s);
    t->files++;
    return 0;
}

static int run(ftp_session *s, const char *scenario, int argc, char **argv, size_t blocksize, struct totals *t)
{
    char cmd[4096], local[4096], remote[4096];
    if (strcmp(scenario, "get-discard") == 0 && argc == 1) {
        (void)snprintf(cmd, sizeof cmd, "RETR %s", argv[0]);
        if (ftp_retrbinary(s, cmd, blocksize, 0, discard, t) != FTP_OK)
            return fail(s, cmd);
        t->files = 1;
        return 0;
    }
    if (strcmp(scenario, "get-file") == 0 && argc == 2)
        return get_file(s, argv[0], argv[1], t);
    if (strcmp(scenario, "put-mem") == 0 && argc == 2) {
        size_t size = (size_t)strtoull(argv[1], NULL, 10);
        unsigned char *data = malloc(size > 0 ? size : 1);
        if (data == NULL) {
            fputs("ftpc_bench: out of memory\n", stderr);
            return 1;
        }
        for (size_t k = 0; k < size; k++)
            data[k] = (unsigned char)((k * 7 + 3) & 0xff);
        struct memory_source src = {data, size, 0};
        (void)snprintf(cmd, sizeof cmd, "STOR %s", argv[0]);
        int rc = ftp_storbinary(s, cmd, blocksize, 0, from_memory, &src);
        free(data);
        if (rc != FTP_OK)
            return fail(s, cmd);
        t->bytes = src.offset;
        t->files = 1;
        return 0;
    }
    if (strcmp(scenario, "put-file") == 0 && argc == 2)
        return put_file(s, argv[0], argv[1], t);
    if ((strcmp(scenario, "get-many") == 0 || strcmp(scenario, "put-many") == 0) && argc == 3) {
        int getting = scenario[0] == 'g';
        long count = strtol(argv[1], NULL, 10);
        for (long i = 0; i < count; i++) {
            if (getting) {
                (void)snprintf(remote, sizeof remote, "%s/f%04ld.bin", argv[0], i);
                (void)snprintf(local, sizeof local, "%s/f%04ld.bin", argv[2], i);
                if (get_file(s, remote, local, t) != 0)
                    return 1;
            } else {
                (void)snprintf(local, sizeof local, "%s/f%04ld.bin", argv[0], i);
                (void)snprintf(remote, sizeof remote, "%s/f%04ld.bin", argv[2], i);
                if (put_file(s, local, remote, t) != 0)
                    return 1;
            }
        }
        return 0;
    }
    if (strcmp(scenario, "mlsd") == 0 && argc == 1) {
        if (ftp_mlsd(s, argv[0], NULL, count_entry, t) != FTP_OK)
            return fail(s, "MLSD");
        t->bytes = ftp_last_transfer_bytes(s);
        return 0;
    }
    if (strcmp(scenario, "list") == 0 && argc == 1) {
        if (ftp_dir(s, argv[0], count_line, t) != FTP_OK)
            return fail(s, "LIST");
        t->bytes = ftp_last_transfer_bytes(s);
        return 0;
    }
    fprintf(stderr, "ftpc_bench: unknown scenario or wrong arguments: %s\n", scenario);
    return 2;
}

int main(int argc, char **argv)
{
    int tls = 0;
    const char *cacert = NULL;
    size_t blocksize = DEFAULT_BLOCKSIZE;
    int i = 1;
    for (; i < argc && strncmp(argv[i], "--", 2) == 0; i++) {
        if (strcmp(argv[i], "--tls") == 0)
            tls = 1;
        else if (strcmp(argv[i], "--cacert") == 0 && i + 1 < argc)
            cacert = argv[++i];
        else if (strcmp(argv[i], "--blocksize") == 0 && i + 1 < argc)
            blocksize = (size_t)strtoul(argv[++i], NULL, 10);
        else
            break;
    }
    if (argc - i < 5) {
        fprintf(stderr, "usage: ftpc_bench [--tls] [--cacert FILE] [--blocksize N] HOST PORT USER PASS "
                        "SCENARIO ARGS...\n");
        return 2;
    }
    const char *host = argv[i], *user = argv[i + 2], *pass = argv[i + 3], *scenario = argv[i + 4];
    unsigned port = (unsigned)strtoul(argv[i + 1], NULL, 10);

    ftp_session *s = ftp_session_new();
    if (s == NULL) {
        fputs("ftpc_bench: out of memory\n", stderr);
        return 1;
    }
    int rc = 0;
    if (tls && (ftp_set_tls_mode(s, FTP_TLS_EXPLICIT) != FTP_OK ||
                ftp_set_tls_min_version(s, FTP_TLS_VERSION_1_3) != FTP_OK ||
                (cacert != NULL && ftp_set_ca_file(s, cacert) != FTP_OK)))
        rc = fail(s, "TLS settings");
    if (rc == 0 && ftp_connect(s, host, port) != FTP_OK)
        rc = fail(s, "connect");
    if (rc == 0 && ftp_login(s, user, pass, NULL) != FTP_OK)
        rc = fail(s, "login");
    struct totals t = {0, 0, 0};
    if (rc == 0)
        rc = run(s, scenario, argc - i - 5, argv + i + 5, blocksize, &t);
    if (rc == 0 && ftp_quit(s) != FTP_OK)
        rc = fail(s, "QUIT");
    ftp_session_free(s);
    if (rc == 0)
        printf("{\"bytes\": %" PRIu64 ", \"files\": %" PRIu64 ", \"entries\": %" PRIu64 "}\n", t.bytes, t.files,
               t.entries);
    return rc;
}
