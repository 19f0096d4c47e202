#include "core/reply.hh"

#include <cstring>

#include "core/error.hh"

namespace ftpc {

namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

[[noreturn]] void malformed(const std::string &why)
{
    throw Error(FTP_E_PROTO, "malformed reply: " + why, Breaks::session);
}

std::string quoted_prefix(std::string_view line)
{
    std::string shown;
    for (char c : line.substr(0, 40)) {
        unsigned char u = static_cast<unsigned char>(c);
        if (u < 0x20 || u >= 0x7f) {
            static const char hex[] = "0123456789abcdef";
            shown += "\\x";
            shown += hex[u >> 4];
            shown += hex[u & 15];
        } else {
            shown += c;
        }
    }
    return "\"" + shown + (line.size() > 40 ? "...\"" : "\"");
}

} // namespace

bool parse_reply_start(std::string_view line, int &code, bool &continues)
{
    if (line.size() < 3 || !is_digit(line[0]) || !is_digit(line[1]) || !is_digit(line[2]))
        return false;
    if (line.size() > 3 && line[3] != ' ' && line[3] != '-')
        return false;
    code = (line[0] - '0') * 100 + (line[1] - '0') * 10 + (line[2] - '0');
    continues = line.size() > 3 && line[3] == '-';
    return true;
}

Reply read_reply(LineReader &reader, const ReplyLimits &limits, const net::Deadline &deadline)
{
    Reply reply;
    std::string line;
    size_t lines = 0;
    bool first = true;
    for (;;) {
        LineReader::Result r;
        try {
            r = reader.read_line(line, limits.max_line, deadline);
        } catch (Error &e) {
            if (e.code() == FTP_E_PROTO)
                throw Error(FTP_E_PROTO, "reply line too long: " + e.message(), Breaks::session);
            throw;
        }
        if (r != LineReader::Result::line)
            throw Error(FTP_E_CLOSED, "the server closed the control connection", Breaks::session);
        // A search for a NUL byte among the line's bytes, not a string copy:
        // NOLINTNEXTLINE(bugprone-not-null-terminated-result)
        if (std::memchr(line.data(), '\0', line.size()) != nullptr)
            malformed("NUL byte in " + quoted_prefix(line));
        if (++lines > limits.max_lines)
            malformed("more than " + std::to_string(limits.max_lines) + " lines");
        if (reply.text.size() + line.size() + 1 > limits.max_bytes)
            malformed("more than " + std::to_string(limits.max_bytes) + " bytes");

        int code = 0;
        bool continues = false;
        bool coded = parse_reply_start(line, code, continues);
        if (first) {
            if (!coded)
                malformed(quoted_prefix(line));
            reply.code = code;
            reply.text = line;
            first = false;
            if (!continues)
                return reply;
            continue;
        }
        reply.text += '\n';
        reply.text += line;
        // Only the opening code followed by a space (or nothing) ends it;
        // "200 inner" inside a 211 reply is text (RFC 959 4.2).
        if (coded && code == reply.code && !continues)
            return reply;
    }
}

} // namespace ftpc
