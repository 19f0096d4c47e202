/*
 * The texts of --help and --version (keep ftpc.1 in step with them).
 */
#include "help.h"

#include <ftpc/ftpc.h>

static const char help_text[] =
    "Usage: ftpc [OPTIONS] COMMAND URL [ARGS]\n"
    "A command-line FTP client.\n"
    "\n"
    "Commands:\n"
    "  ls URL               list a directory (LIST); with -1, names only (NLST)\n"
    "  get URL [LOCAL]      download a file to LOCAL (default: its base name in the\n"
    "                       current directory; a directory: into it; '-': stdout)\n"
    "  put LOCAL URL        upload LOCAL ('-': stdin); a URL ending in '/' gets\n"
    "                       LOCAL's base name appended\n"
    "  cat URL              write a file to stdout\n"
    "  mkdir URL            create a directory\n"
    "  rm URL               delete a file\n"
    "  rmdir URL            remove an empty directory\n"
    "  mv URL NEWPATH       rename; NEWPATH is a server path, not a URL\n"
    "  pwd URL              print the working directory (after changing into the\n"
    "                       URL's path, if it has one)\n"
    "  quote URL CMD...     send raw commands (after changing into the URL's path,\n"
    "                       if it has one) and print each reply\n"
    "\n"
    "URL: ftp://[USER[:PASSWORD]@]HOST[:PORT][/PATH]\n"
    "  HOST may be an IPv6 literal in brackets: ftp://[::1]:2121/file\n"
    "  USER, PASSWORD and PATH are percent-decoded (%20 is a space; %40 is '@');\n"
    "  %00, %0D, %0A and raw control characters are refused.\n"
    "  PATH is relative to the login directory; ftp://HOST//dir (or %2Fdir) is\n"
    "  absolute.\n"
    "  Without USER the login comes from $NETRC or ~/.netrc (machine HOST, else\n"
    "  default), else it is anonymous.  As in curl, the .netrc's permissions are\n"
    "  not checked.\n"
    "\n"
    "Options:\n"
    "  -1, --names          ls: names only (NLST)\n"
    "  -C, --resume         get: continue LOCAL.part from its size (REST)\n"
    "      --active         active mode (EPRT, then PORT) instead of passive\n"
    "                       (EPSV, then PASV)\n"
    "      --timeout SECS   limit every wait (connect, reply, data) to SECS seconds\n"
    "                       (default: 30 s to connect, 60 s for the rest)\n"
    "  -v, --verbose        show commands (> ), replies (< ) and connections (* )\n"
    "                       on stderr; passwords are masked\n"
    "  -h, --help           show this help and exit\n"
    "      --version        show the versions of ftpc and libftpc and exit\n"
    "\n"
    "get writes LOCAL.part and renames it to LOCAL once the download is complete,\n"
    "so a failed download never leaves a truncated LOCAL; LOCAL.part is kept for\n"
    "--resume if it holds data.  A progress bar is drawn on stderr for get and put\n"
    "when stderr is a terminal.  A closed stdout (ftpc cat URL | head) ends the\n"
    "transfer quietly with status 0.\n"
    "\n"
    "Exit status:\n"
    "  0  success\n"
    "  1  internal or other error\n"
    "  2  usage: bad option, argument or URL (nothing was contacted)\n"
    "  3  network: resolve, connect, I/O, timeout, closed connection, protocol\n"
    "     error\n"
    "  4  the server refused: a 4xx or 5xx reply (wrong password, no such file),\n"
    "     or a reply the command does not expect\n"
    "  5  local file error: cannot read, write or rename a local file\n";

void print_help(FILE *out) { fputs(help_text, out); }

void print_version(FILE *out)
{
    /* Both versions: the program is built against one libftpc and may run
     * with another (a newer libftpc0 package). */
    fprintf(out, "ftpc %s (libftpc %s)\n", FTP_VERSION_STRING, ftp_version_string());
}
