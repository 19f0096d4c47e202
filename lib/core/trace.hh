// The per-session trace callback and its debug level (ftplib's
// set_debuglevel, without ever printing).
#pragma once

#include <string_view>

#include <ftpc/ftpc.h>

namespace ftpc {

class Tracer {
public:
    Tracer() = default;
    ~Tracer() { reset(nullptr, nullptr, nullptr); }
    Tracer(const Tracer &) = delete;
    Tracer &operator=(const Tracer &) = delete;

    void reset(ftp_trace_fn fn, void *userdata, ftp_destroy_fn destroy)
    {
        ftp_destroy_fn old_destroy = destroy_;
        void *old_userdata = userdata_;
        fn_ = fn;
        userdata_ = userdata;
        destroy_ = destroy;
        if (old_destroy != nullptr)
            old_destroy(old_userdata);
    }

    void set_level(int level) { level_ = level; }
    int level() const { return level_; }

    // Level 1: commands and replies; level 2: narration too.
    bool wants(int kind) const
    {
        if (fn_ == nullptr || level_ <= 0)
            return false;
        return kind != FTP_TRACE_INFO || level_ >= 2;
    }

    void emit(int kind, std::string_view text) const;

private:
    ftp_trace_fn fn_ = nullptr;
    void *userdata_ = nullptr;
    ftp_destroy_fn destroy_ = nullptr;
    int level_ = 0;
};

} // namespace ftpc
