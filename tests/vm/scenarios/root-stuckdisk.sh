# root=LABEL= with rootwait, a disk that (almost) never answers, and the right disk hot-added after
# it: the scan of every disk is stuck on the first (zeros at 256 B/s: libblkid reads all over it),
# and the new disk must still be looked at, in a probe of its own, when its uevent comes. Before
# that probe existed the wait only noted "look again when the scan is back" and the VM ran into
# its timeout.
source "$TOP/tests/vm/scenarios/root-common.inc"
root_tree "$W/tree"
mkdisk_ext4 "$W/root.img" "$W/tree" 32 goodroot
truncate -s 32M "$W/stuck.img"
vm_initramfs "$W/initrd"

vm_boot st --initrd "$W/initrd" --monitor --qemu "-drive file=$W/stuck.img,format=raw,if=virtio,throttling.bps-read=256" \
	--append "root=LABEL=goodroot rootwait ferry.debug" --timeout 150 &
bg=$!
console_wait st 'ferry: modules: .* loaded' 120
sleep 3   # the scan of every disk is now stuck on vda
monitor "$W/st.mon" "drive_add 0 if=none,id=late,file=$W/root.img,format=raw,readonly=on" \
	"device_add virtio-blk-pci,drive=late,id=latedev" > "$W/monitor.log" 2>&1
wait $bg
expect st '^PID1 ok' "the hot-added root is found and booted while a disk that does not answer holds the scan"
expect st '^RO ext4 /dev/vdb ' "... the labelled one, as the lower"
t_disk=$(console_ts st 'virtio_blk.*\[vdb\]'); t_found=$(console_ts st 'ferry: root: ready')
echo "  (kernel saw vdb at ${t_disk:-?} s, the root was ready at ${t_found:-?} s)"
check "[ -n '$t_disk' ] && [ -n '$t_found' ] && awk 'BEGIN{exit !($t_found - $t_disk < 10)}'" \
	"... within 10 s of the kernel announcing it"

# Disks there before the wait begins (drivers built in, or loaded before ferry: here virtio_blk by
# an rdinit wrapper) get no uevent, so only the scan of every disk looks at them. It is bounded
# (15 s): when it runs out on the stuck disk, that disk is named, set apart and probed on its own
# with twice the bound, and the scan starts again without it and finds the right disk behind it
# (vdb comes before vda in /sys/class/block's order). Before the bound the scan hung on the stuck
# disk for good and the boot never went on.
cat > "$W/pre" <<'P'
#!/bin/sh
mount -t proc proc /proc; mount -t sysfs sysfs /sys
/sbin/modprobe virtio_pci; /sbin/modprobe virtio_blk
n=0; while [ ! -e /sys/class/block/vdb ] && [ $n -lt 100 ]; do sleep 0.2; n=$((n + 1)); done
umount /sys; umount /proc
exec /init "$@"
P
printf 'file /pre %s 0755 0 0\n' "$W/pre" > "$W/pre.list"
vm_initramfs "$W/preinitrd" --list "$W/pre.list"
vm_boot st2 --initrd "$W/preinitrd" \
	--qemu "-drive file=$W/root.img,format=raw,if=virtio,readonly=on -drive file=$W/stuck.img,format=raw,if=virtio,throttling.bps-read=256" \
	--append "rdinit=/pre root=LABEL=goodroot rootwait ferry.debug" --timeout 150
expect st2 'ferry: devices: looking for LABEL=goodroot: the scan of every disk gave no answer from vdb within 15 s: vdb is probed on its own \(up to 30 s\), the scan starts again without it' \
	"the scan of every disk ends at its bound, naming the disk it hung on"
expect st2 '^RO ext4 /dev/vda ' "the right disk behind it is found by the scan that starts again, and booted"

# The same disks without rootwait: the wait is bounded by ferry.timeout= (10 s by default), so its
# first scan gets a quarter of it (2.5 s), as a kexec lookup's does, leaving room to set the stuck
# disk apart and scan again within the bound. Before that rule the first scan had 15 s, the wait
# ran out at 10 s while it was still stuck on vdb, and the boot failed with the root disk there.
vm_boot st3 --initrd "$W/preinitrd" \
	--qemu "-drive file=$W/root.img,format=raw,if=virtio,readonly=on -drive file=$W/stuck.img,format=raw,if=virtio,throttling.bps-read=256" \
	--append "rdinit=/pre root=LABEL=goodroot ferry.onfail=poweroff ferry.debug" --timeout 90
expect st3 'ferry: devices: looking for LABEL=goodroot: the scan of every disk gave no answer from vdb within 2\.5 s: vdb is probed on its own \(up to 5 s\), the scan starts again without it' \
	"without rootwait the first scan ends at a quarter of ferry.timeout=, naming the disk it hung on"
expect st3 '^RO ext4 /dev/vda ' "the right disk behind it is found within ferry.timeout=, and booted"
