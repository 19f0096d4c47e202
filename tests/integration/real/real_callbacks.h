/*
 * The callbacks the real-server tests hand to ftpc: sinks that keep or
 * hash what arrives, sources that feed from memory or from the
 * pseudo-random stream, a line collector and a trace recorder.  Each keeps
 * enough bookkeeping (block sizes, counts) for the tests to check how the
 * library called it, not just what it delivered.
 */
#ifndef REAL_CALLBACKS_H
#define REAL_CALLBACKS_H

#include <stddef.h>
#include <stdint.h>

#include "sha256.h"

/* ---- downloads ---- */

/* Appends every block; remembers the largest block and the call count. */
typedef struct byte_sink {
    unsigned char *data;
    size_t len, cap;
    size_t largest_block;
    size_t calls;
} byte_sink;

int byte_sink_fn(const void *data, size_t len, void *userdata); /* userdata: byte_sink */
void byte_sink_free(byte_sink *b);

/* Hashes every block; with stop_after > 0 it asks to stop (returns 1) once
 * that many bytes have arrived. */
typedef struct hash_sink {
    sha256_ctx sha;
    uint64_t received;
    uint64_t stop_after;
} hash_sink;

void hash_sink_init(hash_sink *h, uint64_t stop_after);
int hash_sink_fn(const void *data, size_t len, void *userdata); /* userdata: hash_sink */
void hash_sink_hex(hash_sink *h, char hex[SHA256_HEX_SIZE]);

/* ---- uploads ---- */

/* Serves @p data in pieces of at most max_chunk bytes (0: as much as fits);
 * with stop_at > 0 it returns 1 (stop) once that many bytes were served. */
typedef struct memory_source {
    const unsigned char *data;
    size_t len, pos;
    size_t max_chunk;
    size_t stop_at;
} memory_source;

int memory_source_fn(void *buf, size_t cap, size_t *out_len, void *userdata);

/* Serves bytes [offset, end) of the pseudo-random stream @p seed; with
 * stop_at > 0 it returns 1 (stop) once offset has reached stop_at. */
typedef struct pattern_source {
    uint64_t seed;
    uint64_t offset, end;
    uint64_t stop_at;
} pattern_source;

int pattern_source_fn(void *buf, size_t cap, size_t *out_len, void *userdata);

/* ---- listings and text ---- */

/* Keeps every line (copied, NUL-terminated, length kept as delivered). */
typedef struct line_list {
    char **lines;
    size_t *lens;
    size_t count, cap;
} line_list;

int line_list_fn(const char *line, size_t len, void *userdata); /* userdata: line_list */
/* Index of the first line equal to @p text, or -1. */
long line_list_find(const line_list *l, const char *text);
/* Index of the first line containing @p text, or -1. */
long line_list_find_part(const line_list *l, const char *text);
void line_list_free(line_list *l);

/* Keeps MLSD entries: name plus "key=value;" facts joined in one string. */
typedef struct mlsd_list {
    char **names;
    char **facts;
    size_t count, cap;
} mlsd_list;

int mlsd_list_fn(const char *name, size_t nfacts, const char *const *keys,
                 const char *const *values, void *userdata);
/* Index of the entry named @p name, or -1. */
long mlsd_list_find(const mlsd_list *l, const char *name);
void mlsd_list_free(mlsd_list *l);

/* ---- trace ---- */

/* Records the commands the session sends (FTP_TRACE_CMD events), joined by
 * '\n', so a test can check which data-channel commands were used. */
typedef struct command_log {
    char text[16384];
    size_t len;
    size_t dropped; /* commands that did not fit: the log is incomplete */
} command_log;

void command_log_fn(int kind, const char *text, size_t len, void *userdata);
/* 1 if a command starting with @p prefix was sent. */
int command_log_has(const command_log *log, const char *prefix);
/* 1 if exactly the command @p command was sent. */
int command_log_has_exact(const command_log *log, const char *command);

#endif
