# Crypt with a key file on Debian's cloud kernel: an ext4 volume encrypted on the host in user
# space (aes-xts-plain64, 512-byte sectors; and 4096-byte sectors after an offset), opened by ferry;
# a wrong key, a missing key file and a missing device each give a named error and the policy, and
# the ciphertext is never written.
source "$TOP/tests/vm/scenarios/crypt.inc"
if ! crypt_have_python; then skip "python3 cryptography (python3-cryptography) is missing"; return 0; fi

mkdir -p "$W/data"; echo "secret payload 4711" > "$W/data/hello.txt"
mkdisk_ext4 "$W/plain.img" "$W/data" 16
head -c 64 /dev/urandom > "$W/good.key"
head -c 64 /dev/urandom > "$W/bad.key"
crypt_xts "$W/plain.img" "$W/cipher.img" "$W/good.key"
rm -f "$W/plain.img"
sum0=$(sha "$W/cipher.img")

cat > "$W/target" <<'T'
#!/bin/sh
o=/dev/ttyS1
[ -b /dev/mapper/data ] && echo "NODE ok" > $o
mkdir -p /mnt && mount -t ext4 -o ro,noload /dev/mapper/data /mnt && echo "READ $(cat /mnt/hello.txt)" > $o
umount /mnt
# The key was unlinked after the table load: no ferry key is left in any keyring we can see.
sleep 1
echo "KEYS $(grep -c 'ferry:' /proc/keys)" > $o
grep -q '^mark crypt-data-mapped [0-9]*$' /run/ferry/timeline && echo "MARK ok" > $o
echo DONE > $o
poweroff -f
T

# keylist KEY: the initramfs-list line that puts KEY at /etc/keys/data.key
keylist() { echo "dir /etc/keys 0700 0 0"; echo "file /etc/keys/data.key $1 0400 0 0"; }
keylist "$W/good.key" > "$W/good.list"
keylist "$W/bad.key" > "$W/bad.list"
echo "dir /etc/keys 0700 0 0" > "$W/nokey.list"
vm_initramfs "$W/good.cpio" --init "$W/target" --list "$W/good.list"
vm_initramfs "$W/bad.cpio" --init "$W/target" --list "$W/bad.list"
vm_initramfs "$W/nokey.cpio" --init "$W/target" --list "$W/nokey.list"
spec="ferry.crypt=data,/dev/vda,keyfile:/etc/keys/data.key ferry.onfail=poweroff"

vm_boot good --initrd "$W/good.cpio" --disk "$W/cipher.img" --append "$spec"
expect good '^NODE ok' "/dev/mapper/data exists (made without udev)"
expect good '^READ secret payload 4711' "the target reads the file through the mapping (host ciphertext = dm-crypt's)"
expect good '^KEYS 0' "the key is unlinked from the keyrings once the table is loaded"
expect good '^MARK ok' "the timeline has the crypt-data-mapped mark"
expect good '^DONE' "the target ran to the end"
check '[ "$(sha "$W/cipher.img")" = "$sum0" ]' "the ciphertext is unchanged after a read-only use"

vm_boot wrong --initrd "$W/bad.cpio" --disk "$W/cipher.img" --append "$spec"
expect wrong 'ferry: crypt: data: no filesystem on the opened volume: wrong key' "a wrong key is named as such"
reject wrong '^DONE' "the target does not run after a wrong key" 'ferry: policy:'
expect wrong 'ferry: policy' "the failure policy runs"
check '[ "$(sha "$W/cipher.img")" = "$sum0" ]' "the ciphertext is unchanged after the wrong key"

vm_boot nokey --initrd "$W/nokey.cpio" --disk "$W/cipher.img" --append "$spec"
expect nokey 'ferry: crypt: data: reading the key file /etc/keys/data.key: No such file' "a missing key file is named"
reject nokey '^DONE' "the target does not run without the key" 'ferry: policy:'

vm_boot nodev --initrd "$W/good.cpio" --append "$spec ferry.timeout=2"
expect nodev 'ferry: crypt: data: device /dev/vda did not appear within 2 s' "a missing device is named, after ferry.timeout"
reject nodev '^DONE' "the target does not run without the volume" 'ferry: policy:'
check '[ "$(sha "$W/cipher.img")" = "$sum0" ]' "the ciphertext is unchanged after every failed boot"

# 4096-byte crypt sectors, data after 8 sectors of something else (e.g. a header), fstype= checked.
# (ext4 blocks must be at least the device's 4096-byte logical blocks)
truncate -s 16M "$W/plain4k.img"
mkfs.ext4 -q -F -b 4096 -d "$W/data" "$W/plain4k.img" >/dev/null
XTS_SECTOR=4096 XTS_OFFSET=8 crypt_xts "$W/plain4k.img" "$W/cipher4k.img" "$W/good.key"
rm -f "$W/plain4k.img"
vm_boot big --initrd "$W/good.cpio" --disk "$W/cipher4k.img" \
	--append "ferry.crypt=data,/dev/vda,keyfile:/etc/keys/data.key,sector=4096,offset=8,fstype=ext4 ferry.onfail=poweroff"
expect big '^READ secret payload 4711' "sector=4096 and offset=8 map what the host wrote that way"
vm_boot big-wrongtype --initrd "$W/good.cpio" --disk "$W/cipher4k.img" \
	--append "ferry.crypt=data,/dev/vda,keyfile:/etc/keys/data.key,sector=4096,offset=8,fstype=xfs ferry.onfail=poweroff"
expect big-wrongtype 'ferry: crypt: data: the opened volume holds ext4, not fstype=xfs' "fstype= is checked"
