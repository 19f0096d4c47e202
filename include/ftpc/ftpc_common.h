/*
 * ftpc — common definitions: export macro, handle types, callback types.
 *
 * Do not include this file directly; include <ftpc/ftpc.h>.
 */
#ifndef FTPC_COMMON_H
#define FTPC_COMMON_H

#ifndef FTPC_H_INSIDE
#error "Include <ftpc/ftpc.h> instead of this header."
#endif

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
#define FTP_BEGIN_DECLS extern "C" {
#define FTP_END_DECLS }
#else
#define FTP_BEGIN_DECLS
#define FTP_END_DECLS
#endif

/* FTP_API marks the exported functions.  Static users need nothing: the
 * attribute only matters when the shared library is built. */
#if defined(_WIN32) && !defined(FTP_STATIC)
#ifdef FTP_BUILDING_LIBRARY
#define FTP_API __declspec(dllexport)
#else
#define FTP_API __declspec(dllimport)
#endif
#elif defined(__GNUC__) && __GNUC__ >= 4
#define FTP_API __attribute__((visibility("default")))
#else
#define FTP_API
#endif

FTP_BEGIN_DECLS

/**
 * A control connection and everything that belongs to it: options, the
 * welcome text, the last reply and error, an open data stream.  Opaque;
 * created by ftp_session_new(), destroyed by ftp_session_free().
 */
typedef struct ftp_session ftp_session;

/**
 * An open data connection returned by ftp_transfercmd() (ftplib's
 * transfercmd()).  Owned by its session: it stays valid until
 * ftp_data_close(), ftp_abort(), ftp_close() or ftp_session_free().
 */
typedef struct ftp_data ftp_data;

/** A size the server did not announce (ftp_transfercmd()). */
#define FTP_SIZE_UNKNOWN UINT64_MAX

/**
 * Receives one block of a binary download (ftplib's retrbinary callback).
 * @p data is valid only during the call; @p len is never 0.
 * Return 0 to continue; any other value stops the transfer (the library
 * sends ABOR, drains the replies) and the call returns FTP_E_ABORTED.
 */
typedef int (*ftp_sink_fn)(const void *data, size_t len, void *userdata);

/**
 * Supplies the next block of an upload.  Write at most @p cap bytes into
 * @p buf and store the count in @p *out_len; a count of 0 means end of file.
 * Return 0 to continue; any other value stops the upload and the call returns
 * FTP_E_ABORTED.
 */
typedef int (*ftp_source_fn)(void *buf, size_t cap, size_t *out_len, void *userdata);

/**
 * Receives one line of a text transfer (retrlines, nlst, dir), without its
 * line ending.  @p line is NUL-terminated and valid only during the call;
 * @p len excludes the NUL.  A server line may itself contain a NUL byte:
 * @p len is authoritative.  Return nonzero to stop (FTP_E_ABORTED).
 */
typedef int (*ftp_line_fn)(const char *line, size_t len, void *userdata);

/**
 * Receives one MLSD entry: its name and its facts as parallel arrays of
 * @p nfacts keys (lower-cased, as ftplib does) and values.  Every pointer
 * is valid only during the call.  Return nonzero to stop (FTP_E_ABORTED).
 */
typedef int (*ftp_mlsd_fn)(const char *name, size_t nfacts, const char *const *keys,
                           const char *const *values, void *userdata);

/** What a trace event is about (ftp_set_trace_fn()). */
enum ftp_trace_kind {
    FTP_TRACE_INFO = 0,  /**< library narration: connects, data channel mode and peer */
    FTP_TRACE_CMD = 1,   /**< a command as sent, without CRLF; PASS and ACCT masked */
    FTP_TRACE_REPLY = 2  /**< a complete reply as received, lines joined by '\n' */
};

/**
 * Receives one trace event.  @p text is NUL-terminated, valid only during
 * the call, and never contains a password or account.
 */
typedef void (*ftp_trace_fn)(int kind, const char *text, size_t len, void *userdata);

/** Releases userdata handed to a setter when it is replaced or the session is freed. */
typedef void (*ftp_destroy_fn)(void *userdata);

FTP_END_DECLS

#endif /* FTPC_COMMON_H */
