/*
 * FTPS for the ftpc command line: which TLS mode a URL and the options ask
 * for, the checks made before anything is contacted, and the settings and
 * notes around ftp_connect().
 *
 *   ftps://URL               implicit FTPS (FTP_TLS_IMPLICIT, port 990)
 *   --tls ftp://URL          explicit FTPS, required (FTP_TLS_EXPLICIT)
 *   --tls-try ftp://URL      explicit FTPS if the server agrees, else clear
 *                            text (FTP_TLS_TRY_INSECURE): open to downgrade
 *
 * Certificates are verified unless --insecure says otherwise, which ftpc
 * then says on stderr.
 */
#ifndef FTPC_CLI_TLS_SETUP_H
#define FTPC_CLI_TLS_SETUP_H

#include <ftpc/ftpc.h>

#include "options.h"
#include "url.h"

/*
 * Checks the TLS options against each other and the URL, and that the
 * files they name can be read, so that no mistake is found only after
 * connecting.  Returns CLI_EXIT_OK, or CLI_EXIT_USAGE / CLI_EXIT_LOCAL after
 * printing why.
 */
int tls_check_usage(const cli_options *opts, const ftpc_url *url);

/*
 * Applies the TLS mode and options to a new session, before ftp_connect().
 * Under --insecure, warns on stderr that nothing is verified.  Returns
 * CLI_EXIT_OK, or another exit status after printing why (CLI_EXIT_TLS when
 * libftpc was built without TLS).
 */
int tls_configure(ftp_session *s, const cli_options *opts, const ftpc_url *url);

/*
 * After a successful ftp_connect(): with -v, one "* " line with the control
 * connection's TLS version and cipher; under --tls-try, a warning when the
 * server refused TLS and the session goes on in clear text.
 */
void tls_after_connect(const ftp_session *s, const cli_options *opts, const ftpc_url *url);

/* Whether libftpc can do FTPS at all (it was not built with -Dtls=disabled). */
int tls_available(void);

#endif
