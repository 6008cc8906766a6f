#!/bin/sh
# Debian's kernel (or static busybox) for an ARM QEMU layer, fetched with apt-get download and
# unpacked with dpkg-deb -x into a cache keyed by the package's version: never installed on the
# host. Prints the cache directory:
#   kernel   boot/vmlinuz-<release>, lib/modules/<release> (depmod -b run there), release
#   busybox  bin/busybox
# usage: tests/vm/kernel-debian.sh aarch64|armv7 [kernel|busybox]
#   aarch64  linux-image-cloud-arm64 (arm64)     armv7  linux-image-armmp (armhf)
# With no package lists for the architecture, it is added (dpkg --add-architecture, apt-get update;
# as root); with no archive at hand, the newest cached copy is used.
set -eu
arch=${1:?usage: kernel-debian.sh aarch64|armv7 [kernel|busybox]}
what=${2:-kernel}
case $arch in
aarch64) deb=arm64; meta=linux-image-cloud-arm64 ;;
armv7) deb=armhf; meta=linux-image-armmp ;;
*) echo "kernel-debian.sh: unknown architecture $arch (aarch64, armv7)" >&2; exit 2 ;;
esac
case $what in
kernel) ;;
busybox) meta=busybox-static ;;
*) echo "kernel-debian.sh: unknown part $what (kernel, busybox)" >&2; exit 2 ;;
esac
cache=${FERRY_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/ferry}
mkdir -p "$cache"

# newest_cached: the newest finished copy of this part, for a machine without the archive
newest_cached() {
	for d in "$cache/debian-$deb-$what-"*; do [ -f "$d/done" ] && echo "$d"; done | sort -V | tail -n 1
}

# candidate PKG: the version apt would fetch, empty when it knows none
candidate() {
	apt-cache policy "$1:$deb" 2>/dev/null | sed -n 's/^ *Candidate: //p' | grep -v '(none)' || true
}

# The last answer stands while apt's package lists are unchanged (apt-cache takes seconds a call).
stamp=$cache/debian-$deb-$what.last
if [ -s "$stamp" ] && [ -f "$(cat "$stamp")/done" ] &&
	[ -z "$(find /var/lib/apt/lists -maxdepth 1 -name '*Packages*' -newer "$stamp" 2>/dev/null | head -n 1)" ]; then
	cat "$stamp"; exit 0
fi

if [ -z "$(candidate "$meta")" ] && ! dpkg --print-foreign-architectures | grep -qx "$deb" &&
	[ "$(id -u)" = 0 ]; then
	echo "kernel-debian.sh: adding the $deb architecture to apt" >&2
	dpkg --add-architecture "$deb"
	apt-get update -q >&2 || true
fi
pkg=$meta
if [ "$what" = kernel ]; then
	# the metapackage depends on the versioned image package (linux-image-<abi>-<flavour>)
	pkg=$(apt-cache depends "$meta:$deb" 2>/dev/null |
		sed -n 's/^ *Depends: \(linux-image-[0-9][^:]*\).*/\1/p' | head -n 1)
fi
ver=
[ -n "$pkg" ] && ver=$(candidate "$pkg")
if [ -z "$ver" ]; then
	d=$(newest_cached)
	if [ -n "$d" ]; then echo "$d"; exit 0; fi
	echo "kernel-debian.sh: apt knows no $meta:$deb (dpkg --add-architecture $deb; apt-get update)" >&2
	exit 1
fi
out=$cache/debian-$deb-$what-$(echo "$ver" | tr : _)
if [ -f "$out/done" ]; then echo "$out" | tee "$stamp"; exit 0; fi
# One fetch at a time: a second caller waits for the first and then finds it done.
exec 9> "$cache/debian-$deb-$what.lock"
flock 9
if [ -f "$out/done" ]; then echo "$out" | tee "$stamp"; exit 0; fi
rm -rf "$out" "$out.tmp"; mkdir -p "$out.tmp/deb"
echo "kernel-debian.sh: fetching $pkg:$deb $ver into $out" >&2
# apt's sandbox user may not write here; the download then runs as the caller (a warning only)
(cd "$out.tmp/deb" && apt-get download -q "$pkg:$deb=$ver" >&2)
dpkg-deb -x "$out.tmp/deb/"*.deb "$out.tmp"
rm -rf "$out.tmp/deb"
if [ "$what" = kernel ]; then
	rel=$(ls "$out.tmp/lib/modules")
	[ -f "$out.tmp/boot/vmlinuz-$rel" ] || { echo "kernel-debian.sh: no boot/vmlinuz-$rel in $pkg" >&2; exit 1; }
	depmod -b "$out.tmp" "$rel"
	echo "$rel" > "$out.tmp/release"
else
	[ -x "$out.tmp/bin/busybox" ] || { echo "kernel-debian.sh: no bin/busybox in $pkg" >&2; exit 1; }
fi
touch "$out.tmp/done"
mv "$out.tmp" "$out"
echo "$out" | tee "$stamp"
