# First-boot provisioning on Debian's cloud kernel, without a TPM: an encrypted key sealed by a
# user master key (added by a small rdinit= wrapper before it execs ferry, still PID 1). The new
# blob becomes final only once the volume is usable: a failed ferry.crypt.mkfs leaves no blob, so
# the next boot provisions again instead of calling every later boot a wrong key.
if ! command -v musl-gcc >/dev/null || ! command -v debugfs >/dev/null; then
	skip "musl-gcc or debugfs (e2fsprogs) is missing"; return 0
fi
cat > "$W/addkey.c" <<'C'
/* rdinit=/addkey: the master key in the user keyring, then ferry as the same PID 1 */
#include <unistd.h>
#include <sys/syscall.h>
#define KEY_SPEC_USER_KEYRING -4  /* linux/keyctl.h, which musl-gcc does not see */
int main(int argc, char **argv)
{
	static const char k[] = "ferry-test-master-key-0123456789abcdef";
	syscall(SYS_add_key, "user", "ferrykmk", k, sizeof(k) - 1, KEY_SPEC_USER_KEYRING);
	argv[0] = "/init";
	execv("/init", argv);
	return 127;
}
C
musl-gcc -static -Os -o "$W/addkey" "$W/addkey.c" || { skip "musl-gcc could not build the wrapper"; return 0; }
cat > "$W/target" <<'T'
#!/bin/sh
o=/dev/ttyS1
mkdir -p /mnt && mount -t ext2 /dev/mapper/vol /mnt && echo "MOUNTED" > $o
[ -e /mnt/lost+found ] && echo "FORMATTED" > $o
umount /mnt
echo DONE > $o
poweroff -f
T
printf 'file /addkey %s 0755 0 0\n' "$W/addkey" > "$W/extra.list"
vm_initramfs "$W/initrd" --init "$W/target" --list "$W/extra.list"
truncate -s 16M "$W/vol.img"
mkdir -p "$W/empty"; mkdisk_ext4 "$W/blob.img" "$W/empty" 8 blobs
spec="ferry.crypt=vol,/dev/vda,encrypted:/vol.blob,blobdev=/dev/vdb,master=user:ferrykmk,provision"
A="rdinit=/addkey $spec ferry.onfail=poweroff"
blob_on_disk() { debugfs -R "stat /$1" "$W/blob.img" 2>/dev/null | grep -q '^Inode:'; }

vm_boot fail --initrd "$W/initrd" --disk "$W/vol.img" --disk "$W/blob.img" --append "$A ferry.crypt.mkfs=false"
expect fail 'ferry: crypt: vol: sealed a new key' "first boot: a new key is sealed"
expect fail 'ferry: crypt: vol: mkfs on the new volume failed' "the failed mkfs is named"
expect fail 'reboot: Power down' "the policy runs"
check '! blob_on_disk vol.blob' "a failed mkfs leaves no blob: the volume stays unprovisioned"
check '! blob_on_disk vol.blob.new' "nor a staged one"

vm_boot again --initrd "$W/initrd" --disk "$W/vol.img" --disk "$W/blob.img" --append "$A ferry.crypt.mkfs=mke2fs"
expect again 'ferry: crypt: vol: sealed a new key' "the next boot provisions again (no 'wrong key')"
expect again 'ferry: crypt: vol: the volume is usable: blob /run/ferry/blob/vol/vol.blob is final' "the blob is final after mkfs"
expect again '^FORMATTED' "the target mounts the new filesystem"
check 'blob_on_disk vol.blob' "the blob is on the blob device"

vm_boot third --initrd "$W/initrd" --disk "$W/vol.img" --disk "$W/blob.img" --append "$A ferry.crypt.mkfs=false"
expect third 'ferry: crypt: vol: .*mapped \(encrypted key\)' "the third boot unseals the committed blob"
expect third '^MOUNTED' "and finds the filesystem made with that key"
reject third 'sealed a new key' "nothing is provisioned again" 'mapped \(encrypted key\)'
