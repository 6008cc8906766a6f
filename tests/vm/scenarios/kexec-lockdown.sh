# Under kernel lockdown (lockdown=integrity) kexec_file_load takes only images whose signature the
# running kernel trusts. A tampered copy of the kernel (signature no longer matching) is refused and
# explained; the next entry, Debian's signed kernel itself, is tried through the same verified call —
# and refused too here: Debian signs it for UEFI Secure Boot, and without UEFI firmware there is no
# platform keyring holding that certificate. Nothing unverified follows.
source "$TOP/tests/vm/scenarios/kexec-common.inc"
kx_images
mkdir -p "$W/disk/boot/extlinux"
cp "$KX_KERNEL" "$W/disk/boot/vmlinuz"
cp "$KX_KERNEL" "$W/disk/boot/vmlinuz-tampered"
printf '\xde\xad\xbe\xef' | dd of="$W/disk/boot/vmlinuz-tampered" bs=1 seek=2097152 conv=notrunc status=none
cp "$W/target.img" "$W/disk/boot/initrd.img"
cat > "$W/disk/boot/extlinux/extlinux.conf" <<X
default tampered
label tampered
	linux /boot/vmlinuz-tampered
	initrd /boot/initrd.img
	append $KX_OPTS test.entry=tampered
label signed
	linux /boot/vmlinuz
	initrd /boot/initrd.img
	append $KX_OPTS test.entry=signed
X
mkdisk_ext4 "$W/disk.img" "$W/disk" 48 bootdisk

vm_boot l1 --initrd "$W/ferry.img" --disk "$W/disk.img" --append "lockdown=integrity ferry.boot=kexec ferry.onfail=poweroff" --timeout 180
expect l1 'Kernel is locked down from command line' "the kernel is locked down"
expect l1 'entry 0 "tampered": kexec_file_load \(/boot/vmlinuz-tampered\): Operation not permitted: kexec is not permitted: under kernel lockdown' \
	"the tampered kernel is refused, and why"
expect l1 'entry 1 "signed": (loading|kexec_file_load)' "the next entry is tried"
expect l1 'no fallback to an unverified boot' "no unverified fallback after a refusal"
reject l1 'KEXEC-CMDLINE .*test.entry=tampered' "the tampered kernel never runs" 'entry 1 "signed"'
