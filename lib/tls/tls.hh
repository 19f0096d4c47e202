// TLS for the core, behind an interface: lib/core never sees OpenSSL, and a
// build without OpenSSL links tls_none.cc instead.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "net/stream.hh"

namespace ftpc::tls {

struct Settings {
    bool verify = true;
    bool verify_host = true; // with verify: the certificate must name the host
    std::optional<std::string> ca_file;
    std::optional<std::string> ca_path;
    std::optional<std::string> cert_file;
    std::optional<std::string> key_file;
    std::optional<std::string> ciphers;
    int min_version = 0x0303; // TLS 1.2
    int max_version = 0;      // highest available
};

// Whether this build has TLS at all.
bool available() noexcept;

// One per FTP session: the TLS context built from its settings and the
// session to resume on data connections.
class Client {
public:
    virtual ~Client() = default;

    // Runs a client handshake over @p inner and returns the protected stream.
    // @p host is what ftp_connect() was given: the name (or IP address) the
    // certificate must match, on data connections too.  The control
    // connection's sessions are remembered; data connections offer the
    // newest of them.  @p settings_generation changes whenever the caller's
    // settings do: the context is rebuilt and remembered sessions dropped.
    virtual std::unique_ptr<net::SecureStream> handshake(std::unique_ptr<net::Stream> inner,
                                                         const std::string &host, bool control,
                                                         const Settings &settings, uint64_t settings_generation,
                                                         const net::Deadline &deadline) = 0;

    // A data connection's handshake in two halves, so that the transfer
    // command's reply can be read in between: this sends the ClientHello and
    // returns without waiting; the stream's finish_handshake() completes it.
    // Servers answer the command (150) before they start TLS, and then find
    // the ClientHello already waiting: a round trip saved per data connection.
    virtual std::unique_ptr<net::SecureStream> start_handshake(std::unique_ptr<net::Stream> inner,
                                                               const std::string &host, const Settings &settings,
                                                               uint64_t settings_generation,
                                                               const net::Deadline &deadline) = 0;

    // Drops the remembered session (a new server, a new identity).
    virtual void forget_session() noexcept = 0;
};

std::unique_ptr<Client> make_client();

} // namespace ftpc::tls
