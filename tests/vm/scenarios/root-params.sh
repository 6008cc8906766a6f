# Every root parameter, and their absence: defaults, aliases, init=/rootinit=, preinit=, the rw
# fallback (missing device, unmountable device, rootrwfallback=fail), a missing root within its
# bound, rootwait's reports.
source "$TOP/tests/vm/scenarios/root-common.inc"
root_images
cp "$W/tree/sbin/init" "$W/tree/sbin/init2"
mkdisk_squashfs "$W/lower.sqfs" "$W/tree"
cat > "$W/preinit" <<'P'
#!/bin/sh
touch "$FERRY_NEWROOT/preinit-was-here"
echo "PREINIT-SAW $FERRY_NEWROOT $FERRY_RO $FERRY_RW $(grep -c ' /newroot overlay' /proc/mounts)" > /dev/ttyS1
P
echo "file /preinit $W/preinit 0755 0 0" > "$W/extra.list"
vm_initramfs "$W/initrd" --list "$W/extra.list"
dd if=/dev/urandom of="$W/garbage.img" bs=1M count=4 2>/dev/null
L=$W/lower.sqfs

# A: no rootrw= (tmpfs), init= naming ferry + rootinit=, rootoptions=, preinit=, rootdelay=, rw,
# and an argument for the target
vm_boot a --initrd "$W/initrd" --disk "$L" --append "root=/dev/vda init=/init rootinit=/sbin/init2 rootoptions=nodev,noatime preinit=/preinit rootdelay=1 rw single"
expect a '^INIT /sbin/init2' "init= names ferry itself: rootinit= runs"
expect a '^ARGS single' "the target gets ferry's original arguments"
expect a '^RW tmpfs tmpfs .*mode=755' "no rootrw=: a tmpfs with mode=755"
expect a '^RO squashfs /dev/vda ro,nodev' "rootoptions= reaches the lower, which stays read-only"
expect a '^PREINIT-SAW /newroot /media/rfs/ro /media/rfs/rw 1' "preinit= runs with the new root mounted"
expect a '^PREINIT ran' "preinit='s changes are in the new root"
expect a 'rootdelay=1' "rootdelay= is honoured"
expect a 'rw on the command line' "rw is accepted (the lower stays read-only)"
reject a 'ferry: .*(config|root):.*(unknown|invalid)' "no parameter rejected" '^DONE'

# B: tags for both devices, explicit types, rootflags= alias, rootrwoptions= with mode= for ext4,
# rootrwupperdir=, init= naming another program
vm_boot b --initrd "$W/initrd" --disk "$L" --disk "$W/rw.img" --append "root=/dev/vda rootfstype=squashfs rootflags=nosuid rootrw=LABEL=rwdata rootrwfstype=ext4 rootrwoptions=rw,sync,mode=700 rootrwupperdir=slotA init=/sbin/init2 test.write=1"
expect b '^INIT /sbin/init2' "init= naming a program in the new root runs it"
expect b '^RO squashfs /dev/vda ro,nosuid' "rootflags= is an alias of rootoptions="
expect b '^RW ext4 /dev/vdb rw,sync' "rootrwoptions= reaches the rw mount, LABEL= found"
expect b 'mode= left out' "mode= from rootrwoptions= is left out for ext4"
expect b '^WROTE' "writes with rootrwupperdir="
vm_boot b2 --initrd "$W/initrd" --disk "$L" --disk "$W/rw.img" --append "root=/dev/vda rootrw=/dev/vdb"
expect b2 '^FILE absent' "another upperdir (the default) does not see slotA's files"
vm_boot b3 --initrd "$W/initrd" --disk "$L" --disk "$W/rw.img" --append "root=/dev/vda rootrw=/dev/vdb rootrwupperdir=slotA"
expect b3 '^FILE present' "rootrwupperdir=slotA keeps its own files"

# C: rootrw= missing -> tmpfs, a loud warning and a note in /run/ferry
vm_boot c --initrd "$W/initrd" --disk "$L" --append "root=/dev/vda rootrw=/dev/vdc ferry.timeout=2"
expect c 'rootrw /dev/vdc: device not found' "the missing rw device is named"
expect c 'WARNING: the rw layer is a TMPFS' "the fallback is loud"
expect c '^FALLBACK-NOTE rootrw=/dev/vdc' "the note is in /run/ferry/rootrw-fallback"
expect c '^RW tmpfs' "the target runs on a tmpfs rw"

# D: rootrw= unmountable (no filesystem) -> tmpfs; the device is not written
cp "$W/garbage.img" "$W/garbage.orig"
vm_boot d --initrd "$W/initrd" --disk "$L" --disk "$W/garbage.img" --append "root=/dev/vda rootrw=/dev/vdb"
expect d 'rootrw /dev/vdb: probing the filesystem type' "an unmountable rw device is named with the failed step"
expect d '^RW tmpfs' "... and replaced by a tmpfs"
check "cmp -s '$W/garbage.img' '$W/garbage.orig'" "ferry never writes a device that failed"

# E: rootrwfallback=fail -> the failure policy
vm_boot e --initrd "$W/initrd" --disk "$L" --append "root=/dev/vda rootrw=/dev/vdc rootrwfallback=fail ferry.timeout=2 ferry.onfail=poweroff"
expect e 'rootrw /dev/vdc: device not found \(rootrwfallback=fail\)' "rootrwfallback=fail fails the boot"
reject e '^PID1 ok' "... and the target does not start" 'ferry: policy:'

# F: a missing root: the named error within the bound, then the policy
vm_boot f --initrd "$W/initrd" --append "root=LABEL=nosuchroot ferry.timeout=3 ferry.onfail=poweroff" --timeout 60
expect f 'root device LABEL=nosuchroot not found within 3 s' "a missing root is named after the bound"
check "! vm_timedout f" "... then the policy (poweroff) ends the boot"
t0=$(grep -a 'ferry: modules:' "$W/f.console" | sed -n 's/^\[ *\([0-9]*\)\..*/\1/p' | head -n 1)
t1=$(grep -a 'nosuchroot not found' "$W/f.console" | sed -n 's/^\[ *\([0-9]*\)\..*/\1/p' | head -n 1)
check "[ -n '$t1' ] && [ \$(( ${t1:-0} - ${t0:-0} )) -le 4 ]" "the error comes within the 3 s bound (+1 s)"

# G: rootwait: no limit, and every 5 s a line naming what is missing
vm_boot g --initrd "$W/initrd" --append "root=PARTLABEL=later rootwait ferry.timeout=2" --timeout 70
expect g 'still waiting for PARTLABEL=later \(5 s' "rootwait says what is missing after 5 s"
expect g 'still waiting for PARTLABEL=later \(10 s' "... and again 5 s later"
reject g 'not found within' "rootwait has no bound" 'still waiting for PARTLABEL=later \(10 s'

# H: a target init missing in the new root: switch_root's check names it before deleting anything
vm_boot h --initrd "$W/initrd" --disk "$L" --append "root=/dev/vda rootinit=/sbin/nope ferry.onfail=poweroff"
expect h 'switch_root: the init is missing in the new root \(/sbin/nope\)' "a missing target init is named by the check"
reject h '^PID1 ok' "... and nothing is started" 'ferry: policy:'
