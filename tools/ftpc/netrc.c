/*
 * .netrc lookup (see netrc.h).
 */
#define _POSIX_C_SOURCE 200809L
#include "netrc.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A .netrc larger than this is not a .netrc. */
#define NETRC_MAX_BYTES ((size_t)1024 * 1024)

const char *netrc_path(char *buf, size_t cap)
{
    const char *env = getenv("NETRC");
    int n;
    if (env != NULL && env[0] != '\0') {
        n = snprintf(buf, cap, "%s", env);
    } else {
        const char *home = getenv("HOME");
        if (home == NULL || home[0] == '\0')
            return NULL;
        n = snprintf(buf, cap, "%s/.netrc", home);
    }
    return n >= 0 && (size_t)n < cap ? buf : NULL;
}

/* Reads the whole file into a NUL-terminated buffer, or NULL with errno. */
static char *read_file(const char *path, size_t *len)
{
    FILE *fp = fopen(path, "rb");
    if (fp == NULL)
        return NULL;
    char *text = malloc(NETRC_MAX_BYTES + 1);
    size_t n = text != NULL ? fread(text, 1, NETRC_MAX_BYTES + 1, fp) : 0;
    int failed = text == NULL || ferror(fp) || n > NETRC_MAX_BYTES;
    int saved = text == NULL ? ENOMEM : ferror(fp) ? EIO : EFBIG;
    (void)fclose(fp); /* opened for reading: nothing buffered to lose */
    if (failed) {
        free(text);
        errno = saved;
        return NULL;
    }
    text[n] = '\0';
    *len = n;
    return text;
}

/* Overwrites @p n bytes; volatile so the stores survive the free() after. */
static void wipe_bytes(char *s, size_t n)
{
    volatile char *p = s;
    while (n-- > 0)
        *p++ = '\0';
}

static void wipe(char *s)
{
    if (s != NULL)
        wipe_bytes(s, strlen(s));
}

static int is_blank(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

static int ascii_ieq(const char *a, const char *b)
{
    for (;; a++, b++) {
        char x = *a, y = *b;
        if (x >= 'A' && x <= 'Z')
            x = (char)(x - 'A' + 'a');
        if (y >= 'A' && y <= 'Z')
            y = (char)(y - 'A' + 'a');
        if (x != y)
            return 0;
        if (x == '\0')
            return 1;
    }
}

/*
 * The next token at *cursor, NUL-terminated in place (quoted tokens are
 * unescaped in place, which only ever shortens them), or NULL at the end.
 * *ended_line tells whether the NUL replaced the newline after the token.
 */
static char *next_token_at(char **cursor, int *ended_line)
{
    *ended_line = 0;
    char *p = *cursor;
    for (;;) {
        while (is_blank(*p))
            p++;
        if (*p != '#')
            break;
        while (*p != '\0' && *p != '\n') /* a comment runs to the end of its line */
            p++;
    }
    if (*p == '\0') {
        *cursor = p;
        return NULL;
    }
    char *token = p;
    if (*p == '"') {
        char *out = token;
        for (p++; *p != '\0' && *p != '"'; p++) {
            if (*p == '\\' && p[1] != '\0') {
                p++;
                *out++ = (char)(*p == 'n' ? '\n' : *p == 'r' ? '\r' : *p == 't' ? '\t' : *p);
            } else {
                *out++ = *p;
            }
        }
        if (*p == '"')
            p++;
        *out = '\0';
    } else {
        while (*p != '\0' && !is_blank(*p))
            p++;
        if (*p != '\0') {
            *ended_line = *p == '\n';
            *p++ = '\0';
        }
    }
    *cursor = p;
    return token;
}

static char *next_token(char **cursor)
{
    int ended_line;
    return next_token_at(cursor, &ended_line);
}

/*
 * Skips a macro definition: its lines run up to the first empty line.
 * @p at_line_start: *cursor is already at the start of the first body line.
 */
static void skip_macro(char **cursor, int at_line_start)
{
    char *p = *cursor;
    if (!at_line_start) { /* finish the "macdef NAME" line */
        p = strchr(p, '\n');
        p = p != NULL ? p + 1 : *cursor + strlen(*cursor);
    }
    while (*p != '\0' && *p != '\n' && !(*p == '\r' && p[1] == '\n')) {
        char *eol = strchr(p, '\n');
        p = eol != NULL ? eol + 1 : p + strlen(p);
    }
    *cursor = p;
}

enum entry_kind { ENTRY_NONE, ENTRY_MACHINE, ENTRY_DEFAULT };

typedef struct entry {
    enum entry_kind kind;
    const char *machine;
    const char *login;
    const char *password;
    const char *account;
} entry;

static int entry_matches(const entry *e, const char *host, const char *login)
{
    if (e->kind == ENTRY_NONE)
        return 0;
    if (e->kind == ENTRY_MACHINE && (e->machine == NULL || !ascii_ieq(e->machine, host)))
        return 0;
    return login == NULL || (e->login != NULL && strcmp(e->login, login) == 0);
}

static char *dup_or_null(const char *s) { return s != NULL ? strdup(s) : NULL; }

int netrc_lookup(const char *path, const char *host, const char *login, netrc_credentials *out)
{
    memset(out, 0, sizeof *out);
    size_t text_len = 0;
    char *text = read_file(path, &text_len);
    if (text == NULL)
        return errno == ENOENT ? 0 : -1;

    entry current = {ENTRY_NONE, NULL, NULL, NULL, NULL};
    entry found_machine = current;
    entry found_default = current;
    char *cursor = text;
    for (;;) {
        char *token = next_token(&cursor);
        int ends_entry = token == NULL || strcmp(token, "machine") == 0 ||
                         strcmp(token, "default") == 0;
        if (ends_entry && entry_matches(&current, host, login)) {
            if (current.kind == ENTRY_MACHINE) {
                found_machine = current;
                break;
            }
            if (found_default.kind == ENTRY_NONE)
                found_default = current;
        }
        if (token == NULL)
            break;
        if (strcmp(token, "machine") == 0) {
            entry next = {ENTRY_MACHINE, next_token(&cursor), NULL, NULL, NULL};
            current = next;
        } else if (strcmp(token, "default") == 0) {
            entry next = {ENTRY_DEFAULT, NULL, NULL, NULL, NULL};
            current = next;
        } else if (strcmp(token, "login") == 0) {
            current.login = next_token(&cursor);
        } else if (strcmp(token, "password") == 0) {
            current.password = next_token(&cursor);
        } else if (strcmp(token, "account") == 0) {
            current.account = next_token(&cursor);
        } else if (strcmp(token, "macdef") == 0) {
            int name_ended_line = 0;
            next_token_at(&cursor, &name_ended_line);
            skip_macro(&cursor, name_ended_line);
        }
        /* Anything else is ignored, as curl does. */
    }

    const entry *chosen = found_machine.kind != ENTRY_NONE ? &found_machine : &found_default;
    int matched = chosen->kind != ENTRY_NONE;
    if (matched) {
        out->login = dup_or_null(chosen->login);
        out->password = dup_or_null(chosen->password);
        out->account = dup_or_null(chosen->account);
    }
    wipe_bytes(text, text_len);
    free(text);
    return matched;
}

void netrc_credentials_free(netrc_credentials *creds)
{
    wipe(creds->password);
    wipe(creds->account);
    free(creds->login);
    free(creds->password);
    free(creds->account);
    memset(creds, 0, sizeof *creds);
}
