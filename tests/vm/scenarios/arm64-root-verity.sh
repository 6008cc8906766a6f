# A dm-verity lower on aarch64, as on an i.MX8: the project's aarch64 test kernel (dm-verity built in,
# sha256 with the ARMv8 crypto extensions of the Cortex-A53) on QEMU's cortex-a53; images from the
# real veritysetup. A good root hash: the target runs on the overlay, its lower the mapping, its
# files verified by sha256-ce; a wrong one: the named error, the policy, no target, and neither
# device written.
vm_arch aarch64 || return 0
source "$TOP/tests/vm/scenarios/root-verity.inc"
command -v veritysetup >/dev/null || { skip "veritysetup (cryptsetup-bin) is missing"; return 0; }
if ! k=$("$TOP/tests/vm/kernel.sh" aarch64); then
	echo "  FAIL the aarch64 test kernel did not build (see tests/vm/kernel.sh)"; _result fail; return 0
fi
verity_images
vm_initramfs "$W/initrd" --kernel test
sums="$(vsha "$W/lower.sqfs") $(vsha "$W/hash.img")"
A="root=/dev/vda systemd.verity_root_hash=/dev/vdb rootrw=LABEL=rwdata ferry.onfail=poweroff printk.time=1"

vm_boot good --kernel test --initrd "$W/initrd" --disk "$W/lower.sqfs" --disk "$W/hash.img" --disk "$W/rw.img" \
	--append "$A roothash=$VROOT"
expect good 'device-mapper: verity: sha256 using implementation "sha256-ce"' "dm-verity hashes with the crypto extensions (sha256-ce)"
expect good '^PID1 ok' "the target runs as PID 1"
expect good '^ROOTFS overlay' "/ is the overlay"
expect good '^RO squashfs /dev/mapper/root-verity .*\bro\b' "its lower is the verity mapping, squashfs, read-only"
expect good '^RW ext4 /dev/vdc' "the rw device found by LABEL"
expect good '^mark verity-mapped [0-9]+' "the timeline has mark verity-mapped"
expect good '^MARKER read VERITY-MARKER-0001' "a file's data is read and verified"
expect good '^UPPER ok' "writes go to the rw upper"
check '[ "$(vsha "$W/lower.sqfs") $(vsha "$W/hash.img")" = "$sums" ]' "the data and hash devices are unchanged"

bad=$(printf '%s' "$VROOT" | tr '0-9a-f' '1-9a-f0')
vm_boot wrong --kernel test --initrd "$W/initrd" --disk "$W/lower.sqfs" --disk "$W/hash.img" --disk "$W/rw.img" \
	--append "$A roothash=$bad"
expect wrong 'ferry: root: verity: root hash does not match /dev/vda' "a wrong root hash is named"
expect wrong 'ferry: policy: root failed: powering off' "the failure policy runs (ferry.onfail=poweroff)"
reject wrong '^PID1 ok' "the target does not run" 'ferry: root: verity: root hash does not match'
check '[ "$(vsha "$W/lower.sqfs") $(vsha "$W/hash.img")" = "$sums" ]' "neither device is written"
