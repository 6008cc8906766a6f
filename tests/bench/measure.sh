#!/usr/bin/env bash
# The cost of measured boot, on the test kernel in QEMU with the same extlinux entry: /init ->
# reboot(LINUX_REBOOT_CMD_KEXEC) with no TPM, with a swtpm TPM 2.0 with SHA-1 and SHA-256 banks,
# with the SHA-256 bank alone, and with the TPM and ferry.measure=off; ferry's own figures for the
# measurement (the TPM round trips included, and the hashing alone); and SHA-256 in the same VM:
# ferry's rate (SHA-256 bank alone: bytes / hashing time) beside busybox sha256sum over the boot
# disk in the second kernel.
set -u
B=$(cd "${1:-build}" && pwd)
TOP=$(cd "$(dirname "$0")/../.." && pwd)
W=$B/bench/measure
rm -rf "$W"; mkdir -p "$W"
export B TOP W RESULTS=/dev/null
source "$TOP/tests/vm/lib.sh"
runs=${BENCH_RUNS:-3}
if ! command -v swtpm >/dev/null || ! command -v swtpm_setup >/dev/null; then
	echo "measure: skipped: swtpm (swtpm, swtpm-tools) is missing"; exit 0
fi
KERNEL=$(vm_kernel test) || { echo "measure: skipped: no test kernel"; exit 0; }
cat > "$W/target.sh" <<'T'
#!/bin/sh
/bin/busybox mount -t devtmpfs dev /dev 2>/dev/null
/bin/busybox mount -t proc proc /proc
/bin/busybox mount -t sysfs sys /sys
o=/dev/ttyS1
t0=$(cut -d' ' -f1 /proc/uptime); sha256sum /dev/vda > /dev/null; t1=$(cut -d' ' -f1 /proc/uptime)
echo "SHA256SUM $(cat /sys/block/vda/size) $t0 $t1" > $o
echo "KEXEC-DONE" > $o
poweroff -f
T
printf 'dir /dev 0755 0 0\nnod /dev/console 0600 0 0 c 5 1\ndir /proc 0755 0 0\ndir /sys 0755 0 0\nfile /init %s 0755 0 0\n' \
	"$W/target.sh" > "$W/target.list"
vm_initramfs "$W/target.img" --no-ferry --modules "" --kernel test --list "$W/target.list"
vm_initramfs "$W/ferry.img" --kernel test
mkdir -p "$W/disk/boot/extlinux"
cp "$KERNEL" "$W/disk/boot/vmlinuz"
cp "$W/target.img" "$W/disk/boot/initrd.img"
printf 'default b\nlabel b\n\tlinux /boot/vmlinuz\n\tinitrd /boot/initrd.img\n\tappend console=ttyS0 panic=-1\n' \
	> "$W/disk/boot/extlinux/extlinux.conf"
mkdisk_ext4 "$W/disk.img" "$W/disk" 16 bootdisk
for banks in sha1,sha256 sha256; do   # (no comma in the directory: swtpm's option syntax)
	mkdir -p "$W/tpm-${banks/,/+}"
	swtpm_setup --tpm2 --tpmstate "$W/tpm-${banks/,/+}" --pcr-banks $banks > "$W/swtpm_setup.log" 2>&1 ||
		{ echo "measure: skipped: swtpm_setup failed"; exit 0; }
done
TPM_QEMU="-chardev socket,id=chrtpm,path=$W/swtpm.sock -tpmdev emulator,id=tpm0,chardev=chrtpm -device tpm-tis,tpmdev=tpm0"

printf '%-16s %4s %19s %12s %8s %24s %22s\n' "case" "run" "reboot(KEXEC) at" "measuring" "hashing" \
	"ferry SHA-256" "busybox sha256sum"
for i in $(seq "$runs"); do
	for who in no-tpm tpm-sha1+256 tpm-sha256 measure=off; do
		q= app="ferry.boot=kexec ferry.onfail=poweroff" st=$W/tpm-sha1+sha256
		[ "$who" = no-tpm ] || q=$TPM_QEMU
		[ "$who" = measure=off ] && app="$app ferry.measure=off"
		[ "$who" = tpm-sha256 ] && st=$W/tpm-sha256
		if [ -n "$q" ]; then
			rm -f "$W/swtpm.sock"
			swtpm socket --tpm2 --tpmstate dir="$st" --ctrl type=unixio,path="$W/swtpm.sock" \
				--terminate --daemon --pid file="$W/swtpm.pid" --log file="$W/swtpm.log"
		fi
		vm_boot "$who-$i" --kernel test --initrd "$W/ferry.img" --disk "$W/disk.img" --qemu "$q" --append "$app" \
			--timeout 240
		if [ -n "$q" ]; then pid=$(cat "$W/swtpm.pid" 2>/dev/null); [ -n "$pid" ] && kill "$pid" 2>/dev/null; fi
		c=$W/$who-$i.console
		# the test kernel has no printk times: ferry's own clock (CLOCK_MONOTONIC, from the kernel's start)
		t1=$(tr -d '\r' < "$c" | sed -n 's/.*reboot(LINUX_REBOOT_CMD_KEXEC) at \([0-9]*\) ms.*/\1/p' | head -n 1)
		m=$(tr -d '\r' < "$c" | sed -n 's/.*ferry: measure: .* in \([0-9]*\) ms (hashing \([0-9]*\) bytes: \([0-9]*\) ms).*/\1 \2 \3/p' | head -n 1)
		read -r mms mbytes mhash <<< "${m:-- - -}"
		rate=-
		[ "$who" = tpm-sha256 ] && [ "$mbytes" != - ] && [ "$mhash" -gt 0 ] && rate="$(( mbytes / 1000 / mhash )) MB/s"
		read -r _ sectors s0 s1 <<< "$(tr -d '\r' < "$W/$who-$i.out" 2>/dev/null | grep '^SHA256SUM' | head -n 1)"
		bb=$(awk -v n="${sectors:-}" -v a="${s0:-}" -v b="${s1:-}" 'BEGIN { if (n == "" || b <= a) print "-"; else printf "%d MB/s", n * 512 / 1e6 / (b - a) }')
		printf '%-16s %4d %16s ms %9s ms %5s ms %24s %22s\n' "$who" "$i" "${t1:--}" "$mms" "$mhash" "$rate" "$bb"
	done
done
echo "(measuring: ferry's time from the first TPM command to the last, hashing included; ferry SHA-256: the"
echo " SHA-256 bank alone, bytes / hashing time; busybox sha256sum over /dev/vda in the second kernel; QEMU TCG)"
