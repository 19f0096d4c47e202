// How lib/core reaches the network: byte streams, listeners and a factory.
// The core never sees a socket, so parsers and the session state machine can
// run against scripted streams in unit tests.
//
// Every method that waits takes a Deadline and throws ftpc::Error on failure:
// FTP_E_TIMEOUT, FTP_E_CANCELLED, FTP_E_IO, FTP_E_CONNECT, FTP_E_RESOLVE.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "net/address.hh"
#include "net/deadline.hh"

namespace ftpc::net {

class Stream {
public:
    virtual ~Stream() = default;

    // Reads 1..cap bytes; returns 0 only at end of stream.
    virtual size_t read_some(void *buf, size_t cap, const Deadline &deadline) = 0;
    virtual void write_all(const void *buf, size_t len, const Deadline &deadline) = 0;
    // Sends bytes whose last byte is marked urgent (TCP out-of-band).
    virtual void write_urgent(const void *buf, size_t len, const Deadline &deadline) = 0;
    // True if a read would not block (data or end of stream is waiting).
    virtual bool readable_now() = 0;
    // Waits until a read would not block; false when the deadline passes
    // first (no exception for that), FTP_E_CANCELLED if cancelled.
    virtual bool wait_readable(const Deadline &deadline) = 0;
    // Half-closes the sending side (FIN) so the peer sees end of data.
    virtual void shutdown_write() = 0;
    // Ends an upload cleanly: end of data (TLS close_notify first, if any),
    // then reads and discards until the peer closes or @p deadline passes, so
    // that closing never answers unread bytes with a reset.  Only
    // FTP_E_CANCELLED escapes; anything else just ends the wait.
    virtual void finish_writing(const Deadline &deadline) = 0;
    virtual bool encrypted() const { return false; }

    // A hint for bulk downloads: once the first MiB has come, wake the
    // reader only when @p bytes have arrived (or the stream ended), instead
    // of for every segment, but look again every few milliseconds so that a
    // slow sender is still read promptly.  0 turns it off at once.  Each
    // sleep and wake-up costs more than copying a segment, so this saves CPU
    // and, on fast links, time.  Not for the first MiB: a small file's last
    // bytes may wait for the TLS close_notify exchange before the server's
    // FIN, and must not wait for the mark.
    virtual void prefer_large_reads(size_t bytes) { (void)bytes; }

    // Zero-copy moves between the stream and a caller's file descriptor
    // (ftp_retr_fd, ftp_stor_fd).  A stream that cannot do them (TLS, the
    // scripted streams of the unit tests) keeps these defaults, and the
    // caller moves the bytes through a buffer instead; so does the caller
    // after the first nullopt, which also means nothing was moved.
    //
    // Moves 1..@p max bytes from the stream into @p fd (splice); 0 at end of
    // stream.  @p delivered grows by every byte that reaches @p fd, also
    // when a later step fails.  Failures on @p fd throw FTP_E_FILE.
    virtual std::optional<size_t> splice_to(int fd, size_t max, const Deadline &deadline, uint64_t &delivered)
    {
        (void)fd, (void)max, (void)deadline, (void)delivered;
        return std::nullopt;
    }
    // Sends 1..@p max bytes of @p fd from its file position, advancing it
    // (sendfile); 0 at end of file.  Failures on @p fd throw FTP_E_FILE.
    virtual std::optional<size_t> send_from(int fd, size_t max, const Deadline &deadline)
    {
        (void)fd, (void)max, (void)deadline;
        return std::nullopt;
    }

    virtual Address local_address() const = 0;
    virtual Address peer_address() const = 0;
};

// A stream protected by TLS; what the session reports and how CCC unwraps it.
class SecureStream : public Stream {
public:
    bool encrypted() const override { return true; }
    virtual const char *protocol_version() const = 0;
    virtual const char *cipher() const = 0;
    virtual bool resumed() const = 0;
    // Completes a handshake begun by tls::Client::start_handshake(); does
    // nothing once it is complete.  Throws FTP_E_TLS, FTP_E_TIMEOUT, ...
    virtual void finish_handshake(const Deadline &deadline) = 0;
    // Sends close_notify, waits for the peer's, and hands back the clear
    // stream underneath (CCC).  Throws FTP_E_TLS if the shutdown fails.
    virtual std::unique_ptr<Stream> unwrap(const Deadline &deadline) = 0;
};

class Listener {
public:
    virtual ~Listener() = default;
    // Waits for one connection from @p expected_peer's host; connections from
    // any other host are closed and waiting goes on.
    virtual std::unique_ptr<Stream> accept_from(const Address &expected_peer, const Deadline &deadline) = 0;
    virtual Address local_address() const = 0;
};

class Network {
public:
    virtual ~Network() = default;

    // Resolves @p host and connects to each address in turn until one works.
    virtual std::unique_ptr<Stream> connect_host(const std::string &host, uint16_t port,
                                                 const Address *source, const Deadline &deadline) = 0;
    virtual std::unique_ptr<Stream> connect_addr(const Address &to, const Address *source,
                                                 const Deadline &deadline) = 0;
    // Listens on @p local (port 0: any) for one active-mode data connection.
    virtual std::unique_ptr<Listener> listen(const Address &local) = 0;
    // Resolves a local source address given by name or number.
    virtual Address resolve_source(const std::string &host, uint16_t port, const Deadline &deadline) = 0;
};

} // namespace ftpc::net
