# early names each failed mount with its own errno.
# /proc a dangling symlink (ENOENT), /run a file (ENOTDIR): two mounts, two errnos
: > "$W/runfile"
printf 'slink /proc /nonexistent 0777 0 0\nfile /run %s 0644 0 0\n' "$W/runfile" > "$W/early-extra.list"
printf 'ferry.onfail = poweroff\n' > "$W/early.conf"
vm_initramfs "$W/early" --conf "$W/early.conf" --list "$W/early-extra.list" --modules ""
vm_boot early --initrd "$W/early" --timeout 60
expect early 'ferry: early: mounting /proc: No such file or directory' "the failed /proc mount names its own errno"
expect early 'ferry: early: mounting /run: Not a directory' "the failed /run mount names its own errno"
expect early 'reboot: Power down' "the policy runs"
