// Scripted stand-ins for lib/net: a Stream that replays chunks of bytes and
// records what the core writes, and a Network that hands out such streams.
#pragma once

#include <deque>
#include <memory>
#include <string>
#include <vector>

#include "core/error.hh"
#include "net/stream.hh"

namespace ftpc::test {

class ScriptedStream final : public net::Stream {
public:
    // Each chunk is returned by one read_some() call (split further if the
    // reader asks for fewer bytes); after the last one, end of stream.
    explicit ScriptedStream(std::vector<std::string> chunks) : chunks_(chunks.begin(), chunks.end()) {}

    size_t read_some(void *buf, size_t cap, const net::Deadline &) override
    {
        if (chunks_.empty())
            return 0;
        std::string &front = chunks_.front();
        size_t n = front.size() < cap ? front.size() : cap;
        front.copy(static_cast<char *>(buf), n);
        front.erase(0, n);
        if (front.empty())
            chunks_.pop_front();
        return n;
    }
    void write_all(const void *buf, size_t len, const net::Deadline &) override
    {
        sent->append(static_cast<const char *>(buf), len);
    }
    void write_urgent(const void *buf, size_t len, const net::Deadline &) override
    {
        sent->append(static_cast<const char *>(buf), len);
    }
    // Bytes queued count as waiting only when a test says the server sent
    // them before the client's next command.
    bool readable_now() override { return unsolicited; }
    bool wait_readable(const net::Deadline &) override { return !chunks_.empty(); }
    void shutdown_write() override {}
    void finish_writing(const net::Deadline &) override {}
    net::Address local_address() const override { return address(40000); }
    net::Address peer_address() const override { return address(21); }

    static net::Address address(uint16_t port)
    {
        net::Address a;
        net::Address::parse_numeric("127.0.0.1", port, a);
        return a;
    }

    // Shared so a test can still read it after the session dropped the stream.
    std::shared_ptr<std::string> sent = std::make_shared<std::string>();
    bool unsolicited = false;

private:
    std::deque<std::string> chunks_;
};

// Hands out one control stream; data connections are refused.
class ScriptedNetwork final : public net::Network {
public:
    explicit ScriptedNetwork(std::unique_ptr<ScriptedStream> control) : control_(std::move(control)) {}

    std::unique_ptr<net::Stream> connect_host(const std::string &, uint16_t, const net::Address *,
                                              const net::Deadline &) override
    {
        if (!control_)
            throw Error(FTP_E_CONNECT, "scripted: no more control connections");
        return std::move(control_);
    }
    std::unique_ptr<net::Stream> connect_addr(const net::Address &, const net::Address *,
                                              const net::Deadline &) override
    {
        throw Error(FTP_E_CONNECT, "scripted: no data connections");
    }
    std::unique_ptr<net::Listener> listen(const net::Address &) override
    {
        throw Error(FTP_E_CONNECT, "scripted: no listeners");
    }
    net::Address resolve_source(const std::string &, uint16_t, const net::Deadline &) override
    {
        return ScriptedStream::address(0);
    }

private:
    std::unique_ptr<ScriptedStream> control_;
};

} // namespace ftpc::test
