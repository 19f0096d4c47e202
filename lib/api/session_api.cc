// Session lifecycle, options, connection and simple commands.
#include <string>

#include "api/handles.hh"
#include "core/command.hh"

using ftpc::Error;
using ftpc::Session;
using ftpc::api::guard;
using ftpc::api::require;

namespace {

constexpr int64_t max_timeout_ms = 86400000;

struct LimitRange {
    uint64_t min;
    uint64_t max;
};

LimitRange limit_range(int which)
{
    switch (which) {
    case FTP_LIMIT_LINE:
        return {512, uint64_t{16} << 20};
    case FTP_LIMIT_REPLY_BYTES:
        return {512, uint64_t{256} << 20};
    case FTP_LIMIT_REPLY_LINES:
        return {1, 10000000};
    default:
        throw Error(FTP_E_INVALID, "unknown limit " + std::to_string(which));
    }
}

// Out-parameters are written only on success: run the body into a local and
// copy it out afterwards.
template <class T, class Body>
int guard_out(ftp_session *s, T *out, Body &&body)
{
    T value{};
    int status = guard(s, [&](Session &session) { value = body(session); });
    if (status == FTP_OK && out != nullptr)
        *out = value;
    return status;
}

} // namespace

extern "C" {

FTP_API ftp_session *ftp_session_new(void)
{
    try {
        return new ftp_session();
    } catch (...) {
        return nullptr;
    }
}

FTP_API void ftp_session_free(ftp_session *s)
{
    delete s;
}

FTP_API int ftp_cancel(ftp_session *s)
{
    if (s == nullptr)
        return FTP_E_INVALID;
    s->impl.canceller().cancel();
    return FTP_OK;
}

FTP_API int ftp_set_timeout_ms(ftp_session *s, int64_t ms)
{
    return guard(s, [&](Session &session) {
        require(ms >= 1 && ms <= max_timeout_ms, "a timeout must be 1..86400000 ms");
        for (int phase = FTP_TIMEOUT_CONNECT; phase <= FTP_TIMEOUT_CLOSE; phase++)
            session.options().timeout_ms[static_cast<size_t>(phase)] = ms;
    });
}

FTP_API int ftp_set_phase_timeout_ms(ftp_session *s, int phase, int64_t ms)
{
    return guard(s, [&](Session &session) {
        require(phase >= FTP_TIMEOUT_CONNECT && phase <= FTP_TIMEOUT_CLOSE, "unknown timeout phase");
        require(ms >= 1 && ms <= max_timeout_ms, "a timeout must be 1..86400000 ms");
        session.options().timeout_ms[static_cast<size_t>(phase)] = ms;
    });
}

FTP_API int ftp_set_limit(ftp_session *s, int which, uint64_t value)
{
    return guard(s, [&](Session &session) {
        LimitRange range = limit_range(which);
        require(value >= range.min && value <= range.max, "limit value out of range");
        ftpc::ReplyLimits &limits = session.options().limits;
        if (which == FTP_LIMIT_LINE)
            limits.max_line = static_cast<size_t>(value);
        else if (which == FTP_LIMIT_REPLY_BYTES)
            limits.max_bytes = static_cast<size_t>(value);
        else
            limits.max_lines = static_cast<size_t>(value);
    });
}

FTP_API int ftp_set_source_address(ftp_session *s, const char *host, unsigned port)
{
    return guard(s, [&](Session &session) {
        require(port <= 65535, "port must be 0..65535");
        if (host == nullptr) {
            session.options().source_host.reset();
            session.options().source_port = 0;
            return;
        }
        ftpc::check_arg("the source host", host);
        require(*host != '\0', "the source host is empty");
        session.options().source_host = host;
        session.options().source_port = static_cast<uint16_t>(port);
    });
}

FTP_API int ftp_set_data_mode(ftp_session *s, int mode)
{
    return guard(s, [&](Session &session) {
        require(mode >= FTP_DATA_AUTO && mode <= FTP_DATA_PORT, "unknown data mode");
        session.options().data_mode = mode;
    });
}

FTP_API int ftp_set_pasv(ftp_session *s, int on)
{
    return guard(s, [&](Session &session) { session.options().data_mode = on ? FTP_DATA_AUTO : FTP_DATA_ACTIVE; });
}

FTP_API int ftp_set_trust_pasv_address_insecure(ftp_session *s, int on)
{
    return guard(s, [&](Session &session) { session.options().trust_pasv_address = on != 0; });
}

FTP_API int ftp_set_abort_style(ftp_session *s, int style)
{
    return guard(s, [&](Session &session) {
        require(style >= FTP_ABORT_TELNET && style <= FTP_ABORT_PLAIN, "unknown abort style");
        session.options().abort_style = style;
    });
}

FTP_API int ftp_set_debuglevel(ftp_session *s, int level)
{
    return guard(s, [&](Session &session) {
        require(level >= 0, "the debug level must not be negative");
        session.tracer().set_level(level);
    });
}

FTP_API int ftp_set_trace_fn(ftp_session *s, ftp_trace_fn fn, void *userdata, ftp_destroy_fn destroy)
{
    return guard(s, [&](Session &session) { session.tracer().reset(fn, userdata, destroy); });
}

FTP_API int ftp_connect(ftp_session *s, const char *host, unsigned port)
{
    return guard(s, [&](Session &session) {
        ftpc::check_arg("the host", host);
        require(*host != '\0', "the host is empty");
        require(port <= 65535, "port must be 0..65535");
        unsigned default_port = session.options().tls_mode == FTP_TLS_IMPLICIT ? 990 : 21;
        session.connect(host, static_cast<uint16_t>(port == 0 ? default_port : port));
    });
}

FTP_API const char *ftp_getwelcome(const ftp_session *s)
{
    if (s == nullptr || !s->impl.welcome())
        return nullptr;
    return s->impl.welcome()->c_str();
}

FTP_API const char *ftp_peer_address(const ftp_session *s)
{
    try {
        return s == nullptr ? nullptr : s->impl.peer_address();
    } catch (...) {
        return nullptr;
    }
}

FTP_API const char *ftp_local_address(const ftp_session *s)
{
    try {
        return s == nullptr ? nullptr : s->impl.local_address();
    } catch (...) {
        return nullptr;
    }
}

FTP_API int ftp_login(ftp_session *s, const char *user, const char *passwd, const char *acct)
{
    return guard(s, [&](Session &session) { session.login(user, passwd, acct); });
}

FTP_API int ftp_close(ftp_session *s)
{
    return guard(s, [&](Session &session) { session.close(); });
}

FTP_API int ftp_quit(ftp_session *s)
{
    return guard(s, [&](Session &session) { session.quit(); });
}

FTP_API int ftp_sendcmd(ftp_session *s, const char *cmd, const char **reply)
{
    return guard_out(s, reply, [&](Session &session) {
        ftpc::check_arg("the command", cmd);
        require(*cmd != '\0', "the command is empty");
        return session.sendcmd(cmd).c_str();
    });
}

FTP_API int ftp_voidcmd(ftp_session *s, const char *cmd)
{
    return guard(s, [&](Session &session) {
        ftpc::check_arg("the command", cmd);
        require(*cmd != '\0', "the command is empty");
        session.voidcmd(cmd);
    });
}

FTP_API int ftp_getresp(ftp_session *s, const char **reply)
{
    return guard_out(s, reply, [&](Session &session) { return session.getresp().c_str(); });
}

FTP_API int ftp_voidresp(ftp_session *s)
{
    return guard(s, [&](Session &session) { session.voidresp(); });
}

FTP_API int ftp_type(ftp_session *s, int type)
{
    return guard(s, [&](Session &session) {
        require(type == FTP_TYPE_ASCII || type == FTP_TYPE_BINARY, "the type must be FTP_TYPE_ASCII or FTP_TYPE_BINARY");
        session.set_type(static_cast<char>(type));
    });
}

FTP_API int ftp_rename(ftp_session *s, const char *from, const char *to)
{
    return guard(s, [&](Session &session) {
        ftpc::check_arg("the old name", from);
        ftpc::check_arg("the new name", to);
        session.rename(from, to);
    });
}

FTP_API int ftp_delete(ftp_session *s, const char *path)
{
    return guard(s, [&](Session &session) {
        ftpc::check_arg("the path", path);
        session.remove(path);
    });
}

FTP_API int ftp_cwd(ftp_session *s, const char *path)
{
    return guard(s, [&](Session &session) {
        ftpc::check_arg("the path", path);
        session.cwd(path);
    });
}

FTP_API int ftp_mkd(ftp_session *s, const char *path, const char **out)
{
    return guard_out(s, out, [&](Session &session) {
        ftpc::check_arg("the path", path);
        return session.mkd(path).c_str();
    });
}

FTP_API int ftp_pwd(ftp_session *s, const char **out)
{
    if (out == nullptr)
        return guard(s, [](Session &) { throw Error(FTP_E_INVALID, "the output pointer is NULL"); });
    return guard_out(s, out, [&](Session &session) { return session.pwd().c_str(); });
}

FTP_API int ftp_rmd(ftp_session *s, const char *path)
{
    return guard(s, [&](Session &session) {
        ftpc::check_arg("the path", path);
        session.rmd(path);
    });
}

FTP_API int ftp_size(ftp_session *s, const char *path, uint64_t *out)
{
    if (out == nullptr)
        return guard(s, [](Session &) { throw Error(FTP_E_INVALID, "the output pointer is NULL"); });
    return guard_out(s, out, [&](Session &session) {
        ftpc::check_arg("the path", path);
        return session.size(path);
    });
}

FTP_API int ftp_abort(ftp_session *s)
{
    return guard(s, [&](Session &session) { session.abort(); });
}

} // extern "C"
