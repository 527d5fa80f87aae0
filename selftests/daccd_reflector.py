#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
# A STAMP Session-Sender and the hostile peers of daccd_reflector.sh.
#   probe SRC DST PORT COUNT PPS [bcast]  test packets from SRC; prints
#                                         "SENT ANSWERED SOURCE,SOURCE..."
#   spoof SRC SPORT DST DPORT             one test packet from SRC:SPORT (raw)
#   echo ADDR PORT SECONDS                a UDP echo service; prints echoes
#   junk SRC DST PORT COUNT PPS           short datagrams from SRC
#   hold ADDR PORT SECONDS                keep a UDP port bound (0: any; prints it)
#   http ADDR PORT MODE                   MODE: idle N SECONDS | split PATH |
#                                         get PATH | slow PATH
import socket
import struct
import sys
import time


def test_pkt(seq):
    # RFC 8762 4.2.1: seq, timestamp, error estimate, 30 MBZ octets
    ts = int((time.time() + 2208988800) * (1 << 32))
    return struct.pack("!IQH", seq, ts, 0x0001) + bytes(30)


def paced(n, pps, fn):
    t0 = time.monotonic()
    for i in range(n):
        fn(i)
        lag = t0 + (i + 1) / pps - time.monotonic()
        if lag > 0:
            time.sleep(lag)


def probe(src, dst, port, count, pps, bcast=False):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    if bcast:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_BROADCAST, 1)
    s.bind((src, 0))
    s.setblocking(False)
    answered, sources = set(), set()

    def drain():
        while True:
            try:
                data, peer = s.recvfrom(2048)
            except BlockingIOError:
                return
            if len(data) >= 44:
                answered.add(struct.unpack("!I", data[24:28])[0])
                sources.add(peer[0])

    def one(i):
        try:
            s.sendto(test_pkt(i), (dst, port))
        except OSError:
            pass
        drain()

    paced(count, pps, one)
    end = time.monotonic() + 1.0
    while time.monotonic() < end:
        drain()
        time.sleep(0.02)
    print(count, len(answered), ",".join(sorted(sources)) or "-")


def spoof(src, sport, dst, dport):
    p = test_pkt(7)
    ulen = 8 + len(p)
    hdr = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + ulen, 4242, 0, 64, socket.IPPROTO_UDP,
                      0, socket.inet_aton(src), socket.inet_aton(dst))
    s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)
    s.sendto(hdr + struct.pack("!HHHH", sport, dport, ulen, 0) + p, (dst, 0))
    print(1)


def echo(addr, port, seconds):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind((addr, port))
    s.settimeout(0.1)
    n, end = 0, time.monotonic() + seconds
    while time.monotonic() < end:
        try:
            data, peer = s.recvfrom(2048)
        except socket.timeout:
            continue
        s.sendto(data, peer)
        n += 1
    print(n)


def junk(src, dst, port, count, pps):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind((src, 0))
    paced(count, pps, lambda i: s.sendto(b"\x01" * (i % 40 + 1), (dst, port)))
    print(count)


def hold(addr, port, seconds):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind((addr, port))
    print(s.getsockname()[1], flush=True)
    time.sleep(seconds)


def http_get(addr, port, raw, rcvbuf=0, pause=0.0):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    if rcvbuf:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
    s.settimeout(10)
    s.connect((addr, port))
    for part in raw:
        s.sendall(part)
        time.sleep(pause)
    buf = b""
    while True:
        try:
            d = s.recv(65536)
        except socket.timeout:
            break
        if not d:
            break
        buf += d
    head, _, body = buf.partition(b"\r\n\r\n")
    lines = head.decode(errors="replace").split("\r\n")
    status = lines[0].split(" ")[1] if " " in lines[0] else "none"
    clen = -1
    for h in lines[1:]:
        if h.lower().startswith("content-length:"):
            clen = int(h.split(":")[1])
    return status, clen, body


def http(addr, port, mode, args):
    if mode == "idle":
        n, secs = int(args[0]), float(args[1])
        conns = []
        for _ in range(n):
            c = socket.socket()
            c.connect((addr, port))
            conns.append(c)
        # with every idle connection still open, one real scrape
        st, clen, body = http_get(addr, port, [b"GET /metrics HTTP/1.0\r\n\r\n"])
        print(st, clen, len(body))
        time.sleep(secs)
        return
    path = args[0].encode()
    req = b"GET " + path + b" HTTP/1.0\r\n\r\n"
    if mode == "split":
        st, clen, body = http_get(addr, port, [req[:7], req[7:]], pause=0.3)
    elif mode == "slow":
        st, clen, body = http_get(addr, port, [req], rcvbuf=4096, pause=1.0)
    elif mode == "post":
        st, clen, body = http_get(addr, port, [b"POST " + path + b" HTTP/1.0\r\n"
                                               b"Content-Length: 0\r\n\r\n"])
    else:
        st, clen, body = http_get(addr, port, [req])
    last = body.rstrip(b"\n").split(b"\n")[-1].decode(errors="replace") if body else ""
    print(st, clen, len(body), last)


def main():
    m, a = sys.argv[1], sys.argv[2:]
    if m == "probe":
        probe(a[0], a[1], int(a[2]), int(a[3]), float(a[4]), len(a) > 5 and a[5] == "bcast")
    elif m == "spoof":
        spoof(a[0], int(a[1]), a[2], int(a[3]))
    elif m == "echo":
        echo(a[0], int(a[1]), float(a[2]))
    elif m == "junk":
        junk(a[0], a[1], int(a[2]), int(a[3]), float(a[4]))
    elif m == "hold":
        hold(a[0], int(a[1]), float(a[2]))
    elif m == "http":
        http(a[0], int(a[1]), a[2], a[3:])


main()
