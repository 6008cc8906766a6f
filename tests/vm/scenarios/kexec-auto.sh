# ferry.boot=auto with root=: switch_root, no scan; with ferry.kexec.device= the named devices'
# entries first. Locked: kexec searches only the devices the config names, and an entry's command
# line is edited only by the config.
source "$TOP/tests/vm/scenarios/kexec-common.inc"
source "$TOP/tests/vm/scenarios/root-common.inc"
kx_images
kx_extlinux_disk
root_tree "$W/tree"
mkdisk_squashfs "$W/root.sqfs" "$W/tree"
D=(--disk "$W/disk.img" --disk "$W/root.sqfs")

vm_boot a1 --initrd "$W/ferry.img" "${D[@]}" --append "root=/dev/vdb ferry.kexec.device=LABEL=bootdisk" --timeout 180
expect a1 'ferry: kexec: looking for boot entries: ferry.boot=auto with root= and ferry.kexec.device=' "auto + root= + kexec.device: the named device is searched"
expect a1 '^KEXEC-CMDLINE console=ttyS0 panic=-1 test.entry=good$' "... and its entry boots"
reject a1 '^PID1 ok' "... before any switch_root" '^KEXEC-DONE'

vm_boot a2 --initrd "$W/ferry.img" "${D[@]}" --append "root=/dev/vdb" --timeout 180
expect a2 '^PID1 ok' "auto + root= alone: switch_root into the root"
reject a2 'looking for boot entries' "... and no scan for entries" '^DONE'
reject a2 '^KEXEC-CMDLINE' "... and no kexec" '^DONE'

printf 'locked\nferry.boot = kexec\nferry.kexec.device = LABEL=bootdisk\nferry.onfail = poweroff\n' > "$W/l1.conf"
vm_initramfs "$W/l1.img" --conf "$W/l1.conf"
vm_boot l1 --initrd "$W/l1.img" "${D[@]}" --append "ferry.kexec.append=init=/bin/sh ferry.kexec.remove=test.entry ferry.kexec.device=/dev/vdb" --timeout 180
expect l1 'ferry\.kexec\.append=init=/bin/sh on the command line ignored' "locked: kexec.append is ignored and logged"
expect l1 '^KEXEC-CMDLINE console=ttyS0 panic=-1 test.entry=good$' "locked: the entry's command line is as the config says"
reject l1 '/dev/vdb: ' "locked: the command line's device is not searched" '^KEXEC-DONE'

printf 'locked\nferry.boot = kexec\nroot = /dev/vdb\nferry.onfail = poweroff\n' > "$W/l2.conf"
vm_initramfs "$W/l2.img" --conf "$W/l2.conf"
vm_boot l2 --initrd "$W/l2.img" "${D[@]}" --append "ferry.kexec.device=LABEL=bootdisk" --timeout 180
expect l2 'ferry\.kexec\.device=LABEL=bootdisk on the command line ignored' "locked: kexec.device from the command line is ignored"
reject l2 '^KEXEC-CMDLINE' "locked, no device in the config: no disk is searched, no kexec" '^DONE'
expect l2 '^PID1 ok' "... the configured root boots"
