/*
 * ftpc — status codes and error accessors.
 *
 * Do not include this file directly; include <ftpc/ftpc.h>.
 */
#ifndef FTPC_ERROR_H
#define FTPC_ERROR_H

#ifndef FTPC_H_INSIDE
#error "Include <ftpc/ftpc.h> instead of this header."
#endif

FTP_BEGIN_DECLS

/**
 * Status codes.  Every fallible call returns FTP_OK (0) or one of these
 * negative values.  Values are fixed forever and never reused.
 *
 * The first four mirror Python ftplib's exception classes:
 * error_reply, error_temp, error_perm and error_proto.  Any negative status
 * corresponds to ftplib's all_errors.
 */
enum ftp_status_code {
    FTP_OK = 0,

    /* The server answered, and the answer means failure (bands -1..-19). */
    FTP_E_REPLY = -1, /**< a 1xx/2xx/3xx reply the step did not expect (error_reply) */
    FTP_E_TEMP = -2,  /**< a 4xx reply (error_temp); 421 also breaks the session */
    FTP_E_PERM = -3,  /**< a 5xx reply (error_perm) */
    FTP_E_PROTO = -4, /**< a malformed reply: bad code, framing, 227/229/257 payload (error_proto) */

    /* The network (-20..-39). */
    FTP_E_RESOLVE = -20, /**< the host name did not resolve */
    FTP_E_CONNECT = -21, /**< no TCP connection could be made (control or data) */
    FTP_E_IO = -22,      /**< a send or receive failed (reset, broken pipe, ...) */
    FTP_E_TIMEOUT = -23, /**< a deadline passed; the session is broken */
    FTP_E_CLOSED = -24,  /**< the server closed the connection; the session is broken */

    /* TLS (-40..-59). */
    FTP_E_TLS = -40, /**< handshake, verification or record-layer failure */

    /* The caller and the library (-60..). */
    FTP_E_INVALID = -60,     /**< a bad argument: NULL, out of range, CR/LF/NUL in a command */
    FTP_E_NOMEM = -61,       /**< out of memory; a connected session is broken */
    FTP_E_ABORTED = -62,     /**< a callback returned nonzero; the session is still usable */
    FTP_E_CANCELLED = -63,   /**< ftp_cancel() interrupted the call; the session is broken */
    FTP_E_STATE = -64,       /**< not connected, or broken after a timeout, cancel or desync */
    FTP_E_BUSY = -65,        /**< re-entered from a callback, or a data stream is open */
    FTP_E_UNSUPPORTED = -66, /**< the feature is not built in, or the server lacks it */
    FTP_E_INTERNAL = -67,    /**< a bug in ftpc; the message says where; the session is broken */
    FTP_E_FILE = -68         /**< reading or writing the caller's file descriptor failed (ftp_retr_fd,
                                  ftp_stor_fd); the transfer was stopped, the session is still usable */
};

/**
 * The status of the last call on @p s that changed it (every call except the
 * ftp_last_* accessors, ftp_getwelcome() and ftp_cancel()).
 * Returns FTP_E_INVALID for a NULL session.
 */
FTP_API int ftp_last_error_code(const ftp_session *s);

/**
 * A sentence describing the last failure on @p s, naming the command and
 * the cause, for example "RETR a.txt: 550 No such file".  Empty after a
 * success.  Never NULL (a NULL session gives a static message).  Owned by
 * the session; valid until its next non-accessor call.
 */
FTP_API const char *ftp_last_error(const ftp_session *s);

/**
 * The three-digit code of the last complete reply read on @p s, or 0 if
 * none was read yet (or @p s is NULL).  A reply read while a failed call
 * unwound (for example the 226 that follows a 426 after ABOR) counts.
 */
FTP_API int ftp_last_reply_code(const ftp_session *s);

/**
 * The full text of the last complete reply on @p s, codes included, lines
 * joined by '\n' and without a final newline: the string ftplib puts into
 * its exceptions.  Empty if none.  Never NULL.  Owned by the session; valid
 * until its next non-accessor call.
 */
FTP_API const char *ftp_last_reply(const ftp_session *s);

/**
 * A static English description of @p code ("no such status" for unknown
 * values).  Never NULL; thread-safe.
 */
FTP_API const char *ftp_strerror(int code);

/**
 * The symbolic name of @p code, such as "FTP_E_PERM" ("FTP_E_UNKNOWN" for
 * unknown values).  Never NULL; thread-safe.
 */
FTP_API const char *ftp_error_name(int code);

FTP_END_DECLS

#endif /* FTPC_ERROR_H */
