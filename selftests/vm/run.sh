#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Boot Debian's cloud kernel under qemu (TCG) with an initramfs built from this
# host's binaries and run one script inside it; exit with the script's status.
#
#   selftests/vm/run.sh [-t SECONDS] [-o OUTDIR] SCRIPT [ARGS...]
#
# Inside the VM: the repository is at /dacc (a read-only copy, build outputs
# included), dacc and daccd are on PATH, the module is /dacc/kmod/tcp_dacc.ko,
# and whatever the script writes under $DACC_OUT (/out) is copied back to
# OUTDIR on the host when the script ends.  The run fails (non-zero, with a
# message naming the cause) on a kernel oops, WARN, BUG or panic, or when the
# VM does not finish within the timeout.
set -u

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)

timeout_s=${VM_TIMEOUT:-2400}
outdir=""
while getopts "t:o:h" opt; do
	case $opt in
	t) timeout_s=$OPTARG ;;
	o) outdir=$OPTARG ;;
	*) sed -n '5,13p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
	esac
done
shift $((OPTIND - 1))
[ $# -ge 1 ] || { echo "usage: $0 [-t SECONDS] [-o OUTDIR] SCRIPT [ARGS...]" >&2; exit 2; }
script=$1
shift
[ -f "$script" ] || { echo "run.sh: script \"$script\" not found" >&2; exit 2; }

. "$here/kernel.sh" || exit 2
append="console=ttyS0 loglevel=5 panic=-1 slab_nomerge rdinit=/init tsc=reliable mitigations=off"
if [ -n "${VM_KERNEL_DIR:-}" ]; then
	# A kernel of our own (scripts/debug-kernel.sh): its image, its
	# modules, and tcp_dacc.ko built for it (VM_DACC_KO).
	kver=$(cat "$VM_KERNEL_DIR/kver" 2>/dev/null) ||
		{ echo "run.sh: $VM_KERNEL_DIR holds no built kernel (scripts/debug-kernel.sh)" >&2; exit 2; }
	vmlinuz=$VM_KERNEL_DIR/bzImage
	export VM_MODROOT=$VM_KERNEL_DIR/root
	[ -r "${VM_DACC_KO:-}" ] || { echo "run.sh: VM_DACC_KO must name tcp_dacc.ko built for $kver" >&2; exit 2; }
	export VM_DACC_KO
else
	kver=$(vm_kernel_version) || { echo "run.sh: no linux-image-cloud-amd64 installed (run: make deps)" >&2; exit 2; }
	vmlinuz=/boot/vmlinuz-$kver
	# SLUB's cheap checks (red zones, poisoning, sanity, owner tracking):
	# slab corruption shows as a "BUG kmalloc-..." report.  Cheap for a
	# test, not for a benchmark: every skb pays them (VM_SLUB_DEBUG= off).
	if [ -n "${VM_SLUB_DEBUG-FZPU}" ]; then
		append="$append slub_debug=${VM_SLUB_DEBUG-FZPU}"
	fi
fi
[ -r "$vmlinuz" ] || { echo "run.sh: $vmlinuz is missing or unreadable" >&2; exit 2; }
command -v qemu-system-x86_64 >/dev/null || { echo "run.sh: qemu-system-x86_64 missing (run: make deps)" >&2; exit 2; }

work=$(mktemp -d /tmp/dacc-vm.XXXXXX)
trap 'rm -rf "$work"' EXIT

"$here/mkinitramfs.sh" "$kver" "$work/initramfs.cpio" "$script" "$@" || {
	echo "run.sh: building the initramfs failed" >&2
	exit 2
}
# A raw disk the guest writes a tar of $DACC_OUT to (no filesystem needed).
truncate -s "${VM_OUT_SIZE:-256M}" "$work/out.img"

log=$work/console.log
start=$(date +%s.%N)
timeout --foreground -k 5 "$timeout_s" \
	qemu-system-x86_64 -accel tcg -cpu max -smp "${VM_CPUS:-2}" -m "${VM_MEM:-2048}" \
		-nodefaults -no-reboot -display none -serial stdio \
		-kernel "$vmlinuz" -initrd "$work/initramfs.cpio" \
		-append "$append ${VM_APPEND:-}" \
		-drive "file=$work/out.img,if=virtio,format=raw" \
		-device virtio-rng-pci \
	</dev/null 2>&1 | tr -d '\r' | tee "$log"
qrc=${PIPESTATUS[0]}
end=$(date +%s.%N)

rc=""
cause=""
if grep -qE 'DACC-VM-EXIT: [0-9]+' "$log"; then
	rc=$(grep -oE 'DACC-VM-EXIT: [0-9]+' "$log" | tail -n 1 | awk '{print $2}')
fi
if [ "$qrc" = 124 ] || [ "$qrc" = 137 ]; then
	cause="VM timed out after ${timeout_s}s"
elif [ -z "$rc" ]; then
	cause="VM ended without reporting an exit status (qemu status $qrc)"
fi
# The guest also scans dmesg; this catches what reached the console before a hang.
bad=$(grep -nE "$VM_KERNEL_ERRORS|DACC-VM-KERNEL-ERROR" "$log" | head -n 5)
if [ -n "$bad" ]; then
	cause="${cause:+$cause; }kernel reported an error:
$bad"
fi

if [ -n "$outdir" ]; then
	mkdir -p "$outdir"
	tar -xf "$work/out.img" -C "$outdir" 2>/dev/null || true
fi

awk -v k="$kver" -v a="$start" -v b="$end" 'BEGIN { printf "# vm: %s, %.1fs\n", k, b - a }' >&2
if [ -n "$cause" ]; then
	echo "run.sh: FAIL: $cause" >&2
	[ -n "$rc" ] && [ "$rc" != 0 ] && exit "$rc"
	exit 1
fi
exit "$rc"
