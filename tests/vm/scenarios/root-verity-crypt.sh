# A verity lower with an encrypted upper: an erofs image (mkfs.erofs) hashed by veritysetup, the tree
# appended (hash-offset=), and rootrw=/dev/mapper/data, a dm-crypt volume opened from a key file.
# A file written by the target lands encrypted on the upper's device and is read back at the next
# boot; the lower's device is unchanged.
source "$TOP/tests/vm/scenarios/root-verity.inc"
source "$TOP/tests/vm/scenarios/crypt.inc"
if ! why=$(verity_have); then skip "$why"; return 0; fi
if ! command -v mkfs.erofs >/dev/null; then skip "mkfs.erofs (erofs-utils) is missing"; return 0; fi
if ! crypt_have_python; then skip "python3 cryptography (python3-cryptography) is missing"; return 0; fi
root_tree "$W/tree"
verity_target > "$W/tree/sbin/init"
mkdir -p "$W/tree/data"
echo "VERITY-MARKER-0001 erofs" > "$W/tree/data/marker.bin"
rm -f "$W/lower.erofs"
mkfs.erofs "$W/lower.erofs" "$W/tree" >/dev/null 2>&1
# erofs images end on a 4 KiB block; the tree goes right after the data
off=$(stat -c %s "$W/lower.erofs")
check '[ $((off % 4096)) = 0 ]' "the erofs image is whole 4 KiB blocks"
root=$(veritysetup format --hash-offset="$off" "$W/lower.erofs" "$W/lower.erofs" | sed -n 's/^Root hash:[[:space:]]*//p')
lsum=$(vsha "$W/lower.erofs")

mkdir -p "$W/empty"
mkdisk_ext4 "$W/upper-plain.img" "$W/empty" 16
head -c 64 /dev/urandom > "$W/data.key"
crypt_xts "$W/upper-plain.img" "$W/upper.img" "$W/data.key"
rm -f "$W/upper-plain.img"
printf 'dir /etc/keys 0700 0 0\nfile /etc/keys/data.key %s 0400 0 0\n' "$W/data.key" > "$W/key.list"
vm_initramfs "$W/initrd" --list "$W/key.list"
A="root=/dev/vda roothash=$root systemd.verity_root_options=hash-offset=$off rootrw=/dev/mapper/data"
A="$A ferry.crypt=data,/dev/vdb,keyfile:/etc/keys/data.key ferry.onfail=poweroff"

vm_boot c1 --initrd "$W/initrd" --disk "$W/lower.erofs" --disk "$W/upper.img" --append "$A"
expect c1 '^ROOTFS overlay' "/ is the overlay"
expect c1 '^RO erofs /dev/mapper/root-verity' "its lower is erofs on the verity mapping"
expect c1 '^RW ext4 /dev/mapper/data' "its upper is the encrypted volume"
expect c1 '^MARKER read VERITY-MARKER-0001' "the lower's files read"
expect c1 '^UPPER ok' "the target writes into the upper"
check '! grep -q written "$W/upper.img"' "the written file is not on the upper's device in clear"
vm_boot c2 --initrd "$W/initrd" --disk "$W/lower.erofs" --disk "$W/upper.img" --append "$A"
expect c2 '^UPPER ok' "the next boot has the same upper"
check '[ "$(vsha "$W/lower.erofs")" = "$lsum" ]' "the lower's device is unchanged"
