/*
 * ftpc — transfers and listings over data connections.
 *
 * Do not include this file directly; include <ftpc/ftpc.h>.
 *
 * Every function here opens one data connection as ftp_set_data_mode()
 * says, sends REST when @p rest is nonzero, sends the transfer command, moves
 * the data, closes the data connection and requires a 2xx final reply.
 *
 * TYPE I or TYPE A is sent before a transfer that needs it, unless the
 * session set the server to that type itself and nothing since can have
 * changed it (as curl does; ftplib sends it every time).  A command sent with
 * ftp_sendcmd()/ftp_voidcmd() whose verb is TYPE, REIN, USER, AUTH or CCC,
 * and any new connection, make the session send TYPE again.
 *
 * Common errors: FTP_E_INVALID (bad argument, CR/LF/NUL in @p cmd or @p path;
 * nothing sent); FTP_E_STATE (not connected or broken); FTP_E_BUSY (a data
 * stream is open, or re-entered from a callback); FTP_E_TEMP / FTP_E_PERM
 * (refused, e.g. 425, 550; or a 4xx/5xx final reply such as 426, 451, 552);
 * FTP_E_REPLY (an unexpected 1xx/2xx/3xx); FTP_E_PROTO (a malformed
 * 227/229 reply, port 0, a listing line over FTP_LIMIT_LINE); FTP_E_CONNECT
 * (the data connection failed); FTP_E_ABORTED (a callback returned nonzero:
 * if the server had already sent everything ftpc just reads the final
 * reply, otherwise it sends ABOR as ftp_abort() does; either way the
 * session stays usable);
 * FTP_E_TIMEOUT; FTP_E_IO; FTP_E_CLOSED; FTP_E_CANCELLED.
 *
 * Callbacks run on the calling thread, only inside the call that received
 * them, and must not call into the same session (FTP_E_BUSY).
 */
#ifndef FTPC_TRANSFER_H
#define FTPC_TRANSFER_H

#ifndef FTPC_H_INSIDE
#error "Include <ftpc/ftpc.h> instead of this header."
#endif

FTP_BEGIN_DECLS

/**
 * Downloads in binary (ftplib's retrbinary()): TYPE I, then @p cmd (e.g.
 * "RETR file"), calling @p sink with blocks of at most @p blocksize bytes
 * (0 means 8192; at most 16 MiB).  @p rest nonzero restarts at that offset
 * (REST); REST 0 is never sent because it changes nothing.
 * @return FTP_OK or the common errors above.
 */
FTP_API int ftp_retrbinary(ftp_session *s, const char *cmd, size_t blocksize, uint64_t rest,
                           ftp_sink_fn sink, void *userdata);

/**
 * Downloads text (ftplib's retrlines()): TYPE A, then @p cmd (e.g. "RETR f",
 * "LIST", "NLST"), calling @p fn once per line with its CRLF or LF removed.
 * A last line without a line ending is delivered too.
 * @return FTP_OK or the common errors above.
 */
FTP_API int ftp_retrlines(ftp_session *s, const char *cmd, ftp_line_fn fn, void *userdata);

/**
 * Uploads in binary (ftplib's storbinary()): TYPE I, then @p cmd (e.g.
 * "STOR file", "APPE file"), pulling blocks of at most @p blocksize bytes
 * (0 means 8192) from @p source until it reports 0 bytes.  @p rest as in
 * ftp_retrbinary().
 * @return FTP_OK or the common errors above.  When the server fails the
 * upload and closes the data connection, the error is the server's reply.
 */
FTP_API int ftp_storbinary(ftp_session *s, const char *cmd, size_t blocksize, uint64_t rest,
                           ftp_source_fn source, void *userdata);

/**
 * Uploads text (ftplib's storlines()): TYPE A, then @p cmd.  Bytes come from
 * @p source; every LF not already preceded by CR goes on the wire as CRLF,
 * and a last line without LF is ended with CRLF (a lone CR there with LF),
 * as ftplib sends it (Since: 0.2; 0.1 sent that line as it was).
 * @return FTP_OK or the common errors above.
 */
FTP_API int ftp_storlines(ftp_session *s, const char *cmd, ftp_source_fn source,
                          void *userdata);

/**
 * Downloads in binary straight into the file descriptor @p fd: TYPE I, then
 * @p cmd (e.g. "RETR file"), writing every byte to @p fd at its current
 * position.  @p fd stays the caller's: ftpc neither closes nor seeks it, so a
 * resumed download positions @p fd at @p rest first.  @p rest as in
 * ftp_retrbinary().
 *
 * On a clear-text data connection the bytes go from the socket into @p fd
 * with splice(2) and never enter user space; on a protected one (PROT P),
 * or when @p fd cannot take a splice (a file opened with O_APPEND, say),
 * they pass through one 1 MiB buffer.  @p fd may be a regular file, a pipe
 * or a socket.  A non-blocking @p fd that is not ready is waited for under
 * the FTP_TIMEOUT_DATA deadline and ftp_cancel().  Writing to a pipe or
 * socket whose reader has gone gives FTP_E_FILE (EPIPE), not SIGPIPE.
 * ftp_last_transfer_bytes() counts the bytes that reached @p fd.  No callback
 * runs.  The same thread rules as every call on @p s apply.
 * @return FTP_OK; FTP_E_INVALID (@p fd negative); FTP_E_FILE (writing to
 * @p fd failed: ENOSPC, EBADF, EPIPE, ...; ftpc stopped the transfer as
 * ftp_abort() does and the session stays usable; @p fd holds a prefix of the
 * file); or the common errors above.
 */
FTP_API int ftp_retr_fd(ftp_session *s, const char *cmd, uint64_t rest, int fd);

/**
 * Uploads in binary straight from the file descriptor @p fd: TYPE I, then
 * @p cmd (e.g. "STOR file", "APPE file"), sending what @p fd holds from its
 * current position to its end.  @p fd stays the caller's and is left at end of
 * file.  @p rest as in ftp_storbinary(): it restarts the server's file at
 * that offset, and the caller positions @p fd to match.
 *
 * On a clear-text data connection a regular file goes out with sendfile(2),
 * never entering user space; on a protected one (PROT P), or from a pipe or
 * socket, through one 1 MiB buffer.  A non-blocking @p fd that is not ready
 * is waited for under the FTP_TIMEOUT_DATA deadline and ftp_cancel().
 * ftp_last_transfer_bytes() counts the bytes sent.  No callback runs.
 * @return FTP_OK; FTP_E_INVALID (@p fd negative); FTP_E_FILE (reading @p fd
 * failed: EBADF, EIO, EISDIR, ...; ftpc stopped the upload with ABOR rather
 * than end it normally, so the server does not take the part it got for the
 * whole file, and the session stays usable); or the common errors above.
 */
FTP_API int ftp_stor_fd(ftp_session *s, const char *cmd, uint64_t rest, int fd);

/**
 * Opens a data connection for @p cmd and returns it as a stream (ftplib's
 * transfercmd() and ntransfercmd()).  The TYPE is left as it is: send
 * "TYPE I" or "TYPE A" with ftp_voidcmd() first.  On success @p *out is the
 * stream (owned by the session) and @p *size (if not NULL) the byte count
 * announced in a 150 reply, or FTP_SIZE_UNKNOWN.  While the stream is open
 * only ftp_data_*(), ftp_abort(), ftp_close(), ftp_quit(), ftp_cancel() and
 * the accessors may be called on @p s; anything else is FTP_E_BUSY.
 * @return FTP_OK or the common errors above.
 */
FTP_API int ftp_transfercmd(ftp_session *s, const char *cmd, uint64_t rest, ftp_data **out,
                            uint64_t *size);

/**
 * Reads up to @p cap bytes from a data stream into @p buf.  @p *nread is the
 * count; 0 means the server finished sending (end of file).
 * @return FTP_OK; FTP_E_INVALID; FTP_E_IO (the connection was reset);
 * FTP_E_TLS (a protected stream ended without TLS close_notify: the data
 * may be truncated); FTP_E_TIMEOUT (data idle; breaks the session);
 * FTP_E_CANCELLED.  After FTP_E_IO or FTP_E_TLS the session is still in
 * step: ftp_data_close() reads the server's final reply.
 */
FTP_API int ftp_data_read(ftp_data *d, void *buf, size_t cap, size_t *nread);

/**
 * Writes all @p len bytes of @p buf to a data stream.
 * @return FTP_OK; FTP_E_INVALID; FTP_E_TIMEOUT; FTP_E_IO or FTP_E_TLS (e.g.
 * the server closed the data connection: call ftp_data_close() to read its
 * reply); FTP_E_CANCELLED.
 */
FTP_API int ftp_data_write(ftp_data *d, const void *buf, size_t len);

/**
 * Closes a data stream and reads the transfer's final reply, which must be
 * 2xx (ftplib's conn.close() followed by voidresp()).  An upload is ended
 * first with end-of-data (TLS close_notify, TCP FIN) and a bounded wait for
 * the server to close.  After ftp_data_read() or ftp_data_write() failed with
 * FTP_E_IO or FTP_E_TLS, this reports the server's final reply only: the
 * earlier error stands.  @p d is invalid afterwards, whatever the result.
 * NULL is FTP_E_INVALID.
 * @return FTP_OK, FTP_E_TEMP, FTP_E_PERM, FTP_E_REPLY and the network errors.
 */
FTP_API int ftp_data_close(ftp_data *d);

/**
 * The session @p d belongs to, where its errors are recorded
 * (ftp_last_error(), ftp_last_reply()...), or NULL for a NULL @p d.
 * Valid as long as the session; never fails.  Since: 0.2.
 */
FTP_API ftp_session *ftp_data_session(const ftp_data *d);

/**
 * Lists a directory with MLSD (ftplib's mlsd()): @p path NULL or "" lists the
 * working directory.  If @p facts is not NULL it is a NULL-terminated array of
 * fact names sent first as "OPTS MLST f1;f2;" (its reply is required to be
 * 2xx).  Each line "fact=value;...; name" is parsed exactly as ftplib parses
 * it and handed to @p fn.
 * @return FTP_OK or the common errors above.
 */
FTP_API int ftp_mlsd(ftp_session *s, const char *path, const char *const *facts,
                     ftp_mlsd_fn fn, void *userdata);

/**
 * Names in a directory: NLST [@p path] over retrlines (ftplib's nlst()).
 * A 450 or 550 "no files" reply is an error (FTP_E_TEMP / FTP_E_PERM), as in
 * ftplib; an empty directory listed with 226 is success with no calls.
 * @return FTP_OK or the common errors above.
 */
FTP_API int ftp_nlst(ftp_session *s, const char *path, ftp_line_fn fn, void *userdata);

/**
 * A long listing: LIST [@p path] over retrlines (ftplib's dir()).  Each line
 * reaches @p fn unparsed.
 * @return FTP_OK or the common errors above.
 */
FTP_API int ftp_dir(ftp_session *s, const char *path, ftp_line_fn fn, void *userdata);

/* ------------------------------------------------------------------------ */
/** @name The last transfer's report
 *
 * What the most recent data connection on the session was, whether its
 * transfer succeeded or not; reset when the next one opens.  Before any
 * data connection: mode and peer NULL, bytes 0, resumed -1.  Strings are
 * owned by the session until the next data connection opens.  Never fail;
 * a NULL session gives the "none yet" values.
 */

/** "EPSV", "PASV", "EPRT" or "PORT". */
FTP_API const char *ftp_last_transfer_mode(const ftp_session *s);

/** The server's end of the data connection, "127.0.0.1:50123" or "[::1]:50123". */
FTP_API const char *ftp_last_transfer_peer(const ftp_session *s);

/** Payload bytes moved on the data connection (after TLS, before ASCII translation). */
FTP_API uint64_t ftp_last_transfer_bytes(const ftp_session *s);

/** The data connection's TLS version ("TLSv1.3"), or NULL if it was clear text. */
FTP_API const char *ftp_last_transfer_tls_version(const ftp_session *s);

/** The data connection's TLS cipher, or NULL if it was clear text. */
FTP_API const char *ftp_last_transfer_tls_cipher(const ftp_session *s);

/**
 * 1 if the data connection's TLS handshake resumed the control connection's
 * session, 0 if it was a full handshake, -1 if it was clear text.
 */
FTP_API int ftp_last_transfer_tls_resumed(const ftp_session *s);

FTP_END_DECLS

#endif /* FTPC_TRANSFER_H */
