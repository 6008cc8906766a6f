# Trusted keys on the project's test kernel with a software TPM 2.0 (swtpm): the first boot seals
# a new key, writes the blob to a filesystem of its own (blobdev=), formats the new volume, and the
# target writes a file; the second boot unseals, opens and reads it; a corrupt blob is named and
# nothing is written (nor a new key provisioned over it). An encrypted key sealed by a trusted
# master goes the same way. On Debian's cloud kernel, which has no trusted keys, provisioning fails
# with a named error and writes nothing; a missing blob without provision is named.
source "$TOP/tests/vm/scenarios/crypt.inc"
# No TPM, no trusted-key test at all: under CI=true that is a failure, not a skip.
tpm_missing() {
	if [ "${CI:-}" = true ]; then echo "  FAIL $* (CI=true: the TPM tests must run)"; _result fail; else skip "$*"; fi
}
if ! command -v swtpm >/dev/null || ! command -v swtpm_setup >/dev/null; then
	tpm_missing "swtpm (swtpm, swtpm-tools) is missing"; return 0
fi
if ! command -v debugfs >/dev/null; then skip "debugfs (e2fsprogs) is missing"; return 0; fi

# A TPM with a storage primary key at 0x81000001, as a factory would leave it.
mkdir -p "$W/tpm"
swtpm_setup --tpm2 --tpmstate "$W/tpm" --create-spk > "$W/swtpm_setup.log" 2>&1 ||
	{ tpm_missing "swtpm_setup failed: $(tail -n 1 "$W/swtpm_setup.log")"; return 0; }

# tpm_boot NAME ARGS...: vm_boot with the TPM attached (one swtpm per boot, same state dir).
tpm_boot() {
	local name=$1; shift
	rm -f "$W/swtpm.sock"
	swtpm socket --tpm2 --tpmstate dir="$W/tpm" --ctrl type=unixio,path="$W/swtpm.sock" \
		--terminate --daemon --pid file="$W/swtpm.pid" --log file="$W/swtpm.log"
	vm_boot "$name" --kernel test "$@" --qemu "-chardev socket,id=chrtpm,path=$W/swtpm.sock \
		-tpmdev emulator,id=tpm0,chardev=chrtpm -device tpm-tis,tpmdev=tpm0"
	local pid; pid=$(cat "$W/swtpm.pid" 2>/dev/null)
	[ -n "$pid" ] && kill "$pid" 2>/dev/null
	rm -f "$W/swtpm.pid"
}

cat > "$W/target" <<'T'
#!/bin/sh
o=/dev/ttyS1
mkdir -p /mnt
if mount -t ext2 /dev/mapper/vol /mnt 2>/dev/null || mount /dev/mapper/vol /mnt; then
	if [ -f /mnt/note.txt ]; then
		echo "READ $(cat /mnt/note.txt)" > $o
	else
		echo "sealed-note-5150" > /mnt/note.txt && echo "WROTE ok" > $o
	fi
	umount /mnt
fi
echo "KEYS $(grep -c 'ferry:' /proc/keys)" > $o
echo DONE > $o
poweroff -f
T

truncate -s 16M "$W/vol.img"
mkdir -p "$W/empty"
mkdisk_ext4 "$W/keys.img" "$W/empty" 8 keys
vm_initramfs "$W/initrd" --kernel test --init "$W/target"
args="ferry.crypt=vol,/dev/vda,trusted:/vol.blob,blobdev=LABEL=keys,keyhandle=0x81000001,provision"
args="$args ferry.crypt.mkfs=mke2fs ferry.onfail=poweroff"

tpm_boot first --initrd "$W/initrd" --disk "$W/vol.img" --disk "$W/keys.img" --append "$args"
expect first 'ferry: crypt: vol: sealed a new key, blob written to /run/ferry/blob/vol/vol.blob' "first boot: a new trusted key is sealed and its blob written"
expect first 'ferry: crypt: vol: new volume: running mke2fs /dev/mapper/vol' "the new volume is formatted with ferry.crypt.mkfs"
expect first '^WROTE ok' "the target writes a file on the new volume"
expect first '^KEYS 0' "the trusted key is unlinked once the table is loaded"
debugfs -R "cat /vol.blob" "$W/keys.img" > "$W/vol.blob" 2>/dev/null
check '[ -s "$W/vol.blob" ] && grep -Eq "^[0-9a-f]+$" "$W/vol.blob"' "the blob (hex, as keyctl read gives it) is on the keys filesystem"
check '! grep -q sealed-note-5150 "$W/vol.img"' "the file is not on the volume in clear"

tpm_boot second --initrd "$W/initrd" --disk "$W/vol.img" --disk "$W/keys.img" --append "$args"
expect second '^READ sealed-note-5150' "second boot: the key is unsealed and the file read back"
reject second 'sealed a new key' "a blob exists: nothing is provisioned" '^READ sealed-note-5150'
reject second 'running mke2fs' "an existing volume is never formatted" '^READ sealed-note-5150'

# Corrupt the blob: flip one hex digit in the middle, then boot with provision still set.
python3 - "$W/vol.blob" "$W/bad.blob" <<'PY'
import sys
b = bytearray(open(sys.argv[1], 'rb').read().strip())
i = len(b) // 2
b[i] = ord('0') if b[i] != ord('0') else ord('1')
open(sys.argv[2], 'wb').write(bytes(b))
PY
debugfs -w -R "rm /vol.blob" "$W/keys.img" >/dev/null 2>&1
(cd "$W" && debugfs -w -R "write bad.blob vol.blob" keys.img >/dev/null 2>&1)
vsum=$(sha "$W/vol.img")
tpm_boot corrupt --initrd "$W/initrd" --disk "$W/vol.img" --disk "$W/keys.img" --append "$args"
expect corrupt 'ferry: crypt: vol: unsealing the trusted key blob /run/ferry/blob/vol/vol.blob' "a corrupt blob is named"
expect corrupt 'ferry: policy: crypt failed' "the policy runs"
reject corrupt '^DONE' "the target does not run" 'ferry: policy:'
reject corrupt 'sealed a new key' "a corrupt blob is not replaced by a new key" 'ferry: policy:'
check '[ "$(sha "$W/vol.img")" = "$vsum" ]' "the volume is unchanged"
debugfs -R "cat /vol.blob" "$W/keys.img" > "$W/after.blob" 2>/dev/null
check 'cmp -s "$W/after.blob" "$W/bad.blob"' "the blob on disk is the one that was there"

# An encrypted key sealed by the trusted key of an earlier volume, kept in a keyring for that.
cat > "$W/target-enc" <<'T'
#!/bin/sh
o=/dev/ttyS1
mkdir -p /mnt
if mount -t ext2 /dev/mapper/enc /mnt; then
	if [ -f /mnt/note.txt ]; then echo "READ $(cat /mnt/note.txt)" > $o
	else echo "enc-note-77" > /mnt/note.txt && echo "WROTE ok" > $o; fi
	umount /mnt
fi
grep -q 'encrypted ferry:enc:' /proc/keys && echo "KEPT ok" > $o
echo DONE > $o
poweroff -f
T
truncate -s 16M "$W/m.img"; truncate -s 16M "$W/enc.img"
mkdisk_ext4 "$W/keys3.img" "$W/empty" 8 keys
vm_initramfs "$W/initrd-enc" --kernel test --init "$W/target-enc"
# Declared first, the encrypted volume waits for m, whose key seals it.
enc="ferry.crypt=enc,/dev/vdb,encrypted:/enc.blob,blobdev=LABEL=keys,master=trusted:ferry:m,provision"
enc="$enc ferry.crypt=m,/dev/vda,trusted:/m.blob,blobdev=LABEL=keys,keyhandle=0x81000001,provision,size=32"
enc="$enc ferry.crypt.keep=ferry-keys ferry.crypt.mkfs=mke2fs ferry.onfail=poweroff"
tpm_boot enc1 --initrd "$W/initrd-enc" --disk "$W/m.img" --disk "$W/enc.img" --disk "$W/keys3.img" --append "$enc"
expect enc1 'ferry: crypt: enc: /dev/vdb mapped \(encrypted key\)' "an encrypted key is provisioned under a trusted master key"
expect enc1 '^WROTE ok' "the target writes on the encrypted-key volume"
expect enc1 '^KEPT ok' "ferry.crypt.keep= keeps the keys for the target"
tpm_boot enc2 --initrd "$W/initrd-enc" --disk "$W/m.img" --disk "$W/enc.img" --disk "$W/keys3.img" --append "$enc"
expect enc2 '^READ enc-note-77' "the next boot loads both blobs and reads the file back"

# Debian's cloud kernel has no trusted keys: provisioning must fail by name and write nothing.
truncate -s 16M "$W/vol2.img"
mkdisk_ext4 "$W/keys2.img" "$W/empty" 8 keys
v2=$(sha "$W/vol2.img")
vm_initramfs "$W/initrd-cloud" --init "$W/target"
vm_boot nodriver --initrd "$W/initrd-cloud" --disk "$W/vol2.img" --disk "$W/keys2.img" --append "$args"
expect nodriver 'ferry: crypt: vol: sealing a new trusted key' "no trusted-key support: named error"
reject nodriver '^DONE' "the target does not run" 'ferry: policy:'
check '[ "$(sha "$W/vol2.img")" = "$v2" ]' "the volume is untouched"
check '[ -z "$(debugfs -R "ls -l /" "$W/keys2.img" 2>/dev/null | grep vol.blob)" ]' "no blob is written"

# No blob and no provision: named, nothing sealed, nothing written.
args_noprov="ferry.crypt=vol,/dev/vda,trusted:/vol.blob,blobdev=LABEL=keys,keyhandle=0x81000001 ferry.onfail=poweroff"
vm_boot noblob --initrd "$W/initrd-cloud" --disk "$W/vol2.img" --disk "$W/keys2.img" --append "$args_noprov"
expect noblob 'ferry: crypt: vol: the blob /run/ferry/blob/vol/vol.blob is missing \(provision is not set\)' "a missing blob without provision is named"
reject noblob '^DONE' "the target does not run" 'ferry: policy:'
check '[ "$(sha "$W/vol2.img")" = "$v2" ]' "the volume is untouched"
