#!/usr/bin/env bash
# make run: boot the demo in QEMU — Debian's cloud kernel, ferry in the initramfs, a squashfs
# read-only root with an ext4 read-write upper (overlayfs) — and print ferry's boot timeline.
set -eu
B=$(cd "${1:-build}" && pwd)
TOP=$(cd "$(dirname "$0")/../.." && pwd)
W=$B/demo
rm -rf "$W"; mkdir -p "$W"
export B TOP W
source "$TOP/tests/vm/lib.sh"

# The target system: busybox and an init that shows the timeline ferry left in /run/ferry.
root=$W/rootfs
mkdir -p "$root"/{bin,sbin,etc,proc,sys,dev,run,tmp,media/rfs/ro,media/rfs/rw}
cp /bin/busybox "$root/bin/busybox"
for a in sh cat echo mount awk poweroff sleep ls uname; do ln -sf busybox "$root/bin/$a"; done
cat > "$root/sbin/init" <<'T'
#!/bin/sh
echo
echo "demo: the target's init is running as PID $$ on $(uname -r)"
echo "demo: / is $(awk '$2 == "/" { print $3 " (" $1 ")" }' /proc/mounts)"
echo "demo: ferry's boot timeline (/run/ferry/timeline, ms since the kernel started):"
awk '$1 == "ferry" { t0 = $2; printf "  %-10s %8s %8s %8s\n", "stage", "start", "end", "took"; next }
     $1 == "mark" { printf "  %-10s %8d\n", $2, $3; next }
     $1 == "mem" { mem = sprintf("demo: ferry'"'"'s peak resident size (VmHWM) at the handoff: %d KiB", $2); next }
     $1 == "cpu" { cpu = sprintf("demo: ferry'"'"'s own CPU time: %d ms user, %d ms system (module init and mounts included)", $2, $3); next }
     NF == 3 { printf "  %-10s %8d %8d %8d\n", $1, $2, $3, $3 - $2 }
     END { if (cpu) print cpu; if (mem) print mem }' /run/ferry/timeline
echo "demo: boots of this disk so far: $(cat /var/boots 2>/dev/null || echo 0)"
echo $(( $(cat /var/boots 2>/dev/null || echo 0) + 1 )) > /var/boots
echo "demo: done, powering off"
poweroff -f
T
chmod 755 "$root/sbin/init"
mkdir -p "$root/var"
mkdisk_squashfs "$W/lower.img" "$root"
mkdir -p "$W/rw"
mkdisk_ext4 "$W/upper.img" "$W/rw" 32 demo-rw
vm_initramfs "$W/initrd" --no-busybox
echo "demo: booting $(vm_kernel cloud) with ferry ($(stat -c %s "$B/ferry") bytes) under QEMU (TCG)"
kernel=$(vm_kernel cloud)
timeout --foreground -k 5 120 qemu-system-x86_64 -machine pc -m 512 -smp 1 -display none -no-reboot \
	-nic none -serial stdio -kernel "$kernel" -initrd "$W/initrd" \
	-append "$VM_BASE_APPEND quiet root=/dev/vda rootfstype=squashfs rootrw=LABEL=demo-rw" \
	-drive "file=$W/lower.img,format=raw,if=virtio,readonly=on" -drive "file=$W/upper.img,format=raw,if=virtio" \
	< /dev/null | tr -d '\r' | sed -e 's/\x1b\[[0-9;?]*[a-zA-Z]//g' -e 's/\x1bc//g'
