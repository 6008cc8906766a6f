# The meta-readonly-rootfs-overlay layout: squashfs lower + ext4 rw, switch_root into the overlay;
# a file written by the target survives a reboot; rootrwreset=yes and the marker file empty the
# upper (dotfiles too).
source "$TOP/tests/vm/scenarios/root-common.inc"
root_images
vm_initramfs "$W/initrd"
# (ROOT_OVERLAY_ARGS: the arm layers name the rw device by label, as meta-readonly-rootfs-overlay does)
A=${ROOT_OVERLAY_ARGS:-root=/dev/vda rootrw=/dev/vdb}

vm_boot b1 --initrd "$W/initrd" --disk "$W/lower.sqfs" --disk "$W/rw.img" --append "$A test.write=1"
expect b1 '^PID1 ok' "the target init runs as PID 1 after switch_root"
expect b1 '^INIT /sbin/init' "rootinit defaults to /sbin/init"
expect b1 '^ROOTFS overlay' "/ is the overlay"
expect b1 '^RO squashfs /dev/vda .*\bro\b' "the lower is at /media/rfs/ro, squashfs probed, read-only"
expect b1 '^RW ext4 /dev/vdb .*noatime' "the rw device is at /media/rfs/rw, ext4 probed, noatime"
reject b1 'mode=755' "mode= not passed to ext4" '^DONE'
expect b1 '^API /dev devtmpfs' "/dev moved into the new root"
expect b1 '^API /run tmpfs' "/run moved into the new root"
expect b1 '^TIMELINE ok' "the timeline survives the switch in /run/ferry"
reject b1 '^INITRAMFS-LEFT' "the initramfs is not visible in the new root" '^DONE'
# ferry's child deletes the initramfs while the target starts: its memory comes back (an initramfs
# left whole would hold its full size here)
ikb=$(( $(gzip -dc "$W/initrd" 2>/dev/null | wc -c) / 1024 ))
mkb=$(tr -d '\r' < "$W/b1.out" | sed -n 's/^INITRAMFS-MEM \([0-9]*\) kB.*/\1/p')
echo "  (the initramfs: $ikb KiB unpacked; unevictable + shmem in the target: ${mkb:-?} KiB)"
check "[ -n '$mkb' ] && [ '$ikb' -gt 1024 ] && [ '$mkb' -lt $((ikb / 2)) ]" \
	"the initramfs's memory is freed after the switch, by ferry's child, within 10 s"
expect b1 '^LOWER visible' "the lower's files are visible"
expect b1 '^FILE absent' "first boot: the upper is empty"
expect b1 '^WROTE' "the target wrote its files"

vm_boot b2 --initrd "$W/initrd" --disk "$W/lower.sqfs" --disk "$W/rw.img" --append "$A"
expect b2 '^FILE present' "a file written by the target survives a reboot"
expect b2 '^DOT present' "a dotfile too"

vm_boot b3 --initrd "$W/initrd" --disk "$W/lower.sqfs" --disk "$W/rw.img" --append "$A rootrwreset=yes test.write=1 test.mark=1"
expect b3 'factory reset: emptying' "rootrwreset=yes: the reset is announced"
expect b3 '^FILE absent' "rootrwreset=yes removes the file"
expect b3 '^DOT absent' "rootrwreset=yes removes dotfiles"
expect b3 '^MARKED' "the target asks for a reset at the next boot (marker file)"

vm_boot b4 --initrd "$W/initrd" --disk "$W/lower.sqfs" --disk "$W/rw.img" --append "$A"
expect b4 '\.ferry-reset found' "the marker file triggers the reset"
expect b4 '^FILE absent' "the marker file's reset removes the file"
expect b4 '^DOT absent' "... and the dotfile"

vm_boot b5 --initrd "$W/initrd" --disk "$W/lower.sqfs" --disk "$W/rw.img" --append "$A"
reject b5 'factory reset' "the marker is gone after its reset: no reset on the boot after" '^DONE'
