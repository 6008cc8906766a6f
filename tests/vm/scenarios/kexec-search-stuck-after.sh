# grub's `search --fs-uuid` names a filesystem on a disk that comes AFTER one that hardly answers
# (zeros at 256 B/s: libblkid reads all over it). /sys/class/block lists vdb (the stuck disk), then
# vdc (the kernel's disk), then vda (the config's). The lookup's walk runs out of its share of the
# bound (a quarter of ferry.timeout=) on vdb: vdb is set apart (probed on its own) and the walk
# starts again without it, finds vdc, and the entry boots from there. Before, a lookup was one walk: it ended at the bound on vdb
# ("no answer from vdb: taken as not there") and the kernel, which is only on vdc, was never found.
source "$TOP/tests/vm/scenarios/kexec-common.inc"
kx_images
U=5a7e0c1d-0000-4000-8000-0000000af7e4
mkdir -p "$W/cfg/boot/grub" "$W/kern/boot"
cp "$KX_KERNEL" "$W/kern/boot/vmlinuz"
cp "$W/target.img" "$W/kern/boot/initrd.img"
cat > "$W/cfg/boot/grub/grub.cfg" <<X
set default=0
set timeout=1
search --no-floppy --fs-uuid --set=root $U
menuentry 'Behind' {
	linux /boot/vmlinuz root=/dev/vda ro $KX_OPTS test.entry=behind
	initrd /boot/initrd.img
}
X
mkdisk_ext4 "$W/cfg.img" "$W/cfg" 16 cfgdisk
rm -f "$W/kern.img"; truncate -s 48M "$W/kern.img"
mkfs.ext4 -q -F -U "$U" -d "$W/kern" "$W/kern.img"
truncate -s 32M "$W/stuck.img"

# behind NAME CONFIG_DISK ENTRY WHO: the config's disk, then the stuck one, then the kernel's: WHO
# (a lookup) sets the stuck disk apart by name, finds the kernel's disk behind it, and ENTRY boots
behind() {
	vm_boot "$1" --initrd "$W/ferry.img" --disk "$2" \
		--qemu "-drive file=$W/stuck.img,format=raw,if=virtio,throttling.bps-read=256 -drive file=$W/kern.img,format=raw,if=virtio,readonly=on" \
		--append "ferry.boot=kexec ferry.kexec.device=/dev/vda ferry.timeout=5" --timeout 150
	expect "$1" "ferry: devices: looking up UUID=$U: the scan of every disk gave no answer from vdb within [0-9.]+ s: vdb is probed on its own" \
		"$4 sets the stuck disk apart, by name"
	expect "$1" 'loading /run/ferry/kexec/1/boot/vmlinuz' "the kernel is read from the disk behind it"
	expect "$1" "^KEXEC-CMDLINE .*test\\.entry=$3" "and its entry boots"
	check "! grep -aq 'looking up UUID=$U took longer' '$W/$1.console'" "... the lookup did not end at its bound (taken as not there)"
}
behind g1 "$W/cfg.img" behind "search's lookup"

# The handoff's own lookup (an entry whose grub root names UUID=: looked up when it is loaded,
# waited for in a child, nothing else running on the loop): the same walks, one child at a time.
# Before, it was one walk: "entry 0: looking up UUID=... took longer than 5 s (no answer from
# vdb): its files are looked for on /dev/vda", where they are not.
mkdir -p "$W/cfg2/boot/grub"
cat > "$W/cfg2/boot/grub/grub.cfg" <<X
set default=0
set timeout=1
set root=UUID=$U
menuentry 'Handoff' {
	linux /boot/vmlinuz root=/dev/vda ro $KX_OPTS test.entry=handoff
	initrd /boot/initrd.img
}
X
mkdisk_ext4 "$W/cfg2.img" "$W/cfg2" 16 cfgdisk2
behind g2 "$W/cfg2.img" handoff "the handoff's lookup"
