/*
 * Python parts of the SWIG interface (included by ftpc.i): the private
 * extension module ftpc._lowlevel, one function per C function, on which
 * the pure-Python package ftpc builds its API.
 *
 *  - A status becomes None or an exception made by the factory the package
 *    installs (ftpc/_errors.py), so every FTP_E_* has its class.
 *  - Callbacks are Python callables, called from C trampolines that take
 *    the GIL.  An exception raised in one stops the transfer (the trampoline
 *    returns nonzero, the library sends ABOR or closes) and is re-raised,
 *    unchanged, when the call returns; it never unwinds through C.
 *  - Every blocking call releases the GIL (threads="1"); the rest keep it
 *    (%nothread).  On the main thread a blocking call also routes SIGINT to
 *    ftp_cancel(), so Ctrl-C raises KeyboardInterrupt at once instead of
 *    after the call's deadline.
 *  - Strings in are str (UTF-8, surrogateescape), bytes or None; strings
 *    out are str decoded the same way.  A NUL inside a string is
 *    FTP_E_INVALID (ftpc.InvalidArgument, a ValueError), never a silently
 *    shortened command.
 */

%{
#include <limits.h>
#include <signal.h>
#include <string.h>

/* ------------------------------------------------------------ exceptions */

/* Set once by ftpc._errors at import: (code, name, message, reply_code,
 * reply) -> exception instance.  A module-lifetime reference, like a C
 * extension's static exception types. */
static PyObject *ftpc_error_factory = NULL;

static PyObject *ftpc_str(const char *text)
{
    if (text == NULL)
        Py_RETURN_NONE;
    return PyUnicode_DecodeUTF8(text, (Py_ssize_t)strlen(text), "surrogateescape");
}

/* The session whose error state describes a failed call on @x. */
#define FTPC_SESSION_OF(x) _Generic((x), \
    ftp_session *: (ftp_session *)(void *)(x), \
    ftp_data *: ftp_data_session((const ftp_data *)(void *)(x)), \
    default: (ftp_session *)NULL)

/* Raises the class of @code with @message, for refusals made here, before
 * the library is called (a NUL inside a string). */
static void ftpc_raise_message(int code, const char *message)
{
    if (ftpc_error_factory == NULL) {
        PyErr_SetString(PyExc_ValueError, message);
        return;
    }
    PyObject *exc = PyObject_CallFunction(ftpc_error_factory, "isNis", code, ftp_error_name(code),
                                          ftpc_str(message), 0, "");
    if (exc == NULL)
        return;
    PyErr_SetObject((PyObject *)Py_TYPE(exc), exc);
    Py_DECREF(exc);
}

static void ftpc_raise(int code, const ftp_session *s)
{
    if (ftpc_error_factory == NULL) {
        PyErr_Format(PyExc_RuntimeError, "%s: %s", ftp_error_name(code),
                     s ? ftp_last_error(s) : ftp_strerror(code));
        return;
    }
    const char *message = s ? ftp_last_error(s) : "";
    if (message[0] == '\0')
        message = ftp_strerror(code);
    PyObject *exc = PyObject_CallFunction(ftpc_error_factory, "isNiN", code, ftp_error_name(code),
                                          ftpc_str(message), s ? ftp_last_reply_code(s) : 0,
                                          ftpc_str(s ? ftp_last_reply(s) : ""));
    if (exc == NULL)
        return;
    PyErr_SetObject((PyObject *)Py_TYPE(exc), exc);
    Py_DECREF(exc);
}

/* A callback's exception waits in the thread's own state dictionary
 * (PyThreadState_GetDict) until its call returns: callbacks run on the
 * calling thread, inside the call, so the slot is exact and always empty
 * between calls. */
static const char ftpc_pending_key[] = "ftpc._lowlevel.pending";

static void ftpc_stash_exception(void)
{
    PyObject *type, *value, *tb;
    PyErr_Fetch(&type, &value, &tb);
    PyErr_NormalizeException(&type, &value, &tb);
    if (tb != NULL && value != NULL)
        PyException_SetTraceback(value, tb);
    PyObject *dict = PyThreadState_GetDict();
    if (dict != NULL && value != NULL && PyDict_GetItemString(dict, ftpc_pending_key) == NULL) {
        if (PyDict_SetItemString(dict, ftpc_pending_key, value) < 0)
            PyErr_Clear();
    }
    Py_XDECREF(type);
    Py_XDECREF(value);
    Py_XDECREF(tb);
}

/* Raises the pending callback exception, if any; returns 1 if it did. */
static int ftpc_take_pending(void)
{
    PyObject *dict = PyThreadState_GetDict();
    if (dict == NULL)
        return 0;
    PyObject *value = PyDict_GetItemString(dict, ftpc_pending_key);
    if (value == NULL)
        return 0;
    /* PyErr_Restore() steals all three references. */
    Py_INCREF(value);
    Py_INCREF(Py_TYPE(value));
    PyDict_DelItemString(dict, ftpc_pending_key);
    PyErr_Restore((PyObject *)Py_TYPE(value), value, PyException_GetTraceback(value));
    return 1;
}

/* ------------------------------------------------------------ trampolines */

static int ftpc_sink_trampoline(const void *data, size_t len, void *callable)
{
    PyGILState_STATE gil = PyGILState_Ensure();
    int stop = 0;
    PyObject *block = PyBytes_FromStringAndSize((const char *)data, (Py_ssize_t)len);
    PyObject *result = block ? PyObject_CallOneArg((PyObject *)callable, block) : NULL;
    Py_XDECREF(block);
    if (result == NULL) {
        ftpc_stash_exception();
        stop = 1;
    }
    Py_XDECREF(result);
    PyGILState_Release(gil);
    return stop;
}

static int ftpc_line_trampoline(const char *line, size_t len, void *callable)
{
    PyGILState_STATE gil = PyGILState_Ensure();
    int stop = 0;
    PyObject *text = PyBytes_FromStringAndSize(line, (Py_ssize_t)len);
    PyObject *result = text ? PyObject_CallOneArg((PyObject *)callable, text) : NULL;
    Py_XDECREF(text);
    if (result == NULL) {
        ftpc_stash_exception();
        stop = 1;
    }
    Py_XDECREF(result);
    PyGILState_Release(gil);
    return stop;
}

/* The callable gets a writable memoryview of the library's buffer (so
 * file.readinto() fills it without a copy) and returns how many bytes it
 * wrote; 0 is end of file.  The view is released before the library uses
 * the buffer: a callable that kept an export of it is an error. */
static int ftpc_source_trampoline(void *buf, size_t cap, size_t *out_len, void *callable)
{
    PyGILState_STATE gil = PyGILState_Ensure();
    int stop = 1;
    Py_ssize_t count = -1;
    PyObject *view = PyMemoryView_FromMemory((char *)buf, (Py_ssize_t)cap, PyBUF_WRITE);
    PyObject *result = view ? PyObject_CallOneArg((PyObject *)callable, view) : NULL;
    if (result != NULL && !PyLong_Check(result)) {
        PyErr_SetString(PyExc_TypeError, "an upload source must return the number of bytes it wrote");
    } else if (result != NULL) {
        count = PyLong_AsSsize_t(result);
        if (!PyErr_Occurred() && (count < 0 || (size_t)count > cap))
            PyErr_Format(PyExc_ValueError, "an upload source wrote %zd bytes into a %zu-byte buffer", count, cap);
    }
    if (view != NULL) {
        /* The callable's own exception, if any, wins over release()'s. */
        PyObject *type, *value, *tb;
        PyErr_Fetch(&type, &value, &tb);
        PyObject *released = PyObject_CallMethod(view, "release", NULL);
        Py_XDECREF(released);
        Py_DECREF(view);
        if (type != NULL) {
            PyErr_Clear();
            PyErr_Restore(type, value, tb);
        }
    }
    if (PyErr_Occurred()) {
        ftpc_stash_exception();
    } else {
        *out_len = (size_t)count;
        stop = 0;
    }
    Py_XDECREF(result);
    PyGILState_Release(gil);
    return stop;
}

static int ftpc_mlsd_trampoline(const char *name, size_t nfacts, const char *const *keys,
                                const char *const *values, void *callable)
{
    PyGILState_STATE gil = PyGILState_Ensure();
    int stop = 1;
    PyObject *facts = PyDict_New();
    PyObject *result = NULL;
    for (size_t i = 0; facts != NULL && i < nfacts; i++) {
        PyObject *key = ftpc_str(keys[i]);
        PyObject *value = ftpc_str(values[i]);
        int failed = key == NULL || value == NULL || PyDict_SetItem(facts, key, value) < 0;
        Py_XDECREF(key);
        Py_XDECREF(value);
        if (failed)
            Py_CLEAR(facts);
    }
    if (facts != NULL)
        result = PyObject_CallFunction((PyObject *)callable, "NO", ftpc_str(name), facts);
    if (result != NULL)
        stop = 0;
    else
        ftpc_stash_exception();
    Py_XDECREF(result);
    Py_XDECREF(facts);
    PyGILState_Release(gil);
    return stop;
}

/* The trace callable outlives the call that installed it: the session owns
 * a reference, dropped by the destroy notifier.  A trace callable cannot
 * stop anything, so its exception is stashed and raised when the call that
 * traced returns. */
static void ftpc_trace_trampoline(int kind, const char *text, size_t len, void *callable)
{
    PyGILState_STATE gil = PyGILState_Ensure();
    PyObject *message = PyUnicode_DecodeUTF8(text, (Py_ssize_t)len, "surrogateescape");
    PyObject *result = message ? PyObject_CallFunction((PyObject *)callable, "iO", kind, message) : NULL;
    Py_XDECREF(message);
    if (result == NULL)
        ftpc_stash_exception();
    Py_XDECREF(result);
    PyGILState_Release(gil);
}

static void ftpc_trace_destroy(void *callable)
{
    PyGILState_STATE gil = PyGILState_Ensure();
    Py_DECREF((PyObject *)callable);
    PyGILState_Release(gil);
}

/* ---------------------------------------------------------------- Ctrl-C */

/* While a blocking call runs on the main thread, SIGINT also cancels it:
 * ftp_cancel() is async-signal-safe.  Python's own handler still runs
 * (chained), and the status typemap turns the cancel into the
 * KeyboardInterrupt it scheduled.  A signal handler receives no userdata,
 * so the target lives in this one static; only the main thread touches it
 * outside the handler. */
static struct {
    ftp_session *volatile target;
    struct sigaction chained;
} ftpc_sigint;

static unsigned long ftpc_main_thread;

typedef struct {
    int installed;
    int nested;
    ftp_session *outer_target;
} ftpc_sigint_guard;

static void ftpc_on_sigint(int sig, siginfo_t *info, void *context)
{
    ftp_session *target = ftpc_sigint.target;
    if (target != NULL)
        ftp_cancel(target);
    if (ftpc_sigint.chained.sa_flags & SA_SIGINFO)
        ftpc_sigint.chained.sa_sigaction(sig, info, context);
    else if (ftpc_sigint.chained.sa_handler != SIG_DFL && ftpc_sigint.chained.sa_handler != SIG_IGN)
        ftpc_sigint.chained.sa_handler(sig);
}

static void ftpc_sigint_begin(ftpc_sigint_guard *guard, ftp_session *s)
{
    guard->installed = 0;
    guard->nested = 0;
    if (s == NULL || PyThread_get_thread_ident() != ftpc_main_thread)
        return;
    if (ftpc_sigint.target != NULL) {
        /* A callback of an outer call blocks on another session. */
        guard->nested = 1;
        guard->outer_target = ftpc_sigint.target;
        ftpc_sigint.target = s;
        return;
    }
    struct sigaction current;
    if (sigaction(SIGINT, NULL, &current) != 0)
        return;
    /* Leave SIGINT alone where Python does not handle it. */
    if (!(current.sa_flags & SA_SIGINFO) && (current.sa_handler == SIG_DFL || current.sa_handler == SIG_IGN))
        return;
    ftpc_sigint.chained = current;
    ftpc_sigint.target = s;
    struct sigaction ours;
    memset(&ours, 0, sizeof ours);
    ours.sa_sigaction = ftpc_on_sigint;
    ours.sa_flags = SA_SIGINFO | (current.sa_flags & SA_ONSTACK);
    sigemptyset(&ours.sa_mask);
    if (sigaction(SIGINT, &ours, NULL) != 0) {
        ftpc_sigint.target = NULL;
        return;
    }
    guard->installed = 1;
}

static void ftpc_sigint_end(ftpc_sigint_guard *guard)
{
    if (guard->nested) {
        ftpc_sigint.target = guard->outer_target;
        return;
    }
    if (!guard->installed)
        return;
    sigaction(SIGINT, &ftpc_sigint.chained, NULL);
    ftpc_sigint.target = NULL;
}
%}

%init %{
    {
        PyObject *threading = PyImport_ImportModule("threading");
        PyObject *main_thread = threading ? PyObject_CallMethod(threading, "main_thread", NULL) : NULL;
        PyObject *ident = main_thread ? PyObject_GetAttrString(main_thread, "ident") : NULL;
        ftpc_main_thread = ident ? PyLong_AsUnsignedLong(ident) : 0;
        Py_XDECREF(ident);
        Py_XDECREF(main_thread);
        Py_XDECREF(threading);
        if (PyErr_Occurred())
            return NULL;
    }
%}

%inline %{
/* Installs the status -> exception factory (ftpc._errors does, once). */
static PyObject *ftpc_set_error_factory(PyObject *factory)
{
    if (!PyCallable_Check(factory)) {
        PyErr_SetString(PyExc_TypeError, "the error factory must be callable");
        return NULL;
    }
    Py_INCREF(factory);
    Py_XSETREF(ftpc_error_factory, factory);
    Py_RETURN_NONE;
}
%}
%typemap(out) PyObject *ftpc_set_error_factory, PyObject *ftpc_data_recv {
    if ($1 == NULL)
        SWIG_fail;
    $result = $1;
}

/* ---------------------------------------------------------------- statuses */

%typemap(out) int {
    if (ftpc_take_pending())
        SWIG_fail;
    if ($1 < 0) {
        /* Ctrl-C cancelled it: raise what Python's handler scheduled. */
        if ($1 == FTP_E_CANCELLED && PyErr_CheckSignals() < 0)
            SWIG_fail;
        ftpc_raise($1, FTPC_SESSION_OF(arg1));
        SWIG_fail;
    }
    $result = SWIG_Py_Void();
}

/* The int these return is a value, not a status. */
%typemap(out) int ftp_last_error_code, int ftp_last_reply_code, int ftp_last_transfer_tls_resumed {
    $result = PyLong_FromLong($1);
}

/* ------------------------------------------------------------------ strings */

%typemap(in) const char * (PyObject *encoded = NULL) {
    if ($input == Py_None) {
        $1 = NULL;
    } else {
        if (PyUnicode_Check($input)) {
            encoded = PyUnicode_AsEncodedString($input, "utf-8", "surrogateescape");
            if (encoded == NULL)
                SWIG_fail;
        } else if (PyBytes_Check($input)) {
            encoded = $input;
            Py_INCREF(encoded);
        } else {
            SWIG_exception_fail(SWIG_TypeError, "expected str, bytes or None");
        }
        if ((size_t)PyBytes_GET_SIZE(encoded) != strlen(PyBytes_AS_STRING(encoded))) {
            ftpc_raise_message(FTP_E_INVALID, "embedded null byte");
            SWIG_fail;
        }
        $1 = PyBytes_AS_STRING(encoded);
    }
}
%typemap(freearg) const char * {
    Py_XDECREF(encoded$argnum);
}
%typemap(typecheck) const char * {
    $1 = $input == Py_None || PyUnicode_Check($input) || PyBytes_Check($input);
}

%typemap(out) const char * {
    $result = ftpc_str($1);
}

/* A NULL-terminated list of strings (MLSD facts): any iterable of str, or None. */
%typemap(in) const char *const *facts (PyObject *encoded = NULL, const char **array = NULL) {
    if ($input == Py_None) {
        $1 = NULL;
    } else {
        PyObject *items = PySequence_Fast($input, "the facts must be a sequence of str");
        if (items == NULL)
            SWIG_fail;
        Py_ssize_t n = PySequence_Fast_GET_SIZE(items);
        encoded = PyList_New(n);
        array = (const char **)PyMem_Calloc((size_t)n + 1, sizeof *array);
        if (encoded == NULL || array == NULL) {
            Py_DECREF(items);
            PyErr_NoMemory();
            SWIG_fail;
        }
        for (Py_ssize_t i = 0; i < n; i++) {
            PyObject *item = PySequence_Fast_GET_ITEM(items, i);
            PyObject *bytes = PyUnicode_Check(item) ? PyUnicode_AsEncodedString(item, "utf-8", "surrogateescape") : NULL;
            if (bytes == NULL) {
                Py_DECREF(items);
                if (!PyErr_Occurred())
                    PyErr_SetString(PyExc_TypeError, "each fact must be a str");
                SWIG_fail;
            }
            PyList_SET_ITEM(encoded, i, bytes);
            if ((size_t)PyBytes_GET_SIZE(bytes) != strlen(PyBytes_AS_STRING(bytes))) {
                Py_DECREF(items);
                ftpc_raise_message(FTP_E_INVALID, "embedded null byte");
                SWIG_fail;
            }
            array[i] = PyBytes_AS_STRING(bytes);
        }
        Py_DECREF(items);
        $1 = ($1_ltype)array;
    }
}
%typemap(freearg) const char *const *facts {
    PyMem_Free(array$argnum);
    Py_XDECREF(encoded$argnum);
}

/* ------------------------------------------------------------ out-parameters */

%typemap(in, numinputs=0) const char **reply (const char *text = NULL), const char **out (const char *text = NULL) {
    $1 = ($1_ltype)&text;
}
%typemap(argout) const char **reply, const char **out {
    $result = SWIG_Python_AppendOutput($result, ftpc_str(*$1 ? *$1 : ""));
}

%typemap(in, numinputs=0) uint64_t *out (uint64_t value = 0), size_t *nread (size_t value = 0) {
    $1 = &value;
}
%typemap(argout) uint64_t *out, size_t *nread {
    $result = SWIG_Python_AppendOutput($result, PyLong_FromUnsignedLongLong((unsigned long long)*$1));
}

/* ftp_transfercmd's announced size: None when the server named none. */
%typemap(in, numinputs=0) uint64_t *size (uint64_t value = FTP_SIZE_UNKNOWN) {
    $1 = &value;
}
%typemap(argout) uint64_t *size {
    PyObject *size = *$1 == FTP_SIZE_UNKNOWN ? SWIG_Py_Void() : PyLong_FromUnsignedLongLong((unsigned long long)*$1);
    $result = SWIG_Python_AppendOutput($result, size);
}

%typemap(in, numinputs=0) ftp_data **out (ftp_data *stream = NULL) {
    $1 = &stream;
}
%typemap(argout) ftp_data **out {
    $result = SWIG_Python_AppendOutput($result, SWIG_NewPointerObj(*$1, $*1_descriptor, 0));
}

/* ------------------------------------------------------------------ buffers */

/* The caller's buffer is held (not copied) until the call returns, so no
 * other thread can resize a bytearray under it while the GIL is released.
 * (SWIG's %pybuffer_mutable_binary releases it before the call.) */
%typemap(in) (void *buf, size_t cap) (Py_buffer view, int held = 0) {
    if (PyObject_GetBuffer($input, &view, PyBUF_WRITABLE | PyBUF_C_CONTIGUOUS) < 0)
        SWIG_fail;
    held = 1;
    $1 = view.buf;
    $2 = (size_t)view.len;
}
%typemap(freearg) (void *buf, size_t cap) {
    if (held$argnum)
        PyBuffer_Release(&view$argnum);
}

%typemap(in) (const void *buf, size_t len) (Py_buffer view, int held = 0) {
    if (PyObject_GetBuffer($input, &view, PyBUF_C_CONTIGUOUS) < 0)
        SWIG_fail;
    held = 1;
    $1 = view.buf;
    $2 = (size_t)view.len;
}
%typemap(freearg) (const void *buf, size_t len) {
    if (held$argnum)
        PyBuffer_Release(&view$argnum);
}

/* ---------------------------------------------------------------- callbacks */

/* The call's argument tuple keeps the callable alive: callbacks run only
 * inside the call. */
%define FTPC_CALLBACK(TYPE, TRAMPOLINE)
%typemap(in) (TYPE, void *userdata) {
    if (!PyCallable_Check($input))
        SWIG_exception_fail(SWIG_TypeError, "the callback must be callable");
    $1 = TRAMPOLINE;
    $2 = (void *)$input;
}
%enddef
FTPC_CALLBACK(ftp_sink_fn sink, ftpc_sink_trampoline)
FTPC_CALLBACK(ftp_source_fn source, ftpc_source_trampoline)
FTPC_CALLBACK(ftp_line_fn fn, ftpc_line_trampoline)
FTPC_CALLBACK(ftp_mlsd_fn fn, ftpc_mlsd_trampoline)

%typemap(in) (ftp_trace_fn fn, void *userdata, ftp_destroy_fn destroy) {
    if ($input == Py_None) {
        $1 = NULL;
        $2 = NULL;
        $3 = NULL;
    } else if (PyCallable_Check($input)) {
        $1 = ftpc_trace_trampoline;
        $2 = (void *)$input;
        $3 = ftpc_trace_destroy;
        Py_INCREF($input); /* dropped by ftpc_trace_destroy */
    } else {
        SWIG_exception_fail(SWIG_TypeError, "the trace callback must be callable or None");
    }
}

/* ------------------------------------------------------------------- threads */

/* These never block: they keep the GIL. */
%nothread ftp_session_new;
%nothread ftp_session_free;
%nothread ftp_cancel;
%nothread ftp_close;
%nothread ftp_set_timeout_ms;
%nothread ftp_set_phase_timeout_ms;
%nothread ftp_set_limit;
%nothread ftp_set_source_address;
%nothread ftp_set_data_mode;
%nothread ftp_set_pasv;
%nothread ftp_set_trust_pasv_address_insecure;
%nothread ftp_set_abort_style;
%nothread ftp_set_debuglevel;
%nothread ftp_set_trace_fn;
%nothread ftp_set_tls_mode;
%nothread ftp_set_tls_insecure_skip_verify;
%nothread ftp_set_tls_insecure_skip_hostname;
%nothread ftp_set_ca_file;
%nothread ftp_set_ca_path;
%nothread ftp_set_client_cert;
%nothread ftp_set_tls_min_version;
%nothread ftp_set_tls_max_version;
%nothread ftp_set_tls_ciphers;
%nothread ftp_set_tls_protect_data;
%nothread ftp_getwelcome;
%nothread ftp_peer_address;
%nothread ftp_local_address;
%nothread ftp_last_error_code;
%nothread ftp_last_error;
%nothread ftp_last_reply_code;
%nothread ftp_last_reply;
%nothread ftp_strerror;
%nothread ftp_error_name;
%nothread ftp_data_session;
%nothread ftp_last_transfer_mode;
%nothread ftp_last_transfer_peer;
%nothread ftp_last_transfer_bytes;
%nothread ftp_last_transfer_tls_version;
%nothread ftp_last_transfer_tls_cipher;
%nothread ftp_last_transfer_tls_resumed;
%nothread ftp_tls_version;
%nothread ftp_tls_cipher;
%nothread ftp_version;
%nothread ftp_version_string;
%nothread ftpc_set_error_factory;
%nothread ftpc_data_recv;

/* These may block: Ctrl-C on the main thread cancels them. */
%define FTPC_BLOCKING(NAME)
%exception NAME {
    ftpc_sigint_guard ftpc_guard;
    ftpc_sigint_begin(&ftpc_guard, FTPC_SESSION_OF(arg1));
    $action
    ftpc_sigint_end(&ftpc_guard);
}
%enddef
FTPC_BLOCKING(ftp_connect)
FTPC_BLOCKING(ftp_login)
FTPC_BLOCKING(ftp_quit)
FTPC_BLOCKING(ftp_sendcmd)
FTPC_BLOCKING(ftp_voidcmd)
FTPC_BLOCKING(ftp_getresp)
FTPC_BLOCKING(ftp_voidresp)
FTPC_BLOCKING(ftp_type)
FTPC_BLOCKING(ftp_rename)
FTPC_BLOCKING(ftp_delete)
FTPC_BLOCKING(ftp_cwd)
FTPC_BLOCKING(ftp_mkd)
FTPC_BLOCKING(ftp_pwd)
FTPC_BLOCKING(ftp_rmd)
FTPC_BLOCKING(ftp_size)
FTPC_BLOCKING(ftp_abort)
FTPC_BLOCKING(ftp_retrbinary)
FTPC_BLOCKING(ftp_retrlines)
FTPC_BLOCKING(ftp_storbinary)
FTPC_BLOCKING(ftp_storlines)
FTPC_BLOCKING(ftp_retr_fd)
FTPC_BLOCKING(ftp_stor_fd)
FTPC_BLOCKING(ftp_transfercmd)
FTPC_BLOCKING(ftp_data_read)
FTPC_BLOCKING(ftpc_data_recv)
FTPC_BLOCKING(ftp_data_write)
FTPC_BLOCKING(ftp_data_close)
FTPC_BLOCKING(ftp_mlsd)
FTPC_BLOCKING(ftp_nlst)
FTPC_BLOCKING(ftp_dir)
FTPC_BLOCKING(ftp_auth)
FTPC_BLOCKING(ftp_prot_p)
FTPC_BLOCKING(ftp_prot_c)
FTPC_BLOCKING(ftp_ccc)

/* ftp_data_read() into a new bytes object of at most @max bytes, shrunk
 * to what arrived: socket.recv()'s one allocation and no copy, for
 * ftpc.ftplib's data connections.  Takes the GIL itself (%nothread). */
%inline %{
static PyObject *ftpc_data_recv(ftp_data *d, long long max)
{
    if (max < 0 || max > PY_SSIZE_T_MAX) {
        ftpc_raise_message(FTP_E_INVALID, "recv: the buffer size must be 0..PY_SSIZE_T_MAX");
        return NULL;
    }
    PyObject *block = PyBytes_FromStringAndSize(NULL, (Py_ssize_t)max);
    if (block == NULL)
        return NULL;
    size_t n = 0;
    int status;
    Py_BEGIN_ALLOW_THREADS
    status = ftp_data_read(d, PyBytes_AS_STRING(block), (size_t)max, &n);
    Py_END_ALLOW_THREADS
    if (status < 0) {
        Py_DECREF(block);
        if (status == FTP_E_CANCELLED && PyErr_CheckSignals() < 0)
            return NULL;
        ftpc_raise(status, ftp_data_session(d));
        return NULL;
    }
    if ((Py_ssize_t)n != max)
        _PyBytes_Resize(&block, (Py_ssize_t)n);
    return block;
}
%}
