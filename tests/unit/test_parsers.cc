// Reply payload parsers (reliability.md 2 C, D, I) and command building (A).
#include <functional>

#include "core/command.hh"
#include "core/error.hh"
#include "core/parsers.hh"

// Last: cmocka defines macros (fail, ...) that clash with the C++ library.
#include "cmocka.hh"

using namespace ftpc;

namespace {

int status_of(const std::function<void()> &fn)
{
    try {
        fn();
    } catch (const Error &e) {
        assert_false(e.breaks_session()); // payload errors leave the session in step
        return e.code();
    }
    return FTP_OK;
}

void epsv_valid_forms(void **)
{
    assert_int_equal(parse_229_port("229 Entering Extended Passive Mode (|||6446|)"), 6446);
    assert_int_equal(parse_229_port("229 ok (!!!6446!)"), 6446);
    // An address in the reply is ignored, never used.
    assert_int_equal(parse_229_port("229 ok (|1|10.0.0.1|6446|)"), 6446);
    assert_int_equal(parse_229_port("229 ok (|||65535|)"), 65535);
}

void epsv_invalid_forms(void **)
{
    const char *bad[] = {"229 ok (|||0|)",       "229 ok (|||1000000|)", "229 ok (|||65536|)", "229 ok (|||12a|)",
                         "229 ok |||6446|",      "229 ok (||6446|)",     "229 ok (|||6446!)",  "229 ok (|||-5|)",
                         "229 ok (1116441)",     "229 ok (|||6446|",     "229 ok ()",          "229 ok (|||  |)"};
    for (const char *reply : bad)
        if (status_of([&] { parse_229_port(reply); }) != FTP_E_PROTO)
            fail_msg("accepted \"%s\"", reply);
}

void pasv_valid_forms(void **)
{
    PasvTarget t = parse_227("227 Entering Passive Mode (127,0,0,1,4,1)");
    assert_int_equal(t.ip[0], 127);
    assert_int_equal(t.ip[3], 1);
    assert_int_equal(t.port, 1025);
    // Without parentheses, and with text around the numbers.
    t = parse_227("227 passively listen to 10,1,2,3,200,7 now");
    assert_int_equal(t.ip[0], 10);
    assert_int_equal(t.port, 200 * 256 + 7);
    t = parse_227("227 =192,168,0,1,255,255");
    assert_int_equal(t.port, 65535);
}

void pasv_invalid_forms(void **)
{
    const char *bad[] = {"227 (1216,256,2,127,127,127)", "227 (127,0,0,1,0,0)", "227 (127,0,0,1,4)",
                         "227 (127,0,0,1,-4,1)",         "227 no numbers here", "227 (127,0,0,1,4,256)",
                         "227 (99999999999,0,0,1,4,1)"};
    for (const char *reply : bad)
        if (status_of([&] { parse_227(reply); }) != FTP_E_PROTO)
            fail_msg("accepted \"%s\"", reply);
}

void pwd_257_forms(void **)
{
    assert_string_equal(parse_257("257 \"/a\"\"b\" created").c_str(), "/a\"b");
    assert_string_equal(parse_257("257 \"\"").c_str(), "");
    assert_string_equal(parse_257("257 \"/home/user\" is cwd").c_str(), "/home/user");
    // ftplib returns '' when no quoted path follows the code directly.
    assert_string_equal(parse_257("257 rubbish \"/p\"").c_str(), "");
    assert_string_equal(parse_257("257 \"/sp ace\"").c_str(), "/sp ace");
}

void pwd_257_invalid(void **)
{
    assert_int_equal(status_of([] { parse_257("257 \"/abc"); }), FTP_E_PROTO);
    assert_int_equal(status_of([] { parse_257("257 \"/a\x03z\""); }), FTP_E_PROTO);
    assert_int_equal(status_of([] { parse_257("257 \"/a\rz\""); }), FTP_E_PROTO);
    // The quote must close on the first line.
    assert_int_equal(status_of([] { parse_257("257-\"/abc\n257 \" end"); }), FTP_OK);
    assert_int_equal(status_of([] { parse_257("257 \"/abc\n257 end\""); }), FTP_E_PROTO);
    assert_int_equal(status_of([] { parse_257("250 \"/x\""); }), FTP_E_PROTO);
}

void size_213(void **)
{
    assert_true(parse_213_size("213 51") == 51);
    assert_true(parse_213_size("213 0") == 0);
    assert_true(parse_213_size("213 18446744073709551615") == UINT64_MAX);
    assert_true(parse_213_size("213  42 ") == 42);
    const char *bad[] = {"213 file: 213, Size =51", "213 -5", "213 99999999999999999999",
                         "213 18446744073709551616", "213 12abc", "213 ", "213", "212 5"};
    for (const char *reply : bad)
        if (status_of([&] { parse_213_size(reply); }) != FTP_E_PROTO)
            fail_msg("accepted \"%s\"", reply);
}

void size_hint_150(void **)
{
    assert_true(parse_150_size("150 Opening BINARY mode data connection for f (1234 bytes)") == 1234u);
    assert_true(parse_150_size("150 Opening data connection for a (b) (77 BYTES)") == 77u);
    assert_false(parse_150_size("150 Opening data connection").has_value());
    assert_false(parse_150_size("150 (12x bytes)").has_value());
    assert_false(parse_150_size("125 Transfer starting (10 bytes)").has_value());
    assert_false(parse_150_size("150 x (99999999999999999999999 bytes)").has_value());
}

void mlsd_lines(void **)
{
    MlsdEntry e = parse_mlsd_line("Type=file;Size=10;UNIX.mode=0644; my file;name.txt");
    assert_string_equal(e.name.c_str(), "my file;name.txt");
    assert_int_equal(e.facts.size(), 3);
    assert_string_equal(e.facts[0].first.c_str(), "type");
    assert_string_equal(e.facts[0].second.c_str(), "file");
    assert_string_equal(e.facts[2].first.c_str(), "unix.mode");

    e = parse_mlsd_line("type=file;x-hash=a=b=c; f");
    assert_string_equal(e.facts[1].second.c_str(), "a=b=c");

    e = parse_mlsd_line("type=dir; ");
    assert_string_equal(e.name.c_str(), "");

    // As Python: "type=dir;".partition(' ') -> name "" and facts "type=dir".
    e = parse_mlsd_line("type=dir;");
    assert_string_equal(e.name.c_str(), "");
    assert_int_equal(e.facts.size(), 1);
    assert_string_equal(e.facts[0].second.c_str(), "dir");
}

void command_arguments(void **)
{
    assert_int_equal(status_of([] { check_arg("path", "a\r\nDELE x"); }), FTP_E_INVALID);
    assert_int_equal(status_of([] { check_arg("path", "\n"); }), FTP_E_INVALID);
    assert_int_equal(status_of([] { check_arg("path", "\r"); }), FTP_E_INVALID);
    assert_int_equal(status_of([] { check_arg("path", nullptr); }), FTP_E_INVALID);
    assert_int_equal(status_of([] { check_arg("path", nullptr, false); }), FTP_OK);
    assert_int_equal(status_of([] { check_arg("path", "dir with space/ü"); }), FTP_OK);
    assert_string_equal(make_command("NLST", "").c_str(), "NLST");
    assert_string_equal(make_command("NLST", "x y").c_str(), "NLST x y");
}

void trace_masks_secrets(void **)
{
    assert_string_equal(redact_command("PASS hunter2").c_str(), "PASS ****");
    assert_string_equal(redact_command("pass hunter2").c_str(), "pass ****");
    assert_string_equal(redact_command("ACCT money").c_str(), "ACCT ****");
    assert_string_equal(redact_command("USER alice").c_str(), "USER alice");
    assert_string_equal(redact_command("PASSIVE").c_str(), "PASSIVE");
}

} // namespace

int main()
{
    const CMUnitTest tests[] = {
        cmocka_unit_test(epsv_valid_forms),  cmocka_unit_test(epsv_invalid_forms), cmocka_unit_test(pasv_valid_forms),
        cmocka_unit_test(pasv_invalid_forms), cmocka_unit_test(pwd_257_forms),      cmocka_unit_test(pwd_257_invalid),
        cmocka_unit_test(size_213),          cmocka_unit_test(size_hint_150),      cmocka_unit_test(mlsd_lines),
        cmocka_unit_test(command_arguments), cmocka_unit_test(trace_masks_secrets),
    };
    return cmocka_run_group_tests(tests, nullptr, nullptr);
}
