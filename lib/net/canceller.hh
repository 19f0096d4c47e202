// Wakes blocked I/O from another thread: an atomic flag plus an eventfd that
// every poll() in lib/net also waits on.
#pragma once

#include <atomic>

namespace ftpc::net {

class Canceller {
public:
    Canceller();
    ~Canceller();
    Canceller(const Canceller &) = delete;
    Canceller &operator=(const Canceller &) = delete;

    // Async-signal-safe: an atomic store and a write(2).
    void cancel() noexcept;
    bool cancelled() const noexcept { return flag_.load(std::memory_order_acquire); }
    // Forgets an earlier cancel (on reconnect and close).
    void reset() noexcept;
    int fd() const noexcept { return fd_; }

private:
    std::atomic<bool> flag_{false};
    int fd_ = -1;
};

} // namespace ftpc::net
