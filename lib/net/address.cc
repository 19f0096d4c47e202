#include "net/address.hh"

#include <arpa/inet.h>
#include <cstring>
#include <netinet/in.h>

namespace ftpc::net {

Address::Address(const sockaddr *sa, socklen_t len)
{
    if (len > sizeof storage_)
        len = sizeof storage_;
    std::memcpy(&storage_, sa, len);
    len_ = len;
}

bool Address::parse_numeric(const std::string &text, uint16_t port, Address &out)
{
    sockaddr_in v4{};
    if (inet_pton(AF_INET, text.c_str(), &v4.sin_addr) == 1) {
        v4.sin_family = AF_INET;
        v4.sin_port = htons(port);
        out = Address(reinterpret_cast<const sockaddr *>(&v4), sizeof v4);
        return true;
    }
    sockaddr_in6 v6{};
    if (inet_pton(AF_INET6, text.c_str(), &v6.sin6_addr) == 1) {
        v6.sin6_family = AF_INET6;
        v6.sin6_port = htons(port);
        out = Address(reinterpret_cast<const sockaddr *>(&v6), sizeof v6);
        return true;
    }
    return false;
}

uint16_t Address::port() const
{
    if (family() == AF_INET)
        return ntohs(reinterpret_cast<const sockaddr_in *>(&storage_)->sin_port);
    if (family() == AF_INET6)
        return ntohs(reinterpret_cast<const sockaddr_in6 *>(&storage_)->sin6_port);
    return 0;
}

void Address::set_port(uint16_t port)
{
    if (family() == AF_INET)
        reinterpret_cast<sockaddr_in *>(&storage_)->sin_port = htons(port);
    else if (family() == AF_INET6)
        reinterpret_cast<sockaddr_in6 *>(&storage_)->sin6_port = htons(port);
}

std::string Address::host() const
{
    char buf[INET6_ADDRSTRLEN] = "";
    if (family() == AF_INET)
        inet_ntop(AF_INET, &reinterpret_cast<const sockaddr_in *>(&storage_)->sin_addr, buf, sizeof buf);
    else if (family() == AF_INET6)
        inet_ntop(AF_INET6, &reinterpret_cast<const sockaddr_in6 *>(&storage_)->sin6_addr, buf,
                  sizeof buf);
    return buf;
}

std::string Address::to_string() const
{
    std::string h = host();
    if (is_ipv6())
        return "[" + h + "]:" + std::to_string(port());
    return h + ":" + std::to_string(port());
}

bool Address::same_host(const Address &other) const
{
    if (family() != other.family())
        return false;
    if (family() == AF_INET)
        return std::memcmp(&reinterpret_cast<const sockaddr_in *>(&storage_)->sin_addr,
                           &reinterpret_cast<const sockaddr_in *>(&other.storage_)->sin_addr,
                           sizeof(in_addr)) == 0;
    if (family() == AF_INET6)
        return std::memcmp(&reinterpret_cast<const sockaddr_in6 *>(&storage_)->sin6_addr,
                           &reinterpret_cast<const sockaddr_in6 *>(&other.storage_)->sin6_addr,
                           sizeof(in6_addr)) == 0;
    return false;
}

} // namespace ftpc::net
