# A locked config with an empty allow-list: whoever edits the command line gets nothing. Booted
# with every word that would give a shell, another root, a reset or an edited kexec entry, the
# machine boots exactly the configured root and init, and each ignored word is logged. Then an
# allowed key is honoured, and the allow-list's own errors stop the boot.
source "$TOP/tests/vm/scenarios/root-common.inc"
root_images
# the configured rw layer already holds the target's data: an honoured rootrwreset=yes would empty it
mkdir -p "$W/rwtree/upperdir/var/lib/t"
echo data > "$W/rwtree/upperdir/var/lib/t/file"
mkdisk_ext4 "$W/rw.img" "$W/rwtree" 32 rwdata
# the root an attacker names on the command line
mkdir -p "$W/evil/sbin"
cp -a "$W/tree/." "$W/evil/"
printf '#!/bin/sh\necho "EVIL ROOT" > /dev/ttyS1\npoweroff -f\n' > "$W/evil/sbin/init"
chmod 755 "$W/evil/sbin/init"
mkdisk_squashfs "$W/evil.sqfs" "$W/evil"

printf 'locked\nroot = /dev/vda\nrootrw = LABEL=rwdata\nrootinit = /sbin/init\nferry.onfail = poweroff\n' > "$W/locked.conf"
vm_initramfs "$W/locked" --conf "$W/locked.conf"
words='init=/bin/sh rootinit=/bin/sh preinit=/bin/sh root=/dev/vdb rootrwreset=yes ferry.kexec.append=init=/bin/sh ferry.onfail=shell'
vm_boot a --initrd "$W/locked" --disk "$W/lower.sqfs" --disk "$W/evil.sqfs" --disk "$W/rw.img" --append "$words" --timeout 120
for w in $words; do
	expect a "ferry: config: ${w//./\\.} on the command line ignored: /etc/ferry\\.conf is locked" "locked: $w is ignored and logged"
done
expect a '^PID1 ok' "the configured target runs as PID 1"
expect a '^INIT /sbin/init$' "... its init is the configured /sbin/init"
expect a '^RO squashfs /dev/vda ' "... on the configured root (/dev/vda)"
expect a '^RW ext4 /dev/vdc ' "... with the configured rw layer"
expect a '^FILE present' "rootrwreset=yes did not empty the rw layer"
reject a 'EVIL ROOT' "root=/dev/vdb is not booted" '^DONE'
reject a 'factory reset' "no factory reset" '^DONE'
reject a 'ferry: root: preinit|^PREINIT' "no preinit runs" '^DONE'
reject a 'starting /bin/sh' "no shell is started" '^DONE'
expect a '^DONE' "the target ran to its end"

# locked.allow names what the command line may still set: here ferry.debug, and nothing else
printf 'locked\nlocked.allow = ferry.debug\nroot = /dev/vda\nferry.onfail = poweroff\n' > "$W/allow.conf"
vm_initramfs "$W/allow" --conf "$W/allow.conf"
vm_boot b --initrd "$W/allow" --disk "$W/lower.sqfs" --disk "$W/evil.sqfs" --append "ferry.debug root=/dev/vdb" --timeout 120
expect b 'ferry: config: root=/dev/vdb on the command line ignored' "locked.allow: root= is still ignored"
reject b 'ferry\.debug on the command line ignored' "locked.allow: the allowed key is not ignored" 'root=/dev/vdb on the command line ignored'
expect b 'ferry: config: [0-9]+ settings, locked' "... and honoured (a debug line)"
expect b '^RO squashfs /dev/vda ' "the configured root"
reject b 'EVIL ROOT' "root=/dev/vdb is not booted" '^DONE'

printf 'locked\nlocked.allow = root nosuchkey\nroot = /dev/vda\nferry.onfail = poweroff\n' > "$W/badallow.conf"
vm_initramfs "$W/badallow" --conf "$W/badallow.conf" --modules ""
vm_boot c --initrd "$W/badallow" --timeout 60
expect c '/etc/ferry\.conf:2: locked\.allow: "nosuchkey" is not a key the command line can set' "a bad allow-list names file:line"
expect c 'reboot: Power down' "... and the file's policy runs"
reject c '^PID1 ok' "... and nothing boots" 'reboot: Power down'
