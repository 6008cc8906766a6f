#!/usr/bin/env bash
# tests/bench/hardening.sh BUILD_DIR: the size of ferry on every architecture built, and what the
# hardened build (README "Building") costs: a HARDEN=0 build of the same tree beside each hardened one,
# in this run, against the same sysroot (whose libraries are hardened in both: HARDEN switches ferry's
# own flags and the link). Then the boot time of both x86_64 binaries, /init -> root mounted, on the
# same kernel and root disk (the figure tests/bench/boot.sh measures), when QEMU and the kernel are here.
set -u
B=$(cd "${1:-build}" && pwd)
TOP=$(cd "$(dirname "$0")/../.." && pwd)
W=$B/bench/hardening
H0=$W/h0
mkdir -p "$W"
# The hardened build is make's own: named as the Makefile names it (build/..., relative), so its flags
# stamp stays the same and nothing is rebuilt for nothing.
RB=$(realpath --relative-to="$TOP" "$B")

kib() { awk -v b="$1" 'BEGIN { printf "%.1f", b / 1024 }'; }
row() { printf '%-8s %10s %8s %10s %8s %8s %7s\n' "$@"; }
# sections FILE: the sizes of the sections that make the difference
sections() {
	readelf -SW "$1" | sed -n 's/^ *\[ *[0-9]*\] *\(\.[a-z.]*\) *[A-Z_]* *[0-9a-f]* [0-9a-f]* \([0-9a-f]*\) .*/\1 \2/p' |
		while read -r n sz; do
			case $n in .text|.rodata|.rela.dyn|.rel.dyn|.data.rel.ro|.data|.bss) printf ' %s=%d' "$n" $((16#$sz)) ;; esac
		done
}

echo "ferry per architecture, hardened (make) and HARDEN=0 (same tree, same sysroot, built now):"
row arch hardened KiB HARDEN=0 KiB +bytes +%
archs=()
for arch in "$(uname -m)" aarch64 armv7; do
	if [ "$arch" = "$(uname -m)" ]; then d=$RB; o0=$H0; else d=$RB/$arch; o0=$H0/$arch; fi
	[ -f "$TOP/$d/sysroot/.done" ] || { echo "$arch: skipped: no $d/sysroot (make ARCH=$arch)"; continue; }
	log=$W/make-$arch.log
	if ! (cd "$TOP" && timeout 900 nice make -s -j2 ARCH="$arch" B="$RB" "$d/ferry" &&
	      timeout 900 nice make -s -j2 ARCH="$arch" HARDEN=0 B="$H0" SYSROOT="$d/sysroot" "$o0/ferry") >"$log" 2>&1; then
		echo "$arch: build failed: $log"; tail -n 5 "$log"
		continue
	fi
	f1=$(cd "$TOP" && realpath "$d/ferry"); f0=$o0/ferry
	s1=$(stat -c %s "$f1"); s0=$(stat -c %s "$f0")
	row "$arch" "$s1" "$(kib "$s1")" "$s0" "$(kib "$s0")" "$((s1 - s0))" \
		"$(awk -v a="$s1" -v b="$s0" 'BEGIN { printf "%+.1f", (a - b) * 100 / b }')"
	archs+=("$arch:$f1:$f0")
	# the size goal of the ARM issue: build/aarch64/ferry with every stage in, at most 400 KiB
	[ "$arch" = aarch64 ] && echo "aarch64: size goal 400 KiB (409600 bytes): $(kib "$s1") KiB, $([ "$s1" -le 409600 ] && echo met || echo "missed by $((s1 - 409600)) bytes")"
done
echo "where the bytes go:"
for a in "${archs[@]}"; do
	IFS=: read -r arch f1 f0 <<<"$a"
	echo "  $arch hardened:$(sections "$f1")"
	echo "  $arch HARDEN=0:$(sections "$f0")"
done

# Boot time: both host binaries in the same initramfs layout, same kernel, same disk, alternating.
echo
command -v qemu-system-x86_64 >/dev/null || { echo "boot: skipped: no qemu-system-x86_64"; exit 0; }
if [ ! -f "$H0/ferry" ] || [ ! -x "$B/mkinitramfs" ]; then echo "boot: skipped: no HARDEN=0 host build or mkinitramfs"; exit 0; fi
W=$W/boot
rm -rf "$W"; mkdir -p "$W/root"/{bin,sbin,proc,sys,dev,run}
export B TOP W RESULTS=/dev/null VM_GZIP_LEVEL=9
# shellcheck source=/dev/null
source "$TOP/tests/vm/lib.sh"
runs=${BENCH_RUNS:-3}
cp /bin/busybox "$W/root/bin/"; ln -s busybox "$W/root/bin/sh"; ln -s busybox "$W/root/bin/poweroff"
ln -s busybox "$W/root/bin/cat"
printf '#!/bin/sh\ncat /run/ferry/timeline > /dev/ttyS1\necho BENCH-DONE > /dev/ttyS1\npoweroff -f\n' >"$W/root/sbin/init"
chmod 755 "$W/root/sbin/init"
mkdisk_ext4 "$W/root.img" "$W/root" 64
modlist="virtio_pci virtio_blk ext4 overlay"
vm_initramfs "$W/hardened.img" --no-busybox --modules "$modlist"
# The same list with the HARDEN=0 binary as /init (vm_initramfs takes ${FERRY_BUILD}/ferry from $B).
ln -sf "$B/mkinitramfs" "$H0/mkinitramfs"
B=$H0 vm_initramfs "$W/harden0.img" --no-busybox --modules "$modlist"
stamp() { tr -d '\r' <"$1" | sed -n "s|^\[ *\([0-9.]*\)\] $2.*|\1|p" | head -n 1; }
ms() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "" || b == "") print "-"; else printf "%d", (b - a) * 1000 }'; }
# ferry's own figures from its timeline: start -> handoff, and the CPU time it used (user + system)
own() { awk '$1 == "ferry" { t0 = $2 } $1 == "handoff" { t1 = $3 } END { if (t0 != "" && t1 != "") print t1 - t0; else print "-" }' "$1"; }
cpu() { awk '$1 == "cpu" { print $2 + $3; f = 1 } END { if (!f) print "-" }' "$1"; }
median() { sort -n | awk '{ v[NR] = $1 } END { if (NR) print v[int((NR + 1) / 2)]; else print "-" }'; }
echo "boot, x86_64 under TCG, same kernel and root disk, alternating: the kernel's 'Run /init' ->"
echo "'EXT4-fs (vda): mounted filesystem', ferry's own start -> handoff, and the CPU ferry used (ms)"
printf '%-10s %4s %14s %14s %8s\n' build run "init->rootfs" "ferry->handoff" cpu
for i in $(seq "$runs"); do
	for who in hardened harden0; do
		vm_boot "$who-$i" --initrd "$W/$who.img" --append "root=/dev/vda rootrw= rootinit=/sbin/init" \
			--disk "$W/root.img" --timeout 120
		c=$W/$who-$i.console o=$W/$who-$i.out
		t=$(ms "$(stamp "$c" 'Run /init as init process')" "$(stamp "$c" 'EXT4-fs (vda): mounted filesystem')")
		printf '%-10s %4d %14s %14s %8s\n' "$who" "$i" "$t" "$(own "$o")" "$(cpu "$o")" | tee -a "$W/rows"
	done
done
for who in hardened harden0; do
	printf '%-10s %4s %14s %14s %8s\n' "$who" median \
		"$(awk -v w="$who" '$1 == w { print $3 }' "$W/rows" | median)" \
		"$(awk -v w="$who" '$1 == w { print $4 }' "$W/rows" | median)" \
		"$(awk -v w="$who" '$1 == w { print $5 }' "$W/rows" | median)"
done
