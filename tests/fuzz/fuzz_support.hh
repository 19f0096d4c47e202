// What the fuzz targets share: a hard failure that every engine sees, a C
// API session on a network of our choosing, the check that nothing but
// complete command lines reaches the control connection, and an fd count.
#pragma once

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <dirent.h>
#include <string>
#include <string_view>

#include "api/handles.hh"
#include "core/session.hh"

namespace ftpc::fuzz {

// A broken invariant: print why and abort, which libFuzzer and AFL++ both
// record as a crash (with the input that caused it).
[[noreturn]] inline void violated(const char *what, std::string_view detail = {})
{
    std::fprintf(stderr, "\nFUZZ INVARIANT VIOLATED: %s", what);
    if (!detail.empty()) {
        std::fputs("\n  detail: \"", stderr);
        for (unsigned char c : detail.substr(0, 400)) {
            if (c >= 0x20 && c < 0x7f && c != '\\')
                std::fputc(c, stderr);
            else
                std::fprintf(stderr, "\\x%02x", c);
        }
        std::fputc('"', stderr);
    }
    std::fputc('\n', stderr);
    std::abort();
}

#define FUZZ_CHECK(cond, detail)                                                                                   \
    do {                                                                                                           \
        if (!(cond))                                                                                               \
            ::ftpc::fuzz::violated(#cond, (detail));                                                               \
    } while (0)

// A public-API handle whose session reaches the network through
// @p make_network instead of TCP.  ftp_session is an aggregate, so the
// session member is built in place from the factory (Session is neither
// copyable nor movable); ftp_session_free() deletes it as usual.
inline ftp_session *session_on(const Session::NetworkFactory &make_network)
{
    return new ftp_session{Session(make_network)};
}

// Checks what a client sent on a control connection: every command ends in
// exactly one CR LF, and no CR, LF or NUL appears anywhere else (no empty
// command either: a lone CR LF is an injected line too).  Feed it every
// byte written, in order; call at_boundary() where the client must have
// finished its command (after each API call).
class WireChecker {
public:
    void feed(const void *data, size_t len)
    {
        const char *p = static_cast<const char *>(data);
        for (size_t i = 0; i < len; i++)
            step(p[i]);
    }

    void at_boundary() const
    {
        if (line_len_ != 0 || after_cr_)
            violated("a command was left unterminated on the wire", line_);
    }

    // Resets for a new control connection (the previous one must have
    // ended at a command boundary).
    void new_connection()
    {
        at_boundary();
        line_.clear();
    }

    uint64_t commands() const { return commands_; }

private:
    void step(char c)
    {
        if (after_cr_) {
            if (c != '\n')
                violated("a CR not followed by LF reached the wire", line_);
            if (line_len_ == 0)
                violated("an empty command line reached the wire", line_);
            after_cr_ = false;
            line_len_ = 0;
            line_.clear();
            commands_++;
            return;
        }
        if (c == '\r') {
            after_cr_ = true;
            return;
        }
        if (c == '\n')
            violated("a bare LF reached the wire", line_);
        if (c == '\0')
            violated("a NUL byte reached the wire", line_);
        line_len_++;
        if (line_.size() < 512)
            line_ += c;
    }

    std::string line_; // the command so far, for the report
    size_t line_len_ = 0;
    bool after_cr_ = false;
    uint64_t commands_ = 0;
};

// Every status an ftp_* call may return (include/ftpc/ftpc_error.h).
inline bool known_status(int rc)
{
    switch (rc) {
    case FTP_OK:
    case FTP_E_REPLY:
    case FTP_E_TEMP:
    case FTP_E_PERM:
    case FTP_E_PROTO:
    case FTP_E_RESOLVE:
    case FTP_E_CONNECT:
    case FTP_E_IO:
    case FTP_E_TIMEOUT:
    case FTP_E_CLOSED:
    case FTP_E_TLS:
    case FTP_E_INVALID:
    case FTP_E_NOMEM:
    case FTP_E_ABORTED:
    case FTP_E_CANCELLED:
    case FTP_E_STATE:
    case FTP_E_BUSY:
    case FTP_E_UNSUPPORTED:
    case FTP_E_FILE:
        return true;
    default:
        // FTP_E_INTERNAL is a bug in ftpc by definition.
        return false;
    }
}

// What every ftp_* call must leave behind: a documented status, and an
// error message of bounded size (record_failure() caps it at 1024 bytes
// plus "...").
inline void check_call(ftp_session *s, int rc, const char *call)
{
    // FTPC_FUZZ_VERBOSE=1 shows what a reproducer does, call by call.
    static const bool verbose = std::getenv("FTPC_FUZZ_VERBOSE") != nullptr;
    if (verbose)
        std::fprintf(stderr, "%s -> %s %s\n", call, ftp_error_name(rc), ftp_last_error(s));
    if (!known_status(rc))
        violated("an ftp_* call returned an undocumented status (or FTP_E_INTERNAL)",
                 std::string(call) + " -> " + std::to_string(rc) + ": " + ftp_last_error(s));
    if (ftp_last_error_code(s) != rc)
        violated("ftp_last_error_code() differs from the returned status", call);
    if (std::strlen(ftp_last_error(s)) > 1024 + 3)
        violated("ftp_last_error() is longer than its cap", call);
    if (rc != FTP_OK && ftp_last_error(s)[0] == '\0')
        violated("a failed call left no error message", call);
}

// Open file descriptors of this process, to prove that a run closed every
// socket it made.
inline int open_fd_count()
{
    int count = 0;
    DIR *dir = opendir("/proc/self/fd");
    if (dir == nullptr)
        return -1;
    while (dirent *e = readdir(dir))
        if (e->d_name[0] != '.')
            count++;
    closedir(dir);
    return count - 1; // the directory's own descriptor
}

} // namespace ftpc::fuzz
