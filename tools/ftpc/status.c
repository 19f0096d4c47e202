/*
 * Exit statuses and error messages (see status.h).
 *
 * The messages go to stderr, unchecked ((void)): stderr is where a failure
 * would be reported, and the exit status carries the outcome anyway.
 */
#include "status.h"

#include <stdarg.h>
#include <stdio.h>

int cli_exit_for(int ftp_status)
{
    switch (ftp_status) {
    case FTP_OK:
        return CLI_EXIT_OK;
    case FTP_E_REPLY:
    case FTP_E_TEMP:
    case FTP_E_PERM:
        return CLI_EXIT_REFUSED;
    case FTP_E_PROTO:
    case FTP_E_RESOLVE:
    case FTP_E_CONNECT:
    case FTP_E_IO:
    case FTP_E_TIMEOUT:
    case FTP_E_CLOSED:
    case FTP_E_CANCELLED:
        return CLI_EXIT_NETWORK;
    case FTP_E_TLS:
        return CLI_EXIT_TLS;
    case FTP_E_FILE:
        return CLI_EXIT_LOCAL;
    default: /* FTP_E_INVALID, NOMEM, ABORTED, STATE, BUSY, UNSUPPORTED, INTERNAL */
        return CLI_EXIT_OTHER;
    }
}

static void vreport(const char *fmt, va_list ap)
{
    (void)fputs("ftpc: ", stderr);
    (void)vfprintf(stderr, fmt, ap);
    (void)fputc('\n', stderr);
}

int report_ftp_failure(const ftp_session *s, int ftp_status)
{
    const char *why = ftp_last_error(s);
    /* The library promises a sentence; fall back rather than print "ftpc: ". */
    if (why == NULL || why[0] == '\0')
        why = ftp_strerror(ftp_status);
    (void)fprintf(stderr, "ftpc: %s\n", why);
    return cli_exit_for(ftp_status);
}

int report_failure(int exit_code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vreport(fmt, ap);
    va_end(ap);
    return exit_code;
}

int report_usage_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    (void)fputs("ftpc: ", stderr);
    (void)vfprintf(stderr, fmt, ap);
    (void)fputs(" (see 'ftpc --help')\n", stderr);
    va_end(ap);
    return CLI_EXIT_USAGE;
}
