// FTPS options and commands, and the last transfer's report.
#include <string>

#include "api/handles.hh"
#include "core/command.hh"

using ftpc::Error;
using ftpc::Session;
using ftpc::api::guard;
using ftpc::api::require;

namespace {

void require_tls()
{
    if (!ftpc::tls::available())
        throw Error(FTP_E_UNSUPPORTED, "ftpc was built without TLS");
}

// A path setting: NULL clears it, anything else is copied.
void set_optional(std::optional<std::string> &slot, const char *what, const char *value)
{
    if (value == nullptr) {
        slot.reset();
        return;
    }
    ftpc::check_arg(what, value);
    require(*value != '\0', "an empty path");
    slot = value;
}

bool known_version(int version, bool any_allowed)
{
    return version == FTP_TLS_VERSION_1_2 || version == FTP_TLS_VERSION_1_3 ||
           (any_allowed && version == FTP_TLS_VERSION_ANY);
}

const char *or_null(const std::string &text) { return text.empty() ? nullptr : text.c_str(); }

} // namespace

extern "C" {

FTP_API int ftp_set_tls_mode(ftp_session *s, int mode)
{
    return guard(s, [&](Session &session) {
        require(mode >= FTP_TLS_NONE && mode <= FTP_TLS_TRY_INSECURE, "unknown TLS mode");
        require_tls();
        session.options().tls_mode = mode;
    });
}

FTP_API int ftp_set_tls_insecure_skip_verify(ftp_session *s, int on)
{
    return guard(s, [&](Session &session) {
        require_tls();
        session.tls_settings().verify = on == 0;
    });
}

FTP_API int ftp_set_tls_insecure_skip_hostname(ftp_session *s, int on)
{
    return guard(s, [&](Session &session) {
        require_tls();
        session.tls_settings().verify_host = on == 0;
    });
}

FTP_API int ftp_set_ca_file(ftp_session *s, const char *path)
{
    return guard(s, [&](Session &session) {
        require_tls();
        set_optional(session.tls_settings().ca_file, "the CA file", path);
    });
}

FTP_API int ftp_set_ca_path(ftp_session *s, const char *dir)
{
    return guard(s, [&](Session &session) {
        require_tls();
        set_optional(session.tls_settings().ca_path, "the CA directory", dir);
    });
}

FTP_API int ftp_set_client_cert(ftp_session *s, const char *cert_file, const char *key_file)
{
    return guard(s, [&](Session &session) {
        require_tls();
        require(cert_file != nullptr || key_file == nullptr, "a key without a certificate");
        ftpc::tls::Settings &settings = session.tls_settings();
        set_optional(settings.cert_file, "the certificate file", cert_file);
        set_optional(settings.key_file, "the key file", key_file);
    });
}

FTP_API int ftp_set_tls_min_version(ftp_session *s, int version)
{
    return guard(s, [&](Session &session) {
        require(known_version(version, false), "the minimum TLS version must be 1.2 or 1.3");
        require_tls();
        session.tls_settings().min_version = version;
    });
}

FTP_API int ftp_set_tls_max_version(ftp_session *s, int version)
{
    return guard(s, [&](Session &session) {
        require(known_version(version, true), "the maximum TLS version must be 1.2, 1.3 or ANY");
        require_tls();
        session.tls_settings().max_version = version;
    });
}

FTP_API int ftp_set_tls_ciphers(ftp_session *s, const char *list)
{
    return guard(s, [&](Session &session) {
        require_tls();
        set_optional(session.tls_settings().ciphers, "the cipher list", list);
    });
}

FTP_API int ftp_set_tls_protect_data(ftp_session *s, int on)
{
    return guard(s, [&](Session &session) {
        require_tls();
        session.options().protect_data = on != 0;
    });
}

FTP_API int ftp_auth(ftp_session *s)
{
    return guard(s, [&](Session &session) {
        require_tls();
        session.auth();
    });
}

FTP_API int ftp_prot_p(ftp_session *s)
{
    return guard(s, [&](Session &session) {
        require_tls();
        session.prot_p();
    });
}

FTP_API int ftp_prot_c(ftp_session *s)
{
    return guard(s, [&](Session &session) {
        require_tls();
        session.prot_c();
    });
}

FTP_API int ftp_ccc(ftp_session *s)
{
    return guard(s, [&](Session &session) {
        require_tls();
        session.ccc();
    });
}

FTP_API const char *ftp_tls_version(const ftp_session *s)
{
    return s != nullptr ? s->impl.tls_version() : nullptr;
}

FTP_API const char *ftp_tls_cipher(const ftp_session *s)
{
    return s != nullptr ? s->impl.tls_cipher() : nullptr;
}

FTP_API const char *ftp_last_transfer_mode(const ftp_session *s)
{
    return s != nullptr ? or_null(s->impl.last_transfer().mode) : nullptr;
}

FTP_API const char *ftp_last_transfer_peer(const ftp_session *s)
{
    return s != nullptr ? or_null(s->impl.last_transfer().peer) : nullptr;
}

FTP_API uint64_t ftp_last_transfer_bytes(const ftp_session *s)
{
    return s != nullptr ? s->impl.last_transfer().bytes : 0;
}

FTP_API const char *ftp_last_transfer_tls_version(const ftp_session *s)
{
    return s != nullptr ? or_null(s->impl.last_transfer().tls_version) : nullptr;
}

FTP_API const char *ftp_last_transfer_tls_cipher(const ftp_session *s)
{
    return s != nullptr ? or_null(s->impl.last_transfer().tls_cipher) : nullptr;
}

FTP_API int ftp_last_transfer_tls_resumed(const ftp_session *s)
{
    return s != nullptr ? s->impl.last_transfer().tls_resumed : -1;
}

} // extern "C"
