# arm64 kexec of Debian's vmlinuz as it is (a raw Image) through extlinux.conf, with the running
# device tree (/sys/firmware/fdt), its /chosen rewritten by ferry (tests/vm/arm64-kexec.inc).
source "$TOP/tests/vm/arm64-kexec.inc"
a64_setup || return 0
a64_images
a64_kexec r1 raw
expect r1 'entry [0-9]+: arm64 Image \(as it is\), kexec_load' "a raw Image"
expect r1 'device tree /sys/firmware/fdt; Image at 0x[0-9a-f]*[02468ace]00000,' "the running tree; the Image 2 MiB aligned"
expect r1 '^KEXEC-MODEL linux,dummy-virt' "the running tree reached the second kernel"
expect r1 '^KEXEC-CMDLINE console=ttyAMA0 panic=-1 test.fmt=raw$' "with /chosen/bootargs from the entry"
