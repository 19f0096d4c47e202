#include "core/line_reader.hh"

#include <algorithm>
#include <cstring>

#include "core/error.hh"

namespace ftpc {

namespace {
constexpr size_t read_chunk = 16384;
}

LineReader::Result LineReader::read_line(std::string &out, size_t max_line, const net::Deadline &deadline)
{
    out.clear();
    size_t scanned = start_;
    for (;;) {
        auto begin = buf_.begin() + static_cast<std::ptrdiff_t>(scanned);
        auto lf = std::find(begin, buf_.end(), '\n');
        if (lf != buf_.end()) {
            size_t end = static_cast<size_t>(lf - buf_.begin());
            size_t len = end - start_;
            if (len > 0 && buf_[end - 1] == '\r')
                len--;
            if (len > max_line)
                throw Error(FTP_E_PROTO, "a line of " + std::to_string(len) + " bytes exceeds the limit of " +
                                             std::to_string(max_line));
            out.assign(buf_.data() + start_, len);
            start_ = end + 1;
            return Result::line;
        }
        // The line so far, less a CR that may yet precede an LF.
        size_t pending = buf_.size() - start_;
        size_t content = pending > 0 && buf_.back() == '\r' ? pending - 1 : pending;
        if (content > max_line)
            throw Error(FTP_E_PROTO, "a line exceeds the limit of " + std::to_string(max_line) +
                                         " bytes without ending");
        scanned = buf_.size();

        // Compact before growing so memory stays bounded by the cap.
        if (start_ > 0) {
            buf_.erase(buf_.begin(), buf_.begin() + static_cast<std::ptrdiff_t>(start_));
            scanned -= start_;
            start_ = 0;
        }
        size_t old = buf_.size();
        buf_.resize(old + read_chunk);
        size_t n = stream_->read_some(buf_.data() + old, read_chunk, deadline);
        buf_.resize(old + n);
        received_ += n;
        if (n == 0) {
            if (buf_.size() == start_)
                return Result::eof;
            // At the end of the stream a final CR ends nothing: it is content
            // and counts against the cap like any other byte.
            if (buf_.size() - start_ > max_line)
                throw Error(FTP_E_PROTO, "a line exceeds the limit of " + std::to_string(max_line) +
                                             " bytes without ending");
            out.assign(buf_.data() + start_, buf_.size() - start_);
            start_ = buf_.size();
            return Result::partial;
        }
    }
}

size_t LineReader::take_buffered(void *dst, size_t cap)
{
    size_t n = std::min(cap, buf_.size() - start_);
    std::memcpy(dst, buf_.data() + start_, n);
    start_ += n;
    if (start_ == buf_.size()) {
        buf_.clear();
        start_ = 0;
    }
    return n;
}

} // namespace ftpc
