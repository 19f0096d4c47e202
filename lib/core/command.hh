// Building commands safely: nothing the caller passes may split a command.
#pragma once

#include <string>
#include <string_view>

namespace ftpc {

// Throws FTP_E_INVALID if @p value is NULL (when @p required) or holds CR or
// LF.  C strings cannot carry NUL, so CR and LF are what can split a command.
void check_arg(const char *what, const char *value, bool required = true);

// "VERB" or "VERB arg".
std::string make_command(std::string_view verb, std::string_view arg);

// The command as traces show it: "PASS ****", "ACCT ****".
std::string redact_command(std::string_view command);

// The first word of a command, upper-cased, for messages ("RETR").
std::string command_verb(std::string_view command);

} // namespace ftpc
