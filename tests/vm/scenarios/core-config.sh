# Foundation: a broken config names file:line and runs the policy; ferry.onfail=reboot and
# =poweroff do what they say; a locked config ignores ferry.onfail=shell from the command line.
cat > "$W/target" <<'T'
#!/bin/sh
echo "TARGET REACHED" > /dev/ttyS1
poweroff -f
T
printf '# a comment\nrootinit = /sbin/init\nbogus.key = 1\nferry.onfail = poweroff\n' > "$W/bad.conf"
vm_initramfs "$W/bad" --init "$W/target" --conf "$W/bad.conf" --modules ""
vm_boot bad --initrd "$W/bad" --timeout 60
expect bad '/etc/ferry.conf:3: unknown key "bogus.key"' "a bad key is reported as file:line"
expect bad 'powering off \(ferry.onfail=poweroff\)' "the policy from the file runs"
expect bad 'reboot: Power down' "the kernel powers off"
reject bad 'TARGET REACHED' "a broken config stops the boot" 'ferry: policy:'
check '! vm_timedout bad' "the VM ended by itself (no hang)"

vm_boot reboot --initrd "$W/bad" --append "ferry.onfail=reboot:1" --timeout 60
expect reboot 'rebooting in 1 s \(ferry.onfail=reboot\)' "ferry.onfail=reboot:1 from the command line overrides the file"
expect reboot 'reboot: Restarting system' "the kernel reboots"

printf 'locked\nferry.onfail = poweroff\nthis line is broken\n' > "$W/locked.conf"
vm_initramfs "$W/locked" --init "$W/target" --conf "$W/locked.conf" --modules ""
vm_boot locked --initrd "$W/locked" --append "ferry.onfail=shell" --timeout 60
expect locked 'ferry.onfail=shell on the command line ignored: /etc/ferry.conf is locked' "locked: the command line cannot enable a shell"
expect locked '/etc/ferry.conf:3: expected key = value' "the broken line is named"
expect locked 'reboot: Power down' "the file's policy (poweroff) runs"
reject locked 'starting /bin/sh' "no shell is started" 'ferry: policy:'

printf 'ferry.onfail = halt\n' > "$W/missing.conf"
vm_initramfs "$W/noinit" --conf "$W/missing.conf" --modules ""
vm_boot noinit --initrd "$W/noinit" --append "rootinit=/sbin/nothing-here" --timeout 40
expect noinit 'rootinit /sbin/nothing-here cannot run from the initramfs: No such file or directory' "a missing target init is named"
expect noinit 'boot stopped \(ferry.onfail=halt\)' "halt: ferry stays"
check 'vm_timedout noinit' "halt keeps the VM up (PID 1 did not exit: no kernel panic)"
reject noinit 'Kernel panic' "PID 1 never exits" 'boot stopped \(ferry.onfail=halt\)'

vm_boot shell --initrd "$W/bad" --append "ferry.onfail=shell" --timeout 40
expect shell 'starting /bin/sh on the console \(ferry.onfail=shell\)' "ferry.onfail=shell starts the image's shell on the console"
check 'vm_timedout shell' "the shell waits on the console (no panic, no reboot)"

# A value `ferry plan` rejects is rejected at boot, with the same message and the policy.
printf 'ferry.onfail = poweroff\n' > "$W/good.conf"
vm_initramfs "$W/good" --init "$W/target" --conf "$W/good.conf" --modules ""
vm_boot typo --initrd "$W/good" --append "ferry.boot=switchroot" --timeout 60
msg=$("$B/ferry" plan --config "$W/good.conf" --cmdline "ferry.boot=switchroot" | sed -n 's/^error: //p')
check '[ "$msg" = "command line: ferry.boot=switchroot: not one of switch_root, kexec, auto" ]' "ferry plan: the typo ferry.boot=switchroot is an error"
expect typo "ferry: config: ${msg//./\\.}" "the boot gives the plan's message"
expect typo 'reboot: Power down' "... and runs the policy"
reject typo 'TARGET REACHED' "... instead of booting" 'reboot: Power down'

# ferry.modules=off: no module is loaded, not by the job and not through the kernel's requests
# (the target, run from the initramfs, asks for vfat: the kernel calls /sbin/modprobe, which is ferry).
cat > "$W/modtarget" <<'T'
#!/bin/sh
mount -t proc proc /proc 2>/dev/null
mkdir -p /mnt; mount -t vfat /dev/null /mnt 2>/dev/null
echo "MODULES $(wc -l < /proc/modules)" > /dev/ttyS1
grep -q '^vfat ' /proc/modules && echo "VFAT loaded" > /dev/ttyS1
poweroff -f
T
vm_initramfs "$W/mods" --init "$W/modtarget" --conf "$W/good.conf" --modules "vfat"
vm_boot modon --initrd "$W/mods" --timeout 60
expect modon '^VFAT loaded' "modules on: the kernel's request for vfat loads it"
vm_boot modoff --initrd "$W/mods" --append "ferry.modules=off" --timeout 60
expect modoff 'modules: off \(ferry.modules=off\)' "ferry.modules=off is logged"
expect modoff '^MODULES 0$' "ferry.modules=off: no module at all"
reject modoff '^VFAT' "... not even on the kernel's request" '^MODULES'
