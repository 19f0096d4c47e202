// Fails every allocation in turn during connect, login, PWD, RETR, LIST and QUIT
// (traced)
// against a real pyftpdlib (reliability.md 2 J.84, curl's "torture" mode):
// each failure must come back as FTP_E_NOMEM (or a NULL session), never a
// crash, a leak (the ASan and valgrind lanes run this too) or a double free;
// and the same session must then reconnect and work.
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

extern "C" {
#include "test_server.h"
}
#include <ftpc/ftpc.h>

#include "failing_allocator.hh"

// Last: cmocka defines macros (fail, ...) that clash with the C++ library.
#include <cstdarg>
#include <csetjmp>
extern "C" {
#include <cmocka.h>
}

namespace {

constexpr size_t max_allocations = 100000;
constexpr size_t file_size = 200000;

struct Server {
    test_server proc;
    std::string root;
};

Server server;

int discard(const void *, size_t, void *) { return 0; }
int ignore_line(const char *, size_t, void *) { return 0; }
void ignore_trace(int, const char *, size_t, void *) {}

int start_server(void **)
{
    char root[4096];
    test_make_dir("alloc-failure", root, sizeof root);
    server.root = root;
    std::string file = server.root + "/file.bin";
    FILE *f = std::fopen(file.c_str(), "wb");
    if (f == nullptr)
        return -1;
    for (size_t i = 0; i < file_size; i++)
        std::fputc(static_cast<int>(i * 7 % 251), f);
    std::fclose(f);
    std::string script = std::string(test_env("FTPC_TEST_SERVERS")) + "/pyftpdlib_server.py";
    const char *argv[] = {test_env("FTPC_TEST_PYTHON"), script.c_str(), "--root", root, nullptr};
    return test_server_start(&server.proc, argv, 20000);
}

int stop_server(void **)
{
    test_server_stop(&server.proc);
    return 0;
}

// One run of the sequence; returns the first failing status (FTP_OK if all
// succeeded) and which step it was.
int run_sequence(ftp_session *s, const char **step)
{
    int rc;
    *step = "ftp_set_timeout_ms";
    if ((rc = ftp_set_timeout_ms(s, 10000)) != FTP_OK)
        return rc;
    // Tracing builds strings of its own: let those fail too.
    *step = "ftp_set_trace_fn";
    if ((rc = ftp_set_trace_fn(s, ignore_trace, nullptr, nullptr)) != FTP_OK ||
        (rc = ftp_set_debuglevel(s, 2)) != FTP_OK)
        return rc;
    *step = "ftp_connect";
    if ((rc = ftp_connect(s, "127.0.0.1", server.proc.port)) != FTP_OK)
        return rc;
    *step = "ftp_login";
    if ((rc = ftp_login(s, "alice", "s3cret", nullptr)) != FTP_OK)
        return rc;
    *step = "ftp_pwd";
    const char *cwd = nullptr;
    if ((rc = ftp_pwd(s, &cwd)) != FTP_OK)
        return rc;
    *step = "ftp_retrbinary";
    if ((rc = ftp_retrbinary(s, "RETR file.bin", 0, 0, discard, nullptr)) != FTP_OK)
        return rc;
    *step = "ftp_dir";
    if ((rc = ftp_dir(s, nullptr, ignore_line, nullptr)) != FTP_OK)
        return rc;
    *step = "ftp_quit";
    return ftp_quit(s);
}

void every_allocation_failure_is_clean(void **)
{
    size_t failures = 0;
    for (size_t n = 1; n < max_allocations; n++) {
        ftpc::test::fail_allocation(n);
        ftp_session *s = ftp_session_new();
        if (s == nullptr) {
            bool out_of_memory = ftpc::test::allocation_failed();
            ftpc::test::fail_allocation(0);
            assert_true(out_of_memory); // NULL only for lack of memory
            failures++;
            continue;
        }
        const char *step = "";
        int rc = run_sequence(s, &step);
        bool failed = ftpc::test::allocation_failed();
        ftpc::test::fail_allocation(0);

        if (!failed) {
            // The whole sequence fit in fewer than n allocations: done.
            assert_int_equal(rc, FTP_OK);
            ftp_session_free(s);
            std::printf("ok: %zu allocation failures injected, each clean; the sequence needs %zu allocations\n",
                        failures, n - 1);
            assert_int_equal(failures, n - 1); // every allocation of the sequence failed once
            return;
        }
        failures++;
        if (rc != FTP_E_NOMEM) {
            fail_msg("allocation %zu failed in %s, which returned %s (%s), not FTP_E_NOMEM", n, step,
                     ftp_error_name(rc), ftp_last_error(s));
        }
        assert_non_null(ftp_last_error(s));
        // The session is still a session: it reconnects and works.
        const char *again = "";
        int retry = run_sequence(s, &again);
        if (retry != FTP_OK)
            fail_msg("after failing allocation %zu in %s, a clean rerun failed in %s: %s", n, step, again,
                     ftp_last_error(s));
        ftp_session_free(s);
    }
    fail_msg("the sequence never completed within %zu allocations", max_allocations);
}

} // namespace

int main()
{
    const CMUnitTest tests[] = {cmocka_unit_test(every_allocation_failure_is_clean)};
    return cmocka_run_group_tests(tests, start_server, stop_server);
}
