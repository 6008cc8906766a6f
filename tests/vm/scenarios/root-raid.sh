# rootrw= on one leg of an md RAID1 (metadata 0.90 and 1.0: the md superblock at the end, the
# ext4 inside visible at the start). Mounting a leg read-write would make the mirror diverge:
# ferry identifies a read-write device by libblkid's safe probe only, and refuses a RAID member.
source "$TOP/tests/vm/scenarios/root-common.inc"
root_images
# md_member IMG 0|1: write an md 0.90 or 1.0 superblock at the end of IMG (as mdadm --create would)
md_member() {
	python3 - "$1" "$2" <<'PY'
import os, struct, sys
img, v1 = sys.argv[1], sys.argv[2] == "1"
size = os.path.getsize(img)
sb = bytearray(4096)
struct.pack_into("<I", sb, 0, 0xa92b4efc)
if not v1:
    off = (size & ~0xffff) - 0x10000
    struct.pack_into("<IIIIIIIII", sb, 4, 0, 90, 0, 0, 0x0123abcd, 0, 1, 0, 0)
    struct.pack_into("<I", sb, 40, 2)
else:
    off = (size & ~0xfff) - 0x2000
    struct.pack_into("<I", sb, 4, 1)
    sb[16:32] = b"\x5a" * 16
    sb[32:38] = b"rwdata"
    struct.pack_into("<I", sb, 72, 1)
    struct.pack_into("<I", sb, 92, 2)
    struct.pack_into("<Q", sb, 144, off >> 9)
    s = sum(struct.unpack_from("<64I", sb, 0))
    struct.pack_into("<I", sb, 216, ((s & 0xffffffff) + (s >> 32)) & 0xffffffff)
with open(img, "r+b") as f:
    f.seek(off)
    f.write(sb)
PY
}
vm_initramfs "$W/initrd"
for v in 0 1; do
	cp "$W/rw.img" "$W/md$v.img"
	md_member "$W/md$v.img" $v
	blkid -p "$W/md$v.img" 2>/dev/null | grep -q linux_raid_member || { skip "the host's libblkid does not see the md $v superblock"; continue; }
	sum0=$(sha256sum < "$W/md$v.img")
	vm_boot label$v --initrd "$W/initrd" --disk "$W/lower.sqfs" --disk "$W/md$v.img" \
		--append "root=/dev/vda rootrw=LABEL=rwdata ferry.timeout=3"
	expect label$v '^RW tmpfs' "md $v member, rootrw=LABEL=: not taken as the rw device (tmpfs fallback)"
	reject label$v '^RW ext4' "md $v member, rootrw=LABEL=: the leg is not mounted read-write" '^DONE'
	vm_boot path$v --initrd "$W/initrd" --disk "$W/lower.sqfs" --disk "$W/md$v.img" \
		--append "root=/dev/vda rootrw=/dev/vdb rootrwfstype=ext4"
	expect path$v 'ferry: root: rootrw /dev/vdb: refused read-write: a RAID member' "md $v member, rootrw=/dev/vdb rootrwfstype=ext4: refused, and said why"
	expect path$v '^RW tmpfs' "md $v member: the boot goes on with the tmpfs fallback"
	check "[ \"\$(sha256sum < '$W/md$v.img')\" = '$sum0' ]" "md $v member: the leg was not written"
done
