// A socket address (IPv4 or IPv6) as plain data: no sockets here.
#pragma once

#include <cstdint>
#include <string>
#include <sys/socket.h>

namespace ftpc::net {

class Address {
public:
    Address() = default;
    Address(const sockaddr *sa, socklen_t len);

    // Parses a numeric IPv4 or IPv6 address; false if @p text is neither.
    static bool parse_numeric(const std::string &text, uint16_t port, Address &out);

    int family() const { return storage_.ss_family; }
    bool is_ipv6() const { return family() == AF_INET6; }
    bool empty() const { return len_ == 0; }
    uint16_t port() const;
    void set_port(uint16_t port);
    // The numeric host part, without brackets or port.
    std::string host() const;
    // "127.0.0.1:21" or "[::1]:21", for messages.
    std::string to_string() const;
    bool same_host(const Address &other) const;

    const sockaddr *sa() const { return reinterpret_cast<const sockaddr *>(&storage_); }
    socklen_t length() const { return len_; }

private:
    sockaddr_storage storage_{};
    socklen_t len_ = 0;
};

} // namespace ftpc::net
