#include "net/wait.hh"

#include <cerrno>
#include <cstring>
#include <climits>
#include <cstdint>
#include <poll.h>

#include "core/error.hh"

namespace ftpc::net {

std::string errno_text(int err)
{
    char buf[128];
    // GNU strerror_r returns the message pointer, which may not be buf.
    return strerror_r(err, buf, sizeof buf);
}

void check_cancel(const Canceller &canceller)
{
    if (canceller.cancelled())
        throw Error(FTP_E_CANCELLED, "cancelled", Breaks::session);
}

bool wait_for_slice(int fd, short events, const Deadline &deadline, const Canceller &canceller, const char *what,
                    int slice_ms)
{
    for (;;) {
        check_cancel(canceller);
        int left = deadline.remaining_ms();
        if (left == 0)
            throw Error(FTP_E_TIMEOUT,
                        std::string(what) + " timed out after " + std::to_string(deadline.budget_ms()) + " ms",
                        Breaks::session);
        const bool sliced = slice_ms < left;
        pollfd fds[2] = {{fd, events, 0}, {canceller.fd(), POLLIN, 0}};
        int n = ::poll(fds, 2, sliced ? slice_ms : left);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            throw Error(FTP_E_IO, std::string("poll: ") + errno_text(errno), Breaks::session);
        }
        if (fds[1].revents != 0)
            check_cancel(canceller);
        if (fds[0].revents != 0)
            return true;
        if (n == 0 && sliced)
            return false;
    }
}

void wait_for(int fd, short events, const Deadline &deadline, const Canceller &canceller, const char *what)
{
    (void)wait_for_slice(fd, events, deadline, canceller, what, INT32_MAX);
}

} // namespace ftpc::net
