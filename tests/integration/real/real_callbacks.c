#include "real_callbacks.h"

#include <ftpc/ftpc.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "real_files.h"

static void *checked_realloc(void *p, size_t size)
{
    void *q = realloc(p, size);
    if (q == NULL) {
        fprintf(stderr, "real_callbacks: out of memory\n");
        abort();
    }
    return q;
}

static char *copy_text(const char *s, size_t len)
{
    char *c = checked_realloc(NULL, len + 1);
    memcpy(c, s, len);
    c[len] = '\0';
    return c;
}

int byte_sink_fn(const void *data, size_t len, void *userdata)
{
    byte_sink *b = userdata;
    if (b->len + len > b->cap) {
        size_t cap = b->cap ? b->cap : 4096;
        while (cap < b->len + len)
            cap *= 2;
        b->data = checked_realloc(b->data, cap);
        b->cap = cap;
    }
    memcpy(b->data + b->len, data, len);
    b->len += len;
    b->calls++;
    if (len > b->largest_block)
        b->largest_block = len;
    return 0;
}

void byte_sink_free(byte_sink *b)
{
    free(b->data);
    memset(b, 0, sizeof *b);
}

void hash_sink_init(hash_sink *h, uint64_t stop_after)
{
    sha256_init(&h->sha);
    h->received = 0;
    h->stop_after = stop_after;
}

int hash_sink_fn(const void *data, size_t len, void *userdata)
{
    hash_sink *h = userdata;
    sha256_update(&h->sha, data, len);
    h->received += len;
    return h->stop_after > 0 && h->received >= h->stop_after;
}

void hash_sink_hex(hash_sink *h, char hex[SHA256_HEX_SIZE])
{
    unsigned char digest[SHA256_DIGEST_SIZE];
    sha256_final(&h->sha, digest);
    sha256_hex(digest, hex);
}

int memory_source_fn(void *buf, size_t cap, size_t *out_len, void *userdata)
{
    memory_source *m = userdata;
    if (m->stop_at > 0 && m->pos >= m->stop_at)
        return 1;
    size_t n = m->len - m->pos;
    if (n > cap)
        n = cap;
    if (m->max_chunk > 0 && n > m->max_chunk)
        n = m->max_chunk;
    memcpy(buf, m->data + m->pos, n);
    m->pos += n;
    *out_len = n;
    return 0;
}

int pattern_source_fn(void *buf, size_t cap, size_t *out_len, void *userdata)
{
    pattern_source *p = userdata;
    if (p->stop_at > 0 && p->offset >= p->stop_at)
        return 1;
    uint64_t left = p->end - p->offset;
    size_t n = left < cap ? (size_t)left : cap;
    real_fill(p->seed, p->offset, buf, n);
    p->offset += n;
    *out_len = n;
    return 0;
}

int line_list_fn(const char *line, size_t len, void *userdata)
{
    line_list *l = userdata;
    if (l->count == l->cap) {
        l->cap = l->cap ? 2 * l->cap : 16;
        l->lines = checked_realloc(l->lines, l->cap * sizeof *l->lines);
        l->lens = checked_realloc(l->lens, l->cap * sizeof *l->lens);
    }
    l->lines[l->count] = copy_text(line, len);
    l->lens[l->count] = len;
    l->count++;
    return 0;
}

long line_list_find(const line_list *l, const char *text)
{
    for (size_t i = 0; i < l->count; i++)
        if (strcmp(l->lines[i], text) == 0)
            return (long)i;
    return -1;
}

long line_list_find_part(const line_list *l, const char *text)
{
    for (size_t i = 0; i < l->count; i++)
        if (strstr(l->lines[i], text) != NULL)
            return (long)i;
    return -1;
}

void line_list_free(line_list *l)
{
    for (size_t i = 0; i < l->count; i++)
        free(l->lines[i]);
    free(l->lines);
    free(l->lens);
    memset(l, 0, sizeof *l);
}

int mlsd_list_fn(const char *name, size_t nfacts, const char *const *keys,
                 const char *const *values, void *userdata)
{
    mlsd_list *l = userdata;
    if (l->count == l->cap) {
        l->cap = l->cap ? 2 * l->cap : 16;
        l->names = checked_realloc(l->names, l->cap * sizeof *l->names);
        l->facts = checked_realloc(l->facts, l->cap * sizeof *l->facts);
    }
    size_t total = 1;
    for (size_t i = 0; i < nfacts; i++)
        total += strlen(keys[i]) + strlen(values[i]) + 2;
    char *facts = checked_realloc(NULL, total);
    facts[0] = '\0';
    for (size_t i = 0; i < nfacts; i++) {
        strcat(facts, keys[i]);
        strcat(facts, "=");
        strcat(facts, values[i]);
        strcat(facts, ";");
    }
    l->names[l->count] = copy_text(name, strlen(name));
    l->facts[l->count] = facts;
    l->count++;
    return 0;
}

long mlsd_list_find(const mlsd_list *l, const char *name)
{
    for (size_t i = 0; i < l->count; i++)
        if (strcmp(l->names[i], name) == 0)
            return (long)i;
    return -1;
}

void mlsd_list_free(mlsd_list *l)
{
    for (size_t i = 0; i < l->count; i++) {
        free(l->names[i]);
        free(l->facts[i]);
    }
    free(l->names);
    free(l->facts);
    memset(l, 0, sizeof *l);
}

void command_log_fn(int kind, const char *text, size_t len, void *userdata)
{
    command_log *log = userdata;
    if (kind != FTP_TRACE_CMD)
        return;
    if (log->len + len + 2 > sizeof log->text) {
        log->dropped++;
        return;
    }
    memcpy(log->text + log->len, text, len);
    log->len += len;
    log->text[log->len++] = '\n';
    log->text[log->len] = '\0';
}

/* 1 if a logged line starts with @p text, and ends right there if @p whole. */
static int command_log_match(const command_log *log, const char *text, int whole)
{
    size_t n = strlen(text);
    const char *line = log->text;
    while (line < log->text + log->len) {
        if (strncmp(line, text, n) == 0 && (!whole || line[n] == '\n'))
            return 1;
        const char *nl = strchr(line, '\n');
        if (nl == NULL)
            break;
        line = nl + 1;
    }
    return 0;
}

int command_log_has(const command_log *log, const char *prefix)
{
    return command_log_match(log, prefix, 0);
}

int command_log_has_exact(const command_log *log, const char *command)
{
    return command_log_match(log, command, 1);
}
