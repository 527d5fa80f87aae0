#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Check that Documentation/netlink/dacc.yaml, include/uapi/linux/dacc.h and
the policies of kmod/netlink.c describe the same family.  TAP on stdout."""
import re
import sys
from pathlib import Path

import yaml

top = Path(__file__).resolve().parent.parent
spec = yaml.safe_load((top / "Documentation/netlink/dacc.yaml").read_text())
header = (top / "include/uapi/linux/dacc.h").read_text()
kernel = (top / "kmod/netlink.c").read_text()
n = 0
failed = 0


def result(ok, desc, *detail):
    global n, failed
    n += 1
    if ok:
        print(f"ok {n} - {desc}")
    else:
        failed += 1
        print(f"not ok {n} - {desc}")
        for d in detail:
            print(f"#   {d}")


def c_name(prefix, name):
    return (prefix + name).upper().replace("-", "_")


# Every enum of the header: its public names in order, keyed by first name.
enums = []
for body in re.findall(r"enum\s*\w*\s*{(.*?)};", header, re.S):
    body = re.sub(r"/\*.*?\*/", "", body, flags=re.S)
    names = [w.split("=")[0].strip() for w in body.split(",")]
    enums.append([x for x in names if x and not x.startswith("__")])


def header_enum(first):
    for e in enums:
        if e and e[0] == first:
            return e
    return None


for aset in spec["attribute-sets"]:
    prefix = aset["name-prefix"]
    want = [c_name(prefix, a["name"]) for a in aset["attributes"]]
    got = header_enum(want[0])
    result(got == want, f"attribute set '{aset['name']}' matches the header",
           f"expected: {want}", f"got:      {got}")

ops = spec["operations"]
want = [c_name(ops["name-prefix"], o["name"]) for o in ops["list"]]
got = header_enum(want[0])
result(got == want, "operations match the header", f"expected: {want}", f"got:      {got}")

for d in spec["definitions"]:
    if d["type"] == "enum":
        want = [c_name(d["name-prefix"], e) for e in d["entries"]]
        got = header_enum(want[0])
        result(got == want, f"enum '{d['name']}' matches the header",
               f"expected: {want}", f"got:      {got}")
    elif d["type"] == "const":
        name = c_name("dacc-", d["name"])
        m = re.search(rf"#define\s+{name}\s+(\d+)U?", header)
        got = int(m.group(1)) if m else None
        result(got == d["value"], f"constant {name} = {d['value']}",
               f"expected: {d['value']}", f"got:      {got}")

for what, c in (("family name", r'#define\s+DACC_GENL_NAME\s+"dacc"'),
                ("version", rf"#define\s+DACC_GENL_VERSION\s+{1}\b"),
                ("events group", r'#define\s+DACC_MCGRP_EVENTS\s+"events"')):
    result(re.search(c, header) is not None, f"header defines the {what}")

# The kernel's policies: an entry for every attribute a request may carry
# (the rest rejected explicitly), with the spec's checks.
policies = {
    "dacc": "dacc_policy",
    "profile": "dacc_profile_policy",
}
for aset in spec["attribute-sets"]:
    pname = policies.get(aset["name"])
    if not pname:
        continue
    m = re.search(rf"nla_policy {pname}\[[^\]]*\]\s*=\s*{{(.*?)\n}};", kernel, re.S)
    body = m.group(1) if m else ""
    entries = dict(re.findall(r"\[(DACC_A_\w+)\]\s*=\s*([^\n]+)", body))
    for a in aset["attributes"]:
        if a["type"] == "unused":
            continue
        cname = c_name(aset["name-prefix"], a["name"])
        entry = entries.get(cname, "")
        ok = bool(entry)
        detail = [f"expected a policy entry for {cname} in {pname}"]
        if ok and a.get("doc", "").startswith("Read-only"):
            ok = "READ_ONLY" in entry or "NLA_REJECT" in entry
            detail = [f"expected {cname} rejected (read-only)", f"got: {entry}"]
        elif ok and "checks" in a:
            ok = any(k in entry for k in ("RANGE", "MAX", "MIN", "VALIDATE_FN"))
            detail = [f"expected a range check for {cname}", f"got: {entry}"]
        result(ok, f"kernel policy {pname} covers {cname}", *detail)

print(f"1..{n}")
sys.exit(1 if failed else 0)
