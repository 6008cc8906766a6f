# Unified kernel images on x86_64, built here with objcopy --add-section around systemd's EFI stub
# (systemd-boot-efi): a BLS Type #2 file in /EFI/Linux (title from .osrel, command line from
# .cmdline, the kernel's initrd from .initrd), and a Type #1 entry naming the same UKI with `uki`,
# whose options replace .cmdline and whose initrd follows the UKI's own.
source "$TOP/tests/vm/scenarios/kexec-common.inc"
stub=/usr/lib/systemd/boot/efi/linuxx64.efi.stub
if [ ! -e "$stub" ]; then
	skip "kexec-uki: $stub missing (apt-get install systemd-boot-efi)"
	return 0
fi
kx_images
mkdir -p "$W/disk/EFI/Linux" "$W/disk/loader/entries"
printf 'NAME="Debian GNU/Linux"\nPRETTY_NAME="Debian UKI (ferry test)"\n' > "$W/osrel"
printf '%s test.fmt=uki\n' "$KX_OPTS" > "$W/cmdline"
uname=$(vm_cloud_release)
printf '%s' "$uname" > "$W/uname"
objcopy --add-section .osrel="$W/osrel" --change-section-vma .osrel=0x20000 \
	--add-section .cmdline="$W/cmdline" --change-section-vma .cmdline=0x30000 \
	--add-section .uname="$W/uname" --change-section-vma .uname=0x40000 \
	--add-section .linux="$KX_KERNEL" --change-section-vma .linux=0x2000000 \
	--add-section .initrd="$W/target.img" --change-section-vma .initrd=0x4000000 \
	"$stub" "$W/disk/EFI/Linux/debian-uki.efi"
cp "$stub" "$W/disk/EFI/Linux/stub-only.efi"            # a PE file without .linux: not an entry
cp "$W/extra.img" "$W/disk/extra.img"
printf 'title Type 1 naming a UKI\nuki /EFI/Linux/debian-uki.efi\ninitrd /extra.img\noptions %s test.fmt=uki-type1\n' \
	"$KX_OPTS" > "$W/disk/loader/entries/type1.conf"
mkdisk_ext4 "$W/disk.img" "$W/disk" 96 esp

vm_boot u1 --initrd "$W/ferry.img" --disk "$W/disk.img" --append "ferry.boot=kexec ferry.kexec.entry=debian-uki" \
	--timeout 240
expect u1 'ferry: kexec: /dev/vda: /EFI/Linux: 1 entry' "the UKI in /EFI/Linux is an entry, the bare stub is not"
expect u1 "\\[bls\\] \"Debian UKI \\(ferry test\\)\" version=$uname id=debian-uki linux=/EFI/Linux/debian-uki.efi" \
	"titled by .osrel's PRETTY_NAME, versioned by .uname"
expect u1 'entry [0-9]+: unified kernel image \(holding x86 bzImage\), kexec_file_load' "its .linux goes to kexec_file_load"
expect u1 '^KEXEC-CMDLINE console=ttyS0 panic=-1 test.fmt=uki$' "the second kernel got .cmdline"
reject u1 '^KEXEC-EXTRA' "and only the UKI's .initrd" '^KEXEC-CMDLINE '

vm_boot u2 --initrd "$W/ferry.img" --disk "$W/disk.img" --append "ferry.boot=kexec ferry.kexec.entry=type1" \
	--timeout 240
expect u2 '^KEXEC-CMDLINE console=ttyS0 panic=-1 test.fmt=uki-type1$' "a Type #1 entry's options replace .cmdline"
expect u2 '^KEXEC-EXTRA second-initrd' "its initrd follows the UKI's .initrd"
