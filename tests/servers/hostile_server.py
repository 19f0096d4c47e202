#!/usr/bin/python3
"""A scripted FTP server that misbehaves on purpose, for ftpc's fault tests.

Usage: hostile_server.py --script FILE --transcript FILE [--family 4|6]
                         [--lifetime SECONDS] [--pki DIR]

It binds 127.0.0.1 (or ::1) on a port the kernel chooses, prints
"READY <port>" and serves one control connection at a time, for as long as
--lifetime allows (60 s by default), then exits by itself.  It only ever
talks to loopback addresses.

Every command line it receives is appended to the transcript, one per line,
flushed at once: leading Telnet bytes (0xFF, 0xF4, 0xF2, as sent before ABOR)
and the CRLF are removed, bytes outside printable ASCII are written as
Python-style escapes (\\r, \\n, \\t, \\\\, \\xNN).  A line that ended in a bare
LF gets " [LF]" appended, a partial line cut by EOF " [EOF]".  Lines that start
with "# " are the server's own notes (an upload's size and SHA-256, a port
thief's fate, TLS events), never commands.  While the control connection is
encrypted, Telnet bytes are NOT removed: ABOR must then come in-band as a
plain "ABOR" line, so any 0xFF/0xF4/0xF2 show up as \\xNN escapes (and urgent
bytes sent outside TLS break its records: "# tls read failed: ...").

On stdout, after READY, it prints "OPEN" when it accepts a control
connection and "CLOSED" when it is done with it, so a test can wait until
every command it sent has reached the transcript.

Script language (one directive per line; "#" starts a comment line):

    banner TEXT            shorthand for: on CONNECT reply TEXT
    tls cert NAME          the certificate the server presents: NAME.pem and
                           NAME.key from the --pki directory (made by
                           make_test_pki.py: server, expired, wronghost,
                           selfsigned); "server" unless stated
    tls implicit           implicit FTPS: the TLS handshake runs as soon as a
                           control connection is accepted, before CONNECT
    tls version 1.2|1.3    the highest TLS version the server accepts
    tls datacert NAME      data connections use a TLS context of their own
                           with this certificate: their session keys differ,
                           so they can never resume the control session
    default TEXT           the reply to commands no rule covers
                           (built in: "500 unknown command")
    note urgent            before a command line that carried TCP urgent
                           data, note "urgent byte \\xNN" (the byte at the
                           mark: \\xff for RFC 959's Synch, \\n for ftplib's
                           "ABOR\\r\\n" sent with MSG_OOB) and the Telnet
                           bytes stripped from it, "telnet \\xff\\xf4..."
    on VERB [#N] [ACTION]  a rule: what to do when VERB arrives; with #N only
                           for its N-th occurrence (counted over the server's
                           lifetime).  VERB CONNECT is a new control
                           connection.  Indented lines that follow add more
                           actions to the rule, run in order.

TEXT runs to the end of the line.  It may hold escapes \\r \\n \\t \\0 \\\\
\\xNN and \\s (a space, for leading or trailing blanks), and
%repeat[N x STRING]% for long payloads.  When a passive listener exists,
{port}, {p1} and {p2} in a reply are replaced by its port (p1*256+p2).

Control actions:
    reply TEXT          send TEXT + CRLF (TEXT may hold \\r\\n for multi-line)
    raw TEXT            send TEXT exactly
    slow MS TEXT        send TEXT + CRLF one byte at a time, MS ms apart
    closeafter N TEXT   send the first N bytes of TEXT + CRLF, then close
    flood MAX TEXT      send TEXT over and over, MAX bytes at most, no CRLF
    delay SECONDS       sleep (fractions allowed)
    noreply             do nothing (a rule with no action does the same)
    close               close the control connection (FIN)
    rst                 reset the control connection (SO_LINGER 0)

TLS actions (the certificate comes from the --pki directory):
    starttls            run the server side of a TLS handshake on the control
                        connection now; note "tls handshake ok VERSION", or
                        "tls handshake failed: REASON" and close.  REASON is
                        OpenSSL's (the client's alert, e.g.
                        SSLV3_ALERT_CERTIFICATE_EXPIRED), or "connection
                        closed" when the client went away without one
    clienthello         read one TLS record (the ClientHello) and note it,
                        without answering: what follows decides the
                        handshake's fate (raw garbage, close, waitclose)
    waitclose           read and drop everything until the client closes,
                        then note it (a stalled handshake, a dead end)
    unwrap              end TLS on the control connection (close_notify both
                        ways, as after CCC), then go on in clear text
    prot                take this command's argument (P or C) as the data
                        protection level: with P, every data connection is
                        a TLS server handshake ("data tls handshake ok
                        VERSION resumed" or "... full handshake")
    datacut             end the data connection with a bare TCP FIN, without
                        TLS close_notify (a truncation attack)
    datastall           accept (passive) or connect (active) the data
                        connection but never answer its ClientHello
Under PROT P, dataclose (and serve, store) send close_notify before the FIN,
and datarecv notes how the client ended its upload ("data tls close_notify
received" or "data tls EOF without close_notify").

Data actions:
    epsv [TEXT]         open a passive listener and reply TEXT
                        (default "229 Entering Extended Passive Mode (|||{port}|)")
    pasv [TEXT]         the same with default
                        "227 Entering Passive Mode (127,0,0,1,{p1},{p2})"
    listen              open a passive listener, reply nothing
    nolisten            reserve a port without listening (connects are refused)
    active              take the EPRT/PORT argument of this command as the
                        address to connect back to (loopback only)
    dataopen            accept (passive) or connect (active) now
    data TEXT           send TEXT on the data connection (opening it if needed)
    dataflood MAX TEXT  send TEXT over and over, MAX bytes at most, stop at
                        the first send error (the client went away)
    dataclose           close the data connection (FIN)
    datarst             reset the data connection
    datarecv            read the data connection to EOF, note its size/SHA-256
    datarecvclose N     read N bytes, note them, then reset the data connection
    thief               connect to the active address from 127.0.0.2, send a
                        line, and note whether the client closed it
    serve TEXT          reply 150, send TEXT, close data, reply 226
    store               reply 150, datarecv, close data, reply 226

Built-in rules (used when the script has none for a verb):
    CONNECT reply 220 hostile server ready     USER reply 331 password please
    PASS reply 230 logged in                   TYPE reply 200 type set
    EPSV epsv                                  PASV pasv
    EPRT active + reply 200 EPRT ok            PORT active + reply 200 PORT ok
    NOOP reply 200 ok                          ABOR reply 225 no transfer
    QUIT reply 221 bye + close                 AUTH reply 234 AUTH TLS ok + starttls
    PBSZ reply 200 PBSZ=0                      PROT prot + reply 200 PROT ok
    CCC reply 200 CCC ok + unwrap              anything else: the default reply

Example: a 227 with a fake address, then a download whose 226 comes before
the data, and an ABOR answered with 426 and 226:

    on PASV pasv 227 Entering Passive Mode (127,0,0,3,{p1},{p2})
    on RETR raw 150 here\\r\\n226 done already\\r\\n
      data hello
      dataclose
    on ABOR reply 426 aborted
      reply 226 abort done

Example: explicit FTPS with an expired certificate (the client should give
up after the handshake, before USER):

    tls cert expired

Python 3 standard library only.
"""

import argparse
import fcntl
import hashlib
import ipaddress
import os
import re
import select
import socket
import ssl
import struct
import sys
import threading
import time

LINE_CAP = 1 << 20          # the server's own bound on a command line
DATA_WAIT = 5.0             # seconds to wait for a data connection
SOCKET_WAIT = 15.0          # seconds a single send or receive may block
THIEF_WAIT = 3.0            # seconds the thief waits for the client to close it
TELNET_PREFIX = b"\xff\xf4\xf2"
SIOCATMARK = 0x8905  # <linux/sockios.h>: is the read pointer at the urgent mark?


TLS_VERSIONS = {"1.2": ssl.TLSVersion.TLSv1_2, "1.3": ssl.TLSVersion.TLSv1_3}


class ScriptError(Exception):
    pass


class ConnectionDone(Exception):
    """The control connection is over (closed by us or by the client)."""


# --------------------------------------------------------------------------
# Script parsing

REPEAT_RE = re.compile(r"%repeat\[(\d+) x (.*?)\]%", re.S)


def decode_text(text):
    """Expands %repeat[]% and backslash escapes; returns bytes (latin-1)."""
    text = REPEAT_RE.sub(lambda m: m.group(2) * int(m.group(1)), text)
    out = bytearray()
    i = 0
    simple = {"r": 13, "n": 10, "t": 9, "0": 0, "\\": 92, "s": 32}
    while i < len(text):
        c = text[i]
        if c != "\\":
            out += c.encode("latin-1")
            i += 1
            continue
        if i + 1 >= len(text):
            raise ScriptError("trailing backslash in %r" % text)
        e = text[i + 1]
        if e in simple:
            out.append(simple[e])
            i += 2
        elif e == "x" and re.fullmatch(r"[0-9a-fA-F]{2}", text[i + 2:i + 4] or ""):
            out.append(int(text[i + 2:i + 4], 16))
            i += 4
        else:
            raise ScriptError("unknown escape \\%s in %r" % (e, text))
    return bytes(out)


def split_word(text):
    """Splits off the first blank-separated word: (word, rest)."""
    parts = text.strip(" \t").split(None, 1)
    if not parts:
        return "", ""
    return parts[0], (parts[1] if len(parts) > 1 else "")


def parse_number(word, kind, what):
    try:
        value = kind(word)
    except ValueError:
        raise ScriptError("%s needs a number, got %r" % (what, word))
    if value < 0:
        raise ScriptError("%s needs a number >= 0, got %r" % (what, word))
    return value


# Each action parser returns the action's argument tuple from its text.
def _no_arg(name):
    def parse(rest):
        if rest.strip():
            raise ScriptError("%s takes no argument" % name)
        return ()
    return parse


def _text_arg(rest):
    return (decode_text(rest),)


def _optional_text_arg(rest):
    return (decode_text(rest) if rest.strip() else None,)


def _number_text_args(kind):
    def parse(rest):
        word, text = split_word(rest)
        return (parse_number(word, kind, "the first argument"), decode_text(text))
    return parse


def _number_arg(kind):
    def parse(rest):
        return (parse_number(rest.strip(), kind, "the argument"),)
    return parse


ACTION_PARSERS = {
    "reply": _text_arg,
    "raw": _text_arg,
    "slow": _number_text_args(float),
    "closeafter": _number_text_args(int),
    "flood": _number_text_args(int),
    "delay": _number_arg(float),
    "noreply": _no_arg("noreply"),
    "close": _no_arg("close"),
    "rst": _no_arg("rst"),
    "epsv": _optional_text_arg,
    "pasv": _optional_text_arg,
    "listen": _no_arg("listen"),
    "nolisten": _no_arg("nolisten"),
    "active": _no_arg("active"),
    "dataopen": _no_arg("dataopen"),
    "data": _text_arg,
    "dataflood": _number_text_args(int),
    "dataclose": _no_arg("dataclose"),
    "datarst": _no_arg("datarst"),
    "datarecv": _no_arg("datarecv"),
    "datarecvclose": _number_arg(int),
    "thief": _no_arg("thief"),
    "serve": _text_arg,
    "store": _no_arg("store"),
    "starttls": _no_arg("starttls"),
    "clienthello": _no_arg("clienthello"),
    "waitclose": _no_arg("waitclose"),
    "unwrap": _no_arg("unwrap"),
    "prot": _no_arg("prot"),
    "datacut": _no_arg("datacut"),
    "datastall": _no_arg("datastall"),
}


def parse_action(text):
    name, rest = split_word(text)
    name = name.lower()
    if name not in ACTION_PARSERS:
        raise ScriptError("unknown action %r" % name)
    return (name,) + ACTION_PARSERS[name](rest)


def builtin_rules():
    """The rules used for verbs the script does not mention."""
    def acts(*lines):
        return [parse_action(line) for line in lines]
    return {
        "CONNECT": acts("reply 220 hostile server ready"),
        "USER": acts("reply 331 password please"),
        "PASS": acts("reply 230 logged in"),
        "TYPE": acts("reply 200 type set"),
        "EPSV": acts("epsv"),
        "PASV": acts("pasv"),
        "EPRT": acts("active", "reply 200 EPRT ok"),
        "PORT": acts("active", "reply 200 PORT ok"),
        "NOOP": acts("reply 200 ok"),
        "ABOR": acts("reply 225 no transfer"),
        "QUIT": acts("reply 221 bye", "close"),
        "AUTH": acts("reply 234 AUTH TLS ok", "starttls"),
        "PBSZ": acts("reply 200 PBSZ=0"),
        "PROT": acts("prot", "reply 200 PROT ok"),
        "CCC": acts("reply 200 CCC ok", "unwrap"),
    }


BUILTIN_RULES = builtin_rules()


class Script:
    def __init__(self, text):
        # (VERB, N or None) -> [action, ...]
        self.rules = {}
        self.default_reply = b"500 unknown command"
        self.tls_cert = "server"
        self.tls_data_cert = None
        self.tls_implicit = False
        self.tls_max_version = None
        self.note_urgent = False
        current = None
        for number, raw_line in enumerate(text.split("\n"), 1):
            line = raw_line.rstrip("\r")
            try:
                if not line.strip() or line.lstrip().startswith("#"):
                    continue
                if line[0] in " \t":
                    if current is None:
                        raise ScriptError("indented action outside a rule")
                    current.append(parse_action(line))
                    continue
                current = None
                keyword, rest = split_word(line)
                if keyword == "banner":
                    self._add(("CONNECT", None), [parse_action("reply " + rest)])
                elif keyword == "default":
                    self.default_reply = decode_text(rest)
                elif keyword == "on":
                    current = self._parse_on(rest)
                elif keyword == "tls":
                    self._parse_tls(rest)
                elif keyword == "note" and rest.strip() == "urgent":
                    self.note_urgent = True
                else:
                    raise ScriptError("unknown directive %r" % keyword)
            except ScriptError as e:
                raise ScriptError("script line %d: %s" % (number, e))

    def _add(self, key, actions):
        if key in self.rules:
            raise ScriptError("a second rule for %s" % (key,))
        self.rules[key] = actions
        return actions

    def _parse_on(self, rest):
        verb, rest = split_word(rest)
        if not verb:
            raise ScriptError("'on' needs a verb")
        count = None
        word, after = split_word(rest)
        if word.startswith("#"):
            count = parse_number(word[1:], int, "#N")
            rest = after
        actions = self._add((verb.upper(), count), [])
        if rest.strip():
            actions.append(parse_action(rest))
        return actions

    def _parse_tls(self, rest):
        setting, value = split_word(rest)
        value = value.strip()
        name_ok = re.fullmatch(r"[A-Za-z0-9_-]+", value) is not None
        if setting == "cert" and name_ok:
            self.tls_cert = value
        elif setting == "datacert" and name_ok:
            self.tls_data_cert = value
        elif setting == "implicit" and not value:
            self.tls_implicit = True
        elif setting == "version" and value in TLS_VERSIONS:
            self.tls_max_version = TLS_VERSIONS[value]
        else:
            raise ScriptError("tls needs 'cert NAME', 'datacert NAME', 'implicit' "
                              "or 'version 1.2|1.3'")

    def actions_for(self, verb, occurrence):
        for key in ((verb, occurrence), (verb, None)):
            if key in self.rules:
                return self.rules[key]
        if verb in BUILTIN_RULES:
            return BUILTIN_RULES[verb]
        return [("reply", self.default_reply)]


# --------------------------------------------------------------------------
# Transcript

def escape_bytes(data):
    out = []
    for b in data:
        if b == 0x5C:
            out.append("\\\\")
        elif 0x20 <= b < 0x7F:
            out.append(chr(b))
        elif b == 0x0D:
            out.append("\\r")
        elif b == 0x0A:
            out.append("\\n")
        elif b == 0x09:
            out.append("\\t")
        else:
            out.append("\\x%02x" % b)
    return "".join(out)


class Transcript:
    def __init__(self, path):
        self.file = open(path, "a", encoding="ascii")

    def command(self, line, ending):
        text = escape_bytes(line)
        if ending == "LF":
            text += " [LF]"
        elif ending == "EOF":
            text += " [EOF]"
        self._write(text)

    def note(self, text):
        self._write("# " + text)

    def _write(self, text):
        self.file.write(text + "\n")
        self.file.flush()


# --------------------------------------------------------------------------
# Sockets

def repeated(pattern, limit):
    """Yields pattern over and over in large pieces, limit bytes in all."""
    chunk = pattern * max(1, 65536 // max(1, len(pattern)))
    sent = 0
    while sent < limit and chunk:
        piece = chunk[:limit - sent]
        yield piece
        sent += len(piece)


def is_loopback(host):
    try:
        return ipaddress.ip_address(host.split("%")[0]).is_loopback
    except ValueError:
        return False


def reset_and_close(sock):
    """Closes with SO_LINGER 0, so the peer sees RST instead of FIN."""
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    except OSError:
        pass
    sock.close()


def send_all(sock, data):
    """Sends everything; raises ConnectionDone if the peer went away."""
    try:
        sock.sendall(data)
    except (OSError, socket.timeout):
        raise ConnectionDone()


def parse_eprt(arg):
    """'|1|127.0.0.1|5000|' -> (host, port); None if malformed."""
    if len(arg) < 2:
        return None
    parts = arg.split(arg[0])
    if len(parts) != 5 or parts[4] != "" or not parts[3].isdigit():
        return None
    return parts[2], int(parts[3])


def parse_port(arg):
    """'127,0,0,1,19,136' -> (host, port); None if malformed."""
    fields = arg.split(",")
    if len(fields) != 6 or not all(f.strip().isdigit() for f in fields):
        return None
    nums = [int(f) for f in fields]
    if any(n > 255 for n in nums):
        return None
    return ".".join(str(n) for n in nums[:4]), nums[4] * 256 + nums[5]


# --------------------------------------------------------------------------
# TLS

class TlsFailed(Exception):
    """A handshake failed; the argument is the reason to note."""


def tls_failure_reason(error):
    """What the transcript says about a failed TLS operation: OpenSSL's
    reason (for a client's alert, e.g. TLSV1_ALERT_UNKNOWN_CA), or
    "connection closed" when the client simply went away."""
    if isinstance(error, (ssl.SSLEOFError, ssl.SSLZeroReturnError,
                          ssl.SSLSyscallError, ConnectionError)):
        return "connection closed"
    if isinstance(error, socket.timeout):
        return "timeout"
    return getattr(error, "reason", None) or type(error).__name__


def send_close_notify(tls):
    """Sends TLS close_notify without waiting for the peer's: with the socket
    non-blocking, the second SSL_shutdown() inside unwrap() gives up at once
    (SSLWantReadError) instead of waiting for the client's close_notify."""
    try:
        tls.setblocking(False)
        tls.unwrap()
    except (OSError, ValueError):
        pass


class ServerTls:
    """The server's TLS context, shared by every control and data
    connection, so that a data connection can resume the control
    connection's session (TLS 1.2 session ids and tickets, TLS 1.3 tickets:
    their keys belong to the context) -- unless the script gives data
    connections a context of their own ("tls datacert")."""

    def __init__(self, pki_dir, script):
        def context_for(cert_name):
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.minimum_version = ssl.TLSVersion.TLSv1_2
            if script.tls_max_version is not None:
                context.maximum_version = script.tls_max_version
            context.load_cert_chain(os.path.join(pki_dir, cert_name + ".pem"),
                                    os.path.join(pki_dir, cert_name + ".key"))
            return context
        self.control_context = context_for(script.tls_cert)
        self.data_context = self.control_context
        if script.tls_data_cert is not None:
            self.data_context = context_for(script.tls_data_cert)

    def wrap(self, sock, data=False):
        """Runs the server side of a handshake on @sock (a data connection
        if @data); returns the TLS socket, or closes @sock and raises
        TlsFailed."""
        context = self.data_context if data else self.control_context
        try:
            tls = context.wrap_socket(sock, server_side=True,
                                      do_handshake_on_connect=False,
                                      suppress_ragged_eofs=False)
        except (OSError, ValueError) as e:
            sock.close()
            raise TlsFailed(tls_failure_reason(e))
        try:
            tls.do_handshake()
        except (OSError, ValueError) as e:
            tls.close()
            raise TlsFailed(tls_failure_reason(e))
        return tls


class DataChannel:
    """The data-connection side of one control connection."""

    def __init__(self, family, transcript, tls):
        self.family = family
        self.transcript = transcript
        self.tls = tls            # the ServerTls, or None without --pki
        self.protect = False      # PROT P: data connections run TLS
        self.listener = None      # a passive listener (or a reserved port)
        self.port = None          # its port, for {port}/{p1}/{p2}
        self.target = None        # (host, port) to connect back to
        self.conn = None          # the open data connection

    def loopback(self):
        return "::1" if self.family == socket.AF_INET6 else "127.0.0.1"

    def reset(self):
        for sock in (self.conn, self.listener):
            if sock is not None:
                sock.close()
        self.conn = self.listener = self.port = self.target = None

    def listen(self, really_listen=True):
        self.reset()
        sock = socket.socket(self.family, socket.SOCK_STREAM)
        sock.bind((self.loopback(), 0))
        if really_listen:
            sock.listen(4)
        self.listener = sock
        self.port = sock.getsockname()[1]

    def set_target(self, verb, arg):
        self.reset()
        parsed = parse_eprt(arg) if verb == "EPRT" else parse_port(arg)
        if parsed is None:
            self.transcript.note("cannot parse the %s argument" % verb)
        elif not is_loopback(parsed[0]):
            self.transcript.note("refusing to connect to non-loopback %s" % parsed[0])
        else:
            self.target = parsed

    def substitute(self, data):
        if self.port is None:
            return data
        for key, value in ((b"{port}", self.port), (b"{p1}", self.port // 256),
                           (b"{p2}", self.port % 256)):
            data = data.replace(key, str(value).encode())
        return data

    def open(self, handshake=True):
        """Makes sure a data connection exists (under PROT P with its TLS
        handshake done, unless not @handshake); False (and a note) if not."""
        if self.conn is not None:
            return True
        try:
            if self.listener is not None:
                self.listener.settimeout(DATA_WAIT)
                self.conn, _ = self.listener.accept()
            elif self.target is not None:
                self.conn = socket.create_connection(self.target, timeout=DATA_WAIT)
            else:
                self.transcript.note("no data connection: no EPSV/PASV/EPRT/PORT before")
                return False
        except (OSError, socket.timeout) as e:
            self.transcript.note("no data connection: %s" % type(e).__name__)
            return False
        self.conn.settimeout(SOCKET_WAIT)
        return self.secure() if self.protect and handshake else True

    def secure(self):
        """PROT P: the server side of the data connection's handshake."""
        if self.tls is None:
            self.transcript.note("data tls impossible: the server has no --pki")
            self.close(reset=True)
            return False
        try:
            self.conn = self.tls.wrap(self.conn, data=True)
        except TlsFailed as e:
            self.conn = None  # wrap() closed it
            self.transcript.note("data tls handshake failed: %s" % e)
            return False
        self.transcript.note("data tls handshake ok %s %s" % (
            self.conn.version(),
            "resumed" if self.conn.session_reused else "full handshake"))
        return True

    def send(self, data):
        if self.open():
            try:
                self.conn.sendall(data)
            except (OSError, socket.timeout):
                pass  # the client went away; what it did is its own business

    def flood(self, limit, pattern):
        if not self.open():
            return
        try:
            for piece in repeated(pattern, limit):
                self.conn.sendall(piece)
        except (OSError, socket.timeout):
            pass

    def close(self, reset=False, close_notify=True):
        """Closes the data connection: RST with @reset, else FIN, after TLS
        close_notify unless @close_notify is false (a truncation)."""
        conn, self.conn = self.conn, None
        if conn is None:
            return
        if reset:
            reset_and_close(conn)
            return
        if isinstance(conn, ssl.SSLSocket):
            if close_notify:
                send_close_notify(conn)
            else:
                try:
                    conn.shutdown(socket.SHUT_RDWR)  # drops the TLS layer first
                except OSError:
                    pass
        conn.close()

    def receive(self, limit=None):
        """Reads up to @limit bytes (None: to EOF); returns (count, sha256)."""
        digest = hashlib.sha256()
        count = 0
        if not self.open():
            return None
        tls = isinstance(self.conn, ssl.SSLSocket)
        try:
            while limit is None or count < limit:
                want = 65536 if limit is None else min(65536, limit - count)
                piece = self.conn.recv(want)
                if not piece:
                    if tls:
                        self.transcript.note("data tls close_notify received")
                    break
                digest.update(piece)
                count += len(piece)
        except ssl.SSLZeroReturnError:
            self.transcript.note("data tls close_notify received")
        except ssl.SSLEOFError:
            self.transcript.note("data tls EOF without close_notify")
        except (OSError, socket.timeout):
            self.transcript.note("data receive failed after %d bytes" % count)
        return count, digest.hexdigest()

    def thief(self):
        """Connects to the active address from another loopback address."""
        if self.target is None:
            self.transcript.note("thief: no active address")
            return
        try:
            sock = socket.create_connection(self.target, timeout=DATA_WAIT,
                                            source_address=("127.0.0.2", 0))
        except (OSError, socket.timeout) as e:
            self.transcript.note("thief could not connect: %s" % type(e).__name__)
            return
        sock.settimeout(THIEF_WAIT)
        try:
            sock.sendall(b"stolen data\r\n")
            closed = sock.recv(1) == b""
        except socket.timeout:
            closed = False
        except OSError:
            closed = True
        sock.close()
        self.transcript.note("thief connection from 127.0.0.2 %s" %
                             ("closed by the client" if closed else "left open by the client"))


# --------------------------------------------------------------------------
# The server

class Server:
    def __init__(self, script, transcript, family, tls):
        self.script = script
        self.transcript = transcript
        self.family = family
        self.tls = tls
        self.counts = {}
        host = "::1" if family == socket.AF_INET6 else "127.0.0.1"
        self.sock = socket.socket(family, socket.SOCK_STREAM)
        self.sock.bind((host, 0))
        self.sock.listen(8)
        self.port = self.sock.getsockname()[1]

    def serve_forever(self):
        while True:
            conn, _ = self.sock.accept()
            status("OPEN")
            try:
                Connection(self, conn).run()
            finally:
                status("CLOSED")

    def actions_for(self, verb):
        n = self.counts.get(verb, 0) + 1
        self.counts[verb] = n
        return self.script.actions_for(verb, n)


class Connection:
    def __init__(self, server, sock):
        self.server = server
        self.transcript = server.transcript
        self.sock = sock
        self.sock.settimeout(SOCKET_WAIT)
        # ABOR's Telnet Synch arrives as urgent data: keep it in the stream
        # so it can be stripped with the other Telnet bytes.
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_OOBINLINE, 1)
        self.buffer = b""
        self.data = DataChannel(server.family, server.transcript, server.tls)
        self.command = b""        # the current command line
        self.tls_on = False       # is the control connection encrypted now?
        self.buffer_start = 0     # stream offset of self.buffer[0]
        self.urgent_at = None     # stream offset of the last urgent byte

    def run(self):
        try:
            if self.server.script.tls_implicit:
                self.do_starttls()
            self.perform(self.server.actions_for("CONNECT"))
            while True:
                line = self.read_line()
                verb = line.split(b" ", 1)[0].decode("latin-1").upper()
                self.command = line
                self.perform(self.server.actions_for(verb))
        except ConnectionDone:
            pass
        finally:
            self.data.reset()
            self.sock.close()

    def receive(self):
        """Reads what the client sent next; b"" when it went away."""
        while True:
            try:
                if self.server.script.note_urgent and not self.tls_on:
                    # With SO_OOBINLINE a read stops at the urgent mark, so
                    # being at the mark means the next byte is the urgent
                    # one.  Asked once bytes are waiting: before they arrive
                    # there is no mark to be at.
                    if not select.select([self.sock], [], [], SOCKET_WAIT)[0]:
                        continue
                    if struct.unpack("i", fcntl.ioctl(self.sock.fileno(), SIOCATMARK, b"\0" * 4))[0]:
                        self.urgent_at = self.buffer_start + len(self.buffer)
                return self.sock.recv(65536)
            except socket.timeout:
                continue  # the client is thinking; the lifetime cap bounds this
            except ssl.SSLError as e:
                reason = tls_failure_reason(e)
                if reason != "connection closed":
                    self.transcript.note("tls read failed: %s" % reason)
                return b""
            except OSError:
                return b""

    def read_exact(self, count):
        """Reads exactly @count bytes, or notes the client's close and ends."""
        while len(self.buffer) < count:
            piece = self.receive()
            if not piece:
                self.transcript.note("the client closed the connection")
                raise ConnectionDone()
            self.buffer += piece
        data, self.buffer = self.buffer[:count], self.buffer[count:]
        self.buffer_start += count
        return data

    def read_line(self):
        while b"\n" not in self.buffer:
            if len(self.buffer) > LINE_CAP:
                self.transcript.note("command line over %d bytes" % LINE_CAP)
                raise ConnectionDone()
            piece = self.receive()
            if not piece:
                if self.buffer:
                    self.transcript.command(self.strip_telnet(self.buffer), "EOF")
                raise ConnectionDone()
            self.buffer += piece
        line, self.buffer = self.buffer.split(b"\n", 1)
        line_start = self.buffer_start
        self.buffer_start += len(line) + 1
        if self.urgent_at is not None and line_start <= self.urgent_at < self.buffer_start:
            raw = line + b"\n"
            self.transcript.note("urgent byte %s" % escape_bytes(raw[self.urgent_at - line_start:][:1]))
            stripped = raw[:len(raw) - len(raw.lstrip(TELNET_PREFIX))]
            if stripped:
                self.transcript.note("telnet %s" % escape_bytes(stripped))
            self.urgent_at = None
        if line.endswith(b"\r"):
            line, ending = line[:-1], "CRLF"
        else:
            ending = "LF"
        line = self.strip_telnet(line)
        self.transcript.command(line, ending)
        return line

    def strip_telnet(self, line):
        # Under TLS the Telnet bytes have no business in the stream: keep
        # them, so the transcript shows them.
        return line if self.tls_on else line.lstrip(TELNET_PREFIX)

    def argument(self):
        parts = self.command.split(b" ", 1)
        return parts[1].decode("latin-1") if len(parts) > 1 else ""

    def send(self, data):
        send_all(self.sock, data)

    def close(self, reset=False):
        if reset:
            reset_and_close(self.sock)
        else:
            self.sock.close()
        raise ConnectionDone()

    def perform(self, actions):
        for action in actions:
            getattr(self, "do_" + action[0])(*action[1:])

    # Control actions ------------------------------------------------------

    def do_reply(self, text):
        self.send(self.data.substitute(text) + b"\r\n")

    def do_raw(self, text):
        self.send(self.data.substitute(text))

    def do_slow(self, ms, text):
        for byte in self.data.substitute(text) + b"\r\n":
            self.send(bytes((byte,)))
            time.sleep(ms / 1000.0)

    def do_closeafter(self, count, text):
        self.send((self.data.substitute(text) + b"\r\n")[:count])
        self.close()

    def do_flood(self, limit, pattern):
        for piece in repeated(pattern, limit):
            self.send(piece)

    def do_delay(self, seconds):
        time.sleep(seconds)

    def do_noreply(self):
        pass

    def do_close(self):
        self.close()

    def do_rst(self):
        self.close(reset=True)

    # TLS actions ------------------------------------------------------------

    def do_starttls(self):
        if self.server.tls is None:
            self.transcript.note("tls impossible: the server has no --pki")
            self.close()
        if self.buffer:
            self.transcript.note("%d bytes came before the handshake" % len(self.buffer))
            self.close()
        try:
            self.sock = self.server.tls.wrap(self.sock)
        except TlsFailed as e:
            self.transcript.note("tls handshake failed: %s" % e)
            raise ConnectionDone()  # wrap() closed the socket
        self.tls_on = True
        self.transcript.note("tls handshake ok %s" % self.sock.version())

    def do_clienthello(self):
        header = self.read_exact(5)
        if header[0] != 0x16:  # not a handshake record
            self.transcript.note("expected a TLS record, got %s" % escape_bytes(header))
            return
        body = self.read_exact(struct.unpack("!H", header[3:5])[0])
        if body[:1] == b"\x01":
            self.transcript.note("tls ClientHello received")
        else:
            self.transcript.note("tls handshake message %d instead of a ClientHello"
                                 % (body[0] if body else -1))

    def do_waitclose(self):
        self.buffer = b""
        while self.receive():
            pass
        self.transcript.note("the client closed the connection")
        raise ConnectionDone()

    def do_unwrap(self):
        if not self.tls_on:
            self.transcript.note("unwrap: the control connection is not encrypted")
            return
        try:
            self.sock = self.sock.unwrap()
        except (OSError, ValueError) as e:
            self.transcript.note("tls unwrap failed: %s" % tls_failure_reason(e))
            self.close()
        self.tls_on = False
        self.transcript.note("tls unwrapped: clear text from here")

    def do_prot(self):
        level = self.argument().strip().upper()
        if level in ("P", "C"):
            self.data.protect = level == "P"
        else:
            self.transcript.note("PROT level %r not understood" % level)

    def do_datacut(self):
        self.data.close(close_notify=False)

    def do_datastall(self):
        self.data.open(handshake=False)

    # Data actions -----------------------------------------------------------

    def do_epsv(self, text):
        self.data.listen()
        self.do_reply(text or b"229 Entering Extended Passive Mode (|||{port}|)")

    def do_pasv(self, text):
        self.data.listen()
        self.do_reply(text or b"227 Entering Passive Mode (127,0,0,1,{p1},{p2})")

    def do_listen(self):
        self.data.listen()

    def do_nolisten(self):
        self.data.listen(really_listen=False)

    def do_active(self):
        verb = self.command.split(b" ", 1)[0].decode("latin-1").upper()
        self.data.set_target(verb, self.argument())

    def do_dataopen(self):
        self.data.open()

    def do_data(self, text):
        self.data.send(text)

    def do_dataflood(self, limit, pattern):
        self.data.flood(limit, pattern)

    def do_dataclose(self):
        self.data.close()

    def do_datarst(self):
        self.data.close(reset=True)

    def do_datarecv(self):
        result = self.data.receive()
        if result is not None:
            self.transcript.note("received %d bytes sha256 %s" % result)

    def do_datarecvclose(self, limit):
        result = self.data.receive(limit)
        if result is not None:
            self.transcript.note("received %d bytes then reset the data connection"
                                 % result[0])
        self.data.close(reset=True)

    def do_thief(self):
        self.data.thief()

    def do_serve(self, text):
        self.do_reply(b"150 Opening data connection")
        self.data.send(text)
        self.data.close()
        self.do_reply(b"226 Transfer complete")

    def do_store(self):
        self.do_reply(b"150 Ready to receive")
        self.do_datarecv()
        self.data.close()
        self.do_reply(b"226 Transfer complete")


def status(word):
    sys.stdout.write(word + "\n")
    sys.stdout.flush()


def exit_after(seconds):
    """The server stops by itself, whatever the test does."""
    time.sleep(seconds)
    os._exit(3)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--script", required=True)
    parser.add_argument("--transcript", required=True)
    parser.add_argument("--family", choices=["4", "6"], default="4")
    parser.add_argument("--lifetime", type=float, default=60.0)
    parser.add_argument("--pki", help="directory of make_test_pki.py's files")
    args = parser.parse_args()

    try:
        with open(args.script, encoding="latin-1") as f:
            script = Script(f.read())
        tls = None
        if args.pki is not None:
            tls = ServerTls(args.pki, script)
    except (OSError, ScriptError, ssl.SSLError) as e:
        sys.stderr.write("hostile_server: %s\n" % e)
        return 2
    family = socket.AF_INET6 if args.family == "6" else socket.AF_INET
    server = Server(script, Transcript(args.transcript), family, tls)
    threading.Thread(target=exit_after, args=(args.lifetime,), daemon=True).start()
    status("READY %d" % server.port)
    server.serve_forever()
    return 0


if __name__ == "__main__":
    sys.exit(main())
