// The one exception type the core throws, and the status-code tables.
#pragma once

#include <exception>
#include <string>
#include <string_view>

#include <ftpc/ftpc.h>

namespace ftpc {

// Whether a failure leaves the control connection in step.  Anything that
// may have left a reply half-read, or unread, breaks the session.
enum class Breaks { no, session };

class Error : public std::exception {
public:
    Error(int code, std::string message, Breaks breaks = Breaks::no)
        : code_(code), message_(std::move(message)), breaks_(breaks)
    {
    }

    int code() const noexcept { return code_; }
    bool breaks_session() const noexcept { return breaks_ == Breaks::session; }
    const std::string &message() const noexcept { return message_; }
    const char *what() const noexcept override { return message_.c_str(); }

    // Adds what the library was doing ("RETR a.txt") in front of the cause.
    void add_context(std::string_view context);

private:
    int code_;
    std::string message_;
    Breaks breaks_;
};

// Throws the error for a reply that means failure: 4xx -> FTP_E_TEMP,
// 5xx -> FTP_E_PERM, 1xx-3xx -> FTP_E_REPLY, 0xx and 6xx-9xx -> FTP_E_PROTO
// (ftplib's mapping).
[[noreturn]] void fail_reply(int code, std::string_view reply_text, Breaks breaks = Breaks::no);

const char *status_name(int code) noexcept;
const char *status_text(int code) noexcept;

} // namespace ftpc
