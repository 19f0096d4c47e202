// Binary transfers between a data connection and the caller's file
// descriptor (ftp_retr_fd, ftp_stor_fd).  On a clear TCP data connection the
// bytes never enter user space: splice(2) moves them from the socket into
// the file through a pipe, sendfile(2) from the file into the socket.  On
// TLS, or when the descriptor cannot take part (an O_APPEND file, a pipe for
// sendfile), they go through one buffer.
#include <vector>

#include "core/command.hh"
#include "core/session.hh"
#include "net/file_io.hh"

namespace ftpc {

namespace {

// Bytes per step: large enough that system calls cost little per byte,
// small enough that a cancel or deadline is noticed promptly.
constexpr size_t chunk_size = size_t{1} << 20;

} // namespace

void Session::move_to_fd(net::Stream &data, int fd, size_t chunk)
{
    data.prefer_large_reads(bulk_read_size);
    std::vector<char> buf;
    bool zero_copy = true;
    for (;;) {
        // report_.bytes counts what reached fd, also when a write fails.
        std::optional<size_t> moved;
        if (zero_copy) {
            moved = data.splice_to(fd, chunk, deadline(FTP_TIMEOUT_DATA), report_.bytes);
            zero_copy = moved.has_value();
        }
        if (!moved) {
            if (buf.empty())
                buf.resize(chunk);
            moved = data.read_some(buf.data(), buf.size(), deadline(FTP_TIMEOUT_DATA));
            if (*moved > 0)
                net::write_file(fd, buf.data(), *moved, deadline(FTP_TIMEOUT_DATA), canceller_, report_.bytes);
        }
        if (*moved == 0)
            return;
    }
}

void Session::move_from_fd(net::Stream &data, int fd, size_t chunk)
{
    std::vector<char> buf;
    bool zero_copy = true;
    for (;;) {
        std::optional<size_t> moved;
        if (zero_copy) {
            moved = data.send_from(fd, chunk, deadline(FTP_TIMEOUT_DATA));
            zero_copy = moved.has_value();
        }
        if (!moved) {
            if (buf.empty())
                buf.resize(chunk);
            moved = net::read_file(fd, buf.data(), buf.size(), deadline(FTP_TIMEOUT_DATA), canceller_);
            if (*moved > 0)
                data.write_all(buf.data(), *moved, deadline(FTP_TIMEOUT_DATA));
        }
        if (*moved == 0)
            return;
        report_.bytes += *moved;
    }
}

void Session::retrieve_to_fd(const std::string &command, uint64_t rest, int fd)
{
    transfer_with_fd(command, rest, fd, false);
}

void Session::store_from_fd(const std::string &command, uint64_t rest, int fd)
{
    transfer_with_fd(command, rest, fd, true);
}

void Session::transfer_with_fd(const std::string &command, uint64_t rest, int fd, bool upload)
{
    require_idle();
    set_type('I');
    Reply preliminary;
    std::unique_ptr<net::Stream> data = open_data_connection(command, rest, preliminary);
    const std::string context = redact_command(command);
    const net::SigpipeGuard no_sigpipe;
    try {
        if (upload)
            move_from_fd(*data, fd, chunk_size);
        else
            move_to_fd(*data, fd, chunk_size);
    } catch (const Error &e) {
        context_ = context;
        if (e.code() != FTP_E_FILE)
            after_data_failure(std::move(data), e);
        // The descriptor failed, the data connection did not: stop the
        // transfer with ABOR, as a callback's "stop" does, so the session
        // stays usable; a half-read file must not end as a complete-looking
        // upload either.  (after_data_failure() is [[noreturn]]: data was
        // not moved.)
        // cppcheck-suppress accessMoved
        stop_transfer(std::move(data), false);
        context_ = context;
        throw Error(FTP_E_FILE, e.message());
    }
    if (upload)
        data->finish_writing(deadline(FTP_TIMEOUT_CLOSE));
    data.reset();
    context_ = context;
    finish_transfer();
}

} // namespace ftpc
