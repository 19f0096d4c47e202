#include "real_files.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* splitmix64: a strong 64-bit mix, here of (seed, block index). */
static uint64_t mix(uint64_t x)
{
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

void real_fill(uint64_t seed, uint64_t offset, void *buf, size_t len)
{
    unsigned char *out = buf;
    uint64_t block = offset / 8;
    unsigned skip = (unsigned)(offset % 8);
    while (len > 0) {
        uint64_t v = mix(seed * 0x100000001b3ULL ^ block);
        for (unsigned i = skip; i < 8 && len > 0; i++, len--)
            *out++ = (unsigned char)(v >> (8 * i));
        skip = 0;
        block++;
    }
}

unsigned char *real_pattern(uint64_t seed, size_t len)
{
    unsigned char *p = malloc(len > 0 ? len : 1);
    if (p == NULL) {
        fprintf(stderr, "real_pattern: out of memory\n");
        abort();
    }
    real_fill(seed, 0, p, len);
    return p;
}

void real_join(char *out, size_t cap, const char *dir, const char *name)
{
    int n = snprintf(out, cap, "%s/%s", dir, name);
    if (n < 0 || (size_t)n >= cap) {
        fprintf(stderr, "real_join: path too long: %s/%s\n", dir, name);
        abort();
    }
}

static FILE *create_readable(const char *path)
{
    FILE *f = fopen(path, "wb");
    if (f == NULL) {
        fprintf(stderr, "cannot create %s: %s\n", path, strerror(errno));
        return NULL;
    }
    /* Whatever the umask: vsftpd serves it as another user. */
    fchmod(fileno(f), 0644);
    return f;
}

int real_write_file(const char *path, const void *data, size_t len)
{
    FILE *f = create_readable(path);
    if (f == NULL)
        return -1;
    int ok = fwrite(data, 1, len, f) == len;
    ok = (fclose(f) == 0) && ok;
    return ok ? 0 : -1;
}

int real_write_pattern_file(const char *path, uint64_t seed, uint64_t len,
                            char hex[SHA256_HEX_SIZE])
{
    enum { CHUNK = 1 << 20 };
    FILE *f = create_readable(path);
    if (f == NULL)
        return -1;
    unsigned char *buf = malloc(CHUNK);
    int ok = buf != NULL;
    sha256_ctx ctx;
    sha256_init(&ctx);
    for (uint64_t done = 0; ok && done < len;) {
        size_t n = len - done < CHUNK ? (size_t)(len - done) : CHUNK;
        real_fill(seed, done, buf, n);
        sha256_update(&ctx, buf, n);
        ok = fwrite(buf, 1, n, f) == n;
        done += n;
    }
    free(buf);
    ok = (fclose(f) == 0) && ok;
    unsigned char digest[SHA256_DIGEST_SIZE];
    sha256_final(&ctx, digest);
    sha256_hex(digest, hex);
    return ok ? 0 : -1;
}

unsigned char *real_read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return NULL;
    size_t cap = 4096, used = 0;
    unsigned char *data = malloc(cap + 1);
    while (data != NULL) {
        if (used == cap) {
            unsigned char *bigger = realloc(data, 2 * cap + 1);
            if (bigger == NULL) {
                free(data);
                data = NULL;
                break;
            }
            data = bigger;
            cap *= 2;
        }
        size_t n = fread(data + used, 1, cap - used, f);
        used += n;
        if (n == 0)
            break;
    }
    int failed = ferror(f);
    fclose(f);
    if (data == NULL || failed) {
        free(data);
        return NULL;
    }
    data[used] = '\0';
    *len = used;
    return data;
}

int real_file_exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}
