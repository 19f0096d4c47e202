// fuzz_parsers: selector byte + payload -> each reply-payload parser,
// catalogue sections C, D and I.
//
// Input:  byte 0 (mod 7) which parser
//           0 parse_227 (PASV)         1 parse_229_port (EPSV)
//           2 parse_257 (PWD/MKD)      3 parse_213_size (SIZE)
//           4 parse_150_size (hint)    5 parse_mlsd_line (MLSD facts)
//           6 parse_reply_start (the code of a reply line)
//         the rest: the reply text (or the MLSD line) as the session hands
//         it over: lines joined by '\n', no final line ending.
//
// lib/core has no MDTM or LIST line parser yet (ftpc does not parse MDTM
// replies or LIST output: ftp_dir() hands LIST lines to the caller as
// they are), so there is nothing to fuzz for those; add a selector here when
// such a parser appears.
//
// Each parser either returns a value that agrees with its text, or throws
// FTP_E_PROTO without breaking the session; anything else is a bug.
#include <cctype>
#include <cstdint>
#include <set>
#include <string>
#include <string_view>

#include "core/error.hh"
#include "core/parsers.hh"
#include "core/reply.hh"
#include "fuzz_support.hh"

using namespace ftpc;

namespace {

bool contains(std::string_view text, const std::string &needle) { return text.find(needle) != std::string_view::npos; }

std::string lower(std::string_view s)
{
    std::string out(s);
    for (char &c : out)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

void check_227(std::string_view text)
{
    PasvTarget t = parse_227(text);
    FUZZ_CHECK(t.port != 0, text);
    // The port's two bytes and the address were written as numbers.
    FUZZ_CHECK(contains(text, std::to_string(t.port & 255)), text);
    FUZZ_CHECK(contains(text, std::to_string(t.ip[0])), text);
}

void check_229(std::string_view text)
{
    uint16_t port = parse_229_port(text);
    FUZZ_CHECK(port != 0, text);
    FUZZ_CHECK(contains(text, std::to_string(port)), text);
    FUZZ_CHECK(text.find(')', text.find('(')) != std::string_view::npos, text);
}

void check_257(std::string_view text)
{
    std::string path = parse_257(text);
    FUZZ_CHECK(text.substr(0, 3) == "257", text);
    FUZZ_CHECK(path.size() + 5 <= text.size() || path.empty(), text);
    for (char c : path) {
        unsigned char u = static_cast<unsigned char>(c);
        FUZZ_CHECK(u >= 0x20 && u != 0x7f, text); // no control character, CR, LF or NUL
    }
    // Doubled quotes stand for one: quoting the path again must give back
    // the text between the quotes.
    if (!path.empty()) {
        std::string quoted;
        for (char c : path) {
            quoted += c;
            if (c == '"')
                quoted += '"';
        }
        FUZZ_CHECK(text.substr(5, quoted.size()) == quoted, text);
    }
}

void check_213(std::string_view text)
{
    uint64_t size = parse_213_size(text);
    FUZZ_CHECK(text.substr(0, 4) == "213 ", text);
    FUZZ_CHECK(contains(text, std::to_string(size)), text);
    FUZZ_CHECK(text.find_first_not_of("0123456789 ", 4) == std::string_view::npos, text);
}

void check_150(std::string_view text)
{
    std::optional<uint64_t> size = parse_150_size(text);
    if (!size)
        return;
    FUZZ_CHECK(text.substr(0, 4) == "150 ", text);
    std::string_view first = text.substr(0, text.find('\n'));
    FUZZ_CHECK(contains(lower(first), std::to_string(*size) + " bytes)"), text);
}

void check_mlsd(std::string_view text)
{
    MlsdEntry entry = parse_mlsd_line(text);
    size_t space = text.find(' ');
    FUZZ_CHECK(entry.name == (space == std::string_view::npos ? std::string_view() : text.substr(space + 1)), text);
    FUZZ_CHECK(!entry.facts.empty(), text);
    std::set<std::string_view> seen;
    for (const auto &[key, value] : entry.facts) {
        FUZZ_CHECK(key == lower(key), text);
        FUZZ_CHECK(key.find_first_of(";= ") == std::string::npos, text);
        FUZZ_CHECK(value.find(';') == std::string::npos, text);
        FUZZ_CHECK(seen.insert(key).second, text); // duplicates overwrite
    }
}

void check_reply_start(std::string_view text)
{
    int code = -1;
    bool continues = false;
    if (!parse_reply_start(text, code, continues))
        return;
    // Any three digits frame a reply (0.2): what they mean is fail_reply()'s.
    FUZZ_CHECK(code >= 0 && code <= 999, text);
    FUZZ_CHECK(code == (text[0] - '0') * 100 + (text[1] - '0') * 10 + (text[2] - '0'), text);
    FUZZ_CHECK(continues == (text.size() > 3 && text[3] == '-'), text);
    FUZZ_CHECK(text.size() == 3 || text[3] == ' ' || text[3] == '-', text);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    const std::string_view text(reinterpret_cast<const char *>(data + 1), size - 1);
    try {
        switch (data[0] % 7) {
        case 0:
            check_227(text);
            break;
        case 1:
            check_229(text);
            break;
        case 2:
            check_257(text);
            break;
        case 3:
            check_213(text);
            break;
        case 4:
            check_150(text);
            break;
        case 5:
            check_mlsd(text);
            break;
        default:
            check_reply_start(text);
            break;
        }
    } catch (const Error &e) {
        FUZZ_CHECK(e.code() == FTP_E_PROTO, e.message());
        FUZZ_CHECK(!e.breaks_session(), e.message());
    }
    return 0;
}
