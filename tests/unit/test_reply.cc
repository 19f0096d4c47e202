// The reply reader: RFC 959 4.2 framing and the caps (reliability.md 2 B).
#include "core/error.hh"
#include "core/reply.hh"
#include "scripted_network.hh"

// Last: cmocka defines macros (fail, ...) that clash with the C++ library.
#include "cmocka.hh"

using namespace ftpc;

namespace {

struct Outcome {
    int status = FTP_OK;
    bool breaks = false;
    Reply reply;
};

Outcome read_from(std::vector<std::string> chunks, ReplyLimits limits = {})
{
    test::ScriptedStream stream(std::move(chunks));
    LineReader reader(stream);
    Outcome out;
    try {
        out.reply = read_reply(reader, limits, net::Deadline::after_ms(1000));
    } catch (const Error &e) {
        out.status = e.code();
        out.breaks = e.breaks_session();
    }
    return out;
}

void single_line(void **)
{
    Outcome o = read_from({"220 Service ready\r\n"});
    assert_int_equal(o.status, FTP_OK);
    assert_int_equal(o.reply.code, 220);
    assert_string_equal(o.reply.text.c_str(), "220 Service ready");
}

void code_without_text(void **)
{
    Outcome o = read_from({"200\r\n"});
    assert_int_equal(o.status, FTP_OK);
    assert_int_equal(o.reply.code, 200);
}

void multi_line_with_inner_codes(void **)
{
    // "200 inner" and a repeated "211-" are text; only "211 " ends it.
    Outcome o = read_from({"211-Features:\r\n", " MDTM\r\n200 inner\r\n211-again\r\n\r\n", "211 End\r\n"});
    assert_int_equal(o.status, FTP_OK);
    assert_int_equal(o.reply.code, 211);
    assert_string_equal(o.reply.text.c_str(), "211-Features:\n MDTM\n200 inner\n211-again\n\n211 End");
}

void bare_lf_line_endings(void **)
{
    Outcome o = read_from({"230-hello\n230 done\n"});
    assert_int_equal(o.status, FTP_OK);
    assert_string_equal(o.reply.text.c_str(), "230-hello\n230 done");
}

void bare_cr_does_not_end_a_line(void **)
{
    // The CR is content; the stream then ends mid-line.
    Outcome o = read_from({"220 a\rb"});
    assert_int_equal(o.status, FTP_E_CLOSED);
    assert_true(o.breaks);
}

void byte_by_byte_delivery(void **)
{
    std::string text = "250-first\r\n250 last\r\n";
    std::vector<std::string> chunks;
    for (char c : text)
        chunks.emplace_back(1, c);
    Outcome o = read_from(chunks);
    assert_int_equal(o.status, FTP_OK);
    assert_string_equal(o.reply.text.c_str(), "250-first\n250 last");
}

void line_exactly_at_cap_then_over(void **)
{
    ReplyLimits limits;
    limits.max_line = 600;
    std::string at_cap = "550 " + std::string(596, 'x') + "\r\n";
    Outcome ok = read_from({at_cap}, limits);
    assert_int_equal(ok.status, FTP_OK);
    assert_int_equal(ok.reply.text.size(), 600);

    std::string over = "550 " + std::string(597, 'x') + "\r\n";
    Outcome bad = read_from({over}, limits);
    assert_int_equal(bad.status, FTP_E_PROTO);
    assert_true(bad.breaks);
}

void endless_line_without_lf_is_capped(void **)
{
    ReplyLimits limits;
    limits.max_line = 1024;
    std::vector<std::string> chunks(100, std::string(1000, 'a'));
    chunks.front().replace(0, 4, "220 ");
    Outcome o = read_from(chunks, limits);
    assert_int_equal(o.status, FTP_E_PROTO);
}

void too_many_lines(void **)
{
    ReplyLimits limits;
    limits.max_lines = 100;
    std::string text = "250-start\r\n";
    for (int i = 0; i < 150; i++)
        text += " line\r\n";
    text += "250 end\r\n";
    Outcome o = read_from({text}, limits);
    assert_int_equal(o.status, FTP_E_PROTO);
    assert_true(o.breaks);
}

void too_many_bytes(void **)
{
    ReplyLimits limits;
    limits.max_bytes = 1000;
    std::string text = "250-start\r\n";
    for (int i = 0; i < 20; i++)
        text += " " + std::string(99, 'y') + "\r\n";
    text += "250 end\r\n";
    Outcome o = read_from({text}, limits);
    assert_int_equal(o.status, FTP_E_PROTO);
}

void nul_in_reply(void **)
{
    Outcome o = read_from({std::string("220 a\0b\r\n", 9)});
    assert_int_equal(o.status, FTP_E_PROTO);
    assert_true(o.breaks);
}

void malformed_codes(void **)
{
    const char *bad[] = {"2000 ok\r\n", "20 ok\r\n", "abc\r\n", " 220 x\r\n", "\r\n", "22a x\r\n", "220x\r\n"};
    for (const char *line : bad) {
        Outcome o = read_from({line});
        if (o.status != FTP_E_PROTO)
            fail_msg("\"%s\" was accepted", line);
        assert_true(o.breaks);
    }
}

// Three digits outside RFC 959's classes are still a framed reply: the
// reader returns it (ftplib parses "999" and "631 x" the same way), and
// fail_reply() makes it FTP_E_PROTO without breaking the session.
void codes_outside_the_classes_are_framed(void **)
{
    const char *odd[] = {"999 x\r\n", "600 x\r\n", "631 protected\r\n", "000\r\n", "999\r\n"};
    for (const char *line : odd) {
        Outcome o = read_from({line});
        if (o.status != FTP_OK)
            fail_msg("\"%s\" was refused", line);
        try {
            fail_reply(o.reply.code, o.reply.text);
            fail_msg("fail_reply returned");
        } catch (const Error &e) {
            assert_int_equal(e.code(), FTP_E_PROTO);
            assert_false(e.breaks_session());
        }
    }
}

void eof_before_reply(void **)
{
    Outcome o = read_from({});
    assert_int_equal(o.status, FTP_E_CLOSED);
}

void eof_inside_multi_line(void **)
{
    Outcome o = read_from({"211-start\r\n more\r\n"});
    assert_int_equal(o.status, FTP_E_CLOSED);
}

void two_replies_read_in_turn(void **)
{
    test::ScriptedStream stream({"150 opening\r\n226 done\r\n"});
    LineReader reader(stream);
    ReplyLimits limits;
    Reply first = read_reply(reader, limits, net::Deadline::after_ms(1000));
    assert_int_equal(first.code, 150);
    assert_true(reader.has_buffered());
    Reply second = read_reply(reader, limits, net::Deadline::after_ms(1000));
    assert_int_equal(second.code, 226);
    assert_false(reader.has_buffered());
}

void reply_start_parser(void **)
{
    int code = 0;
    bool more = false;
    assert_true(parse_reply_start("150-x", code, more));
    assert_int_equal(code, 150);
    assert_true(more);
    assert_true(parse_reply_start("550", code, more));
    assert_false(more);
    assert_false(parse_reply_start("55", code, more));
    assert_false(parse_reply_start("0550 x", code, more));
}

} // namespace

int main()
{
    const CMUnitTest tests[] = {
        cmocka_unit_test(single_line),
        cmocka_unit_test(code_without_text),
        cmocka_unit_test(multi_line_with_inner_codes),
        cmocka_unit_test(bare_lf_line_endings),
        cmocka_unit_test(bare_cr_does_not_end_a_line),
        cmocka_unit_test(byte_by_byte_delivery),
        cmocka_unit_test(line_exactly_at_cap_then_over),
        cmocka_unit_test(endless_line_without_lf_is_capped),
        cmocka_unit_test(too_many_lines),
        cmocka_unit_test(too_many_bytes),
        cmocka_unit_test(nul_in_reply),
        cmocka_unit_test(malformed_codes),
        cmocka_unit_test(codes_outside_the_classes_are_framed),
        cmocka_unit_test(eof_before_reply),
        cmocka_unit_test(eof_inside_multi_line),
        cmocka_unit_test(two_replies_read_in_turn),
        cmocka_unit_test(reply_start_parser),
    };
    return cmocka_run_group_tests(tests, nullptr, nullptr);
}
