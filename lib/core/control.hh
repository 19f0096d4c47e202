// The control connection: commands out, replies in, each with a deadline,
// traced with secrets masked.
#pragma once

#include <memory>
#include <string>

#include "core/line_reader.hh"
#include "core/reply.hh"
#include "core/trace.hh"
#include "net/stream.hh"

namespace ftpc {

class Control {
public:
    Control(std::unique_ptr<net::Stream> stream, const Tracer &tracer)
        : stream_(std::move(stream)), reader_(*stream_), tracer_(tracer)
    {
    }

    // Sends "command\r\n".  Bytes the server sent unasked (a reply nobody
    // waited for) mean command and reply no longer pair up: FTP_E_PROTO,
    // breaking the session, and the command is not sent.
    void send(const std::string &command, const net::Deadline &deadline);
    // Sends without that check, for QUIT, which ends the session anyway.
    void send_unchecked(const std::string &command, const net::Deadline &deadline);

    // Reads one complete reply (see read_reply()).
    Reply read(const ReplyLimits &limits, const net::Deadline &deadline);

    // RFC 959 4.1.3 (FTP_ABORT_TELNET): Telnet IP, then Synch (IAC DM with
    // the urgent mark on the IAC) so a server busy sending data looks at the
    // control channel, then ABOR; or the other enum ftp_abort_style ways.
    void send_abort(int style, const net::Deadline &deadline);

    bool unread_bytes_waiting() { return reader_.has_buffered() || stream_->readable_now(); }

    // Replaces the stream with what @p wrap makes of it (AUTH TLS), or with
    // the clear stream under TLS (CCC).
    template <class Wrap>
    void upgrade(Wrap &&wrap)
    {
        stream_ = wrap(std::move(stream_));
        reader_.rebind(*stream_);
    }
    void downgrade(const net::Deadline &deadline);

    // The TLS layer, or nullptr when the connection is clear text.
    net::SecureStream *secure() const { return dynamic_cast<net::SecureStream *>(stream_.get()); }

    net::Stream &stream() { return *stream_; }

private:
    std::unique_ptr<net::Stream> stream_;
    LineReader reader_;
    const Tracer &tracer_;
};

} // namespace ftpc
