# Foundation, LinuxBoot form: the project's test kernel with ferry built in through
# CONFIG_INITRAMFS_SOURCE=initramfs-list (the same list `make` uses), its modules xz-compressed and
# decompressed by the kernel (MODULE_DECOMPRESS). A second, external initrd adds the target and
# the modules; ferry comes from the kernel image.
if ! k=$("$TOP/tests/vm/kernel.sh"); then
	skip "the test kernel did not build (see tests/vm/kernel.sh)"
	return 0
fi
FERRY_BUILD=$B FERRY_TOP=$TOP "$TOP/tests/vm/kernel-builtin.sh" "$TOP/initramfs-list" "$W/bzImage"
cat > "$W/target" <<'T'
#!/bin/sh
o=/dev/ttyS1
[ "$$" = 1 ] && echo "PID1 ok" > $o
read up _ < /proc/uptime; echo "UPTIME $up" > $o
dmesg | grep -q 'ferry: early: ferry is PID 1' && echo "KMSG ok" > $o
ls /lib/modules/*/kernel/fs/squashfs/squashfs.ko.xz >/dev/null && echo "XZ present" > $o
mkdir -p /mnt; mount -t squashfs /dev/null /mnt 2>/dev/null
[ -e /sys/module/squashfs ] && echo "XZ-MODULE ok" > $o
grep -q '^trusted' /proc/keys 2>/dev/null; grep -q 'trusted' /proc/kallsyms 2>/dev/null && echo "TRUSTED-KEYS ok" > $o
poweroff -f
T
vm_initramfs "$W/extra" --no-ferry --kernel test --init "$W/target" --modules "squashfs overlay"
vm_boot builtin --kernel "$W/bzImage" --initrd "$W/extra"
echo "  (builtin: the target started $(sed -n 's/^UPTIME //p' "$W/builtin.out" | tr -d '\r') s after the kernel)"
expect builtin '^PID1 ok' "ferry built into the kernel image runs as PID 1 and hands over"
expect builtin '^KMSG ok' "its lines are in /dev/kmsg"
expect builtin '^XZ present' "the test kernel's modules are .ko.xz"
expect builtin '^XZ-MODULE ok' "an xz module is loaded through the kernel's decompression (finit_module)"
expect builtin '^TRUSTED-KEYS ok' "the test kernel has trusted keys"
