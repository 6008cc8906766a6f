# root-hash-signature=: a PKCS#7 signature of the root hash (openssl), put in the table as a user
# key. Debian's kernel checks it against its own trusted keyring, which has no key of ours: the
# table is refused by name. A locked ferry.conf with ferry.verity.require-signature refuses a
# root hash without a signature before anything is mapped. Each: the policy, no device written.
source "$TOP/tests/vm/scenarios/root-verity.inc"
if ! why=$(verity_have); then skip "$why"; return 0; fi
if ! command -v openssl >/dev/null; then skip "openssl is missing"; return 0; fi
if ! grep -q '^CONFIG_DM_VERITY_VERIFY_ROOTHASH_SIG=y' "/boot/config-$(vm_cloud_release)" 2>/dev/null; then
	skip "the cloud kernel has no CONFIG_DM_VERITY_VERIFY_ROOTHASH_SIG"; return 0
fi
verity_images
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$W/sign.key" -out "$W/sign.crt" -subj /CN=ferry-verity-test \
	-days 2 2>/dev/null
printf '%s' "$VROOT" > "$W/roothash.txt"
openssl smime -sign -nocerts -noattr -binary -in "$W/roothash.txt" -inkey "$W/sign.key" -signer "$W/sign.crt" \
	-outform der -out "$W/root.p7s"
check 'openssl smime -verify -binary -inform der -in "$W/root.p7s" -content "$W/roothash.txt" -certfile "$W/sign.crt" -CAfile "$W/sign.crt" -out /dev/null 2>/dev/null' "the signature is a valid PKCS#7 signature of the root hash"
printf 'file /etc/root.p7s %s 0444 0 0\n' "$W/root.p7s" > "$W/sig.list"
vm_initramfs "$W/initrd" --list "$W/sig.list"
sums() { echo "$(vsha "$W/lower.sqfs") $(vsha "$W/hash.img") $(vsha "$W/rw.img")"; }
sum0=$(sums)
A="root=/dev/vda systemd.verity_root_hash=/dev/vdb roothash=$VROOT rootrw=LABEL=rwdata ferry.onfail=poweroff"

vm_boot untrusted --initrd "$W/initrd" --disk "$W/lower.sqfs" --disk "$W/hash.img" --disk "$W/rw.img" \
	--append "$A systemd.verity_root_options=root-hash-signature=/etc/root.p7s"
expect untrusted 'ferry: root: verity: the kernel refused the root hash signature /etc/root.p7s for /dev/vda' "a signature by a key the kernel does not trust is refused by name"
expect untrusted 'device-mapper: table: .*verity: Root hash verification failed \(-ENOKEY\)' "the kernel found the user key and checked the signature (its signer is not trusted)"
expect untrusted 'ferry: policy: root failed: powering off' "the failure policy runs"
reject untrusted '^PID1 ok' "the target does not run" 'powering off'

vm_boot nosigfile --initrd "$W/initrd" --disk "$W/lower.sqfs" --disk "$W/hash.img" --disk "$W/rw.img" \
	--append "$A systemd.verity_root_options=root-hash-signature=/etc/missing.p7s"
expect nosigfile 'ferry: root: verity: reading the root hash signature /etc/missing.p7s: No such file' "a missing signature file is named"
reject nosigfile '^PID1 ok' "the target does not run" 'powering off'

printf 'locked\nferry.verity.require-signature\nferry.onfail = poweroff\nroot = /dev/vda\nsystemd.verity_root_hash = /dev/vdb\nroothash = %s\n' \
	"$VROOT" > "$W/locked.conf"
vm_initramfs "$W/initrd-locked" --conf "$W/locked.conf"
vm_boot required --initrd "$W/initrd-locked" --disk "$W/lower.sqfs" --disk "$W/hash.img" --disk "$W/rw.img" \
	--append "rootrw=LABEL=rwdata ferry.verity.require-signature=0 systemd.verity_root_options=ignore-corruption"
expect required '/etc/ferry.conf:2: ferry.verity.require-signature=: roothash= has no root-hash-signature=' "locked + require-signature: a root hash without a signature is refused"
expect required 'ferry.verity.require-signature=0 on the command line ignored' "the command line cannot lift the requirement"
reject required 'device-mapper: verity' "nothing is mapped" 'powering off'
reject required '^PID1 ok' "the target does not run" 'powering off'

check '[ "$(sums)" = "$sum0" ]' "no device was written (checksums before and after)"
