/* libcurl doing one benchmark scenario through the easy API, as a user of
 * libcurl would write it.
 *
 *   curl_bench [--tls] [--cacert FILE] [--blocksize N]
 *              HOST PORT USER PASS SCENARIO ARGS...
 *
 * The command line and the output are those of every benchmark client (see
 * bench/README.md): on success ONE JSON line on stdout, e.g.
 * {"bytes": 1073741824}, and exit status 0; on failure a message on stderr
 * and exit status 1 (2 for a bad command line).
 *
 *   get-discard REMOTE                 download, dropping the bytes
 *   get-file REMOTE LOCAL              download into LOCAL (libcurl's default
 *                                      write callback: fwrite to a FILE *)
 *   put-mem REMOTE BYTES               upload BYTES bytes from memory; byte i
 *                                      is (i * 7 + 3) & 0xff, as in every client
 *   put-file LOCAL REMOTE              upload LOCAL (default read callback:
 *                                      fread from a FILE *)
 *   get-many REMOTE_DIR COUNT LOCAL_DIR   fNNNN.bin for 0 <= NNNN < COUNT, one
 *                                      easy handle so that libcurl keeps the
 *                                      control connection: one session
 *   put-many LOCAL_DIR COUNT REMOTE_DIR   the reverse
 *   mlsd REMOTE_DIR                    raw MLSD (CURLOPT_CUSTOMREQUEST on the
 *                                      directory URL); lines counted, not parsed
 *   list REMOTE_DIR                    LIST; lines counted
 *
 * --blocksize N sets CURLOPT_BUFFERSIZE (the receive buffer) and
 * CURLOPT_UPLOAD_BUFFERSIZE; without it libcurl's defaults are used (16 KiB
 * and 64 KiB).  --tls is explicit FTPS: AUTH TLS, PROT P on the data
 * connections (CURLUSESSL_ALL), TLS 1.3 minimum, the certificate verified
 * against --cacert.  Passive mode with EPSV and binary transfers are
 * libcurl's defaults.
 */
#include <curl/curl.h>

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

struct options {
    int tls;
    const char *cacert;
    long blocksize; /* 0: libcurl's default */
    const char *host;
    const char *port;
    const char *user;
    const char *password;
    const char *scenario;
    char **args;
    int nargs;
};

/* What a scenario reports; a negative count is left out of the JSON. */
struct result {
    curl_off_t bytes;
    long files;
    long entries;
};

struct memory_source {
    const unsigned char *data;
    size_t size;
    size_t offset;
};

static void usage(void)
{
    fputs("usage: curl_bench [--tls] [--cacert FILE] [--blocksize N] HOST PORT USER PASS "
          "SCENARIO ARGS...\n",
          stderr);
}

static int parse_options(int argc, char **argv, struct options *opt)
{
    int i = 1;
    memset(opt, 0, sizeof *opt);
    for (; i < argc && strncmp(argv[i], "--", 2) == 0; i++) {
        if (strcmp(argv[i], "--tls") == 0) {
            opt->tls = 1;
        } else if (strcmp(argv[i], "--cacert") == 0 && i + 1 < argc) {
            opt->cacert = argv[++i];
        } else if (strcmp(argv[i], "--blocksize") == 0 && i + 1 < argc) {
            char *end;
            opt->blocksize = strtol(argv[++i], &end, 10);
            if (*end != '\0' || opt->blocksize <= 0) {
                return -1;
            }
        } else {
            return -1;
        }
    }
    if (argc - i < 5) {
        return -1;
    }
    opt->host = argv[i];
    opt->port = argv[i + 1];
    opt->user = argv[i + 2];
    opt->password = argv[i + 3];
    opt->scenario = argv[i + 4];
    opt->args = argv + i + 5;
    opt->nargs = argc - i - 5;
    return 0;
}

/* ftp://HOST:PORT/PATH, with an IPv6 literal in brackets; NULL if out of
 * memory.  The caller frees it. */
static char *make_url(const struct options *opt, const char *path)
{
    const char *open = strchr(opt->host, ':') ? "[" : "";
    const char *close = *open ? "]" : "";
    size_t size = strlen(opt->host) + strlen(opt->port) + strlen(path) + 16;
    char *url = malloc(size);
    if (url != NULL) {
        snprintf(url, size, "ftp://%s%s%s:%s/%s", open, opt->host, close, opt->port, path);
    }
    return url;
}

static char *join_path(const char *dir, const char *name)
{
    size_t size = strlen(dir) + strlen(name) + 2;
    char *path = malloc(size);
    if (path != NULL) {
        snprintf(path, size, "%s/%s", dir, name);
    }
    return path;
}

static size_t discard_bytes(char *data, size_t size, size_t nmemb, void *userdata)
{
    (void)data;
    *(curl_off_t *)userdata += (curl_off_t)(size * nmemb);
    return size * nmemb;
}

static size_t count_lines(char *data, size_t size, size_t nmemb, void *userdata)
{
    size_t n = size * nmemb;
    struct result *res = userdata;
    res->bytes += (curl_off_t)n;
    for (const char *p = data; (p = memchr(p, '\n', (size_t)(data + n - p))) != NULL; p++) {
        res->entries++;
    }
    return n;
}

static size_t read_memory(char *buffer, size_t size, size_t nitems, void *userdata)
{
    struct memory_source *source = userdata;
    size_t n = size * nitems;
    if (n > source->size - source->offset) {
        n = source->size - source->offset;
    }
    memcpy(buffer, source->data + source->offset, n);
    source->offset += n;
    return n;
}

/* The options every transfer of the session shares. */
static CURL *new_handle(const struct options *opt, char *errbuf)
{
    CURL *curl = curl_easy_init();
    if (curl == NULL) {
        return NULL;
    }
    curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, errbuf);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_USERNAME, opt->user);
    curl_easy_setopt(curl, CURLOPT_PASSWORD, opt->password);
    curl_easy_setopt(curl, CURLOPT_FTP_USE_EPSV, 1L);
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, 30L);
    if (opt->blocksize > 0) {
        curl_easy_setopt(curl, CURLOPT_BUFFERSIZE, opt->blocksize);
        curl_easy_setopt(curl, CURLOPT_UPLOAD_BUFFERSIZE, opt->blocksize);
    }
    if (opt->tls) {
        curl_easy_setopt(curl, CURLOPT_USE_SSL, (long)CURLUSESSL_ALL);
        curl_easy_setopt(curl, CURLOPT_FTPSSLAUTH, (long)CURLFTPAUTH_TLS);
        curl_easy_setopt(curl, CURLOPT_SSLVERSION, (long)CURL_SSLVERSION_TLSv1_3);
        if (opt->cacert != NULL) {
            curl_easy_setopt(curl, CURLOPT_CAINFO, opt->cacert);
        }
    }
    return curl;
}

/* Runs the transfer set up on @curl for @path; 0 or -1 (reported). */
static int perform(CURL *curl, const struct options *opt, const char *path, const char *errbuf)
{
    char *url = make_url(opt, path);
    if (url == NULL) {
        fputs("curl_bench: out of memory\n", stderr);
        return -1;
    }
    curl_easy_setopt(curl, CURLOPT_URL, url);
    CURLcode rc = curl_easy_perform(curl);
    free(url);
    if (rc != CURLE_OK) {
        fprintf(stderr, "curl_bench: %s: %s\n", path, errbuf[0] ? errbuf : curl_easy_strerror(rc));
        return -1;
    }
    return 0;
}

static int get_discard(CURL *curl, const struct options *opt, char **args, struct result *res,
                       const char *errbuf)
{
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, discard_bytes);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &res->bytes);
    return perform(curl, opt, args[0], errbuf);
}

/* Downloads @remote into @local with libcurl's default write callback. */
static int download_to(CURL *curl, const struct options *opt, const char *remote,
                       const char *local, struct result *res, const char *errbuf)
{
    FILE *f = fopen(local, "wb");
    if (f == NULL) {
        fprintf(stderr, "curl_bench: %s: %s\n", local, strerror(errno));
        return -1;
    }
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, (curl_write_callback)NULL);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, f);
    int rc = perform(curl, opt, remote, errbuf);
    if (rc == 0) {
        res->bytes += (curl_off_t)ftello(f);
    }
    if (fclose(f) != 0 && rc == 0) {
        fprintf(stderr, "curl_bench: %s: %s\n", local, strerror(errno));
        rc = -1;
    }
    return rc;
}

/* Uploads @local to @remote with libcurl's default read callback. */
static int upload_from(CURL *curl, const struct options *opt, const char *local,
                       const char *remote, struct result *res, const char *errbuf)
{
    FILE *f = fopen(local, "rb");
    struct stat st;
    if (f == NULL || fstat(fileno(f), &st) != 0) {
        fprintf(stderr, "curl_bench: %s: %s\n", local, strerror(errno));
        if (f != NULL) {
            fclose(f);
        }
        return -1;
    }
    curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(curl, CURLOPT_READFUNCTION, (curl_read_callback)NULL);
    curl_easy_setopt(curl, CURLOPT_READDATA, f);
    curl_easy_setopt(curl, CURLOPT_INFILESIZE_LARGE, (curl_off_t)st.st_size);
    int rc = perform(curl, opt, remote, errbuf);
    if (rc == 0) {
        res->bytes += (curl_off_t)st.st_size;
    }
    fclose(f);
    return rc;
}

static int get_file(CURL *curl, const struct options *opt, char **args, struct result *res,
                    const char *errbuf)
{
    return download_to(curl, opt, args[0], args[1], res, errbuf);
}

static int put_file(CURL *curl, const struct options *opt, char **args, struct result *res,
                    const char *errbuf)
{
    return upload_from(curl, opt, args[0], args[1], res, errbuf);
}

static int put_mem(CURL *curl, const struct options *opt, char **args, struct result *res,
                   const char *errbuf)
{
    char *end;
    errno = 0;
    unsigned long long size = strtoull(args[1], &end, 10);
    if (*end != '\0' || errno != 0 || size > SIZE_MAX) {
        fprintf(stderr, "curl_bench: bad byte count %s\n", args[1]);
        return -1;
    }
    unsigned char *data = malloc(size > 0 ? (size_t)size : 1);
    if (data == NULL) {
        fputs("curl_bench: out of memory\n", stderr);
        return -1;
    }
    for (size_t i = 0; i < (size_t)size; i++) {
        data[i] = (unsigned char)((i * 7 + 3) & 0xff);
    }
    struct memory_source source = {data, (size_t)size, 0};
    curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(curl, CURLOPT_READFUNCTION, read_memory);
    curl_easy_setopt(curl, CURLOPT_READDATA, &source);
    curl_easy_setopt(curl, CURLOPT_INFILESIZE_LARGE, (curl_off_t)size);
    int rc = perform(curl, opt, args[0], errbuf);
    if (rc == 0) {
        res->bytes = (curl_off_t)source.offset;
    }
    free(data);
    return rc;
}

static long parse_count(const char *text)
{
    char *end;
    long count = strtol(text, &end, 10);
    if (*end != '\0' || count < 0 || count > 9999) {
        fprintf(stderr, "curl_bench: bad file count %s (0..9999)\n", text);
        return -1;
    }
    return count;
}

/* get-many and put-many: COUNT transfers on the same easy handle, so the
 * control connection (and its TLS session) is reused. */
static int transfer_many(CURL *curl, const struct options *opt, char **args, struct result *res,
                         const char *errbuf, int upload)
{
    long count = parse_count(args[1]);
    if (count < 0) {
        return -1;
    }
    const char *from_dir = args[0];
    const char *to_dir = args[2];
    for (long i = 0; i < count; i++) {
        char name[16];
        snprintf(name, sizeof name, "f%04ld.bin", i);
        char *from = join_path(from_dir, name);
        char *to = join_path(to_dir, name);
        int rc = -1;
        if (from == NULL || to == NULL) {
            fputs("curl_bench: out of memory\n", stderr);
        } else if (upload) {
            rc = upload_from(curl, opt, from, to, res, errbuf);
        } else {
            rc = download_to(curl, opt, from, to, res, errbuf);
        }
        free(from);
        free(to);
        if (rc != 0) {
            return -1;
        }
        res->files++;
    }
    return 0;
}

static int get_many(CURL *curl, const struct options *opt, char **args, struct result *res,
                    const char *errbuf)
{
    return transfer_many(curl, opt, args, res, errbuf, 0);
}

static int put_many(CURL *curl, const struct options *opt, char **args, struct result *res,
                    const char *errbuf)
{
    return transfer_many(curl, opt, args, res, errbuf, 1);
}

/* LIST or MLSD (a custom request on the directory URL) with the lines
 * counted. */
static int listing(CURL *curl, const struct options *opt, const char *dir, const char *command,
                   struct result *res, const char *errbuf)
{
    char *path = join_path(dir, ""); /* a trailing '/' makes libcurl list */
    if (path == NULL) {
        fputs("curl_bench: out of memory\n", stderr);
        return -1;
    }
    if (command != NULL) {
        curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, command);
    }
    res->entries = 0;
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, count_lines);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, res);
    int rc = perform(curl, opt, path, errbuf);
    free(path);
    return rc;
}

static int mlsd(CURL *curl, const struct options *opt, char **args, struct result *res,
                const char *errbuf)
{
    return listing(curl, opt, args[0], "MLSD", res, errbuf);
}

static int list(CURL *curl, const struct options *opt, char **args, struct result *res,
                const char *errbuf)
{
    return listing(curl, opt, args[0], NULL, res, errbuf);
}

struct scenario {
    const char *name;
    int nargs;
    int (*run)(CURL *, const struct options *, char **, struct result *, const char *);
};

static const struct scenario scenarios[] = {
    {"get-discard", 1, get_discard}, {"get-file", 2, get_file}, {"put-mem", 2, put_mem},
    {"put-file", 2, put_file},       {"get-many", 3, get_many}, {"put-many", 3, put_many},
    {"mlsd", 1, mlsd},               {"list", 1, list},
};

static void print_result(const struct result *res)
{
    printf("{\"bytes\": %" CURL_FORMAT_CURL_OFF_T, res->bytes);
    if (res->files >= 0) {
        printf(", \"files\": %ld", res->files);
    }
    if (res->entries >= 0) {
        printf(", \"entries\": %ld", res->entries);
    }
    printf("}\n");
}

int main(int argc, char **argv)
{
    struct options opt;
    if (parse_options(argc, argv, &opt) != 0) {
        usage();
        return 2;
    }
    const struct scenario *scenario = NULL;
    for (size_t i = 0; i < sizeof scenarios / sizeof scenarios[0]; i++) {
        if (strcmp(scenarios[i].name, opt.scenario) == 0) {
            scenario = &scenarios[i];
        }
    }
    if (scenario == NULL || scenario->nargs != opt.nargs) {
        fprintf(stderr, "curl_bench: unknown scenario or wrong number of arguments: %s\n",
                opt.scenario);
        usage();
        return 2;
    }
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
        fputs("curl_bench: curl_global_init failed\n", stderr);
        return 1;
    }
    char errbuf[CURL_ERROR_SIZE] = "";
    struct result res = {0, -1, -1};
    if (strstr(opt.scenario, "-many") != NULL) {
        res.files = 0;
    }
    int rc = -1;
    CURL *curl = new_handle(&opt, errbuf);
    if (curl == NULL) {
        fputs("curl_bench: curl_easy_init failed\n", stderr);
    } else {
        rc = scenario->run(curl, &opt, opt.args, &res, errbuf);
        curl_easy_cleanup(curl); /* sends QUIT */
    }
    curl_global_cleanup();
    if (rc != 0) {
        return 1;
    }
    print_result(&res);
    return fflush(stdout) == 0 ? 0 : 1;
}
