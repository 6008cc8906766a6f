# A dm-verity lower under the overlay root, with images from the real veritysetup: squashfs data on
# vda, the hash tree on vdb, ext4 rw by LABEL; then the tree appended to the data (hash-offset=);
# then one flipped byte in a file's data: that file's read fails with EIO, the rest of the root works.
source "$TOP/tests/vm/scenarios/root-verity.inc"
if ! why=$(verity_have); then skip "$why"; return 0; fi
verity_images
vm_initramfs "$W/initrd"
sums="$(vsha "$W/lower.sqfs") $(vsha "$W/hash.img")"
A="root=/dev/vda systemd.verity_root_hash=/dev/vdb roothash=$VROOT rootrw=LABEL=rwdata ferry.onfail=poweroff"

vm_boot sep --initrd "$W/initrd" --disk "$W/lower.sqfs" --disk "$W/hash.img" --disk "$W/rw.img" --append "$A"
expect sep '^PID1 ok' "the target runs as PID 1"
expect sep '^ROOTFS overlay' "/ is the overlay"
expect sep '^RO squashfs /dev/mapper/root-verity .*\bro\b' "its lower is the verity mapping, squashfs, read-only"
expect sep '^DM root-verity ro=1' "the mapping is root-verity, a read-only device"
expect sep '^RW ext4 /dev/vdc' "the rw device found by LABEL"
expect sep '^mark verity-mapped [0-9]+' "the timeline has mark verity-mapped"
expect sep 'ferry: root: verity: /dev/vda \(hash /dev/vdb, sha256, [0-9]+ blocks of 4096' "ferry names the mapping's devices and hash"
expect sep '^LOWER visible' "the lower's files are read through the mapping"
expect sep '^MARKER read VERITY-MARKER-0001' "a file's data is read and verified"
expect sep '^UPPER ok' "writes go to the rw upper"
check '[ "$(vsha "$W/lower.sqfs") $(vsha "$W/hash.img")" = "$sums" ]' "the data and hash devices are unchanged"

# the tree after the data on one device: veritysetup format --hash-offset=<the squashfs's size>
cp "$W/lower.sqfs" "$W/app.img"
off=$(stat -c %s "$W/app.img")
aroot=$(veritysetup format --hash-offset="$off" "$W/app.img" "$W/app.img" | sed -n 's/^Root hash:[[:space:]]*//p')
asum=$(vsha "$W/app.img")
vm_boot app --initrd "$W/initrd" --disk "$W/app.img" --disk "$W/rw.img" \
	--append "root=/dev/vda roothash=$aroot systemd.verity_root_options=hash-offset=$off rootrw=LABEL=rwdata ferry.onfail=poweroff"
expect app '^RO squashfs /dev/mapper/root-verity' "hash-offset=: the lower is the mapping of the one device"
expect app 'ferry: root: verity: /dev/vda \(hash /dev/vda,' "data and tree on /dev/vda"
expect app '^MARKER read VERITY-MARKER-0001' "its files read"
check '[ "$(vsha "$W/app.img")" = "$asum" ]' "the device is unchanged"

# one byte of the marker file's data flipped on the data device (the hash tree is the good one)
cp "$W/lower.sqfs" "$W/flip.img"
moff=$(cat "$W/marker-offset")
printf 'X' | dd of="$W/flip.img" bs=1 seek="$moff" conv=notrunc status=none
fsum=$(vsha "$W/flip.img")
vm_boot flip --initrd "$W/initrd" --disk "$W/flip.img" --disk "$W/hash.img" --disk "$W/rw.img" --append "$A"
expect flip '^RO squashfs /dev/mapper/root-verity' "the root still opens: the first block is intact"
expect flip '^MARKER failed: .*(Input/output|I/O) error' "the changed file's read fails with EIO in the target"
expect flip 'device-mapper: verity: .*data block [0-9]+ is corrupted' "the kernel names the corrupted block"
expect flip '^LOWER visible' "the rest of the root works"
expect flip '^DONE' "the target runs to the end"
check '[ "$(vsha "$W/flip.img") $(vsha "$W/hash.img")" = "$fsum $(echo $sums | cut -d" " -f2)" ]' "the devices are unchanged"

# restart-on-corruption: the check read passes (first block intact), the table with the mode is
# swapped in, and the changed file's read restarts the machine (QEMU's -no-reboot ends the VM)
vm_boot restart --initrd "$W/initrd" --disk "$W/flip.img" --disk "$W/hash.img" --disk "$W/rw.img" \
	--append "$A systemd.verity_root_options=restart-on-corruption"
expect restart 'ferry: root: verity: .*restart_on_corruption\) on /dev/mapper/root-verity' "the mapping is opened with restart_on_corruption"
expect restart '^LOWER visible' "the intact files read"
expect restart "Restarting system with command 'dm-verity device corrupted'" "the changed file's read restarts the machine"
reject restart '^MARKER' "the read does not return" 'Restarting system'
check '[ "$(vsha "$W/flip.img")" = "$fsum" ]' "the device is unchanged"
