# From ferry, kexec into a kernel + initramfs found through /boot/extlinux/extlinux.conf on a virtio
# disk (every filesystem scanned, no ferry.kexec.device=), with the append/remove rules applied.
source "$TOP/tests/vm/scenarios/kexec-common.inc"
kx_images
mkdir -p "$W/disk/boot/extlinux"
cp "$KX_KERNEL" "$W/disk/boot/vmlinuz-6.1.0-cloud"
cp "$W/target.img" "$W/disk/boot/initrd.img-6.1.0-cloud"
cat > "$W/disk/boot/extlinux/extlinux.conf" <<X
## written like Debian's u-boot-update
default l0
menu title U-Boot menu
prompt 0
timeout 50

label l0
	menu label Debian GNU/Linux 12 (bookworm) 6.1.0-cloud
	linux /boot/vmlinuz-6.1.0-cloud
	initrd /boot/initrd.img-6.1.0-cloud
	append $KX_OPTS test.fmt=extlinux test.drop=1 ro quiet

label l0r
	menu label Debian GNU/Linux 12 (bookworm) 6.1.0-cloud (rescue target)
	linux /boot/vmlinuz-6.1.0-cloud
	initrd /boot/initrd.img-6.1.0-cloud
	append $KX_OPTS test.fmt=extlinux-rescue single
X
mkdisk_ext4 "$W/disk.img" "$W/disk" 48 bootdisk

vm_boot x1 --initrd "$W/ferry.img" --disk "$W/disk.img" \
	--append "ferry.boot=kexec ferry.kexec.append=test.appended=1 ferry.kexec.remove=test.drop,quiet" --timeout 180
expect x1 'ferry: kexec: /dev/vda: /boot/extlinux/extlinux.conf: 2 entries' "extlinux.conf found on the disk"
expect x1 'ferry: kexec: entry 0 \(default\) .*Debian GNU/Linux 12' "entries logged, the DEFAULT marked"
expect x1 'kexec_file_load [0-9]+\.[0-9]+ ms' "time in kexec_file_load reported"
expect x1 '^KEXEC-CMDLINE console=ttyS0 panic=-1 test.fmt=extlinux ro test.appended=1$' \
	"the second kernel got the entry's APPEND, minus ferry.kexec.remove=, plus ferry.kexec.append="

vm_boot x2 --initrd "$W/ferry.img" --disk "$W/disk.img" \
	--append "ferry.boot=kexec ferry.kexec.device=LABEL=bootdisk ferry.kexec.entry=l0r" --timeout 180
expect x2 '^KEXEC-CMDLINE .*test.fmt=extlinux-rescue single' "ferry.kexec.entry=<label> with ferry.kexec.device=LABEL="

# ferry.boot=auto (the default) without root=: the LinuxBoot case, every filesystem scanned once.
vm_boot x3 --initrd "$W/ferry.img" --disk "$W/disk.img" --timeout 180
expect x3 '^KEXEC-CMDLINE console=ttyS0 panic=-1 test.fmt=extlinux test.drop=1 ro quiet$' "ferry.boot=auto kexecs the default entry"
