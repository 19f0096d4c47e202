/*
 * FTPS setup for the command line (see tls_setup.h).
 */
#define _POSIX_C_SOURCE 200809L
#include "tls_setup.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "status.h"
#include "trace.h"

/* The library's TLS mode for this URL and these options. */
static int tls_mode_for(const cli_options *opts, const ftpc_url *url)
{
    if (url->implicit_tls)
        return FTP_TLS_IMPLICIT;
    switch (opts->tls.request) {
    case TLS_REQUEST_REQUIRED:
        return FTP_TLS_EXPLICIT;
    case TLS_REQUEST_TRY:
        return FTP_TLS_TRY_INSECURE;
    default:
        return FTP_TLS_NONE;
    }
}

/* The first option given that only means something under TLS, or NULL.
 * Silently ignoring "--cacert ca.pem" on a plain ftp:// URL would let the
 * user believe the session is protected. */
static const char *tls_only_option_given(const cli_tls_options *tls)
{
    if (tls->ca_file != NULL)
        return "--cacert";
    if (tls->ca_path != NULL)
        return "--capath";
    if (tls->cert_file != NULL)
        return "--cert";
    if (tls->key_file != NULL)
        return "--key";
    if (tls->insecure)
        return "--insecure";
    if (tls->min_version != 0)
        return "--tls-min";
    if (tls->max_version != 0)
        return "--tls-max";
    if (tls->no_prot)
        return "--no-prot";
    return NULL;
}

/* A local file an option names must be readable now (OpenSSL reads it
 * only at the handshake, after connecting): CLI_EXIT_OK or CLI_EXIT_LOCAL. */
static int check_readable(const char *option, const char *path, int want_directory)
{
    struct stat st;
    int error = 0;
    if (stat(path, &st) != 0)
        error = errno;
    else if (want_directory && !S_ISDIR(st.st_mode))
        error = ENOTDIR;
    else if (!want_directory && S_ISDIR(st.st_mode))
        error = EISDIR;
    if (error == 0 && !want_directory) {
        FILE *fp = fopen(path, "rb");
        if (fp == NULL)
            error = errno;
        else
            (void)fclose(fp); /* only a readability probe: nothing was written */
    }
    if (error != 0)
        return report_failure(CLI_EXIT_LOCAL, "%s %s: %s", option, path, strerror(error));
    return CLI_EXIT_OK;
}

static int check_files(const cli_tls_options *tls)
{
    int exit_code = CLI_EXIT_OK;
    if (tls->ca_file != NULL)
        exit_code = check_readable("--cacert", tls->ca_file, 0);
    if (exit_code == CLI_EXIT_OK && tls->ca_path != NULL)
        exit_code = check_readable("--capath", tls->ca_path, 1);
    if (exit_code == CLI_EXIT_OK && tls->cert_file != NULL)
        exit_code = check_readable("--cert", tls->cert_file, 0);
    if (exit_code == CLI_EXIT_OK && tls->key_file != NULL)
        exit_code = check_readable("--key", tls->key_file, 0);
    return exit_code;
}

int tls_check_usage(const cli_options *opts, const ftpc_url *url)
{
    const cli_tls_options *tls = &opts->tls;
    if (url->implicit_tls && tls->request == TLS_REQUEST_TRY)
        return report_usage_error("--tls-try cannot apply to an ftps:// URL, which is TLS from "
                                  "the first byte; use it with ftp://");
    const char *tls_only = tls_only_option_given(tls);
    if (tls_only != NULL && tls_mode_for(opts, url) == FTP_TLS_NONE)
        return report_usage_error("%s applies to FTPS only: add --tls, or use an ftps:// URL",
                                  tls_only);
    if (tls->key_file != NULL && tls->cert_file == NULL)
        return report_usage_error("--key needs --cert");
    if (tls->insecure && (tls->ca_file != NULL || tls->ca_path != NULL))
        return report_usage_error("--insecure turns off the verification that %s sets up; "
                                  "give one or the other",
                                  tls->ca_file != NULL ? "--cacert" : "--capath");
    if (tls->min_version != 0 && tls->max_version != 0 && tls->min_version > tls->max_version)
        return report_usage_error("--tls-min is above --tls-max");
    return check_files(tls);
}

int tls_configure(ftp_session *s, const cli_options *opts, const ftpc_url *url)
{
    const cli_tls_options *tls = &opts->tls;
    int mode = tls_mode_for(opts, url);
    if (mode == FTP_TLS_NONE)
        return CLI_EXIT_OK;

    int rc = ftp_set_tls_mode(s, mode);
    if (rc == FTP_E_UNSUPPORTED)
        return report_failure(CLI_EXIT_TLS, "FTPS is not available: this libftpc was built "
                                            "without TLS support");
    if (rc == FTP_OK && tls->ca_file != NULL)
        rc = ftp_set_ca_file(s, tls->ca_file);
    if (rc == FTP_OK && tls->ca_path != NULL)
        rc = ftp_set_ca_path(s, tls->ca_path);
    if (rc == FTP_OK && tls->cert_file != NULL)
        rc = ftp_set_client_cert(s, tls->cert_file, tls->key_file);
    if (rc == FTP_OK && tls->min_version != 0)
        rc = ftp_set_tls_min_version(s, tls->min_version);
    if (rc == FTP_OK && tls->max_version != 0)
        rc = ftp_set_tls_max_version(s, tls->max_version);
    if (rc == FTP_OK && tls->no_prot)
        rc = ftp_set_tls_protect_data(s, 0);
    if (rc == FTP_OK && tls->insecure)
        rc = ftp_set_tls_insecure_skip_verify(s, 1);
    if (rc != FTP_OK)
        return report_ftp_failure(s, rc);
    /* Warnings go to stderr unchecked: nothing to do if one cannot be printed. */
    if (tls->insecure)
        (void)fputs("ftpc: warning: --insecure: the server's certificate is not verified; "
                    "anyone on the path can read and change this session\n",
                    stderr);
    return CLI_EXIT_OK;
}

void tls_after_connect(const ftp_session *s, const cli_options *opts, const ftpc_url *url)
{
    const char *version = ftp_tls_version(s);
    if (version == NULL) {
        /* Only --tls-try gets here with TLS asked for: the other modes fail
         * rather than go on in clear text. */
        if (tls_mode_for(opts, url) == FTP_TLS_TRY_INSECURE) /* unchecked, as above */
            (void)fputs("ftpc: warning: the server refused AUTH TLS; --tls-try goes on in "
                        "clear text: the password and the data are not protected\n",
                        stderr);
        return;
    }
    if (opts->verbose) {
        const char *cipher = ftp_tls_cipher(s);
        trace_note("control connection: %s, cipher %s, certificate %s", version,
                   cipher != NULL ? cipher : "(unknown)",
                   opts->tls.insecure ? "NOT verified (--insecure)" : "verified");
    }
}

int tls_available(void)
{
    ftp_session *s = ftp_session_new();
    if (s == NULL)
        return 0;
    int available = ftp_set_tls_mode(s, FTP_TLS_EXPLICIT) != FTP_E_UNSUPPORTED;
    ftp_session_free(s);
    return available;
}
