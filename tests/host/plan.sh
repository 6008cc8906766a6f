#!/usr/bin/env bash
# `ferry plan` on the host: the same parsing code as the boot, fed bad input of every kind.
# Each case must give a clear message and exit 1 (errors) or 0 — never a crash or a hang.
set -u
# shellcheck source=tests/host/plan.inc
source "$(dirname "$0")/plan.inc"

plan "empty command line, no config" 0 '^0 errors' --cmdline ""
plan "a good command line" 0 'root += /dev/vda' --cmdline 'console=ttyS0 root=/dev/vda ferry.onfail=reboot:3'
plan "the policy is shown" 0 '^on failure: reboot after 3 s' --cmdline 'ferry.onfail=reboot:3'
plan "a bad policy is an error naming the value" 1 'command line: ferry.onfail=sometimes: expected shell' --cmdline 'ferry.onfail=sometimes'
printf 'root = /dev/a\nbogus = 1\nroot = /dev/b\nrootwait = yes please\n"unterminated\n' > "$T/bad.conf"
plan "unknown key: file:line" 1 "bad.conf:2: unknown key \"bogus\"" --config "$T/bad.conf"
plan "repeated key: file:line and the first line" 1 'bad.conf:3: root is set again \(first at line 1\)' --config "$T/bad.conf"
plan "garbage line: file:line" 1 'bad.conf:5: ' --config "$T/bad.conf"
plan "a missing config is no error" 0 '^0 errors' --config "$T/does-not-exist"
mkdir "$T/dir.conf"
plan "a config that is a directory" 1 'dir.conf: cannot read: Is a directory' --config "$T/dir.conf"
head -c 70000 /dev/urandom > "$T/random.conf"
plan "random bytes as config" 1 'random.conf' --config "$T/random.conf"
head -c 60000 /dev/zero | tr '\0' 'x' > "$T/long.conf"
plan "a 60000-character line" 1 'long.conf:1: line longer than 1023 characters' --config "$T/long.conf"
big=$(head -c 65536 /dev/zero | tr '\0' 'a' | sed 's/a\{64\}/root=\/dev\/vda rootwait "quoted word" rootfstype=ext4 xx=y /g' | head -c 65000)
plan "a 64 KiB command line, keys repeated: the last wins" 0 '^0 errors' --cmdline "$big root=/dev/last"
plan "... and the last occurrence is the one used" 0 'root += /dev/last' --cmdline "$big root=/dev/last"
big=$(head -c 65536 /dev/zero | tr '\0' 'a' | sed 's/a\{16\}/ip=eth0:dhcp xy /g' | head -c 65536)
plan "a 64 KiB command line of 4000 repeatable ip= words: one clear error" 1 'command line: more than 512 settings; the rest are ignored' --cmdline "$big"
plan "unknown command-line words are ignored" 0 '^0 errors' --cmdline 'foo=bar quiet splash nosuchkey=1'
plan "repeated command-line keys: the last wins" 0 'root += /dev/vdc' --cmdline 'root=/dev/vda root=/dev/vdb root=/dev/vdc'
printf 'locked\nferry.onfail = poweroff\n' > "$T/locked.conf"
plan "locked: ferry.onfail=shell from the command line is ignored" 0 'ferry.onfail=shell on the command line ignored: .*locked.conf is locked' --config "$T/locked.conf" --cmdline 'ferry.onfail=shell'
plan "locked: the file's policy stays" 0 '^on failure: poweroff' --config "$T/locked.conf" --cmdline 'ferry.onfail=shell'
# One typed plan: what it rejects, the boot rejects with the same message (tests/vm core-config).
printf 'rootinit = /sbin/init\nferry.boot = switchroot\n' > "$T/typo.conf"
plan "the typo ferry.boot=switchroot: an error with file:line" 1 "^error: $T/typo.conf:2: ferry.boot=switchroot: not one of switch_root, kexec, auto\$" --config "$T/typo.conf"
plan "... and on the command line" 1 '^error: command line: ferry.boot=switchroot: not one of switch_root, kexec, auto$' --cmdline 'ferry.boot=switchroot'
plan "ferry.watchdog= in the plan" 0 '^watchdog: /dev/watchdog1, 30 s timeout, .* stopped \(magic close\)$' --cmdline 'ferry.watchdog=30,/dev/watchdog1 ferry.watchdog.handoff=stop'
plan "a bad ferry.watchdog= is the plan's error" 1 '^error: command line: ferry.watchdog=0: expected SECONDS' --cmdline 'ferry.watchdog=0'
plan "ferry.preinit.timeout= in the plan" 0 '^root: preinit /sbin/pre runs before the handoff, killed after 5 s' --cmdline 'root=/dev/vda preinit=/sbin/pre ferry.preinit.timeout=5'
plan "ferry.preinit.timeout=0 is refused" 1 '^error: command line: ferry.preinit.timeout=0: expected a whole number from 1 to 86400' --cmdline 'ferry.preinit.timeout=0'
plan "ferry.modules=off: the plan says no module loads anywhere" 0 'OFF \(ferry.modules=off\): nothing loads a module' --cmdline 'ferry.modules=off'
plan "ferry.modules=of (a typo) is an error" 1 'ferry.modules=of: not one of on, off' --cmdline 'ferry.modules=of'
plan "ferry.modules=settle: the plan says crypt and root wait for the modules job" 0 'wait until the modules job has settled \(ferry.modules=settle\)' --cmdline 'ferry.modules=settle'
plan "auto with root=: no kexec" 0 '^kexec: off: ferry.boot=auto with root=' --cmdline 'root=/dev/vda'
plan "auto with root= and ferry.kexec.device=: those devices, then switch_root" 0 '^kexec: ferry.boot=auto with root= and ferry.kexec.device=: those devices first, then switch_root' --cmdline 'root=/dev/vda ferry.kexec.device=LABEL=boot'
plan "... the device is named" 0 '^kexec: device LABEL=boot, mounted read-only' --cmdline 'root=/dev/vda ferry.kexec.device=LABEL=boot'
plan "ferry.kexec.device=LABEL= is an error" 1 'command line: ferry.kexec.device=LABEL=: not a device' --cmdline 'ferry.kexec.device=LABEL='
plan "a bad root parameter is an error of the plan" 1 '^error: command line: rootrwupperdir=a/../b: a directory below the rw mount' --cmdline 'root=/dev/vda rootrwupperdir=a/../b'
plan "the job table names only jobs" 0 '^0 errors' --cmdline ''
printf 'locked\nroot = /dev/vda\nrootinit = /sbin/init\nferry.onfail = poweroff\n' > "$T/lock0.conf"
words='init=/bin/sh rootinit=/bin/sh preinit=/bin/sh root=/dev/vdb rootrw=LABEL=usb rootrwreset=yes ip=dhcp rootwait ferry.kexec.append=init=/bin/sh ferry.kexec.device=LABEL=usb ferry.onfail=shell ferry.nosuch=1'
for w in $words; do
	plan "locked, empty allow-list: $w is ignored and listed" 0 "^config: ${w//./\\.} on the command line ignored: $T/lock0.conf is locked\$" --config "$T/lock0.conf" --cmdline "console=ttyS0 $words"
done
plan "locked: the configured root" 0 'root: lower  /dev/vda,' --config "$T/lock0.conf" --cmdline "$words"
plan "locked: the configured init" 0 'exec /sbin/init$' --config "$T/lock0.conf" --cmdline "$words"
plan "locked: no command-line setting in the plan" 0 '^0 errors' --config "$T/lock0.conf" --cmdline "$words"
if grep -q '(command line)' "$T/out" || grep -q 'preinit' <(grep -v 'ignored' "$T/out"); then bad "locked: a command-line word reached the plan"; else ok "locked: nothing from the command line reached the plan"; fi
plan "locked: the kernel's own words are not listed" 0 '^0 errors' --config "$T/lock0.conf" --cmdline "console=ttyS0 quiet"
if grep -q 'console=ttyS0 on the command line' "$T/out"; then bad "locked: console= was listed"; else ok "locked: console= is the kernel's, not listed"; fi
printf 'locked\nlocked.allow = ferry.debug rootrwreset\nroot = /dev/vda\n' > "$T/lock1.conf"
plan "locked.allow: the allowed key is honoured" 0 'factory reset at this boot \(rootrwreset=yes\)' --config "$T/lock1.conf" --cmdline 'rootrwreset=yes root=/dev/vdb'
plan "locked.allow: the plan lists what may be set" 0 '^config:   rootrwreset \(locked.allow\)' --config "$T/lock1.conf" --cmdline 'rootrwreset=yes root=/dev/vdb'
plan "locked.allow: another key is still ignored" 0 'root=/dev/vdb on the command line ignored' --config "$T/lock1.conf" --cmdline 'rootrwreset=yes root=/dev/vdb'
printf 'locked\nlocked.allow = root bogus\n' > "$T/lock2.conf"
plan "locked.allow naming no key: file:line" 1 "lock2.conf:2: locked.allow: \"bogus\" is not a key" --config "$T/lock2.conf"
printf 'locked\nferry.boot = kexec\n' > "$T/lock3.conf"
plan "locked kexec without devices in the config: no scan of every disk" 0 '^kexec: off: locked and no ferry.kexec.device= in the config' --config "$T/lock3.conf" --cmdline 'ferry.kexec.device=LABEL=usb'
# measured boot: what goes into which PCR, per entry of a directory; off; locked keeps it on
mkdir -p "$T/mb/boot/extlinux"
printf 'default a\nlabel a\n\tlinux /boot/vmlinuz\n\tinitrd /boot/i1,/boot/i2\n\tappend quiet root=/dev/vda\n' \
	> "$T/mb/boot/extlinux/extlinux.conf"
plan "measured boot: the PCRs and the banks" 0 '^measure: before each kexec, in every active bank .*PCR 9 <- the kernel file as read, then each initrd in order; PCR 8 <- the command line' --cmdline 'ferry.boot=kexec'
plan "measured boot: the entry's files into PCR 9, its command line into PCR 8" 0 '^measure: entry 0: PCR 9 <- /boot/vmlinuz, /boot/i1, /boot/i2; PCR 8 <- "quiet root=/dev/vda"$' --cmdline "ferry.boot=kexec ferry.kexec.device=$T/mb"
plan "ferry.measure=off" 0 '^measure: off' --cmdline 'ferry.boot=kexec ferry.measure=off'
plan "ferry.measure=bogus is an error" 1 'command line: ferry.measure=bogus: not one of on, off, required' --cmdline 'ferry.measure=bogus'
printf 'locked\nferry.boot = kexec\nferry.kexec.device = LABEL=boot\n' > "$T/lock4.conf"
plan "locked: the command line cannot turn measuring off" 0 '^measure: before each kexec' --config "$T/lock4.conf" --cmdline 'ferry.measure=off'
timeout 5 "$F" > "$T/out" 2>&1; rc=$?
if [ $rc = 2 ] && grep -q usage "$T/out"; then ok "not PID 1 and no mode: usage, exit 2"; else bad "not PID 1: exit $rc"; fi
echo "plan: $pass passed, $fail failed"
[ $fail = 0 ]
