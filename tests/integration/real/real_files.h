/*
 * Files in a server's root, seen from the test's side of the fence: the
 * tests write what the server will serve and read what it stored.  Content
 * comes from a counter-based pseudo-random generator, so any byte range of
 * a file can be recomputed from (seed, offset) without keeping the file.
 */
#ifndef REAL_FILES_H
#define REAL_FILES_H

#include <stddef.h>
#include <stdint.h>

#include "sha256.h"

/* Fills @p buf with bytes [@p offset, @p offset + @p len) of the stream @p seed. */
void real_fill(uint64_t seed, uint64_t offset, void *buf, size_t len);

/* A malloc'ed copy of bytes [0, @p len) of the stream @p seed (never NULL). */
unsigned char *real_pattern(uint64_t seed, size_t len);

/* @p dir "/" @p name into @p out; aborts the test program on overflow. */
void real_join(char *out, size_t cap, const char *dir, const char *name);

/* Writes @p len bytes to @p path, mode 0644 so that any server user reads
 * it.  Returns 0 or -1. */
int real_write_file(const char *path, const void *data, size_t len);

/* Writes @p len bytes of the stream @p seed to @p path (mode 0644) and
 * returns their SHA-256 in @p hex.  Returns 0 or -1. */
int real_write_pattern_file(const char *path, uint64_t seed, uint64_t len,
                            char hex[SHA256_HEX_SIZE]);

/* The whole file, malloc'ed (plus a NUL after it), or NULL if it cannot be
 * read.  @p len receives its size. */
unsigned char *real_read_file(const char *path, size_t *len);

/* 1 if @p path exists. */
int real_file_exists(const char *path);

#endif
