/*
 * The command table and the outcome shared by every command (see commands.h).
 */
#include "commands.h"

#include <string.h>

#include "status.h"

static const command_spec command_table[] = {
    {.name = "ls", .synopsis = "ls URL", .min_args = 1, .max_args = 1,
     .takes_names_only = 1, .run = command_ls},
    {.name = "get", .synopsis = "get URL [LOCAL]", .min_args = 1, .max_args = 2,
     .takes_resume = 1, .run = command_get},
    {.name = "put", .synopsis = "put LOCAL URL", .url_index = 1, .min_args = 2, .max_args = 2,
     .run = command_put},
    {.name = "cat", .synopsis = "cat URL", .min_args = 1, .max_args = 1, .run = command_cat},
    {.name = "mkdir", .synopsis = "mkdir URL", .min_args = 1, .max_args = 1,
     .run = command_mkdir},
    {.name = "rm", .synopsis = "rm URL", .min_args = 1, .max_args = 1, .run = command_rm},
    {.name = "rmdir", .synopsis = "rmdir URL", .min_args = 1, .max_args = 1,
     .run = command_rmdir},
    {.name = "mv", .synopsis = "mv URL NEWPATH", .min_args = 2, .max_args = 2,
     .args_are_commands = 1, .run = command_mv},
    {.name = "pwd", .synopsis = "pwd URL", .min_args = 1, .max_args = 1, .run = command_pwd},
    {.name = "quote", .synopsis = "quote URL COMMAND...", .min_args = 2, .max_args = -1,
     .args_are_commands = 1, .run = command_quote},
};

const command_spec *command_find(const char *name)
{
    for (size_t i = 0; i < sizeof command_table / sizeof command_table[0]; i++)
        if (strcmp(command_table[i].name, name) == 0)
            return &command_table[i];
    return NULL;
}

int command_outcome(ftp_session *s, int status, output *out)
{
    if (out != NULL && out->error != 0)
        return output_failure_exit(out);
    if (status != FTP_OK)
        return report_ftp_failure(s, status);
    if (out != NULL && output_flush(out) != 0)
        return output_failure_exit(out);
    return CLI_EXIT_OK;
}
