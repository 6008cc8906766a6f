# A GPT disk with named partitions: LABEL=, UUID=, PARTUUID=, PARTLABEL= (and the /dev/disk/by-*
# spellings) all resolve without udev.
source "$TOP/tests/vm/scenarios/root-common.inc"
root_tree "$W/tree"
mkdisk_squashfs "$W/lower.sqfs" "$W/tree"
P1=6f1c2b3a-1111-4a5b-8c9d-0123456789ab
P2=6f1c2b3a-2222-4a5b-8c9d-0123456789ab
FSUUID=0d6e5f4a-3333-4b2c-9d8e-fedcba987654
img=$W/gpt.img
rm -f "$img"; truncate -s 64M "$img"
sgdisk -n1:2048:+16M -c1:rootfs -u1:$P1 -n2:0:+32M -c2:state -u2:$P2 "$img" >/dev/null
s2=$(sgdisk -i 2 "$img" | sed -n 's/^First sector: \([0-9]*\).*/\1/p')
dd if="$W/lower.sqfs" of="$img" bs=512 seek=2048 conv=notrunc status=none
mkdir -p "$W/empty"; rm -f "$W/p2.img"; truncate -s 32M "$W/p2.img"
mkfs.ext4 -q -F -L rwdata -U $FSUUID -d "$W/empty" "$W/p2.img"
dd if="$W/p2.img" of="$img" bs=512 seek="$s2" conv=notrunc status=none
vm_initramfs "$W/initrd"

vm_boot g1 --initrd "$W/initrd" --disk "$img" --append "root=PARTLABEL=rootfs rootrw=LABEL=rwdata test.write=1"
expect g1 '^RO squashfs /dev/vda1 ' "PARTLABEL= finds the squashfs partition"
expect g1 '^RW ext4 /dev/vda2 ' "LABEL= finds the ext4 partition"
expect g1 '^WROTE' "the target writes"
vm_boot g2 --initrd "$W/initrd" --disk "$img" --append "root=PARTUUID=$P1 rootrw=UUID=$FSUUID"
expect g2 '^RO squashfs /dev/vda1 ' "PARTUUID= finds the partition"
expect g2 '^RW ext4 /dev/vda2 ' "UUID= finds the filesystem"
expect g2 '^FILE present' "... the same upper as through the labels"
U2=$(echo $P2 | tr a-f A-F)
vm_boot g3 --initrd "$W/initrd" --disk "$img" --append "root=/dev/disk/by-partlabel/rootfs rootrw=PARTUUID=$U2"
expect g3 '^RO squashfs /dev/vda1 ' "/dev/disk/by-partlabel/ works without udev"
expect g3 '^RW ext4 /dev/vda2 ' "PARTUUID= in upper case matches"
vm_boot g4 --initrd "$W/initrd" --disk "$img" --append "root=vda1 rootrw=/dev/disk/by-uuid/$FSUUID"
expect g4 '^RO squashfs /dev/vda1 ' "root=vda1 (the kernel's short form)"
expect g4 '^RW ext4 /dev/vda2 ' "/dev/disk/by-uuid/ works without udev"
