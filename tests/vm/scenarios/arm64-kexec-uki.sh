# arm64 kexec of a unified kernel image, BLS Type #2 in /EFI/Linux, built with aarch64 objcopy
# --add-section around systemd's arm64 stub: .linux (Image.gz), .initrd, .cmdline, .osrel
# (tests/vm/arm64-kexec.inc).
source "$TOP/tests/vm/arm64-kexec.inc"
a64_setup || return 0
if [ -z "$A64_STUB" ]; then
	skip "arm64-kexec-uki: no linuxaa64.efi.stub (apt-get download systemd-boot-efi:arm64, binutils-aarch64-linux-gnu)"
	return 0
fi
a64_images
a64_kexec k1 debian-uki
expect k1 '\[bls\] "Debian arm64 UKI \(ferry test\)" id=debian-uki linux=/EFI/Linux/debian-uki.efi' \
	"a Type #2 entry titled by .osrel"
expect k1 'entry [0-9]+: unified kernel image \(holding arm64 Image\), kexec_load' "its .linux (Image.gz) inflated"
expect k1 '^KEXEC-CMDLINE console=ttyAMA0 panic=-1 test.fmt=uki$' "the second kernel got .cmdline"
expect k1 '^KEXEC-EXTRA uki-initrd' "and .initrd"
