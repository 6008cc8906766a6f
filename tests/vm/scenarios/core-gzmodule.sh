# Foundation: a .ko.gz on a kernel without MODULE_DECOMPRESS (Debian's cloud kernel) is inflated by
# ferry with zlib and loaded with init_module. A corrupt module and one missing from the image are
# logged by name and the boot goes on.
rel=$(vm_cloud_release)
src=/lib/modules/$rel
mods=$W/mods/lib/modules/$rel
mkdir -p "$mods"
cp -as "$src/." "$mods/"
rm "$mods/kernel/fs/squashfs/squashfs.ko"
gzip -9 -c "$src/kernel/fs/squashfs/squashfs.ko" > "$mods/kernel/fs/squashfs/squashfs.ko.gz"
sed -i 's|^kernel/fs/squashfs/squashfs.ko:|kernel/fs/squashfs/squashfs.ko.gz:|' "$mods/modules.dep"
rm "$mods/kernel/fs/isofs/isofs.ko"
head -c 3000 /dev/urandom > "$mods/kernel/fs/isofs/isofs.ko"   # corrupt
rm "$mods/kernel/fs/udf/udf.ko"                                # copied now, deleted from the image below
cat > "$W/target" <<'T'
#!/bin/sh
o=/dev/ttyS1
ls /lib/modules/*/kernel/fs/squashfs/ > $o
mkdir -p /mnt; mount -t squashfs /dev/null /mnt 2>/dev/null
[ -e /sys/module/squashfs ] && echo "GZ-MODULE ok" > $o
mount -t iso9660 /dev/null /mnt 2>/dev/null    # the corrupt one, through the kernel's request
rm -f /lib/modules/*/kernel/fs/udf/udf.ko
mount -t udf /dev/null /mnt 2>/dev/null        # the missing one
echo "STILL RUNNING" > $o
poweroff -f
T
touch "$mods/kernel/fs/udf/udf.ko"
vm_initramfs "$W/initrd" --init "$W/target" --moddir "$mods" --modules "squashfs virtio_pci isofs udf"
vm_boot gz --initrd "$W/initrd"
expect gz '^squashfs.ko.gz' "the image holds squashfs.ko.gz"
expect gz '^GZ-MODULE ok' "squashfs.ko.gz inflated by ferry and loaded"
expect gz 'ferry: modules: loading isofs \(kernel/fs/isofs/isofs.ko\): ' "a corrupt module is named"
expect gz 'ferry: modules: loading udf \(kernel/fs/udf/udf.ko\): No such file or directory' "a module missing from the image is named"
expect gz '^STILL RUNNING' "the system goes on"
