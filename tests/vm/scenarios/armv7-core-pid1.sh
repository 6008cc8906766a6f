# core-pid1's checks on armv7 (QEMU virt, Debian's armmp kernel, cortex-a7 as on i.MX7): ferry as
# PID 1 with no configuration; virtio_pci and virtio_blk by coldplug, fs-squashfs served as
# modprobe, kmsg, the timeline.
vm_arch armv7 || return 0
source "$TOP/tests/vm/scenarios/core-pid1.sh"
