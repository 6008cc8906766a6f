# A disk that answers reads at 16 KiB/s (QEMU's throttling: a dying USB stick, a failing eMMC)
# while ferry looks for root=LABEL=: the libblkid probe of that disk runs in a child, so PID 1's
# loop goes on. The proof is the watchdog (softdog, 10 s): a loop held by the probe would send no
# keepalive and the board would reset; instead the wait ends at its own bound and the policy runs.
source "$TOP/tests/vm/scenarios/root-common.inc"
if ! modinfo -k "$(vm_cloud_release)" softdog >/dev/null 2>&1; then skip "the cloud kernel has no softdog module"; return 0; fi
printf '#!/bin/sh\n/sbin/modprobe softdog\nexec /init "$@"\n' > "$W/wdinit"
printf 'file /wdinit %s 0755 0 0\n' "$W/wdinit" > "$W/wd.list"
vm_initramfs "$W/initrd" --list "$W/wd.list"
truncate -s 64M "$W/slow.img"
vm_boot slow --initrd "$W/initrd" \
	--qemu "-drive file=$W/slow.img,format=raw,if=virtio,throttling.bps-read=16384" \
	--append "rdinit=/wdinit ferry.watchdog=10 root=LABEL=nowhere ferry.timeout=30 ferry.onfail=poweroff" \
	--timeout 240
expect slow 'ferry: watchdog: /dev/watchdog armed: 10 s' "the watchdog is armed"
expect slow 'root device LABEL=nowhere not found within 30 s' "the wait ends at its bound, the slow probe still out"
expect slow 'reboot: Power down' "then the policy"
reject slow 'softdog: Initiating system reboot' "no watchdog reset: the loop kept running while the disk was probed" 'not found within 30 s'
