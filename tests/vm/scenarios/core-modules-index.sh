# The binary module index (issue 14): mkinitramfs -M writes modules.ferry beside modules.dep and
# modules.alias; PID 1 and the kernel's modprobe helper (ferry) read it; a corrupt one is refused,
# named in the log, and the text files serve the request instead.
cat > "$W/target" <<'T'
#!/bin/sh
o=/dev/ttyS1
d=$(echo /lib/modules/*)
[ -s $d/modules.ferry ] && echo "INDEX present" > $o
dmesg | grep -q 'ferry: modules: .*aliases in .*, from modules.ferry' && echo "PID1-INDEX ok" > $o
mkdir -p /mnt; mount -t squashfs /dev/vda /mnt 2>/dev/null
[ -e /sys/module/squashfs ] && echo "HELPER-INDEX ok" > $o
dmesg | grep -q 'modules.ferry: corrupt' && echo "EARLY-REFUSAL" > $o
head -c 2000 /dev/urandom > $d/modules.ferry.new
{ printf 'FERRYMI1'; cat $d/modules.ferry.new; } > $d/modules.ferry
mount -t iso9660 /dev/null /mnt 2>/dev/null
[ -e /sys/module/isofs ] && echo "FALLBACK ok" > $o
dmesg | grep -q "ferry: modules: $d/modules.ferry: corrupt (refused); reading modules.dep and modules.alias instead" && echo "REFUSED ok" > $o
echo DONE > $o
poweroff -f
T
mkdir -p "$W/sq"; echo hello > "$W/sq/x"
mkdisk_squashfs "$W/disk.sqfs" "$W/sq"
vm_initramfs "$W/initrd" --init "$W/target"
vm_boot idx --initrd "$W/initrd" --disk "$W/disk.sqfs"
expect idx '^INDEX present' "mkinitramfs -M wrote modules.ferry into the image"
expect idx '^PID1-INDEX ok' "PID 1 read its modules from modules.ferry"
expect idx '^HELPER-INDEX ok' "the kernel's request (fs-squashfs) served by the helper from modules.ferry"
reject idx '^EARLY-REFUSAL' "the index mkinitramfs wrote is accepted" '^DONE'
expect idx '^FALLBACK ok' "with a corrupt modules.ferry the request (fs-iso9660) is served from the text files"
expect idx '^REFUSED ok' "the corrupt index is refused and named in the log"
