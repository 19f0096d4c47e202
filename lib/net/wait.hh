// Waiting on a descriptor under a deadline and the session's cancel: the one
// poll() loop every blocking step in lib/net goes through.
#pragma once

#include <string>

#include "net/canceller.hh"
#include "net/deadline.hh"

namespace ftpc::net {

// strerror_r's text for @p err.
std::string errno_text(int err);

// Throws FTP_E_CANCELLED (the session breaks) if a cancel is pending.
void check_cancel(const Canceller &canceller);

// Waits until @p fd is ready for @p events (POLLIN, POLLOUT), the deadline
// passes (throws FTP_E_TIMEOUT, "<what> timed out after N ms") or the session
// is cancelled (throws FTP_E_CANCELLED).  Both break the session.
void wait_for(int fd, short events, const Deadline &deadline, const Canceller &canceller, const char *what);

} // namespace ftpc::net
