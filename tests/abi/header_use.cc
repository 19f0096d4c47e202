/*
 * Compiled as C++11, C++17 and C++20 with -Wall -Wextra -pedantic -Werror
 * (and the project's C++ warnings): proves that <ftpc/ftpc.h> is a clean
 * C++ header whose functions have C linkage — this program links against
 * the shared library by their unmangled names — and that the library
 * agrees with the header's version.
 */
#include <ftpc/ftpc.h>

#include <cstdio>
#include <cstring>

extern "C" {

static int sink(const void *, size_t, void *)
{
    return 0;
}

static int source(void *, size_t, size_t *out_len, void *)
{
    *out_len = 0;
    return 0;
}

static int line(const char *, size_t, void *)
{
    return 0;
}

static int entry(const char *, size_t, const char *const *, const char *const *, void *)
{
    return 0;
}

static void trace(int, const char *, size_t, void *)
{
}

static void destroy(void *)
{
}

} // extern "C"

int main()
{
    ftp_sink_fn sink_fn = sink;
    ftp_source_fn source_fn = source;
    ftp_line_fn line_fn = line;
    ftp_mlsd_fn mlsd_fn = entry;
    ftp_trace_fn trace_fn = trace;
    ftp_destroy_fn destroy_fn = destroy;
    ftp_timeout_phase phase = FTP_TIMEOUT_REPLY;
    ftp_limit limit = FTP_LIMIT_LINE;
    ftp_data_mode mode = FTP_DATA_AUTO;
    ftp_data *data = nullptr;
    int failures = 0;

    static_cast<void>(sink_fn);
    static_cast<void>(source_fn);
    static_cast<void>(line_fn);
    static_cast<void>(mlsd_fn);
    static_cast<void>(data);

    // FTP_VERSION_NUMBER itself is left to check_headers.py: its C casts
    // would trip -Wold-style-cast here and break the build, not a test.
    const uint32_t header_version = static_cast<uint32_t>(FTP_VERSION_MAJOR) << 16 |
                                    static_cast<uint32_t>(FTP_VERSION_MINOR) << 8 |
                                    static_cast<uint32_t>(FTP_VERSION_MICRO);
    if (ftp_version() != header_version ||
        std::strcmp(ftp_version_string(), FTP_VERSION_STRING) != 0) {
        std::fprintf(stderr, "library %s does not match header %s\n", ftp_version_string(),
                     FTP_VERSION_STRING);
        failures++;
    }
    ftp_session *s = ftp_session_new();
    if (s == nullptr)
        return 1;
    if (ftp_set_trace_fn(s, trace_fn, nullptr, destroy_fn) != FTP_OK ||
        ftp_set_phase_timeout_ms(s, phase, 1000) != FTP_OK ||
        ftp_set_limit(s, limit, 4096) != FTP_OK || ftp_set_data_mode(s, mode) != FTP_OK ||
        ftp_voidcmd(s, "NOOP") != FTP_E_STATE) {
        std::fprintf(stderr, "calls through the header failed: %s\n", ftp_last_error(s));
        failures++;
    }
    ftp_session_free(s);
    return failures == 0 ? 0 : 1;
}
