/*
 * Exit statuses and the one-line error messages that go with them.
 *
 * Every failure prints exactly one line "ftpc: <why>" on stderr (usage
 * errors end it with a pointer to --help) and maps to one exit status, so scripts can
 * tell a typo from a dead server from a refusal from a full disk.
 */
#ifndef FTPC_CLI_STATUS_H
#define FTPC_CLI_STATUS_H

#include <ftpc/ftpc.h>

enum cli_exit {
    CLI_EXIT_OK = 0,      /* success */
    CLI_EXIT_OTHER = 1,   /* internal or otherwise unclassified failure */
    CLI_EXIT_USAGE = 2,   /* bad option, argument or URL: nothing was contacted */
    CLI_EXIT_NETWORK = 3, /* resolve, connect, I/O, timeout, closed, protocol, cancelled */
    CLI_EXIT_REFUSED = 4, /* the server said no: a 4xx/5xx or an unexpected reply */
    CLI_EXIT_LOCAL = 5,   /* a local file could not be read or written */
    /* TLS could not protect the session: handshake or certificate failure,
     * AUTH TLS refused under --tls, a protected transfer cut short, or no
     * TLS in this build.  Apart from 3 because the cure differs: --cacert,
     * the host name, or the server's TLS setup, not the network. */
    CLI_EXIT_TLS = 6
};

/* The exit status for a library status code (FTP_OK gives CLI_EXIT_OK). */
int cli_exit_for(int ftp_status);

/* Prints "ftpc: <ftp_last_error(s)>" and returns cli_exit_for(ftp_status). */
int report_ftp_failure(const ftp_session *s, int ftp_status);

/* Prints "ftpc: <message>" and returns @p exit_code. */
int report_failure(int exit_code, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* Prints "ftpc: <message> (see 'ftpc --help')"; returns CLI_EXIT_USAGE. */
int report_usage_error(const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 1, 2)))
#endif
    ;

#endif
