# arm64 kexec of an extlinux entry with FDTDIR (and Image.gz): the dtb named by the running board's
# compatible ("linux,dummy-virt" -> qemu/dummy-virt.dtb), whose model the second kernel reports
# (tests/vm/arm64-kexec.inc); then with U-Boot's fdtfile given as ferry.fdtfile=, that file instead.
source "$TOP/tests/vm/arm64-kexec.inc"
a64_setup || return 0
a64_images
a64_kexec d1 fdtdir
expect d1 'device tree /bootfs/boot/dtbs/qemu/dummy-virt.dtb' "FDTDIR: the dtb named by the board's compatible"
expect d1 '^KEXEC-MODEL ferry-fdtdir-board' "the second kernel reports its model"
a64_kexec d2 fdtdir ferry.fdtfile=freescale/imx8mq-evk.dtb
expect d2 'device tree /bootfs/boot/dtbs/freescale/imx8mq-evk.dtb' "FDTDIR + ferry.fdtfile=: the dtb U-Boot's fdtfile names"
expect d2 '^KEXEC-MODEL ferry-fdtfile-board' "the second kernel reports that tree's model"
