# arm64 kexec of an extlinux entry with FDTDIR (and Image.gz): the dtb named by the running board's
# compatible ("linux,dummy-virt" -> qemu/dummy-virt.dtb), whose model the second kernel reports
# (tests/vm/arm64-kexec.inc).
source "$TOP/tests/vm/arm64-kexec.inc"
a64_setup || return 0
a64_images
a64_kexec d1 fdtdir
expect d1 'device tree /bootfs/boot/dtbs/qemu/dummy-virt.dtb' "FDTDIR: the dtb named by the board's compatible"
expect d1 '^KEXEC-MODEL ferry-fdtdir-board' "the second kernel reports its model"
