# From ferry, kexec through RHEL 8 style BLS entries (/boot as a partition of its own): the options
# line is "$kernelopts $tuned_params" and the initrd line "/initrd.img $tuned_initrd", expanded from
# a grubenv written by the real grub-editenv, as Fedora's blscfg does: the second initrd (tuned's)
# must arrive, and the command line must be grubenv's.
source "$TOP/tests/vm/scenarios/kexec-common.inc"
command -v grub-editenv >/dev/null || { skip "grub-editenv missing (apt install grub-common)"; return 0; }
kx_images
mkdir -p "$W/disk/loader/entries" "$W/disk/grub2"
cp "$KX_KERNEL" "$W/disk/vmlinuz-4.18.0-513.el8.x86_64"
cp "$W/target.img" "$W/disk/initramfs-4.18.0-513.el8.x86_64.img"
cp "$W/extra.img" "$W/disk/tuned-initrd.img"
cat > "$W/disk/loader/entries/0c3d2e-4.18.0-513.el8.x86_64.conf" <<'C'
title Red Hat Enterprise Linux (4.18.0-513.el8.x86_64) 8.9 (Ootpa)
version 4.18.0-513.el8.x86_64
linux /vmlinuz-4.18.0-513.el8.x86_64
initrd /initramfs-4.18.0-513.el8.x86_64.img $tuned_initrd
options $kernelopts $tuned_params
id rhel-20231106-4.18.0-513.el8.x86_64
grub_users $grub_users
grub_arg --unrestricted
grub_class kernel
C
grub-editenv "$W/disk/grub2/grubenv" create
grub-editenv "$W/disk/grub2/grubenv" set "kernelopts=$KX_OPTS test.fmt=grubenv" "tuned_params=test.tuned=1" \
	"tuned_initrd=/tuned-initrd.img"
mkdisk_ext4 "$W/disk.img" "$W/disk" 64 boot

vm_boot g1 --initrd "$W/ferry.img" --disk "$W/disk.img" --append "ferry.boot=kexec" --timeout 180
expect g1 'entry 0 \(default\) .*initrd=/initramfs-4\.18\.0-513\.el8\.x86_64\.img,/tuned-initrd\.img ' \
	"the initrd line split after expansion: two initrds"
expect g1 '^KEXEC-CMDLINE console=ttyS0 panic=-1 test.fmt=grubenv test.tuned=1$' "options from grubenv's \$kernelopts \$tuned_params"
expect g1 '^KEXEC-EXTRA second-initrd' "\$tuned_initrd's initrd arrived"
