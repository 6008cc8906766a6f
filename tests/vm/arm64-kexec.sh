#!/usr/bin/env bash
# kexec of a real Debian arm64 kernel under qemu-system-aarch64 (-M virt -cpu cortex-a53, TCG), by
# ferry's own kexec_load (Debian's arm64 kernels have no kexec_file_load), in every format ferry
# unwraps and through every configuration it reads:
#   default  grub.cfg: a Fedora-style zboot with a zstd payload is refused by name, then a zboot
#            container (gzip payload) written here around the same Image boots
#   gz       BLS Type #1: Image.gz (gzip -9 of Debian's vmlinuz) is inflated with zlib
#   raw      extlinux.conf: Debian's vmlinuz as it is, with the running tree (/sys/firmware/fdt)
#   uki      BLS Type #2: a UKI built with aarch64 objcopy --add-section around systemd's arm64 stub
#            (.linux = Image.gz, .initrd, .cmdline, .osrel)
#   fdt      extlinux FDT: QEMU's own tree (dumpdtb) with its model changed by dtc; the second
#            kernel must report that model from /proc/device-tree/model
#   fdtdir   extlinux FDTDIR: the board's dtb found by its compatible ("linux,dummy-virt")
# Standalone until the aarch64 VM layer lands in tests/vm/lib.sh (see tests/vm/arm64-kexec.inc):
#   tests/vm/arm64-kexec.sh [BUILD] [CASE...]      (FERRY_AARCH64=path/to/aarch64/ferry)
set -u
B=$(cd "${1:-build}" && pwd)
shift $(( $# > 0 ? 1 : 0 ))
TOP=$(cd "$(dirname "$0")/../.." && pwd)
W=$B/vm/arm64-kexec
rm -rf "$W"; mkdir -p "$W"
RESULTS=$(mktemp)
trap 'rm -f "$RESULTS"' EXIT
export B TOP W RESULTS
source "$TOP/tests/vm/lib.sh"
source "$TOP/tests/vm/arm64-kexec.inc"
cases=${*:-default gz raw uki fdt fdtdir}

finish() {
	p=$(grep -c '^pass$' "$RESULTS"); f=$(grep -c '^fail$' "$RESULTS"); s=$(grep -c '^skip$' "$RESULTS")
	echo "vm: arm64-kexec: $p passed, $f failed, $s skipped"
	[ "$f" = 0 ]
	exit
}
if ! a64_find; then
	skip "arm64-kexec: $A64_MISSING"
	finish
fi
echo "vm: arm64-kexec: $A64_KERNEL, $A64_FERRY"

# The boot partition, as a directory inside ferry's initramfs (ferry.kexec.device=/bootfs).
D=$W/bootfs
mkdir -p "$D/boot/extlinux" "$D/boot/grub" "$D/boot/dtbs/qemu" "$D/loader/entries" "$D/EFI/Linux"
O="console=ttyAMA0 panic=-1"
cp "$A64_KERNEL" "$D/boot/Image"
gzip -9 -c "$A64_KERNEL" > "$D/boot/Image.gz"
a64_zboot "$D/boot/vmlinuz.efi" "$D/boot/Image.gz" gzip
{ printf '\050\265\057\375'; head -c 4096 /dev/urandom; } > "$W/zstd.bin"
a64_zboot "$D/boot/fedora.efi" "$W/zstd.bin" zstd
a64_target "$D/boot/target.img"
a64_dtb "$D/boot/board.dtb" ferry-test-board
a64_dtb "$D/boot/dtbs/qemu/dummy-virt.dtb" ferry-fdtdir-board
cat > "$D/boot/grub/grub.cfg" <<X
menuentry 'Fedora zstd' --id zstd { linux /boot/fedora.efi $O test.fmt=zstd; initrd /boot/target.img; }
menuentry 'zboot' --id zboot { linux /boot/vmlinuz.efi $O test.fmt=grub-zboot; initrd /boot/target.img; }
X
printf 'title Image.gz\nlinux /boot/Image.gz\ninitrd /boot/target.img\noptions %s test.fmt=bls-gz\n' "$O" \
	> "$D/loader/entries/gz.conf"
cat > "$D/boot/extlinux/extlinux.conf" <<X
label raw
	linux /boot/Image
	initrd /boot/target.img
	append $O test.fmt=raw
label fdt
	linux /boot/Image
	initrd /boot/target.img
	fdt /boot/board.dtb
	append $O test.fmt=fdt
label fdtdir
	linux /boot/Image.gz
	initrd /boot/target.img
	fdtdir /boot/dtbs
	append $O test.fmt=fdtdir
X
if [ -n "$A64_STUB" ]; then
	printf 'PRETTY_NAME="Debian arm64 UKI (ferry test)"\n' > "$W/osrel"
	printf '%s test.fmt=uki\n' "$O" > "$W/cmdline"
	echo "uki-initrd" > "$W/extra"
	a64_target "$W/uki-initrd.img" "$W/extra"
	aarch64-linux-gnu-objcopy --add-section .osrel="$W/osrel" --change-section-vma .osrel=0x20000 \
		--add-section .cmdline="$W/cmdline" --change-section-vma .cmdline=0x30000 \
		--add-section .linux="$D/boot/Image.gz" --change-section-vma .linux=0x2000000 \
		--add-section .initrd="$W/uki-initrd.img" --change-section-vma .initrd=0x4000000 \
		"$A64_STUB" "$D/EFI/Linux/debian-uki.efi"
fi
a64_stage1 "$W/stage1.img" "$D"

for c in $cases; do
	echo "vm: arm64-kexec-$c"
	start=$(date +%s)
	app="ferry.boot=kexec ferry.kexec.device=/bootfs"
	entry=$c
	[ "$c" = uki ] && entry=debian-uki
	[ "$c" = default ] || app="$app ferry.kexec.entry=$entry"
	case $c in
	default)
		a64_boot "$c" "$W/stage1.img" "$app"
		expect "$c" 'entry 0 "Fedora zstd": /boot/fedora.efi: EFI zboot with a zstd payload: not supported' \
			"a zboot with a zstd payload: refused by name"
		expect "$c" 'entry 1: EFI zboot \(holding arm64 Image\), kexec_load: the kernel has no kexec_file_load \(ENOSYS' \
			"the next entry, a gzip zboot, unwrapped; kexec_load since kexec_file_load is ENOSYS"
		expect "$c" '^KEXEC-CMDLINE console=ttyAMA0 panic=-1 test.fmt=grub-zboot$' "the second kernel runs (grub.cfg, zboot)" ;;
	gz)
		a64_boot "$c" "$W/stage1.img" "$app"
		expect "$c" 'entry [0-9]+: gzip \(holding arm64 Image\), kexec_load' "Image.gz inflated"
		expect "$c" 'gzip kernel inflated in [0-9]+\.[0-9]+ ms' "inflation timed on its own"
		expect "$c" '^KEXEC-CMDLINE console=ttyAMA0 panic=-1 test.fmt=bls-gz$' "the second kernel runs (BLS, Image.gz)" ;;
	raw)
		a64_boot "$c" "$W/stage1.img" "$app"
		expect "$c" 'entry [0-9]+: arm64 Image \(as it is\), kexec_load' "a raw Image"
		expect "$c" 'device tree /sys/firmware/fdt; Image at 0x[0-9a-f]*[02468ace]00000,' \
			"the running tree; the Image 2 MiB aligned"
		expect "$c" '^KEXEC-MODEL linux,dummy-virt' "the running tree reached the second kernel"
		expect "$c" '^KEXEC-CMDLINE console=ttyAMA0 panic=-1 test.fmt=raw$' "with /chosen/bootargs from the entry" ;;
	uki)
		if [ -z "$A64_STUB" ]; then skip "arm64-kexec-uki: no linuxaa64.efi.stub (systemd-boot-efi:arm64)"; continue; fi
		a64_boot "$c" "$W/stage1.img" "$app"
		expect "$c" '\[bls\] "Debian arm64 UKI \(ferry test\)" id=debian-uki linux=/EFI/Linux/debian-uki.efi' \
			"a Type #2 entry titled by .osrel"
		expect "$c" 'entry [0-9]+: unified kernel image \(holding arm64 Image\), kexec_load' "its .linux (Image.gz) inflated"
		expect "$c" '^KEXEC-CMDLINE console=ttyAMA0 panic=-1 test.fmt=uki$' "the second kernel got .cmdline"
		expect "$c" '^KEXEC-EXTRA uki-initrd' "and .initrd" ;;
	fdt)
		a64_boot "$c" "$W/stage1.img" "$app"
		expect "$c" 'kexec_load: the entry names a device tree' "an FDT entry goes to kexec_load"
		expect "$c" '^KEXEC-MODEL ferry-test-board' "the second kernel reports the entry's tree's model"
		expect "$c" '^KEXEC-CMDLINE console=ttyAMA0 panic=-1 test.fmt=fdt$' "its /chosen written by ferry" ;;
	fdtdir)
		a64_boot "$c" "$W/stage1.img" "$app"
		expect "$c" 'device tree /bootfs/boot/dtbs/qemu/dummy-virt.dtb' "FDTDIR: the dtb named by the board's compatible"
		expect "$c" '^KEXEC-MODEL ferry-fdtdir-board' "the second kernel reports its model" ;;
	*) echo "arm64-kexec: unknown case $c" >&2 ;;
	esac
	echo "  ($(( $(date +%s) - start )) s)"
done
finish
