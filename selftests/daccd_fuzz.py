#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
# Malformed, truncated, spoofed and flooding STAMP packets for daccd_fuzz.sh.
#   daccd_fuzz.py sender ADDR PORT SPOOF_SRC SPOOF_PORT   (the Session-Sender)
#   daccd_fuzz.py reflector ADDR PORT                     (a Session-Reflector)
#   daccd_fuzz.py flood ADDR PORT COUNT
#   daccd_fuzz.py loop ADDR PORT FROM_PORT
import random
import socket
import struct
import sys

random.seed(8762)


def udp(to, payloads, sport=0):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    if sport:
        s.bind(("0.0.0.0", sport))
    for p in payloads:
        try:
            s.sendto(p, to)
        except OSError:
            pass
    return len(payloads)


def csum(b):
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def spoofed(src, sport, dst, dport, payloads):
    """UDP from src:sport (an address of this namespace) with a raw socket."""
    s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)
    for p in payloads:
        ulen = 8 + len(p)
        hdr = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + ulen, random.randrange(65536), 0,
                          64, socket.IPPROTO_UDP, 0, socket.inet_aton(src),
                          socket.inet_aton(dst))
        u = struct.pack("!HHHH", sport, dport, ulen, 0) + p
        s.sendto(hdr + u, (dst, 0))
    return len(payloads)


def junk(lo, hi, n):
    return [bytes(random.randrange(256) for _ in range(random.randint(lo, hi)))
            for _ in range(n)]


def refl_pkt(seq, ts, ss_seq, ss_ts, err=0x0001, rx=None):
    return struct.pack("!IQHHQIQHHB3s", seq, ts, err, 0, rx if rx else ts, ss_seq, ss_ts,
                       0x0001, 0, 255, b"\0\0\0")


def main():
    mode, addr, port = sys.argv[1], sys.argv[2], int(sys.argv[3])
    sent = 0
    if mode == "sender":
        src, sport = sys.argv[4], int(sys.argv[5])
        pk = [b""] + [bytes(n) for n in range(1, 44)] + junk(1, 43, 100)
        pk += junk(44, 300, 200)
        # well-formed reflections of probes never sent
        pk += [refl_pkt(random.randrange(1 << 32), random.randrange(1, 1 << 64),
                        random.randrange(1 << 32), random.randrange(1, 1 << 64))
               for _ in range(200)]
        # zero timestamps, zero error-estimate multiplier
        pk += [refl_pkt(1, 0, 1, 0), refl_pkt(1, 1, 1, 1, err=0)] * 20
        sent += udp((addr, port), pk)
        # the same, from the reflector's own address and port
        sent += spoofed(src, sport, addr, port, pk)
    elif mode == "reflector":
        pk = [b""] + [bytes(n) for n in range(1, 44)] + junk(1, 43, 100)
        pk += junk(44, 2000, 200) + [b"\xff" * 44, b"\0" * 44]
        sent += udp((addr, port), pk)
    elif mode == "flood":
        # valid test packets (MBZ zero): a reflection would be dropped as a loop
        sent += udp((addr, port), [struct.pack("!IQH", i, 1 << 32, 1) + bytes(30)
                                   for i in range(int(sys.argv[4]))])
    elif mode == "loop":
        sent += udp((addr, port), [b"\x01" * 44] * 10, sport=int(sys.argv[4]))
    print(sent)


main()
