// Parsers for reply payloads.  Pure functions over text; each throws
// FTP_E_PROTO (without breaking the session: the reply was read whole) when
// the payload is malformed.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ftpc {

// 229 "Entering Extended Passive Mode (|||port|)": RFC 2428, any printable
// delimiter; a network address in the reply is ignored.  Port 0 is refused.
uint16_t parse_229_port(std::string_view reply);

struct PasvTarget {
    std::array<uint8_t, 4> ip;
    uint16_t port;
};

// 227: the first run of six comma-separated numbers anywhere in the text,
// with or without parentheses; each 0-255, port not 0.
PasvTarget parse_227(std::string_view reply);

// 257 "path": ftplib's parse257.  Doubled quotes stand for one; text without
// ' "' after the code gives "".  An unterminated quote or a control
// character in the path is an error.
std::string parse_257(std::string_view reply);

// 213 <digits>: an unsigned decimal that fits 64 bits, surrounding blanks
// allowed, nothing else.
uint64_t parse_213_size(std::string_view reply);

// The "(N bytes)" hint of a 150 reply, if present and sane (advisory only).
std::optional<uint64_t> parse_150_size(std::string_view reply);

struct MlsdEntry {
    std::string name;
    std::vector<std::pair<std::string, std::string>> facts; // keys lower-cased
};

// One MLSD line, exactly as ftplib's mlsd() splits it: name after the first
// space; facts before it, split on ';' then on the first '='.
MlsdEntry parse_mlsd_line(std::string_view line);

} // namespace ftpc
