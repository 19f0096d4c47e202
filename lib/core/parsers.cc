#include "core/parsers.hh"

#include <cctype>
#include <map>

#include "core/error.hh"

namespace ftpc {

namespace {

[[noreturn]] void bad(std::string_view what, std::string_view reply)
{
    std::string shown(reply.substr(0, 200));
    throw Error(FTP_E_PROTO, std::string(what) + ": \"" + shown + "\"");
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Reads an unsigned decimal at @p pos, at most @p max; false on overflow or
// when no digit is there.
bool read_number(std::string_view s, size_t &pos, uint64_t max, uint64_t &out)
{
    size_t start = pos;
    uint64_t value = 0;
    while (pos < s.size() && is_digit(s[pos])) {
        uint64_t digit = static_cast<uint64_t>(s[pos] - '0');
        if (value > (max - digit) / 10)
            return false;
        value = value * 10 + digit;
        pos++;
    }
    out = value;
    return pos > start;
}

} // namespace

uint16_t parse_229_port(std::string_view reply)
{
    size_t open = reply.find('(');
    size_t close = reply.find(')', open == std::string_view::npos ? 0 : open);
    if (open == std::string_view::npos || close == std::string_view::npos)
        bad("229 reply without (|||port|)", reply);
    std::string_view inner = reply.substr(open + 1, close - open - 1);
    // <d><net-prt><d><net-addr><d><tcp-port><d>, all four delimiters equal.
    if (inner.size() < 5)
        bad("malformed 229 reply", reply);
    char d = inner[0];
    if (d < 33 || d > 126 || is_digit(d))
        bad("229 reply with an invalid delimiter", reply);
    size_t second = inner.find(d, 1);
    size_t third = second == std::string_view::npos ? second : inner.find(d, second + 1);
    if (third == std::string_view::npos || inner.back() != d || third + 1 >= inner.size() - 1)
        bad("malformed 229 reply", reply);
    std::string_view port_text = inner.substr(third + 1, inner.size() - 1 - (third + 1));
    size_t pos = 0;
    uint64_t port = 0;
    if (!read_number(port_text, pos, 65535, port) || pos != port_text.size())
        bad("229 reply with an invalid port", reply);
    if (port == 0)
        bad("229 reply with port 0", reply);
    return static_cast<uint16_t>(port);
}

PasvTarget parse_227(std::string_view reply)
{
    // Skip the code, then look for the first digit run that starts six
    // comma-separated numbers.
    for (size_t start = 3; start < reply.size(); start++) {
        if (!is_digit(reply[start]) || is_digit(reply[start - 1]))
            continue;
        size_t pos = start;
        uint64_t nums[6];
        bool ok = true;
        for (int i = 0; i < 6 && ok; i++) {
            uint64_t v = 0;
            if (!read_number(reply, pos, 1000000, v)) {
                ok = false;
                break;
            }
            nums[i] = v;
            if (i < 5) {
                if (pos >= reply.size() || reply[pos] != ',')
                    ok = false;
                else
                    pos++;
            }
        }
        if (!ok)
            continue;
        for (uint64_t v : nums)
            if (v > 255)
                bad("227 reply with a number out of range", reply);
        PasvTarget t{};
        for (int i = 0; i < 4; i++)
            t.ip[static_cast<size_t>(i)] = static_cast<uint8_t>(nums[i]);
        t.port = static_cast<uint16_t>(nums[4] * 256 + nums[5]);
        if (t.port == 0)
            bad("227 reply with port 0", reply);
        return t;
    }
    bad("227 reply without h1,h2,h3,h4,p1,p2", reply);
}

std::string parse_257(std::string_view reply)
{
    if (reply.substr(0, 3) != "257")
        bad("expected a 257 reply", reply);
    if (reply.substr(3, 2) != " \"")
        return "";
    std::string path;
    size_t i = 5;
    for (;;) {
        if (i >= reply.size() || reply[i] == '\n')
            bad("257 reply without a closing quote", reply);
        char c = reply[i];
        if (c == '"') {
            if (i + 1 < reply.size() && reply[i + 1] == '"') {
                path += '"';
                i += 2;
                continue;
            }
            return path;
        }
        unsigned char u = static_cast<unsigned char>(c);
        if (u < 0x20 || u == 0x7f)
            bad("257 reply with a control character in the path", reply);
        path += c;
        i++;
    }
}

uint64_t parse_213_size(std::string_view reply)
{
    if (reply.substr(0, 4) != "213 ")
        bad("expected \"213 <size>\"", reply);
    std::string_view rest = reply.substr(4);
    size_t pos = 0;
    while (pos < rest.size() && rest[pos] == ' ')
        pos++;
    uint64_t value = 0;
    if (!read_number(rest, pos, UINT64_MAX, value))
        bad("213 reply without a valid size", reply);
    while (pos < rest.size() && rest[pos] == ' ')
        pos++;
    if (pos != rest.size())
        bad("213 reply without a valid size", reply);
    return value;
}

std::optional<uint64_t> parse_150_size(std::string_view reply)
{
    // ftplib: re.compile(r"150 .* \((\d+) bytes\)", re.IGNORECASE)
    if (reply.substr(0, 4) != "150 ")
        return std::nullopt;
    std::string_view first = reply.substr(0, reply.find('\n'));
    for (size_t open = first.rfind(" ("); open != std::string_view::npos && open >= 4;
         open = open == 0 ? std::string_view::npos : first.rfind(" (", open - 1)) {
        size_t pos = open + 2;
        uint64_t value = 0;
        if (!read_number(first, pos, UINT64_MAX - 1, value))
            continue;
        std::string_view tail = first.substr(pos);
        if (tail.size() >= 7 && tail[0] == ' ') {
            std::string word(tail.substr(1, 6));
            for (char &c : word)
                c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
            if (word == "bytes)")
                return value;
        }
    }
    return std::nullopt;
}

MlsdEntry parse_mlsd_line(std::string_view line)
{
    MlsdEntry entry;
    size_t space = line.find(' ');
    std::string_view facts = line.substr(0, space);
    entry.name = space == std::string_view::npos ? std::string() : std::string(line.substr(space + 1));
    // ftplib drops the last character of the facts (the trailing ';').
    if (!facts.empty())
        facts.remove_suffix(1);
    // Where each key sits in entry.facts.  A search tree, not a scan of the
    // facts so far (quadratic: a 64 KiB line of 16k facts cost a second of
    // CPU) nor a hash table (a server could choose colliding keys).
    std::map<std::string, size_t, std::less<>> position;
    size_t pos = 0;
    for (;;) { // Python's "".split(";") is [""]: at least one fact
        size_t semi = facts.find(';', pos);
        std::string_view fact = facts.substr(pos, semi == std::string_view::npos ? std::string_view::npos : semi - pos);
        size_t eq = fact.find('=');
        std::string key(fact.substr(0, eq));
        for (char &c : key)
            c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        std::string value = eq == std::string_view::npos ? std::string() : std::string(fact.substr(eq + 1));
        // A later duplicate key overwrites, as a Python dict assignment does.
        auto [at, added] = position.try_emplace(key, entry.facts.size());
        if (added)
            entry.facts.emplace_back(std::move(key), std::move(value));
        else
            entry.facts[at->second].second = std::move(value);
        if (semi == std::string_view::npos)
            break;
        pos = semi + 1;
    }
    return entry;
}

} // namespace ftpc
