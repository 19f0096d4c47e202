// Error accessors and the version: the exports that read, never change.
#include "api/handles.hh"

extern "C" {

FTP_API int ftp_last_error_code(const ftp_session *s)
{
    return s != nullptr ? s->impl.last_status() : FTP_E_INVALID;
}

FTP_API const char *ftp_last_error(const ftp_session *s)
{
    return s != nullptr ? s->impl.last_error_text() : "the session is NULL";
}

FTP_API int ftp_last_reply_code(const ftp_session *s)
{
    return s != nullptr ? s->impl.last_reply_code() : 0;
}

FTP_API const char *ftp_last_reply(const ftp_session *s)
{
    return s != nullptr ? s->impl.last_reply().c_str() : "";
}

FTP_API const char *ftp_strerror(int code)
{
    return ftpc::status_text(code);
}

FTP_API const char *ftp_error_name(int code)
{
    return ftpc::status_name(code);
}

FTP_API uint32_t ftp_version(void)
{
    return static_cast<uint32_t>(FTP_VERSION_NUMBER);
}

FTP_API const char *ftp_version_string(void)
{
    return FTP_VERSION_STRING;
}

} // extern "C"
