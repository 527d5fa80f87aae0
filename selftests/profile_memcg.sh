#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Profiles are charged to the memory cgroup of whoever writes them: anyone
# who can create a user and network namespace owns a table (65536 profiles,
# about 10 MB), and an uncharged table escapes every memory limit.
#  - An unprivileged user's namespace (unshare -Urn as nobody) in a cgroup:
#    its 65536 profiles raise the cgroup's memory.current by at least 100
#    bytes each, and hand it back when the namespace goes.
#  - Under memory.max, namespaces filling tables stop where the limit is:
#    memory.current never passes it, and the profiles kept fit in it.
. "$(dirname "$0")/lib.sh"

dacc_cli_setup t
command -v unshare >/dev/null && command -v nsenter >/dev/null ||
	t_skip_all "unshare/nsenter missing"
root=/sys/fs/cgroup
if ! grep -q "^cgroup2 $root " /proc/mounts; then
	mount -t cgroup2 none $root || t_skip_all "cannot mount cgroup2"
fi
grep -qw memory $root/cgroup.controllers || t_skip_all "no memory controller"
echo +memory >$root/cgroup.subtree_control
cg=$root/dacc-memcg-$$
mkdir $cg || t_skip_all "cannot create a cgroup"
work=$(mktemp -d)
chmod 755 "$work"
cleanup()
{
	local f

	for f in "$work"/pid.*; do
		[ -s "$f" ] && kill "$(cat "$f")" 2>/dev/null
	done
	wait_for 10 rmdir $cg 2>/dev/null
	rm -rf "$work"
}
on_exit cleanup

# 65536 profiles, one -batch file.
n=65536
awk -v n=$n 'BEGIN { for (i = 0; i < n; i++)
	printf "profile add 10.%d.%d.0/24 rtt 1ms\n", int(i / 256), i % 256 }' >"$work/batch"
chmod 644 "$work/batch"

as_nobody() { setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all "$@"; }

# holder N: a process of the cgroup, as nobody, owning a new user+net
# namespace; its pid (printed once inside) in $work/pid.N.
holder()
{
	(echo $BASHPID >$cg/cgroup.procs &&
	 exec setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all \
		unshare -Urn sh -c 'echo $$; exec sleep 600') >"$work/pid.$1" &
	wait_for 5 test -s "$work/pid.$1"
}
# drop N: end holder N, and with it its namespace.
drop()
{
	kill "$(cat "$work/pid.$1")"
	wait_for 5 sh -c "! kill -0 $(cat "$work/pid.$1") 2>/dev/null"
}

# fill PID: the batch, run by nobody inside PID's namespaces, from the
# cgroup (the writer's cgroup is charged); prints the profiles it holds.
fill()
{
	(echo $BASHPID >$cg/cgroup.procs &&
	 as_nobody nsenter -t "$1" -U -n --preserve-credentials \
		"$DACC" -batch "$work/batch" >/dev/null 2>"$work/err.$1")
	as_nobody nsenter -t "$1" -U -n --preserve-credentials "$DACC" profile show 2>/dev/null |
		wc -l
}
mem() { cat $cg/memory.current; }

# Charging: an empty namespace, then one with a full table.
holder 0
[ -s "$work/pid.0" ] || t_skip_all "an unprivileged user cannot create a user+net namespace"
m0=$(mem)
holder 1
m1=$(mem)
got=$(fill "$(cat "$work/pid.1")")
m2=$(mem)
t_eq "nobody's namespace holds the $n profiles" "$n" "$got"
per=$(( (m2 - m1) / n ))
if [ $per -ge 100 ]; then
	t_ok "the table is charged to the writer's cgroup: $per bytes a profile"
else
	t_fail "the table is charged to the writer's cgroup" \
		"expected memory.current to rise by >= 100 bytes a profile" \
		"got $per (memory.current $m1 -> $m2; an empty namespace cost $((m1 - m0)))"
fi
drop 1
# The namespace's profiles go after an RCU grace period.
wait_for 10 sh -c "[ \$(cat $cg/memory.current) -lt $((m1 + (m2 - m1) / 4)) ]"
m3=$(mem)
t_check "its memory came back when the namespace went ($m2 -> $m3)" \
	test "$m3" -lt $((m1 + (m2 - m1) / 4))

# A limit holds: room for about one and a half tables.
max=$(( m0 + 3 * (m2 - m1) / 2 ))
echo $max >$cg/memory.max
kept=0 peak=0 failed=0
for i in 2 3 4 5; do
	holder $i
	[ -s "$work/pid.$i" ] || break
	k=$(fill "$(cat "$work/pid.$i")")
	kept=$((kept + k))
	[ "$k" -lt $n ] && failed=$((failed + 1))
	c=$(mem)
	[ "$c" -gt $peak ] && peak=$c
done
t_check "memory.current stayed within memory.max ($peak <= $max)" test $peak -le $max
t_check "the tables stopped at the limit: $kept profiles kept of $((4 * n))" \
	test $kept -lt $((2 * n))
t_check "some namespace's table was refused: $failed of 4" test $failed -ge 1
t_eq "profiles still load and match outside the cgroup" "ok" \
	"$(D profile add 10.200.0.0/16 rtt 9ms >/dev/null 2>&1 && D profile get 10.200.0.1 >/dev/null && echo ok)"
t_done
