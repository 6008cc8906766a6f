# Entries that cannot boot are explained and skipped, in order: a corrupt kernel (ENOEXEC from
# kexec_file_load), a corrupt gzip kernel (zlib), a missing initrd; the fourth entry boots.
source "$TOP/tests/vm/scenarios/kexec-common.inc"
kx_images
mkdir -p "$W/disk/boot/extlinux"
cp "$KX_KERNEL" "$W/disk/boot/vmlinuz"
cp "$W/target.img" "$W/disk/boot/initrd.img"
head -c 1048576 /dev/urandom > "$W/disk/boot/corrupt"
{ printf '\037\213\010\000\000\000\000\000\000\003'; head -c 65536 /dev/urandom; } > "$W/disk/boot/Image.gz"
cat > "$W/disk/boot/extlinux/extlinux.conf" <<X
default corrupt
label corrupt
	linux /boot/corrupt
	initrd /boot/initrd.img
	append $KX_OPTS test.entry=corrupt
label badgz
	linux /boot/Image.gz
	initrd /boot/initrd.img
	append $KX_OPTS test.entry=badgz
label noinitrd
	linux /boot/vmlinuz
	initrd /boot/missing.img
	append $KX_OPTS test.entry=noinitrd
label good
	linux /boot/vmlinuz
	initrd /boot/initrd.img
	append $KX_OPTS test.entry=good
X
mkdisk_ext4 "$W/disk.img" "$W/disk" 48 bootdisk

vm_boot f1 --initrd "$W/ferry.img" --disk "$W/disk.img" --append "ferry.boot=kexec" --timeout 180
expect f1 'entry 0 "corrupt": kexec_file_load \(/boot/corrupt\): Exec format error: the running kernel does not recognise' \
	"a corrupt kernel: ENOEXEC, explained"
expect f1 'entry 1 "badgz": inflating the gzip kernel \(/boot/Image.gz\): .*: the gzip data is corrupt' "a corrupt gzip kernel: zlib refuses it"
expect f1 'entry 2 "noinitrd": opening the initrd \(/boot/missing.img\): No such file or directory' "a missing initrd"
expect f1 'entry 3 "good": loading' "then the next entry"
expect f1 '^KEXEC-CMDLINE .*test.entry=good' "the fourth entry boots"
