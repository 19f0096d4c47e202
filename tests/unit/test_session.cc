// The session state machine on a scripted control connection: exact bytes
// out, status and session state after each reply.
#include <functional>

#include "core/session.hh"
#include "scripted_network.hh"

// Last: cmocka defines macros (fail, ...) that clash with the C++ library.
#include "cmocka.hh"

using namespace ftpc;

namespace {

struct Rig {
    test::ScriptedStream *control = nullptr;
    std::shared_ptr<std::string> sent;
    std::unique_ptr<Session> session;
};

Rig connect_with(std::vector<std::string> server_bytes)
{
    Rig rig;
    auto stream = std::make_unique<test::ScriptedStream>(std::move(server_bytes));
    rig.control = stream.get();
    rig.sent = stream->sent;
    auto owned = std::make_shared<std::unique_ptr<test::ScriptedStream>>(std::move(stream));
    rig.session = std::make_unique<Session>([owned](const net::Canceller &) {
        return std::make_unique<test::ScriptedNetwork>(std::move(*owned));
    });
    rig.session->connect("scripted", 21);
    return rig;
}

int status_of(Session &session, const std::function<void()> &fn)
{
    try {
        fn();
    } catch (const Error &e) {
        return session.record_failure(e);
    }
    return FTP_OK;
}

void welcome_and_login(void **)
{
    Rig rig = connect_with({"220-Welcome\r\n220 ready\r\n", "331 password\r\n", "230 in\r\n"});
    assert_string_equal(rig.session->welcome()->c_str(), "220-Welcome\n220 ready");
    rig.session->login("alice", "s3cret", nullptr);
    assert_string_equal(rig.sent->c_str(), "USER alice\r\nPASS s3cret\r\n");
}

void anonymous_login_defaults(void **)
{
    Rig rig = connect_with({"220 hi\r\n", "331 pw\r\n", "230 in\r\n"});
    rig.session->login(nullptr, nullptr, nullptr);
    assert_string_equal(rig.sent->c_str(), "USER anonymous\r\nPASS anonymous@\r\n");
}

void login_asks_for_account(void **)
{
    Rig rig = connect_with({"220 hi\r\n", "331 pw\r\n", "332 account\r\n", "230 in\r\n"});
    rig.session->login("bob", "pw", "acct1");
    assert_string_equal(rig.sent->c_str(), "USER bob\r\nPASS pw\r\nACCT acct1\r\n");
}

void login_refused(void **)
{
    Rig rig = connect_with({"220 hi\r\n", "331 pw\r\n", "530 Login incorrect\r\n"});
    int rc = status_of(*rig.session, [&] { rig.session->login("bob", "bad", nullptr); });
    assert_int_equal(rc, FTP_E_PERM);
    assert_string_equal(rig.session->last_error().c_str(), "PASS ****: 530 Login incorrect");
    assert_int_equal(rig.session->last_reply_code(), 530);
}

void banner_120_then_220(void **)
{
    Rig rig = connect_with({"120 wait a minute\r\n", "220 ready now\r\n"});
    assert_string_equal(rig.session->welcome()->c_str(), "220 ready now");
}

void injection_refused_before_sending(void **)
{
    Rig rig = connect_with({"220 hi\r\n"});
    int rc = status_of(*rig.session, [&] { rig.session->login("a\r\nDELE x", "p", nullptr); });
    assert_int_equal(rc, FTP_E_INVALID);
    assert_string_equal(rig.sent->c_str(), "");
}

void reply_421_breaks_the_session(void **)
{
    Rig rig = connect_with({"220 hi\r\n", "421 shutting down\r\n"});
    int rc = status_of(*rig.session, [&] { rig.session->voidcmd("NOOP"); });
    assert_int_equal(rc, FTP_E_TEMP);
    rc = status_of(*rig.session, [&] { rig.session->voidcmd("NOOP"); });
    assert_int_equal(rc, FTP_E_STATE);
}

void unsolicited_reply_breaks_the_session(void **)
{
    Rig rig = connect_with({"220 hi\r\n", "200 surprise\r\n"});
    rig.control->unsolicited = true;
    int rc = status_of(*rig.session, [&] { rig.session->voidcmd("NOOP"); });
    assert_int_equal(rc, FTP_E_PROTO);
    assert_string_equal(rig.sent->c_str(), "");
    assert_int_equal(status_of(*rig.session, [&] { rig.session->pwd(); }), FTP_E_STATE);
}

void cdup_falls_back_to_cwd(void **)
{
    Rig rig = connect_with({"220 hi\r\n", "500 CDUP unknown\r\n", "250 ok\r\n"});
    rig.session->cwd("..");
    assert_string_equal(rig.sent->c_str(), "CDUP\r\nCWD ..\r\n");
}

void pwd_and_mkd_parse_257(void **)
{
    Rig rig = connect_with({"220 hi\r\n", "257 \"/a\"\"b\" is cwd\r\n", "257 \"/new\" created\r\n",
                            "250 made it\r\n"});
    assert_string_equal(rig.session->pwd().c_str(), "/a\"b");
    assert_string_equal(rig.session->mkd("new").c_str(), "/new");
    assert_string_equal(rig.session->mkd("other").c_str(), "");
}

void size_reply_checked(void **)
{
    Rig rig = connect_with({"220 hi\r\n", "213 1234\r\n", "213 12abc\r\n", "200 NOOP ok\r\n"});
    assert_true(rig.session->size("f") == 1234);
    assert_int_equal(status_of(*rig.session, [&] { rig.session->size("g"); }), FTP_E_PROTO);
    // A malformed payload does not break the session.
    rig.session->voidcmd("NOOP");
}

void rename_needs_350(void **)
{
    Rig rig = connect_with({"220 hi\r\n", "250 odd\r\n"});
    int rc = status_of(*rig.session, [&] { rig.session->rename("a", "b"); });
    assert_int_equal(rc, FTP_E_REPLY);
    assert_string_equal(rig.sent->c_str(), "RNFR a\r\n");
}

void closed_connection_breaks(void **)
{
    Rig rig = connect_with({"220 hi\r\n"});
    int rc = status_of(*rig.session, [&] { rig.session->voidcmd("NOOP"); });
    assert_int_equal(rc, FTP_E_CLOSED);
    assert_int_equal(status_of(*rig.session, [&] { rig.session->voidcmd("NOOP"); }), FTP_E_STATE);
}

void quit_closes_even_on_error(void **)
{
    Rig rig = connect_with({"220 hi\r\n", "500 what\r\n"});
    assert_int_equal(status_of(*rig.session, [&] { rig.session->quit(); }), FTP_E_PERM);
    assert_int_equal(status_of(*rig.session, [&] { rig.session->voidcmd("NOOP"); }), FTP_E_STATE);
}

void trace_masks_password(void **)
{
    Rig rig = connect_with({"220 hi\r\n", "331 pw\r\n", "230 in\r\n"});
    std::string seen;
    auto collect = [](int kind, const char *text, size_t, void *ud) {
        if (kind == FTP_TRACE_CMD)
            *static_cast<std::string *>(ud) += std::string(text) + "|";
    };
    rig.session->tracer().reset(collect, &seen, nullptr);
    rig.session->tracer().set_level(1);
    rig.session->login("u", "topsecret", nullptr);
    assert_string_equal(seen.c_str(), "USER u|PASS ****|");
}

} // namespace

int main()
{
    const CMUnitTest tests[] = {
        cmocka_unit_test(welcome_and_login),
        cmocka_unit_test(anonymous_login_defaults),
        cmocka_unit_test(login_asks_for_account),
        cmocka_unit_test(login_refused),
        cmocka_unit_test(banner_120_then_220),
        cmocka_unit_test(injection_refused_before_sending),
        cmocka_unit_test(reply_421_breaks_the_session),
        cmocka_unit_test(unsolicited_reply_breaks_the_session),
        cmocka_unit_test(cdup_falls_back_to_cwd),
        cmocka_unit_test(pwd_and_mkd_parse_257),
        cmocka_unit_test(size_reply_checked),
        cmocka_unit_test(rename_needs_350),
        cmocka_unit_test(closed_connection_breaks),
        cmocka_unit_test(quit_closes_even_on_error),
        cmocka_unit_test(trace_masks_password),
    };
    return cmocka_run_group_tests(tests, nullptr, nullptr);
}
