/*
 * ftpc — sessions: lifecycle, options, connect and login, simple commands.
 *
 * Do not include this file directly; include <ftpc/ftpc.h>.
 */
#ifndef FTPC_SESSION_H
#define FTPC_SESSION_H

#ifndef FTPC_H_INSIDE
#error "Include <ftpc/ftpc.h> instead of this header."
#endif

FTP_BEGIN_DECLS

/* ------------------------------------------------------------------------ */
/** @name Lifecycle */

/**
 * Creates an unconnected session with the default options: passive mode
 * (EPSV, then PASV), every timeout at 60 s (connect 30 s, closing waits 5 s),
 * reply lines up to 64 KiB, replies up to 1 MiB and 10000 lines, debug level 0.
 * Like ftplib's FTP() without arguments.
 *
 * Returns NULL only when memory is exhausted.  No network I/O.
 * Thread rules: the new session may be used from any one thread at a time.
 */
FTP_API ftp_session *ftp_session_new(void);

/**
 * Destroys @p s: closes its sockets without sending anything (no QUIT, no
 * ABOR), invalidates its ftp_data stream and every string it returned, and
 * runs the trace destroy notifier.  NULL is accepted.  No callback other
 * than the destroy notifier runs.  Must not be called from a callback of @p s
 * or while another thread uses @p s.
 */
FTP_API void ftp_session_free(ftp_session *s);

/**
 * Asks the call running on @p s in another thread to stop.  The blocked call
 * returns FTP_E_CANCELLED promptly, and the session is broken: later calls
 * return FTP_E_STATE until ftp_connect() or ftp_close().  A cancel that
 * arrives while no call is running breaks the next blocking call at its
 * first wait.  The only function that is safe to call concurrently with
 * another call on the same session (it is async-signal-safe too).
 *
 * @return FTP_OK, or FTP_E_INVALID if @p s is NULL.
 */
FTP_API int ftp_cancel(ftp_session *s);

/* ------------------------------------------------------------------------ */
/** @name Options (each may be set at any time; it applies from the next command) */

/** Which deadline ftp_set_phase_timeout_ms() sets. */
enum ftp_timeout_phase {
    FTP_TIMEOUT_CONNECT = 1, /**< DNS-free TCP connect of control and data connections */
    FTP_TIMEOUT_REPLY = 2,   /**< each complete reply, the banner included */
    FTP_TIMEOUT_DATA = 3,    /**< data idle: longest wait for any progress on a data connection */
    FTP_TIMEOUT_ACCEPT = 4,  /**< active mode: the server's connection to our listener */
    FTP_TIMEOUT_CLOSE = 5    /**< QUIT's reply and the replies after ABOR */
};

/**
 * Sets every phase's timeout to @p ms (ftplib's "timeout" argument).
 * @p ms must be 1..86400000: ftpc has no "wait forever".
 * @return FTP_OK, FTP_E_INVALID.
 */
FTP_API int ftp_set_timeout_ms(ftp_session *s, int64_t ms);

/**
 * Sets one phase's timeout (enum ftp_timeout_phase) to @p ms, 1..86400000.
 * A timeout breaks the session (FTP_E_TIMEOUT, then FTP_E_STATE), except a
 * passive data connect timeout: it happens before the transfer command is
 * sent, so the control connection is still in step and the session stays
 * usable.
 * @return FTP_OK, FTP_E_INVALID.
 */
FTP_API int ftp_set_phase_timeout_ms(ftp_session *s, int phase, int64_t ms);

/** Which cap ftp_set_limit() sets. */
enum ftp_limit {
    FTP_LIMIT_LINE = 1,        /**< bytes in one reply or listing line (default 65536, min 512) */
    FTP_LIMIT_REPLY_BYTES = 2, /**< bytes in one multi-line reply (default 1 MiB) */
    FTP_LIMIT_REPLY_LINES = 3  /**< lines in one multi-line reply (default 10000) */
};

/**
 * Sets a cap on what the server may send.  A reply over a cap is a protocol
 * error (FTP_E_PROTO) that breaks the session; a listing line over
 * FTP_LIMIT_LINE fails the transfer with FTP_E_PROTO (ftplib: "got more than
 * maxline bytes") and the session stays usable.
 * @p value: FTP_LIMIT_LINE 512..16 MiB, FTP_LIMIT_REPLY_BYTES 512..256 MiB,
 * FTP_LIMIT_REPLY_LINES 1..10000000.
 * @return FTP_OK, FTP_E_INVALID.
 */
FTP_API int ftp_set_limit(ftp_session *s, int which, uint64_t value);

/**
 * Binds the control and data connections to a local @p host (numeric address
 * or name) and @p port (0: any) before connecting — ftplib's source_address.
 * A NULL @p host clears the setting.  Takes effect at the next ftp_connect().
 * @return FTP_OK, FTP_E_INVALID (@p host holds CR, LF or is empty).
 */
FTP_API int ftp_set_source_address(ftp_session *s, const char *host, unsigned port);

/** How data connections are opened (ftp_set_data_mode()). */
enum ftp_data_mode {
    FTP_DATA_AUTO = 0,  /**< passive: EPSV, then PASV if the server does not know EPSV (500/501/502) (default) */
    FTP_DATA_EPSV = 1,  /**< passive, EPSV only */
    FTP_DATA_PASV = 2,  /**< passive, PASV only (IPv4 control connections only) */
    FTP_DATA_ACTIVE = 3, /**< active: EPRT, then PORT on IPv4 if the server does not know EPRT (500/501/502) */
    FTP_DATA_EPRT = 4,   /**< active, EPRT only (Since: 0.2) */
    FTP_DATA_PORT = 5    /**< active, PORT only; IPv4 control connections only, as ftplib on IPv4 (Since: 0.2) */
};

/**
 * Chooses how data connections are opened.  In AUTO and ACTIVE the session
 * remembers which command worked and starts with it next time.
 * @return FTP_OK, FTP_E_INVALID.
 */
FTP_API int ftp_set_data_mode(ftp_session *s, int mode);

/**
 * ftplib's set_pasv(): nonzero selects FTP_DATA_AUTO, zero FTP_DATA_ACTIVE.
 * (ftplib itself sends PASV/PORT on IPv4 and EPSV/EPRT on IPv6: choose
 * FTP_DATA_PASV/FTP_DATA_PORT or FTP_DATA_EPSV/FTP_DATA_EPRT after
 * ftp_peer_address() to do exactly that.)
 * @return FTP_OK, FTP_E_INVALID.
 */
FTP_API int ftp_set_pasv(ftp_session *s, int on);

/**
 * Nonzero makes passive data connections go to the address a 227 reply
 * names instead of the control connection's peer (ftplib's
 * trust_server_pasv_ipv4_address).  Off by default: a hostile server could
 * otherwise point the client at any host (CVE-2020-8284, CVE-2021-4189).
 * The address in an EPSV reply is never used.
 * @return FTP_OK, FTP_E_INVALID.
 */
FTP_API int ftp_set_trust_pasv_address_insecure(ftp_session *s, int on);

/** How ftp_abort() puts ABOR on a clear-text control connection (ftp_set_abort_style()). */
enum ftp_abort_style {
    /** RFC 959: Telnet IP, then Synch (IAC as TCP urgent data, DM), then
     *  "ABOR" (default), so a server busy sending data notices at once. */
    FTP_ABORT_TELNET = 0,
    /** "ABOR\r\n" sent as TCP urgent data and nothing else, as Python's
     *  ftplib does (sendall(..., MSG_OOB)). */
    FTP_ABORT_URGENT_LINE = 1,
    /** "ABOR\r\n" in-band, no urgent data, as on an encrypted control
     *  connection (where ftpc always does this). */
    FTP_ABORT_PLAIN = 2
};

/**
 * Chooses how ftp_abort() (and a callback's stop that needs ABOR) sends
 * ABOR on a clear-text control connection.  On an encrypted one ABOR always
 * goes in-band: urgent bytes would corrupt the TLS record stream.
 * Since: 0.2.
 * @return FTP_OK, FTP_E_INVALID (unknown style).
 */
FTP_API int ftp_set_abort_style(ftp_session *s, int style);

/**
 * ftplib's set_debuglevel(): 0 (default) traces nothing; 1 traces each
 * command and reply; 2 also narrates connections and data channels.  The
 * library never prints: events go to the ftp_set_trace_fn() callback.
 * @return FTP_OK, FTP_E_INVALID (@p level < 0).
 */
FTP_API int ftp_set_debuglevel(ftp_session *s, int level);

/**
 * Installs the trace callback, which runs on the calling thread inside
 * whichever call on @p s produces an event, while the debug level is >= 1.
 * The callback must not call into @p s.  Replaces (and runs @p destroy of)
 * any earlier callback; @p fn NULL removes it.  @p destroy, if not NULL,
 * runs with @p userdata when the callback is replaced or the session freed.
 * @return FTP_OK, FTP_E_INVALID.
 */
FTP_API int ftp_set_trace_fn(ftp_session *s, ftp_trace_fn fn, void *userdata,
                             ftp_destroy_fn destroy);

/* ------------------------------------------------------------------------ */
/** @name Connection */

/**
 * Connects to @p host (name or numeric address, IPv4 or IPv6) on @p port
 * (0 means 21, or 990 with FTP_TLS_IMPLICIT) and reads the welcome reply,
 * like ftplib's connect().  With a TLS mode set (ftp_set_tls_mode()) it also
 * secures the control connection as that mode says, before returning.
 * Every resolved address is tried in order within the connect timeout.
 * An open connection is closed first (without QUIT).  A 1xx banner (120
 * "ready in n minutes") is followed by waiting for the next reply, within
 * the reply timeout.  Any 2xx banner is accepted, 230 included, as ftplib
 * and curl do.
 *
 * @return FTP_OK; FTP_E_INVALID (NULL, empty, CR/LF in @p host, @p port >
 * 65535); FTP_E_RESOLVE; FTP_E_CONNECT; FTP_E_TIMEOUT; FTP_E_CLOSED;
 * FTP_E_TEMP (a 4xx banner such as 421); FTP_E_PERM (5xx); FTP_E_REPLY (a 3xx
 * banner); FTP_E_PROTO (not an FTP reply, e.g. an HTTP server); FTP_E_TLS
 * (TLS required but refused, a 230 banner before AUTH TLS, a failed
 * handshake or certificate check);
 * FTP_E_CANCELLED; FTP_E_BUSY.  On failure the session is left unconnected.
 */
FTP_API int ftp_connect(ftp_session *s, const char *host, unsigned port);

/**
 * The welcome reply read by ftp_connect() (ftplib's getwelcome()), or NULL
 * when not connected.  Owned by the session until the next ftp_connect(),
 * ftp_close() or ftp_session_free().
 */
FTP_API const char *ftp_getwelcome(const ftp_session *s);

/**
 * The control connection's remote end, "192.0.2.1:21" or "[2001:db8::1]:21"
 * (ftplib's sock.getpeername()), or NULL when not connected.  Owned by the
 * session until its next call.  Since: 0.2.
 */
FTP_API const char *ftp_peer_address(const ftp_session *s);

/**
 * The control connection's local end, in the form of ftp_peer_address()
 * (ftplib's sock.getsockname()), or NULL when not connected.  Owned by the
 * session until its next call.  Since: 0.2.
 */
FTP_API const char *ftp_local_address(const ftp_session *s);

/**
 * Logs in like ftplib's login(): USER, then PASS if the server answers 3xx,
 * then ACCT if it answers 332/3xx again.  NULL or empty @p user means
 * "anonymous"; for the anonymous user an empty or "-" password becomes
 * "anonymous@" (resp. "-anonymous@").  NULL @p passwd / @p acct mean "".
 * PASS and ACCT are masked in traces.  On a TLS-protected control connection
 * it then sends PBSZ 0 and PROT P unless ftp_set_tls_protect_data(s, 0); their
 * refusal is FTP_E_TLS (logged in, data still in clear text).
 *
 * @return FTP_OK; FTP_E_INVALID (CR, LF or NUL in an argument; nothing sent);
 * FTP_E_REPLY (the final reply is not 2xx, e.g. 332 without an account);
 * FTP_E_TEMP; FTP_E_PERM (e.g. 530); FTP_E_STATE; FTP_E_BUSY and the
 * network errors of ftp_sendcmd().
 */
FTP_API int ftp_login(ftp_session *s, const char *user, const char *passwd, const char *acct);

/**
 * Closes the connection without sending anything (ftplib's close()).  Also
 * clears the broken state.  Harmless on an unconnected session.
 * @return FTP_OK, FTP_E_INVALID, FTP_E_BUSY (called from a callback).
 */
FTP_API int ftp_close(ftp_session *s);

/**
 * Sends QUIT, reads its reply within the close timeout, then closes the
 * connection in every case (ftplib's quit()).  An open data stream is closed
 * first and the transfer's final reply read (within the close timeout), so
 * the reply left in ftp_last_reply() is QUIT's.
 * @return FTP_OK; FTP_E_STATE (not connected); the errors of ftp_voidcmd().
 * Whatever it returns, the session is closed afterwards.
 */
FTP_API int ftp_quit(ftp_session *s);

/* ------------------------------------------------------------------------ */
/** @name Commands */

/**
 * Sends @p cmd and reads the reply (ftplib's sendcmd()).  On success
 * @p *reply (if @p reply is not NULL) points to the full reply text, owned by
 * the session until its next call.  1xx, 2xx and 3xx replies are successes.
 *
 * @return FTP_OK; FTP_E_INVALID (@p cmd NULL, empty, or holding CR, LF or
 * NUL: nothing is sent); FTP_E_TEMP; FTP_E_PERM; FTP_E_PROTO; FTP_E_STATE;
 * FTP_E_BUSY; FTP_E_IO; FTP_E_TIMEOUT; FTP_E_CLOSED; FTP_E_CANCELLED.
 */
FTP_API int ftp_sendcmd(ftp_session *s, const char *cmd, const char **reply);

/**
 * Sends @p cmd and requires a 2xx reply (ftplib's voidcmd()).
 * @return as ftp_sendcmd(), plus FTP_E_REPLY for a 1xx or 3xx reply.
 */
FTP_API int ftp_voidcmd(ftp_session *s, const char *cmd);

/**
 * Reads one reply without sending anything (ftplib's getresp()), for a
 * reply the server owes: after ftp_sendcmd() returned a 1xx, say.  There is
 * no "nothing pending" check: with nothing owed it waits out the reply
 * timeout, which breaks the session, as ftplib would wait.  On success
 * @p *reply (if not NULL) is the full reply text, owned by the session until
 * its next call.  1xx, 2xx and 3xx replies are successes.  Since: 0.2.
 * @return FTP_OK; FTP_E_TEMP; FTP_E_PERM; FTP_E_PROTO (malformed, or a code
 * outside 1xx-5xx); FTP_E_STATE; FTP_E_BUSY (a data stream is open: its
 * reply belongs to ftp_data_close()); FTP_E_IO; FTP_E_TIMEOUT;
 * FTP_E_CLOSED; FTP_E_CANCELLED.
 */
FTP_API int ftp_getresp(ftp_session *s, const char **reply);

/**
 * Reads one reply, which must be 2xx (ftplib's voidresp()).  Since: 0.2.
 * @return as ftp_getresp(), plus FTP_E_REPLY for a 1xx or 3xx reply.
 */
FTP_API int ftp_voidresp(ftp_session *s);

/** Representation types for ftp_type(). */
enum ftp_type_code {
    FTP_TYPE_ASCII = 'A', /**< TYPE A: text, CRLF line ends on the wire */
    FTP_TYPE_BINARY = 'I' /**< TYPE I: bytes as they are */
};

/**
 * Sets the representation type for the next ftp_transfercmd(): sends
 * "TYPE A" or "TYPE I" unless the session knows the server is already
 * there (the rule ftp_retrbinary() follows), so a stream of transfers pays
 * no extra round trip.  Since: 0.2.
 * @return FTP_OK; FTP_E_INVALID (not FTP_TYPE_ASCII or FTP_TYPE_BINARY);
 * and the errors of ftp_voidcmd().
 */
FTP_API int ftp_type(ftp_session *s, int type);

/**
 * Renames @p from to @p to: RNFR (must answer 3xx, else FTP_E_REPLY), RNTO.
 * @return as ftp_voidcmd().
 */
FTP_API int ftp_rename(ftp_session *s, const char *from, const char *to);

/**
 * Deletes a file: DELE, which must answer 250 or 200 (else FTP_E_REPLY).
 * @return as ftp_voidcmd().
 */
FTP_API int ftp_delete(ftp_session *s, const char *path);

/**
 * Changes directory.  ".." sends CDUP (falling back to "CWD .." when CDUP is
 * answered 500); an empty @p path means ".".
 * @return as ftp_voidcmd().
 */
FTP_API int ftp_cwd(ftp_session *s, const char *path);

/**
 * Creates a directory: MKD.  On success @p *out (if not NULL) is the path
 * from the 257 reply with doubled quotes undone, or "" when the reply has no
 * quoted path (ftplib's parse257).  Owned by the session until its next call.
 * @return as ftp_voidcmd(), plus FTP_E_PROTO for a quoted path without its
 * closing quote or holding a control character.
 */
FTP_API int ftp_mkd(ftp_session *s, const char *path, const char **out);

/**
 * The working directory: PWD, parsed as ftp_mkd() parses its reply.
 * @p out must not be NULL.
 * @return as ftp_mkd(), plus FTP_E_REPLY when the reply is not 257.
 */
FTP_API int ftp_pwd(ftp_session *s, const char **out);

/** Removes a directory: RMD.  @return as ftp_voidcmd(). */
FTP_API int ftp_rmd(ftp_session *s, const char *path);

/**
 * The size of a file: SIZE.  The reply must be "213 <digits>" (an unsigned
 * decimal that fits 64 bits); anything else is FTP_E_PROTO, and a 2xx other
 * than 213 is FTP_E_REPLY.  SIZE is sent as is: the caller chooses TYPE I
 * first if the server requires it.  @p out must not be NULL and is set only
 * on success.
 * @return as ftp_voidcmd(), plus FTP_E_PROTO.
 */
FTP_API int ftp_size(ftp_session *s, const char *path, uint64_t *out);

/**
 * Aborts a transfer (ftplib's abort()).  Sends Telnet IP and Synch (IAC IP
 * and IAC DM, the DM as TCP urgent data) then ABOR, closes the open data
 * stream if there is one, and reads the replies: 426 (or another 4xx)
 * followed by 226 or 225, or 225 or 226 alone.  With no data stream open, a
 * refusal (5xx, or a 1xx/3xx) is reported as ftp_voidcmd() reports it
 * (FTP_E_PERM...) and leaves the session in step (Since: 0.2; before, it
 * broke the session).  Any other reply is FTP_E_PROTO and breaks the
 * session.  When a data stream was open and the
 * first reply is a lone 225/226, it may be the transfer's own 226 with
 * ABOR's answer still to come: ftpc then sends NOOP and reads up to its
 * reply, so no reply is left unread whatever the server's timing.  No reply is left
 * unread; a missing reply past the close timeout breaks the session.
 * @return FTP_OK; FTP_E_PERM, FTP_E_REPLY (refused with nothing running);
 * FTP_E_PROTO; FTP_E_STATE; FTP_E_TIMEOUT and the network errors of
 * ftp_sendcmd().
 */
FTP_API int ftp_abort(ftp_session *s);

FTP_END_DECLS

#endif /* FTPC_SESSION_H */
