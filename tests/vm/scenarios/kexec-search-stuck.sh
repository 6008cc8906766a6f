# grub's `search --fs-uuid` reads every disk: with one that hardly answers (zeros at 256 B/s,
# libblkid reads all over it), the lookup runs in a bounded child (ferry.timeout=) and ends by
# name, the search taken as not found (GRUB leaves root as it was), and the entry boots from the
# config's own filesystem. Before, discovery looked it up on the loop: PID 1 hung on that disk,
# its deadline never came, and the board's watchdog would have reset it.
source "$TOP/tests/vm/scenarios/kexec-common.inc"
kx_images
mkdir -p "$W/cfg/boot/grub"
cp "$KX_KERNEL" "$W/cfg/boot/vmlinuz"
cp "$W/target.img" "$W/cfg/boot/initrd.img"
cat > "$W/cfg/boot/grub/grub.cfg" <<X
set default=0
set timeout=1
search --no-floppy --fs-uuid --set=root 0badc0de-0000-4000-8000-00000000dead
menuentry 'Searched' {
	linux /boot/vmlinuz root=/dev/vda ro $KX_OPTS test.entry=searched
	initrd /boot/initrd.img
}
X
mkdisk_ext4 "$W/cfg.img" "$W/cfg" 48 cfgdisk
truncate -s 32M "$W/stuck.img"

vm_boot g1 --initrd "$W/ferry.img" --disk "$W/cfg.img" \
	--qemu "-drive file=$W/stuck.img,format=raw,if=virtio,throttling.bps-read=256" \
	--append "ferry.boot=kexec ferry.kexec.device=/dev/vda ferry.timeout=5" --timeout 150
expect g1 'ferry: kexec: looking up UUID=0badc0de-0000-4000-8000-00000000dead took longer than [0-9]+ s \(no answer from vdb\): taken as not there' \
	"the search's lookup ends at its bound, by name"
expect g1 'ferry: kexec: entry 0 \(default\) /dev/vda:/boot/grub/grub.cfg' "the config is read to the end"
expect g1 '^KEXEC-CMDLINE .*test\.entry=searched' "its entry boots from the config's own filesystem"
