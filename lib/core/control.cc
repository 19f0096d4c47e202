#include "core/control.hh"

#include "core/command.hh"
#include "core/error.hh"

namespace ftpc {

void Tracer::emit(int kind, std::string_view text) const
{
    if (!wants(kind))
        return;
    std::string copy(text); // NUL-terminated for the callback
    fn_(kind, copy.c_str(), copy.size(), userdata_);
}

void Control::send(const std::string &command, const net::Deadline &deadline)
{
    if (unread_bytes_waiting())
        throw Error(FTP_E_PROTO, "the server sent a reply nobody asked for; commands and replies are out of step",
                    Breaks::session);
    send_unchecked(command, deadline);
}

void Control::send_unchecked(const std::string &command, const net::Deadline &deadline)
{
    tracer_.emit(FTP_TRACE_CMD, redact_command(command));
    std::string line = command + "\r\n";
    stream_->write_all(line.data(), line.size(), deadline);
}

Reply Control::read(const ReplyLimits &limits, const net::Deadline &deadline)
{
    Reply reply = read_reply(reader_, limits, deadline);
    tracer_.emit(FTP_TRACE_REPLY, reply.text);
    return reply;
}

void Control::downgrade(const net::Deadline &deadline)
{
    net::SecureStream *tls = secure();
    if (tls == nullptr)
        return;
    stream_ = tls->unwrap(deadline);
    reader_.rebind(*stream_);
}

void Control::send_abort(int style, const net::Deadline &deadline)
{
    if (stream_->encrypted() || style == FTP_ABORT_PLAIN) {
        // Urgent bytes would corrupt the TLS record stream: ABOR goes in-band.
        send_unchecked("ABOR", deadline);
        return;
    }
    static const char telnet_ip[] = {'\xff', '\xf4'};
    static const char synch_iac[] = {'\xff'};
    static const char synch_dm_abor[] = {'\xf2', 'A', 'B', 'O', 'R', '\r', '\n'};
    tracer_.emit(FTP_TRACE_CMD, "ABOR");
    if (style == FTP_ABORT_URGENT_LINE) {
        // ftplib's sock.sendall(b"ABOR\r\n", MSG_OOB).
        static const char abor_line[] = {'A', 'B', 'O', 'R', '\r', '\n'};
        stream_->write_urgent(abor_line, sizeof abor_line, deadline);
        return;
    }
    stream_->write_all(telnet_ip, sizeof telnet_ip, deadline);
    stream_->write_urgent(synch_iac, sizeof synch_iac, deadline);
    stream_->write_all(synch_dm_abor, sizeof synch_dm_abor, deadline);
}

} // namespace ftpc
