// The caller's own file descriptors (ftp_retr_fd, ftp_stor_fd): regular
// files, pipes or sockets, blocking or not.  A non-blocking descriptor that
// is not ready is waited for like a socket, under the deadline and cancel.
//
// Failures of the descriptor itself throw FTP_E_FILE, which leaves the
// session usable: the caller's disk filling up says nothing about the
// server.  Timeouts and cancels throw as every wait does.
#pragma once

#include <csignal>
#include <cstddef>
#include <cstdint>

#include "net/canceller.hh"
#include "net/deadline.hh"

namespace ftpc::net {

// Reads 1..cap bytes from @p fd at its current position; 0 at end of file.
size_t read_file(int fd, void *buf, size_t cap, const Deadline &deadline, const Canceller &canceller);

// Writes all @p len bytes to @p fd at its current position; @p delivered
// grows by every byte written, also when a later write fails.
void write_file(int fd, const void *buf, size_t len, const Deadline &deadline, const Canceller &canceller,
                uint64_t &delivered);

// Keeps SIGPIPE from ending the process while the calling thread writes to
// a pipe or socket whose reader has gone: write(2), splice(2) and
// sendfile(2) (which, unlike send(), has no MSG_NOSIGNAL) then just fail
// with EPIPE.  Blocks SIGPIPE in this thread for the guard's life; a SIGPIPE
// raised meanwhile is taken off the thread's pending set before the old mask
// comes back, unless one was already pending when the guard began.
class SigpipeGuard {
public:
    SigpipeGuard() noexcept;
    ~SigpipeGuard();
    SigpipeGuard(const SigpipeGuard &) = delete;
    SigpipeGuard &operator=(const SigpipeGuard &) = delete;

private:
    sigset_t old_mask_{};
    bool was_pending_ = false;
};

// The FTP_E_FILE error for a failed operation on the caller's descriptor.
[[noreturn]] void throw_file_error(const char *doing, int fd, int err);

} // namespace ftpc::net
