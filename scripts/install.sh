#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make install / make uninstall: the module through DKMS, the tools under
# PREFIX, example snippets under /usr/share/doc/dacc.
#   install.sh install|uninstall DESTDIR PREFIX VERSION
set -eu
action=$1 destdir=$2 prefix=$3 version=$4
top=$(cd "$(dirname "$0")/.." && pwd)
src=$destdir/usr/src/tcp_dacc-$version
doc=$destdir/usr/share/doc/dacc
bins=(userspace/dacc/dacc userspace/daccd/daccd)

case $action in
install)
	mkdir -p "$src" "$destdir$prefix/sbin" "$doc" "$destdir$prefix/share/man/man8"
	(cd "$top" && ls Kbuild kmod/Kbuild kmod/*.c kmod/*.h | grep -v "\.mod\.c$" | tar -cf - -T - include) | tar -C "$src" -xf -
	sed "s/@VERSION@/$version/" "$top/packaging/dkms.conf" >"$src/dkms.conf"
	for b in "${bins[@]}"; do
		[ -x "$top/$b" ] && install -m 0755 "$top/$b" "$destdir$prefix/sbin/"
	done
	for m in "$top"/packaging/*.8; do
		[ -e "$m" ] && install -m 0644 "$m" "$destdir$prefix/share/man/man8/"
	done
	install -m 0644 "$top"/packaging/modules-load.d-dacc.conf "$top"/packaging/sysctl.d-90-dacc.conf \
		"$top"/packaging/daccd.conf "$top/README.md" "$doc/"
	for u in "$top"/packaging/*.service; do
		[ -e "$u" ] || continue
		mkdir -p "$destdir/etc/systemd/system"
		sed "s|@SBINDIR@|$prefix/sbin|g" "$u" >"$destdir/etc/systemd/system/$(basename "$u")"
		chmod 0644 "$destdir/etc/systemd/system/$(basename "$u")"
	done
	# No live configuration: the unit waits for /etc/dacc/daccd.conf, which
	# the operator writes from the example in $doc (its addresses are
	# examples, and it opens the reflector on every address).
	mkdir -p "$destdir/etc/dacc"
	if [ -z "$destdir" ]; then
		command -v dkms >/dev/null || { echo "install: dkms is missing (apt install dkms)" >&2; exit 1; }
		dkms add -m tcp_dacc -v "$version" 2>/dev/null || true
		dkms install -m tcp_dacc -v "$version"
	fi
	;;
uninstall)
	if [ -z "$destdir" ] && command -v dkms >/dev/null; then
		dkms remove -m tcp_dacc -v "$version" --all 2>/dev/null || true
	fi
	rm -rf "$src" "$doc"
	for b in "${bins[@]}"; do
		rm -f "$destdir$prefix/sbin/$(basename "$b")"
	done
	rm -f "$destdir$prefix"/share/man/man8/dacc*.8 "$destdir"/etc/systemd/system/daccd.service
	;;
*)
	echo "install.sh: unknown action \"$action\"" >&2
	exit 2
	;;
esac
