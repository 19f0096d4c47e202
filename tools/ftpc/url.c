/*
 * ftp:// and ftps:// URL parsing for the ftpc command line (see url.h).
 */
#define _POSIX_C_SOURCE 200809L
#include "url.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int fail(char *why, size_t cap, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    (void)vsnprintf(why, cap, fmt, ap); /* a cut message is still a message */
    va_end(ap);
    return -1;
}

/* ASCII only: the C library's classifiers depend on the locale. */
static int is_digit(char c) { return c >= '0' && c <= '9'; }
static int is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
static int is_hex(char c) { return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

static int hex_value(char c)
{
    if (is_digit(c))
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return c - 'A' + 10;
}

static int ascii_ieq(const char *a, size_t alen, const char *b)
{
    if (strlen(b) != alen)
        return 0;
    for (size_t i = 0; i < alen; i++) {
        char x = a[i], y = b[i];
        if (x >= 'A' && x <= 'Z')
            x = (char)(x - 'A' + 'a');
        if (x != y)
            return 0;
    }
    return 1;
}

/*
 * Percent-decodes [begin, end) into a new string in @p out.  The bytes that
 * would end or split an FTP command (NUL, CR, LF) are refused, as is a '%'
 * not followed by two hex digits.
 */
static int decode(const char *begin, const char *end, const char *what, char **out, char *why,
                  size_t cap)
{
    char *text = malloc((size_t)(end - begin) + 1);
    size_t n = 0;
    if (text == NULL)
        return fail(why, cap, "out of memory");
    for (const char *p = begin; p < end; p++) {
        if (*p != '%') {
            text[n++] = *p;
            continue;
        }
        if (end - p < 3 || !is_hex(p[1]) || !is_hex(p[2])) {
            free(text);
            return fail(why, cap, "the %s holds a '%%' that is not followed by two hex digits",
                        what);
        }
        int byte = hex_value(p[1]) * 16 + hex_value(p[2]);
        if (byte == 0 || byte == '\r' || byte == '\n') {
            free(text);
            return fail(why, cap, "the %s holds %%%c%c, which would be %s in an FTP command", what,
                        p[1], p[2], byte == 0 ? "a NUL" : byte == '\r' ? "a CR" : "an LF");
        }
        text[n++] = (char)byte;
        p += 2;
    }
    text[n] = '\0';
    *out = text;
    return 0;
}

static char *copy_range(const char *begin, const char *end)
{
    size_t n = (size_t)(end - begin);
    char *text = malloc(n + 1);
    if (text != NULL) {
        memcpy(text, begin, n);
        text[n] = '\0';
    }
    return text;
}

/* Splits "HOST[:PORT]" or "[V6]:PORT" into out->host and out->port. */
static int parse_host_port(const char *begin, const char *end, ftpc_url *out, char *why,
                           size_t cap)
{
    const char *after_host;
    if (begin < end && *begin == '[') {
        const char *close = memchr(begin, ']', (size_t)(end - begin));
        if (close == NULL)
            return fail(why, cap, "the IPv6 address has no closing ']'");
        for (const char *p = begin + 1; p < close; p++)
            if (!is_hex(*p) && *p != ':' && *p != '.')
                return fail(why, cap, "'%c' does not belong in an IPv6 address", *p);
        if (close == begin + 1)
            return fail(why, cap, "the IPv6 address is empty");
        out->host = copy_range(begin + 1, close);
        after_host = close + 1;
        if (after_host < end && *after_host != ':')
            return fail(why, cap, "unexpected text after the IPv6 address");
    } else {
        const char *colon = memchr(begin, ':', (size_t)(end - begin));
        const char *host_end = colon != NULL ? colon : end;
        if (host_end == begin)
            return fail(why, cap, "the URL names no host");
        for (const char *p = begin; p < host_end; p++)
            if (!is_alpha(*p) && !is_digit(*p) && *p != '-' && *p != '.' && *p != '_')
                return fail(why, cap, "'%c' does not belong in a host name", *p);
        out->host = copy_range(begin, host_end);
        after_host = host_end;
    }
    if (out->host == NULL)
        return fail(why, cap, "out of memory");

    out->port = out->implicit_tls ? URL_DEFAULT_FTPS_PORT : URL_DEFAULT_PORT;
    if (after_host < end) { /* ":PORT"; an empty port means the default */
        unsigned long port = 0;
        const char *p = after_host + 1;
        if (end - p > 5)
            return fail(why, cap, "the port is out of range");
        for (; p < end; p++) {
            if (!is_digit(*p))
                return fail(why, cap, "the port is not a number");
            port = port * 10 + (unsigned long)(*p - '0');
        }
        if (after_host + 1 < end) {
            if (port == 0 || port > 65535)
                return fail(why, cap, "the port is out of range (1-65535)");
            out->port = (unsigned)port;
        }
    }
    return 0;
}

static int parse_userinfo(const char *begin, const char *end, ftpc_url *out, char *why,
                          size_t cap)
{
    const char *colon = memchr(begin, ':', (size_t)(end - begin));
    if (decode(begin, colon != NULL ? colon : end, "user name", &out->user, why, cap) != 0)
        return -1;
    if (colon != NULL && decode(colon + 1, end, "password", &out->password, why, cap) != 0)
        return -1;
    return 0;
}

int url_parse(const char *text, ftpc_url *out, char *why, size_t cap)
{
    memset(out, 0, sizeof *out);
    for (const char *p = text; *p != '\0'; p++)
        if ((unsigned char)*p < 0x20 || *p == 0x7f)
            return fail(why, cap, "the URL holds a control character");

    const char *sep = strstr(text, "://");
    if (sep == NULL)
        return fail(why, cap, "'%s' is not a URL (expected ftp://HOST/PATH)", text);
    if (ascii_ieq(text, (size_t)(sep - text), "ftps"))
        out->implicit_tls = 1;
    else if (!ascii_ieq(text, (size_t)(sep - text), "ftp"))
        return fail(why, cap, "'%s' is not an ftp:// or ftps:// URL", text);

    const char *authority = sep + 3;
    const char *slash = strchr(authority, '/');
    const char *authority_end = slash != NULL ? slash : authority + strlen(authority);

    /* The last '@' ends the user part, so an unencoded '@' in a user name
     * such as an e-mail address still works (as in curl). */
    const char *at = NULL;
    for (const char *p = authority; p < authority_end; p++)
        if (*p == '@')
            at = p;
    const char *host_begin = authority;
    if (at != NULL) {
        if (parse_userinfo(authority, at, out, why, cap) != 0)
            goto failed;
        host_begin = at + 1;
    }
    if (parse_host_port(host_begin, authority_end, out, why, cap) != 0)
        goto failed;

    const char *path = slash != NULL ? slash + 1 : authority_end;
    if (decode(path, path + strlen(path), "path", &out->path, why, cap) != 0)
        goto failed;
    return 0;

failed:
    url_free(out);
    return -1;
}

void url_free(ftpc_url *url)
{
    if (url->password != NULL) {
        /* volatile: the wipe must not be optimised away before free(). */
        volatile char *p = url->password;
        while (*p != '\0')
            *p++ = '\0';
    }
    free(url->user);
    free(url->password);
    free(url->host);
    free(url->path);
    memset(url, 0, sizeof *url);
}
