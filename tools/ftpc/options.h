/*
 * The ftpc command line: options, the command word and its arguments.
 */
#ifndef FTPC_CLI_OPTIONS_H
#define FTPC_CLI_OPTIONS_H

#include <stdint.h>

/* What --tls and --tls-try ask of an ftp:// URL (ftps:// is implicit FTPS). */
enum cli_tls_request {
    TLS_REQUEST_NONE = 0, /* plain FTP */
    TLS_REQUEST_REQUIRED, /* --tls: AUTH TLS must succeed */
    TLS_REQUEST_TRY       /* --tls-try: clear text if the server refuses AUTH TLS */
};

/* The FTPS options; checked against each other and the URL by tls_setup.c. */
typedef struct cli_tls_options {
    int request;           /* enum cli_tls_request */
    const char *ca_file;   /* --cacert: trust these CA certificates */
    const char *ca_path;   /* --capath: trust this hashed certificate directory */
    const char *cert_file; /* --cert: client certificate */
    const char *key_file;  /* --key: its private key (default: in cert_file) */
    int insecure;          /* --insecure: no certificate verification */
    int min_version;       /* --tls-min: an FTP_TLS_VERSION_*; 0 unset */
    int max_version;       /* --tls-max: likewise */
    int no_prot;           /* --no-prot: data connections in clear text */
} cli_tls_options;

typedef struct cli_options {
    int active;         /* --active: EPRT/PORT instead of EPSV/PASV */
    int64_t timeout_ms; /* --timeout; 0 keeps the library's defaults */
    int verbose;        /* -v: trace commands, replies and connections */
    int resume;         /* -C: get continues LOCAL.part */
    int names_only;     /* -1: ls lists names (NLST) */
    cli_tls_options tls;
    const char *command;
    char **args;        /* the arguments after the command word */
    int nargs;
} cli_options;

enum options_outcome {
    OPTIONS_RUN,        /* run opts->command */
    OPTIONS_HELP,       /* --help: print the help text, exit 0 */
    OPTIONS_VERSION,    /* --version: print the versions, exit 0 */
    OPTIONS_USAGE_ERROR /* the reason was printed: exit 2 */
};

/* Parses argv (options may come before or after the command word). */
enum options_outcome options_parse(int argc, char **argv, cli_options *opts);

#endif
