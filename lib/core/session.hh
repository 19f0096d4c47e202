// The session state machine: one control connection, at most one data
// connection, the options, and what the last call left behind (reply, error).
//
// Every public operation throws ftpc::Error on failure; lib/api turns that
// into a status and records it with record_failure().
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/control.hh"
#include "core/error.hh"
#include "core/parsers.hh"
#include "core/reply.hh"
#include "core/trace.hh"
#include "net/canceller.hh"
#include "net/stream.hh"
#include "tls/tls.hh"

namespace ftpc {

struct Options {
    // Indexed by enum ftp_timeout_phase.
    std::array<int64_t, 6> timeout_ms{0, 30000, 60000, 60000, 60000, 5000};
    ReplyLimits limits;
    int data_mode = FTP_DATA_AUTO;
    int abort_style = FTP_ABORT_TELNET;
    bool trust_pasv_address = false;
    std::optional<std::string> source_host;
    uint16_t source_port = 0;
    int tls_mode = FTP_TLS_NONE;
    bool protect_data = true;
};

// What the last data connection was (ftp_last_transfer_*).
struct TransferReport {
    std::string mode; // EPSV, PASV, EPRT, PORT; empty before any
    std::string peer;
    uint64_t bytes = 0;
    std::string tls_version; // empty: clear text
    std::string tls_cipher;
    int tls_resumed = -1;
};

// What a bulk download asks the network to gather before waking it
// (net::Stream::prefer_large_reads()).
constexpr size_t bulk_read_size = size_t{256} << 10;

// Data flows through these; returning false asks to stop (FTP_E_ABORTED).
using BlockSink = std::function<bool(const char *data, size_t len)>;
using LineSink = std::function<bool(const std::string &line)>;
// Fills up to cap bytes and sets len (0 = end); false asks to stop.
using BlockSource = std::function<bool(char *buf, size_t cap, size_t &len)>;
using MlsdSink = std::function<bool(const MlsdEntry &entry)>;

class Session {
public:
    using NetworkFactory = std::function<std::unique_ptr<net::Network>(const net::Canceller &)>;

    Session();
    // For tests: a scripted network instead of TCP.
    explicit Session(const NetworkFactory &make_network);
    ~Session();
    Session(const Session &) = delete;
    Session &operator=(const Session &) = delete;

    // ---- call bookkeeping (used by lib/api's guard) ----
    void begin_call();
    // Records a failure; never throws (it runs inside the C boundary).
    int record_failure(const Error &error) noexcept;
    void record_success();
    bool in_call() const { return in_call_; }
    void set_in_call(bool on) { in_call_ = on; }
    int last_status() const { return last_status_; }
    const std::string &last_error() const { return last_error_; }
    const char *last_error_text() const noexcept;
    int last_reply_code() const { return last_reply_code_; }
    const std::string &last_reply() const { return last_reply_; }
    const std::optional<std::string> &welcome() const { return welcome_; }

    Options &options() { return options_; }
    // TLS settings; changing them through tls_settings() makes the next
    // handshake build a new context and forget the remembered session.
    tls::Settings &tls_settings()
    {
        tls_generation_++;
        return tls_settings_;
    }
    const TransferReport &last_transfer() const { return report_; }
    Tracer &tracer() { return tracer_; }
    net::Canceller &canceller() { return canceller_; }

    // ---- connection ----
    void connect(const std::string &host, uint16_t port);
    void login(const char *user, const char *passwd, const char *acct);
    // ftp_close(): drops the connection and forgets the broken state and
    // any pending cancel.
    void close() noexcept;
    void quit();

    // ---- commands (returned strings live until the next call) ----
    const std::string &sendcmd(const std::string &command);
    // ftplib's getresp()/voidresp(): one reply, nothing sent.
    const std::string &getresp();
    const std::string &voidresp();
    // TYPE A or TYPE I, unless the server is known to be there already.
    void set_type(char type);
    // The control connection's ends, "host:port"; nullptr when unconnected.
    const char *peer_address() const;
    const char *local_address() const;
    const std::string &voidcmd(const std::string &command);
    void rename(const std::string &from, const std::string &to);
    void remove(const std::string &path);
    void cwd(const std::string &path);
    const std::string &mkd(const std::string &path);
    const std::string &pwd();
    void rmd(const std::string &path);
    uint64_t size(const std::string &path);
    void abort();

    // ---- FTPS ----
    void auth();
    void prot_p();
    void prot_c();
    void ccc();
    // The control connection's TLS version and cipher, or nullptr.
    const char *tls_version() const;
    const char *tls_cipher() const;

    // ---- transfers ----
    void retrieve_binary(const std::string &command, size_t blocksize, uint64_t rest, const BlockSink &sink);
    void retrieve_lines(const std::string &command, const LineSink &sink);
    void store_binary(const std::string &command, size_t blocksize, uint64_t rest, const BlockSource &source);
    void store_lines(const std::string &command, const BlockSource &source);
    void mlsd(const std::string &path, const std::vector<std::string> &facts, const MlsdSink &sink);
    // Binary transfers to and from the caller's file descriptor, zero-copy
    // (splice, sendfile) where the data connection allows it.
    void retrieve_to_fd(const std::string &command, uint64_t rest, int fd);
    void store_from_fd(const std::string &command, uint64_t rest, int fd);

    // ---- a data connection as a stream (transfercmd) ----
    std::optional<uint64_t> open_data_stream(const std::string &command, uint64_t rest);
    bool data_stream_open() const { return data_stream_ != nullptr; }
    bool active_mode() const;
    size_t data_read(void *buf, size_t cap);
    void data_write(const void *buf, size_t len);
    void data_close();

private:
    // Which passive or active command this session has found to work.
    enum class DataCommand { extended, classic };

    // Drops the connection but keeps a pending cancel for the next wait.
    void disconnect() noexcept;
    void require_connected() const;
    void require_secured();
    void trace_tls();
    void secure_control(bool may_stay_clear);
    std::unique_ptr<net::Stream> protect_data(std::unique_ptr<net::Stream> data);
    std::unique_ptr<net::Stream> finish_protection(std::unique_ptr<net::SecureStream> started);
    std::unique_ptr<net::Stream> protected_report(std::unique_ptr<net::SecureStream> secured);
    Error data_handshake_failure(const Error &error);
    void require_idle() const;
    net::Deadline deadline(int phase) const;

    void send(const std::string &command);
    Reply read_reply(int phase = FTP_TIMEOUT_REPLY);
    Reply exchange(const std::string &command);
    const std::string &keep(std::string text);

    // data_channel.cc
    std::unique_ptr<net::Stream> open_data_connection(const std::string &command, uint64_t rest,
                                                      Reply &preliminary);
    std::unique_ptr<net::Stream> connect_passive();
    std::unique_ptr<net::Listener> start_active();
    net::Address data_source() const;

    // transfer.cc
    void store(char type, const std::string &command, size_t block, uint64_t rest, const BlockSource &source);
    // transfer_fd.cc
    void move_to_fd(net::Stream &data, int fd, size_t chunk);
    void move_from_fd(net::Stream &data, int fd, size_t chunk);
    void transfer_with_fd(const std::string &command, uint64_t rest, int fd, bool upload);
    void finish_transfer();
    [[noreturn]] void throw_data_stream_failure(const Error &error);
    void stop_transfer(std::unique_ptr<net::Stream> data, bool data_at_eof);
    bool drain_finished_data(net::Stream &data);
    void read_abort_replies(bool transfer_was_running);
    [[noreturn]] void after_data_failure(std::unique_ptr<net::Stream> data, const Error &error);

    Options options_;
    Tracer tracer_;
    net::Canceller canceller_;
    std::unique_ptr<net::Network> network_;
    // Declared before the streams: TLS streams point into it.
    std::unique_ptr<tls::Client> tls_;
    tls::Settings tls_settings_;
    uint64_t tls_generation_ = 1;
    std::string host_; // as given to connect(): what certificates must match
    bool data_protected_ = false;
    // The representation type the server was last set to by set_type(); 0
    // when unknown (new connection, or a command that may have changed it).
    char type_ = 0;
    TransferReport report_;
    std::unique_ptr<Control> control_;
    std::unique_ptr<net::Stream> data_stream_;
    bool data_stream_eof_ = false;
    bool data_stream_written_ = false;
    bool data_stream_failed_ = false;

    DataCommand passive_command_ = DataCommand::extended;
    DataCommand active_command_ = DataCommand::extended;

    std::optional<std::string> welcome_;
    std::string broken_reason_;
    std::string context_;
    std::string result_;
    // What peer_address() and local_address() returned last: one buffer
    // each, so both stay valid together (accessors are const).
    mutable std::string peer_text_;
    mutable std::string local_text_;
    bool in_call_ = false;
    int last_status_ = FTP_OK;
    std::string last_error_;
    bool last_error_is_oom_ = false;
    int last_reply_code_ = 0;
    std::string last_reply_;
};

} // namespace ftpc
