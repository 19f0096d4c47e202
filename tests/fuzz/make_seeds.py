#!/usr/bin/env python3
"""Writes the seed corpora under tests/fuzz/corpus/ (committed; rerun after
editing this file).  Each seed is one scenario of the test suite
(tests/unit/*.cc, tests/integration/hostile/*.c, reliability.md section 2)
in the input format of its target, described at the top of each
tests/fuzz/fuzz_*.cc.  Reproducers of fixed bugs (corpus/*/crash-*) are kept
by hand, not made here.

Usage: make_seeds.py [OUTPUT_DIR]   (default: corpus/ next to this file)
"""
import os
import struct
import sys

OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus")


def b(text):
    return text.encode("latin-1") if isinstance(text, str) else bytes(text)


def write(target, name, data):
    d = os.path.join(OUT, target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "seed-" + name), "wb") as f:
        f.write(data)


# ---------------------------------------------------------------- fuzz_reply
# byte 0: caps (bits 0-1 line 65536|512|40|4, 2-3 bytes 1M|4096|300|16,
# 4-5 lines 10000|100|5|1, bit 6 line mode); bytes 1-3: chunk sizes.

def caps(line=0, nbytes=0, lines=0, line_mode=False):
    return line | nbytes << 2 | lines << 4 | (0x40 if line_mode else 0)


def reply_seed(name, stream, cap=0, chunks=(0, 0, 0)):
    write("fuzz_reply", name, bytes([cap, *chunks]) + b(stream))


reply_seed("single-line", "220 Service ready\r\n")
reply_seed("code-only", "200\r\n")
reply_seed("multiline-inner-codes", "211-Features:\r\n MDTM\r\n200 inner\r\n211-again\r\n\r\n211 End\r\n")
reply_seed("padded-inner-lines", "211-a\r\n 211 padded\r\n211-again\r\n\r\n211 b\r\n")
reply_seed("bare-lf", "230-hello\n230 done\n")
reply_seed("bare-cr", "220 a\rb")
reply_seed("byte-by-byte", "250-first\r\n250 last\r\n", chunks=(1, 1, 1))
reply_seed("odd-chunks", "250-first\r\n250-second\r\n250 last\r\n", chunks=(3, 1, 7))
reply_seed("line-at-cap-512", "550 " + "x" * 508 + "\r\n", cap=caps(line=1))
reply_seed("line-over-cap-512", "550 " + "x" * 509 + "\r\n", cap=caps(line=1))
reply_seed("line-at-cap-40", "550 " + "x" * 36 + "\r\n", cap=caps(line=2))
reply_seed("endless-no-lf", "220-no line end ever " * 40, cap=caps(line=1))
reply_seed("lines-at-cap-5", "250-start\r\n line\r\n line\r\n line\r\n250 end\r\n", cap=caps(lines=2))
reply_seed("lines-over-cap-5", "250-start\r\n line\r\n line\r\n line\r\n line\r\n250 end\r\n", cap=caps(lines=2))
reply_seed("bytes-over-cap-300", "211-status\r\n" + " status line\r\n" * 30 + "211 end\r\n", cap=caps(nbytes=2))
reply_seed("nul-in-reply", "220 a\0b\r\n")
for i, bad in enumerate(["2000 ok", "20 ok", "abc", "999 x", "600 x", " 220 x", "", "22a x", "220x",
                         "631 protected", "633 x"]):
    reply_seed("malformed-code-%d" % i, bad + "\r\n")
reply_seed("eof-before-reply", "")
reply_seed("eof-inside-multiline", "211-start\r\n more\r\n")
reply_seed("two-replies", "150 opening\r\n226 done\r\n")
reply_seed("banner-120-then-220", "120 ready in 1 minute\r\n220 ready now\r\n")
reply_seed("banner-multiline", "220-Welcome\r\n220-to the\r\n220 server\r\n")
reply_seed("banner-http", "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n")
reply_seed("banner-421", "421 too many users\r\n")
reply_seed("long-5xx", "550 " + "e" * 700 + "\r\n", cap=caps(line=1))
reply_seed("pwd-257", '257 "/a""b" is current directory\r\n')
reply_seed("non-utf8", "250 \xc3\x28 \xff\xfe ok\r\n")
reply_seed("abor-426-226", "426 Transfer aborted\r\n226 Abort successful\r\n")
reply_seed("listing-lines", "crlf\r\nlf\n\r\nlast", cap=caps(line_mode=True))
reply_seed("listing-names", "../x\r\n/etc/passwd\r\na/b\r\nC:\\x\r\nfile:\r\n", cap=caps(line_mode=True))
reply_seed("listing-over-cap", "short line\r\n" + "y" * 600, cap=caps(line=1, line_mode=True))
reply_seed("listing-cr-at-eof", "abc\r", cap=caps(line=3, line_mode=True))

# -------------------------------------------------------------- fuzz_parsers
# byte 0 (mod 7): 0 227, 1 229, 2 257, 3 213 SIZE, 4 150 hint, 5 MLSD line,
# 6 reply code.

PARSERS = {
    0: ["227 Entering Passive Mode (127,0,0,1,4,1)", "227 passively listen to 10,1,2,3,200,7 now",
        "227 =192,168,0,1,255,255", "227 (1216,256,2,127,127,127)", "227 (127,0,0,1,0,0)", "227 (127,0,0,1,4)",
        "227 (127,0,0,1,-4,1)", "227 no numbers here", "227 (127,0,0,1,4,256)", "227 (99999999999,0,0,1,4,1)",
        "227 Entering Passive Mode (252,253,254,255,4,1)", "227 Entering Passive Mode 127,0,0,1,4,1"],
    1: ["229 Entering Extended Passive Mode (|||6446|)", "229 ok (!!!6446!)", "229 ok (|1|10.0.0.1|6446|)",
        "229 ok (|||65535|)", "229 ok (|||0|)", "229 ok (|||1000000|)", "229 ok (|||65536|)", "229 ok (|||12a|)",
        "229 ok |||6446|", "229 ok (||6446|)", "229 ok (|||6446!)", "229 ok (|||-5|)", "229 ok (1116441)",
        "229 ok (|||6446|", "229 ok ()", "229 ok (|||  |)", "229 Entering Extended Passive Mode"],
    2: ['257 "/a""b" created', '257 ""', '257 "/home/user" is cwd', '257 rubbish "/p"', '257 "/sp ace"',
        '257 "/abc', '257 "/a\x03z"', '257 "/a\rz"', '257-"/abc\n257 " end', '257 "/abc\n257 end"', '250 "/x"',
        '257 "/new""dir""" created', '257 rubbish', '257 "/a\rDELE b" ok'],
    3: ["213 51", "213 0", "213 18446744073709551615", "213  42 ", "213 file: 213, Size =51", "213 -5",
        "213 99999999999999999999", "213 18446744073709551616", "213 12abc", "213 ", "213", "212 5"],
    4: ["150 Opening BINARY mode data connection for f (1234 bytes)",
        "150 Opening data connection for a (b) (77 BYTES)", "150 Opening data connection", "150 (12x bytes)",
        "125 Transfer starting (10 bytes)", "150 x (99999999999999999999999 bytes)",
        "150 Opening data connection (lots of bytes)", "150 Opening (99999999999999999999 bytes)",
        "150-multi (5 bytes)\n150 end (6 bytes)"],
    5: ["Type=file;Size=10;UNIX.mode=0644; my file;name.txt", "type=file;x-hash=a=b=c; f", "type=dir; ",
        "type=dir;", "type=cdir;perm=el;unique=8UA; .", "modify=20240101000000;size=0;type=file;TYPE=dir; dup",
        "", " name only", ";;; x"],
    6: ["150-x", "550", "55", "0550 x", "220 ok", "2000 ok", "631 x", "220-"],
}
for sel, texts in PARSERS.items():
    for i, text in enumerate(texts):
        write("fuzz_parsers", "%d-%02d" % (sel, i), bytes([sel]) + b(text))

# -------------------------------------------------------------- fuzz_command
# byte 0: server behaviour; then NUL-separated fields: the program (one API
# call per byte, mod 21) and the string arguments.
OPS = {"connect": 0, "login": 1, "cwd": 2, "mkd": 3, "rmd": 4, "delete": 5, "rename": 6, "size": 7,
       "sendcmd": 8, "voidcmd": 9, "retrbinary": 10, "retrlines": 11, "storbinary": 12, "storlines": 13,
       "nlst": 14, "dir": 15, "mlsd": 16, "transfercmd": 17, "pwd": 18, "abort": 19, "quit": 20}


def command_seed(name, flags, calls, args):
    program = bytes(OPS[c] or 21 for c in calls)  # 21 is op 0 without a NUL
    write("fuzz_command", name, bytes([flags]) + b"\0".join([program] + [b(a) for a in args]))


command_seed("login", 0, ["login"], ["user", "secret", ""])
command_seed("login-account", 2, ["login"], ["bob", "pw", "acct1"])
command_seed("login-injection", 0, ["login"], ["a\r\nDELE x", "p", ""])
command_seed("login-pass-lf", 0, ["login"], ["u", "pw\nDELE x", ""])
command_seed("cwd-injection", 0, ["cwd", "cwd", "cwd"], ["a\r\nDELE x", "\n", "\r"])
command_seed("cwd-dotdot", 0, ["cwd"], [".."])
command_seed("paths", 0, ["mkd", "rmd", "delete", "size", "pwd"], ["dir with space/\xc3\xbc", "x\xff\xf4y"])
command_seed("rename", 0, ["rename"], ["a", "b\r\nDELE c"])
command_seed("sendcmd", 0, ["sendcmd", "voidcmd", "sendcmd"], ["NOOP", "NOOP\r\nDELE x", "NOOP\r"])
command_seed("transfers-epsv", 0, ["retrbinary", "retrlines", "storbinary", "storlines"],
             ["RETR a", "LIST", "STOR b", "line1\nline2\r\n", "STOR c\r\nDELE d", "x\r"])
command_seed("transfers-pasv", 8, ["retrbinary", "nlst", "dir"], ["RETR a", "", "sub"])
command_seed("transfers-active", 12, ["retrbinary", "storlines"], ["RETR a", "APPE b", "a\nb"])
command_seed("fallback-classic", 16, ["retrbinary", "dir"], ["RETR a", ""])
command_seed("mlsd-facts", 0, ["mlsd", "mlsd"], ["dir", "type", "size;x", "", "", ""])
command_seed("transfercmd-abort", 0, ["transfercmd", "abort", "quit"], ["RETR big"])
command_seed("reconnect", 0, ["quit", "connect", "login", "connect"], ["host", "u", "p", "", "bad\rhost"])
command_seed("empty-args", 0, ["cwd", "sendcmd", "retrbinary", "connect"], [""])

# -------------------------------------------------------------- fuzz_session
# byte 0: flags (bits 0-1 data mode, 2 trust PASV, 3 go silent, 4 small caps,
# 5 REST 5, 6 callbacks stop early); byte 1: upload size / 16; then records
# type (even: control reply, odd: data payload), 2-byte length, value.
EOF_, KEEP, CLOSE, REFUSE = 0, 1, 2, 3


def R(text):
    return ("r", b(text))


def D(payload, end=EOF_):
    return ("d", bytes([end]) + b(payload))


def session_seed(name, items, flags=0, upload=4):
    out = bytes([flags, upload])
    for kind, value in items:
        out += bytes([0 if kind == "r" else 1]) + struct.pack(">H", len(value)) + value
    write("fuzz_session", name, out)


LOGIN = [R("220 fuzz ready\r\n"), R("331 password please\r\n"), R("230 logged in\r\n")]
PWD_CWD_SIZE = [R('257 "/home/user" is cwd\r\n'), R("250 ok\r\n"), R("213 12\r\n")]


def passive(n):
    return R("229 Entering Extended Passive Mode (|||%d|)\r\n" % (1024 + n))


def transfer(n, data, end=EOF_, type_reply="200 Type set\r\n"):
    return [R(type_reply), passive(n), R("150 Opening data connection (%d bytes)\r\n" % len(data)), D(data, end),
            R("226 Transfer complete\r\n")]


LISTING = "-rw-r--r-- 1 u g 12 Jan 1 00:00 file\r\ndrwxr-xr-x 2 u g 0 Jan 1 00:00 sub\r\n"
MLSD = "type=file;size=12;modify=20240101000000; file\r\ntype=dir;perm=el; sub\r\n"
TAIL_ABORT = [passive(5), R("150 Opening data connection\r\n"), D("0123456789" * 8, KEEP),
              R("426 Transfer aborted\r\n"), R("226 Abort successful\r\n"), R("221 bye\r\n")]
HAPPY = (LOGIN + PWD_CWD_SIZE + transfer(1, "hello world!") + transfer(2, LISTING, type_reply="200 Type A\r\n")
         + transfer(3, MLSD, type_reply="200 Type A\r\n") + transfer(4, "") + TAIL_ABORT)

session_seed("happy-epsv", HAPPY)
HAPPY_REST = HAPPY[:8] + [R("350 Restarting at 5\r\n")] + HAPPY[8:]
session_seed("happy-rest", HAPPY_REST, flags=0x20)
session_seed("happy-stop-early", HAPPY, flags=0x40)
session_seed("happy-small-caps", HAPPY, flags=0x10)
session_seed("happy-silent-at-end", HAPPY[:-1], flags=0x08)


def with_passive(items, reply):
    return [R(reply) if k == "r" and v.startswith(b"229 ") else (k, v) for k, v in items]


session_seed("pasv-only", with_passive(HAPPY, "227 Entering Passive Mode (127,0,0,1,4,1)\r\n"), flags=2)
session_seed("pasv-trusted-third-party", with_passive(HAPPY, "227 Entering Passive Mode (10,9,8,7,4,1)\r\n"),
             flags=2 | 4)
session_seed("pasv-no-parens", with_passive(HAPPY, "227 Entering Passive Mode 127,0,0,1,4,1\r\n"), flags=2)
session_seed("epsv-unknown-fallback",
             LOGIN + PWD_CWD_SIZE + [R("200 Type set\r\n"), R("500 EPSV not understood\r\n"),
                                     R("227 Entering Passive Mode (127,0,0,3,4,1)\r\n"), R("150 ok\r\n"),
                                     D("hello"), R("226 done\r\n"), R("221 bye\r\n")])
session_seed("active-eprt", with_passive(HAPPY, "200 EPRT ok\r\n"), flags=3)
session_seed("active-eprt-unknown-port",
             LOGIN + PWD_CWD_SIZE + [R("200 Type set\r\n"), R("500 EPRT not understood\r\n"), R("200 PORT ok\r\n"),
                                     R("150 ok\r\n"), D("xyz"), R("226 done\r\n")], flags=3)
session_seed("active-never-connects",
             LOGIN + PWD_CWD_SIZE + [R("200 Type set\r\n"), R("200 EPRT ok\r\n"), R("150 I will never connect\r\n"),
                                     D("", REFUSE)], flags=3)
# Catalogue B: banners and framing.
session_seed("banner-120-220", [R("120 ready in 1 minute\r\n"), R("220 ready now\r\n")] + LOGIN[1:])
session_seed("banner-multiline", [R("220-Welcome\r\n220-to the\r\n220 server\r\n")] + LOGIN[1:])
session_seed("banner-421", [R("421 too many users\r\n")])
session_seed("banner-230", [R("230 you are already in\r\n"), R('257 "/"\r\n')])
session_seed("banner-http", [R("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n")])
session_seed("banner-then-extra-reply", [R("220 hello\r\n230 you are in anyway\r\n")] + LOGIN[1:])
session_seed("unsolicited-second-reply", LOGIN + [R('257 "/x"\r\n200 surprise\r\n'), R("250 ok\r\n")])
session_seed("reply-split-across-records", [R("220-Wel"), R("come\r\n220 "), R("ready\r\n")] + LOGIN[1:])
session_seed("bare-lf-replies", [R("220 hi\n"), R("331 pw\n"), R("230 in\n"), R('257 "/lf" is cwd\n')])
session_seed("nul-in-reply", LOGIN + [R('257 "/a\0b"\r\n')])
session_seed("long-line-small-caps", LOGIN + [R("257 " + "a" * 600 + "\r\n")], flags=0x10)
session_seed("many-lines-small-caps", LOGIN + [R("257-x\r\n" + " l\r\n" * 9 + "257 end\r\n")], flags=0x10)
session_seed("login-account", LOGIN[:2] + [R("332 need account\r\n"), R("230 logged in with account\r\n")])
session_seed("login-refused", LOGIN[:2] + [R("530 Login incorrect\r\n")])
session_seed("421-mid-session", LOGIN + [R("421 Service not available, closing control connection\r\n")])
# Catalogue C: payloads.
session_seed("pwd-unterminated", LOGIN + [R('257 "/abc\r\n'), R("250 ok\r\n"), R("213 5\r\n")])
session_seed("pwd-control-char", LOGIN + [R('257 "/a\x03b" ok\r\n'), R("250 ok\r\n")])
session_seed("pwd-doubled-quotes", LOGIN + [R('257 "/a""b" is current directory\r\n')])
session_seed("size-garbage", LOGIN + PWD_CWD_SIZE[:2] + [R("213 file: 213, Size =51\r\n")])
session_seed("size-overflow", LOGIN + PWD_CWD_SIZE[:2] + [R("213 99999999999999999999\r\n")])
session_seed("cwd-cdup-fallback", LOGIN + [R('257 "/"\r\n'), R("500 CDUP unknown\r\n"), R("250 ok\r\n")])
# Catalogue D: data connection setup.
session_seed("pasv-bad-numbers", LOGIN + PWD_CWD_SIZE + [R("200 Type set\r\n"),
                                                        R("227 Entering Passive Mode (1216,256,2,127,127,127)\r\n")],
             flags=2)
session_seed("pasv-port-zero", LOGIN + PWD_CWD_SIZE + [R("200 Type set\r\n"),
                                                      R("227 Entering Passive Mode (127,0,0,1,0,0)\r\n")], flags=2)
session_seed("epsv-port-zero", LOGIN + PWD_CWD_SIZE + [R("200 Type set\r\n"), R("229 ok (|||0|)\r\n")])
session_seed("epsv-other-delimiter", LOGIN + PWD_CWD_SIZE + [R("200 Type set\r\n"), R("229 ok (!!!6446!)\r\n"),
                                                            R("150 ok\r\n"), D("data"), R("226 done\r\n")])
session_seed("data-connect-refused", LOGIN + PWD_CWD_SIZE + [R("200 Type set\r\n"), passive(1), D("", REFUSE),
                                                            R("200 Type A\r\n"), passive(2), R("150 ok\r\n"),
                                                            D(LISTING), R("226 done\r\n")])
session_seed("retr-425", LOGIN + PWD_CWD_SIZE + [R("200 Type set\r\n"), passive(1),
                                                R("425 Can't open data connection\r\n")])
session_seed("retr-421", LOGIN + PWD_CWD_SIZE + [R("200 Type set\r\n"), passive(1), R("421 Service closing\r\n")])
# Catalogue E: transfer lifecycle.
session_seed("retr-125", LOGIN + PWD_CWD_SIZE + [R("200 Type set\r\n"), passive(1), R("125 Transfer starting\r\n"),
                                                D("hello"), R("226 done\r\n")])
session_seed("retr-150-226-together", LOGIN + PWD_CWD_SIZE + [R("200 Type set\r\n"), passive(1),
                                                             R("150 ok\r\n226 done\r\n"), D("weirdo data")])
session_seed("retr-2xx-before-150", LOGIN + PWD_CWD_SIZE + [R("200 Type set\r\n"), passive(1),
                                                           R("200 early\r\n150 ok\r\n"), D("x"), R("226 done\r\n")])
session_seed("retr-final-426", LOGIN + PWD_CWD_SIZE + transfer(1, "partial")[:-1] + [R("426 aborted\r\n")])
session_seed("retr-final-552", LOGIN + PWD_CWD_SIZE + transfer(1, "partial")[:-1] + [R("552 disk full\r\n")])
session_seed("retr-data-stalls", LOGIN + PWD_CWD_SIZE + transfer(1, "the first part, and then nothing", KEEP))
session_seed("retr-data-reset", LOGIN + PWD_CWD_SIZE + transfer(1, "some of it", CLOSE)[:-1]
             + [R("426 Connection reset; transfer aborted\r\n")])
session_seed("stor-552", LOGIN + PWD_CWD_SIZE + transfer(1, "a") + transfer(2, LISTING) + transfer(3, MLSD)
             + [R("200 Type I\r\n"), passive(4), R("150 send it\r\n"), D("", CLOSE), R("552 disk full\r\n")],
             upload=200)
session_seed("stor-server-never-closes", LOGIN + PWD_CWD_SIZE + transfer(1, "a") + transfer(2, LISTING)
             + transfer(3, MLSD) + [R("200 Type I\r\n"), passive(4), R("150 send it\r\n"), D("", KEEP),
                                    R("226 done\r\n")], upload=16)
session_seed("list-empty", LOGIN + PWD_CWD_SIZE + transfer(1, "x") + transfer(2, ""))
session_seed("list-hostile-names", LOGIN + PWD_CWD_SIZE + transfer(1, "x")
             + transfer(2, "../x\r\n/etc/passwd\r\na/b\r\nC:\\x\r\nfile:\r\nlast-no-eol"))
session_seed("list-over-cap", LOGIN + PWD_CWD_SIZE + transfer(1, "x") + transfer(2, "short\r\n" + "y" * 700),
             flags=0x10)
session_seed("mlsd-odd-facts", LOGIN + PWD_CWD_SIZE + transfer(1, "x") + transfer(2, LISTING)
             + transfer(3, "Type=file;Size=10;UNIX.mode=0644; my file;name.txt\r\ntype=dir;\r\n;;; x\r\n \r\n"))
# Catalogue G: ABOR.
ALL_TRANSFERS = (LOGIN + PWD_CWD_SIZE + transfer(1, "a") + transfer(2, LISTING) + transfer(3, MLSD)
                 + transfer(4, ""))
session_seed("abor-226-only", ALL_TRANSFERS + TAIL_ABORT[:3] + [R("226 Transfer complete\r\n"), R("225 ok\r\n"),
                                                               R("200 NOOP ok\r\n"), R("221 bye\r\n")])
session_seed("abor-426-225", ALL_TRANSFERS + TAIL_ABORT[:3] + [R("426 aborted\r\n"), R("225 ABOR ok\r\n")])
session_seed("abor-500", ALL_TRANSFERS + TAIL_ABORT[:3] + [R("500 ABOR? never heard of it\r\n")])
session_seed("abor-ignored", ALL_TRANSFERS + TAIL_ABORT[:3], flags=0x08)
session_seed("abor-after-finish", ALL_TRANSFERS + [passive(5), R("150 ok\r\n"), D("short"), R("226 done\r\n"),
                                                  R("225 nothing to abort\r\n"), R("221 bye\r\n")])
session_seed("quit-no-reply", ALL_TRANSFERS + [passive(5), D("", REFUSE), R("225 nothing\r\n")], flags=0x08)
