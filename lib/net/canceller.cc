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

void Canceller::cancel() noexcept
{
    flag_.store(true, std::memory_order_release);
    uint64_t one = 1;
    ssize_t n = ::write(fd_, &one, sizeof one);
    (void)n; // a full counter still wakes every poller
}

void Canceller::reset() noexcept
{
    uint64_t value;
    while (::read(fd_, &value, sizeof value) > 0) {
    }
    flag_.store(false, std::memory_order_release);
}

} // namespace ftpc::net
