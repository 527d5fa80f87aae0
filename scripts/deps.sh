#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Install the Debian packages dacc needs.  With --check, only report whether
# something is missing (exit 1) so `make check` can call this cheaply.
set -eu

pkgs=(
	build-essential pkg-config make gcc libc6-dev bc kmod cpio xz-utils procps
	linux-image-cloud-amd64 linux-headers-cloud-amd64 linux-source
	qemu-system-x86 busybox-static iproute2 iperf3 ethtool util-linux coreutils
	libmnl-dev libjson-c-dev libcmocka-dev libconfig-dev libmicrohttpd-dev
	python3 python3-pyroute2 python3-yaml gnuplot-nox
	libns3-dev g++
	flex bison libelf-dev libssl-dev
	# make fuzz: libFuzzer and clang's sanitizer runtimes are in
	# libclang-rt-14-dev, which clang only recommends
	clang libclang-rt-14-dev
)

missing=()
for p in "${pkgs[@]}"; do
	st=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
	[ "$st" = installed ] || missing+=("$p")
done
# The image and the headers must be of one version: the VM boots the one the
# module was built for.
if [ ${#missing[@]} -eq 0 ]; then
	iv=$(dpkg-query -W -f='${Depends}' linux-image-cloud-amd64 | grep -oE 'linux-image-[^ ,]+' | head -n 1)
	hv=$(dpkg-query -W -f='${Depends}' linux-headers-cloud-amd64 | grep -oE 'linux-headers-[^ ,]+' | head -n 1)
	[ "${iv#linux-image-}" = "${hv#linux-headers-}" ] || missing+=(linux-image-cloud-amd64 linux-headers-cloud-amd64)
fi

# promtool, Prometheus's linter of the metrics daccd exports (test_ktel),
# unpacked from Debian's prometheus package outside the clone: installing
# the package would also start a Prometheus server on this machine.
promtool_dir=/var/cache/dacc/prometheus
promtool=$promtool_dir/usr/bin/promtool
[ -x "$promtool" ] || missing_promtool=1

if [ "${1:-}" = --check ]; then
	[ ${#missing[@]} -eq 0 ] && [ -z "${missing_promtool:-}" ] && exit 0
	echo "deps: missing: ${missing[*]}${missing_promtool:+ promtool ($promtool)}" >&2
	exit 1
fi
[ ${#missing[@]} -eq 0 ] && [ -z "${missing_promtool:-}" ] && { echo "deps: all present"; exit 0; }

sudo=
[ "$(id -u)" = 0 ] || sudo=sudo
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -q
if [ ${#missing[@]} -gt 0 ]; then
	echo "deps: installing ${missing[*]}"
	$sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
fi
if [ -n "${missing_promtool:-}" ]; then
	echo "deps: unpacking promtool from Debian's prometheus into $promtool_dir"
	tmp=$(mktemp -d)
	chmod 0777 "$tmp"	# apt downloads as its own user
	(cd "$tmp" && apt-get download -q prometheus)
	$sudo mkdir -p "$promtool_dir"
	$sudo dpkg-deb -x "$tmp"/prometheus_*.deb "$promtool_dir"
	rm -rf "$tmp"
	"$promtool" --version >/dev/null
fi
