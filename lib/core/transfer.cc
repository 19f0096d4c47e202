// Moving data: retrieve and store (binary and text), listings, the
// transfercmd stream, and stopping a transfer cleanly with ABOR.
#include <algorithm>
#include <vector>

#include "core/command.hh"
#include "core/session.hh"

namespace ftpc {

namespace {

constexpr size_t default_blocksize = 8192;
constexpr size_t max_blocksize = size_t{16} << 20;
// How much already-received data stop_transfer() reads past to find out
// whether the server finished sending.
constexpr size_t drain_limit = size_t{1} << 20;

size_t effective_blocksize(size_t blocksize)
{
    if (blocksize == 0)
        return default_blocksize;
    if (blocksize > max_blocksize)
        throw Error(FTP_E_INVALID, "blocksize " + std::to_string(blocksize) + " exceeds 16 MiB");
    return blocksize;
}

Error stopped_by_callback() { return Error(FTP_E_ABORTED, "stopped by the callback"); }

std::string data_command_context(const std::string &command) { return redact_command(command); }

} // namespace

void Session::finish_transfer()
{
    Reply reply = read_reply();
    if (reply.kind() != 2)
        fail_reply(reply.code, reply.text);
}

void Session::read_abort_replies(bool transfer_was_running)
{
    const net::Deadline limit = deadline(FTP_TIMEOUT_CLOSE);
    auto read_within = [&]() {
        Reply reply = control_->read(options_.limits, limit);
        last_reply_code_ = reply.code;
        last_reply_ = reply.text;
        return reply;
    };
    auto out_of_step = [](const Reply &reply) {
        return Error(FTP_E_PROTO, "unexpected reply after ABOR: " + reply.text, Breaks::session);
    };

    Reply first = read_within();
    if (!transfer_was_running && first.kind() != 2 && first.kind() != 4) {
        // ABOR with nothing to abort, refused (500, 502...): one complete
        // reply, nothing else follows, the session is in step.
        fail_reply(first.code, first.text);
    }
    if (first.kind() == 4) {
        // 426 (or another 4xx transfer failure) ends the transfer; ABOR's
        // own answer follows it.
        Reply second = read_within();
        if (second.code != 225 && second.code != 226)
            throw out_of_step(second);
        return;
    }
    if (first.code != 225 && first.code != 226)
        throw out_of_step(first);
    if (!transfer_was_running)
        return;

    // A lone 2xx may be the transfer's own 226, with ABOR's answer still to
    // come, or ABOR's answer alone.  Rather than guess from timing, mark the
    // end with a NOOP and read up to its reply.  (Unchecked: ABOR's answer
    // may already be waiting.)
    control_->send_unchecked("NOOP", limit);
    for (int i = 0; i < 2; i++) {
        Reply reply = read_within();
        if (reply.code == 225 || reply.code == 226)
            continue;
        if (reply.kind() == 2)
            return;
        throw out_of_step(reply);
    }
    throw Error(FTP_E_PROTO, "too many replies after ABOR", Breaks::session);
}

bool Session::drain_finished_data(net::Stream &data)
{
    // Consume what is already waiting, without blocking, to learn whether
    // the server has finished sending; bounded so a fast server cannot keep
    // us here.
    char sink[16384];
    for (size_t drained = 0; drained < drain_limit && data.readable_now();) {
        size_t n = data.read_some(sink, sizeof sink, deadline(FTP_TIMEOUT_DATA));
        if (n == 0)
            return true;
        drained += n;
    }
    return false;
}

void Session::stop_transfer(std::unique_ptr<net::Stream> data, bool data_at_eof)
{
    data->prefer_large_reads(0);
    if (!data_at_eof) {
        try {
            data_at_eof = drain_finished_data(*data);
        } catch (const Error &e) {
            if (e.code() == FTP_E_CANCELLED)
                throw;
            // A reset data connection: ABOR sorts it out below.
        }
    }
    if (data_at_eof) {
        // The server already sent everything: nothing to abort, only the
        // final reply to read.
        data.reset();
        read_reply();
        return;
    }
    context_ = "ABOR";
    control_->send_abort(options_.abort_style, deadline(FTP_TIMEOUT_CLOSE));
    data.reset();
    read_abort_replies(true);
}

void Session::after_data_failure(std::unique_ptr<net::Stream> data, const Error &error)
{
    // A reset or broken data connection usually comes with the server's
    // reason on the control connection (426, 451, 552): report that one.
    // Copying an Error may run out of memory; std::bad_alloc then propagates
    // instead, and the API guard reports FTP_E_NOMEM (cert-err60-cpp).
    if (error.code() != FTP_E_IO && error.code() != FTP_E_TLS)
        throw error; // NOLINT(cert-err60-cpp)
    data.reset();
    Reply reply = read_reply();
    // A truncated protected download is an error even if the server calls
    // the transfer complete: its 226 cannot vouch for bytes lost on the way.
    if (reply.kind() != 2 && error.code() == FTP_E_IO)
        fail_reply(reply.code, reply.text);
    throw Error(error.code(), error.message());
}

void Session::retrieve_binary(const std::string &command, size_t blocksize, uint64_t rest, const BlockSink &sink)
{
    const size_t block = effective_blocksize(blocksize);
    require_idle();
    set_type('I');
    Reply preliminary;
    std::unique_ptr<net::Stream> data = open_data_connection(command, rest, preliminary);
    const std::string context = data_command_context(command);
    // Receive in large reads whatever the block size: the caller gets its
    // blocks, sliced from them, and a small block no longer means one
    // receive (a system call, a TLS record) per block.
    const size_t chunk = std::max(block, bulk_read_size);
    std::vector<char> buf(chunk);
    data->prefer_large_reads(bulk_read_size);
    for (;;) {
        size_t n;
        try {
            n = data->read_some(buf.data(), chunk, deadline(FTP_TIMEOUT_DATA));
        } catch (Error &e) {
            after_data_failure(std::move(data), e);
        }
        if (n == 0)
            break;
        for (size_t offset = 0; offset < n; offset += block) {
            // Counted as handed over: a stop leaves the rest of the read
            // uncounted, as it never reaches the caller.
            const size_t len = std::min(block, n - offset);
            report_.bytes += len;
            if (!sink(buf.data() + offset, len)) {
                stop_transfer(std::move(data), false);
                context_ = context;
                throw stopped_by_callback();
            }
        }
    }
    data.reset();
    context_ = context;
    finish_transfer();
}

void Session::retrieve_lines(const std::string &command, const LineSink &sink)
{
    require_idle();
    set_type('A');
    Reply preliminary;
    std::unique_ptr<net::Stream> data = open_data_connection(command, 0, preliminary);
    const std::string context = data_command_context(command);
    LineReader reader(*data);
    std::string line;
    for (;;) {
        LineReader::Result r;
        try {
            r = reader.read_line(line, options_.limits.max_line, deadline(FTP_TIMEOUT_DATA));
        } catch (Error &e) {
            if (e.code() != FTP_E_PROTO)
                after_data_failure(std::move(data), e);
            // ftplib's "got more than maxline bytes": stop this transfer,
            // keep the session.  after_data_failure() is [[noreturn]], so
            // data was not moved on this path.
            // cppcheck-suppress accessMoved
            stop_transfer(std::move(data), false);
            context_ = context;
            throw Error(FTP_E_PROTO, "listing " + e.message());
        }
        report_.bytes = reader.bytes_received();
        if (r == LineReader::Result::eof)
            break;
        if (!sink(line)) {
            bool at_eof = r == LineReader::Result::partial;
            stop_transfer(std::move(data), at_eof);
            context_ = context;
            throw stopped_by_callback();
        }
        if (r == LineReader::Result::partial)
            break;
    }
    data.reset();
    context_ = context;
    finish_transfer();
}

void Session::store_binary(const std::string &command, size_t blocksize, uint64_t rest, const BlockSource &source)
{
    store('I', command, effective_blocksize(blocksize), rest, source);
}

void Session::store(char type, const std::string &command, size_t block, uint64_t rest, const BlockSource &source)
{
    require_idle();
    set_type(type);
    Reply preliminary;
    std::unique_ptr<net::Stream> data = open_data_connection(command, rest, preliminary);
    const std::string context = data_command_context(command);
    std::vector<char> buf(block);
    for (;;) {
        size_t n = 0;
        if (!source(buf.data(), block, n)) {
            stop_transfer(std::move(data), false);
            context_ = context;
            throw stopped_by_callback();
        }
        if (n == 0)
            break;
        if (n > block) {
            stop_transfer(std::move(data), false);
            context_ = context;
            throw Error(FTP_E_INVALID, "the source callback reported more bytes than the buffer holds");
        }
        try {
            data->write_all(buf.data(), n, deadline(FTP_TIMEOUT_DATA));
        } catch (Error &e) {
            context_ = context;
            after_data_failure(std::move(data), e);
        }
        report_.bytes += n;
    }
    data->finish_writing(deadline(FTP_TIMEOUT_CLOSE));
    data.reset();
    context_ = context;
    finish_transfer();
}

void Session::store_lines(const std::string &command, const BlockSource &source)
{
    // LF becomes CRLF on the wire unless a CR already precedes it, also when
    // the CR ended the previous block; a last line without LF gets its line
    // end too (as ftplib sends it: every line ends in CRLF).
    bool last_was_cr = false;
    bool line_open = false;
    bool ended = false;
    std::vector<char> raw(default_blocksize);
    BlockSource converting = [&](char *out, size_t cap, size_t &len) {
        len = 0;
        if (ended)
            return true;
        size_t n = 0;
        if (!source(raw.data(), cap / 2, n))
            return false;
        if (n > cap / 2)
            throw Error(FTP_E_INVALID, "the source callback reported more bytes than the buffer holds");
        if (n == 0) {
            ended = true;
            if (line_open) {
                if (!last_was_cr)
                    out[len++] = '\r';
                out[len++] = '\n';
            }
            return true;
        }
        for (size_t i = 0; i < n; i++) {
            char c = raw[i];
            if (c == '\n' && !last_was_cr)
                out[len++] = '\r';
            out[len++] = c;
            last_was_cr = c == '\r';
        }
        line_open = raw[n - 1] != '\n';
        return true;
    };
    store('A', command, default_blocksize, 0, converting);
}

void Session::mlsd(const std::string &path, const std::vector<std::string> &facts, const MlsdSink &sink)
{
    require_idle();
    if (!facts.empty()) {
        std::string opts = "OPTS MLST ";
        for (const std::string &fact : facts)
            opts += fact + ";";
        voidcmd(opts);
    }
    retrieve_lines(make_command("MLSD", path), [&](const std::string &line) { return sink(parse_mlsd_line(line)); });
}

// ------------------------------------------------------------- data streams

std::optional<uint64_t> Session::open_data_stream(const std::string &command, uint64_t rest)
{
    require_idle();
    Reply preliminary;
    data_stream_ = open_data_connection(command, rest, preliminary);
    data_stream_eof_ = false;
    data_stream_written_ = false;
    data_stream_failed_ = false;
    context_ = data_command_context(command);
    return parse_150_size(preliminary.text);
}

size_t Session::data_read(void *buf, size_t cap)
{
    require_connected();
    if (data_stream_ == nullptr)
        throw Error(FTP_E_STATE, "no data stream is open");
    if (cap == 0 || data_stream_eof_)
        return 0;
    size_t n = 0;
    try {
        n = data_stream_->read_some(buf, cap, deadline(FTP_TIMEOUT_DATA));
    } catch (const Error &e) {
        throw_data_stream_failure(e);
    }
    if (n == 0)
        data_stream_eof_ = true;
    report_.bytes += n;
    return n;
}

void Session::data_write(const void *buf, size_t len)
{
    require_connected();
    if (data_stream_ == nullptr)
        throw Error(FTP_E_STATE, "no data stream is open");
    data_stream_written_ = true;
    try {
        data_stream_->write_all(buf, len, deadline(FTP_TIMEOUT_DATA));
    } catch (const Error &e) {
        throw_data_stream_failure(e);
    }
    report_.bytes += len;
}

void Session::throw_data_stream_failure(const Error &error)
{
    // A reset or a truncated TLS stream leaves the control connection in
    // step: the server's final reply is still to come, and ftp_data_close()
    // reads it.  Timeouts and cancels break the session as everywhere.
    if (error.code() != FTP_E_IO && error.code() != FTP_E_TLS)
        throw error; // NOLINT(cert-err60-cpp): as in after_data_failure()
    data_stream_failed_ = true;
    throw Error(error.code(), error.message());
}

void Session::data_close()
{
    require_connected();
    if (data_stream_ == nullptr)
        throw Error(FTP_E_STATE, "no data stream is open");
    if (data_stream_failed_) {
        data_stream_.reset();
        finish_transfer();
        return;
    }
    // An upload ends with end-of-data and a clean close; a download the
    // caller stops reading is simply closed.
    if (data_stream_written_)
        data_stream_->finish_writing(deadline(FTP_TIMEOUT_CLOSE));
    data_stream_.reset();
    finish_transfer();
}

void Session::abort()
{
    require_connected();
    context_ = "ABOR";
    control_->send_abort(options_.abort_style, deadline(FTP_TIMEOUT_CLOSE));
    bool had_stream = data_stream_ != nullptr;
    data_stream_.reset();
    read_abort_replies(had_stream);
}

} // namespace ftpc
