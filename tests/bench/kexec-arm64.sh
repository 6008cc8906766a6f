#!/usr/bin/env bash
# arm64 kexec benchmark (qemu-system-aarch64 -M virt -cpu cortex-a53, TCG): /init -> the
# reboot(LINUX_REBOOT_CMD_KEXEC) call for an extlinux entry with Debian's arm64 kernel, raw and as
# Image.gz, through ferry's own kexec_load. For Image.gz the time zlib takes inside ferry is shown on
# its own, beside busybox's `gzip -d` of the same file on the same VM (the second kernel runs it).
# Times are printk stamps ("Run /init as init process" to "kexec_core: Starting new kernel") and
# ferry's own log line; the gzip -d figure is /proc/uptime around it (10 ms steps).
set -u
B=$(cd "${1:-build}" && pwd)
TOP=$(cd "$(dirname "$0")/../.." && pwd)
W=$B/bench/kexec-arm64
rm -rf "$W"; mkdir -p "$W"
export B TOP W RESULTS=/dev/null
source "$TOP/tests/vm/lib.sh"
source "$TOP/tests/vm/arm64-kexec.inc"
runs=${BENCH_RUNS:-3}
a64_setup || exit 0
D=$W/bootfs
mkdir -p "$D/boot/extlinux"
cp "$A64_KERNEL" "$D/boot/Image"
gzip -9 -c "$A64_KERNEL" > "$D/boot/Image.gz"
a64_target "$D/boot/target.img"
a64_target "$D/boot/target-gz.img" "$D/boot/Image.gz"
cat > "$D/boot/extlinux/extlinux.conf" <<X
label raw
	linux /boot/Image
	initrd /boot/target.img
	append console=ttyAMA0 panic=-1
label gz
	linux /boot/Image.gz
	initrd /boot/target-gz.img
	append console=ttyAMA0 panic=-1
X
a64_stage1 "$W/stage1.img" "$D"
echo "kernel: $A64_KERNEL ($(stat -c %s "$D/boot/Image") bytes; Image.gz $(stat -c %s "$D/boot/Image.gz") bytes)"

stamp() { tr -d '\r' < "$1" | sed -n "s|^\[ *\([0-9.]*\)\] $2.*|\1|p" | head -n 1; }
ms() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "" || b == "") print "-"; else printf "%d", (b - a) * 1000 }'; }
printf '%-8s %4s %20s %16s %18s %20s %10s\n' entry run "init->kexec reboot" "in kexec_load" "ferry zlib inflate" \
	"busybox gzip -d" "target ok"
for i in $(seq "$runs"); do
	for e in raw gz; do
		vm_boot "$e-$i" --initrd "$W/stage1.img" --timeout 480 \
			--append "ferry.boot=kexec ferry.kexec.device=/bootfs ferry.kexec.entry=$e"
		c=$W/$e-$i.console
		t0=$(stamp "$c" 'Run /init as init process')
		t1=$(stamp "$c" 'kexec_core: Starting new kernel')
		kl=$(tr -d '\r' < "$c" | sed -n 's/.*(kexec_load \([0-9.]*\) ms.*/\1 ms/p' | head -n 1)
		inf=$(tr -d '\r' < "$c" | sed -n 's/.*gzip kernel inflated in \([0-9.]*\) ms.*/\1 ms/p' | head -n 1)
		gd=$(tr -d '\r' < "$c" | sed -n 's/^KEXEC-GUNZIP \([0-9.]*\) \([0-9.]*\).*/\1 \2/p' | head -n 1 |
			awk '{ printf "%d ms", ($2 - $1) * 1000 }')
		grep -q '^KEXEC-DONE' <(tr -d '\r' < "$c") && ok=yes || ok=no
		printf '%-8s %4d %17s ms %16s %18s %20s %10s\n' "$e" "$i" "$(ms "$t0" "$t1")" "${kl:--}" "${inf:--}" \
			"${gd:--}" "$ok"
	done
done
