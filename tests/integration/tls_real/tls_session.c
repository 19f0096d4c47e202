#include "tls_session.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "real_files.h"
#include "tls_server.h"

void tls_skip_unless_built_with_tls(const char *program)
{
    ftp_session *s = ftp_session_new();
    if (s == NULL) {
        fprintf(stderr, "%s: ftp_session_new failed\n", program);
        exit(1);
    }
    int rc = ftp_set_tls_mode(s, FTP_TLS_EXPLICIT);
    ftp_session_free(s);
    if (rc == FTP_E_UNSUPPORTED) {
        printf("%s: SKIP: ftpc was built without TLS (-Dtls=disabled): "
               "ftp_set_tls_mode returns FTP_E_UNSUPPORTED\n",
               program);
        exit(77);
    }
    if (rc != FTP_OK) {
        fprintf(stderr, "%s: ftp_set_tls_mode(FTP_TLS_EXPLICIT) -> %s\n", program,
                ftp_error_name(rc));
        exit(1);
    }
}

int tls_parse_version(const char *arg, const char *usage)
{
    if (strcmp(arg, "1.2") == 0)
        return FTP_TLS_VERSION_1_2;
    if (strcmp(arg, "1.3") == 0)
        return FTP_TLS_VERSION_1_3;
    fprintf(stderr, "usage: %s\n", usage);
    exit(2);
}

const char *tls_version_name(int version)
{
    switch (version) {
    case FTP_TLS_VERSION_1_2:
        return "TLSv1.2";
    case FTP_TLS_VERSION_1_3:
        return "TLSv1.3";
    default:
        return NULL;
    }
}

ftp_session *tls_session_new(int mode, int version)
{
    ftp_session *s = real_session_new();
    char ca[1100];
    tls_pki_file("ca.pem", ca, sizeof ca);
    REAL_OK(s, ftp_set_tls_mode(s, mode));
    REAL_OK(s, ftp_set_ca_file(s, ca));
    if (version != FTP_TLS_VERSION_ANY) {
        REAL_OK(s, ftp_set_tls_min_version(s, version));
        REAL_OK(s, ftp_set_tls_max_version(s, version));
    }
    return s;
}

void tls_connect(ftp_session *s, const real_server *srv, int version)
{
    REAL_OK(s, ftp_connect(s, srv->host, srv->proc.port));
    const char *got = ftp_tls_version(s);
    if (got == NULL)
        fail_msg("ftp_connect succeeded but ftp_tls_version() is NULL (not encrypted)");
    if (version != FTP_TLS_VERSION_ANY)
        assert_string_equal(got, tls_version_name(version));
    assert_non_null(ftp_tls_cipher(s));
}

ftp_session *tls_login(const real_server *srv, int mode, int version)
{
    ftp_session *s = tls_session_new(mode, version);
    tls_connect(s, srv, version);
    REAL_OK(s, ftp_login(s, srv->user, srv->password, NULL));
    return s;
}

void tls_tally_init(tls_tally *t, const char *label, int version)
{
    memset(t, 0, sizeof *t);
    t->label = label;
    t->want_version = tls_version_name(version);
}

void tls_tally_data(tls_tally *t, const ftp_session *s, const char *what)
{
    const char *version = ftp_last_transfer_tls_version(s);
    const char *cipher = ftp_last_transfer_tls_cipher(s);
    const char *mode = ftp_last_transfer_mode(s);
    int resumed = ftp_last_transfer_tls_resumed(s);
    t->connections++;
    printf("%s: data connection %u (%s): %s %s %s, %llu bytes, resumed=%d\n", t->label,
           t->connections, what, mode ? mode : "(no mode)", version ? version : "(clear)",
           cipher ? cipher : "(no cipher)", (unsigned long long)ftp_last_transfer_bytes(s),
           resumed);
    fflush(stdout);
    if (version == NULL || cipher == NULL)
        fail_msg("%s: %s: the data connection was not encrypted", t->label, what);
    if (t->want_version != NULL)
        assert_string_equal(version, t->want_version);
    /* A resumed session keeps its version; a full handshake must not have
     * negotiated another one either. */
    const char *control = ftp_tls_version(s);
    if (control != NULL)
        assert_string_equal(version, control);
    if (resumed == 1) {
        t->resumed++;
        return;
    }
    size_t used = strlen(t->not_resumed);
    snprintf(t->not_resumed + used, sizeof t->not_resumed - used, "%s%s (resumed=%d)",
             used ? ", " : "", what, resumed);
}

void tls_tally_finish(const tls_tally *t)
{
    printf("%s: resumed %u of %u data connections\n", t->label, t->resumed, t->connections);
    fflush(stdout);
    if (t->resumed != t->connections)
        fail_msg("%s: data connections that did not resume the control connection's TLS "
                 "session: %s",
                 t->label, t->not_resumed);
}

void tls_assert_clear_data(const ftp_session *s, const char *what)
{
    const char *version = ftp_last_transfer_tls_version(s);
    if (version != NULL)
        fail_msg("%s: expected a clear-text data connection, got %s", what, version);
    assert_null(ftp_last_transfer_tls_cipher(s));
    assert_int_equal(ftp_last_transfer_tls_resumed(s), -1);
}

void tls_assert_no_user_sent(const real_server *srv)
{
    char path[1200];
    size_t len = 0;
    tls_server_log_path(srv, path, sizeof path);
    char *log = (char *)real_read_file(path, &len);
    if (log == NULL)
        fail_msg("cannot read the server's log %s", path);
    /* The log is the server's own record of the commands it received. */
    if (strstr(log, "AUTH TLS") == NULL)
        fail_msg("the server log %s does not show AUTH TLS:\n%s", path, log);
    if (strstr(log, "USER") != NULL)
        fail_msg("the server received USER although TLS failed:\n%s", log);
    free(log);
}
