/*
 * Command-line parsing (see options.h).
 */
#include "options.h"

#include <getopt.h> /* getopt_long: glibc declares it without feature macros */
#include <stdlib.h>
#include <string.h>

#include "help.h"
#include "status.h"

/* The library refuses timeouts above one day (86400000 ms). */
#define MAX_TIMEOUT_SECONDS 86400.0

enum long_only_option { OPT_ACTIVE = 256, OPT_TIMEOUT, OPT_VERSION };

static const struct option long_options[] = {
    {"active", no_argument, NULL, OPT_ACTIVE},
    {"timeout", required_argument, NULL, OPT_TIMEOUT},
    {"verbose", no_argument, NULL, 'v'},
    {"resume", no_argument, NULL, 'C'},
    {"names", no_argument, NULL, '1'},
    {"help", no_argument, NULL, 'h'},
    {"version", no_argument, NULL, OPT_VERSION},
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
            print_help(stdout);
            return OPTIONS_DONE;
        case OPT_VERSION:
            print_version(stdout);
            return OPTIONS_DONE;
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
