/*
 * The texts of --help and --version (keep ftpc.1 in step with them).
 */
#include "help.h"

#include <stdio.h>
#include <string.h>

#include <ftpc/ftpc.h>

#include "tls_setup.h"

/* In sections: C99 compilers need only accept string literals of 4095
 * bytes. */
static const char help_commands_and_urls[] =
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
    "     ftps://[USER[:PASSWORD]@]HOST[:PORT][/PATH]  implicit FTPS: TLS from the\n"
    "                       first byte; PORT defaults to 990\n"
    "  HOST may be an IPv6 literal in brackets: ftp://[::1]:2121/file\n"
    "  USER, PASSWORD and PATH are percent-decoded (%20 is a space; %40 is '@');\n"
    "  %00, %0D, %0A and raw control characters are refused.\n"
    "  PATH is relative to the login directory; ftp://HOST//dir (or %2Fdir) is\n"
    "  absolute.\n"
    "  Without USER the login comes from $NETRC or ~/.netrc (machine HOST, else\n"
    "  default), else it is anonymous.  As in curl, the .netrc's permissions are\n"
    "  not checked.\n"
    "\n";

static const char help_options[] =
    "Options:\n"
    "  -1, --names          ls: names only (NLST)\n"
    "  -C, --resume         get: continue LOCAL.part from its size (REST)\n"
    "      --active         active mode (EPRT, then PORT) instead of passive\n"
    "                       (EPSV, then PASV)\n"
    "      --timeout SECS   limit every wait (connect, reply, data) to SECS seconds\n"
    "                       (default: 30 s to connect, 60 s for the rest)\n"
    "  -v, --verbose        show commands (> ), replies (< ) and connections (* )\n"
    "                       on stderr; passwords are masked.  Under TLS also the\n"
    "                       version and cipher, and for each data connection\n"
    "                       whether it resumed the control connection's TLS\n"
    "                       session (resumed: yes/no)\n"
    "  -h, --help           show this help and exit\n"
    "      --version        show the versions of ftpc and libftpc, and whether\n"
    "                       FTPS is available, and exit\n"
    "\n";

static const char help_tls_options[] =
    "FTPS (FTP over TLS; certificates are verified unless --insecure):\n"
    "      --tls            explicit FTPS on an ftp:// URL: AUTH TLS before the\n"
    "                       login, required; ftpc fails (exit 6) rather than go on\n"
    "                       in clear text\n"
    "      --tls-try        opportunistic, OPEN TO DOWNGRADE: AUTH TLS, but if the\n"
    "                       server refuses it, go on in CLEAR TEXT (with a warning).\n"
    "                       Anyone on the path can force that refusal, so this\n"
    "                       protects only against passive eavesdroppers\n"
    "      --cacert FILE    trust the CA certificates in FILE (PEM) instead of the\n"
    "                       system's\n"
    "      --capath DIR     trust the hashed certificate directory DIR instead of\n"
    "                       the system's\n"
    "      --cert FILE      present the client certificate in FILE (PEM)\n"
    "      --key FILE       the client certificate's key (default: in --cert FILE)\n"
    "      --insecure       do NOT verify the server's certificate and name: anyone\n"
    "                       on the path can read and change the session (ftpc\n"
    "                       warns on stderr)\n"
    "      --tls-min VER    lowest TLS version accepted: 1.2 (default) or 1.3\n"
    "      --tls-max VER    highest TLS version offered: 1.2 or 1.3 (default: the\n"
    "                       highest available)\n"
    "      --no-prot        data connections in clear text (no PBSZ 0/PROT P); the\n"
    "                       login and the commands stay encrypted\n"
    "  The certificate must be valid, signed by a trusted CA and name HOST (a\n"
    "  host name, or the IP address given).  These options need --tls, --tls-try\n"
    "  or an ftps:// URL.\n"
    "\n";

static const char help_notes_and_exit_status[] =
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
    "  5  local file error: cannot read, write or rename a local file\n"
    "  6  TLS: the handshake failed or the server's certificate was not trusted\n"
    "     (unknown CA, expired, another host name), AUTH TLS was refused under\n"
    "     --tls, a protected transfer ended without its TLS close, or this\n"
    "     libftpc was built without TLS\n";

void print_help(output *out)
{
    /* output_write() does nothing after a first failure, which it keeps. */
    (void)output_write(out, help_commands_and_urls, sizeof help_commands_and_urls - 1);
    (void)output_write(out, help_options, sizeof help_options - 1);
    (void)output_write(out, help_tls_options, sizeof help_tls_options - 1);
    (void)output_write(out, help_notes_and_exit_status, sizeof help_notes_and_exit_status - 1);
}

void print_version(output *out)
{
    /* Both versions: the program is built against one libftpc and may run
     * with another (a newer libftpc0 package). */
    char line[128];
    int n = snprintf(line, sizeof line, "ftpc %s (libftpc %s)\n", FTP_VERSION_STRING,
                     ftp_version_string());
    if (n > 0)
        (void)output_write(out, line, (size_t)n < sizeof line ? (size_t)n : sizeof line - 1);
    const char *tls = tls_available() ? "FTPS: available\n"
                                      : "FTPS: not available (libftpc was built without TLS)\n";
    (void)output_write(out, tls, strlen(tls));
}
