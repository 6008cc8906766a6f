# From ferry, kexec through syslinux menus that include each other (Debian installer media style):
# extlinux.conf only includes menu.cfg, whose DEFAULT names a label of the txt.cfg it includes; the
# default's first entry is a multiboot mboot.c32 label (refused by name, never loaded); the label
# booted has no APPEND of its own and gets the global one.
source "$TOP/tests/vm/scenarios/kexec-common.inc"
kx_images
mkdir -p "$W/disk/boot/extlinux"
cp "$KX_KERNEL" "$W/disk/boot/vmlinuz"
cp "$W/target.img" "$W/disk/boot/initrd.img"
echo "not xen" > "$W/disk/boot/xen.gz"
cat > "$W/disk/boot/extlinux/extlinux.conf" <<C
# D-I config version 2.0
path 
append $KX_OPTS test.fmt=syslinux-global
include menu.cfg
default vesamenu.c32
prompt 0
timeout 0
C
cat > "$W/disk/boot/extlinux/menu.cfg" <<C
menu title Installer menu
default xen
include xen.cfg
include txt.cfg
C
cat > "$W/disk/boot/extlinux/xen.cfg" <<C
label xen
	menu label Xen
	kernel mboot.c32 /boot/xen.gz --- /boot/vmlinuz $KX_OPTS --- /boot/initrd.img
C
cat > "$W/disk/boot/extlinux/txt.cfg" <<C
label install
	menu label ^Install
	kernel /boot/vmlinuz
	initrd /boot/initrd.img
label bare
	kernel /boot/vmlinuz
	initrd /boot/initrd.img
	append -
C
mkdisk_ext4 "$W/disk.img" "$W/disk" 48 bootdisk

vm_boot i1 --initrd "$W/ferry.img" --disk "$W/disk.img" --append "ferry.boot=kexec" --timeout 180
expect i1 'ferry: kexec: /dev/vda: /boot/extlinux/extlinux.conf: 3 entries' "the included files' labels found"
expect i1 'entry 0 \(default\) /dev/vda:/boot/extlinux/xen.cfg:1 .*skipped: multiboot/COM32 module' \
	"the mboot.c32 default refused by name, with the file and line that defined it"
expect i1 'entry 1 /dev/vda:/boot/extlinux/txt.cfg:1 ' "a label two includes deep, with its file and line"
reject i1 'loading /run/ferry/kexec/0/boot/extlinux/mboot.c32' "the module is never loaded" 'KEXEC-CMDLINE'
expect i1 '^KEXEC-CMDLINE console=ttyS0 panic=-1 test.fmt=syslinux-global$' \
	"the next label booted with the global APPEND"
