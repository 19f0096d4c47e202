/*
 * Command output to stdout or a file (see output.h).
 */
#include "output.h"

#include <errno.h>
#include <string.h>

#include "status.h"

void output_init(output *out, FILE *fp, const char *name, int is_stdout)
{
    out->fp = fp;
    out->name = name;
    out->is_stdout = is_stdout;
    out->error = 0;
}

int output_write(output *out, const void *data, size_t len)
{
    if (out->error != 0)
        return -1;
    errno = 0;
    if (len > 0 && fwrite(data, 1, len, out->fp) != len) {
        out->error = errno != 0 ? errno : EIO;
        return -1;
    }
    return 0;
}

int output_line(output *out, const char *line, size_t len)
{
    if (output_write(out, line, len) != 0)
        return -1;
    return output_write(out, "\n", 1);
}

int output_flush(output *out)
{
    if (out->error != 0)
        return -1;
    errno = 0;
    if (fflush(out->fp) != 0) {
        out->error = errno != 0 ? errno : EIO;
        return -1;
    }
    return 0;
}

int output_reader_gone(const output *out) { return out->is_stdout && out->error == EPIPE; }

int output_failure_exit(const output *out)
{
    if (output_reader_gone(out))
        return CLI_EXIT_OK;
    return report_failure(CLI_EXIT_LOCAL, "%s: %s", out->name, strerror(out->error));
}
