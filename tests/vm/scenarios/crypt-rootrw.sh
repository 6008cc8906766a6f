# An encrypted read-write upper under the overlay root: rootrw=/dev/mapper/data with the volume
# opened by ferry from a key file. The first boot writes a file into the overlay; the host sees
# it only after decrypting the image; the second boot reads it back, and with ferry.crypt.keep=
# finds the volume key kept for it.
source "$TOP/tests/vm/scenarios/crypt.inc"
if ! crypt_have_python; then skip "python3 cryptography (python3-cryptography) is missing"; return 0; fi

# The lower: busybox and a target that writes on the first boot and reads on the second.
mkdir -p "$W/lower/bin" "$W/lower/sbin" "$W/lower/dev" "$W/lower/proc" "$W/lower/sys" "$W/lower/mnt"
cp "$(vm_busybox)" "$W/lower/bin/busybox"
for a in sh cat echo grep mount umount sync sleep poweroff mkdir; do ln -sf busybox "$W/lower/bin/$a"; done
cat > "$W/lower/sbin/init" <<'T'
#!/bin/sh
o=/dev/ttyS1
mount -t proc proc /proc 2>/dev/null
grep -q ' / overlay ' /proc/mounts && echo "OVERLAY ok" > $o
grep -q '^/dev/mapper/data ' /proc/mounts && echo "UPPER-ON-DM ok" > $o
if [ -f /persist.txt ]; then
	echo "PERSIST $(cat /persist.txt)" > $o
else
	echo "upper-marker-8841" > /persist.txt && sync && echo "WROTE ok" > $o
fi
echo "KEYS $(grep -c 'logon.*ferry:data' /proc/keys)" > $o
echo DONE > $o
poweroff -f
T
chmod 755 "$W/lower/sbin/init"
mkdisk_ext4 "$W/lower.img" "$W/lower" 16

mkdir -p "$W/empty"
mkdisk_ext4 "$W/upper-plain.img" "$W/empty" 16
head -c 64 /dev/urandom > "$W/data.key"
crypt_xts "$W/upper-plain.img" "$W/upper.img" "$W/data.key"
rm -f "$W/upper-plain.img"
printf 'dir /etc/keys 0700 0 0\nfile /etc/keys/data.key %s 0400 0 0\n' "$W/data.key" > "$W/key.list"
vm_initramfs "$W/initrd" --list "$W/key.list"
args="root=/dev/vda rootrw=/dev/mapper/data ferry.crypt=data,/dev/vdb,keyfile:/etc/keys/data.key ferry.onfail=poweroff"

vm_boot first --initrd "$W/initrd" --disk "$W/lower.img" --disk "$W/upper.img" --append "$args"
expect first '^OVERLAY ok' "the root is an overlay"
expect first '^UPPER-ON-DM ok' "its upper is on /dev/mapper/data"
expect first '^WROTE ok' "the first boot writes a file into the overlay"
expect first '^KEYS 0' "the target finds no key left behind"
# the kernel asks its modprobe helper (ferry) for crypto-* aliases with candidates for hardware
# that is not there (aes-ce, aesni_intel without the CPU's AES): ENODEV is the answer, not an error
reject first 'ferry: modprobe: ' "no modprobe error for a crypto alias whose modules need absent hardware (the -q request)" '^KEYS 0'
check '! grep -q upper-marker-8841 "$W/upper.img"' "the file is not in the upper image in clear"
crypt_xts "$W/upper.img" "$W/upper-dec.img" "$W/data.key" decrypt
check 'grep -q upper-marker-8841 "$W/upper-dec.img"' "it is there once the host decrypts the image"
rm -f "$W/upper-dec.img"

vm_boot second --initrd "$W/initrd" --disk "$W/lower.img" --disk "$W/upper.img" --append "$args ferry.crypt.keep=ferry-keys"
expect second '^PERSIST upper-marker-8841' "the second boot reads the file back through the encrypted upper"
expect second '^KEYS 1' "with ferry.crypt.keep= the target finds the key in the named keyring"
expect second '^DONE' "the target ran to the end"
