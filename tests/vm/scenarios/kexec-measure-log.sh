# /run/ferry/measurements against the TPM itself: an entry whose kernel file is not a kernel is
# measured (as read, before the load) and then refused by kexec_file_load; with nothing else to
# boot ferry runs the initramfs's rootinit, which reports the measurement file and PCRs 8 and 9
# of both banks from the same running kernel. The host checks the file's digests against the
# files and replays its lines, bank by bank, into the PCR values (README: the line format).
source "$TOP/tests/vm/scenarios/kexec-common.inc"
if ! command -v swtpm >/dev/null || ! command -v swtpm_setup >/dev/null; then
	if [ "${CI:-}" = true ]; then echo "  FAIL swtpm is missing (CI=true)"; _result fail; else skip "swtpm is missing"; fi
	return 0
fi
cat > "$W/rootinit.sh" <<'T'
#!/bin/sh
o=/dev/ttyS1
mount -t sysfs sys /sys 2>/dev/null
sed 's/^/MEAS /' /run/ferry/measurements > $o
for b in sha1 sha256; do for n in 8 9; do echo "PCR $b $n $(cat /sys/class/tpm/tpm0/pcr-$b/$n)" > $o; done; done
echo "ROOTINIT-DONE" > $o
poweroff -f
T
vm_initramfs "$W/ferry.img" --kernel test --init "$W/rootinit.sh"
mkdir -p "$W/disk/boot/extlinux"
head -c 65536 /dev/urandom > "$W/disk/boot/notakernel"
echo "an initrd" > "$W/disk/boot/initrd.img"
printf 'default bad\nlabel bad\n\tlinux /boot/notakernel\n\tinitrd /boot/initrd.img\n\tappend not booted, measured\n' \
	> "$W/disk/boot/extlinux/extlinux.conf"
mkdisk_ext4 "$W/disk.img" "$W/disk" 16 bootdisk
mkdir -p "$W/tpm"
swtpm_setup --tpm2 --tpmstate "$W/tpm" --pcr-banks sha1,sha256 > "$W/swtpm_setup.log" 2>&1 ||
	{ skip "swtpm_setup failed"; return 0; }
swtpm socket --tpm2 --tpmstate dir="$W/tpm" --ctrl type=unixio,path="$W/swtpm.sock" \
	--terminate --daemon --pid file="$W/swtpm.pid" --log file="$W/swtpm.log"
vm_boot l1 --kernel test --initrd "$W/ferry.img" --disk "$W/disk.img" --append "ferry.boot=kexec ferry.onfail=poweroff" \
	--qemu "-chardev socket,id=chrtpm,path=$W/swtpm.sock -tpmdev emulator,id=tpm0,chardev=chrtpm -device tpm-tis,tpmdev=tpm0" \
	--timeout 240
pid=$(cat "$W/swtpm.pid" 2>/dev/null); [ -n "$pid" ] && kill "$pid" 2>/dev/null
expect l1 'ferry: kexec: entry 0 "bad": .*\(/boot/notakernel\): Exec format error' "the entry that is not a kernel is refused by the kernel"
expect l1 '^ROOTINIT-DONE' "then the initramfs's rootinit runs"
tr -d '\r' < "$W/l1.out" | sed -n 's/^MEAS //p' > "$W/measurements"
k=$(sha256sum "$W/disk/boot/notakernel" | cut -d' ' -f1); i=$(sha256sum "$W/disk/boot/initrd.img" | cut -d' ' -f1)
c=$(printf '%s' 'not booted, measured' | sha256sum | cut -d' ' -f1)
check "grep -qx '9 sha256 $k kernel /dev/vda /boot/notakernel' '$W/measurements'" \
	"the file has the kernel's line: PCR, bank, its digest, kind, device, path"
check "grep -qx '9 sha256 $i initrd /dev/vda /boot/initrd.img' '$W/measurements'" "... the initrd's"
check "grep -qx '8 sha256 $c cmdline - not booted, measured' '$W/measurements'" \
	"... and the command line's, its exact bytes"
check "[ \$(grep -c '^9 sha1 ' '$W/measurements') = 2 ] && [ \$(grep -c '^8 sha1 ' '$W/measurements') = 1 ]" \
	"the SHA-1 bank has its lines too"
replay() {  # replay BANK PCR: the PCR value the file's lines give
	python3 - "$W/measurements" "$1" "$2" <<'PY'
import hashlib, sys
f, bank, pcr = sys.argv[1], sys.argv[2], sys.argv[3]
v = bytes(hashlib.new(bank).digest_size)
for line in open(f):
    p = line.split(' ', 5)
    if p[0] == pcr and p[1] == bank:
        v = hashlib.new(bank, v + bytes.fromhex(p[2])).digest()
print(v.hex())
PY
}
for bank in sha1 sha256; do
	for n in 8 9; do
		have=$(tr -d '\r' < "$W/l1.out" | sed -n "s/^PCR $bank $n //p" | tr 'A-F' 'a-f')
		want=$(replay $bank $n)
		check "[ -n '$have' ] && [ '$have' = '$want' ]" "replaying the file's $bank lines gives PCR $n (${have:0:16}...)"
	done
done
