# The boot menu is part of the loop: a disk hot-added through the QEMU monitor while the menu is
# shown (a block uevent) adds its entries to the list, and one of them boots.
source "$TOP/tests/vm/scenarios/kexec-menu.inc"
kx_images
menu_disk
hot_disk

menu_boot h1 --initrd "$W/ferry.img" --disk "$W/menu.img" --append "ferry.boot=kexec ferry.menu=120" -- \
	'wait:booting 1\) in [0-9]+ s' "mon:drive_add 0 if=none,id=hot,file=$W/hot.img,format=raw" \
	'mon:device_add virtio-blk-pci,drive=hot,id=hotblk' 'wait:4\) Hot-added   \[extlinux\.conf on /dev/vdb\]' \
	'sleep:0.5' 'send:4'
expect h1 '/dev/vdb: 1 new entry' "the new disk's entry is announced in the menu"
expect h1 '4\) Hot-added   \[extlinux\.conf on /dev/vdb\]' "the hot-added disk's entry joins the list while it is shown"
expect h1 "$(menu_cmdline hot)" "4 boots the entry of the disk that appeared"
