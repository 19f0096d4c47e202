// Buffered, capped line splitting over a Stream, shared by the control
// channel (replies) and text transfers (retrlines, listings).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "net/stream.hh"

namespace ftpc {

class LineReader {
public:
    enum class Result {
        line,    // a complete line (LF seen); the CR before it is removed
        partial, // end of stream after some bytes without an LF
        eof      // end of stream at a line boundary
    };

    explicit LineReader(net::Stream &stream) : stream_(&stream) {}

    // Reads from another stream from now on (TLS upgrade, CCC); nothing may
    // be buffered at that point.
    void rebind(net::Stream &stream) { stream_ = &stream; }

    // Reads the next line into @p out without its ending.  A line longer than
    // @p max_line bytes (ending excluded) throws FTP_E_PROTO; only CR LF and
    // bare LF end a line, so a bare CR is line content.
    Result read_line(std::string &out, size_t max_line, const net::Deadline &deadline);

    // Bytes already read from the stream but not yet returned as lines.
    bool has_buffered() const { return start_ < buf_.size(); }

    // Bytes received from the stream so far.
    uint64_t bytes_received() const { return received_; }

    // Hands over buffered bytes, for a stream switching to raw reads.
    size_t take_buffered(void *dst, size_t cap);

private:
    net::Stream *stream_;
    std::vector<char> buf_;
    size_t start_ = 0;
    uint64_t received_ = 0;
};

} // namespace ftpc
