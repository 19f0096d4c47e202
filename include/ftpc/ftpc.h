/*
 * ftpc — an FTP client library with a C ABI.
 *
 * This is the only header to include.  It is the specification: each
 * function's comment states ownership, which callbacks may run, every status
 * it returns and its thread rules.
 *
 * Conventions
 *  - The session handle comes first, inputs next, out-parameters after them,
 *    void *userdata last.
 *  - Every fallible call returns FTP_OK (0) or a negative FTP_E_* code; the
 *    details are on the handle: ftp_last_error(), ftp_last_reply_code(),
 *    ftp_last_reply().  Out-parameters are written only on success.
 *  - Strings given to ftpc are copied if kept.  Strings returned belong to the
 *    session and stay valid until its next call (accessors excepted).
 *    ftpc never hands heap memory to the caller.
 *  - Every argument that becomes part of a command is refused with
 *    FTP_E_INVALID if it holds CR, LF or NUL, before anything is sent.
 *  - After a timeout, a cancel, a lost connection or a reply that breaks
 *    command/reply alignment, the session is broken: calls return
 *    FTP_E_STATE until ftp_connect() (or ftp_close()).  ftpc never guesses
 *    its way back into step.
 *  - ftpc never prints, never aborts the process, never raises SIGPIPE (it
 *    sends with MSG_NOSIGNAL) and keeps no global mutable state.
 *
 * Threads
 *  One thread at a time per session; a session may move between threads;
 *  sessions are independent of each other.  ftp_cancel() is the one call that
 *  is safe from another thread while a call runs.  Callbacks run
 *  synchronously on the calling thread, only inside the call that received
 *  them; calling into the same session from a callback returns FTP_E_BUSY.
 *
 * ABI
 *  The soname is libftpc.so.0 while the API is young: a 0.x minor release may
 *  change the ABI.  From 1.0 on it will never break.
 */
#ifndef FTPC_H
#define FTPC_H

#define FTPC_H_INSIDE
#include <ftpc/ftpc_common.h>
#include <ftpc/ftpc_version.h>
#include <ftpc/ftpc_error.h>
#include <ftpc/ftpc_session.h>
#include <ftpc/ftpc_transfer.h>
#include <ftpc/ftpc_tls.h>
#undef FTPC_H_INSIDE

FTP_BEGIN_DECLS

/** The library's version as FTP_VERSION_NUMBER encodes it (run time). */
FTP_API uint32_t ftp_version(void);

/** The library's version as a string such as "0.1.0" (run time); static. */
FTP_API const char *ftp_version_string(void);

FTP_END_DECLS

#endif /* FTPC_H */
