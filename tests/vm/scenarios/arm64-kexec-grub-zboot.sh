# arm64 kexec through grub.cfg (tests/vm/arm64-kexec.inc): the default entry is a Fedora-style EFI
# zboot with a zstd payload, refused by name; the next, a zboot container written here around
# Debian's Image (gzip payload), is unwrapped, inflated and loaded by ferry's kexec_load, since
# Debian's arm64 kernel has no kexec_file_load.
source "$TOP/tests/vm/arm64-kexec.inc"
a64_setup || return 0
a64_images
a64_kexec z1 ""
expect z1 'entry 0 "Fedora zstd": /boot/fedora.efi: EFI zboot with a zstd payload: not supported' \
	"a zboot with a zstd payload: refused by name"
expect z1 'entry 1: EFI zboot \(holding arm64 Image\), kexec_load: the kernel has no kexec_file_load \(ENOSYS' \
	"the next entry, a gzip zboot, unwrapped; kexec_load since kexec_file_load is ENOSYS"
expect z1 '^KEXEC-CMDLINE console=ttyAMA0 panic=-1 test.fmt=grub-zboot$' "the second kernel runs (grub.cfg, zboot)"
