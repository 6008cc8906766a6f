#!/usr/bin/env bash
# Kexec benchmark: /init start -> the reboot(LINUX_REBOOT_CMD_KEXEC) call, for ferry (finding the
# entry in extlinux.conf on a virtio disk, kexec_file_load, unmount, reboot) and, side by side in the
# same run, a busybox script doing the same steps with kexec-tools (`kexec -s`, the same syscall):
# insmod the virtio modules, mount the disk, `kexec -s -l`, `kexec -e`. Times are the kernel's printk
# stamps: "Run /init as init process" to "kexec_core: Starting new kernel"; for ferry also the
# time inside kexec_file_load itself (hashing, signature), from its own log line.
set -u
B=$(cd "${1:-build}" && pwd)
TOP=$(cd "$(dirname "$0")/../.." && pwd)
W=$B/bench/kexec
rm -rf "$W"; mkdir -p "$W"
export B TOP W RESULTS=/dev/null
source "$TOP/tests/vm/lib.sh"
source "$TOP/tests/vm/scenarios/kexec-common.inc"
runs=${BENCH_RUNS:-3}
rel=$(vm_cloud_release)

kx_images
# ferry-dep: only the modules the kexec-tools script inserts (virtio_pci, virtio_blk and their
# dependencies); ferry: every module, so coldplug loads a driver for every present device.
vm_initramfs "$W/ferry-dep.img" --modules "virtio_pci virtio_blk"
mkdir -p "$W/disk/boot/extlinux"
cp "$KX_KERNEL" "$W/disk/boot/vmlinuz"
cp "$W/target.img" "$W/disk/boot/initrd.img"
printf 'default l0\nlabel l0\n\tlinux /boot/vmlinuz\n\tinitrd /boot/initrd.img\n\tappend %s\n' "$KX_OPTS" \
	> "$W/disk/boot/extlinux/extlinux.conf"
mkdisk_ext4 "$W/disk.img" "$W/disk" 48 bootdisk

# The peer: kexec-tools from Debian's package, unpacked here (not installed: its postinst would
# change how this host reboots), with the shared libraries it needs (Debian links it against Xen's
# libxenctrl: apt-get install libxenmisc4.17).
peer=
if (cd "$W" && apt-get download kexec-tools >/dev/null 2>&1) && dpkg-deb -x "$W"/kexec-tools_*.deb "$W/kt"; then
	kx=$W/kt/sbin/kexec
	md=/lib/modules/$rel/kernel/drivers
	{
		echo "dir /dev 0755 0 0"; echo "nod /dev/console 0600 0 0 c 5 1"
		echo "dir /proc 0755 0 0"; echo "dir /sys 0755 0 0"; echo "dir /mnt 0755 0 0"
		echo "dir /sbin 0755 0 0"; echo "file /sbin/kexec $kx 0755 0 0"
		echo "file /init $W/peer.sh 0755 0 0"
		for m in virtio/virtio_ring virtio/virtio virtio/virtio_pci_modern_dev virtio/virtio_pci_legacy_dev \
			 virtio/virtio_pci block/virtio_blk; do
			echo "file /$(basename $m).ko $md/$m.ko 0644 0 0"
		done
		for l in $(ldd "$kx" | grep -o '/[^ ]*'); do
			d=$(dirname "$l") p=
			for c in ${d//\// }; do p=$p/$c; echo "dir $p 0755 0 0"; done  # parents first
			echo "file $l $(readlink -f "$l") 0755 0 0"
		done | awk '!seen[$0]++'
	} > "$W/peer.list"
	cat > "$W/peer.sh" <<T
#!/bin/sh
mount -t devtmpfs dev /dev; mount -t proc proc /proc; mount -t sysfs sys /sys
for m in virtio_ring virtio virtio_pci_modern_dev virtio_pci_legacy_dev virtio_pci virtio_blk; do insmod /\$m.ko; done
i=0; while [ ! -e /dev/vda ] && [ \$i -lt 1000 ]; do sleep 0.01; i=\$((i + 1)); done
mount -o ro,noload /dev/vda /mnt
kexec -s -l /mnt/boot/vmlinuz --initrd=/mnt/boot/initrd.img --command-line="$KX_OPTS"
umount /mnt
kexec -e
poweroff -f
T
	vm_initramfs "$W/peer.img" --no-ferry --modules "" --list "$W/peer.list" && peer=1
fi

stamp() { tr -d '\r' < "$1" | sed -n "s|^\[ *\([0-9.]*\)\] $2.*|\1|p" | head -n 1; }
ms() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "" || b == "") print "-"; else printf "%d", (b - a) * 1000 }'; }

# "disk->reboot": from the first sign of the boot disk being read (ferry's first kexec line, the
# script's mount) to the reboot: finding, loading and leaving, without the module loading before.
printf '%-14s %4s %19s %15s %19s %10s\n' "initramfs" "run" "init->kexec reboot" "disk->reboot" "in kexec_file_load" "target ok"
for i in $(seq "$runs"); do
	for who in ferry ferry-dep ${peer:+kexec-tools}; do
		case $who in
		ferry) img=$W/ferry.img; app="ferry.boot=kexec" ;;
		ferry-dep) img=$W/ferry-dep.img; app="ferry.boot=kexec" ;;
		*) img=$W/peer.img; app= ;;
		esac
		vm_boot "$who-$i" --initrd "$img" --append "$app" --disk "$W/disk.img" --timeout 180
		c=$W/$who-$i.console
		t0=$(stamp "$c" 'Run /init as init process')
		t1=$(stamp "$c" 'kexec_core: Starting new kernel')
		if [ "${who%-dep}" = ferry ]; then td=$(stamp "$c" 'ferry: kexec:'); else td=$(stamp "$c" 'EXT4-fs (vda): mounted'); fi
		kf=$(tr -d '\r' < "$c" | sed -n 's/.*(kexec_file_load \([0-9.]*\) ms.*/\1 ms/p' | head -n 1)
		grep -q '^KEXEC-DONE' "$W/$who-$i.out" 2>/dev/null && okd=yes || okd=no
		printf '%-14s %4d %16s ms %12s ms %19s %10s\n' "$who" "$i" "$(ms "$t0" "$t1")" "$(ms "$td" "$t1")" \
			"${kf:--}" "$okd"
	done
done
[ -n "$peer" ] || echo "(kexec-tools peer skipped: apt-get download kexec-tools failed)"
