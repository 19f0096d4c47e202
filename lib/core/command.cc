#include "core/command.hh"

#include <cctype>

#include "core/error.hh"

namespace ftpc {

void check_arg(const char *what, const char *value, bool required)
{
    if (value == nullptr) {
        if (required)
            throw Error(FTP_E_INVALID, std::string(what) + " is NULL");
        return;
    }
    for (const char *p = value; *p != '\0'; p++)
        if (*p == '\r' || *p == '\n')
            throw Error(FTP_E_INVALID, std::string(what) + " contains CR or LF, which would inject a command");
}

std::string make_command(std::string_view verb, std::string_view arg)
{
    std::string cmd(verb);
    if (!arg.empty()) {
        cmd += ' ';
        cmd += arg;
    }
    return cmd;
}

std::string command_verb(std::string_view command)
{
    std::string verb(command.substr(0, command.find(' ')));
    for (char &c : verb)
        c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return verb;
}

std::string redact_command(std::string_view command)
{
    std::string verb = command_verb(command);
    if ((verb == "PASS" || verb == "ACCT") && command.size() > 4)
        return std::string(command.substr(0, 4)) + " ****";
    return std::string(command);
}

} // namespace ftpc
