# ferry.watchdog= with the kernel's softdog (loaded by a two-line rdinit= wrapper through ferry's
# modprobe before ferry starts; a board's driver would be built in or come by coldplug). QEMU runs
# with -no-reboot, so a watchdog reset ends the VM: halt -> the board resets; a boot that waits
# longer than the timeout is kept alive by the keepalives; at the handoff the watchdog stays armed
# (the target without a daemon is reset) unless ferry.watchdog.handoff=stop.
source "$TOP/tests/vm/scenarios/root-common.inc"
if ! modinfo -k "$(vm_cloud_release)" softdog >/dev/null 2>&1; then skip "the cloud kernel has no softdog module"; return 0; fi
root_images
printf '#!/bin/sh\n/sbin/modprobe softdog\nexec /init "$@"\n' > "$W/wdinit"
cat > "$W/sleeper" <<'T'
#!/bin/sh
echo "TARGET up" > /dev/ttyS1
sleep 20
echo "ALIVE after 20 s" > /dev/ttyS1
poweroff -f
T
printf 'file /wdinit %s 0755 0 0\n' "$W/wdinit" > "$W/wd.list"
vm_initramfs "$W/initrd" --init "$W/sleeper" --list "$W/wd.list"
A="rdinit=/wdinit ferry.watchdog=6"

vm_boot halt --initrd "$W/initrd" --append "$A rootinit=/sbin/nothing-here ferry.onfail=halt" --timeout 120
expect halt 'ferry: watchdog: /dev/watchdog armed: 6 s' "the watchdog is armed at early"
expect halt 'boot stopped \(ferry.onfail=halt\)' "the boot stops in the halt policy"
expect halt 'ferry: watchdog: no more keepalives' "the keepalives stop"
expect halt 'softdog: Initiating system reboot' "the watchdog resets the board"
check '! vm_timedout halt' "the VM ended by the reset, within the timeout"

vm_boot pet --initrd "$W/initrd" --disk "$W/lower.sqfs" \
	--append "$A root=/dev/vda rootdelay=15 ferry.watchdog.handoff=stop" --timeout 180
expect pet 'rootdelay=15' "the boot waits 15 s, longer than the 6 s timeout"
expect pet '^DONE' "the keepalives kept the board up until the target ran"
reject pet 'softdog: Initiating system reboot' "no reset while the boot made progress" '^DONE'

vm_boot stop --initrd "$W/initrd" --append "$A ferry.watchdog.handoff=stop" --timeout 120
expect stop 'stopped at the handoff \(ferry.watchdog.handoff=stop\)' "handoff=stop: the magic close"
expect stop '^ALIVE after 20 s' "the target runs past the timeout without a daemon"
reject stop 'softdog: Initiating system reboot' "no reset after the magic close" '^ALIVE'

vm_boot armed --initrd "$W/initrd" --append "$A" --timeout 120
expect armed 'left armed for the target \(6 s\)' "default: the watchdog is left armed at the handoff"
expect armed '^TARGET up' "the target runs"
expect armed 'softdog: Initiating system reboot' "with no daemon of its own, the target is reset"
reject armed '^ALIVE' "the reset comes before the target's 20 s" 'softdog: Initiating system reboot'
