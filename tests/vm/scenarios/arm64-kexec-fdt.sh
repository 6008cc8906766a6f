# arm64 kexec of an extlinux entry with FDT: QEMU's own tree (dumpdtb) with its model changed by dtc;
# the second kernel must report that model from /proc/device-tree/model (tests/vm/arm64-kexec.inc).
source "$TOP/tests/vm/arm64-kexec.inc"
a64_setup || return 0
a64_images
a64_kexec f1 fdt
expect f1 'kexec_load: the entry names a device tree' "an FDT entry goes to kexec_load"
expect f1 'device tree /bootfs/boot/board.dtb;' "the entry's tree"
expect f1 '^KEXEC-MODEL ferry-test-board' "the second kernel reports the entry's tree's model"
expect f1 '^KEXEC-CMDLINE console=ttyAMA0 panic=-1 test.fmt=fdt$' "its /chosen written by ferry"
