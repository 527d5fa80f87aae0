# SPDX-License-Identifier: GPL-2.0
# Which kernel the VM boots, shared by run.sh, the Makefile and mkinitramfs.sh.

# Patterns of a kernel in trouble, matched in the console log and in dmesg.
VM_KERNEL_ERRORS='Kernel panic|Oops: |BUG: |kernel BUG at|WARNING: CPU: |general protection fault|UBSAN: |KASAN: |unreferenced object'

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
