# The disk is found at once (a path, read from sysfs) but answers reads at 4 KiB/s (QEMU's
# throttling: a dying USB stick, a failing eMMC): the filesystem-type probes that follow the waits
# run in a bounded child (probe_async), so PID 1's loop goes on petting the watchdog (softdog,
# 10 s; a loop held by a probe would send no keepalive and the board would reset). Each probe ends
# at the stage's bound (ferry.timeout=) naming the device, then the stage's own failure policy:
#   rwkx:  rootrw= on the slow disk: its safe probe times out, the rw layer falls back to a tmpfs;
#          then kexec discovery (ferry.boot=kexec) probes every disk: the slow one is skipped at
#          the deadline, no entry boots, and the fallback switch_roots into root=.
#   crypt: a volume mapped on the slow disk: the wrong-key check's probe of /dev/mapper/data times
#          out, the crypt job fails by name, ferry.onfail=poweroff.
#   verity: the hash device on a disk slower still (256 bytes/s): the read of its superblock times
#          out, the root job fails by name, ferry.onfail=poweroff.
source "$TOP/tests/vm/scenarios/root-verity.inc"
if ! modinfo -k "$(vm_cloud_release)" softdog >/dev/null 2>&1; then skip "the cloud kernel has no softdog module"; return 0; fi
printf '#!/bin/sh\n/sbin/modprobe softdog\nexec /init "$@"\n' > "$W/wdinit"
printf 'file /wdinit %s 0755 0 0\n' "$W/wdinit" > "$W/wd.list"
vm_initramfs "$W/initrd" --list "$W/wd.list"
# zeros: no 4 KiB sniff recognises them, so every probe is libblkid's, reading all over the disk
truncate -s 32M "$W/slow.img"
slow="-drive file=$W/slow.img,format=raw,if=virtio,throttling.bps-read=4096"
root_tree "$W/tree"
mkdisk_squashfs "$W/root.sqfs" "$W/tree"

vm_boot rwkx --initrd "$W/initrd" --disk "$W/root.sqfs" --qemu "$slow" \
	--append "rdinit=/wdinit ferry.watchdog=10 root=/dev/vda rootrw=/dev/vdb ferry.boot=kexec ferry.timeout=12 ferry.onfail=poweroff" \
	--timeout 240
expect rwkx 'ferry: watchdog: /dev/watchdog armed: 10 s' "the watchdog is armed"
expect rwkx 'ferry: root: probing /dev/vdb took longer than 12 s' "the rw device's safe probe ends at the bound, by name"
expect rwkx 'the rw layer is a TMPFS for this boot' "... then the rw failure policy: a tmpfs"
expect rwkx 'ferry: kexec: probing /dev/vdb took longer than [0-9]+ s: skipped' "kexec discovery skips the slow disk at its deadline, by name"
expect rwkx '^RW tmpfs' "no entry: the fallback switch_roots into root= with the tmpfs rw"
expect rwkx '^DONE' "the target ran to the end"
reject rwkx 'softdog: Initiating system reboot' "no watchdog reset: the loop kept running while the disk was probed" '^DONE'

head -c 64 /dev/urandom > "$W/data.key"
{ cat "$W/wd.list"; echo "dir /etc/keys 0700 0 0"; echo "file /etc/keys/data.key $W/data.key 0400 0 0"; } > "$W/crypt.list"
vm_initramfs "$W/crypt.img" --list "$W/crypt.list"
vm_boot crypt --initrd "$W/crypt.img" --qemu "$slow" \
	--append "rdinit=/wdinit ferry.watchdog=10 ferry.crypt=data,/dev/vda,keyfile:/etc/keys/data.key ferry.timeout=12 ferry.onfail=poweroff" \
	--timeout 240
expect crypt 'ferry: crypt: data: /dev/vda mapped' "the volume is mapped on the slow disk"
expect crypt 'ferry: crypt: data: probing /dev/mapper/data took longer than 12 s' "the wrong-key check's probe ends at the bound, by name"
expect crypt 'reboot: Power down' "then the policy"
reject crypt 'softdog: Initiating system reboot' "no watchdog reset while the volume was probed" 'reboot: Power down'

if ! why=$(verity_have); then skip "$why"; return 0; fi
verity_images
vm_boot verity --initrd "$W/initrd" --disk "$W/lower.sqfs" \
	--qemu "-drive file=$W/hash.img,format=raw,if=virtio,throttling.bps-read=256" \
	--append "rdinit=/wdinit ferry.watchdog=10 root=/dev/vda systemd.verity_root_hash=/dev/vdb roothash=$VROOT ferry.timeout=12 ferry.onfail=poweroff" \
	--timeout 240
expect verity 'ferry: root: verity: reading the superblock of /dev/vdb took longer than 12 s' "the hash device's superblock read ends at the bound, by name"
expect verity 'reboot: Power down' "then the policy"
reject verity 'softdog: Initiating system reboot' "no watchdog reset while the hash device was read" 'reboot: Power down'
