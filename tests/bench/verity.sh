#!/usr/bin/env bash
# Verity benchmark: /init -> ferry's handoff to the target init, with the same squashfs lower once
# through a dm-verity mapping (hash tree from veritysetup on a second disk) and once without, in the
# same run; goal <= 1.05x. Times are the kernel's printk stamps ("Run /init as init process" to
# "ferry: handoff:"); beside them the timeline's mark verity-mapped (ms since boot) and ferry's own
# figure for the mapping (superblock read, table, first-block check: "N ms after both devices were
# there"). Then the peer: `veritysetup open` (cryptsetup-bin, with its libraries) run as a whole
# process by a busybox /init on the same disks and kernel, timed between two /dev/kmsg lines.
# Both on Debian's cloud kernel (device-mapper and dm-verity are modules: the verity boot loads
# four that the plain one does not) and on the project's test kernel (dm-verity built in: ferry's
# own verity work), each with its ratio. BENCH_QEMU adds QEMU arguments (as in modules.sh: "-icount shift=1", figures that hardly move with
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

mkdir -p "$W/root"/{bin,sbin,proc,sys,dev,run,media/rfs/ro,media/rfs/rw}
cp "$(vm_busybox)" "$W/root/bin/busybox"
ln -s busybox "$W/root/bin/sh"; ln -s busybox "$W/root/bin/poweroff"; ln -s busybox "$W/root/bin/cat"
printf '#!/bin/sh\ncat /run/ferry/timeline > /dev/ttyS1\necho BENCH-DONE > /dev/ttyS1\npoweroff -f\n' > "$W/root/sbin/init"
chmod 755 "$W/root/sbin/init"
mkdisk_squashfs "$W/root.sqfs" "$W/root"
roothash=$(veritysetup format "$W/root.sqfs" "$W/hash.img" | sed -n 's/^Root hash:[[:space:]]*//p')
vm_initramfs "$W/ferry.img" --no-busybox --modules "virtio_pci virtio_blk squashfs overlay dm_verity"

stamp() { tr -d '\r' < "$1" | sed -n "s|^\[ *\([0-9.]*\)\] $2.*|\1|p" | head -n 1; }
ms() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "" || b == "") print "-"; else printf "%d", (b - a) * 1000 }'; }

# boots KERNEL IMAGE TAG: plain and verity in turn, runs times; the ratio of the sums
boots() {
	local kern=$1 img=$2 tag=$3 sum_p=0 sum_v=0 i who app c t mark
	printf '%-8s %4s %16s %22s   (%s)\n' "lower" "run" "init->handoff" "mark verity-mapped" "$tag"
	for i in $(seq "$runs"); do
		for who in plain verity; do
			app="root=/dev/vda rootfstype=squashfs printk.time=1"  # the test kernel's default is off
			[ $who = verity ] && app="$app systemd.verity_root_hash=/dev/vdb roothash=$roothash"
			vm_boot "$who-$tag-$i" --kernel "$kern" --initrd "$img" --append "$app" --disk "$W/root.sqfs" \
				--disk "$W/hash.img" --timeout 120 ${BENCH_QEMU:+--qemu "$BENCH_QEMU"}
			c=$W/$who-$tag-$i.console
			t=$(ms "$(stamp "$c" 'Run /init as init process')" "$(stamp "$c" 'ferry: handoff:')")
			mark=$(sed -n 's/^mark verity-mapped //p' "$W/$who-$tag-$i.out" | tr -d '\r')
			printf '%-8s %4d %13s ms %22s\n' "$who" "$i" "$t" "${mark:--}"
			[ "$t" = - ] && continue
			if [ $who = plain ]; then sum_p=$((sum_p + t)); else sum_v=$((sum_v + t)); fi
		done
	done
	[ "$sum_p" -gt 0 ] && awk -v v="$sum_v" -v p="$sum_p" -v tag="$tag" 'BEGIN {
		printf "verity / plain (%s): %.3fx (goal <= 1.05x: %s)\n", tag, v / p, v / p <= 1.05 ? "met" : "MISSED" }'
}
# Debian's cloud kernel: device-mapper, dm-bufio, dm-verity and reed_solomon are modules, which the
# verity boot loads and the plain one does not
boots cloud "$W/ferry.img" cloud
# the project's test kernel (tests/vm/kernel.sh, a minimal config: its modules unsigned and without
# BTF, device-mapper a module or built in as its config says)
if k=$("$TOP/tests/vm/kernel.sh" 2>/dev/null) && grep -q '^CONFIG_DM_VERITY=[ym]' "$k/tree/.config"; then
	echo "(the test kernel: $(grep -h '^CONFIG_DM_VERITY=\|^CONFIG_BLK_DEV_DM=\|^CONFIG_MODULE_SIG=' "$k/tree/.config" | tr '\n' ' '))"
	vm_initramfs "$W/ferry-test.img" --kernel test --no-busybox
	boots test "$W/ferry-test.img" test
else
	echo "verity / plain (test kernel): skipped: the project's test kernel is not built (tests/vm/kernel.sh)"
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
veritysetup open /dev/vda root-verity /dev/vdb $roothash > /dev/ttyS1 2>&1
echo "bench: veritysetup exited \$?" > /dev/kmsg
[ -b /dev/mapper/root-verity ] && echo "BENCH-MAPPED" > /dev/ttyS1
poweroff -f
INIT
FERRY_BUILD=$B FERRY_TOP=$TOP "$B/mkinitramfs" -t 0 -l 1 -o "$P/initrd" "$P/list"
printf '%-12s %4s %31s\n' "mapping" "run" "devices there -> mapped"
fr=() pr=()
for i in $(seq "$runs"); do
	f=$(tr -d '\r' < "$W/verity-cloud-$i.console" | sed -n 's/.*first block checked, \([0-9]*\) ms after both devices were there.*/\1/p' | head -n 1)
	vm_boot "peer-$i" --initrd "$P/initrd" --disk "$W/root.sqfs" --disk "$W/hash.img" --timeout 120 ${BENCH_QEMU:+--qemu "$BENCH_QEMU"}
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
