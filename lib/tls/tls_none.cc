// The TLS layer of a build without OpenSSL: every use is FTP_E_UNSUPPORTED.
#include "core/error.hh"
#include "tls/tls.hh"

namespace ftpc::tls {

namespace {

class NoClient final : public Client {
public:
    std::unique_ptr<net::SecureStream> handshake(std::unique_ptr<net::Stream>, const std::string &, bool,
                                                 const Settings &, uint64_t, const net::Deadline &) override
    {
        throw Error(FTP_E_UNSUPPORTED, "ftpc was built without TLS");
    }
    std::unique_ptr<net::SecureStream> start_handshake(std::unique_ptr<net::Stream>, const std::string &,
                                                       const Settings &, uint64_t, const net::Deadline &) override
    {
        throw Error(FTP_E_UNSUPPORTED, "ftpc was built without TLS");
    }
    void forget_session() noexcept override {}
};

} // namespace

bool available() noexcept { return false; }

std::unique_ptr<Client> make_client() { return std::make_unique<NoClient>(); }

} // namespace ftpc::tls
