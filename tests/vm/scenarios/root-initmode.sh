# No initramfs: the kernel mounts an ext4 root from NVMe (built into the cloud kernel) and runs
# ferry as init=/sbin/ferry. ferry builds the overlay (the current root as the lower, an NVMe ext4
# rw) and pivot_roots into it; nothing is deleted. The rw keeps the target's files across boots.
source "$TOP/tests/vm/scenarios/root-common.inc"
rel=$(vm_cloud_release)
t=$W/rootfs
root_tree "$t"
cp "$B/ferry" "$t/sbin/ferry"
ln -sf ferry "$t/sbin/modprobe"
mkdir -p "$t/lib/modules"
cp -a "/lib/modules/$rel" "$t/lib/modules/"
echo keep > "$t/etc/keep-me"
rm -f "$W/root.img"; truncate -s 256M "$W/root.img"
mkfs.ext4 -q -F -L realroot -d "$t" "$W/root.img"
mkdir -p "$W/empty"; mkdisk_ext4 "$W/rw.img" "$W/empty" 32 rwdata
cp "$W/root.img" "$W/root.orig"
N="-drive file=$W/root.img,format=raw,if=none,id=n0 -device nvme,drive=n0,serial=root
   -drive file=$W/rw.img,format=raw,if=none,id=n1 -device nvme,drive=n1,serial=rw"
A="root=/dev/nvme0n1 rootfstype=ext4 init=/sbin/ferry rootrw=/dev/nvme1n1"

vm_boot i1 --initrd "" --qemu "$N" --append "$A test.write=1"
expect i1 'ferry: early: ferry is PID 1 \(/sbin/ferry\)' "the kernel runs ferry as init= from the real root"
expect i1 'pivot_root into /mnt/newroot' "a real root: pivot_root, not switch_root"
expect i1 '^PID1 ok' "the target runs as PID 1"
expect i1 '^INIT /sbin/init' "init= names ferry itself: rootinit (default /sbin/init) runs"
expect i1 '^ROOTFS overlay' "/ is the overlay"
expect i1 '^RO ext4 .* ro' "the real root is the lower at /media/rfs/ro, read-only"
expect i1 '^RW ext4 /dev/nvme1n1 ' "the rw device at /media/rfs/rw"
expect i1 '^API /dev devtmpfs' "/dev moved into the new root"
expect i1 '^WROTE' "the target writes"
vm_boot i2 --initrd "" --qemu "$N" --append "$A"
expect i2 '^FILE present' "init= mode: the file survives a reboot"
check "cmp -s '$W/root.img' '$W/root.orig'" "the real root is never written (pivot_root deletes nothing)"
