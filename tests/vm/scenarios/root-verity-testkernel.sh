# root-hash-signature= that the kernel accepts: the project's test kernel trusts one certificate,
# made for it by tests/vm/kernel.sh (verity-test.crt in its builtin keyring). A root hash signed with
# that key opens and the target runs on the overlay, its lower on the verity mapping; a locked
# config that requires a signature boots the same way. The same root hash signed by another key is
# refused by name. The same signature read from a device's filesystem (ferry.verity.sigdev=) opens;
# one missing there, or a device that never comes, is named. No device is ever written.
source "$TOP/tests/vm/scenarios/root-verity.inc"
command -v veritysetup >/dev/null || { skip "veritysetup (cryptsetup-bin) is missing"; return 0; }
command -v openssl >/dev/null || { skip "openssl is missing"; return 0; }
if ! k=$("$TOP/tests/vm/kernel.sh"); then
	echo "  FAIL the test kernel did not build (see tests/vm/kernel.sh)"; _result fail; return 0
fi
check '[ -f "$k/verity-test.key" ] && grep -qx "CONFIG_DM_VERITY_VERIFY_ROOTHASH_SIG=y" "$k/tree/.config"' \
	"the test kernel checks root hash signatures and its key is at hand"
[ -f "$k/verity-test.key" ] || return 0
verity_images
printf '%s' "$VROOT" > "$W/roothash.txt"
# sign KEY CERT OUT: a detached PKCS#7 (DER) signature of the root hash's hex text, as veritysetup's
# --root-hash-signature and systemd expect it
sign() {
	openssl smime -sign -nocerts -noattr -binary -in "$W/roothash.txt" -inkey "$1" -signer "$2" \
		-outform der -out "$3"
}
sign "$k/verity-test.key" "$k/verity-test.crt" "$W/good.p7s"
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$W/other.key" -out "$W/other.crt" -subj /CN=not-trusted \
	-days 2 2>/dev/null
sign "$W/other.key" "$W/other.crt" "$W/other.p7s"
printf 'file /etc/good.p7s %s 0444 0 0\nfile /etc/other.p7s %s 0444 0 0\n' "$W/good.p7s" "$W/other.p7s" > "$W/sig.list"
vm_initramfs "$W/initrd" --kernel test --list "$W/sig.list"
ro_sums() { echo "$(vsha "$W/lower.sqfs") $(vsha "$W/hash.img")"; }
sum0=$(ro_sums)
A="root=/dev/vda systemd.verity_root_hash=/dev/vdb roothash=$VROOT rootrw=LABEL=rwdata ferry.onfail=poweroff"
disks=(--disk "$W/lower.sqfs" --disk "$W/hash.img" --disk "$W/rw.img")

vm_boot trusted --kernel test --initrd "$W/initrd" "${disks[@]}" \
	--append "$A systemd.verity_root_options=root-hash-signature=/etc/good.p7s"
expect trusted '^PID1 ok' "a root hash signed by the kernel's trusted key opens: the target runs as PID 1"
expect trusted '^RO squashfs /dev/mapper/root-verity .*\bro\b' "its lower is the verity mapping"
expect trusted '^MARKER read VERITY-MARKER-0001' "a file's data is read and verified"
expect trusted '^UPPER ok' "writes go to the rw upper"
reject trusted 'Root hash verification failed' "the kernel accepted the signature" '^PID1 ok'

vm_boot other --kernel test --initrd "$W/initrd" "${disks[@]}" \
	--append "$A systemd.verity_root_options=root-hash-signature=/etc/other.p7s"
expect other 'ferry: root: verity: the kernel refused the root hash signature /etc/other.p7s for /dev/vda' \
	"a signature by another key is refused by name"
expect other 'ferry: policy: root failed: powering off' "the failure policy runs"
reject other '^PID1 ok' "the target does not run" 'powering off'

printf 'locked\nferry.verity.require-signature\nferry.onfail = poweroff\nroot = /dev/vda\nsystemd.verity_root_hash = /dev/vdb\nroothash = %s\nsystemd.verity_root_options = root-hash-signature=/etc/good.p7s\nrootrw = LABEL=rwdata\n' \
	"$VROOT" > "$W/locked.conf"
vm_initramfs "$W/initrd-locked" --kernel test --conf "$W/locked.conf" --list "$W/sig.list"
vm_boot locked --kernel test --initrd "$W/initrd-locked" "${disks[@]}" \
	--append "systemd.verity_root_options=root-hash-signature=/etc/other.p7s"
expect locked 'systemd.verity_root_options=root-hash-signature=/etc/other.p7s on the command line ignored' \
	"locked: the command line cannot name another signature"
expect locked '^PID1 ok' "locked + require-signature with the config's signature: the target runs"
expect locked '^RO squashfs /dev/mapper/root-verity' "on the verity lower"

# ferry.verity.sigdev=: the signature on a labelled ext4 (a boot partition's), not in the initramfs;
# mounted read-only without journal replay for the read, and never written
mkdir -p "$W/sigtree/sig"
cp "$W/good.p7s" "$W/sigtree/sig/root.p7s"
mkdisk_ext4 "$W/sig.img" "$W/sigtree" 8 sigs
sigsum0=$(vsha "$W/sig.img")
vm_boot sigdev --kernel test --initrd "$W/initrd" "${disks[@]}" --disk "$W/sig.img" \
	--append "$A ferry.verity.sigdev=LABEL=sigs systemd.verity_root_options=root-hash-signature=/sig/root.p7s"
expect sigdev '^PID1 ok' "a root hash signature read from ferry.verity.sigdev=LABEL=sigs opens: the target runs"
expect sigdev 'ferry: root: verity: /dev/vda .*root hash signature accepted by the kernel' \
	"the kernel checked the signature from that device"
expect sigdev '^RO squashfs /dev/mapper/root-verity' "on the verity lower"
vm_boot sigmissing --kernel test --initrd "$W/initrd" "${disks[@]}" --disk "$W/sig.img" \
	--append "$A ferry.verity.sigdev=LABEL=sigs systemd.verity_root_options=root-hash-signature=/sig/none.p7s"
expect sigmissing 'ferry: root: verity: reading the root hash signature /sig/none.p7s on LABEL=sigs \(/dev/vdd, ext4\): No such file or directory' \
	"a signature missing from that device is named, with the device"
expect sigmissing 'ferry: policy: root failed: powering off' "the failure policy runs"
reject sigmissing '^PID1 ok' "the target does not run" 'powering off'
vm_boot signodev --kernel test --initrd "$W/initrd" "${disks[@]}" \
	--append "$A ferry.timeout=3 ferry.verity.sigdev=LABEL=nosuch systemd.verity_root_options=root-hash-signature=/sig/root.p7s"
expect signodev 'ferry: root: verity: ferry.verity.sigdev=LABEL=nosuch not found within 3 s' \
	"a signature device that never appears: a bounded wait, named"
reject signodev '^PID1 ok' "the target does not run" 'powering off'
check '[ "$(vsha "$W/sig.img")" = "$sigsum0" ]' "the signature's device is unchanged (checksums before and after)"

check '[ "$(ro_sums)" = "$sum0" ]' "the data and hash devices are unchanged (checksums before and after)"

# restart-on-corruption, and the next boot names it. The VM's RAM is a file (memory-backend-file),
# so ramoops' region in it outlives the first QEMU as a board's RAM outlives a warm reset; the
# kernel keeps shutdown logs there (ramoops.max_reason=4, KMSG_DUMP_SHUTDOWN).
cp "$W/lower.sqfs" "$W/flip.img"
printf 'X' | dd of="$W/flip.img" bs=1 seek="$(cat "$W/marker-offset")" conv=notrunc status=none
PS='memmap=1M$0x10000000 ramoops.mem_address=0x10000000 ramoops.mem_size=0x100000 ramoops.record_size=0x20000 ramoops.max_reason=4'
MEM="-object memory-backend-file,id=vmram,size=${VM_MEM}M,mem-path=$W/ram.img,share=on -machine memory-backend=vmram"
vm_boot corrupt --kernel test --initrd "$W/initrd" --disk "$W/flip.img" --disk "$W/hash.img" --disk "$W/rw.img" \
	--append "$A systemd.verity_root_options=restart-on-corruption $PS" --qemu "$MEM"
expect corrupt 'device-mapper: verity: [0-9]+:[0-9]+: data block [0-9]+ is corrupted' "the flipped byte is found"
expect corrupt "Restarting system with command 'dm-verity device corrupted'" "restart-on-corruption restarts"
reject corrupt 'ferry: root: verity: the last boot' "a first boot has nothing to report" '^PID1 ok'
vm_boot after --kernel test --initrd "$W/initrd" "${disks[@]}" --append "$A $PS" --qemu "$MEM"
expect after 'ferry: root: verity: the last boot restarted because dm-verity found corruption: device-mapper: verity: [0-9]+:[0-9]+: data block [0-9]+ is corrupted \(pstore dmesg-ramoops-0\)' \
	"the next boot names the last one's restart on corruption, and the block"
expect after '^PID1 ok' "and boots on"
