#!/usr/bin/env bash
# Verity benchmark: /init -> ferry's handoff to the target init, with the same squashfs lower once
# through a dm-verity mapping (hash tree from veritysetup on a second disk) and once without, in the
# same run; goal <= 1.05x. Times are the kernel's printk stamps ("Run /init as init process" to
# "ferry: handoff:"); beside them the timeline's mark verity-mapped (ms since boot).
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

printf '%-8s %4s %16s %22s\n' "lower" "run" "init->handoff" "mark verity-mapped"
sum_p=0; sum_v=0; n=0
for i in $(seq "$runs"); do
	for who in plain verity; do
		app="root=/dev/vda rootfstype=squashfs"
		[ $who = verity ] && app="$app systemd.verity_root_hash=/dev/vdb roothash=$roothash"
		vm_boot "$who-$i" --initrd "$W/ferry.img" --append "$app" --disk "$W/root.sqfs" --disk "$W/hash.img" --timeout 120
		c=$W/$who-$i.console
		t=$(ms "$(stamp "$c" 'Run /init as init process')" "$(stamp "$c" 'ferry: handoff:')")
		mark=$(sed -n 's/^mark verity-mapped //p' "$W/$who-$i.out" | tr -d '\r')
		printf '%-8s %4d %13s ms %22s\n' "$who" "$i" "$t" "${mark:--}"
		[ "$t" = - ] && continue
		if [ $who = plain ]; then sum_p=$((sum_p + t)); else sum_v=$((sum_v + t)); n=$((n + 1)); fi
	done
done
[ "$sum_p" -gt 0 ] && awk -v v="$sum_v" -v p="$sum_p" 'BEGIN { printf "verity / plain: %.3fx (goal <= 1.05x)\n", v / p }'
