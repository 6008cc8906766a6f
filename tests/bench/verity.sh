#!/usr/bin/env bash
# Verity benchmark: /init -> ferry's handoff to the target init, with the same squashfs lower once
# through a dm-verity mapping (hash tree from veritysetup on a second disk) and once without, in the
# same run; goal <= 1.05x. Times are the kernel's printk stamps ("Run /init as init process" to
# "ferry: handoff:"); beside them the timeline's mark verity-mapped (ms since boot) and ferry's own
# figure for the mapping (superblock read, table, first-block check: "N ms after both devices were
# there"). Then the peer: `veritysetup open` (cryptsetup-bin, with its libraries) run as a whole
# process by a busybox /init on the same disks and kernel, timed between two /dev/kmsg lines.
# On Debian's cloud kernel (device-mapper and dm-verity are modules: the verity boot loads four
# that the plain one does not) and on the project's test kernels (dm-verity built in: ferry's own
# verity work; x86_64 on QEMU's default CPU and on -cpu max, aarch64 on a Cortex-A53), each with its
# ratio and the sha256 implementation the kernel chose. BENCH_QEMU adds QEMU arguments (as in modules.sh: "-icount shift=1", figures that hardly move with
# the host's load).
set -u
B=$(cd "${1:-build}" && pwd)
TOP=$(cd "$(dirname "$0")/../.." && pwd)
W=$B/bench/verity
rm -rf "$W"; mkdir -p "$W"
export B TOP W RESULTS=/dev/null
source "$TOP/tests/vm/lib.sh"
runs=${BENCH_RUNS:-3}
if ! command -v veritysetup >/dev/null; then echo "skipped: veritysetup (cryptsetup-bin) is missing"; exit 0; fi

# disks ARCH: $W/ARCH/root.sqfs (a busybox target of that ARCH) and its hash tree $W/ARCH/hash.img;
# the root hash in $W/ARCH/roothash
disks() {
	local d=$W/$1
	mkdir -p "$d/root"/{bin,sbin,proc,sys,dev,run,media/rfs/ro,media/rfs/rw}
	cp "$(VM_ARCH=$1 vm_busybox)" "$d/root/bin/busybox"
	ln -s busybox "$d/root/bin/sh"; ln -s busybox "$d/root/bin/poweroff"; ln -s busybox "$d/root/bin/cat"
	printf '#!/bin/sh\ncat /run/ferry/timeline > /dev/ttyS1\necho BENCH-DONE > /dev/ttyS1\npoweroff -f\n' > "$d/root/sbin/init"
	chmod 755 "$d/root/sbin/init"
	mkdisk_squashfs "$d/root.sqfs" "$d/root"
	veritysetup format "$d/root.sqfs" "$d/hash.img" | sed -n 's/^Root hash:[[:space:]]*//p' > "$d/roothash"
}
disks x86_64
vm_initramfs "$W/ferry.img" --no-busybox --modules "virtio_pci virtio_blk squashfs overlay dm_verity"

stamp() { tr -d '\r' < "$1" | sed -n "s|^\[ *\([0-9.]*\)\] $2.*|\1|p" | head -n 1; }
ms() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "" || b == "") print "-"; else printf "%d", (b - a) * 1000 }'; }

# boots KERNEL IMAGE TAG [QEMU ARGS]: plain and verity in turn, runs times, on the disks of $VM_ARCH;
# the ratio of the sums, and the sha256 that dm-verity used (the kernel's "using implementation")
boots() {
	local kern=$1 img=$2 tag=$3 extra=${4:-} sum_p=0 sum_v=0 i who app c t mark impl= d=$W/$VM_ARCH
	printf '%-8s %4s %16s %22s   (%s)\n' "lower" "run" "init->handoff" "mark verity-mapped" "$tag"
	for i in $(seq "$runs"); do
		for who in plain verity; do
			app="root=/dev/vda rootfstype=squashfs printk.time=1"  # the test kernel's default is off
			[ $who = verity ] && app="$app systemd.verity_root_hash=/dev/vdb roothash=$(cat "$d/roothash")"
			vm_boot "$who-$tag-$i" --kernel "$kern" --initrd "$img" --append "$app" --disk "$d/root.sqfs" \
				--disk "$d/hash.img" --timeout 240 --qemu "${BENCH_QEMU:-} $extra"
			c=$W/$who-$tag-$i.console
			t=$(ms "$(stamp "$c" 'Run /init as init process')" "$(stamp "$c" 'ferry: handoff:')")
			mark=$(sed -n 's/^mark verity-mapped //p' "$W/$who-$tag-$i.out" | tr -d '\r')
			[ $who = verity ] && [ -z "$impl" ] &&
				impl=$(tr -d '\r' < "$c" | sed -n 's/.*verity: sha256 using implementation "\([^"]*\)".*/\1/p' | head -n 1)
			printf '%-8s %4d %13s ms %22s\n' "$who" "$i" "$t" "${mark:--}"
			[ "$t" = - ] && continue
			if [ $who = plain ]; then sum_p=$((sum_p + t)); else sum_v=$((sum_v + t)); fi
		done
	done
	[ "$sum_p" -gt 0 ] && awk -v v="$sum_v" -v p="$sum_p" -v tag="$tag" -v impl="${impl:-?}" 'BEGIN {
		printf "verity / plain (%s, %s): %.3fx (goal <= 1.05x: %s)\n", tag, impl, v / p, v / p <= 1.05 ? "met" : "MISSED" }'
}
# Debian's cloud kernel: device-mapper, dm-bufio, dm-verity and reed_solomon are modules, which the
# verity boot loads and the plain one does not
boots cloud "$W/ferry.img" cloud
# The project's test kernels (tests/vm/kernel.sh, a minimal config: modules unsigned and without
# BTF, device-mapper and dm-verity built in: ferry's own verity work). dm-verity hashes every block
# the mount reads, so the sha256 the kernel has decides much of the ratio: on x86_64 once on
# QEMU's default CPU (qemu64: no SSSE3, so sha256-generic, C) and once on -cpu max (AVX2:
# sha256-avx2, as on any x86 CPU of the last ten years); on aarch64 on the Cortex-A53 of i.MX8,
# whose ARMv8 crypto extensions QEMU's cortex-a53 has too (sha256-ce)
if k=$("$TOP/tests/vm/kernel.sh" 2>/dev/null) && grep -q '^CONFIG_DM_VERITY=[ym]' "$k/tree/.config"; then
	echo "(the test kernel: $(grep -h '^CONFIG_DM_VERITY=\|^CONFIG_BLK_DEV_DM=\|^CONFIG_CRYPTO_SHA256_SSSE3=' "$k/tree/.config" | tr '\n' ' '))"
	vm_initramfs "$W/ferry-test.img" --kernel test --no-busybox
	boots test "$W/ferry-test.img" test
	boots test "$W/ferry-test.img" test-cpu-max "-cpu max"
else
	echo "verity / plain (test kernel): skipped: the project's test kernel is not built (tests/vm/kernel.sh)"
fi
if [ -x "$B/aarch64/ferry" ] && command -v qemu-system-aarch64 >/dev/null && k=$("$TOP/tests/vm/kernel.sh" aarch64 2>/dev/null) &&
	grep -q '^CONFIG_DM_VERITY=y' "$k/tree/.config" && VM_ARCH=aarch64 vm_busybox >/dev/null 2>&1; then
	echo "(the aarch64 test kernel: $(grep -h '^CONFIG_DM_VERITY=\|^CONFIG_CRYPTO_SHA2_ARM64_CE=' "$k/tree/.config" | tr '\n' ' '))"
	VM_ARCH=aarch64
	disks aarch64
	vm_initramfs "$W/ferry-test-aarch64.img" --kernel test --no-busybox
	boots test "$W/ferry-test-aarch64.img" test-aarch64
	VM_ARCH=x86_64
else
	echo "verity / plain (aarch64 test kernel): skipped: no build/aarch64/ferry (make ARCH=aarch64), qemu-system-aarch64 or aarch64 test kernel with dm-verity"
fi

# --- the peer: veritysetup open as a whole process, the same disks, kernel and modules -------------
rel=$(vm_cloud_release)
vs=$(command -v veritysetup)
P=$W/peer
mkdir -p "$P"
{
	vm_busybox_list
	echo "dir /lib 0755 0 0"; echo "dir /lib64 0755 0 0"; echo "dir /lib/x86_64-linux-gnu 0755 0 0"
	echo "dir /run 0755 0 0"; echo "dir /run/cryptsetup 0700 0 0"; echo "dir /mods 0755 0 0"
	echo "dir /proc 0555 0 0"; echo "dir /sys 0555 0 0"; echo "dir /dev 0755 0 0"
	echo "file /bin/veritysetup $vs 0755 0 0"
	ldd "$vs" | awk '$3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }' | while read -r lib; do
		echo "file $lib $(readlink -f "$lib") 0755 0 0"
	done
	for m in virtio_pci virtio_blk dm_verity; do
		modprobe --show-depends -S "$rel" "$m" | awk '$1 == "insmod" { print $2 }'
	done | awk '!seen[$0]++ { b = $0; sub(/.*\//, "", b); printf "file /mods/%02d-%s %s 0644 0 0\n", ++n, b, $0 }'
	echo "file /init $P/init 0755 0 0"
} > "$P/list"
cat > "$P/init" <<INIT
#!/bin/sh
export PATH=/bin:/sbin DM_DISABLE_UDEV=1
mount -t proc proc /proc; mount -t sysfs sys /sys; mount -t devtmpfs dev /dev
for m in /mods/*; do insmod "\$m"; done
n=0; while [ ! -b /dev/vda ] || [ ! -b /dev/vdb ]; do n=\$((n + 1)); [ \$n -gt 500 ] && break; usleep 10000; done
echo "bench: devices there" > /dev/kmsg
veritysetup open /dev/vda root-verity /dev/vdb $(cat "$W/x86_64/roothash") > /dev/ttyS1 2>&1
echo "bench: veritysetup exited \$?" > /dev/kmsg
[ -b /dev/mapper/root-verity ] && echo "BENCH-MAPPED" > /dev/ttyS1
poweroff -f
INIT
FERRY_BUILD=$B FERRY_TOP=$TOP "$B/mkinitramfs" -t 0 -l 1 -o "$P/initrd" "$P/list"
printf '%-12s %4s %31s\n' "mapping" "run" "devices there -> mapped"
fr=() pr=()
for i in $(seq "$runs"); do
	f=$(tr -d '\r' < "$W/verity-cloud-$i.console" | sed -n 's/.*first block checked, \([0-9]*\) ms after both devices were there.*/\1/p' | head -n 1)
	vm_boot "peer-$i" --initrd "$P/initrd" --disk "$W/x86_64/root.sqfs" --disk "$W/x86_64/hash.img" --timeout 120 ${BENCH_QEMU:+--qemu "$BENCH_QEMU"}
	c=$W/peer-$i.console
	t=$(ms "$(stamp "$c" 'bench: devices there')" "$(stamp "$c" 'bench: veritysetup exited 0')")
	grep -q BENCH-MAPPED "$W/peer-$i.out" 2>/dev/null || t=-
	printf '%-12s %4d %28s ms\n' "ferry" "$i" "${f:--}"
	printf '%-12s %4d %28s ms\n' "veritysetup" "$i" "$t"
	[ -n "$f" ] && fr+=("$f")
	[ "$t" != - ] && pr+=("$t")
done
med() { [ $# -gt 0 ] || { echo -; return; }; printf '%s\n' "$@" | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
echo "median: ferry $(med ${fr[@]+"${fr[@]}"}) ms, veritysetup open $(med ${pr[@]+"${pr[@]}"}) ms (the mapping, from both devices there)"
