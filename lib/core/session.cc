#include "core/session.hh"

#include <cctype>
#include <string_view>

#include "core/command.hh"
#include "net/tcp.hh"

namespace ftpc {

namespace {
// ftp_last_error() stays readable even when a server sends 60 KiB of text.
constexpr size_t max_error_message = 1024;
// A server may say "120 wait" a few times before its 220; not forever.
constexpr int max_preliminary_banners = 8;
} // namespace

Session::Session()
    : Session([](const net::Canceller &c) { return std::make_unique<net::TcpNetwork>(c); })
{
}

Session::Session(const NetworkFactory &make_network)
    : network_(make_network(canceller_)), tls_(tls::make_client())
{
}

Session::~Session() = default;

// ---------------------------------------------------------------- bookkeeping

void Session::begin_call()
{
    last_status_ = FTP_OK;
    last_error_.clear();
    last_error_is_oom_ = false;
    context_.clear();
}

void Session::record_success()
{
    last_status_ = FTP_OK;
    last_error_.clear();
}

int Session::record_failure(const Error &error) noexcept
{
    last_status_ = error.code();
    try {
        std::string message = error.message();
        // Reply errors carry the server's text; say which command it answered.
        if (!context_.empty() && message.compare(0, context_.size(), context_) != 0)
            message = context_ + ": " + message;
        if (message.size() > max_error_message) {
            message.resize(max_error_message);
            message += "...";
        }
        last_error_ = std::move(message);
    } catch (...) {
        // Out of memory while describing a failure: fall back to a static
        // text rather than let an exception reach the C boundary.
        last_error_.clear();
        last_error_is_oom_ = true;
    }
    // A cancel is spent once a call has been stopped by it.
    if (error.code() == FTP_E_CANCELLED)
        canceller_.reset();
    if (error.breaks_session() && control_ != nullptr) {
        try {
            broken_reason_ = last_error_;
        } catch (...) {
            broken_reason_.clear();
        }
        if (broken_reason_.empty())
            broken_reason_.assign("out of memory", 13);
        data_stream_.reset();
        control_.reset();
    }
    return last_status_;
}

const char *Session::last_error_text() const noexcept
{
    return last_error_is_oom_ && last_error_.empty() ? "out of memory" : last_error_.c_str();
}

void Session::require_connected() const
{
    if (control_ != nullptr)
        return;
    if (!broken_reason_.empty())
        throw Error(FTP_E_STATE, "the session is broken (" + broken_reason_ + "); call ftp_connect() again");
    throw Error(FTP_E_STATE, "not connected");
}

void Session::require_idle() const
{
    require_connected();
    if (data_stream_ != nullptr)
        throw Error(FTP_E_BUSY, "a data stream is open; close it with ftp_data_close() or ftp_abort() first");
}

net::Deadline Session::deadline(int phase) const
{
    return net::Deadline::after_ms(options_.timeout_ms[static_cast<size_t>(phase)]);
}

void Session::send(const std::string &command)
{
    context_ = redact_command(command);
    // Commands that set or may reset the representation type, whoever
    // sends them (ftp_sendcmd("TYPE A") included): forget what we knew.
    static constexpr std::string_view resets_type[] = {"TYPE", "REIN", "USER", "AUTH", "CCC"};
    if (type_ != 0) {
        const std::string verb = command_verb(command);
        for (std::string_view resets : resets_type)
            if (verb == resets)
                type_ = 0;
    }
    control_->send(command, deadline(FTP_TIMEOUT_REPLY));
}

Reply Session::read_reply(int phase)
{
    Reply reply = control_->read(options_.limits, deadline(phase));
    last_reply_code_ = reply.code;
    last_reply_ = reply.text;
    if (reply.code == 421)
        fail_reply(reply.code, reply.text, Breaks::session);
    return reply;
}

Reply Session::exchange(const std::string &command)
{
    send(command);
    return read_reply();
}

void Session::set_type(char type)
{
    // Checked before the cache: a known type is no excuse to answer FTP_OK
    // on a broken session or beside an open data stream.
    require_idle();
    // As curl does: TYPE goes out only when it changes, which saves a round
    // trip per file when many files move in one session.
    if (type_ == type)
        return;
    voidcmd(std::string("TYPE ") + type);
    type_ = type;
}

const std::string &Session::keep(std::string text)
{
    result_ = std::move(text);
    return result_;
}

// ----------------------------------------------------------------- connection

void Session::connect(const std::string &host, uint16_t port)
{
    disconnect();
    // A session is resumed only with the server it came from.
    tls_->forget_session();
    host_ = host;
    const int mode = options_.tls_mode;
    // The network layer's messages name the address they tried.
    context_.clear();
    try {
        net::Address source;
        if (options_.source_host)
            source = network_->resolve_source(*options_.source_host, options_.source_port, deadline(FTP_TIMEOUT_CONNECT));
        std::unique_ptr<net::Stream> stream = network_->connect_host(
            host, port, options_.source_host ? &source : nullptr, deadline(FTP_TIMEOUT_CONNECT));
        if (tracer_.wants(FTP_TRACE_INFO))
            tracer_.emit(FTP_TRACE_INFO, "connected to " + stream->peer_address().to_string());
        if (mode == FTP_TLS_IMPLICIT) {
            context_ = "TLS handshake with " + host;
            stream = tls_->handshake(std::move(stream), host_, true, tls_settings_, tls_generation_,
                                     deadline(FTP_TIMEOUT_CONNECT));
        }
        control_ = std::make_unique<Control>(std::move(stream), tracer_);
        context_ = "reading the welcome from " + host;
        Reply banner = read_reply();
        for (int i = 0; banner.kind() == 1; i++) {
            if (i == max_preliminary_banners)
                throw Error(FTP_E_PROTO, "the server keeps answering " + std::to_string(banner.code) +
                                             " without ever saying it is ready");
            banner = read_reply();
        }
        if (banner.kind() != 2)
            fail_reply(banner.code, banner.text);
        if (mode == FTP_TLS_EXPLICIT && banner.code == 230)
            // Logged in before any TLS: going on would send commands in clear
            // text although TLS is required (CVE-2021-22946).
            throw Error(FTP_E_TLS, "TLS is required, but the server logged us in before AUTH TLS: " + banner.text);
        welcome_ = banner.text;
        if (mode == FTP_TLS_EXPLICIT || mode == FTP_TLS_TRY_INSECURE)
            secure_control(mode == FTP_TLS_TRY_INSECURE);
        else if (mode == FTP_TLS_IMPLICIT)
            trace_tls();
    } catch (...) {
        // A failed connect leaves the session unconnected, not broken.
        control_.reset();
        welcome_.reset();
        throw;
    }
}

void Session::disconnect() noexcept
{
    data_stream_.reset();
    control_.reset();
    data_protected_ = false;
    type_ = 0;
    welcome_.reset();
    broken_reason_.clear();
    passive_command_ = DataCommand::extended;
    active_command_ = DataCommand::extended;
}

void Session::close() noexcept
{
    disconnect();
    canceller_.reset();
}

void Session::login(const char *user, const char *passwd, const char *acct)
{
    check_arg("the user name", user, false);
    check_arg("the password", passwd, false);
    check_arg("the account", acct, false);
    require_idle();
    std::string u = user != nullptr && *user != '\0' ? user : "anonymous";
    std::string p = passwd != nullptr ? passwd : "";
    std::string a = acct != nullptr ? acct : "";
    // ftplib: anonymous logins conventionally send an e-mail-like password;
    // a leading "-" asks the server for terse replies.
    if (u == "anonymous" && (p.empty() || p == "-"))
        p += "anonymous@";

    Reply reply = exchange("USER " + u);
    if (reply.kind() == 3)
        reply = exchange("PASS " + p);
    if (reply.kind() == 3)
        reply = exchange("ACCT " + a);
    if (reply.kind() != 2)
        fail_reply(reply.code, reply.text);
    if (control_->secure() != nullptr && options_.protect_data)
        prot_p();
}

void Session::quit()
{
    require_connected();
    try {
        // A transfer still open owes its final reply (226, or 426 once the
        // data connection is gone): read it first, so that the reply QUIT
        // reports is QUIT's.
        const bool transfer_pending = data_stream_ != nullptr;
        data_stream_.reset();
        if (transfer_pending) {
            context_ = "the open transfer's final reply";
            read_reply(FTP_TIMEOUT_CLOSE);
        }
        context_ = "QUIT";
        control_->send_unchecked("QUIT", deadline(FTP_TIMEOUT_CLOSE));
        Reply reply = read_reply(FTP_TIMEOUT_CLOSE);
        if (reply.kind() != 2)
            fail_reply(reply.code, reply.text);
    } catch (...) {
        disconnect();
        throw;
    }
    disconnect();
}

// ------------------------------------------------------------------- commands

const std::string &Session::sendcmd(const std::string &command)
{
    require_idle();
    Reply reply = exchange(command);
    if (reply.kind() < 1 || reply.kind() > 3)
        fail_reply(reply.code, reply.text);
    return keep(std::move(reply.text));
}

const std::string &Session::getresp()
{
    require_idle();
    Reply reply = read_reply();
    if (reply.kind() < 1 || reply.kind() > 3)
        fail_reply(reply.code, reply.text);
    return keep(std::move(reply.text));
}

const std::string &Session::voidresp()
{
    const std::string &reply = getresp();
    if (last_reply_code_ / 100 != 2)
        fail_reply(last_reply_code_, reply);
    return reply;
}

const char *Session::peer_address() const
{
    if (control_ == nullptr)
        return nullptr;
    peer_text_ = control_->stream().peer_address().to_string();
    return peer_text_.c_str();
}

const char *Session::local_address() const
{
    if (control_ == nullptr)
        return nullptr;
    local_text_ = control_->stream().local_address().to_string();
    return local_text_.c_str();
}

const std::string &Session::voidcmd(const std::string &command)
{
    require_idle();
    Reply reply = exchange(command);
    if (reply.kind() != 2)
        fail_reply(reply.code, reply.text);
    return keep(std::move(reply.text));
}

void Session::rename(const std::string &from, const std::string &to)
{
    require_idle();
    Reply reply = exchange("RNFR " + from);
    if (reply.kind() != 3)
        fail_reply(reply.code, reply.text);
    voidcmd("RNTO " + to);
}

void Session::remove(const std::string &path)
{
    require_idle();
    Reply reply = exchange("DELE " + path);
    if (reply.code != 250 && reply.code != 200)
        fail_reply(reply.code, reply.text);
}

void Session::cwd(const std::string &path)
{
    require_idle();
    if (path == "..") {
        Reply reply = exchange("CDUP");
        if (reply.kind() == 2)
            return;
        // Servers without CDUP say 500; CWD .. means the same.
        if (reply.code != 500)
            fail_reply(reply.code, reply.text);
    }
    voidcmd(path.empty() ? "CWD ." : "CWD " + path);
}

const std::string &Session::mkd(const std::string &path)
{
    const std::string &reply = voidcmd("MKD " + path);
    // ftplib: a 2xx other than 257 carries no path.
    if (reply.compare(0, 3, "257") != 0)
        return keep("");
    return keep(parse_257(reply));
}

const std::string &Session::pwd()
{
    const std::string &reply = voidcmd("PWD");
    if (reply.compare(0, 3, "257") != 0)
        throw Error(FTP_E_REPLY, reply);
    return keep(parse_257(reply));
}

void Session::rmd(const std::string &path)
{
    voidcmd("RMD " + path);
}

uint64_t Session::size(const std::string &path)
{
    const std::string &reply = voidcmd("SIZE " + path);
    if (reply.compare(0, 3, "213") != 0)
        throw Error(FTP_E_REPLY, reply);
    return parse_213_size(reply);
}

// ---------------------------------------------------------------------- FTPS

namespace {

// "0" or "0 ..." after "PBSZ=", not "016384" or "0x10".
bool asks_for_no_buffer(std::string_view value)
{
    size_t zeros = value.find_first_not_of('0');
    if (zeros == 0)
        return false;
    return zeros == std::string_view::npos || !std::isalnum(static_cast<unsigned char>(value[zeros]));
}

} // namespace

void Session::trace_tls()
{
    if (!tracer_.wants(FTP_TRACE_INFO))
        return;
    net::SecureStream *tls = control_->secure();
    if (tls != nullptr)
        tracer_.emit(FTP_TRACE_INFO, std::string("TLS ") + tls->protocol_version() + ", " + tls->cipher());
}

void Session::require_secured()
{
    require_idle();
    if (control_->secure() == nullptr)
        throw Error(FTP_E_STATE, "the control connection is not protected by TLS; call ftp_auth() first");
}

void Session::secure_control(bool may_stay_clear)
{
    Reply reply = exchange("AUTH TLS");
    if (reply.code != 234) {
        if (may_stay_clear && (reply.kind() == 4 || reply.kind() == 5))
            return;
        // Never clear text once TLS was asked for (CVE-2021-22946).
        throw Error(FTP_E_TLS, "the server refused AUTH TLS: " + reply.text);
    }
    // Anything already sent after 234 came before the handshake and is
    // unauthenticated (CVE-2021-22947).
    if (control_->unread_bytes_waiting())
        throw Error(FTP_E_TLS, "the server sent bytes after 234 and before the TLS handshake", Breaks::session);
    context_ = "TLS handshake with " + host_;
    control_->upgrade([&](std::unique_ptr<net::Stream> clear) -> std::unique_ptr<net::Stream> {
        return tls_->handshake(std::move(clear), host_, true, tls_settings_, tls_generation_,
                               deadline(FTP_TIMEOUT_CONNECT));
    });
    trace_tls();
}

void Session::auth()
{
    require_idle();
    if (control_->secure() != nullptr)
        throw Error(FTP_E_STATE, "the control connection is already protected by TLS");
    if (!tls::available())
        throw Error(FTP_E_UNSUPPORTED, "ftpc was built without TLS");
    secure_control(false);
}

void Session::prot_p()
{
    require_secured();
    Reply pbsz = exchange("PBSZ 0");
    if (pbsz.kind() != 2)
        throw Error(FTP_E_TLS, "the server refused PBSZ 0: " + pbsz.text);
    // RFC 4217: TLS needs no protection buffer; a server asking for one does
    // not speak FTPS as specified.
    size_t at = pbsz.text.find("PBSZ=");
    if (at != std::string::npos && !asks_for_no_buffer(pbsz.text.substr(at + 5)))
        throw Error(FTP_E_TLS, "the server asks for a protection buffer size other than 0: " + pbsz.text);
    Reply prot = exchange("PROT P");
    if (prot.kind() != 2)
        throw Error(FTP_E_TLS, "the server refused PROT P: " + prot.text);
    data_protected_ = true;
}

void Session::prot_c()
{
    require_secured();
    Reply prot = exchange("PROT C");
    if (prot.kind() != 2)
        throw Error(FTP_E_TLS, "the server refused PROT C: " + prot.text);
    data_protected_ = false;
}

void Session::ccc()
{
    require_secured();
    Reply reply = exchange("CCC");
    if (reply.kind() != 2)
        fail_reply(reply.code, reply.text);
    if (control_->unread_bytes_waiting())
        throw Error(FTP_E_PROTO, "the server sent more after accepting CCC", Breaks::session);
    try {
        control_->downgrade(deadline(FTP_TIMEOUT_CLOSE));
    } catch (const Error &e) {
        throw Error(e.code() == FTP_E_CANCELLED ? e.code() : FTP_E_TLS, "clearing the control channel: " + e.message(),
                    Breaks::session);
    }
}

const char *Session::tls_version() const
{
    net::SecureStream *tls = control_ ? control_->secure() : nullptr;
    return tls ? tls->protocol_version() : nullptr;
}

const char *Session::tls_cipher() const
{
    net::SecureStream *tls = control_ ? control_->secure() : nullptr;
    return tls ? tls->cipher() : nullptr;
}

} // namespace ftpc
