# Measured boot with a software TPM 2.0 (swtpm behind tpm-tis, SHA-1 and SHA-256 banks active) on
# the project's test kernel: ferry kexecs an extlinux entry with two initrds; the second kernel
# reads PCRs 8 and 9 of both banks from sysfs, and the host computes them from the same files
# (sha1sum/sha256sum for the digests, python3 for the chain new = H(old || digest)). Then:
# ferry.measure=off leaves them zero; a TPM that stops answering (swtpm killed once the kernel has
# registered it) stops every entry and no kexec happens; ferry.measure=required without a TPM likewise.
source "$TOP/tests/vm/scenarios/kexec-common.inc"
tpm_missing() {
	if [ "${CI:-}" = true ]; then echo "  FAIL $* (CI=true: the TPM tests must run)"; _result fail; else skip "$*"; fi
}
if ! command -v swtpm >/dev/null || ! command -v swtpm_setup >/dev/null; then
	tpm_missing "swtpm (swtpm, swtpm-tools) is missing"; return 0
fi

KERNEL=$(vm_kernel test) || { skip "no test kernel"; return 0; }
cat > "$W/target.sh" <<'T'
#!/bin/sh
/bin/busybox mount -t devtmpfs dev /dev 2>/dev/null
/bin/busybox mount -t proc proc /proc
/bin/busybox mount -t sysfs sys /sys
o=/dev/ttyS1
echo "KEXEC-CMDLINE $(cat /proc/cmdline)" > $o
[ -e /extra-initrd ] && echo "KEXEC-EXTRA $(cat /extra-initrd)" > $o
for b in sha1 sha256; do
	for n in 8 9; do
		v=$(cat /sys/class/tpm/tpm0/pcr-$b/$n 2>/dev/null)
		echo "PCR $b $n ${v:-none}" > $o
	done
done
echo "KEXEC-DONE" > $o
poweroff -f
T
printf 'dir /dev 0755 0 0\nnod /dev/console 0600 0 0 c 5 1\ndir /proc 0755 0 0\ndir /sys 0755 0 0\nfile /init %s 0755 0 0\n' \
	"$W/target.sh" > "$W/target.list"
vm_initramfs "$W/target.img" --no-ferry --modules "" --kernel test --list "$W/target.list"
echo "second-initrd" > "$W/extra.txt"
echo "file /extra-initrd $W/extra.txt 0644 0 0" > "$W/extra.list"
vm_initramfs "$W/extra.img" --no-ferry --no-busybox --modules "" --kernel test --list "$W/extra.list"
vm_initramfs "$W/ferry.img" --kernel test

CMDLINE="console=ttyS0 panic=-1 test.measure=1"
mkdir -p "$W/disk/boot/extlinux"
cp "$KERNEL" "$W/disk/boot/vmlinuz-test"
cp "$W/target.img" "$W/disk/boot/initrd.img"
cp "$W/extra.img" "$W/disk/boot/extra.img"
cat > "$W/disk/boot/extlinux/extlinux.conf" <<X
default m0
label m0
	linux /boot/vmlinuz-test
	initrd /boot/initrd.img,/boot/extra.img
	append $CMDLINE
label m1
	linux /boot/vmlinuz-test
	initrd /boot/initrd.img
	append $CMDLINE test.entry=second
X
mkdisk_ext4 "$W/disk.img" "$W/disk" 64 bootdisk

# A TPM as a factory leaves it, with the SHA-1 and SHA-256 banks (u-root#2721: not only SHA-256).
mkdir -p "$W/tpm"
swtpm_setup --tpm2 --tpmstate "$W/tpm" --pcr-banks sha1,sha256 > "$W/swtpm_setup.log" 2>&1 ||
	{ tpm_missing "swtpm_setup failed: $(tail -n 1 "$W/swtpm_setup.log")"; return 0; }
cp -r "$W/tpm" "$W/tpm.fresh"

TPM_QEMU="-chardev socket,id=chrtpm,path=$W/swtpm.sock -tpmdev emulator,id=tpm0,chardev=chrtpm -device tpm-tis,tpmdev=tpm0"
swtpm_start() {  # a fresh TPM (PCRs 8 and 9 zero) for each boot
	rm -rf "$W/tpm" "$W/swtpm.sock" "$W/swtpm.pid"
	cp -r "$W/tpm.fresh" "$W/tpm"
	swtpm socket --tpm2 --tpmstate dir="$W/tpm" --ctrl type=unixio,path="$W/swtpm.sock" \
		--terminate --daemon --pid file="$W/swtpm.pid" --log file="$W/swtpm.log"
}
swtpm_stop() {
	local pid; pid=$(cat "$W/swtpm.pid" 2>/dev/null)
	[ -n "$pid" ] && kill "$pid" 2>/dev/null
	rm -f "$W/swtpm.pid"
}

# What the PCRs must hold: H(H(0 || H(kernel)) || H(initrd)) ... for PCR 9, H(0 || H(cmdline)) for 8.
expected() {  # expected BANK PCR
	local sum=${1}sum files
	if [ "$2" = 9 ]; then
		files=$("$sum" "$W/disk/boot/vmlinuz-test" "$W/disk/boot/initrd.img" "$W/disk/boot/extra.img" | cut -d' ' -f1)
	else
		files=$(printf '%s' "$CMDLINE" | "$sum" | cut -d' ' -f1)
	fi
	python3 -c '
import hashlib, sys
h = hashlib.new(sys.argv[1]); pcr = bytes(h.digest_size)
for d in sys.argv[2:]:
    pcr = hashlib.new(sys.argv[1], pcr + bytes.fromhex(d)).digest()
print(pcr.hex())' "$1" $files
}
got() { tr -d '\r' < "$W/$1.out" | sed -n "s/^PCR $2 $3 //p" | tr 'A-F' 'a-f'; }

swtpm_start
vm_boot m1 --kernel test --initrd "$W/ferry.img" --disk "$W/disk.img" --qemu "$TPM_QEMU" \
	--append "ferry.boot=kexec ferry.onfail=poweroff" --timeout 240
swtpm_stop
expect m1 "^KEXEC-CMDLINE $CMDLINE\$" "the entry is kexec'd with its command line"
expect m1 '^KEXEC-EXTRA second-initrd' "... and both initrds"
k256=$(sha256sum "$W/disk/boot/vmlinuz-test" | cut -c1-8); k1=$(sha1sum "$W/disk/boot/vmlinuz-test" | cut -c1-8)
expect m1 "ferry: measure: PCR 9 sha1:$k1\.\.\. sha256:$k256\.\.\. /boot/vmlinuz-test \(on /dev/vda\)" \
	"the kernel's measurement is logged in both banks, with its file and device"
expect m1 "ferry: measure: PCR 9 .* /boot/extra.img \(on /dev/vda\)" "each initrd's measurement is logged"
expect m1 "ferry: measure: PCR 8 .* the command line \"$CMDLINE\"" "the command line's measurement is logged"
for bank in sha1 sha256; do
	for n in 8 9; do
		want=$(expected $bank $n); have=$(got m1 $bank $n)
		check "[ -n '$want' ] && [ '$have' = '$want' ]" \
			"PCR $n in the $bank bank after the kexec is what the host computes (${have:0:16}...)"
	done
done

# ferry.measure=off: nothing extended.
swtpm_start
vm_boot m2 --kernel test --initrd "$W/ferry.img" --disk "$W/disk.img" --qemu "$TPM_QEMU" \
	--append "ferry.boot=kexec ferry.onfail=poweroff ferry.measure=off" --timeout 240
swtpm_stop
zero256=$(printf '0%.0s' $(seq 64)); zero1=$(printf '0%.0s' $(seq 40))
check "[ '$(got m2 sha256 9)' = '$zero256' ] && [ '$(got m2 sha1 8)' = '$zero1' ]" \
	"ferry.measure=off: PCRs 8 and 9 stay zero after the kexec"
reject m2 'ferry: measure: PCR' "ferry.measure=off: no measurement logged" '^KEXEC-DONE'

# The TPM stops answering after the kernel registered it: swtpm killed when the kernel is done
# with its devices (the line before "Run /init"), while ferry copies a 32 MB initrd of this
# disk's entries into its memfd, before the first TPM command. Every entry is refused, then the
# failure policy (poweroff).
mkdir -p "$W/disk3/boot/extlinux"
cp "$KERNEL" "$W/disk3/boot/vmlinuz-test"
head -c $((32 << 20)) /dev/urandom > "$W/disk3/boot/big.img"
sed 's|/boot/initrd.img,/boot/extra.img|/boot/big.img|; s|/boot/initrd.img$|/boot/big.img|' \
	"$W/disk/boot/extlinux/extlinux.conf" > "$W/disk3/boot/extlinux/extlinux.conf"
mkdisk_ext4 "$W/disk3.img" "$W/disk3" 48 bootdisk
swtpm_start
vm_boot m3 --kernel test --initrd "$W/ferry.img" --disk "$W/disk3.img" --qemu "$TPM_QEMU" \
	--append "ferry.boot=kexec ferry.onfail=poweroff" --timeout 240 &
bg=$!
console_wait m3 'Freeing unused kernel image \(rodata/data gap\)' 150
swtpm_stop
wait $bg
reject m3 'ferry: measure: (PCR|no TPM)' "the kernel had the TPM, and it was gone before ferry's first command (the test's premise)" 'ferry: kexec: entry 0'
expect m3 'ferry: measure: .*(did not answer within 2 s|refused|TPM2_GetCapability|TPM2_PCR_Extend)' \
	"a TPM that fails is a named error"
expect m3 'ferry: kexec: entry 0 .*measuring' "entry 0 is not booted unmeasured"
expect m3 'ferry: kexec: entry 1 .*measuring' "... the next entry is tried, and refused the same way"
expect m3 'no fallback to an unmeasured boot' "then the failure policy"
reject m3 '^KEXEC-CMDLINE' "no kexec without a measurement" 'no fallback to an unmeasured boot'

# ferry.measure=required and no TPM at all.
vm_boot m4 --kernel test --initrd "$W/ferry.img" --disk "$W/disk.img" \
	--append "ferry.boot=kexec ferry.onfail=poweroff ferry.measure=required" --timeout 240
expect m4 'ferry: measure: ferry.measure=required and no TPM' "ferry.measure=required without a TPM is named"
reject m4 '^KEXEC-CMDLINE' "... and nothing is kexec'd" 'no fallback to an unmeasured boot'
