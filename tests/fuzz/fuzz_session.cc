// fuzz_session: a whole session through the public API against a server
// that speaks only what the fuzzer says (curl-fuzzer's design): control
// replies and data payloads are served over socketpairs, one end adopted
// by the library (net::adopt_socket) exactly as a TCP socket would be,
// while a fixed sequence of ftp_* calls runs with 50 ms deadlines.
//
// Input:  byte 0  flags
//                   bits 0-1 data mode: auto | EPSV | PASV | active
//                   bit 2 trust the address in 227 replies
//                   bit 3 when the replies run out, go silent (the client
//                         times out) instead of hanging up
//                   bit 4 small caps: line and reply bytes 512, 8 lines
//                   bit 5 the download restarts at offset 5 (REST)
//                   bit 6 the callbacks stop after their first block/line
//         byte 1  upload size / 16
//         then records: type, length (2 bytes, big-endian), value
//           type even: a control reply (up to 32), sent as is, the next one
//                      each time the client waits for a reply and nothing
//                      is on its way
//           type odd:  a data payload (up to 5), for the data connections
//                      in the order they open; value[0] (mod 4) says what
//                      the server does after sending the rest:
//                      0 close its sending side (EOF), 1 keep it open,
//                      2 close the connection, 3 refuse the connection
//
// Everything runs on this thread: the "server" acts inside the streams'
// calls (the library's own TcpStream does the socket I/O underneath), so a
// run is deterministic and needs no thread.  Checked on every run: no
// crash, no leak (ASan), every status documented, nothing but whole command
// lines on the wire, and no file descriptor left open.
#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <sys/socket.h>
#include <unistd.h>
#include <vector>

#include "core/error.hh"
#include "fuzz_support.hh"
#include "net/tcp.hh"

using namespace ftpc;

namespace {

constexpr size_t max_replies = 32;
constexpr size_t max_payloads = 5;
constexpr int64_t phase_timeout_ms = 10;

enum class DataEnd { eof, keep_open, close, refuse };

struct Payload {
    DataEnd end = DataEnd::eof;
    std::string bytes;
};

struct Script {
    uint8_t flags = 0;
    size_t upload_size = 0;
    std::deque<std::string> replies;
    std::deque<Payload> payloads;
};

Script parse(const uint8_t *data, size_t size)
{
    Script script;
    script.flags = data[0];
    script.upload_size = size_t{data[1]} * 16;
    size_t pos = 2;
    while (pos < size) {
        uint8_t type = data[pos++];
        size_t len = 0;
        for (int i = 0; i < 2 && pos < size; i++)
            len = len << 8 | data[pos++];
        len = std::min(len, size - pos);
        std::string value(reinterpret_cast<const char *>(data + pos), len);
        pos += len;
        if (type % 2 == 0) {
            if (script.replies.size() < max_replies)
                script.replies.push_back(std::move(value));
        } else if (script.payloads.size() < max_payloads) {
            Payload p;
            if (!value.empty()) {
                p.end = static_cast<DataEnd>(static_cast<uint8_t>(value[0]) % 4);
                p.bytes = value.substr(1);
            }
            script.payloads.push_back(std::move(p));
        }
    }
    return script;
}

net::Address loopback(uint16_t port)
{
    net::Address a;
    net::Address::parse_numeric("127.0.0.1", port, a);
    return a;
}

// Sends what fits without blocking (socket buffers hold far more than an
// input can carry).
void send_now(int fd, const std::string &bytes)
{
    size_t done = 0;
    while (done < bytes.size()) {
        ssize_t n = ::send(fd, bytes.data() + done, bytes.size() - done, MSG_DONTWAIT | MSG_NOSIGNAL);
        if (n <= 0) {
            if (n < 0 && errno == EINTR)
                continue;
            return;
        }
        done += static_cast<size_t>(n);
    }
}

// The server's ends of every socketpair, and what it does with them.
class FakeServer {
public:
    explicit FakeServer(Script script) : script_(std::move(script)) {}
    ~FakeServer()
    {
        for (int fd : fds_)
            ::close(fd);
    }
    FakeServer(const FakeServer &) = delete;
    FakeServer &operator=(const FakeServer &) = delete;

    // A new control connection: the client's end.
    int open_control()
    {
        int pair[2];
        if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair) != 0)
            fuzz::violated("socketpair failed");
        if (control_ >= 0) {
            read_commands();
            wire_.new_connection();
        }
        control_ = pair[1];
        fds_.push_back(pair[1]);
        hung_up_ = false;
        return pair[0];
    }

    // A new data connection: the client's end, or -1 if refused.
    int open_data()
    {
        Payload p;
        if (!script_.payloads.empty()) {
            p = std::move(script_.payloads.front());
            script_.payloads.pop_front();
        }
        if (p.end == DataEnd::refuse)
            return -1;
        int pair[2];
        if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair) != 0)
            fuzz::violated("socketpair failed");
        send_now(pair[1], p.bytes);
        if (p.end == DataEnd::close) {
            ::close(pair[1]);
        } else {
            if (p.end == DataEnd::eof)
                ::shutdown(pair[1], SHUT_WR);
            data_.push_back(pair[1]);
            fds_.push_back(pair[1]);
        }
        return pair[0];
    }

    // The client waits for a reply and none is on its way: send the next
    // one, or hang up (or stay silent) when the script has no more.
    void client_waits()
    {
        if (control_ < 0 || hung_up_)
            return;
        if (!script_.replies.empty()) {
            send_now(control_, script_.replies.front());
            script_.replies.pop_front();
            return;
        }
        if ((script_.flags & 8) == 0) {
            ::shutdown(control_, SHUT_WR);
            hung_up_ = true;
        }
    }

    // Reads (and checks) whatever the client sent on the control
    // connection, and discards what it uploaded.
    void read_commands()
    {
        char buf[4096];
        if (control_ >= 0)
            for (ssize_t n; (n = ::recv(control_, buf, sizeof buf, MSG_DONTWAIT)) > 0;)
                wire_.feed(buf, static_cast<size_t>(n));
        for (int fd : data_)
            while (::recv(fd, buf, sizeof buf, MSG_DONTWAIT) > 0) {
            }
    }

    fuzz::WireChecker &wire() { return wire_; }
    uint8_t flags() const { return script_.flags; }
    size_t upload_size() const { return script_.upload_size; }

private:
    Script script_;
    fuzz::WireChecker wire_;
    int control_ = -1;
    bool hung_up_ = false;
    std::vector<int> data_; // data ends still open
    std::vector<int> fds_;  // everything to close at the end
};

// The library's own socket stream over the client's end of a socketpair,
// with loopback addresses (a socketpair has none) and the server acting
// around each call.  Urgent data goes in-band: AF_UNIX support for MSG_OOB
// depends on the kernel, and a run must not.
class ServedStream final : public net::Stream {
public:
    ServedStream(std::unique_ptr<net::Stream> inner, FakeServer &server, bool control, uint16_t local_port,
                 uint16_t peer_port)
        : inner_(std::move(inner)), server_(server), control_(control), local_(loopback(local_port)),
          peer_(loopback(peer_port))
    {
    }

    size_t read_some(void *buf, size_t cap, const net::Deadline &deadline) override
    {
        before_wait();
        return inner_->read_some(buf, cap, deadline);
    }
    void write_all(const void *buf, size_t len, const net::Deadline &deadline) override
    {
        inner_->write_all(buf, len, deadline);
        server_.read_commands();
    }
    void write_urgent(const void *buf, size_t len, const net::Deadline &deadline) override
    {
        write_all(buf, len, deadline);
    }
    bool readable_now() override { return inner_->readable_now(); }
    bool wait_readable(const net::Deadline &deadline) override
    {
        before_wait();
        return inner_->wait_readable(deadline);
    }
    void shutdown_write() override { inner_->shutdown_write(); }
    void finish_writing(const net::Deadline &deadline) override
    {
        server_.read_commands();
        inner_->finish_writing(deadline);
    }
    net::Address local_address() const override { return local_; }
    net::Address peer_address() const override { return peer_; }

private:
    void before_wait()
    {
        server_.read_commands();
        if (control_ && !inner_->readable_now())
            server_.client_waits();
    }

    std::unique_ptr<net::Stream> inner_;
    FakeServer &server_;
    bool control_;
    net::Address local_;
    net::Address peer_;
};

std::unique_ptr<net::Stream> serve(int fd, const net::Canceller &canceller, FakeServer &server, bool control)
{
    std::unique_ptr<net::Stream> inner = net::adopt_socket(fd, canceller);
    return std::make_unique<ServedStream>(std::move(inner), server, control, control ? 40000 : 40001,
                                          control ? 21 : 20);
}

class ServedListener final : public net::Listener {
public:
    ServedListener(const net::Canceller &canceller, FakeServer &server) : canceller_(canceller), server_(server) {}

    std::unique_ptr<net::Stream> accept_from(const net::Address &, const net::Deadline &deadline) override
    {
        int fd = server_.open_data();
        if (fd < 0) {
            // What TcpListener says when the server never connects, without
            // spending the deadline.
            throw Error(FTP_E_TIMEOUT,
                        "waiting for the server's data connection timed out after " +
                            std::to_string(deadline.budget_ms()) + " ms",
                        Breaks::session);
        }
        return serve(fd, canceller_, server_, false);
    }
    net::Address local_address() const override { return loopback(40002); }

private:
    const net::Canceller &canceller_;
    FakeServer &server_;
};

class ServedNetwork final : public net::Network {
public:
    ServedNetwork(const net::Canceller &canceller, FakeServer &server) : canceller_(canceller), server_(server) {}

    std::unique_ptr<net::Stream> connect_host(const std::string &, uint16_t, const net::Address *,
                                              const net::Deadline &) override
    {
        return serve(server_.open_control(), canceller_, server_, true);
    }
    std::unique_ptr<net::Stream> connect_addr(const net::Address &to, const net::Address *,
                                              const net::Deadline &) override
    {
        int fd = server_.open_data();
        if (fd < 0)
            throw Error(FTP_E_CONNECT, "cannot connect to " + to.to_string() + ": Connection refused");
        return serve(fd, canceller_, server_, false);
    }
    std::unique_ptr<net::Listener> listen(const net::Address &) override
    {
        return std::make_unique<ServedListener>(canceller_, server_);
    }
    net::Address resolve_source(const std::string &, uint16_t, const net::Deadline &) override
    {
        return loopback(0);
    }

private:
    const net::Canceller &canceller_;
    FakeServer &server_;
};

// ---- callbacks: check what they are given, count it, and stop after the
// first block or line if asked

struct Counter {
    bool stop_early;
    size_t max_line;
    uint64_t calls = 0;
    uint64_t bytes = 0;

    int next() { return ++calls == 1 && stop_early ? 1 : 0; }
};
int sink(const void *data, size_t len, void *ud)
{
    auto *c = static_cast<Counter *>(ud);
    FUZZ_CHECK(data != nullptr && len > 0, "");
    c->bytes += len;
    return c->next();
}
int line(const char *text, size_t len, void *ud)
{
    auto *c = static_cast<Counter *>(ud);
    std::string_view l(text, len);
    FUZZ_CHECK(text[len] == '\0', l);
    FUZZ_CHECK(len <= c->max_line, l);
    FUZZ_CHECK(l.find('\n') == std::string_view::npos, l);
    return c->next();
}
int entry(const char *name, size_t nfacts, const char *const *keys, const char *const *values, void *ud)
{
    FUZZ_CHECK(name != nullptr, "");
    for (size_t i = 0; i < nfacts; i++) {
        FUZZ_CHECK(keys[i] != nullptr && values[i] != nullptr, "");
        for (const char *k = keys[i]; *k != '\0'; k++)
            FUZZ_CHECK(!(*k >= 'A' && *k <= 'Z'), keys[i]); // fact names come lower-cased
    }
    return static_cast<Counter *>(ud)->next();
}

struct Upload {
    size_t left;
    bool stop_early;
    unsigned calls = 0;
};
int source(void *buf, size_t cap, size_t *len, void *ud)
{
    auto *up = static_cast<Upload *>(ud);
    if (++up->calls == 2 && up->stop_early)
        return 1;
    *len = std::min({cap, up->left, size_t{1000}});
    std::memset(buf, 'u', *len);
    up->left -= *len;
    return 0;
}

// Runs the fixed call sequence; every status is checked, none decides
// what comes next (a broken session just fails the later calls fast).
void run_calls(ftp_session *s, FakeServer &server)
{
    const uint8_t flags = server.flags();
    const bool stop_early = (flags & 64) != 0;
    const size_t max_line = (flags & 16) ? 512 : 65536;
    auto check = [&](int rc, const char *name) {
        fuzz::check_call(s, rc, name);
        server.read_commands();
        server.wire().at_boundary();
    };

    check(ftp_set_timeout_ms(s, phase_timeout_ms), "ftp_set_timeout_ms");
    check(ftp_set_data_mode(s, flags & 3), "ftp_set_data_mode");
    check(ftp_set_trust_pasv_address_insecure(s, (flags & 4) != 0), "ftp_set_trust_pasv_address_insecure");
    if (flags & 16) {
        check(ftp_set_limit(s, FTP_LIMIT_LINE, 512), "ftp_set_limit");
        check(ftp_set_limit(s, FTP_LIMIT_REPLY_BYTES, 512), "ftp_set_limit");
        check(ftp_set_limit(s, FTP_LIMIT_REPLY_LINES, 8), "ftp_set_limit");
    }

    int rc = ftp_connect(s, "fuzz.invalid", 21);
    check(rc, "ftp_connect");
    if (rc == FTP_OK)
        FUZZ_CHECK(ftp_getwelcome(s) != nullptr && ftp_getwelcome(s)[0] == '2', ftp_last_reply(s));
    check(ftp_login(s, "user", "secret", "acct"), "ftp_login");
    const char *text = nullptr;
    rc = ftp_pwd(s, &text);
    check(rc, "ftp_pwd");
    if (rc == FTP_OK)
        for (const char *c = text; *c != '\0'; c++)
            FUZZ_CHECK(static_cast<unsigned char>(*c) >= 0x20 && *c != 0x7f, text);
    check(ftp_cwd(s, "dir"), "ftp_cwd");
    uint64_t size = 0;
    check(ftp_size(s, "file", &size), "ftp_size");

    Counter blocks{stop_early, max_line};
    rc = ftp_retrbinary(s, "RETR file", 7, (flags & 32) ? 5 : 0, sink, &blocks);
    check(rc, "ftp_retrbinary");
    if (rc == FTP_OK || rc == FTP_E_ABORTED)
        FUZZ_CHECK(ftp_last_transfer_bytes(s) == blocks.bytes, std::to_string(blocks.bytes));
    Counter lines{stop_early, max_line};
    check(ftp_dir(s, nullptr, line, &lines), "ftp_dir");
    Counter entries{stop_early, max_line};
    check(ftp_mlsd(s, "dir", nullptr, entry, &entries), "ftp_mlsd");
    Upload up{server.upload_size(), stop_early};
    check(ftp_storbinary(s, "STOR up", 0, 0, source, &up), "ftp_storbinary");

    // A data stream stopped half-way with ABOR.
    ftp_data *d = nullptr;
    uint64_t announced = 0;
    rc = ftp_transfercmd(s, "RETR big", 0, &d, &announced);
    check(rc, "ftp_transfercmd");
    if (rc == FTP_OK) {
        char buf[16];
        size_t got = 0;
        check(ftp_data_read(d, buf, sizeof buf, &got), "ftp_data_read");
        FUZZ_CHECK(got <= sizeof buf, "");
    }
    check(ftp_abort(s), "ftp_abort");
    check(ftp_quit(s), "ftp_quit");
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2)
        return 0;
    const int fds_before = fuzz::open_fd_count();
    {
        FakeServer server(parse(data, size));
        ftp_session *s = fuzz::session_on(
            [&](const net::Canceller &canceller) { return std::make_unique<ServedNetwork>(canceller, server); });
        FUZZ_CHECK(s != nullptr, "");
        run_calls(s, server);
        ftp_session_free(s);
        server.read_commands();
        server.wire().at_boundary();
    }
    const int fds_after = fuzz::open_fd_count();
    if (fds_after != fds_before)
        fuzz::violated("a run left file descriptors open",
                       std::to_string(fds_before) + " before, " + std::to_string(fds_after) + " after");
    return 0;
}
