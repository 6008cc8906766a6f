#!/usr/bin/env bash
# Boot benchmark: /init start -> "ready to mount the root" -> root mounted, for ferry and for Debian's
# own initramfs-tools image booting the same kernel and the same ext4 root disk, in the same run.
# Times are the kernel's printk stamps: "Run /init as init process" to the first
# "EXT4-fs (vda): mounted filesystem" (both initramfs mount the root then), and ferry's own timeline.
set -u
B=$(cd "${1:-build}" && pwd)
TOP=$(cd "$(dirname "$0")/../.." && pwd)
W=$B/bench/boot
rm -rf "$W"; mkdir -p "$W"
export B TOP W RESULTS=/dev/null
source "$TOP/tests/vm/lib.sh"
runs=${BENCH_RUNS:-3}
export VM_GZIP_LEVEL=9  # image sizes compared as shipped

mkdir -p "$W/root"/{bin,sbin,proc,sys,dev,run,media/rfs/ro,media/rfs/rw}
cp /bin/busybox "$W/root/bin/"
ln -s busybox "$W/root/bin/sh"; ln -s busybox "$W/root/bin/poweroff"; ln -s busybox "$W/root/bin/cat"
cat > "$W/root/sbin/init" <<'T'
#!/bin/sh
cat /run/ferry/timeline > /dev/ttyS1 2>/dev/null
echo BENCH-DONE > /dev/ttyS1
poweroff -f
T
chmod 755 "$W/root/sbin/init"
mkdisk_ext4 "$W/root.img" "$W/root" 64

# ferry's image carries the modules this machine needs (as initramfs-tools' MODULES=dep would);
# ferry finds and loads them by itself.
vm_initramfs "$W/ferry.img" --no-busybox --modules "virtio_pci virtio_blk ext4 overlay"
initrd_tools=$(ls /boot/initrd.img-"$(vm_cloud_release)")

stamp() { tr -d '\r' < "$1" | sed -n "s|^\[ *\([0-9.]*\)\] $2.*|\1|p" | head -n 1; }
ms() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "" || b == "") print "-"; else printf "%d", (b - a) * 1000 }'; }

printf '%-16s %4s %14s %14s\n' "initramfs" "run" "init->rootfs" "image (bytes)"
for i in $(seq "$runs"); do
	for who in ferry initramfs-tools; do
		if [ $who = ferry ]; then img=$W/ferry.img; app="root=/dev/vda rootrw= rootinit=/sbin/init"
		else img=$initrd_tools; app="root=/dev/vda ro init=/sbin/init"; fi
		vm_boot "$who-$i" --initrd "$img" --append "$app" --disk "$W/root.img" --timeout 120
		c=$W/$who-$i.console
		t0=$(stamp "$c" 'Run /init as init process')
		t1=$(stamp "$c" 'EXT4-fs (vda): mounted filesystem')
		printf '%-16s %4d %11s ms %14d\n' "$who" "$i" "$(ms "$t0" "$t1")" "$(stat -L -c %s "$img")"
	done
done
echo "ferry's own timeline (last run, ms since boot):"
sed 's/^/  /' "$W/ferry-$runs.out" 2>/dev/null | grep -v BENCH-DONE
