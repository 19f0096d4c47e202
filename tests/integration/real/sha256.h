/*
 * A small SHA-256 (FIPS 180-4) so that the large-transfer tests can check
 * 100 MiB files end to end without depending on another library.
 * test_real_large.c checks it against the standard's test vectors.
 */
#ifndef REAL_SHA256_H
#define REAL_SHA256_H

#include <stddef.h>
#include <stdint.h>

#define SHA256_DIGEST_SIZE 32
#define SHA256_HEX_SIZE (2 * SHA256_DIGEST_SIZE + 1)

typedef struct sha256_ctx {
    uint32_t state[8];
    uint64_t total_bytes;
    unsigned char block[64];
    size_t block_used;
} sha256_ctx;

void sha256_init(sha256_ctx *ctx);
void sha256_update(sha256_ctx *ctx, const void *data, size_t len);
void sha256_final(sha256_ctx *ctx, unsigned char digest[SHA256_DIGEST_SIZE]);

/* Lower-case hex of @p digest into @p hex (SHA256_HEX_SIZE bytes, NUL-terminated). */
void sha256_hex(const unsigned char digest[SHA256_DIGEST_SIZE], char hex[SHA256_HEX_SIZE]);

/* The hex digest of a whole file; returns 0, or -1 if it cannot be read. */
int sha256_file_hex(const char *path, char hex[SHA256_HEX_SIZE], uint64_t *size);

#endif
