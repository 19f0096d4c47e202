/*
 * Session setup and teardown (see connection.h).
 */
#define _POSIX_C_SOURCE 200809L
#include "connection.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "netrc.h"
#include "status.h"
#include "tls_setup.h"
#include "trace.h"

/* Who to log in as; the strings borrow from the URL or from netrc. */
typedef struct login_credentials {
    const char *user;     /* NULL: anonymous */
    const char *password; /* NULL: empty */
    const char *account;  /* NULL: none */
    netrc_credentials from_netrc;
} login_credentials;

/*
 * The URL's user and password win.  A URL without a user, or with a user but
 * no password, asks the .netrc (for that user, in the second case), as curl
 * --netrc does.  Nothing found means anonymous.
 */
static void resolve_credentials(const cli_options *opts, const ftpc_url *url,
                                login_credentials *creds)
{
    char path_buf[4096];
    memset(creds, 0, sizeof *creds);
    creds->user = url->user;
    creds->password = url->password;
    if (url->user != NULL && url->password != NULL)
        return;

    const char *path = netrc_path(path_buf, sizeof path_buf);
    if (path == NULL)
        return;
    int found = netrc_lookup(path, url->host, url->user, &creds->from_netrc);
    if (found < 0) {
        /* A warning on stderr: nothing to do if it cannot be printed. */
        (void)fprintf(stderr, "ftpc: warning: cannot read %s: %s\n", path, strerror(errno));
        return;
    }
    if (found == 0)
        return;
    if (creds->user == NULL)
        creds->user = creds->from_netrc.login;
    creds->password = creds->from_netrc.password;
    creds->account = creds->from_netrc.account;
    if (opts->verbose)
        trace_note("credentials for %s from %s", url->host, path);
}

static int apply_options(ftp_session *s, const cli_options *opts)
{
    int rc = FTP_OK;
    if (opts->verbose) {
        rc = ftp_set_trace_fn(s, trace_to_stderr, NULL, NULL);
        if (rc == FTP_OK)
            rc = ftp_set_debuglevel(s, 2); /* 2: connections and data channels too */
    }
    if (rc == FTP_OK && opts->timeout_ms > 0)
        rc = ftp_set_timeout_ms(s, opts->timeout_ms);
    if (rc == FTP_OK && opts->active)
        rc = ftp_set_pasv(s, 0);
    return rc;
}

int connection_open(const cli_options *opts, const ftpc_url *url, ftp_session **out)
{
    ftp_session *s = ftp_session_new();
    if (s == NULL)
        return report_failure(CLI_EXIT_OTHER, "out of memory");

    int exit_code = tls_configure(s, opts, url);
    if (exit_code != CLI_EXIT_OK) {
        ftp_session_free(s); /* nothing was contacted */
        return exit_code;
    }
    login_credentials creds;
    resolve_credentials(opts, url, &creds);
    int rc = apply_options(s, opts);
    if (rc == FTP_OK)
        rc = ftp_connect(s, url->host, url->port);
    if (rc == FTP_OK) {
        tls_after_connect(s, opts, url);
        if (opts->verbose)
            trace_note("logging in as %s",
                       creds.user != NULL && creds.user[0] != '\0' ? creds.user : "anonymous");
        rc = ftp_login(s, creds.user, creds.password, creds.account);
    }
    netrc_credentials_free(&creds.from_netrc);
    if (rc != FTP_OK) {
        exit_code = report_ftp_failure(s, rc);
        connection_close(s); /* after the report: QUIT replaces the last error */
        return exit_code;
    }
    *out = s;
    return CLI_EXIT_OK;
}

void connection_close(ftp_session *s)
{
    if (s == NULL)
        return;
    (void)ftp_quit(s);
    ftp_session_free(s);
}
