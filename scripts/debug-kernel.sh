#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Build, once per machine, the debug kernel that make check-debug boots: the
# same Debian source as the VM's cloud kernel (linux-source-6.1), the cloud
# kernel's configuration trimmed to what the VM loads (localyesconfig: those
# modules built in, every other module dropped), plus
# scripts/debug-kernel.config (KASAN, KFENCE, lockdep, PROVE_RCU, kmemleak,
# UBSAN, ...).  The result is cached outside the clone, keyed by the source's
# version, the base configuration, the fragment and the recipe's version
# (bump RECIPE when a change here changes what is built):
#
#   $DACC_CACHE/debug-kernel-KEY/{bzImage,kver,root/lib/modules/KVER,src}
#
# DACC_CACHE defaults to /var/cache/dacc.  Prints that directory on the last
# line of stdout; the build's log goes to DIR.log.  --print-dir: only print
# where it would be (no build); exits 1 if it is not built yet.
set -eu -o pipefail

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
. "$top/selftests/vm/kernel.sh"

src_tar=${LINUX_SRC_TAR:-/usr/src/linux-source-6.1.tar.xz}
frag=$here/debug-kernel.config
cache=${DACC_CACHE:-/var/cache/dacc}
kver_base=$(vm_kernel_version) || { echo "debug-kernel: no cloud kernel installed (make deps)" >&2; exit 2; }
base_config=/boot/config-$kver_base
for f in "$src_tar" "$base_config" "$frag"; do
	[ -r "$f" ] || { echo "debug-kernel: $f is missing (make deps)" >&2; exit 2; }
done
src_ver=$(dpkg-query -W -f='${Version}' linux-source-6.1 2>/dev/null || stat -c %s "$src_tar")
RECIPE=1
key=$( { echo "$src_ver recipe $RECIPE"; cat "$base_config" "$frag"; } | sha256sum | cut -c1-16)
dir=$cache/debug-kernel-$key

# The fragment's NAME=VALUE lines as "NAME VALUE", comments dropped.
frag_entries()
{
	sed 's/#.*//; /^[[:space:]]*$/d; s/=/ /' "$frag"
}

if [ "${1:-}" = --print-dir ]; then
	echo "$dir"
	[ -f "$dir/.done" ]
	exit
fi
if [ -f "$dir/.done" ]; then
	echo "$dir"
	exit 0
fi

mkdir -p "$cache"
log=$dir.log
rm -rf "$dir"
mkdir -p "$dir/src"
start=$(date +%s)
echo "debug-kernel: building in $dir (log: $log); about 40 minutes on 2 cores" >&2
{
	tar -xJf "$src_tar" -C "$dir/src" --strip-components=1
	cd "$dir/src"
	cp "$base_config" .config

	# The modules the VM loads (mkinitramfs.sh's list) and what they need,
	# as lsmod would list them: localyesconfig builds those in.
	lsmod_file=$dir/lsmod
	echo "Module Size Used by" >"$lsmod_file"
	for m in $VM_MODULES; do
		modprobe -S "$kver_base" --show-depends "$m" 2>/dev/null |
			awk '$1 == "insmod" { print $2 }'
	done | sed 's|.*/||; s|\.ko.*||' | sort -u | awk '{ print $1, 0, 0 }' >>"$lsmod_file"
	yes '' | make LSMOD="$lsmod_file" localyesconfig >/dev/null

	frag_entries | while read -r name val; do
		case $val in
		y) scripts/config --enable "$name" ;;
		n) scripts/config --disable "$name" ;;
		\"*) val=${val#\"}; scripts/config --set-str "$name" "${val%\"}" ;;
		*) scripts/config --set-val "$name" "$val" ;;
		esac
	done
	scripts/config --set-str LOCALVERSION "-dacc-debug" --disable LOCALVERSION_AUTO
	make olddefconfig >/dev/null

	# Every option asked for must have survived olddefconfig's dependencies.
	bad=0
	while read -r name val; do
		case $val in
		n) ! grep -q "^CONFIG_$name=[ym]" .config ;;
		y) grep -q "^CONFIG_$name=y" .config ;;
		*) grep -qx "CONFIG_$name=$val" .config ;;
		esac || { echo "debug-kernel: CONFIG_$name is not $val after olddefconfig" >&2; bad=1; }
	done < <(frag_entries)
	[ $bad = 0 ]

	make -j"$(nproc)" bzImage modules
	make -s INSTALL_MOD_PATH="$dir/root" INSTALL_MOD_STRIP=1 modules_install
	make -s kernelrelease >"$dir/kver"
	cp arch/x86/boot/bzImage "$dir/bzImage"
	# Keep what building an out-of-tree module needs; drop the objects.
	find . -name '*.o' -delete
} >"$log" 2>&1 || {
	echo "debug-kernel: the build failed; the end of $log:" >&2
	tail -n 30 "$log" >&2
	exit 1
}
touch "$dir/.done"
echo "debug-kernel: built $(cat "$dir/kver") in $(($(date +%s) - start)) s" >&2
echo "$dir"
