# Boot speed (issue 14), the order of the loads with every module of Debian's cloud kernel in the
# image: the filesystems the plan names (the overlay of a root=) are queued first, before any disk
# exists, and loaded before the second disk appears; the modules of classes that never provide a
# disk (drivers/input: evdev, for the i8042 keyboard coldplug finds) are held back while the root
# waits for its disks, and left to the target's udev at the handoff; ferry.timeout='s bound
# releases them (rootdelay= keeps the root waiting past it), and ferry.modules=settle never holds
# them; once the root's devices are there no queued load but a disk driver starts (the handoff,
# which waits for the loads in flight, finds none begun since), until ferry.timeout= has passed
# without a handoff (a long preinit); at the handoff no load is in flight (/proc/modules: none
# "Loading").
source "$TOP/tests/vm/scenarios/root-common.inc"
root_tree "$W/tree"
cat > "$W/tree/sbin/init" <<'T'
#!/bin/sh
o=/dev/ttyS1
mount -t proc proc /proc 2>/dev/null
grep -q ' Loading ' /proc/modules && echo "LOADING $(grep ' Loading ' /proc/modules | cut -d' ' -f1 | tr '\n' ' ')" > $o
grep -q '^evdev ' /proc/modules && echo "EVDEV loaded" > $o || echo "EVDEV absent" > $o
grep -q '^overlay ' /proc/modules && echo "OVERLAY loaded" > $o
echo "DONE" > $o
poweroff -f
T
for a in cut tr; do ln -sf busybox "$W/tree/bin/$a"; done
mkdisk_squashfs "$W/lower.sqfs" "$W/tree"
mkdir -p "$W/empty"
mkdisk_ext4 "$W/rw.img" "$W/empty" 32 rwdata
truncate -s 1M "$W/third.img"
vm_initramfs "$W/initrd" --modules all
# the disks' kernel names follow the bus order (virtioN gets the Nth name) in every boot: a disk
# driver that registers while virtio_pci still adds devices would race it (a rootrw=/dev/vdb on
# another disk)
in_bus_order() {
	tr -d '\r' < "$W/$1.console" | grep -oE 'virtio_blk virtio[0-9]+: \[vd[a-z]\]' |
		awk '{ n = substr($2, 7) + 0; c = substr($3, 4, 1); if (index("abcdefgh", c) - 1 != n) bad = 1; k++ }
		END { exit !(k >= 3 && !bad) }'
}
A="root=/dev/vda rootrw=/dev/vdb ferry.debug"
# before BEFORE AFTER NAME: the first console line matching BEFORE comes before the first matching AFTER
before() {
	local n
	n=$(tr -d '\r' < "$W/$3.console" | awk -v a="$1" -v b="$2" '$0 ~ a && !x { x = NR } $0 ~ b && !y { y = NR }
		END { print (x && y && x < y) ? "yes" : "no" }')
	[ "$n" = yes ]
}

vm_boot order --initrd "$W/initrd" --disk "$W/lower.sqfs" --disk "$W/rw.img" --disk "$W/third.img" --append "$A"
check "in_bus_order order" "the three disks are named in the bus order (vda, vdb, vdc for virtio0, 1, 2)"
check "before 'ferry: modules: overlay: first, before any disk' 'ferry: devices: /dev/vda is' order" \
	"the plan's overlay is queued first, before the first disk is there"
check "before 'ferry: modules: loaded overlay\$' 'ferry: devices: /dev/vdb is' order" \
	"the overlay is loaded before the second disk is there (the root does not load it after the mounts)"
expect order '^OVERLAY loaded' "the overlay is loaded"
# once the root's devices are there no queued load but a disk driver starts: the loads that end
# after are those in flight then and those a stage asks for (loaded at once, on the loop)
expect order "ferry: modules: the root's devices are there: [0-9]+ loads in flight finish, [1-9][0-9]* queued wait" \
	"the root's devices are there: the queue waits (with every module, some are queued then)"
window() {
	tr -d '\r' < "$W/$1.console" | sed -n "/the root's devices are there: /,/ferry: handoff:/p"
}
started=$(window order | grep -c 'ferry: modules: [^ ]*: to a worker (rest)')
check "[ $started = 0 ] && window order | grep -q 'ferry: handoff:'" \
	"from the root's devices to the handoff, no queued load starts ($started did; the root asked for $(window order | grep -c 'asked for by a stage'))"
check "before 'ferry: root: ready' 'ferry: modules: loaded evdev' order || ! grep -q 'ferry: modules: loaded evdev' '$W/order.console'" \
	"evdev (drivers/input: never a disk) is not loaded before root-ready"
expect order 'ferry: modules: handoff: [0-9]+ loaded, [0-9]+ failed, [1-9][0-9]* queued left' \
	"the held modules are left to the target's udev"
expect order '^EVDEV absent' "the target finds evdev not loaded (its udev would load it)"
reject order '^LOADING' "at the handoff no module is still loading (/proc/modules)" '^DONE'

# ferry.timeout=1: the hold ends after 1 s; rootdelay=3 keeps the root from looking until then
vm_boot bound --initrd "$W/initrd" --disk "$W/lower.sqfs" --disk "$W/rw.img" --disk "$W/third.img" --append "$A ferry.timeout=1 rootdelay=3"
check "in_bus_order bound" "again in the bus order"
expect bound 'ferry: modules: [1-9][0-9]* modules held back \(classes that never provide a disk\) queued now, 1000 ms' \
	"ferry.timeout='s bound releases the held modules"
check "before 'ferry: modules: loaded evdev\$' 'ferry: root: ready' bound" "evdev is loaded once the bound has passed, before root-ready"
expect bound '^EVDEV loaded' "the target finds evdev loaded"
reject bound '^LOADING' "at the handoff no module is still loading (/proc/modules)" '^DONE'

# a preinit that outlasts ferry.timeout=1: the queue goes on once the bound has passed without a handoff
printf '#!/bin/sh\nsleep 3\n' > "$W/preinit"
printf 'file /preinit %s 0755 0 0\n' "$W/preinit" > "$W/preinit.list"
vm_initramfs "$W/initrd-pre" --modules all --list "$W/preinit.list"
vm_boot pause --initrd "$W/initrd-pre" --disk "$W/lower.sqfs" --disk "$W/rw.img" --disk "$W/third.img" --append "$A ferry.timeout=1 preinit=/preinit"
check "in_bus_order pause" "again in the bus order"
expect pause "ferry: modules: ferry.timeout='s bound passed since the root's devices were there: [0-9]+ queued loads go on" \
	"no handoff within ferry.timeout= after the root's devices: the queue goes on"
resumed=$(tr -d '\r' < "$W/pause.console" | sed -n "/bound passed since the root's devices/,\$p" | grep -c ': to a worker (rest)')
check "[ $resumed -gt 0 ]" "and queued loads start again ($resumed)"
reject pause '^LOADING' "at the handoff no module is still loading (/proc/modules)" '^DONE'

vm_boot settle --initrd "$W/initrd" --disk "$W/lower.sqfs" --disk "$W/rw.img" --append "$A ferry.modules=settle"
expect settle 'ferry: modules: [0-9]+ loaded, 0 failed, 0 held back' "ferry.modules=settle: nothing is held back"
expect settle '^EVDEV loaded' "ferry.modules=settle: evdev is loaded before the handoff"
reject settle '^LOADING' "ferry.modules=settle: nothing loading at the handoff" '^DONE'
