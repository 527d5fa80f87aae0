# SPDX-License-Identifier: GPL-2.0
# Sourced by the profile_* and netlink_* selftests: genl_raw, a client of the
# dacc family written with nothing but Python's socket module, so tests can
# send what the dacc command refuses to build (wrong types, truncated
# messages, unknown attributes, read-only fields) and see the kernel's own
# answer.  Numbers come from include/uapi/linux/dacc.h, parsed at run time.
#
#   genl_raw CASE...       send each crafted request, print
#                          "CASE|ERRNO|extack message|attribute it points at"
#                          and, when $GENL_SNAPSHOT is a command printing the
#                          table, "|table unchanged" or "|TABLE CHANGED"
#   genl_raw list          the case names
#   genl_raw dump          the prefixes of the table, one a line
#   genl_raw userns        the capability checks seen from a child user
#                          namespace (one "what: result" line each)
#   genl_raw echo          NLM_F_ECHO: what each changing request sends
#                          back to its sender ("what: CMD seq=same|other")

_GENL_PY=$(cat <<'EOF'
import ctypes, errno, os, re, socket, struct, subprocess, sys

top = os.environ["DACC_TOP_DIR"]
enums = []
with open(os.path.join(top, "include/uapi/linux/dacc.h")) as f:
    for body in re.findall(r"enum[^{]*\{([^}]*)\}", f.read()):
        names = re.findall(r"^\s*(_*DACC_\w+)", body, re.M)
        enums.append({n: i for i, n in enumerate(names)})
V = {}
for e in enums:
    V.update(e)

NETLINK_GENERIC, SOL_NETLINK, NETLINK_CAP_ACK, NETLINK_EXT_ACK = 16, 270, 10, 11
NLM_F_REQUEST, NLM_F_ACK, NLM_F_MULTI = 1, 4, 2
NLM_F_REPLACE, NLM_F_EXCL, NLM_F_CREATE, NLM_F_APPEND = 0x100, 0x200, 0x400, 0x800
NLM_F_DUMP, NLM_F_CAPPED, NLM_F_ACK_TLVS = 0x300, 0x100, 0x200
NLMSG_ERROR, NLMSG_DONE = 2, 3
NLA_F_NESTED = 0x8000
GENL_ID_CTRL, CTRL_CMD_GETFAMILY = 0x10, 3
CTRL_ATTR_FAMILY_ID, CTRL_ATTR_FAMILY_NAME = 1, 2

ADD, DEL, GET, FLUSH, STATS = (V["DACC_CMD_PROFILE_ADD"], V["DACC_CMD_PROFILE_DEL"],
                               V["DACC_CMD_PROFILE_GET"], V["DACC_CMD_PROFILE_FLUSH"],
                               V["DACC_CMD_STATS_GET"])
A_PROFILE, A_STATS, A_PAD = V["DACC_A_PROFILE"], V["DACC_A_STATS"], V["DACC_A_PAD"]
P = {n[len("DACC_A_PROFILE_"):]: v for n, v in V.items()
     if n.startswith("DACC_A_PROFILE_") and n != "DACC_A_PROFILE_MAX"}
PNAME = {v: k.lower().replace("_", "-") for k, v in P.items()}


def nla(t, data):
    return struct.pack("=HH", 4 + len(data), t) + data + b"\0" * (-len(data) % 4)


def u8(t, v):
    return nla(t, struct.pack("=B", v))


def u16(t, v):
    return nla(t, struct.pack("=H", v))


def u32(t, v):
    return nla(t, struct.pack("=I", v))


def u64(t, v):
    return nla(t, struct.pack("=Q", v))


def nest(t, *attrs, nested_flag=True):
    return nla(t | (NLA_F_NESTED if nested_flag else 0), b"".join(attrs))


def attrs(buf):
    off = 0
    while off + 4 <= len(buf):
        ln, t = struct.unpack_from("=HH", buf, off)
        if ln < 4 or off + ln > len(buf):
            break
        yield t & 0x3fff, buf[off + 4:off + ln], off
        off += (ln + 3) & ~3


class Genl:
    def __init__(self, resolve=True):
        self.s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, NETLINK_GENERIC)
        self.s.setsockopt(SOL_NETLINK, NETLINK_EXT_ACK, 1)
        self.s.setsockopt(SOL_NETLINK, NETLINK_CAP_ACK, 1)
        self.s.bind((0, 0))
        self.s.settimeout(5)
        self.seq = 1000
        if resolve:
            err, _, replies = self.request(GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 0,
                                           nla(CTRL_ATTR_FAMILY_NAME, b"dacc\0"))
            if err:
                sys.exit("genl_raw: family dacc: %s" % os.strerror(-err))
            for t, data, _ in attrs(replies[0]):
                if t == CTRL_ATTR_FAMILY_ID:
                    self.fam = struct.unpack("=H", data[:2])[0]

    def send(self, mtype, cmd, flags, payload, reserved=0, nlmsg_len=None, cut=None):
        self.seq += 1
        body = struct.pack("=BBH", cmd, 1, reserved) + payload
        ln = 16 + len(body) if nlmsg_len is None else nlmsg_len
        msg = struct.pack("=IHHII", ln, mtype, flags, self.seq, 0) + body
        self.last = msg
        self.s.send(msg if cut is None else msg[:cut])

    def request(self, mtype, cmd, flags, payload, **kw):
        """(error, extack, replies): error 0 or -errno, replies the genl payloads."""
        dump = flags & NLM_F_DUMP == NLM_F_DUMP
        self.send(mtype, cmd, NLM_F_REQUEST | flags | (0 if dump else NLM_F_ACK), payload, **kw)
        replies = []
        while True:
            try:
                data = self.s.recv(65536)
            except socket.timeout:
                return None, {}, replies
            off = 0
            while off + 16 <= len(data):
                ln, t, fl, seq, pid = struct.unpack_from("=IHHII", data, off)
                msg = data[off:off + ln]
                off += (ln + 3) & ~3
                if seq != self.seq:
                    continue
                if t in (NLMSG_ERROR, NLMSG_DONE):
                    err = struct.unpack_from("=i", msg, 16)[0]
                    ext = {}
                    if fl & NLM_F_ACK_TLVS:
                        start = 20 if t == NLMSG_DONE else 36
                        if t == NLMSG_ERROR and not fl & NLM_F_CAPPED:
                            start += struct.unpack_from("=I", msg, 20)[0] - 16
                        for at, ad, _ in attrs(msg[start:]):
                            if at == 1:
                                ext["msg"] = ad.rstrip(b"\0").decode()
                            elif at == 2:
                                ext["offs"] = struct.unpack("=I", ad)[0]
                            elif at == 5:
                                ext["miss"] = struct.unpack("=I", ad)[0]
                            elif at == 6:
                                ext["miss_nest"] = struct.unpack("=I", ad)[0]
                    if t == NLMSG_DONE or err or not dump:
                        return err, ext, replies
                    continue
                replies.append(msg[20:])

    def attr_at(self, offs):
        """Name the attribute of the last request that starts at offs."""
        body = self.last[20:]
        for t, data, o in attrs(body):
            if o + 20 == offs:
                return {A_PROFILE: "profile", A_STATS: "stats", A_PAD: "pad"}.get(t, str(t))
            if t == A_PROFILE:
                for nt, _, no in attrs(data):
                    if no + o + 24 == offs:
                        return PNAME.get(nt, str(nt))
        return "?"

    def dump(self):
        err, _, replies = self.request(self.fam, GET, NLM_F_DUMP, b"")
        out = []
        for r in replies:
            for t, data, _ in attrs(r):
                if t != A_PROFILE:
                    continue
                f = {nt: nd for nt, nd, _ in attrs(data)}
                fam = struct.unpack("=H", f[P["FAMILY"]])[0]
                out.append("%s/%d" % (socket.inet_ntop(fam, f[P["ADDR"]]),
                                      f[P["PREFIXLEN"]][0]))
        return err, out


def key4(a="10.0.0.0", plen=8, fam=socket.AF_INET):
    return [u16(P["FAMILY"], fam), nla(P["ADDR"], socket.inet_pton(socket.AF_INET, a)),
            u8(P["PREFIXLEN"], plen)]


def key6(a="fd00::", plen=16, fam=socket.AF_INET6):
    return [u16(P["FAMILY"], fam), nla(P["ADDR"], socket.inet_pton(socket.AF_INET6, a)),
            u8(P["PREFIXLEN"], plen)]


RTT = u32(P["RTT_US"], 1000)


def prof(*a, **kw):
    return nest(A_PROFILE, *a, **kw)


# name: (cmd, nlmsg flags, payload, extra send arguments)
X = NLM_F_CREATE | NLM_F_EXCL
CASES = {
    "no-profile-nest": (ADD, X, b"", {}),
    "family-unknown": (ADD, X, prof(u16(P["FAMILY"], 1), *key4()[1:], RTT), {}),
    "family-v4-addr-16-bytes": (ADD, X, prof(*key6(fam=socket.AF_INET, plen=8), RTT), {}),
    "family-v6-addr-4-bytes": (ADD, X, prof(*key4(fam=socket.AF_INET6), RTT), {}),
    "addr-5-bytes": (ADD, X, prof(u16(P["FAMILY"], 2), nla(P["ADDR"], b"\x0a\0\0\0\0"),
                                  u8(P["PREFIXLEN"], 8), RTT), {}),
    "prefixlen-33-v4": (ADD, X, prof(*key4(plen=33), RTT), {}),
    "prefixlen-129-v6": (ADD, X, prof(*key6(plen=129), RTT), {}),
    "host-bits-set": (ADD, X, prof(*key4("10.0.0.1", 8), RTT), {}),
    "rtt-zero": (ADD, X, prof(*key4(), u32(P["RTT_US"], 0)), {}),
    "rtt-above-10s": (ADD, X, prof(*key4(), u32(P["RTT_US"], 10000001)), {}),
    "rttvar-above-10s": (ADD, X, prof(*key4(), RTT, u32(P["RTTVAR_US"], 10000001)), {}),
    "bw-zero": (ADD, X, prof(*key4(), RTT, u64(P["BW_BPS"], 0)), {}),
    "loss-above-1e6": (ADD, X, prof(*key4(), RTT, u32(P["LOSS_PPM"], 1000001)), {}),
    "loss-above-max": (ADD, X, prof(*key4(), RTT, u32(P["LOSS_PPM"], 100001)), {}),
    "bw-above-max": (ADD, X, prof(*key4(), RTT, u64(P["BW_BPS"], 1600000000001)), {}),
    "bw-u64-max": (ADD, X, prof(*key4(), RTT, u64(P["BW_BPS"], 2**64 - 1)), {}),
    "add-without-create": (ADD, 0, prof(*key4(), RTT), {}),
    "add-existing-without-replace": (ADD, NLM_F_CREATE, prof(*key4("10.1.0.0", 16), RTT), {}),
    "source-unknown": (ADD, X, prof(*key4(), RTT, u8(P["SOURCE"], 2)), {}),
    "rtt-missing": (ADD, X, prof(*key4()), {}),
    "prefixlen-missing": (ADD, X, prof(*key4()[:2], RTT), {}),
    "addr-missing": (ADD, X, prof(key4()[0], key4()[2], RTT), {}),
    "family-missing": (ADD, X, prof(*key4()[1:], RTT), {}),
    "read-only-age": (ADD, X, prof(*key4(), RTT, u64(P["AGE_MS"], 5)), {}),
    "read-only-flows": (ADD, X, prof(*key4(), RTT, u64(P["FLOWS"], 5)), {}),
    "pad-in-request": (ADD, X, prof(*key4(), RTT, nla(P["PAD"], b"")), {}),
    "unknown-attr-in-nest": (ADD, X, prof(*key4(), RTT, u32(99, 1)), {}),
    "unknown-attr-top-level": (DEL, 0, prof(*key4()) + u32(9, 1), {}),
    "rtt-as-u16": (ADD, X, prof(*key4(), u16(P["RTT_US"], 1000)), {}),
    "prefixlen-as-u32": (ADD, X, prof(*key4()[:2], u32(P["PREFIXLEN"], 8), RTT), {}),
    "truncated-genl-header": (ADD, X, b"", {"nlmsg_len": 18}),
    "truncated-nest": (DEL, 0, struct.pack("=HH", 64, A_PROFILE | NLA_F_NESTED) +
                       b"".join(key4()), {}),
    "truncated-attr-in-nest": (ADD, X, prof(*key4(), struct.pack("=HH", 12, P["RTT_US"]) +
                                            b"\0\0\0\0"), {}),
    "genl-reserved-set": (ADD, X, prof(*key4(), RTT), {"reserved": 1}),
    "nlmsg-flags-append": (ADD, X | NLM_F_APPEND, prof(*key4(), RTT), {}),
    "nest-without-nested-flag": (DEL, 0, prof(*key4(), nested_flag=False), {}),
    "unknown-command": (99, 0, b"", {}),
    "event-command-as-request": (V["DACC_CMD_PROFILE_NTF"], 0, prof(*key4(), RTT), {}),
    "stats-attr-in-request": (STATS, 0, nest(A_STATS, u32(2, 1), nested_flag=False), {}),
    "flush-by-rtt": (FLUSH, 0, prof(RTT), {}),
    "flush-source-unknown": (FLUSH, 0, prof(u8(P["SOURCE"], 9)), {}),
    "get-family-mismatch": (GET, 0, prof(*key4(fam=socket.AF_INET6)), {}),
    "del-missing-prefix": (DEL, 0, prof(*key4("10.99.0.0", 16)), {}),
    "add-existing-excl": (ADD, X, prof(*key4("10.1.0.0", 16), RTT), {}),
}


def snapshot():
    """The table as the command shows it, without the ever-growing ages."""
    out = subprocess.run(["sh", "-c", os.environ["GENL_SNAPSHOT"]], capture_output=True)
    return re.sub(rb'"age_ms":[0-9]+,', b"", out.stdout) + out.stderr


def run_case(name):
    g = Genl()
    cmd, flags, payload, kw = CASES[name]
    before = snapshot() if "GENL_SNAPSHOT" in os.environ else None
    err, ext, _ = g.request(g.fam, cmd, flags, payload, **kw)
    same = ""
    if before is not None:
        same = "|table unchanged" if snapshot() == before else "|TABLE CHANGED"
    if err is None:
        return "%s|NOREPLY||%s" % (name, same)
    where = g.attr_at(ext["offs"]) if "offs" in ext else ""
    if "miss" in ext:
        names = PNAME if "miss_nest" in ext else {A_PROFILE: "profile", A_STATS: "stats"}
        where = "missing " + names.get(ext["miss"], str(ext["miss"]))
    return "%s|%s|%s|%s%s" % (name, errno.errorcode.get(-err, str(err)) if err else "OK",
                              ext.get("msg", ""), where, same)


def echo():
    NLM_F_ECHO = 8
    CMDS = {v: n[len("DACC_CMD_"):].lower() for n, v in V.items() if n.startswith("DACC_CMD_")}
    g = Genl()

    def run(what, cmd, flags, payload):
        g.send(g.fam, cmd, NLM_F_REQUEST | NLM_F_ACK | flags, payload)
        got = []
        while True:
            try:
                data = g.s.recv(65536)
            except socket.timeout:
                got.append("timeout")
                break
            ln, t, fl, seq, pid = struct.unpack_from("=IHHII", data, 0)
            if t == NLMSG_ERROR:
                err = struct.unpack_from("=i", data, 16)[0]
                got.append("ack" if not err else "error %d" % err)
                break
            got.append("%s seq=%s" % (CMDS.get(data[16], data[16]),
                                      "same" if seq == g.seq else "other"))
        print("%s: %s" % (what, ", ".join(got)))

    k = prof(*key4("10.77.0.0", 16), RTT)
    run("add", ADD, X, k)
    run("add echo", ADD, X | NLM_F_ECHO, prof(*key4("10.78.0.0", 16), RTT))
    run("replace echo", ADD, NLM_F_CREATE | NLM_F_REPLACE | NLM_F_ECHO, k)
    run("del echo", DEL, NLM_F_ECHO, prof(*key4("10.77.0.0", 16)))
    run("del", DEL, 0, prof(*key4("10.78.0.0", 16)))
    run("flush echo", FLUSH, NLM_F_ECHO, b"")


def userns():
    libc = ctypes.CDLL(None, use_errno=True)
    CLONE_NEWUSER, CLONE_NEWNET = 0x10000000, 0x40000000
    parent = Genl()
    add = lambda g, a: g.request(g.fam, ADD, X, prof(*key4(a, 32), RTT))[0]
    print("parent dump before:", " ".join(parent.dump()[1]))
    if libc.unshare(CLONE_NEWUSER):
        print("unshare user: failed", os.strerror(ctypes.get_errno()))
        return
    print("child userns, parent socket, add:", errno.errorcode.get(-add(parent, "192.0.2.1"), "OK"))
    print("child userns, parent socket, dump:", " ".join(parent.dump()[1]))
    same = Genl()
    print("child userns, new socket in parent netns, add:",
          errno.errorcode.get(-add(same, "192.0.2.2"), "OK"))
    if libc.unshare(CLONE_NEWNET):
        print("unshare net: failed", os.strerror(ctypes.get_errno()))
        return
    child = Genl()
    print("child netns, dump:", " ".join(child.dump()[1]))
    print("child netns, add:", errno.errorcode.get(-add(child, "192.0.2.3"), "OK"))
    print("child netns, dump after:", " ".join(child.dump()[1]))
    print("parent socket, dump after:", " ".join(parent.dump()[1]))


if sys.argv[1] == "list":
    print("\n".join(CASES))
elif sys.argv[1] == "dump":
    err, out = Genl().dump()
    print("\n".join(out))
elif sys.argv[1] == "userns":
    userns()
elif sys.argv[1] == "echo":
    echo()
else:
    for c in sys.argv[1:]:
        print(run_case(c))
EOF
)

genl_raw()
{
	DACC_TOP_DIR=$TOP python3 -c "$_GENL_PY" "$@"
}

# genl_raw_ns NS ARGS...: genl_raw in namespace NS (a lib.sh short name).
genl_raw_ns()
{
	local n=$1

	shift
	DACC_TOP_DIR=$TOP nsx "$n" python3 -c "$_GENL_PY" "$@"
}
