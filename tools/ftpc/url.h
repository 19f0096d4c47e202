/*
 * ftp:// and ftps:// URLs as the ftpc command line accepts them.
 *
 *   ftp://[USER[:PASSWORD]@]HOST[:PORT][/PATH]     plain FTP (port 21), or
 *                                                 explicit FTPS with --tls
 *   ftps://[USER[:PASSWORD]@]HOST[:PORT][/PATH]    implicit FTPS (port 990)
 *
 * HOST is a name, an IPv4 address or an IPv6 literal in brackets.  USER,
 * PASSWORD and PATH are percent-decoded.  A URL is refused when it holds a
 * raw control character or when decoding would produce NUL, CR or LF: those
 * bytes could smuggle a second command onto the control connection.
 *
 * PATH is what follows the first '/' after the authority, so it is relative
 * to the login directory (RFC 1738); "ftp://h//etc/x" and "ftp://h/%2Fetc/x"
 * both name the absolute path "/etc/x".
 */
#ifndef FTPC_CLI_URL_H
#define FTPC_CLI_URL_H

#include <stddef.h>

#define URL_DEFAULT_PORT 21u
#define URL_DEFAULT_FTPS_PORT 990u /* implicit FTPS, RFC 4217 section 7 */

typedef struct ftpc_url {
    int implicit_tls; /* ftps://: TLS from the first byte */
    char *user;     /* decoded; NULL when the URL has no user part */
    char *password; /* decoded; NULL when the URL has no ":PASSWORD" */
    char *host;     /* without the brackets of an IPv6 literal */
    unsigned port;  /* URL_DEFAULT_PORT (ftps: URL_DEFAULT_FTPS_PORT) when absent */
    char *path;     /* decoded; "" when the URL has no path */
} ftpc_url;

/*
 * Parses @p text into @p out.  Returns 0, or -1 with a reason such as
 * "the path holds %0d (CR)" written into @p why (of @p why_cap bytes);
 * @p out then needs no url_free().
 */
int url_parse(const char *text, ftpc_url *out, char *why, size_t why_cap);

/* Releases what url_parse() allocated; the password is wiped first. */
void url_free(ftpc_url *url);

#endif
