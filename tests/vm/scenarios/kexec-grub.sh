# From ferry, kexec through a grub.cfg in the shape grub-mkconfig writes: the config on one disk,
# the kernel on another found by `search --fs-uuid --set=root`, the entry chosen by saved_entry in
# grubenv (GRUB_DEFAULT=saved; written by the real grub-editenv when present) inside a submenu.
source "$TOP/tests/vm/scenarios/kexec-common.inc"
kx_images
U=7d3a1e2b-4c5d-4e6f-8a9b-0c1d2e3f4a5b
mkdir -p "$W/cfg/boot/grub" "$W/kern"
cp "$KX_KERNEL" "$W/kern/vmlinuz-6.1.0-cloud"
cp "$W/target.img" "$W/kern/initrd.img-6.1.0-cloud"
entry() {  # TITLE ID OPTS
	cat <<X
	menuentry '$1' --class debian --class gnu-linux --class gnu --class os \$menuentry_id_option '$2' {
		load_video
		insmod gzio
		if [ x\$grub_platform = xxen ]; then insmod xzio; insmod lzopio; fi
		insmod part_gpt
		insmod ext2
		set root='hd1,gpt1'
		if [ x\$feature_platform_search_hint = xy ]; then
		  search --no-floppy --fs-uuid --set=root --hint-bios=hd1,gpt1 --hint-efi=hd1,gpt1 --hint-baremetal=ahci1,gpt1  $U
		else
		  search --no-floppy --fs-uuid --set=root $U
		fi
		echo	'Loading Linux 6.1.0-cloud ...'
		linux	/vmlinuz-6.1.0-cloud root=UUID=$U ro $3
		echo	'Loading initial ramdisk ...'
		initrd	/initrd.img-6.1.0-cloud
	}
X
}
{
	cat <<'X'
if [ -s $prefix/grubenv ]; then
  set have_grubenv=true
  load_env
fi
if [ "${next_entry}" ] ; then
   set default="${next_entry}"
   set next_entry=
   save_env next_entry
   set boot_once=true
else
   set default="${saved_entry}"
fi
if [ x"${feature_menuentry_id}" = xy ]; then
  menuentry_id_option="--id"
else
  menuentry_id_option=""
fi
export menuentry_id_option
function load_video {
  insmod all_video
}
set timeout=5
X
	entry 'Debian GNU/Linux' "gnulinux-simple-$U" "$KX_OPTS test.fmt=grub-simple" | sed 's/^\t//'
	echo "submenu 'Advanced options for Debian GNU/Linux' \$menuentry_id_option 'gnulinux-advanced-$U' {"
	entry 'Debian GNU/Linux, with Linux 6.1.0-cloud' "gnulinux-6.1.0-cloud-advanced-$U" "$KX_OPTS test.fmt=grub-saved"
	entry 'Debian GNU/Linux, with Linux 6.1.0-cloud (recovery mode)' "gnulinux-6.1.0-cloud-recovery-$U" "$KX_OPTS single test.fmt=grub-recovery"
	echo "}"
} > "$W/cfg/boot/grub/grub.cfg"
saved="gnulinux-advanced-$U>gnulinux-6.1.0-cloud-advanced-$U"
if command -v grub-editenv >/dev/null; then
	grub-editenv "$W/cfg/boot/grub/grubenv" create
	grub-editenv "$W/cfg/boot/grub/grubenv" set "saved_entry=$saved"
else
	{ echo "# GRUB Environment Block"; echo "saved_entry=$saved"; } > "$W/cfg/boot/grub/grubenv"
fi
mkdisk_ext4 "$W/cfg.img" "$W/cfg" 16 grubcfg
rm -f "$W/kern.img"; truncate -s 48M "$W/kern.img"
mkfs.ext4 -q -F -U "$U" -d "$W/kern" "$W/kern.img"

vm_boot g1 --initrd "$W/ferry.img" --disk "$W/cfg.img" --disk "$W/kern.img" --append "ferry.boot=kexec" --timeout 180
expect g1 'ferry: kexec: /dev/vda: /boot/grub/grub.cfg: 3 entries' "grub.cfg found, submenu entries counted"
expect g1 'entry 1 \(default\) .*id=gnulinux-6.1.0-cloud-advanced' "saved_entry from grubenv picks the submenu entry"
expect g1 'loading /run/ferry/kexec/[0-9]+/vmlinuz-6.1.0-cloud' "the kernel read from the disk search --fs-uuid named"
expect g1 "^KEXEC-CMDLINE root=UUID=$U ro console=ttyS0 panic=-1 test.fmt=grub-saved\$" "the linux line's arguments"

vm_boot g2 --initrd "$W/ferry.img" --disk "$W/cfg.img" --disk "$W/kern.img" \
	--append "ferry.boot=kexec ferry.kexec.device=LABEL=grubcfg ferry.kexec.entry=\"Debian GNU/Linux\"" --timeout 180
expect g2 '^KEXEC-CMDLINE .*test.fmt=grub-simple$' "ferry.kexec.entry=<title>"
