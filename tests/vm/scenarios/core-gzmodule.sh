# Foundation: a .ko.gz on a kernel without MODULE_DECOMPRESS (Debian's cloud kernel) is inflated by
# ferry with zlib and loaded with init_module.
rel=$(vm_cloud_release)
src=/lib/modules/$rel
mods=$W/mods/lib/modules/$rel
mkdir -p "$mods"
cp -as "$src/." "$mods/"
rm "$mods/kernel/fs/squashfs/squashfs.ko"
gzip -9 -c "$src/kernel/fs/squashfs/squashfs.ko" > "$mods/kernel/fs/squashfs/squashfs.ko.gz"
sed -i 's|^kernel/fs/squashfs/squashfs.ko:|kernel/fs/squashfs/squashfs.ko.gz:|' "$mods/modules.dep"
cat > "$W/target" <<'T'
#!/bin/sh
o=/dev/ttyS1
ls /lib/modules/*/kernel/fs/squashfs/ > $o
mkdir -p /mnt; mount -t squashfs /dev/null /mnt 2>/dev/null
[ -e /sys/module/squashfs ] && echo "GZ-MODULE ok" > $o
poweroff -f
T
vm_initramfs "$W/initrd" --init "$W/target" --moddir "$mods" --modules "squashfs virtio_pci"
vm_boot gz --initrd "$W/initrd"
expect gz '^squashfs.ko.gz' "the image holds squashfs.ko.gz"
expect gz '^GZ-MODULE ok' "squashfs.ko.gz inflated by ferry and loaded"
reject gz 'ferry: modprobe: ' "no module errors"
