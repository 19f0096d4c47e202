#include "core/error.hh"

namespace ftpc {

void Error::add_context(std::string_view context)
{
    if (context.empty())
        return;
    std::string joined;
    joined.reserve(context.size() + 2 + message_.size());
    joined.append(context).append(": ").append(message_);
    message_ = std::move(joined);
}

void fail_reply(int code, std::string_view reply_text, Breaks breaks)
{
    int status = FTP_E_REPLY;
    if (code / 100 == 4)
        status = FTP_E_TEMP;
    else if (code / 100 == 5)
        status = FTP_E_PERM;
    else if (code / 100 < 1 || code / 100 > 5)
        // A well-framed reply whose class RFC 959 does not define (ftplib's
        // error_proto): the exchange is still in step.
        status = FTP_E_PROTO;
    // 421 means the server is closing the control connection.
    if (code == 421)
        breaks = Breaks::session;
    throw Error(status, std::string(reply_text), breaks);
}

namespace {

struct StatusInfo {
    int code;
    const char *name;
    const char *text;
};

constexpr StatusInfo status_table[] = {
    {FTP_OK, "FTP_OK", "success"},
    {FTP_E_REPLY, "FTP_E_REPLY", "unexpected reply from the server"},
    {FTP_E_TEMP, "FTP_E_TEMP", "the server refused temporarily (4xx)"},
    {FTP_E_PERM, "FTP_E_PERM", "the server refused (5xx)"},
    {FTP_E_PROTO, "FTP_E_PROTO", "malformed reply from the server"},
    {FTP_E_RESOLVE, "FTP_E_RESOLVE", "host name could not be resolved"},
    {FTP_E_CONNECT, "FTP_E_CONNECT", "connection failed"},
    {FTP_E_IO, "FTP_E_IO", "network input/output error"},
    {FTP_E_TIMEOUT, "FTP_E_TIMEOUT", "operation timed out"},
    {FTP_E_CLOSED, "FTP_E_CLOSED", "the server closed the connection"},
    {FTP_E_TLS, "FTP_E_TLS", "TLS failure"},
    {FTP_E_INVALID, "FTP_E_INVALID", "invalid argument"},
    {FTP_E_NOMEM, "FTP_E_NOMEM", "out of memory"},
    {FTP_E_ABORTED, "FTP_E_ABORTED", "stopped by a callback"},
    {FTP_E_CANCELLED, "FTP_E_CANCELLED", "cancelled"},
    {FTP_E_STATE, "FTP_E_STATE", "session not connected, or broken"},
    {FTP_E_BUSY, "FTP_E_BUSY", "session busy"},
    {FTP_E_UNSUPPORTED, "FTP_E_UNSUPPORTED", "not supported"},
    {FTP_E_INTERNAL, "FTP_E_INTERNAL", "internal error"},
    {FTP_E_FILE, "FTP_E_FILE", "reading or writing the local file failed"},
};

const StatusInfo *find_status(int code) noexcept
{
    for (const auto &info : status_table)
        if (info.code == code)
            return &info;
    return nullptr;
}

} // namespace

const char *status_name(int code) noexcept
{
    const StatusInfo *info = find_status(code);
    return info ? info->name : "FTP_E_UNKNOWN";
}

const char *status_text(int code) noexcept
{
    const StatusInfo *info = find_status(code);
    return info ? info->text : "no such status";
}

} // namespace ftpc
