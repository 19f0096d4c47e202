/*
 * The texts of --help and --version.
 */
#ifndef FTPC_CLI_HELP_H
#define FTPC_CLI_HELP_H

#include <stdio.h>

void print_help(FILE *out);
void print_version(FILE *out);

#endif
