// Transfers, listings and data streams: C callbacks adapted to the core.
#include <string>
#include <vector>

#include "api/handles.hh"
#include "core/command.hh"

using ftpc::Error;
using ftpc::Session;
using ftpc::api::guard;
using ftpc::api::require;

namespace {

void check_command(const char *cmd)
{
    ftpc::check_arg("the command", cmd);
    require(*cmd != '\0', "the command is empty");
}

// Runs a line-based transfer, handing each line to a C callback.
ftpc::LineSink line_sink(ftp_line_fn fn, void *userdata)
{
    return [fn, userdata](const std::string &line) { return fn(line.c_str(), line.size(), userdata) == 0; };
}

ftpc::BlockSource block_source(ftp_source_fn source, void *userdata)
{
    return [source, userdata](char *buf, size_t cap, size_t &len) {
        len = 0;
        return source(buf, cap, &len, userdata) == 0;
    };
}

} // namespace

extern "C" {

FTP_API int ftp_retrbinary(ftp_session *s, const char *cmd, size_t blocksize, uint64_t rest, ftp_sink_fn sink,
                           void *userdata)
{
    return guard(s, [&](Session &session) {
        check_command(cmd);
        require(sink != nullptr, "the sink callback is NULL");
        session.retrieve_binary(cmd, blocksize, rest, [sink, userdata](const char *data, size_t len) {
            return sink(data, len, userdata) == 0;
        });
    });
}

FTP_API int ftp_retrlines(ftp_session *s, const char *cmd, ftp_line_fn fn, void *userdata)
{
    return guard(s, [&](Session &session) {
        check_command(cmd);
        require(fn != nullptr, "the line callback is NULL");
        session.retrieve_lines(cmd, line_sink(fn, userdata));
    });
}

FTP_API int ftp_storbinary(ftp_session *s, const char *cmd, size_t blocksize, uint64_t rest, ftp_source_fn source,
                           void *userdata)
{
    return guard(s, [&](Session &session) {
        check_command(cmd);
        require(source != nullptr, "the source callback is NULL");
        session.store_binary(cmd, blocksize, rest, block_source(source, userdata));
    });
}

FTP_API int ftp_storlines(ftp_session *s, const char *cmd, ftp_source_fn source, void *userdata)
{
    return guard(s, [&](Session &session) {
        check_command(cmd);
        require(source != nullptr, "the source callback is NULL");
        session.store_lines(cmd, block_source(source, userdata));
    });
}

FTP_API int ftp_retr_fd(ftp_session *s, const char *cmd, uint64_t rest, int fd)
{
    return guard(s, [&](Session &session) {
        check_command(cmd);
        require(fd >= 0, "the file descriptor is negative");
        session.retrieve_to_fd(cmd, rest, fd);
    });
}

FTP_API int ftp_stor_fd(ftp_session *s, const char *cmd, uint64_t rest, int fd)
{
    return guard(s, [&](Session &session) {
        check_command(cmd);
        require(fd >= 0, "the file descriptor is negative");
        session.store_from_fd(cmd, rest, fd);
    });
}

FTP_API int ftp_transfercmd(ftp_session *s, const char *cmd, uint64_t rest, ftp_data **out, uint64_t *size)
{
    std::optional<uint64_t> announced;
    int status = guard(s, [&](Session &session) {
        check_command(cmd);
        require(out != nullptr, "the output pointer is NULL");
        announced = session.open_data_stream(cmd, rest);
    });
    if (status == FTP_OK) {
        *out = &s->data;
        if (size != nullptr)
            *size = announced.value_or(FTP_SIZE_UNKNOWN);
    }
    return status;
}

FTP_API int ftp_data_read(ftp_data *d, void *buf, size_t cap, size_t *nread)
{
    if (d == nullptr)
        return FTP_E_INVALID;
    size_t n = 0;
    int status = guard(d->owner, [&](Session &session) {
        require(buf != nullptr || cap == 0, "the buffer is NULL");
        require(nread != nullptr, "the count pointer is NULL");
        n = session.data_read(buf, cap);
    });
    if (status == FTP_OK)
        *nread = n;
    return status;
}

FTP_API int ftp_data_write(ftp_data *d, const void *buf, size_t len)
{
    if (d == nullptr)
        return FTP_E_INVALID;
    return guard(d->owner, [&](Session &session) {
        require(buf != nullptr || len == 0, "the buffer is NULL");
        session.data_write(buf, len);
    });
}

FTP_API int ftp_data_close(ftp_data *d)
{
    if (d == nullptr)
        return FTP_E_INVALID;
    return guard(d->owner, [&](Session &session) { session.data_close(); });
}

FTP_API ftp_session *ftp_data_session(const ftp_data *d)
{
    return d == nullptr ? nullptr : d->owner;
}

FTP_API int ftp_mlsd(ftp_session *s, const char *path, const char *const *facts, ftp_mlsd_fn fn, void *userdata)
{
    return guard(s, [&](Session &session) {
        ftpc::check_arg("the path", path, false);
        require(fn != nullptr, "the entry callback is NULL");
        std::vector<std::string> fact_list;
        for (const char *const *f = facts; f != nullptr && *f != nullptr; f++) {
            ftpc::check_arg("a fact name", *f);
            require(std::string(*f).find_first_of("; ") == std::string::npos, "a fact name contains ';' or ' '");
            fact_list.emplace_back(*f);
        }
        std::vector<const char *> keys;
        std::vector<const char *> values;
        session.mlsd(path != nullptr ? path : "", fact_list, [&](const ftpc::MlsdEntry &entry) {
            keys.clear();
            values.clear();
            for (const auto &kv : entry.facts) {
                keys.push_back(kv.first.c_str());
                values.push_back(kv.second.c_str());
            }
            return fn(entry.name.c_str(), keys.size(), keys.data(), values.data(), userdata) == 0;
        });
    });
}

FTP_API int ftp_nlst(ftp_session *s, const char *path, ftp_line_fn fn, void *userdata)
{
    return guard(s, [&](Session &session) {
        ftpc::check_arg("the path", path, false);
        require(fn != nullptr, "the line callback is NULL");
        session.retrieve_lines(ftpc::make_command("NLST", path != nullptr ? path : ""), line_sink(fn, userdata));
    });
}

FTP_API int ftp_dir(ftp_session *s, const char *path, ftp_line_fn fn, void *userdata)
{
    return guard(s, [&](Session &session) {
        ftpc::check_arg("the path", path, false);
        require(fn != nullptr, "the line callback is NULL");
        session.retrieve_lines(ftpc::make_command("LIST", path != nullptr ? path : ""), line_sink(fn, userdata));
    });
}

} // extern "C"
