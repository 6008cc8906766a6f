# A dm-verity lower given bad input: a wrong root hash, a corrupted superblock, a hash device too
# small, a missing hash device (bounded wait). Each is named, the mapping is removed, nothing is
# written to any device (checksums before and after) and the failure policy runs (poweroff).
source "$TOP/tests/vm/scenarios/root-verity.inc"
if ! why=$(verity_have); then skip "$why"; return 0; fi
verity_images
vm_initramfs "$W/initrd"
# a wrong root hash: the last digit changed
case $VROOT in *0) bad=${VROOT%0}1 ;; *) bad=${VROOT%?}0 ;; esac
cp "$W/hash.img" "$W/badsb.img"
printf 'X' | dd of="$W/badsb.img" bs=1 seek=0 conv=notrunc status=none
cp "$W/hash.img" "$W/small.img"
truncate -s $(( $(stat -c %s "$W/hash.img") - 4096 )) "$W/small.img"
sums() { echo "$(vsha "$W/lower.sqfs") $(vsha "$W/hash.img") $(vsha "$W/badsb.img") $(vsha "$W/small.img") $(vsha "$W/rw.img")"; }
sum0=$(sums)
B="root=/dev/vda rootrw=LABEL=rwdata ferry.onfail=poweroff"

vm_boot wrong --initrd "$W/initrd" --disk "$W/lower.sqfs" --disk "$W/hash.img" --disk "$W/rw.img" \
	--append "$B systemd.verity_root_hash=/dev/vdb roothash=$bad"
expect wrong 'ferry: root: verity: root hash does not match /dev/vda' "a wrong root hash is named"
expect wrong 'device-mapper: verity: .*(metadata|data) block [0-9]+ is corrupted' "the kernel refused the tree at the check read"
expect wrong 'ferry: policy: root failed: powering off' "the failure policy runs"
reject wrong '^PID1 ok' "the target does not run" 'powering off'
reject wrong 'ferry: root: ready' "nothing is mounted" 'powering off'

# the same with restart-on-corruption: the check runs with an EIO table, so the wrong root hash is
# named instead of restarting the machine
vm_boot wrongrst --initrd "$W/initrd" --disk "$W/lower.sqfs" --disk "$W/hash.img" --disk "$W/rw.img" \
	--append "$B systemd.verity_root_hash=/dev/vdb roothash=$bad systemd.verity_root_options=restart-on-corruption"
expect wrongrst 'ferry: root: verity: root hash does not match /dev/vda' "restart-on-corruption: a wrong root hash is still named"
reject wrongrst 'Restarting system' "... and does not restart the machine" 'powering off'

vm_boot badsb --initrd "$W/initrd" --disk "$W/lower.sqfs" --disk "$W/badsb.img" --disk "$W/rw.img" \
	--append "$B systemd.verity_root_hash=/dev/vdb roothash=$VROOT"
expect badsb 'ferry: root: verity: no verity superblock \(no "verity" signature\) at byte 0 of /dev/vdb' "a corrupted superblock is named"
expect badsb 'ferry: policy: root failed: powering off' "the failure policy runs"
reject badsb '^PID1 ok' "the target does not run" 'powering off'

vm_boot small --initrd "$W/initrd" --disk "$W/lower.sqfs" --disk "$W/small.img" --disk "$W/rw.img" \
	--append "$B systemd.verity_root_hash=/dev/vdb roothash=$VROOT"
expect small 'ferry: root: verity: the hash device is too small for the hash tree \(data /dev/vda: [0-9]+ bytes, hash /dev/vdb: [0-9]+ bytes\)' "a hash device too small is named"
expect small 'ferry: policy: root failed: powering off' "the failure policy runs"
reject small 'device-mapper: verity' "no table was loaded" 'powering off'

vm_boot nohash --initrd "$W/initrd" --disk "$W/lower.sqfs" --disk "$W/rw.img" \
	--append "$B systemd.verity_root_hash=/dev/vdc roothash=$VROOT ferry.timeout=3"
expect nohash 'ferry: root: verity: hash device /dev/vdc not found within 3 s' "a missing hash device: a bounded wait, named"
expect nohash 'ferry: policy: root failed: powering off' "the failure policy runs"
reject nohash '^PID1 ok' "the target does not run" 'powering off'

check '[ "$(sums)" = "$sum0" ]' "no device was written (checksums before and after)"
