// The real Network: non-blocking TCP sockets, every wait a poll() on the
// socket and the session's cancel eventfd, every send MSG_NOSIGNAL.
#pragma once

#include "net/canceller.hh"
#include "net/stream.hh"

namespace ftpc::net {

class TcpNetwork final : public Network {
public:
    explicit TcpNetwork(const Canceller &canceller) : canceller_(canceller) {}

    std::unique_ptr<Stream> connect_host(const std::string &host, uint16_t port, const Address *source,
                                         const Deadline &deadline) override;
    std::unique_ptr<Stream> connect_addr(const Address &to, const Address *source,
                                         const Deadline &deadline) override;
    std::unique_ptr<Listener> listen(const Address &local) override;
    Address resolve_source(const std::string &host, uint16_t port, const Deadline &deadline) override;

private:
    const Canceller &canceller_;
};

// Wraps a connected stream socket the caller already has (a socketpair in a
// fuzz target or test); the stream owns and closes @p fd.
std::unique_ptr<Stream> adopt_socket(int fd, const Canceller &canceller);

} // namespace ftpc::net
