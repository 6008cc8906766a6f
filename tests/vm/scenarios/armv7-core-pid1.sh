# core-pid1's checks on armv7 (Debian's armmp kernel, QEMU virt, cortex-a7 (i.MX7's core)): ferry as PID 1
# with no configuration; virtio_pci and virtio_blk by coldplug, fs-squashfs served as modprobe, its
# lines in kmsg, the timeline.
vm_arch armv7 || return 0
source "$TOP/tests/vm/scenarios/core-pid1.sh"
