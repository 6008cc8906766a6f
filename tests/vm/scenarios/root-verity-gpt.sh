# roothash= alone: systemd's Discoverable Partitions rule finds the data partition (PARTUUID = the
# root hash's first 128 bits) and the verity partition (its last 128) on a GPT disk; the rw upper
# is a third partition by LABEL.
source "$TOP/tests/vm/scenarios/root-verity.inc"
if ! why=$(verity_have); then skip "$why"; return 0; fi
if ! command -v sgdisk >/dev/null; then skip "sgdisk (gdisk) is missing"; return 0; fi
verity_images
uuid() { echo "${1:0:8}-${1:8:4}-${1:12:4}-${1:16:4}-${1:20:12}"; }
PD=$(uuid "${VROOT:0:32}")
PH=$(uuid "${VROOT: -32}")
img=$W/gpt.img
rm -f "$img"; truncate -s 64M "$img"
sgdisk -n1:2048:+16M -c1:root -u1:$PD -n2:0:+1M -c2:root-verity -u2:$PH -n3:0:+32M -c3:state "$img" >/dev/null
first() { sgdisk -i "$1" "$img" | sed -n 's/^First sector: \([0-9]*\).*/\1/p'; }
dd if="$W/lower.sqfs" of="$img" bs=512 seek="$(first 1)" conv=notrunc status=none
dd if="$W/hash.img" of="$img" bs=512 seek="$(first 2)" conv=notrunc status=none
dd if="$W/rw.img" of="$img" bs=512 seek="$(first 3)" conv=notrunc status=none
vm_initramfs "$W/initrd"

vm_boot gpt --initrd "$W/initrd" --disk "$img" --append "roothash=$VROOT rootrw=LABEL=rwdata ferry.onfail=poweroff"
expect gpt 'ferry: root: verity: /dev/vda1 \(hash /dev/vda2, sha256' "the root hash finds the data and hash partitions"
expect gpt '^RO squashfs /dev/mapper/root-verity' "the lower is the verity mapping"
expect gpt '^RW ext4 /dev/vda3' "the rw partition by LABEL"
expect gpt '^MARKER read VERITY-MARKER-0001' "the files read"
expect gpt '^DONE' "the target runs to the end"

# another root hash names partitions that do not exist: a bounded wait, named
other=$(printf '%064d' 7)
vm_boot gpt404 --initrd "$W/initrd" --disk "$img" --append "roothash=$other ferry.timeout=3 ferry.onfail=poweroff"
expect gpt404 'ferry: root: root device PARTUUID=00000000-0000-0000-0000-000000000000 not found within 3 s' "partitions the root hash does not name are not taken"
reject gpt404 '^PID1 ok' "the target does not run" 'powering off'
