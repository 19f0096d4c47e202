/*
 * The texts of --help and --version.
 */
#ifndef FTPC_CLI_HELP_H
#define FTPC_CLI_HELP_H

#include "output.h"

/* Both write through @p out, which remembers a failed write (a full disk, a
 * reader gone) for the caller's output_flush(). */
void print_help(output *out);
void print_version(output *out);

#endif
