#include "net/tcp.hh"

#include <cerrno>
#include <algorithm>
#include <cstring>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

#include "core/error.hh"
#include "net/file_io.hh"
#include "net/wait.hh"

namespace ftpc::net {
namespace {

class Fd {
public:
    explicit Fd(int fd = -1) : fd_(fd) {}
    ~Fd() { reset(); }
    Fd(Fd &&other) noexcept : fd_(other.release()) {}
    Fd &operator=(Fd &&other) noexcept
    {
        if (this != &other) {
            reset();
            fd_ = other.release();
        }
        return *this;
    }
    Fd(const Fd &) = delete;
    Fd &operator=(const Fd &) = delete;

    int get() const { return fd_; }
    int release()
    {
        int fd = fd_;
        fd_ = -1;
        return fd;
    }
    void reset()
    {
        if (fd_ >= 0)
            ::close(fd_);
        fd_ = -1;
    }

private:
    int fd_;
};

Address sock_name(int fd, bool peer)
{
    sockaddr_storage ss{};
    socklen_t len = sizeof ss;
    int rc = peer ? ::getpeername(fd, reinterpret_cast<sockaddr *>(&ss), &len)
                  : ::getsockname(fd, reinterpret_cast<sockaddr *>(&ss), &len);
    if (rc != 0)
        return Address();
    return Address(reinterpret_cast<sockaddr *>(&ss), len);
}

void set_nodelay(int fd)
{
    // Commands are small and each waits for a reply: Nagle plus the peer's
    // delayed ACK would add up to 200 ms per exchange.
    int one = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

class TcpStream final : public Stream {
public:
    TcpStream(Fd fd, const Canceller &canceller) : fd_(std::move(fd)), canceller_(canceller)
    {
        local_ = sock_name(fd_.get(), false);
        peer_ = sock_name(fd_.get(), true);
    }

    size_t read_some(void *buf, size_t cap, const Deadline &deadline) override
    {
        check_cancel(canceller_);
        for (;;) {
            ssize_t n = ::recv(fd_.get(), buf, cap, 0);
            if (n >= 0) {
                note_received(static_cast<size_t>(n));
                return static_cast<size_t>(n);
            }
            if (errno == EINTR)
                continue;
            if (errno == EAGAIN || errno == EWOULDBLOCK) {
                wait_receivable(deadline);
                continue;
            }
            throw Error(FTP_E_IO, "receiving: " + errno_text(errno), Breaks::session);
        }
    }

    void prefer_large_reads(size_t bytes) override
    {
        wanted_low_water_ = bytes;
        received_toward_low_water_ = 0;
        if (bytes == 0)
            set_low_water(0);
    }

    void write_all(const void *buf, size_t len, const Deadline &deadline) override
    {
        send_flags(buf, len, 0, deadline);
    }

    void write_urgent(const void *buf, size_t len, const Deadline &deadline) override
    {
        send_flags(buf, len, MSG_OOB, deadline);
    }

    bool readable_now() override
    {
        if (low_water_) { // poll() would not tell below the mark: peek
            char byte;
            ssize_t n = ::recv(fd_.get(), &byte, 1, MSG_PEEK | MSG_DONTWAIT);
            return n >= 0 || (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR);
        }
        pollfd p = {fd_.get(), POLLIN, 0};
        return ::poll(&p, 1, 0) > 0 && p.revents != 0;
    }

    bool wait_readable(const Deadline &deadline) override
    {
        try {
            if (!low_water_) {
                wait_for(fd_.get(), POLLIN, deadline, canceller_, "waiting");
                return true;
            }
            while (!readable_now())
                (void)wait_for_slice(fd_.get(), POLLIN, deadline, canceller_, "waiting", low_water_slice_ms);
            return true;
        } catch (Error &e) {
            if (e.code() == FTP_E_TIMEOUT)
                return false;
            throw;
        }
    }

    void shutdown_write() override { ::shutdown(fd_.get(), SHUT_WR); }

    void finish_writing(const Deadline &deadline) override
    {
        shutdown_write();
        try {
            char discard[4096];
            while (read_some(discard, sizeof discard, deadline) > 0) {
            }
        } catch (const Error &e) {
            if (e.code() == FTP_E_CANCELLED)
                throw;
        }
    }

    std::optional<size_t> splice_to(int fd, size_t max, const Deadline &deadline, uint64_t &delivered) override
    {
        if (splice_unusable_ || !open_pipe())
            return std::nullopt;
        check_cancel(canceller_);
        // Socket to pipe, as much as has arrived and the pipe holds; the
        // pipe is always empty here, so EAGAIN means "nothing arrived yet".
        ssize_t in;
        for (;;) {
            in = ::splice(fd_.get(), nullptr, pipe_write_.get(), nullptr, std::min(max, pipe_capacity_),
                          SPLICE_F_MOVE | SPLICE_F_NONBLOCK);
            if (in >= 0)
                break;
            if (errno == EINTR)
                continue;
            if (errno == EAGAIN) {
                wait_receivable(deadline);
                continue;
            }
            if (errno == EINVAL && !spliced_any_) {
                splice_unusable_ = true;
                return std::nullopt;
            }
            throw Error(FTP_E_IO, "receiving: " + errno_text(errno), Breaks::session);
        }
        note_received(static_cast<size_t>(in));
        if (in > 0)
            drain_pipe_into(fd, static_cast<size_t>(in), deadline, delivered);
        return static_cast<size_t>(in);
    }

    std::optional<size_t> send_from(int fd, size_t max, const Deadline &deadline) override
    {
        if (sendfile_unusable_)
            return std::nullopt;
        if (!sent_any_) {
            // sendfile() reads pages of a file; from a pipe or socket it
            // may not work at all, or return EAGAIN for the wrong end.
            struct stat st {};
            if (::fstat(fd, &st) != 0)
                throw_file_error("reading", fd, errno);
            if (!S_ISREG(st.st_mode) && !S_ISBLK(st.st_mode)) {
                sendfile_unusable_ = true;
                return std::nullopt;
            }
        }
        check_cancel(canceller_);
        for (;;) {
            ssize_t n = ::sendfile(fd_.get(), fd, nullptr, max);
            if (n >= 0) {
                sent_any_ = true;
                return static_cast<size_t>(n);
            }
            if (errno == EINTR)
                continue;
            if (errno == EAGAIN) {
                wait_for(fd_.get(), POLLOUT, deadline, canceller_, "sending");
                continue;
            }
            if ((errno == EINVAL || errno == ENOSYS) && !sent_any_) {
                sendfile_unusable_ = true;
                return std::nullopt;
            }
            if (errno == EPIPE || errno == ECONNRESET || errno == ENOTCONN || errno == ETIMEDOUT)
                throw Error(FTP_E_IO, "sending: " + errno_text(errno), Breaks::session);
            throw_file_error("reading", fd, errno);
        }
    }

    Address local_address() const override { return local_; }
    Address peer_address() const override { return peer_; }

private:
    // prefer_large_reads(): the mark goes up once the first MiB has come.
    void note_received(size_t n)
    {
        if (wanted_low_water_ == 0 || low_water_)
            return;
        received_toward_low_water_ += n;
        if (received_toward_low_water_ >= low_water_after)
            set_low_water(wanted_low_water_);
    }

    void set_low_water(size_t bytes)
    {
        // SO_RCVLOWAT makes poll() wait for that many bytes; the kernel
        // still wakes us early when the receive window is closing, and end
        // of stream always does.  A receive takes whatever is there.
        int lowat = bytes == 0 ? 1 : static_cast<int>(std::min<size_t>(bytes, INT32_MAX));
        if (::setsockopt(fd_.get(), SOL_SOCKET, SO_RCVLOWAT, &lowat, sizeof lowat) == 0)
            low_water_ = bytes > 1;
    }

    // Waits for something to receive.  Under a low-water mark poll() may
    // sleep past bytes that already arrived, so it gives up every few
    // milliseconds and the caller's receive takes what is there.
    void wait_receivable(const Deadline &deadline)
    {
        if (low_water_)
            (void)wait_for_slice(fd_.get(), POLLIN, deadline, canceller_, "receiving", low_water_slice_ms);
        else
            wait_for(fd_.get(), POLLIN, deadline, canceller_, "receiving");
    }

    // The pipe splice_to() moves pages through; made on first use, as big
    // as the system lets an unprivileged process have (1 MiB by default).
    bool open_pipe()
    {
        if (pipe_read_.get() >= 0)
            return true;
        int fds[2];
        if (::pipe2(fds, O_CLOEXEC | O_NONBLOCK) != 0)
            return false; // out of descriptors: the buffered path still works
        pipe_read_ = Fd(fds[0]);
        pipe_write_ = Fd(fds[1]);
        int size = ::fcntl(fds[1], F_SETPIPE_SZ, 1 << 20);
        if (size < 0)
            size = ::fcntl(fds[1], F_GETPIPE_SZ);
        pipe_capacity_ = size > 0 ? static_cast<size_t>(size) : 65536;
        return true;
    }

    void drain_pipe_into(int fd, size_t len, const Deadline &deadline, uint64_t &delivered)
    {
        while (len > 0) {
            ssize_t out = ::splice(pipe_read_.get(), nullptr, fd, nullptr, len, SPLICE_F_MOVE | SPLICE_F_NONBLOCK);
            if (out > 0) {
                len -= static_cast<size_t>(out);
                delivered += static_cast<uint64_t>(out);
                spliced_any_ = true;
                continue;
            }
            if (out < 0 && errno == EINTR)
                continue;
            if (out < 0 && errno == EAGAIN) { // the pipe holds data: the file is not ready
                wait_for(fd, POLLOUT, deadline, canceller_, "writing the local file");
                continue;
            }
            if (out < 0 && errno == EINVAL && !spliced_any_) {
                // The file cannot take a splice (O_APPEND, some file
                // systems): copy what the pipe holds, then stop splicing.
                splice_unusable_ = true;
                copy_pipe_into(fd, len, deadline, delivered);
                return;
            }
            throw_file_error("writing to", fd, out == 0 ? EIO : errno);
        }
    }

    void copy_pipe_into(int fd, size_t len, const Deadline &deadline, uint64_t &delivered)
    {
        char buf[16384];
        while (len > 0) {
            ssize_t n = ::read(pipe_read_.get(), buf, std::min(len, sizeof buf));
            if (n < 0 && errno == EINTR)
                continue;
            if (n <= 0)
                throw Error(FTP_E_INTERNAL, "the splice pipe lost bytes", Breaks::session);
            write_file(fd, buf, static_cast<size_t>(n), deadline, canceller_, delivered);
            len -= static_cast<size_t>(n);
        }
    }

    void send_flags(const void *buf, size_t len, int flags, const Deadline &deadline)
    {
        check_cancel(canceller_);
        const char *p = static_cast<const char *>(buf);
        while (len > 0) {
            ssize_t n = ::send(fd_.get(), p, len, flags | MSG_NOSIGNAL);
            if (n >= 0) {
                p += n;
                len -= static_cast<size_t>(n);
                continue;
            }
            if (errno == EINTR)
                continue;
            if (errno == EAGAIN || errno == EWOULDBLOCK) {
                wait_for(fd_.get(), POLLOUT, deadline, canceller_, "sending");
                continue;
            }
            throw Error(FTP_E_IO, "sending: " + errno_text(errno), Breaks::session);
        }
    }

    Fd fd_;
    const Canceller &canceller_;
    Address local_;
    Address peer_;
    Fd pipe_read_;
    Fd pipe_write_;
    size_t pipe_capacity_ = 0;
    bool splice_unusable_ = false;
    bool spliced_any_ = false;
    bool sendfile_unusable_ = false;
    bool sent_any_ = false;
    bool low_water_ = false;
    size_t wanted_low_water_ = 0;
    uint64_t received_toward_low_water_ = 0;
    static constexpr int low_water_slice_ms = 5;
    static constexpr uint64_t low_water_after = uint64_t{1} << 20;
};

Fd open_socket(int family)
{
    Fd fd(::socket(family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0));
    if (fd.get() < 0)
        throw Error(FTP_E_CONNECT, "socket: " + errno_text(errno));
    return fd;
}

class TcpListener final : public Listener {
public:
    TcpListener(Fd fd, const Canceller &canceller) : fd_(std::move(fd)), canceller_(canceller)
    {
        local_ = sock_name(fd_.get(), false);
    }

    std::unique_ptr<Stream> accept_from(const Address &expected_peer, const Deadline &deadline) override
    {
        for (;;) {
            wait_for(fd_.get(), POLLIN, deadline, canceller_, "waiting for the server's data connection");
            Fd conn(::accept4(fd_.get(), nullptr, nullptr, SOCK_CLOEXEC | SOCK_NONBLOCK));
            if (conn.get() < 0) {
                if (errno == EINTR || errno == EAGAIN || errno == ECONNABORTED)
                    continue;
                throw Error(FTP_E_CONNECT, "accept: " + errno_text(errno), Breaks::session);
            }
            // Port theft: only the control connection's peer may connect.
            if (!sock_name(conn.get(), true).same_host(expected_peer))
                continue;
            set_nodelay(conn.get());
            return std::make_unique<TcpStream>(std::move(conn), canceller_);
        }
    }

    Address local_address() const override { return local_; }

private:
    Fd fd_;
    const Canceller &canceller_;
    Address local_;
};

struct AddrinfoDeleter {
    void operator()(addrinfo *ai) const { freeaddrinfo(ai); }
};

std::vector<Address> resolve(const std::string &host, uint16_t port, bool passive)
{
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = passive ? AI_PASSIVE : 0;
    addrinfo *res = nullptr;
    std::string service = std::to_string(port);
    // Resolution uses the system resolver; its own timeouts (resolv.conf)
    // bound it, as getaddrinfo offers no deadline of its own.
    int rc = ::getaddrinfo(host.c_str(), service.c_str(), &hints, &res);
    if (rc != 0)
        throw Error(FTP_E_RESOLVE, "cannot resolve \"" + host + "\": " + gai_strerror(rc));
    std::unique_ptr<addrinfo, AddrinfoDeleter> guard(res);
    std::vector<Address> out;
    for (addrinfo *ai = res; ai != nullptr; ai = ai->ai_next)
        if (ai->ai_family == AF_INET || ai->ai_family == AF_INET6)
            out.emplace_back(ai->ai_addr, ai->ai_addrlen);
    if (out.empty())
        throw Error(FTP_E_RESOLVE, "\"" + host + "\" has no IPv4 or IPv6 address");
    return out;
}

} // namespace

std::unique_ptr<Stream> adopt_socket(int fd, const Canceller &canceller)
{
    Fd owned(fd);
    int flags = ::fcntl(fd, F_GETFL);
    if (flags < 0 || ::fcntl(fd, F_SETFL, flags | O_NONBLOCK) != 0)
        throw Error(FTP_E_IO, "fcntl: " + errno_text(errno));
    return std::make_unique<TcpStream>(std::move(owned), canceller);
}

std::unique_ptr<Stream> TcpNetwork::connect_addr(const Address &to, const Address *source,
                                                 const Deadline &deadline)
{
    check_cancel(canceller_);
    Fd fd = open_socket(to.family());
    if (source != nullptr && !source->empty()) {
        int one = 1;
        ::setsockopt(fd.get(), SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
#ifdef IP_BIND_ADDRESS_NO_PORT
        // With port 0 the address alone is bound and connect() picks the
        // port, knowing the remote end.  bind() would search the local
        // ports itself, through every TIME_WAIT socket of the address: a
        // session moving many files leaves thousands (1.2 ms per bind()
        // with 10k of them on loopback, bench/RESULTS.md).
        if (source->port() == 0)
            ::setsockopt(fd.get(), IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &one, sizeof one);
#endif
        if (::bind(fd.get(), source->sa(), source->length()) != 0)
            throw Error(FTP_E_CONNECT, "binding to " + source->to_string() + ": " + errno_text(errno));
    }
    if (::connect(fd.get(), to.sa(), to.length()) != 0) {
        if (errno != EINPROGRESS)
            throw Error(FTP_E_CONNECT, "connecting to " + to.to_string() + ": " + errno_text(errno));
        try {
            wait_for(fd.get(), POLLOUT, deadline, canceller_, "connecting");
        } catch (Error &e) {
            // A connect timeout leaves nothing half-read: the caller decides
            // whether the session survives it.
            if (e.code() == FTP_E_TIMEOUT)
                throw Error(FTP_E_TIMEOUT, "connecting to " + to.to_string() + " timed out after " +
                                               std::to_string(deadline.budget_ms()) + " ms");
            throw;
        }
        int err = 0;
        socklen_t len = sizeof err;
        ::getsockopt(fd.get(), SOL_SOCKET, SO_ERROR, &err, &len);
        if (err != 0)
            throw Error(FTP_E_CONNECT, "connecting to " + to.to_string() + ": " + errno_text(err));
    }
    set_nodelay(fd.get());
    return std::make_unique<TcpStream>(std::move(fd), canceller_);
}

std::unique_ptr<Stream> TcpNetwork::connect_host(const std::string &host, uint16_t port, const Address *source,
                                                 const Deadline &deadline)
{
    check_cancel(canceller_);
    std::vector<Address> candidates = resolve(host, port, false);
    std::string failures;
    for (const Address &addr : candidates) {
        if (source != nullptr && !source->empty() && source->family() != addr.family())
            continue;
        try {
            return connect_addr(addr, source, deadline);
        } catch (Error &e) {
            if (e.code() == FTP_E_CANCELLED || e.code() == FTP_E_TIMEOUT)
                throw;
            if (!failures.empty())
                failures += "; ";
            failures += e.message();
        }
    }
    if (failures.empty())
        failures = "no address of \"" + host + "\" matches the source address family";
    throw Error(FTP_E_CONNECT, failures);
}

std::unique_ptr<Listener> TcpNetwork::listen(const Address &local)
{
    Fd fd = open_socket(local.family());
    Address any_port = local;
    any_port.set_port(0);
    if (::bind(fd.get(), any_port.sa(), any_port.length()) != 0)
        throw Error(FTP_E_CONNECT, "binding a data listener to " + any_port.host() + ": " + errno_text(errno));
    if (::listen(fd.get(), 1) != 0)
        throw Error(FTP_E_CONNECT, "listen: " + errno_text(errno));
    return std::make_unique<TcpListener>(std::move(fd), canceller_);
}

Address TcpNetwork::resolve_source(const std::string &host, uint16_t port, const Deadline &deadline)
{
    (void)deadline;
    Address numeric;
    if (Address::parse_numeric(host, port, numeric))
        return numeric;
    return resolve(host, port, true).front();
}

} // namespace ftpc::net
