/*
 * ftpc — a command-line FTP client built on libftpc's public API.
 *
 * main() checks the whole command line (options, command, argument count,
 * URL, TLS options) before a command runs, so every usage error exits with
 * status 2 without contacting anything.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "help.h"
#include "options.h"
#include "output.h"
#include "status.h"
#include "tls_setup.h"
#include "url.h"

/* The command word's arguments without the URL, in a new array. */
static char **arguments_besides_url(const cli_options *opts, int url_index)
{
    char **rest = malloc(sizeof *rest * (size_t)(opts->nargs > 0 ? opts->nargs : 1));
    if (rest != NULL) {
        int n = 0;
        for (int i = 0; i < opts->nargs; i++)
            if (i != url_index)
                rest[n++] = opts->args[i];
    }
    return rest;
}

static int check_usage(const cli_options *opts, const command_spec *spec)
{
    if (opts->nargs < spec->min_args || (spec->max_args >= 0 && opts->nargs > spec->max_args))
        return report_usage_error("usage: ftpc [OPTIONS] %s", spec->synopsis);
    if (opts->names_only && !spec->takes_names_only)
        return report_usage_error("-1/--names applies to ls only");
    if (opts->resume && !spec->takes_resume)
        return report_usage_error("-C/--resume applies to get only");
    /* mv's NEWPATH and quote's commands become command text: CR or LF would
     * smuggle in a second command (the library would refuse it too, but
     * only after connecting). */
    for (int i = 0; spec->args_are_commands && i < opts->nargs; i++) {
        if (i == spec->url_index)
            continue;
        if (strpbrk(opts->args[i], "\r\n") != NULL)
            return report_usage_error("argument %d holds a CR or LF, which would split the "
                                      "FTP command", i + 2);
        if (opts->args[i][0] == '\0')
            return report_usage_error("an empty argument cannot be sent to the server");
    }
    return CLI_EXIT_OK;
}

static int run(const cli_options *opts)
{
    const command_spec *spec = command_find(opts->command);
    if (spec == NULL)
        return report_usage_error("unknown command '%s'", opts->command);
    int exit_code = check_usage(opts, spec);
    if (exit_code != CLI_EXIT_OK)
        return exit_code;

    char why[256];
    ftpc_url url;
    if (url_parse(opts->args[spec->url_index], &url, why, sizeof why) != 0)
        return report_usage_error("bad URL: %s", why);
    exit_code = tls_check_usage(opts, &url);
    if (exit_code != CLI_EXIT_OK) {
        url_free(&url);
        return exit_code;
    }
    char **rest = arguments_besides_url(opts, spec->url_index);
    if (rest == NULL) {
        url_free(&url);
        return report_failure(CLI_EXIT_OTHER, "out of memory");
    }
    command_context ctx = {opts, &url, rest, opts->nargs - 1};
    exit_code = spec->run(&ctx);
    free(rest);
    url_free(&url);
    return exit_code;
}

int main(int argc, char **argv)
{
    /* A reader that goes away (ftpc cat URL | head) must not kill ftpc
     * before it can end the transfer properly: writes fail with EPIPE
     * instead, which output.c treats as a quiet end.  (SIG_ERR would only
     * come for an invalid signal number.) */
    (void)signal(SIGPIPE, SIG_IGN);

    output out;
    output_init(&out, stdout, "stdout", 1);
    cli_options opts;
    int exit_code = CLI_EXIT_OK;
    switch (options_parse(argc, argv, &opts)) {
    case OPTIONS_RUN:
        exit_code = run(&opts);
        break;
    case OPTIONS_HELP:
        print_help(&out);
        break;
    case OPTIONS_VERSION:
        print_version(&out);
        break;
    default:
        exit_code = CLI_EXIT_USAGE;
        break;
    }
    /* Commands flush what they print; this catches --help into a full disk
     * (out keeps the errno of a write that failed before the flush). */
    if (output_flush(&out) != 0 && exit_code == CLI_EXIT_OK)
        exit_code = output_failure_exit(&out);
    return exit_code;
}
