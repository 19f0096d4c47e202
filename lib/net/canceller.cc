#include "net/canceller.hh"

#include <cerrno>
#include <cstdint>
#include <string>
#include <sys/eventfd.h>
#include <unistd.h>

#include "core/error.hh"

namespace ftpc::net {

Canceller::Canceller()
{
    fd_ = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (fd_ < 0)
        throw Error(FTP_E_INTERNAL, std::string("cannot create the cancel eventfd: errno ") +
                                        std::to_string(errno));
}

Canceller::~Canceller()
{
    if (fd_ >= 0)
        ::close(fd_);
}

// cancel() and reset() may interleave (a cancel from another thread or a
// signal handler while a call resets).  Their orders rule out the one bad
// end state, a readable eventfd with the flag clear, which would wake every
// later poll() at once to find no cancel: a busy loop until the next reset.
// That state needs cancel's write after reset's drain and reset's clear
// after cancel's set; with write before set and clear before drain, that is
// a cycle.  (A waiter woken between write and set just polls again until the
// flag shows.)  Regression test: tests/threads/test_cancel_race.c.
void Canceller::cancel() noexcept
{
    uint64_t one = 1;
    ssize_t n = ::write(fd_, &one, sizeof one);
    (void)n; // a full counter still wakes every poller
    flag_.store(true, std::memory_order_release);
}

void Canceller::reset() noexcept
{
    flag_.store(false, std::memory_order_release);
    uint64_t value;
    while (::read(fd_, &value, sizeof value) > 0) {
    }
}

} // namespace ftpc::net
