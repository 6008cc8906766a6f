# PID 1 once the boot has stopped in the failure policy: SIGTERM reboots, SIGUSR2 powers off
# (what busybox's reboot/poweroff send), as busybox init does.
cat > "$W/trigger" <<'T'
#!/bin/sh
# ferry.shell: what a user at the policy's shell would type
echo "SHELL $1" > /dev/ttyS1
sig=$(cat /proc/cmdline | tr ' ' '\n' | sed -n 's/^test.sig=//p')
kill -"$sig" 1
sleep 30
echo "STILL HERE" > /dev/ttyS1
T
printf 'file /bin/trigger %s 0755 0 0\n' "$W/trigger" > "$W/extra.list"
printf 'ferry.onfail = shell\nferry.shell = /bin/trigger\n' > "$W/shell.conf"
vm_initramfs "$W/initrd" --conf "$W/shell.conf" --list "$W/extra.list" --modules ""
A="rootinit=/sbin/nothing-here"

vm_boot term --initrd "$W/initrd" --append "$A test.sig=TERM" --timeout 60
expect term 'starting /bin/trigger on the console \(ferry.onfail=shell\)' "the boot stopped in the shell policy"
expect term 'ferry: policy: .* received while the boot is stopped: rebooting' "kill -TERM 1 from the shell: ferry reboots"
expect term 'reboot: Restarting system' "the kernel restarts"
check '! vm_timedout term' "the VM ended by itself"
reject term 'STILL HERE' "the shell was killed before the reboot" 'reboot: Restarting system'

vm_boot usr2 --initrd "$W/initrd" --append "$A test.sig=USR2" --timeout 60
expect usr2 'received while the boot is stopped: powering off' "kill -USR2 1: ferry powers off"
expect usr2 'reboot: Power down' "the kernel powers off"

