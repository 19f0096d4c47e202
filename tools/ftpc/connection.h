/*
 * Opening and closing the FTP session a command works on: the options from
 * the command line, connect, and login with the URL's credentials, else the
 * .netrc's, else anonymous.
 */
#ifndef FTPC_CLI_CONNECTION_H
#define FTPC_CLI_CONNECTION_H

#include <ftpc/ftpc.h>

#include "options.h"
#include "url.h"

/*
 * Connects and logs in.  Returns CLI_EXIT_OK with the session in @p *out, or
 * another exit status after printing why (no session is left open).
 */
int connection_open(const cli_options *opts, const ftpc_url *url, ftp_session **out);

/* Says QUIT (its outcome no longer matters: the work is done or has
 * failed already) and frees the session.  NULL is accepted. */
void connection_close(ftp_session *s);

#endif
