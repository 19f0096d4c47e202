// fuzz_reply: bytes -> the control reply reader (LineReader + read_reply),
// catalogue section B (framing and caps).
//
// Input:  byte 0   caps and mode
//                    bits 0-1 line cap     65536 | 512 | 40 | 4
//                    bits 2-3 byte cap     1 MiB | 4096 | 300 | 16
//                    bits 4-5 line count   10000 | 100 | 5 | 1
//                    bit  6   read lines (retrlines' path) instead of replies
//         bytes 1-3 chunk sizes: reads return at most 1..255 bytes, cycling
//                   through the three (0 = whatever the reader asks for)
//         the rest  what the server sends, then end of stream
//
// Besides "no crash, no leak, no over-read", every reply must honour the
// reader's contract: a valid code, the caps, no NUL, and a last line that
// really ends the reply.
#include <algorithm>
#include <cstdint>
#include <string>

#include "core/error.hh"
#include "core/reply.hh"
#include "fuzz_support.hh"

using namespace ftpc;

namespace {

// Returns the input in chunks of the fuzzer's choosing, then end of stream.
class ChunkedStream final : public net::Stream {
public:
    ChunkedStream(const uint8_t *data, size_t size, const uint8_t chunks[3])
        : data_(data), size_(size), chunks_{chunks[0], chunks[1], chunks[2]}
    {
    }

    size_t read_some(void *buf, size_t cap, const net::Deadline &) override
    {
        if (cap == 0)
            fuzz::violated("read_some() asked for 0 bytes");
        size_t n = std::min(cap, size_ - pos_);
        uint8_t chunk = chunks_[turn_++ % 3];
        if (chunk != 0)
            n = std::min<size_t>(n, chunk);
        std::copy(data_ + pos_, data_ + pos_ + n, static_cast<uint8_t *>(buf));
        pos_ += n;
        return n;
    }
    void write_all(const void *, size_t, const net::Deadline &) override
    {
        fuzz::violated("the reply reader wrote to the connection");
    }
    void write_urgent(const void *, size_t, const net::Deadline &) override
    {
        fuzz::violated("the reply reader wrote to the connection");
    }
    bool readable_now() override { return pos_ < size_; }
    bool wait_readable(const net::Deadline &) override { return true; }
    void shutdown_write() override {}
    void finish_writing(const net::Deadline &) override {}
    net::Address local_address() const override { return {}; }
    net::Address peer_address() const override { return {}; }

private:
    const uint8_t *data_;
    size_t size_;
    size_t pos_ = 0;
    uint8_t chunks_[3];
    unsigned turn_ = 0;
};

ReplyLimits limits_from(uint8_t caps)
{
    static const size_t lines[] = {65536, 512, 40, 4};
    static const size_t bytes[] = {size_t{1} << 20, 4096, 300, 16};
    static const size_t counts[] = {10000, 100, 5, 1};
    ReplyLimits limits;
    limits.max_line = lines[caps & 3];
    limits.max_bytes = bytes[(caps >> 2) & 3];
    limits.max_lines = counts[(caps >> 4) & 3];
    return limits;
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

void check_reply(const Reply &reply, const ReplyLimits &limits)
{
    const std::string &t = reply.text;
    // Any three digits frame a reply (0.2): what they mean is fail_reply()'s.
    FUZZ_CHECK(reply.code >= 0 && reply.code <= 999, t);
    FUZZ_CHECK(t.size() >= 3 && is_digit(t[0]) && is_digit(t[1]) && is_digit(t[2]) &&
                   reply.code == (t[0] - '0') * 100 + (t[1] - '0') * 10 + (t[2] - '0'),
               t);
    FUZZ_CHECK(t.size() <= limits.max_bytes, t);
    FUZZ_CHECK(t.find('\0') == std::string::npos, t);

    size_t count = 0;
    size_t start = 0;
    for (;;) {
        size_t end = t.find('\n', start);
        size_t len = (end == std::string::npos ? t.size() : end) - start;
        FUZZ_CHECK(len <= limits.max_line, t);
        count++;
        if (end == std::string::npos)
            break;
        start = end + 1;
    }
    FUZZ_CHECK(count <= limits.max_lines, t);

    // The last line is "ddd" or "ddd <text>" with the reply's code.
    std::string_view last = std::string_view(t).substr(start);
    FUZZ_CHECK(last.size() >= 3 && last.substr(0, 3) == t.substr(0, 3), t);
    FUZZ_CHECK(last.size() == 3 || last[3] == ' ', t);
    FUZZ_CHECK(is_digit(last[0]) && is_digit(last[1]) && is_digit(last[2]), t);
    // A one-line reply is exactly that line; a multi-line one opened with "ddd-".
    if (count > 1)
        FUZZ_CHECK(t.size() > 3 && t[3] == '-', t);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 4)
        return 0;
    const uint8_t caps = data[0];
    const ReplyLimits limits = limits_from(caps);
    const bool line_mode = (caps & 0x40) != 0;
    ChunkedStream stream(data + 4, size - 4, data + 1);
    LineReader reader(stream);
    const net::Deadline deadline = net::Deadline::after_ms(1000);

    std::string line;
    for (int i = 0; i < 100000; i++) {
        try {
            if (line_mode) {
                LineReader::Result r = reader.read_line(line, limits.max_line, deadline);
                if (r == LineReader::Result::eof)
                    break;
                FUZZ_CHECK(line.size() <= limits.max_line, line);
                FUZZ_CHECK(line.find('\n') == std::string::npos, line);
                if (r == LineReader::Result::partial)
                    break;
            } else {
                check_reply(read_reply(reader, limits, deadline), limits);
            }
        } catch (const Error &e) {
            // Only these two: a malformed or oversized reply, or the end of
            // the stream inside one.  Both must break the session.
            FUZZ_CHECK(e.code() == FTP_E_PROTO || e.code() == FTP_E_CLOSED, e.message());
            if (!line_mode)
                FUZZ_CHECK(e.breaks_session(), e.message());
            FUZZ_CHECK(!e.message().empty(), e.message());
            break;
        }
    }
    FUZZ_CHECK(reader.bytes_received() <= size - 4, "");
    return 0;
}
