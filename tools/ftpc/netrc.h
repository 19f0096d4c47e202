/*
 * Credentials from a .netrc file, the way curl reads it.
 *
 * The file is $NETRC when that is set and not empty, else $HOME/.netrc.
 * Tokens are separated by blanks or newlines and may be double-quoted (with
 * backslash escapes inside the quotes); a token starting with '#' comments
 * out the rest of its line; "macdef NAME" skips lines up to the next empty
 * line.  The first "machine HOST" entry whose name equals the host
 * (ASCII case-insensitively) wins, else the "default" entry.  When the caller
 * already knows the login, only an entry with that login matches.
 *
 * Like curl (and unlike Python's netrc module), the file's permissions are
 * not checked: a .netrc that other users can read is still used.
 */
#ifndef FTPC_CLI_NETRC_H
#define FTPC_CLI_NETRC_H

#include <stddef.h>

typedef struct netrc_credentials {
    char *login;    /* NULL when the entry has none */
    char *password; /* NULL when the entry has none */
    char *account;  /* NULL when the entry has none */
} netrc_credentials;

/*
 * The .netrc path to read ($NETRC, else $HOME/.netrc), written into @p buf.
 * Returns NULL when neither variable gives one or it does not fit.
 */
const char *netrc_path(char *buf, size_t cap);

/*
 * Looks @p host up in the file at @p path.  @p login, if not NULL, is the
 * login the entry must have.
 * Returns 1 and fills @p out (free with netrc_credentials_free()) when an
 * entry matches; 0 when none does or the file does not exist; -1 when the
 * file exists but cannot be read (errno is set).
 */
int netrc_lookup(const char *path, const char *host, const char *login, netrc_credentials *out);

/* Releases what netrc_lookup() allocated; the password is wiped first. */
void netrc_credentials_free(netrc_credentials *creds);

#endif
