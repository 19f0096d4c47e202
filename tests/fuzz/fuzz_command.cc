// fuzz_command: arbitrary bytes as arguments of the public API, against a
// session whose control connection records every byte written; catalogue
// section A.  Whatever the calls return, no CR, LF or NUL may reach the
// wire except the single CR LF ending each command, and an argument refused
// as invalid must be refused before anything is sent.
//
// Input:  byte 0   server behaviour
//                    bit 0 USER answers 230 (no password step)
//                    bit 1 PASS answers 332 (an account is needed)
//                    bits 2-3 data mode: auto | EPSV | PASV | active
//                    bit 4 EPSV/EPRT unknown (500): fall back to PASV/PORT
//         the rest, split on NUL bytes (C strings cannot hold one):
//           field 0     the program: each byte (mod 21) is one API call
//           fields 1..  the calls' string arguments, used in turn (cycling;
//                       an empty field is NULL where the API allows NULL)
//
// The "server" answers synchronously inside write_all(), so the target
// needs no sockets and no threads and runs at full speed.
#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <vector>

#include "core/error.hh"
#include "fuzz_support.hh"

using namespace ftpc;

namespace {

net::Address loopback(uint16_t port)
{
    net::Address a;
    net::Address::parse_numeric("127.0.0.1", port, a);
    return a;
}

struct ServerBehaviour {
    bool user_logs_in = false;
    bool pass_wants_account = false;
    bool extended_unknown = false;
};

// Reads return a short listing, then end of stream; writes vanish.
class DataStream final : public net::Stream {
public:
    size_t read_some(void *buf, size_t cap, const net::Deadline &) override
    {
        static const char listing[] = "type=file;size=3; a.txt\r\n-rw-r--r-- 1 u g 3 Jan 1 00:00 b\r\n";
        size_t n = std::min(cap, sizeof listing - 1 - pos_);
        std::memcpy(buf, listing + pos_, n);
        pos_ += n;
        return n;
    }
    void write_all(const void *, size_t, const net::Deadline &) override {}
    void write_urgent(const void *, size_t, const net::Deadline &) override {}
    bool readable_now() override { return true; }
    bool wait_readable(const net::Deadline &) override { return true; }
    void shutdown_write() override {}
    void finish_writing(const net::Deadline &) override {}
    net::Address local_address() const override { return loopback(40001); }
    net::Address peer_address() const override { return loopback(20); }

private:
    size_t pos_ = 0;
};

class DataListener final : public net::Listener {
public:
    std::unique_ptr<net::Stream> accept_from(const net::Address &, const net::Deadline &) override
    {
        return std::make_unique<DataStream>();
    }
    net::Address local_address() const override { return loopback(40002); }
};

// The control connection: records what the client sends (into the shared
// checker) and answers each complete command line at once.
class ControlStream final : public net::Stream {
public:
    ControlStream(fuzz::WireChecker &wire, uint64_t &written, const ServerBehaviour &server)
        : wire_(wire), written_(written), server_(server)
    {
        pending_ = "220 fuzz server ready\r\n";
    }

    size_t read_some(void *buf, size_t cap, const net::Deadline &) override
    {
        // Nothing pending means the client waits for a reply that will never
        // come: say end of stream, as a server hanging up would.
        size_t n = std::min(cap, pending_.size());
        pending_.copy(static_cast<char *>(buf), n);
        pending_.erase(0, n);
        return n;
    }
    void write_all(const void *buf, size_t len, const net::Deadline &) override { receive(buf, len); }
    void write_urgent(const void *buf, size_t len, const net::Deadline &) override { receive(buf, len); }
    bool readable_now() override { return !pending_.empty(); }
    bool wait_readable(const net::Deadline &) override { return !pending_.empty(); }
    void shutdown_write() override {}
    void finish_writing(const net::Deadline &) override {}
    net::Address local_address() const override { return loopback(40000); }
    net::Address peer_address() const override { return loopback(21); }

private:
    void receive(const void *buf, size_t len)
    {
        wire_.feed(buf, len);
        written_ += len;
        const char *p = static_cast<const char *>(buf);
        for (size_t i = 0; i < len; i++) {
            if (p[i] != '\n') {
                line_ += p[i];
                continue;
            }
            if (!line_.empty() && line_.back() == '\r')
                line_.pop_back();
            answer(line_);
            line_.clear();
        }
    }

    void answer(const std::string &line)
    {
        // Telnet IP and Synch in front of ABOR are not part of the verb.
        size_t start = line.find_first_not_of("\xff\xf4\xf2");
        std::string verb = start == std::string::npos ? "" : line.substr(start, line.find(' ', start) - start);
        for (char &c : verb)
            c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));

        if (verb == "REST") {
            // Between the data connection and the transfer command.
            pending_ += "350 restarting\r\n";
            return;
        }
        const bool transfer = transfer_next_;
        transfer_next_ = false;
        if (transfer) {
            // Whatever the caller named as the transfer command.
            pending_ += "150 Opening data connection (62 bytes)\r\n226 Transfer complete\r\n";
        } else if (verb == "USER") {
            pending_ += server_.user_logs_in ? "230 logged in\r\n" : "331 password please\r\n";
        } else if (verb == "PASS") {
            pending_ += server_.pass_wants_account ? "332 account please\r\n" : "230 logged in\r\n";
        } else if (verb == "ACCT") {
            pending_ += "230 logged in\r\n";
        } else if (verb == "PWD" || verb == "MKD") {
            pending_ += "257 \"/home/fuzz \"\"quoted\"\"\" is the directory\r\n";
        } else if (verb == "SIZE") {
            pending_ += "213 62\r\n";
        } else if (verb == "RNFR") {
            pending_ += "350 go on\r\n";
        } else if (verb == "EPSV" || verb == "EPRT") {
            if (server_.extended_unknown) {
                pending_ += "500 unknown command\r\n";
            } else {
                pending_ += verb == "EPSV" ? "229 Entering Extended Passive Mode (|||1025|)\r\n" : "200 ok\r\n";
                transfer_next_ = true;
            }
        } else if (verb == "PASV") {
            pending_ += "227 Entering Passive Mode (127,0,0,1,4,1)\r\n";
            transfer_next_ = true;
        } else if (verb == "PORT") {
            pending_ += "200 ok\r\n";
            transfer_next_ = true;
        } else if (verb == "ABOR") {
            pending_ += "225 no transfer to abort\r\n";
        } else if (verb == "QUIT") {
            pending_ += "221 bye\r\n";
        } else {
            pending_ += "250 ok\r\n";
        }
    }

    fuzz::WireChecker &wire_;
    uint64_t &written_;
    const ServerBehaviour &server_;
    std::string line_;
    std::string pending_;
    bool transfer_next_ = false;
};

class FakeNetwork final : public net::Network {
public:
    FakeNetwork(fuzz::WireChecker &wire, uint64_t &written, const ServerBehaviour &server)
        : wire_(wire), written_(written), server_(server)
    {
    }

    std::unique_ptr<net::Stream> connect_host(const std::string &, uint16_t, const net::Address *,
                                              const net::Deadline &) override
    {
        wire_.new_connection();
        return std::make_unique<ControlStream>(wire_, written_, server_);
    }
    std::unique_ptr<net::Stream> connect_addr(const net::Address &, const net::Address *,
                                              const net::Deadline &) override
    {
        return std::make_unique<DataStream>();
    }
    std::unique_ptr<net::Listener> listen(const net::Address &) override { return std::make_unique<DataListener>(); }
    net::Address resolve_source(const std::string &, uint16_t, const net::Deadline &) override { return loopback(0); }

private:
    fuzz::WireChecker &wire_;
    uint64_t &written_;
    const ServerBehaviour &server_;
};

// The string arguments, handed out in turn.
class Arguments {
public:
    explicit Arguments(std::vector<std::string> fields) : fields_(std::move(fields)) {}

    const char *next()
    {
        if (fields_.empty())
            return "";
        return fields_[next_++ % fields_.size()].c_str();
    }
    // NULL for an empty field, where the API takes NULL.
    const char *next_or_null()
    {
        const char *s = next();
        return *s == '\0' ? nullptr : s;
    }

private:
    std::vector<std::string> fields_;
    size_t next_ = 0;
};

int sink(const void *, size_t, void *) { return 0; }
int line(const char *, size_t, void *) { return 0; }
int entry(const char *, size_t, const char *const *, const char *const *, void *) { return 0; }

// Uploads the argument's bytes once.
struct Upload {
    std::string text;
    bool done = false;
};
int source(void *buf, size_t cap, size_t *len, void *userdata)
{
    auto *up = static_cast<Upload *>(userdata);
    *len = 0;
    if (!up->done) {
        *len = std::min(cap, up->text.size());
        std::memcpy(buf, up->text.data(), *len);
        up->done = true;
    }
    return 0;
}

// Runs API call number @p op; returns its status.
int call(ftp_session *s, unsigned op, Arguments &args, const char *&name)
{
    const char *out = nullptr;
    uint64_t size = 0;
    switch (op) {
    case 0:
        name = "ftp_connect";
        return ftp_connect(s, args.next(), 21);
    case 1: {
        name = "ftp_login";
        const char *user = args.next_or_null();
        const char *pass = args.next_or_null();
        return ftp_login(s, user, pass, args.next_or_null());
    }
    case 2:
        name = "ftp_cwd";
        return ftp_cwd(s, args.next());
    case 3:
        name = "ftp_mkd";
        return ftp_mkd(s, args.next(), &out);
    case 4:
        name = "ftp_rmd";
        return ftp_rmd(s, args.next());
    case 5:
        name = "ftp_delete";
        return ftp_delete(s, args.next());
    case 6: {
        name = "ftp_rename";
        const char *from = args.next();
        return ftp_rename(s, from, args.next());
    }
    case 7:
        name = "ftp_size";
        return ftp_size(s, args.next(), &size);
    case 8:
        name = "ftp_sendcmd";
        return ftp_sendcmd(s, args.next(), &out);
    case 9:
        name = "ftp_voidcmd";
        return ftp_voidcmd(s, args.next());
    case 10:
        name = "ftp_retrbinary";
        return ftp_retrbinary(s, args.next(), 0, 0, sink, nullptr);
    case 11:
        name = "ftp_retrlines";
        return ftp_retrlines(s, args.next(), line, nullptr);
    case 12: {
        name = "ftp_storbinary";
        const char *cmd = args.next();
        Upload up{args.next()};
        return ftp_storbinary(s, cmd, 0, 7, source, &up);
    }
    case 13: {
        name = "ftp_storlines";
        const char *cmd = args.next();
        Upload up{args.next()};
        return ftp_storlines(s, cmd, source, &up);
    }
    case 14:
        name = "ftp_nlst";
        return ftp_nlst(s, args.next_or_null(), line, nullptr);
    case 15:
        name = "ftp_dir";
        return ftp_dir(s, args.next_or_null(), line, nullptr);
    case 16: {
        name = "ftp_mlsd";
        const char *path = args.next_or_null();
        const char *facts[] = {args.next(), args.next(), nullptr};
        return ftp_mlsd(s, path, facts[0][0] != '\0' ? facts : nullptr, entry, nullptr);
    }
    case 17: {
        name = "ftp_transfercmd";
        ftp_data *d = nullptr;
        int rc = ftp_transfercmd(s, args.next(), 0, &d, &size);
        if (rc != FTP_OK)
            return rc;
        char buf[16];
        size_t got = 0;
        ftp_data_read(d, buf, sizeof buf, &got);
        return ftp_data_close(d);
    }
    case 18:
        name = "ftp_pwd";
        return ftp_pwd(s, &out);
    case 19:
        name = "ftp_abort";
        return ftp_abort(s);
    default:
        name = "ftp_quit";
        return ftp_quit(s);
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    ServerBehaviour server;
    server.user_logs_in = (data[0] & 1) != 0;
    server.pass_wants_account = (data[0] & 2) != 0;
    server.extended_unknown = (data[0] & 16) != 0;
    const int data_mode = (data[0] >> 2) & 3;

    std::vector<std::string> fields;
    const char *p = reinterpret_cast<const char *>(data + 1);
    const char *end = reinterpret_cast<const char *>(data + size);
    for (;;) {
        const char *nul = static_cast<const char *>(std::memchr(p, '\0', static_cast<size_t>(end - p)));
        fields.emplace_back(p, nul != nullptr ? nul : end);
        if (nul == nullptr)
            break;
        p = nul + 1;
    }
    const std::string program = fields.front();
    fields.erase(fields.begin());
    Arguments args(std::move(fields));

    fuzz::WireChecker wire;
    uint64_t written = 0;
    ftp_session *s = fuzz::session_on([&](const net::Canceller &) {
        return std::make_unique<FakeNetwork>(wire, written, server);
    });
    FUZZ_CHECK(ftp_set_data_mode(s, data_mode) == FTP_OK, "");
    FUZZ_CHECK(ftp_set_timeout_ms(s, 100) == FTP_OK, "");
    fuzz::check_call(s, ftp_connect(s, "fuzz.invalid", 21), "ftp_connect");
    wire.at_boundary();

    for (size_t i = 0; i < program.size() && i < 32; i++) {
        const uint64_t before = written;
        const char *name = "";
        int rc = call(s, static_cast<unsigned char>(program[i]) % 21, args, name);
        fuzz::check_call(s, rc, name);
        wire.at_boundary();
        // Catalogue A.1: an argument is refused at API entry, before
        // anything is written.
        if (rc == FTP_E_INVALID && written != before)
            fuzz::violated("an argument was refused after bytes were sent", name);
    }
    ftp_session_free(s);
    wire.at_boundary();
    return 0;
}
