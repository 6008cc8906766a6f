# The menu stays responsive while a disk that hardly answers (zeros at 256 B/s: libblkid reads all
# over it) is looked at: a disk hot-added while the menu is shown is probed in a bounded child
# (the rescan's probe, ferry.timeout=5), not on the loop. Before, the rescan probed it in place and
# PID 1 read no key until the probe was back (here: never, within the VM's timeout).
source "$TOP/tests/vm/scenarios/kexec-menu.inc"
kx_images
menu_disk
truncate -s 32M "$W/stuck.img"

menu_boot s1 --initrd "$W/ferry.img" --disk "$W/menu.img" --append "ferry.boot=kexec ferry.menu=120 ferry.timeout=5" \
	--timeout 150 -- 'wait:booting 1\) in [0-9]+ s' \
	"mon:drive_add 0 if=none,id=stuck,file=$W/stuck.img,format=raw,throttling.bps-read=256" \
	'mon:device_add virtio-blk-pci,drive=stuck,id=stuckblk' 'sleep:3' 'send:r' \
	'wait:looking at the disks again' 'wait:0 new entries' 'send:2'
expect s1 'looking at the disks again' "r is answered while the new disk's probe is out"
expect s1 '0 new entries' "... and the rescan ends when the probe reaches its bound (the disk skipped)"
expect s1 "$(menu_cmdline two)" "2 boots the second entry: the menu read keys all along"
expect s1 'ferry: menu: entry 1 .* chosen on ttyS0' "the choice came from the console"

# The rescan's chain of children: with ferry.kexec.device=LABEL= values, a disk hot-added while the
# menu is shown is found by two lookups (LABEL=menudisk, LABEL=hotdisk) and a probe, each in a
# bounded child, the pass going on from each answer; its entry joins the list and boots.
hot_disk
menu_boot s2 --initrd "$W/ferry.img" --disk "$W/menu.img" \
	--append "ferry.boot=kexec ferry.kexec.device=LABEL=menudisk ferry.kexec.device=LABEL=hotdisk ferry.menu=120 ferry.timeout=5" \
	--timeout 150 -- 'wait:booting 1\) in [0-9]+ s' "mon:drive_add 0 if=none,id=hot,file=$W/hot.img,format=raw" \
	'mon:device_add virtio-blk-pci,drive=hot,id=hotblk' 'wait:4\) Hot-added   \[extlinux\.conf on /dev/vdb\]' \
	'sleep:0.5' 'send:4'
expect s2 'ferry: kexec: ferry.kexec.device=LABEL=hotdisk: no such device' "discovery ends without the second named disk"
expect s2 '/dev/vdb: 1 new entry' "the hot-added named disk's entry is announced"
expect s2 "$(menu_cmdline hot)" "4 boots it"
