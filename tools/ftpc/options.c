/*
 * Command-line parsing (see options.h).
 */
#include "options.h"

#include <getopt.h> /* getopt_long: glibc declares it without feature macros */
#include <stdlib.h>
#include <string.h>

#include <ftpc/ftpc.h>

#include "status.h"

/* The library refuses timeouts above one day (86400000 ms). */
#define MAX_TIMEOUT_SECONDS 86400.0

enum long_only_option {
    OPT_ACTIVE = 256,
    OPT_TIMEOUT,
    OPT_VERSION,
    OPT_TLS,
    OPT_TLS_TRY,
    OPT_CACERT,
    OPT_CAPATH,
    OPT_CERT,
    OPT_KEY,
    OPT_INSECURE,
    OPT_TLS_MIN,
    OPT_TLS_MAX,
    OPT_NO_PROT
};

static const struct option long_options[] = {
    {"active", no_argument, NULL, OPT_ACTIVE},
    {"timeout", required_argument, NULL, OPT_TIMEOUT},
    {"verbose", no_argument, NULL, 'v'},
    {"resume", no_argument, NULL, 'C'},
    {"names", no_argument, NULL, '1'},
    {"help", no_argument, NULL, 'h'},
    {"version", no_argument, NULL, OPT_VERSION},
    {"tls", no_argument, NULL, OPT_TLS},
    {"tls-try", no_argument, NULL, OPT_TLS_TRY},
    {"cacert", required_argument, NULL, OPT_CACERT},
    {"capath", required_argument, NULL, OPT_CAPATH},
    {"cert", required_argument, NULL, OPT_CERT},
    {"key", required_argument, NULL, OPT_KEY},
    {"insecure", no_argument, NULL, OPT_INSECURE},
    {"tls-min", required_argument, NULL, OPT_TLS_MIN},
    {"tls-max", required_argument, NULL, OPT_TLS_MAX},
    {"no-prot", no_argument, NULL, OPT_NO_PROT},
    {NULL, 0, NULL, 0},
};

/* Seconds (a decimal such as 2.5) to milliseconds; -1 if not acceptable. */
static int64_t parse_timeout_ms(const char *text)
{
    char *end;
    double seconds = strtod(text, &end);
    if (end == text || *end != '\0' || !(seconds > 0.0) || seconds > MAX_TIMEOUT_SECONDS)
        return -1;
    int64_t ms = (int64_t)(seconds * 1000.0 + 0.999); /* round up: never shorten */
    return ms < 1 ? 1 : ms;
}

/* "1.2" or "1.3" to an FTP_TLS_VERSION_*; 0 if neither. */
static int parse_tls_version(const char *text)
{
    if (strcmp(text, "1.2") == 0)
        return FTP_TLS_VERSION_1_2;
    if (strcmp(text, "1.3") == 0)
        return FTP_TLS_VERSION_1_3;
    return 0;
}

/* --tls and --tls-try exclude each other; either may be repeated. */
static int set_tls_request(cli_options *opts, int request, const char *option)
{
    if (opts->tls.request != TLS_REQUEST_NONE && opts->tls.request != request) {
        report_usage_error("%s and %s exclude each other", option,
                           request == TLS_REQUEST_TRY ? "--tls" : "--tls-try");
        return -1;
    }
    opts->tls.request = request;
    return 0;
}

/* The options that only matter for FTPS; returns 0, or -1 after a usage error. */
static int parse_tls_option(int c, const char *arg, cli_options *opts)
{
    cli_tls_options *tls = &opts->tls;
    switch (c) {
    case OPT_TLS:
        return set_tls_request(opts, TLS_REQUEST_REQUIRED, "--tls");
    case OPT_TLS_TRY:
        return set_tls_request(opts, TLS_REQUEST_TRY, "--tls-try");
    case OPT_CACERT:
        tls->ca_file = arg;
        return 0;
    case OPT_CAPATH:
        tls->ca_path = arg;
        return 0;
    case OPT_CERT:
        tls->cert_file = arg;
        return 0;
    case OPT_KEY:
        tls->key_file = arg;
        return 0;
    case OPT_INSECURE:
        tls->insecure = 1;
        return 0;
    case OPT_NO_PROT:
        tls->no_prot = 1;
        return 0;
    default: { /* OPT_TLS_MIN, OPT_TLS_MAX */
        int version = parse_tls_version(arg);
        const char *name = c == OPT_TLS_MIN ? "--tls-min" : "--tls-max";
        if (version == 0) {
            report_usage_error("%s wants 1.2 or 1.3, not '%s'", name, arg);
            return -1;
        }
        *(c == OPT_TLS_MIN ? &tls->min_version : &tls->max_version) = version;
        return 0;
    }
    }
}

enum options_outcome options_parse(int argc, char **argv, cli_options *opts)
{
    memset(opts, 0, sizeof *opts);
    opterr = 0; /* our own messages, in our own format */
    for (;;) {
        int c = getopt_long(argc, argv, ":vC1h", long_options, NULL);
        if (c == -1)
            break;
        switch (c) {
        case OPT_ACTIVE:
            opts->active = 1;
            break;
        case OPT_TIMEOUT:
            opts->timeout_ms = parse_timeout_ms(optarg);
            if (opts->timeout_ms < 0) {
                report_usage_error("--timeout wants a number of seconds between 0 and %.0f, "
                                   "not '%s'", MAX_TIMEOUT_SECONDS, optarg);
                return OPTIONS_USAGE_ERROR;
            }
            break;
        case 'v':
            opts->verbose = 1;
            break;
        case 'C':
            opts->resume = 1;
            break;
        case '1':
            opts->names_only = 1;
            break;
        case 'h':
            return OPTIONS_HELP;
        case OPT_VERSION:
            return OPTIONS_VERSION;
        case OPT_TLS:
        case OPT_TLS_TRY:
        case OPT_CACERT:
        case OPT_CAPATH:
        case OPT_CERT:
        case OPT_KEY:
        case OPT_INSECURE:
        case OPT_TLS_MIN:
        case OPT_TLS_MAX:
        case OPT_NO_PROT:
            if (parse_tls_option(c, optarg, opts) != 0)
                return OPTIONS_USAGE_ERROR;
            break;
        case ':':
            report_usage_error("option '%s' needs an argument", argv[optind - 1]);
            return OPTIONS_USAGE_ERROR;
        default: /* '?' */
            if (optopt != 0)
                report_usage_error("unknown option '-%c'", optopt);
            else
                report_usage_error("unknown option '%s'", argv[optind - 1]);
            return OPTIONS_USAGE_ERROR;
        }
    }
    if (optind >= argc) {
        report_usage_error("no command given");
        return OPTIONS_USAGE_ERROR;
    }
    opts->command = argv[optind];
    opts->args = argv + optind + 1;
    opts->nargs = argc - optind - 1;
    return OPTIONS_RUN;
}
