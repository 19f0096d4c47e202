// Opening data connections: EPSV/PASV (passive) and EPRT/PORT (active).
#include <arpa/inet.h>
#include <cstring>
#include <netinet/in.h>
#include <utility>

#include "core/command.hh"
#include "core/session.hh"

namespace ftpc {

namespace {

// Only a server that does not know EPSV/EPRT (RFC 2428: 500, 501, 502)
// makes the session fall back to PASV/PORT for good; a refusal for another
// reason (550 "TLS required on the data channel") is reported as it is.
bool command_unknown(int code) { return code == 500 || code == 501 || code == 502; }

} // namespace

net::Address Session::data_source() const
{
    // Data connections leave from the control connection's local address, so
    // a caller's source address applies to them too.
    net::Address source = control_->stream().local_address();
    source.set_port(0);
    return source;
}

std::unique_ptr<net::Stream> Session::connect_passive()
{
    const int mode = options_.data_mode;
    const net::Address peer = control_->stream().peer_address();
    net::Address target = peer;

    bool use_epsv = mode == FTP_DATA_EPSV || (mode == FTP_DATA_AUTO && passive_command_ == DataCommand::extended);
    if (mode == FTP_DATA_PASV && peer.is_ipv6())
        throw Error(FTP_E_UNSUPPORTED, "PASV cannot describe an IPv6 data connection; use EPSV");

    bool passive_done = false;
    if (use_epsv) {
        Reply reply = exchange("EPSV");
        if (reply.code == 229) {
            // RFC 2428: the data connection goes to the control peer; any
            // address in the reply is ignored.
            target.set_port(parse_229_port(reply.text));
            passive_done = true;
            report_.mode = "EPSV";
        } else if (mode == FTP_DATA_AUTO && command_unknown(reply.code) && !peer.is_ipv6()) {
            passive_command_ = DataCommand::classic;
        } else {
            fail_reply(reply.code, reply.text);
        }
    }
    if (!passive_done) {
        Reply reply = exchange("PASV");
        if (reply.code != 227)
            fail_reply(reply.code, reply.text);
        PasvTarget pasv = parse_227(reply.text);
        target.set_port(pasv.port);
        report_.mode = "PASV";
        if (options_.trust_pasv_address) {
            sockaddr_in v4{};
            v4.sin_family = AF_INET;
            v4.sin_port = htons(pasv.port);
            std::memcpy(&v4.sin_addr, pasv.ip.data(), 4);
            target = net::Address(reinterpret_cast<const sockaddr *>(&v4), sizeof v4);
        }
    }

    if (tracer_.wants(FTP_TRACE_INFO))
        tracer_.emit(FTP_TRACE_INFO, "data connection to " + target.to_string());
    net::Address source = data_source();
    try {
        return network_->connect_addr(target, &source, deadline(FTP_TIMEOUT_CONNECT));
    } catch (Error &e) {
        // Nothing is outstanding on the control connection yet, so a failed
        // or timed-out data connect leaves the session usable.
        if (e.code() == FTP_E_CANCELLED)
            throw;
        throw Error(e.code(), "opening the data connection: " + e.message());
    }
}

bool Session::active_mode() const
{
    const int mode = options_.data_mode;
    return mode == FTP_DATA_ACTIVE || mode == FTP_DATA_EPRT || mode == FTP_DATA_PORT;
}

std::unique_ptr<net::Listener> Session::start_active()
{
    const int mode = options_.data_mode;
    const net::Address local = control_->stream().local_address();
    std::unique_ptr<net::Listener> listener = network_->listen(local);
    const net::Address listening = listener->local_address();
    const uint16_t port = listening.port();

    if (mode == FTP_DATA_PORT && listening.is_ipv6())
        throw Error(FTP_E_UNSUPPORTED, "PORT cannot describe an IPv6 data connection; use EPRT");
    if (mode == FTP_DATA_EPRT || (mode == FTP_DATA_ACTIVE && active_command_ == DataCommand::extended)) {
        std::string eprt = "EPRT |" + std::string(listening.is_ipv6() ? "2" : "1") + "|" + listening.host() + "|" +
                           std::to_string(port) + "|";
        Reply reply = exchange(eprt);
        if (reply.kind() == 2) {
            report_.mode = "EPRT";
            return listener;
        }
        if (mode == FTP_DATA_EPRT || !command_unknown(reply.code) || listening.is_ipv6())
            fail_reply(reply.code, reply.text);
        active_command_ = DataCommand::classic;
    }
    std::string host = listening.host();
    for (char &c : host)
        if (c == '.')
            c = ',';
    Reply reply = exchange("PORT " + host + "," + std::to_string(port >> 8) + "," + std::to_string(port & 255));
    if (reply.kind() != 2)
        fail_reply(reply.code, reply.text);
    report_.mode = "PORT";
    return listener;
}

std::unique_ptr<net::Stream> Session::open_data_connection(const std::string &command, uint64_t rest,
                                                           Reply &preliminary)
{
    const bool active = active_mode();
    report_ = TransferReport();
    // Failures before the first command goes out name the transfer.
    context_ = redact_command(command);
    std::unique_ptr<net::Stream> passive;
    std::unique_ptr<net::Listener> listener;
    if (active)
        listener = start_active();
    else
        passive = connect_passive();

    if (rest != 0) {
        Reply reply = exchange("REST " + std::to_string(rest));
        if (reply.kind() != 3)
            fail_reply(reply.code, reply.text);
    }
    // A protected passive connection starts its handshake before the
    // command's reply arrives (tls::Client::start_handshake()).
    std::unique_ptr<net::SecureStream> started;
    std::optional<Error> start_failure;
    Reply reply;
    if (!active && data_protected_) {
        send(command);
        try {
            // Same identity as the control connection: the host the caller
            // named, never an address from a PASV reply.
            // (passive is left empty: the clear path below is not taken.)
            started = tls_->start_handshake(std::exchange(passive, nullptr), host_, tls_settings_,
                                            tls_generation_, deadline(FTP_TIMEOUT_CONNECT));
        } catch (const Error &e) {
            if (e.code() == FTP_E_CANCELLED)
                throw;
            start_failure = e;
        }
        reply = read_reply();
    } else {
        reply = exchange(command);
    }
    // ftplib: some servers send a 2xx before the 1xx; read on once.
    if (reply.kind() == 2)
        reply = read_reply();
    if (reply.kind() != 1)
        fail_reply(reply.code, reply.text);
    preliminary = reply;
    if (start_failure)
        throw data_handshake_failure(*start_failure);

    std::unique_ptr<net::Stream> stream;
    if (active) {
        stream = listener->accept_from(control_->stream().peer_address(), deadline(FTP_TIMEOUT_ACCEPT));
        if (tracer_.wants(FTP_TRACE_INFO))
            tracer_.emit(FTP_TRACE_INFO, "data connection from " + stream->peer_address().to_string());
        report_.peer = stream->peer_address().to_string();
        if (data_protected_)
            return protect_data(std::move(stream));
        return stream;
    }
    if (started) {
        report_.peer = started->peer_address().to_string();
        return finish_protection(std::move(started));
    }
    report_.peer = passive->peer_address().to_string();
    return passive;
}

Error Session::data_handshake_failure(const Error &error)
{
    // The server will answer the transfer command with its view of the
    // failure (vsftpd: "522 SSL connection failed; session reuse required");
    // read it so the control connection stays in step.
    Reply reply = read_reply();
    return Error(FTP_E_TLS, "data connection: " + error.message() + " (the server said: " + reply.text + ")");
}

std::unique_ptr<net::Stream> Session::protect_data(std::unique_ptr<net::Stream> data)
{
    std::unique_ptr<net::SecureStream> secured;
    try {
        secured = tls_->handshake(std::move(data), host_, false, tls_settings_, tls_generation_,
                                  deadline(FTP_TIMEOUT_CONNECT));
    } catch (const Error &e) {
        if (e.code() == FTP_E_CANCELLED)
            throw;
        throw data_handshake_failure(e);
    }
    return protected_report(std::move(secured));
}

std::unique_ptr<net::Stream> Session::finish_protection(std::unique_ptr<net::SecureStream> started)
{
    try {
        started->finish_handshake(deadline(FTP_TIMEOUT_CONNECT));
    } catch (const Error &e) {
        if (e.code() == FTP_E_CANCELLED)
            throw;
        started.reset();
        throw data_handshake_failure(e);
    }
    return protected_report(std::move(started));
}

std::unique_ptr<net::Stream> Session::protected_report(std::unique_ptr<net::SecureStream> secured)
{
    report_.tls_version = secured->protocol_version();
    report_.tls_cipher = secured->cipher();
    report_.tls_resumed = secured->resumed() ? 1 : 0;
    if (tracer_.wants(FTP_TRACE_INFO))
        tracer_.emit(FTP_TRACE_INFO, "data connection " + report_.tls_version + ", " + report_.tls_cipher +
                                         (secured->resumed() ? ", session resumed" : ", full handshake"));
    return secured;
}

} // namespace ftpc
