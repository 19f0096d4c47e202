/*
 * The one SWIG interface to libftpc, for every SWIG-generated binding
 * (Python; C# is to follow from this same file).  It declares nothing by hand: the public headers
 * are %include'd as they are, so the bindings can never drift from the C
 * API.  What differs between languages (callbacks, statuses, strings,
 * buffers, threads) lives in ftpc_<language>.i, included below.
 *
 * Generated with `swig -Werror`: a function SWIG cannot wrap, or a name it
 * would silently drop, fails the build.
 */
#if defined(SWIGPYTHON)
/* threads="1": every call releases the GIL unless marked %nothread. */
%module(package="ftpc", threads="1") _lowlevel
#else
%module ftpc
#endif

%{
#include <ftpc/ftpc.h>
%}

%include <stdint.i>

/* size_t is 64 bits on every platform ftpc supports, and must stay so in
 * every language (C# maps it to a 32-bit uint by default). */
%apply unsigned long long { size_t };

/* The callback typedefs are C function pointers: no language calls them
 * directly.  Each binding's typemaps turn its own callables into them. */
%ignore ftp_sink_fn;
%ignore ftp_source_fn;
%ignore ftp_line_fn;
%ignore ftp_mlsd_fn;
%ignore ftp_trace_fn;
%ignore ftp_destroy_fn;

#if defined(SWIGPYTHON)
%include "ftpc_python.i"
#else
#error "ftpc.i: no typemaps for this language yet; add ftpc_<language>.i"
#endif

/* What the headers need to be read outside a C compiler. */
#define FTPC_H_INSIDE
#define FTP_API
#define FTP_BEGIN_DECLS
#define FTP_END_DECLS

%include <ftpc/ftpc_common.h>
%include <ftpc/ftpc_version.h>
%include <ftpc/ftpc_error.h>
%include <ftpc/ftpc_session.h>
%include <ftpc/ftpc_transfer.h>
%include <ftpc/ftpc_tls.h>
%include <ftpc/ftpc.h>
