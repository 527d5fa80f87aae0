# SPDX-License-Identifier: GPL-2.0
# Which kernel the VM boots, shared by run.sh, the Makefile and mkinitramfs.sh.

# Patterns of a kernel in trouble, matched in the console log and in dmesg.
# With the debug kernel: lockdep's and RCU's reports ("WARNING: possible
# circular locking dependency detected", "WARNING: suspicious RCU usage"),
# KASAN, KFENCE ("BUG: KFENCE: ..."), UBSAN, SLUB ("BUG kmalloc-64 ...") and
# kmemleak's scan at the end ("unreferenced object").
VM_KERNEL_ERRORS='Kernel panic|Oops: |BUG: |BUG [a-z0-9_:-]+ \(|kernel BUG at|WARNING: CPU: |WARNING: (possible|suspicious|inconsistent|bad unlock|held lock|lock held|nested lock|Nested lock|circular|at kernel)|general protection fault|UBSAN: |KASAN: |KFENCE: |unreferenced object|INFO: (possible|trying to register|lockdep)'

# The modules the VM loads (mkinitramfs.sh copies them and what they need;
# the debug kernel builds them in).
VM_MODULES="virtio_pci virtio_blk virtio_rng veth sch_netem sch_tbf sch_fq sch_htb sch_prio
      sch_ingress ifb act_mirred act_police cls_u32 cls_matchall tcp_bbr tcp_hybla tcp_htcp
      tcp_illinois tcp_vegas tcp_westwood inet_diag tcp_diag udp_diag sock_diag"

# The newest installed Debian cloud kernel that also has its headers, or
# $VM_KVER when set.
vm_kernel_version()
{
	local v k

	if [ -n "${VM_KVER:-}" ]; then
		echo "$VM_KVER"
		return 0
	fi
	for k in $(ls /boot/vmlinuz-*-cloud-amd64 2>/dev/null | sort -V -r); do
		v=${k#/boot/vmlinuz-}
		if [ -d "/lib/modules/$v/build" ] || [ -d "/usr/src/linux-headers-$v" ]; then
			echo "$v"
			return 0
		fi
	done
	return 1
}
