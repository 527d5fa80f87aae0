#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Build the VM's initramfs: busybox, this host's binaries with their shared
# libraries, the kernel modules the tests need, a copy of the repository.
#
#   mkinitramfs.sh KVER OUT.cpio SCRIPT [ARGS...]
set -eu

kver=$1
out=$2
script=$3
shift 3

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
. "$here/kernel.sh"
root=$(mktemp -d /tmp/dacc-initramfs.XXXXXX)
trap 'rm -rf "$root"' EXIT
chmod 755 "$root"

mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,usr/local/bin,lib,lib64,etc,proc,sys,dev,run,tmp,var,root,out,home/nobody}
chmod 1777 "$root/tmp"
ln -s ../run "$root/var/run"

# Copy a file (following links) keeping its path, once.
copy_path()
{
	local src=$1

	[ -e "$root$src" ] && return 0
	mkdir -p "$root$(dirname "$src")"
	cp -L "$src" "$root$src"
}

# Copy an executable or library with every library it needs.
copy_elf()
{
	local f=$1 lib

	copy_path "$f"
	for lib in $(ldd "$f" 2>/dev/null | grep -oE '/[^ ]+' || true); do
		copy_path "$lib"
	done
}

# Real programs the tests use.  bash runs the test scripts: Debian's busybox
# shell prefers its own applets, so scripts must not run under it.
progs="bash ip tc ss nstat genl bridge iperf3 sysctl kmod timeout setpriv dmesg
       python3 stdbuf env flock nproc ping ethtool make"
for p in $progs; do
	# Debian's python (the one with pyroute2), not a user's pyenv shim.
	if [ "$p" = python3 ]; then
		f=/usr/bin/python3
		[ -x $f ] || continue
	else
		f=$(command -v "$p" 2>/dev/null) || continue
	fi
	f=$(readlink -f "$f")
	copy_elf "$f"
	[ "$f" = "/usr/bin/$p" ] || ln -sf "$f" "$root/usr/bin/$p"
done
# /sbin/modprobe too: the kernel's request_module() runs that path.
for p in insmod rmmod modprobe lsmod modinfo depmod; do
	ln -sf /usr/bin/kmod "$root/usr/sbin/$p"
	ln -sf /usr/bin/kmod "$root/sbin/$p"
done
[ -e /usr/libexec/coreutils/libstdbuf.so ] && copy_path /usr/libexec/coreutils/libstdbuf.so

# Python with pyroute2, for the test that talks to the family with a client
# the project did not write.
if [ -x /usr/bin/python3 ]; then
	py=$(readlink -f /usr/bin/python3)
	pyver=$(basename "$py")
	mkdir -p "$root/usr/lib"
	tar -C /usr/lib --exclude=test --exclude=tests --exclude=idlelib \
		--exclude=tkinter --exclude=ensurepip --exclude=lib2to3 \
		--exclude=pydoc_data --exclude=__pycache__ --exclude=config-\* \
		-cf - "$pyver" | tar -C "$root/usr/lib" -xf -
	for so in "$root/usr/lib/$pyver"/lib-dynload/*.so; do
		for lib in $(ldd "$so" 2>/dev/null | grep -oE '/[^ ]+' || true); do
			copy_path "$lib"
		done
	done
	if [ -d /usr/lib/python3/dist-packages/pyroute2 ]; then
		mkdir -p "$root/usr/lib/python3/dist-packages"
		cp -a /usr/lib/python3/dist-packages/pyroute2 "$root/usr/lib/python3/dist-packages/"
	fi
fi

# busybox supplies the small utilities the host binaries above do not.
cp /bin/busybox "$root/bin/busybox"
for a in $(/bin/busybox --list); do
	[ -e "$root/usr/bin/$a" ] || [ -e "$root/usr/sbin/$a" ] || [ -e "$root/bin/$a" ] ||
		ln -s busybox "$root/bin/$a"
done

# Kernel modules: the list and everything they depend on; a kernel of our
# own (VM_MODROOT, the debug kernel) brings its whole, small, module tree.
if [ -n "${VM_MODROOT:-}" ]; then
	mkdir -p "$root/lib/modules"
	cp -a "$VM_MODROOT/lib/modules/$kver" "$root/lib/modules/"
else
	for m in $VM_MODULES; do
		modprobe -S "$kver" --show-depends "$m" 2>/dev/null | awk '$1 == "insmod" { print $2 }'
	done | sort -u | while read -r ko; do
		copy_path "$ko"
	done
	for f in modules.order modules.builtin modules.builtin.modinfo; do
		[ -e "/lib/modules/$kver/$f" ] && copy_path "/lib/modules/$kver/$f"
	done
	depmod -b "$root" "$kver"
fi

# The repository (without git data) and the programs' libraries.
mkdir -p "$root/dacc"
tar -C "$top" --exclude=.git --exclude=./build/linux-source --exclude='*.o' \
	--exclude='*.cmd' --exclude=bench/results --exclude=./build/fuzz -cf - . | tar -C "$root/dacc" -xf -
# The module built for a kernel of our own replaces the stock kernel's.
if [ -n "${VM_DACC_KO:-}" ]; then
	cp "$VM_DACC_KO" "$root/dacc/kmod/tcp_dacc.ko"
fi
find "$root/dacc" -type f -perm -u+x | while read -r f; do
	if head -c 4 "$f" | grep -q ELF; then
		for lib in $(ldd "$f" 2>/dev/null | grep -oE '/[^ ]+' || true); do
			copy_path "$lib"
		done
	fi
done
for p in dacc daccd; do
	[ -x "$root/dacc/userspace/$p/$p" ] && ln -s "/dacc/userspace/$p/$p" "$root/usr/local/bin/$p"
done
for f in "$root"/dacc/bench/tools/*; do
	[ -f "$f" ] && [ -x "$f" ] && ln -s "/dacc/bench/tools/$(basename "$f")" "$root/usr/local/bin/"
done

# The script to run and its arguments.
cp "$script" "$root/run-script"
chmod +x "$root/run-script"
{
	printf 'exec /usr/bin/bash /run-script'
	[ $# -gt 0 ] && printf ' %q' "$@"
	echo
} >"$root/run-script.sh"

cat >"$root/etc/passwd" <<'EOF'
root:x:0:0:root:/root:/bin/bash
nobody:x:65534:65534:nobody:/home/nobody:/bin/sh
EOF
cat >"$root/etc/group" <<'EOF'
root:x:0:
nogroup:x:65534:
EOF
printf '127.0.0.1 localhost\n::1 localhost\n' >"$root/etc/hosts"
echo dacc-vm >"$root/etc/hostname"
[ -e /etc/protocols ] && cp /etc/protocols /etc/services "$root/etc/" 2>/dev/null || true
chown 65534:65534 "$root/home/nobody"

cp "$here/init" "$root/init"
cp "$here/kernel.sh" "$root/kernel.sh"
chmod +x "$root/init"

(cd "$root" && find . -print0 | cpio --null -o -H newc --quiet) >"$out"
