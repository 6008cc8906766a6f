# Boot speed (issue 14): with every module of Debian's cloud kernel in the image, crypt and root
# start at once and the root is mounted before the modules job ends; a module the root asks for
# (squashfs) is loaded at once when asked for while 51 others queue (the fs/nls codepages, aliased here to the
# virtio block device, so they are queued when the disks appear); at the handoff no load is in
# flight (/proc/modules shows none "Loading") and what is still queued is left to the target's
# udev; ferry.modules=settle keeps the old order (root after modules). PID 1's peak resident size at
# the handoff (the timeline's mem, VmHWM) stays within 1 MiB with every module of the kernel
# indexed (issue 14). rd.modules_load= puts the modules it names first.
source "$TOP/tests/vm/scenarios/root-common.inc"
rel=$(vm_cloud_release)
src=/lib/modules/$rel
mods=$W/mods/lib/modules/$rel
mkdir -p "$mods"
cp -as "$src/." "$mods/"
rm "$mods/modules.alias"                 # a symlink into the host's tree: the copy gets the lines
cp "$src/modules.alias" "$mods/modules.alias"
nls=$(cd "$src/kernel/fs/nls" && ls | sed 's/\.ko.*//; s/-/_/g')
for m in $nls; do echo "alias virtio:d00000002v* $m"; done >> "$mods/modules.alias"
root_tree "$W/tree"
cat > "$W/tree/sbin/init" <<'T'
#!/bin/sh
o=/dev/ttyS1
mount -t proc proc /proc 2>/dev/null
t=/run/ferry/timeline
ready=$(awk '$1 == "mark" && $2 == "root-ready" { print $3 }' $t)
mend=$(awk '$1 == "modules" { print $3 }' $t)
rstart=$(awk '$1 == "root" { print $2 }' $t)
echo "TL ready=$ready modules_end=$mend root_start=$rstart" > $o
echo "MEM $(awk '$1 == "mem" { print $2 }' $t)" > $o
[ -n "$ready" ] && [ -n "$mend" ] && [ "$ready" -le "$mend" ] && echo "ROOT-BEFORE-MODULES ok" > $o
[ -n "$mend" ] && [ -n "$rstart" ] && [ "$mend" -le "$rstart" ] && echo "MODULES-BEFORE-ROOT ok" > $o
grep -q ' Loading ' /proc/modules && echo "LOADING $(grep ' Loading ' /proc/modules | cut -d' ' -f1 | tr '\n' ' ')" > $o
echo "NLS $(grep -c '^nls_\|^mac_' /proc/modules)" > $o
echo "DONE" > $o
poweroff -f
T
for a in awk cut tr; do ln -sf busybox "$W/tree/bin/$a"; done
mkdisk_squashfs "$W/lower.sqfs" "$W/tree"
mkdir -p "$W/empty"
# 128 MiB (sparse): libblkid's safe probe of a disk of 64 MiB or more also reads ZFS's four 256 KiB
# labels, which in PID 1 itself made its peak resident size 1.7 MiB (the probe runs in a child)
mkdisk_ext4 "$W/rw.img" "$W/empty" 128 rwdata
vm_initramfs "$W/initrd" --moddir "$mods" --modules all
A="root=/dev/vda rootrw=LABEL=rwdata ferry.debug"

vm_boot early --initrd "$W/initrd" --disk "$W/lower.sqfs" --disk "$W/rw.img" --append "$A"
# (the same millisecond when no load is in flight then: the pause starts none after the root's
# devices, and the job ends at the handoff with its queue left to the target, checked below)
expect early '^ROOT-BEFORE-MODULES ok' "the timeline shows root-ready no later than the modules job's end"
reject early '^MODULES-BEFORE-ROOT ok' "the root job starts before the modules job ends" '^DONE'
# squashfs is the root's: loaded at once when the root asks for it (after the probe of /dev/vda),
# not behind the codepages still queued then (the disk drivers' workers, one per CPU and 3, load
# at most that many meanwhile)
counts=$(tr -d '\r' < "$W/early.console" | awk '/ferry: modules: virtio:d00000002v[0-9A-F]*: 52 modules queued/ { q = 1 }
	/ferry: root: \/dev\/vda: squashfs/ { r = 1 } /ferry: modules: loaded squashfs$/ { if (q && r) print b + 0, m + 0; exit }
	/ferry: modules: loaded (nls|mac)_/ { if (r) m++; else b++ }')
nbefore=${counts% *} nmid=${counts#* }
check "[ -n '$counts' ] && [ '$nmid' -le 6 ]" "squashfs loaded ${nmid:-?} codepage loads after the root asked for it (${nbefore:-?} of the 51 were loaded before; the stage's module does not queue)"
expect early 'ferry: modules: handoff: [0-9]+ loaded, [0-9]+ failed, [1-9][0-9]* queued left' \
	"the handoff does not wait for the queue: some modules are left to the target"
reject early '^LOADING' "at the handoff no module is still loading (/proc/modules)" '^DONE'
expect early '^DONE' "the target ran"
# mem_within NAME KIB: the timeline's VmHWM of that boot, at most KIB
mem_within() {
	local kib
	kib=$(tr -d '\r' < "$W/$1.out" | sed -n 's/^MEM \([0-9][0-9]*\)$/\1/p' | head -n 1)
	check "[ -n '$kib' ] && [ '$kib' -le $2 ]" "$1: PID 1's peak resident size at the handoff ${kib:-?} KiB <= $2 KiB (every module indexed)"
}
mem_within early 1024

vm_boot settle --initrd "$W/initrd" --disk "$W/lower.sqfs" --disk "$W/rw.img" --append "$A ferry.modules=settle"
expect settle '^MODULES-BEFORE-ROOT ok' "ferry.modules=settle: the root job starts after the modules job"
expect settle '^NLS 5[01]$' "ferry.modules=settle: every queued module was loaded before the handoff"
expect settle 'ferry: modules: [0-9]+ loaded, 0 failed' "ferry.modules=settle: the modules job settled"
reject settle '^LOADING' "ferry.modules=settle: nothing loading at the handoff" '^DONE'
mem_within settle 1024

# rd.modules_load=: the named modules (vfat, with its dependency fat) load first, ahead of what
# coldplug finds; a name the image does not have is named and the boot goes on
vm_boot named --initrd "$W/initrd" --disk "$W/lower.sqfs" --disk "$W/rw.img" \
	--append "$A rd.modules_load=vfat,nosuchmod"
# (the first workers load in parallel: vfat, behind its dependency fat, is loaded before the end
# of coldplug's chains, virtio_pci and ata_piix)
first=$(tr -d '\r' < "$W/named.console" | sed -n 's/.*ferry: modules: loaded \([a-z0-9_]*\)$/\1/p' | sed '/^virtio_pci$/q; /^ata_piix$/q' | tr '\n' ' ')
check "case ' $first' in *' vfat '*) true ;; *) false ;; esac" "rd.modules_load=vfat: vfat loaded before coldplug's virtio_pci and ata_piix (${first:-none})"
expect named 'ferry: modules: rd.modules_load=nosuchmod: no such module in /lib/modules/' "a module the image lacks is named"
expect named '^DONE' "rd.modules_load=: the target ran"
