# A root that appears late: the VM boots without its root disk, which is hot-added through QEMU's
# monitor while ferry waits. The uevent wakes the wait: the root is mounted within a fraction of a
# second of the kernel announcing the disk, without any polling loop.
source "$TOP/tests/vm/scenarios/root-common.inc"
root_tree "$W/tree"
mkdisk_squashfs "$W/lower.sqfs" "$W/tree"
vm_initramfs "$W/initrd"

vm_boot hp --initrd "$W/initrd" --monitor --append "root=/dev/vda ferry.timeout=120 ferry.debug" --timeout 200 &
bg=$!
console_wait hp 'ferry: modules: .* loaded' 120
sleep 3   # ferry is now waiting on the loop
monitor "$W/hp.mon" "drive_add 0 if=none,id=late,file=$W/lower.sqfs,format=raw,readonly=on" \
	"device_add virtio-blk-pci,drive=late,id=latedev" > "$W/monitor.log" 2>&1
wait $bg
expect hp '^PID1 ok' "the hot-added root is found and booted"
expect hp '^RO squashfs /dev/vda ' "... as the lower"
reject hp 'not found within' "no timeout" '^DONE'
t_disk=$(console_ts hp 'virtio_blk.*\[vda\]'); t_found=$(console_ts hp 'ferry: root: ready: /dev/vda')
echo "  (kernel saw vda at ${t_disk:-?} s, ferry mounted it at ${t_found:-?} s)"
check "[ -n '$t_disk' ] && [ -n '$t_found' ] && awk 'BEGIN{exit !($t_found - $t_disk < 0.5)}'" \
	"the root is mounted within 0.5 s of the kernel's uevent (event-driven, no polling)"
