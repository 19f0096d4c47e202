/*
 * ftpc — FTPS: FTP over TLS (RFC 4217), explicit and implicit.
 *
 * Do not include this file directly; include <ftpc/ftpc.h>.
 *
 * Secure by default, unlike Python's FTP_TLS:
 *  - certificates are verified against the system trust store (or
 *    ftp_set_ca_file() / ftp_set_ca_path()), and the host name or IP address
 *    given to ftp_connect() must match; the same identity is checked on
 *    every data connection (never the address a PASV reply names);
 *  - when TLS was asked for, ftpc never falls back to clear text: a refused
 *    AUTH TLS, a pre-authenticated 230 banner, and bytes the server sends
 *    between 234 and the handshake are errors;
 *  - after login, PBSZ 0 and PROT P protect the data connections;
 *  - every data handshake offers the control connection's TLS session
 *    (TLS 1.3 tickets included), which servers such as vsftpd
 *    (require_ssl_reuse=YES) and FileZilla Server demand;
 *  - a protected download that ends without TLS close_notify is a
 *    truncation (FTP_E_TLS); uploads end with close_notify and a clean TCP
 *    shutdown, never a reset.
 *
 * Built without OpenSSL (-Dtls=disabled), every function here returns
 * FTP_E_UNSUPPORTED, as does ftp_connect() with a TLS mode set.
 */
#ifndef FTPC_TLS_H
#define FTPC_TLS_H

#ifndef FTPC_H_INSIDE
#error "Include <ftpc/ftpc.h> instead of this header."
#endif

FTP_BEGIN_DECLS

/** How the control connection is secured (ftp_set_tls_mode()). */
enum ftp_tls_mode {
    /** Plain FTP (default); ftp_auth() can still secure it later. */
    FTP_TLS_NONE = 0,
    /** ftp_connect() reads the banner, then requires AUTH TLS and a verified
     *  handshake before it returns; ftp_login() then sends PBSZ 0 and PROT P. */
    FTP_TLS_EXPLICIT = 1,
    /** TLS from the first byte (port 990 when ftp_connect() gets port 0). */
    FTP_TLS_IMPLICIT = 2,
    /** Like FTP_TLS_EXPLICIT, but when the server refuses AUTH TLS the session
     *  goes on in clear text.  Anyone on the path can force that refusal, so
     *  this protects only against passive eavesdroppers. */
    FTP_TLS_TRY_INSECURE = 3
};

/**
 * TLS protocol versions, as on the wire (ftp_set_tls_min_version()).
 * Since: 0.2 the tag is ftp_tls_protocol (it was ftp_tls_version, which
 * clashed with the function ftp_tls_version() in binding generators).
 */
enum ftp_tls_protocol {
    FTP_TLS_VERSION_ANY = 0,
    FTP_TLS_VERSION_1_2 = 0x0303,
    FTP_TLS_VERSION_1_3 = 0x0304
};

/**
 * Chooses how the control connection is secured; applies from the next
 * ftp_connect().
 * @return FTP_OK, FTP_E_INVALID (unknown mode), FTP_E_UNSUPPORTED.
 */
FTP_API int ftp_set_tls_mode(ftp_session *s, int mode);

/**
 * Nonzero turns certificate and host-name verification OFF for control and
 * data connections.  Anyone on the path can then read and change the
 * session.  For tests and known self-signed servers only; 0 (the default)
 * verifies.
 * @return FTP_OK, FTP_E_INVALID, FTP_E_UNSUPPORTED.
 */
FTP_API int ftp_set_tls_insecure_skip_verify(ftp_session *s, int on);

/**
 * Nonzero keeps verifying the certificate chain but stops checking that the
 * certificate names the host given to ftp_connect() (Python's
 * SSLContext.check_hostname = False).  Anyone with any certificate from a
 * trusted CA can then pose as the server.  0 (the default) checks the name.
 * Without effect while ftp_set_tls_insecure_skip_verify() is on.
 * Since: 0.2.
 * @return FTP_OK, FTP_E_INVALID, FTP_E_UNSUPPORTED.
 */
FTP_API int ftp_set_tls_insecure_skip_hostname(ftp_session *s, int on);

/**
 * Trusts the PEM certificates in @p path instead of the system store
 * (NULL: the system store again).  The file is read at the next handshake
 * that needs a new TLS context; a file that cannot be read fails that call
 * with FTP_E_TLS.
 * @return FTP_OK, FTP_E_INVALID (empty path), FTP_E_UNSUPPORTED.
 */
FTP_API int ftp_set_ca_file(ftp_session *s, const char *path);

/**
 * Trusts the hashed certificate directory @p dir (OpenSSL c_rehash layout)
 * instead of the system store (NULL: the system store again).
 * @return FTP_OK, FTP_E_INVALID, FTP_E_UNSUPPORTED.
 */
FTP_API int ftp_set_ca_path(ftp_session *s, const char *dir);

/**
 * Presents a client certificate: @p cert_file holds the PEM certificate
 * chain, @p key_file the PEM private key (NULL: the key is in @p cert_file).
 * NULL @p cert_file removes it.  Files are read at the next handshake that
 * needs a new TLS context (FTP_E_TLS if unusable).  A change drops the
 * remembered TLS session, so a session is never resumed across identities.
 * @return FTP_OK, FTP_E_INVALID, FTP_E_UNSUPPORTED.
 */
FTP_API int ftp_set_client_cert(ftp_session *s, const char *cert_file, const char *key_file);

/**
 * The lowest TLS version accepted (default FTP_TLS_VERSION_1_2).
 * @return FTP_OK, FTP_E_INVALID (not 1.2 or 1.3), FTP_E_UNSUPPORTED.
 */
FTP_API int ftp_set_tls_min_version(ftp_session *s, int version);

/**
 * The highest TLS version offered (default FTP_TLS_VERSION_ANY: the
 * highest OpenSSL supports).
 * @return FTP_OK, FTP_E_INVALID, FTP_E_UNSUPPORTED.
 */
FTP_API int ftp_set_tls_max_version(ftp_session *s, int version);

/**
 * The TLS 1.2 cipher list in OpenSSL syntax (NULL: OpenSSL's default).
 * TLS 1.3 suites are OpenSSL's defaults.  A list OpenSSL rejects fails the
 * next handshake that builds a context with FTP_E_TLS.
 * @return FTP_OK, FTP_E_INVALID (CR/LF), FTP_E_UNSUPPORTED.
 */
FTP_API int ftp_set_tls_ciphers(ftp_session *s, const char *list);

/**
 * Whether ftp_login() sends PBSZ 0 and PROT P after a TLS-secured login
 * (default 1).  With 0, data connections stay in clear text until
 * ftp_prot_p().
 * @return FTP_OK, FTP_E_INVALID, FTP_E_UNSUPPORTED.
 */
FTP_API int ftp_set_tls_protect_data(ftp_session *s, int on);

/**
 * Secures the control connection now (ftplib's FTP_TLS.auth()): AUTH TLS,
 * which must answer 234 with nothing after it, then a verified handshake.
 * @return FTP_OK; FTP_E_TLS (refused, handshake or verification failure,
 * bytes before the handshake: the session is broken except after a plain
 * refusal); FTP_E_STATE (not connected, or already secured);
 * FTP_E_UNSUPPORTED; and the errors of ftp_sendcmd().
 */
FTP_API int ftp_auth(ftp_session *s);

/**
 * Protects data connections (ftplib's prot_p()): PBSZ 0, then PROT P; both
 * must answer 2xx, and PBSZ must not ask for a buffer size other than 0.
 * @return FTP_OK; FTP_E_STATE (control connection not secured);
 * FTP_E_TLS (PBSZ/PROT refused or PBSZ=n with n != 0; the session stays
 * usable); FTP_E_UNSUPPORTED; and the errors of ftp_sendcmd().
 */
FTP_API int ftp_prot_p(ftp_session *s);

/**
 * Data connections in clear text again (ftplib's prot_c()): PROT C.
 * @return as ftp_prot_p().
 */
FTP_API int ftp_prot_c(ftp_session *s);

/**
 * Clears the control channel (ftplib's ccc()): CCC; on 200, ftpc sends its
 * TLS close_notify, waits (within the close timeout) for the server's, and
 * goes on in clear text on the same TCP connection.  Data protection is
 * unchanged.  A refused CCC leaves the connection encrypted.
 * @return FTP_OK; FTP_E_STATE (not secured); FTP_E_TEMP / FTP_E_PERM
 * (refused, still encrypted and usable); FTP_E_TLS (the TLS shutdown failed:
 * broken); FTP_E_UNSUPPORTED.
 */
FTP_API int ftp_ccc(ftp_session *s);

/**
 * The control connection's protocol version ("TLSv1.3"), or NULL when it is
 * not encrypted.  Static string.
 */
FTP_API const char *ftp_tls_version(const ftp_session *s);

/**
 * The control connection's cipher ("TLS_AES_256_GCM_SHA384"), or NULL when it
 * is not encrypted.  Static string.
 */
FTP_API const char *ftp_tls_cipher(const ftp_session *s);

FTP_END_DECLS

#endif /* FTPC_TLS_H */
