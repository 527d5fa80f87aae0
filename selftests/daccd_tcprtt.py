#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
# The RTT of a path as the kernel measures a TCP handshake (SYN to SYN-ACK,
# kernel timestamps): the lowest tcpi_min_rtt of COUNT connections, in us.
# A reference for daccd_learn.sh that no daccd code is involved in.
#   daccd_tcprtt.py ADDR PORT [COUNT]
import socket
import struct
import sys

TCPI_MIN_RTT = 148	# offsetof(struct tcp_info, tcpi_min_rtt)

addr, port = sys.argv[1], int(sys.argv[2])
count = int(sys.argv[3]) if len(sys.argv) > 3 else 20
best = None
for _ in range(count):
    try:
        s = socket.create_connection((addr, port), timeout=3)
    except OSError:
        continue
    ti = s.getsockopt(socket.IPPROTO_TCP, socket.TCP_INFO, 232)
    s.close()
    if len(ti) >= TCPI_MIN_RTT + 4:
        v = struct.unpack_from("I", ti, TCPI_MIN_RTT)[0]
        if v and (best is None or v < best):
            best = v
if best is None:
    sys.exit(1)
print(best)
