#!/usr/bin/env bash
# Root benchmark: /init start -> the target init running, for squashfs lower + ext4 rw, three ways
# in the same run on the same disks and kernel:
#   ferry            the overlay root job, switch_root
#   busybox-sh       a busybox shell /init doing the same overlay steps the way the layer's script
#                    does (modprobe by name, `while [ ! -b ]; sleep 0.1` loops, mount, switch_root)
#   initramfs-tools  Debian's own initrd of the cloud kernel, root=/dev/vda, no overlay
# Start: the kernel's "Run /init as init process" stamp; end: the target's first line in /dev/kmsg.
# ferry's figures come from its timeline: module loading (coldplug), the wait for the disks (root
# job start -> root-devices), the root build (mounts, module init for squashfs/overlay: mostly
# kernel work), the rest (early, switch_root deleting the initramfs, exec); and the root build split
# by ferry's own clock into the time inside mount(2), mkdir(2) and module loading (the kernel's
# work) and the rest, ferry's own (type probing, options, reset check).
# initramfs-tools boots an ext4 copy of the lower: Debian's cloud initrd has no squashfs module.
# usage: root.sh [BUILD [ARCH]]: one architecture, or x86_64 then aarch64. On aarch64 (QEMU virt,
# cortex-a53, Debian's cloud-arm64 kernel, ferry from BUILD/aarch64) ferry and the shell script
# only: Debian's arm64 kernel package ships no initrd.
# Under TCG (no KVM here) every figure is several times what real hardware or KVM shows.
set -u
B=$(cd "${1:-build}" && pwd)
TOP=$(cd "$(dirname "$0")/../.." && pwd)
if [ $# -lt 2 ]; then
	for a in x86_64 aarch64; do echo "-- $a"; bash "$0" "$B" "$a"; done
	exit 0
fi
W=$B/bench/root
[ "$2" = x86_64 ] || W=$B/bench/root-$2
rm -rf "$W"; mkdir -p "$W"
export B TOP W RESULTS=/dev/null
source "$TOP/tests/vm/lib.sh"
vm_arch "$2" || exit 0
runs=${BENCH_RUNS:-3}
peers="ferry ferry-dep busybox-sh"
[ "$VM_ARCH" = x86_64 ] && peers="$peers initramfs-tools"

t=$W/tree
mkdir -p "$t"/{bin,sbin,proc,sys,dev,run,tmp,mnt,media/rfs/ro,media/rfs/rw}
cp "$(vm_busybox)" "$t/bin/"
for a in sh cat poweroff mount; do ln -s busybox "$t/bin/$a"; done
cat > "$t/sbin/init" <<'T'
#!/bin/sh
echo "bench: target init running" > /dev/kmsg
mount -t proc proc /proc 2>/dev/null
cat /run/ferry/timeline > /dev/ttyS1 2>/dev/null
echo BENCH-DONE > /dev/ttyS1
poweroff -f
T
chmod 755 "$t/sbin/init"
mkdisk_squashfs "$W/lower.sqfs" "$t"
# Debian's cloud initrd has no squashfs module: initramfs-tools gets the same tree on ext4
mkdisk_ext4 "$W/lower.ext4" "$t" 32
mkdir -p "$W/empty"

cat > "$W/sh-init" <<'S'
#!/bin/sh
# the shell approach: what meta-readonly-rootfs-overlay's script does, plus the modprobes a
# shell initramfs needs for this hardware
mount -t proc proc /proc; mount -t sysfs sysfs /sys; mount -t devtmpfs none /dev
for m in virtio_pci virtio_blk squashfs overlay; do modprobe $m; done
wait_for() { n=0; while [ ! -b "$1" ]; do sleep 0.1; n=$((n + 1)); [ $n -ge 50 ] && break; done; }
mkdir -p /mnt /media/rfs/ro /media/rfs/rw
wait_for /dev/vda
mount -t squashfs -o ro,noatime,nodiratime /dev/vda /media/rfs/ro
mount -o remount,ro /media/rfs/ro
wait_for /dev/vdb
mount -t ext4 -o rw,noatime /dev/vdb /media/rfs/rw
mkdir -p /media/rfs/rw/upperdir /media/rfs/rw/work
mount -t overlay overlay -o lowerdir=/media/rfs/ro,upperdir=/media/rfs/rw/upperdir,workdir=/media/rfs/rw/work /mnt
mkdir -p /mnt/media/rfs/ro /mnt/media/rfs/rw
mount -n --move /media/rfs/ro /mnt/media/rfs/ro
mount -n --move /media/rfs/rw /mnt/media/rfs/rw
mount -n --move /proc /mnt/proc; mount -n --move /sys /mnt/sys; mount -n --move /dev /mnt/dev
exec switch_root /mnt /sbin/init
S
{
	vm_busybox_list
	echo "dir /dev 0755 0 0"; echo "nod /dev/console 0600 0 0 c 5 1"
	echo "dir /proc 0755 0 0"; echo "dir /sys 0755 0 0"; echo "dir /sbin 0755 0 0"
	echo "slink /sbin/modprobe /bin/busybox 0777 0 0"
	echo "file /init $W/sh-init 0755 0 0"
} > "$W/sh.list"
vm_initramfs "$W/ferry.img" --no-busybox
# ferry-dep: the same modules the shell script's image needs (as initramfs-tools' MODULES=dep would
# pick); ferry: every module of the kernel, so coldplug loads a driver for every present device.
vm_initramfs "$W/ferry-dep.img" --no-busybox --modules "virtio_pci virtio_blk squashfs overlay"
vm_initramfs "$W/sh.img" --no-ferry --no-busybox --list "$W/sh.list"
initrd_tools=
[ "$VM_ARCH" = x86_64 ] && initrd_tools=$(ls /boot/initrd.img-"$(vm_cloud_release)")

stamp() { tr -d '\r' < "$1" | sed -n "s|^\[ *\([0-9.]*\)\] $2.*|\1|p" | head -n 1; }
ms() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "" || b == "") print "-"; else printf "%d", (b - a) * 1000 }'; }
tl() { tr -d '\r' < "$1" | sed -n "s/^$2 \([0-9]*\) *\([0-9]*\)$/\1 \2/p" | head -n 1; }

printf '%-16s %4s %16s %14s   %s\n' "initramfs" "run" "/init->target" "image (bytes)" "ferry's timeline (ms)"
for i in $(seq "$runs"); do
	for who in $peers; do
		mkdisk_ext4 "$W/rw.img" "$W/empty" 32 rwdata
		case $who in
		ferry) img=$W/ferry.img; app="root=/dev/vda rootrw=/dev/vdb" ;;
		ferry-dep) img=$W/ferry-dep.img; app="root=/dev/vda rootrw=/dev/vdb" ;;
		busybox-sh) img=$W/sh.img; app="" ;;
		initramfs-tools) img=$initrd_tools; app="root=/dev/vda ro init=/sbin/init" ;;
		esac
		lower=$W/lower.sqfs
		[ $who = initramfs-tools ] && lower=$W/lower.ext4
		vm_boot "$who-$i" --initrd "$img" --append "$app" --disk "$lower" --disk "$W/rw.img" --timeout 150
		c=$W/$who-$i.console
		t0=$(stamp "$c" 'Run /init as init process')
		t1=$(stamp "$c" 'bench: target init running')
		extra=
		if [ "${who%-dep}" = ferry ]; then
			o=$W/$who-$i.out
			read -r f0 _ < <(tl "$o" ferry); read -r m0 m1 < <(tl "$o" modules)
			read -r r0 r1 < <(tl "$o" root); read -r dv < <(tl "$o" 'mark root-devices')
			read -r cu cs < <(tl "$o" cpu)
			tot=$(ms "$t0" "$t1")
			if [ -n "${f0:-}" ] && [ -n "${dv:-}" ] && [ "$tot" != - ]; then
				extra="modules $((m1 - m0)), disk wait $((dv - r0)), root build $((r1 - dv)),"
				extra="$extra rest $((tot - (m1 - m0) - (r1 - r0)));"
				own=$(tr -d '\r' < "$c" | sed -n "s/.*ferry: root: ready: .* \([0-9]*\) us ferry's own.*/\1/p")
				kern=$(tr -d '\r' < "$c" | sed -n "s/.*ferry: root: ready: .*: \([0-9]*\) us in mount.*/\1/p")
				extra="$extra root build = kernel ${kern:-?} us + ferry's own ${own:-?} us"
			fi
		fi
		printf '%-16s %4d %13s ms %14d   %s\n' "$who" "$i" "$(ms "$t0" "$t1")" "$(stat -L -c %s "$img")" "$extra"
	done
done
echo "ferry's own timeline (last run, ms since boot):"
grep -v BENCH-DONE "$W/ferry-$runs.out" 2>/dev/null | sed 's/^/  /'
