// FTP replies: RFC 959 section 4.2 framing with caps on everything the
// server controls.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "core/line_reader.hh"

namespace ftpc {

struct Reply {
    int code = 0;
    // The whole reply, codes included, lines joined by '\n' (ftplib's form).
    std::string text;

    int kind() const { return code / 100; }
};

struct ReplyLimits {
    size_t max_line = 65536;
    size_t max_bytes = 1u << 20;
    size_t max_lines = 10000;
};

// Where a reply line says it stands: "ddd " or "ddd" ends a reply, "ddd-"
// opens a multi-line one.  Returns false if @p line does not start with a
// valid code (three digits, the first 1-5) followed by ' ', '-' or nothing.
bool parse_reply_start(std::string_view line, int &code, bool &continues);

// Reads one complete reply.  Throws FTP_E_PROTO (malformed, NUL, over a cap)
// or FTP_E_CLOSED (end of stream), each breaking the session, and whatever
// the stream throws.
Reply read_reply(LineReader &reader, const ReplyLimits &limits, const net::Deadline &deadline);

} // namespace ftpc
