#include "net/file_io.hh"

#include <cerrno>
#include <poll.h>
#include <pthread.h>
#include <ctime>
#include <string>
#include <unistd.h>

#include "core/error.hh"
#include "net/wait.hh"

namespace ftpc::net {

namespace {

sigset_t sigpipe_only() noexcept
{
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGPIPE);
    return set;
}

bool sigpipe_pending() noexcept
{
    sigset_t pending;
    sigemptyset(&pending);
    return sigpending(&pending) == 0 && sigismember(&pending, SIGPIPE) == 1;
}

} // namespace

SigpipeGuard::SigpipeGuard() noexcept
{
    const sigset_t set = sigpipe_only();
    pthread_sigmask(SIG_BLOCK, &set, &old_mask_);
    was_pending_ = sigpipe_pending();
}

SigpipeGuard::~SigpipeGuard()
{
    if (!was_pending_ && sigpipe_pending()) {
        const sigset_t set = sigpipe_only();
        const timespec now{0, 0};
        // Ours, raised by a write that failed with EPIPE: consume it.
        while (sigtimedwait(&set, nullptr, &now) < 0 && errno == EINTR) {
        }
    }
    pthread_sigmask(SIG_SETMASK, &old_mask_, nullptr);
}

void throw_file_error(const char *doing, int fd, int err)
{
    throw Error(FTP_E_FILE, std::string(doing) + " file descriptor " + std::to_string(fd) + ": " + errno_text(err));
}

size_t read_file(int fd, void *buf, size_t cap, const Deadline &deadline, const Canceller &canceller)
{
    check_cancel(canceller);
    for (;;) {
        ssize_t n = ::read(fd, buf, cap);
        if (n >= 0)
            return static_cast<size_t>(n);
        if (errno == EINTR)
            continue;
        if (errno == EAGAIN || errno == EWOULDBLOCK) {
            wait_for(fd, POLLIN, deadline, canceller, "reading the local file");
            continue;
        }
        throw_file_error("reading", fd, errno);
    }
}

void write_file(int fd, const void *buf, size_t len, const Deadline &deadline, const Canceller &canceller,
                uint64_t &delivered)
{
    check_cancel(canceller);
    const char *p = static_cast<const char *>(buf);
    while (len > 0) {
        ssize_t n = ::write(fd, p, len);
        if (n > 0) {
            p += n;
            len -= static_cast<size_t>(n);
            delivered += static_cast<uint64_t>(n);
            continue;
        }
        if (n == 0)
            throw_file_error("writing to", fd, EIO);
        if (errno == EINTR)
            continue;
        if (errno == EAGAIN || errno == EWOULDBLOCK) {
            wait_for(fd, POLLOUT, deadline, canceller, "writing the local file");
            continue;
        }
        throw_file_error("writing to", fd, errno);
    }
}

} // namespace ftpc::net
