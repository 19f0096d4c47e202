// Regression (found by fuzz_reply): a last line cut by the end of the stream
// and ending in CR came back one byte over the line cap, because the CR was
// still taken for the first half of a CR LF that could no longer come.
#include "core/error.hh"
#include "core/line_reader.hh"
#include "scripted_network.hh"

// Last: cmocka defines macros (fail, ...) that clash with the C++ library.
#include "cmocka.hh"

using namespace ftpc;

namespace {

struct Read {
    int status = FTP_OK;
    LineReader::Result result = LineReader::Result::eof;
    std::string line;
};

Read read_one(std::vector<std::string> chunks, size_t max_line)
{
    test::ScriptedStream stream(std::move(chunks));
    LineReader reader(stream);
    Read r;
    try {
        r.result = reader.read_line(r.line, max_line, net::Deadline::after_ms(1000));
    } catch (const Error &e) {
        r.status = e.code();
    }
    return r;
}

void partial_line_with_cr_over_cap_is_refused(void **)
{
    Read r = read_one({"abcd\r"}, 4);
    assert_int_equal(r.status, FTP_E_PROTO);
    // The same bytes in other chunks.
    r = read_one({"ab", "cd", "\r"}, 4);
    assert_int_equal(r.status, FTP_E_PROTO);
}

void partial_line_with_cr_at_cap_is_returned(void **)
{
    Read r = read_one({"abc\r"}, 4);
    assert_int_equal(r.status, FTP_OK);
    assert_int_equal(r.result, LineReader::Result::partial);
    assert_string_equal(r.line.c_str(), "abc\r");
}

void complete_line_at_cap_is_returned(void **)
{
    Read r = read_one({"abcd\r", "\n"}, 4);
    assert_int_equal(r.status, FTP_OK);
    assert_int_equal(r.result, LineReader::Result::line);
    assert_string_equal(r.line.c_str(), "abcd");
}

} // namespace

int main()
{
    const CMUnitTest tests[] = {
        cmocka_unit_test(partial_line_with_cr_over_cap_is_refused),
        cmocka_unit_test(partial_line_with_cr_at_cap_is_returned),
        cmocka_unit_test(complete_line_at_cap_is_returned),
    };
    return cmocka_run_group_tests(tests, nullptr, nullptr);
}
