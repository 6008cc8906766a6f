# Foundation: ferry as PID 1 on Debian's cloud kernel with no configuration at all. The target
# (run in place, no root=) reports what ferry left behind on ttyS1.
cat > "$W/target" <<'T'
#!/bin/sh
o=/dev/ttyS1
[ "$$" = 1 ] && echo "PID1 ok" > $o
dmesg | grep -q 'ferry: early: ferry is PID 1' && echo "KMSG ok" > $o
grep -q '^early [0-9]* [0-9]*$' /run/ferry/timeline && echo "TIMELINE ok" > $o
[ -e /sys/module/virtio_blk ] && [ -b /dev/vda ] && echo "COLDPLUG ok" > $o
# The kernel's request_module("fs-squashfs") runs /sbin/modprobe, which is ferry.
mkdir -p /mnt; mount -t squashfs /dev/vda /mnt 2>/dev/null
[ -e /sys/module/squashfs ] && echo "MODPROBE ok" > $o
[ -e /sys/module/overlay ] || echo "NO-OVERLAY ok" > $o
for fd in 0 1 2; do [ -e /proc/self/fd/$fd ] || echo "FD$fd missing" > $o; done
echo DONE > $o
poweroff -f
T
mkdir -p "$W/empty"; echo hello > "$W/empty/x"
mkdisk_ext4 "$W/disk.img" "$W/empty" 8
vm_initramfs "$W/initrd" --init "$W/target"
vm_boot pid1 --initrd "$W/initrd" --disk "$W/disk.img"
expect pid1 '^PID1 ok' "ferry hands over in place and the target runs as PID 1"
expect pid1 '^KMSG ok' "ferry's lines are in /dev/kmsg (read back with dmesg)"
expect pid1 '^TIMELINE ok' "the timeline is in /run/ferry/timeline"
expect pid1 '^COLDPLUG ok' "virtio_blk loaded by coldplug without configuration; /dev/vda exists"
expect pid1 '^MODPROBE ok' "the kernel's module request (fs-squashfs) served by ferry as /sbin/modprobe"
expect pid1 '^NO-OVERLAY ok' "modules that nothing needs stay unloaded"
reject pid1 'FD[0-2] missing' "fds 0, 1, 2 are open" '^DONE'
expect pid1 'ferry: modules: [1-9][0-9]* loaded' "the console shows ferry's lines"
expect pid1 '^DONE' "the target ran to the end"
