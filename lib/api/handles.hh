// What the opaque C handles are, and the exception barrier every export goes
// through.  Only lib/api includes this.
#pragma once

#include <new>

#include <ftpc/ftpc.h>

#include "core/session.hh"

struct ftp_data {
    ftp_session *owner;
};

struct ftp_session {
    ftpc::Session impl;
    // One data stream at a time, so its handle lives inside the session: a
    // stale ftp_data pointer finds "no data stream is open", not freed memory.
    ftp_data data{this};
};

namespace ftpc::api {

// Records an unexpected exception; building its message may itself run out
// of memory, and nothing may escape.
inline int record_internal_error(Session &session, const char *what) noexcept
{
    try {
        return session.record_failure(Error(FTP_E_INTERNAL, std::string("internal error: ") + what, Breaks::session));
    } catch (...) {
        return session.record_failure(Error(FTP_E_NOMEM, "out of memory", Breaks::session));
    }
}

// Runs @p body for a call on @p s: refuses re-entry from a callback, clears
// the error state, and turns every exception into a status recorded on the
// session.  Nothing escapes into C.
template <class Body>
int guard(ftp_session *s, Body &&body) noexcept
{
    if (s == nullptr)
        return FTP_E_INVALID;
    Session &session = s->impl;
    if (session.in_call())
        return FTP_E_BUSY;
    session.set_in_call(true);
    session.begin_call();
    int status;
    try {
        body(session);
        session.record_success();
        status = FTP_OK;
    } catch (const Error &e) {
        status = session.record_failure(e);
    } catch (const std::bad_alloc &) {
        // Memory can run out halfway through a reply or a transfer: the
        // control connection may be out of step, so the session breaks.
        status = session.record_failure(Error(FTP_E_NOMEM, "out of memory", Breaks::session));
    } catch (const std::exception &e) {
        status = record_internal_error(session, e.what());
    } catch (...) {
        status = session.record_failure(Error(FTP_E_INTERNAL, "internal error: unknown exception", Breaks::session));
    }
    session.set_in_call(false);
    return status;
}

// Argument checks inside a guard()ed body: FTP_E_INVALID with @p message.
inline void require(bool condition, const char *message)
{
    if (!condition)
        throw Error(FTP_E_INVALID, message);
}

} // namespace ftpc::api
