// TLS with OpenSSL 3.  OpenSSL talks to the network through a BIO whose
// callbacks call the inner net::Stream with the deadline of the SSL call in
// progress; their errors are kept and re-thrown after OpenSSL returns, never
// thrown through its C frames.
#include <cstring>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include "core/error.hh"
#include "net/address.hh"
#include "tls/tls.hh"

namespace ftpc::tls {

namespace {

// How often readable_now() looks again through bytes that have arrived.
constexpr int max_looks_through_pending = 64;

struct CtxFree {
    void operator()(SSL_CTX *ctx) const { SSL_CTX_free(ctx); }
};
struct SslFree {
    void operator()(SSL *ssl) const { SSL_free(ssl); }
};
struct SessionFree {
    void operator()(SSL_SESSION *session) const { SSL_SESSION_free(session); }
};
struct BioMethodFree {
    void operator()(BIO_METHOD *method) const { BIO_meth_free(method); }
};

using CtxPtr = std::unique_ptr<SSL_CTX, CtxFree>;
using SslPtr = std::unique_ptr<SSL, SslFree>;
using SessionPtr = std::unique_ptr<SSL_SESSION, SessionFree>;

// Drains OpenSSL's error queue into one sentence.
std::string openssl_errors()
{
    std::string text;
    while (unsigned long err = ERR_get_error()) {
        char buf[256];
        ERR_error_string_n(err, buf, sizeof buf);
        if (!text.empty())
            text += "; ";
        text += buf;
    }
    return text.empty() ? "unknown OpenSSL error" : text;
}

[[noreturn]] void fail_tls(const std::string &what, Breaks breaks = Breaks::session)
{
    throw Error(FTP_E_TLS, what + ": " + openssl_errors(), breaks);
}

// SSL_set_tlsext_host_name() is a macro with a C cast inside.
int set_server_name(SSL *ssl, const std::string &host)
{
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wold-style-cast"
    return static_cast<int>(SSL_set_tlsext_host_name(ssl, host.c_str()));
#pragma GCC diagnostic pop
}

bool is_ip_literal(const std::string &host)
{
    net::Address ignored;
    return net::Address::parse_numeric(host, 0, ignored);
}

class OpenSslClient;

// What the new-session callback needs to know about the SSL that fired it.
struct Link {
    OpenSslClient *client;
    bool control;
};

class OpenSslStream final : public net::SecureStream {
public:
    OpenSslStream(std::unique_ptr<net::Stream> inner, SslPtr ssl, BIO_METHOD *method, Link link, std::string host)
        : inner_(std::move(inner)), ssl_(std::move(ssl)), link_(link), host_(std::move(host))
    {
        BIO *bio = BIO_new(method);
        if (bio == nullptr)
            fail_tls("BIO_new");
        BIO_set_data(bio, this);
        BIO_set_init(bio, 1);
        SSL_set_bio(ssl_.get(), bio, bio); // the SSL owns the BIO now
        SSL_set_app_data(ssl_.get(), &link_);
    }

    ~OpenSslStream() override
    {
        // No callback may find this stream once it is gone.
        SSL_set_app_data(ssl_.get(), nullptr);
    }

    // Sends the ClientHello (under @p deadline: it may go out in pieces) and
    // stops at the first wait for the server; finish_handshake() goes on.
    void send_client_hello(const net::Deadline &deadline)
    {
        Scope scope(*this, deadline);
        reads_do_not_wait_ = true;
        ERR_clear_error();
        int rc = SSL_connect(ssl_.get());
        reads_do_not_wait_ = false;
        if (rc == 1) {
            handshake_done_ = true;
            return;
        }
        if (SSL_get_error(ssl_.get(), rc) == SSL_ERROR_WANT_READ && pending_ && pending_->code() == FTP_E_TIMEOUT) {
            pending_.reset(); // only "the server has not answered yet"
            ERR_clear_error();
            return;
        }
        handshake_failed();
    }

    void finish_handshake(const net::Deadline &deadline) override
    {
        if (handshake_done_)
            return;
        Scope scope(*this, deadline);
        ERR_clear_error();
        if (SSL_connect(ssl_.get()) == 1) {
            handshake_done_ = true;
            return;
        }
        handshake_failed();
    }

    [[noreturn]] void handshake_failed()
    {
        // A reset in the middle of the handshake is the server refusing it,
        // as an end of stream there is (curl too: CURLE_SSL_CONNECT_ERROR);
        // its alert, if it sent one, may have gone with the reset — say when
        // our flight went out in pieces and the server rejected the first
        // (found by tests/shim: partial writes).
        if (pending_ && pending_->code() == FTP_E_IO) {
            std::string why = pending_->message();
            pending_.reset();
            ERR_clear_error();
            throw Error(FTP_E_TLS, "TLS handshake with " + host_ + " failed: " + why, Breaks::session);
        }
        rethrow_pending();
        long verify = SSL_get_verify_result(ssl_.get());
        if (verify != X509_V_OK)
            throw Error(FTP_E_TLS,
                        "the certificate of " + host_ + " is not trusted: " + X509_verify_cert_error_string(verify),
                        Breaks::session);
        fail_tls("TLS handshake with " + host_ + " failed");
    }

    size_t read_some(void *buf, size_t cap, const net::Deadline &deadline) override
    {
        Scope scope(*this, deadline);
        for (;;) {
            size_t n = 0;
            ERR_clear_error();
            int ok = SSL_read_ex(ssl_.get(), buf, cap, &n);
            if (ok == 1)
                return n;
            int err = SSL_get_error(ssl_.get(), ok);
            rethrow_pending();
            if (err == SSL_ERROR_ZERO_RETURN)
                return 0;
            if (err == SSL_ERROR_WANT_READ || err == SSL_ERROR_WANT_WRITE)
                continue;
            if ((err == SSL_ERROR_SSL && ERR_GET_REASON(ERR_peek_error()) == SSL_R_UNEXPECTED_EOF_WHILE_READING) ||
                (err == SSL_ERROR_SYSCALL && ERR_peek_error() == 0)) {
                ERR_clear_error();
                throw Error(FTP_E_TLS,
                            "the server closed the connection without TLS close_notify: the data may be truncated",
                            Breaks::session);
            }
            fail_tls("TLS receive (SSL error " + std::to_string(err) + ")");
        }
    }

    void write_all(const void *buf, size_t len, const net::Deadline &deadline) override
    {
        Scope scope(*this, deadline);
        const char *p = static_cast<const char *>(buf);
        while (len > 0) {
            size_t n = 0;
            ERR_clear_error();
            int ok = SSL_write_ex(ssl_.get(), p, len, &n);
            if (ok == 1) {
                p += n;
                len -= n;
                continue;
            }
            int err = SSL_get_error(ssl_.get(), ok);
            if (pending_ && pending_->code() == FTP_E_IO)
                throw_waiting_alert();
            rethrow_pending();
            if (err == SSL_ERROR_WANT_READ || err == SSL_ERROR_WANT_WRITE)
                continue;
            fail_tls("TLS send");
        }
    }

    void write_urgent(const void *, size_t, const net::Deadline &) override
    {
        // Out-of-band bytes would corrupt the TLS record stream.
        throw Error(FTP_E_INTERNAL, "urgent data on a TLS connection");
    }

    bool readable_now() override
    {
        if (SSL_has_pending(ssl_.get()))
            return true;
        // Bytes are waiting, but they may be only TLS housekeeping (TLS 1.3
        // session tickets): look through them without blocking.  A look that
        // stops short of a whole record while the socket still holds bytes
        // (the kernel handed out fewer than it had, EINTR, EAGAIN) looks
        // again, so that a record already here — an alert, say — is never
        // taken for a partial one.  Bounded, so that a server streaming
        // housekeeping cannot keep us here.  (Found by tests/shim.)
        for (int look = 0; look < max_looks_through_pending && inner_->readable_now(); look++) {
            Scope scope(*this, net::Deadline::after_ms(0));
            char byte;
            size_t n = 0;
            ERR_clear_error();
            int ok = SSL_peek_ex(ssl_.get(), &byte, 1, &n);
            if (ok == 1)
                return true;
            int err = SSL_get_error(ssl_.get(), ok);
            bool timed_out = pending_ && pending_->code() == FTP_E_TIMEOUT;
            if (err == SSL_ERROR_WANT_READ && timed_out) {
                pending_.reset();
                ERR_clear_error();
                continue; // a partial record or housekeeping only, so far
            }
            // A TLS alert (a TLS 1.3 server refusing our certificate after the
            // handshake, say) is a TLS failure, not a reply out of step.
            if (err == SSL_ERROR_SSL && !pending_ && ERR_GET_REASON(ERR_peek_error()) != SSL_R_UNEXPECTED_EOF_WHILE_READING)
                fail_tls("TLS");
            pending_.reset();
            ERR_clear_error();
            return true; // end of stream, or an error a read will report
        }
        return false;
    }

    void prefer_large_reads(size_t bytes) override { inner_->prefer_large_reads(bytes); }

    bool wait_readable(const net::Deadline &deadline) override
    {
        return SSL_has_pending(ssl_.get()) || inner_->wait_readable(deadline);
    }

    void shutdown_write() override
    {
        send_close_notify(net::Deadline::after_ms(0));
        inner_->shutdown_write();
    }

    void finish_writing(const net::Deadline &deadline) override
    {
        send_close_notify(deadline);
        // What follows (the server's close_notify, late tickets) is read raw
        // and discarded: the upload is over.
        inner_->finish_writing(deadline);
    }

    net::Address local_address() const override { return inner_->local_address(); }
    net::Address peer_address() const override { return inner_->peer_address(); }

    const char *protocol_version() const override { return SSL_get_version(ssl_.get()); }
    const char *cipher() const override { return SSL_get_cipher_name(ssl_.get()); }
    bool resumed() const override { return SSL_session_reused(ssl_.get()) == 1; }

    std::unique_ptr<net::Stream> unwrap(const net::Deadline &deadline) override
    {
        Scope scope(*this, deadline);
        ERR_clear_error();
        int rc = SSL_shutdown(ssl_.get());
        if (rc == 0) // ours is sent; now wait for the server's
            rc = SSL_shutdown(ssl_.get());
        if (rc != 1) {
            rethrow_pending();
            fail_tls("TLS shutdown for CCC");
        }
        return std::move(inner_);
    }

    // ---- BIO callbacks ----
    int bio_read(BIO *bio, char *buf, size_t len, size_t *done) noexcept
    {
        BIO_clear_retry_flags(bio);
        *done = 0;
        try {
            *done = inner_->read_some(buf, len, reads_do_not_wait_ ? net::Deadline::after_ms(0) : *deadline_);
            return *done > 0 ? 1 : 0; // 0: end of stream
        } catch (const Error &e) {
            keep(e, bio);
        } catch (...) {
            keep_out_of_memory();
        }
        return -1;
    }

    int bio_write(BIO *bio, const char *buf, size_t len, size_t *done) noexcept
    {
        BIO_clear_retry_flags(bio);
        *done = 0;
        try {
            inner_->write_all(buf, len, *deadline_);
            *done = len;
            return 1;
        } catch (const Error &e) {
            keep(e, bio);
        } catch (...) {
            keep_out_of_memory();
        }
        return -1;
    }

private:
    // Sets the deadline the BIO callbacks use for the SSL call in progress.
    // It keeps a copy: callers may pass a temporary (readable_now() does),
    // which is gone by the time OpenSSL calls back.
    class Scope {
    public:
        Scope(OpenSslStream &stream, const net::Deadline &deadline) : stream_(stream)
        {
            stream_.deadline_.emplace(deadline);
            stream_.pending_.reset();
        }
        ~Scope() { stream_.deadline_.reset(); }
        Scope(const Scope &) = delete;
        Scope &operator=(const Scope &) = delete;

    private:
        OpenSslStream &stream_;
    };

    // Nothing may unwind through OpenSSL's C frames, not even bad_alloc while
    // copying an error: the fallback is built when the stream is.
    void keep(const Error &e, BIO *bio) noexcept
    {
        try {
            pending_ = e;
        } catch (...) {
            keep_out_of_memory();
            return;
        }
        // A timeout is retryable for OpenSSL (WANT_READ): its state stays
        // sound, so a non-blocking probe can give up without harm.
        if (e.code() == FTP_E_TIMEOUT)
            BIO_set_retry_read(bio);
    }

    void keep_out_of_memory() noexcept
    {
        pending_.reset();
        pending_.emplace(out_of_memory_); // copying it allocates nothing: see below
    }

    // A send the server reset may have its explanation waiting: the alert
    // the server sent first (a TLS 1.3 server refusing our certificate after
    // the handshake, met by a command that goes out in pieces on a slow
    // link).  Throws FTP_E_TLS for such an alert; otherwise leaves the send
    // error pending.  Ends the caller's Scope: it is for throwing paths only.
    // (Found by tests/shim with FLAKY_IO_WRITE_DELAY_US.)
    void throw_waiting_alert()
    {
        std::optional<Error> send_error = std::move(pending_);
        pending_.reset();
        (void)readable_now(); // looks through what has arrived; throws FTP_E_TLS for an alert
        ERR_clear_error();
        pending_ = std::move(send_error);
    }

    void rethrow_pending()
    {
        if (pending_) {
            Error e = *pending_;
            pending_.reset();
            ERR_clear_error();
            // The error must leave pending_ before it is thrown, so it is
            // thrown from a local copy.
            throw e; // NOLINT(cert-err09-cpp,cert-err61-cpp)
        }
    }

    void send_close_notify(const net::Deadline &deadline)
    {
        if (sent_close_notify_)
            return;
        sent_close_notify_ = true;
        Scope scope(*this, deadline);
        ERR_clear_error();
        SSL_shutdown(ssl_.get());
        if (pending_ && pending_->code() == FTP_E_CANCELLED)
            rethrow_pending();
        pending_.reset();
        ERR_clear_error();
    }

    std::unique_ptr<net::Stream> inner_;
    SslPtr ssl_;
    Link link_;
    std::optional<net::Deadline> deadline_;
    std::optional<Error> pending_;
    // "out of memory" fits the short-string buffer: copies never allocate.
    const Error out_of_memory_{FTP_E_NOMEM, "out of memory", Breaks::session};
    bool sent_close_notify_ = false;
    bool handshake_done_ = false;
    bool reads_do_not_wait_ = false; // send_client_hello(): a read would wait for the server
    const std::string host_;         // for messages
};

int bio_read_cb(BIO *bio, char *buf, size_t len, size_t *done)
{
    return static_cast<OpenSslStream *>(BIO_get_data(bio))->bio_read(bio, buf, len, done);
}

int bio_write_cb(BIO *bio, const char *buf, size_t len, size_t *done)
{
    return static_cast<OpenSslStream *>(BIO_get_data(bio))->bio_write(bio, buf, len, done);
}

long bio_ctrl_cb(BIO *, int cmd, long, void *)
{
    return cmd == BIO_CTRL_FLUSH ? 1 : 0;
}

class OpenSslClient final : public Client {
public:
    OpenSslClient()
    {
        method_.reset(BIO_meth_new(BIO_get_new_index() | BIO_TYPE_SOURCE_SINK, "ftpc stream"));
        if (!method_ || BIO_meth_set_read_ex(method_.get(), bio_read_cb) != 1 ||
            BIO_meth_set_write_ex(method_.get(), bio_write_cb) != 1 ||
            BIO_meth_set_ctrl(method_.get(), bio_ctrl_cb) != 1)
            throw Error(FTP_E_NOMEM, "cannot create the TLS BIO method");
    }

    std::unique_ptr<net::SecureStream> handshake(std::unique_ptr<net::Stream> inner, const std::string &host,
                                                 bool control, const Settings &settings, uint64_t generation,
                                                 const net::Deadline &deadline) override
    {
        std::unique_ptr<OpenSslStream> stream = prepare(std::move(inner), host, control, settings, generation);
        stream->finish_handshake(deadline);
        return stream;
    }

    std::unique_ptr<net::SecureStream> start_handshake(std::unique_ptr<net::Stream> inner, const std::string &host,
                                                       const Settings &settings, uint64_t generation,
                                                       const net::Deadline &deadline) override
    {
        std::unique_ptr<OpenSslStream> stream = prepare(std::move(inner), host, false, settings, generation);
        stream->send_client_hello(deadline);
        return stream;
    }

    void forget_session() noexcept override { session_.reset(); }

    // New-session callback target.  Only the control connection's sessions
    // are kept (TLS 1.3 tickets arrive after its handshake, inside SSL_read);
    // a handshake that failed verification never gets this far.
    void remember(SSL_SESSION *session) { session_.reset(session); }

private:
    // A stream ready for its handshake: context, expected identity, and for
    // a data connection the session to resume.
    std::unique_ptr<OpenSslStream> prepare(std::unique_ptr<net::Stream> inner, const std::string &host, bool control,
                                           const Settings &settings, uint64_t generation)
    {
        if (!ctx_ || generation != generation_) {
            ctx_ = build_context(settings);
            generation_ = generation;
            forget_session();
        }
        ERR_clear_error();
        SslPtr ssl(SSL_new(ctx_.get()));
        if (!ssl)
            fail_tls("SSL_new");
        if (is_ip_literal(host)) {
            if (settings.verify && settings.verify_host && X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl.get()), host.c_str()) != 1)
                fail_tls("setting the expected IP address " + host);
        } else {
            if (set_server_name(ssl.get(), host) != 1)
                fail_tls("setting the server name " + host);
            if (settings.verify && settings.verify_host && SSL_set1_host(ssl.get(), host.c_str()) != 1)
                fail_tls("setting the expected host name " + host);
        }
        // Data connections resume the control connection's session: servers
        // such as vsftpd refuse a data connection that does not.  Each gets a
        // copy: after a resumed TLS 1.3 handshake OpenSSL marks the offered
        // session not resumable ("use tickets once"), which must not happen
        // to the one every later data connection offers.
        if (!control && session_) {
            SessionPtr copy(SSL_SESSION_dup(session_.get()));
            if (!copy || SSL_set_session(ssl.get(), copy.get()) != 1)
                fail_tls("offering the control connection's TLS session");
        }
        if (!control) {
            // Bulk data: one receive per record instead of a header and a
            // body.  Not on the control connection, where CCC must find the
            // clear text after close_notify still in the socket, not in
            // OpenSSL's buffer.  The buffer stays OpenSSL's default (one
            // record): OpenSSL moves what is left in it to the front before
            // each record, so a 256 KiB read-ahead buffer cost 7 more
            // instructions per byte than it saved (cachegrind, 64 MiB).
            SSL_set_read_ahead(ssl.get(), 1);
        }
        return std::make_unique<OpenSslStream>(std::move(inner), std::move(ssl), method_.get(), Link{this, control},
                                               host);
    }

    static int on_new_session(SSL *ssl, SSL_SESSION *session)
    {
        auto *link = static_cast<Link *>(SSL_get_app_data(ssl));
        if (link == nullptr || !link->control)
            return 0; // not kept: OpenSSL frees it
        link->client->remember(session);
        return 1; // we own the reference now
    }

    static CtxPtr build_context(const Settings &settings)
    {
        ERR_clear_error();
        CtxPtr ctx(SSL_CTX_new(TLS_client_method()));
        if (!ctx)
            fail_tls("SSL_CTX_new", Breaks::no);
        if (SSL_CTX_set_min_proto_version(ctx.get(), settings.min_version) != 1 ||
            SSL_CTX_set_max_proto_version(ctx.get(), settings.max_version) != 1)
            fail_tls("setting the TLS versions", Breaks::no);
        if (settings.verify) {
            SSL_CTX_set_verify(ctx.get(), SSL_VERIFY_PEER, nullptr);
            int ok = settings.ca_file || settings.ca_path
                         ? SSL_CTX_load_verify_locations(ctx.get(), settings.ca_file ? settings.ca_file->c_str() : nullptr,
                                                         settings.ca_path ? settings.ca_path->c_str() : nullptr)
                         : SSL_CTX_set_default_verify_paths(ctx.get());
            if (ok != 1)
                fail_tls("loading the trusted certificates", Breaks::no);
        } else {
            SSL_CTX_set_verify(ctx.get(), SSL_VERIFY_NONE, nullptr);
        }
        if (settings.ciphers && SSL_CTX_set_cipher_list(ctx.get(), settings.ciphers->c_str()) != 1)
            fail_tls("cipher list \"" + *settings.ciphers + "\"", Breaks::no);
        if (settings.cert_file) {
            const std::string &key = settings.key_file ? *settings.key_file : *settings.cert_file;
            if (SSL_CTX_use_certificate_chain_file(ctx.get(), settings.cert_file->c_str()) != 1)
                fail_tls("client certificate " + *settings.cert_file, Breaks::no);
            if (SSL_CTX_use_PrivateKey_file(ctx.get(), key.c_str(), SSL_FILETYPE_PEM) != 1 ||
                SSL_CTX_check_private_key(ctx.get()) != 1)
                fail_tls("client key " + key, Breaks::no);
        }
        SSL_CTX_set_session_cache_mode(ctx.get(), SSL_SESS_CACHE_CLIENT | SSL_SESS_CACHE_NO_INTERNAL_STORE);
        SSL_CTX_sess_set_new_cb(ctx.get(), on_new_session);
        return ctx;
    }

    std::unique_ptr<BIO_METHOD, BioMethodFree> method_;
    CtxPtr ctx_;
    uint64_t generation_ = 0;
    SessionPtr session_;
};

} // namespace

bool available() noexcept { return true; }

std::unique_ptr<Client> make_client() { return std::make_unique<OpenSslClient>(); }

} // namespace ftpc::tls
