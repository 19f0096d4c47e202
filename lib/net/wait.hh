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

// As wait_for(), but gives up after @p slice_ms too, returning false then
// (true when @p fd is ready).  For callers that look again themselves.
bool wait_for_slice(int fd, short events, const Deadline &deadline, const Canceller &canceller, const char *what,
                    int slice_ms);

} // namespace ftpc::net
