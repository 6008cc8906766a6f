# preinit= is bounded (ferry.preinit.timeout=, then killed, logged, the policy) and its FERRY_*
# variables stay its own: the target init's environment does not carry them.
source "$TOP/tests/vm/scenarios/root-common.inc"
root_images
cat > "$W/preinit" <<'P'
#!/bin/sh
echo "PREINIT-SAW $FERRY_NEWROOT" > /dev/ttyS1
P
cat > "$W/hang" <<'P'
#!/bin/sh
echo "HANG started" > /dev/ttyS1
sleep 1000
P
printf 'file /preinit %s 0755 0 0\nfile /hang %s 0755 0 0\n' "$W/preinit" "$W/hang" > "$W/extra.list"
vm_initramfs "$W/initrd" --list "$W/extra.list"
A="root=/dev/vda rootrw=/dev/vdb"

vm_boot env --initrd "$W/initrd" --disk "$W/lower.sqfs" --disk "$W/rw.img" --append "$A preinit=/preinit"
expect env '^PREINIT-SAW /newroot' "preinit sees FERRY_NEWROOT"
expect env '^FERRY-ENV clean' "the target init's environment has no FERRY_ variable"

vm_boot hang --initrd "$W/initrd" --disk "$W/lower.sqfs" --disk "$W/rw.img" \
	--append "$A preinit=/hang ferry.preinit.timeout=3 ferry.onfail=poweroff" --timeout 90
expect hang '^HANG started' "the hanging preinit ran"
expect hang 'ferry: root: preinit /hang: still running after 3 s \(ferry.preinit.timeout\): killed' "after ferry.preinit.timeout= the preinit is killed and that is logged"
expect hang 'powering off \(ferry.onfail=poweroff\)' "then the failure policy runs"
check '! vm_timedout hang' "the boot did not hang"
