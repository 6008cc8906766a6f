# core-pid1's checks on aarch64 (QEMU virt, Debian's cloud-arm64 kernel, cortex-a53 as on i.MX8):
# ferry as PID 1 with no configuration; virtio_pci and virtio_blk by coldplug, fs-squashfs served as
# modprobe, kmsg, the timeline.
vm_arch aarch64 || return 0
source "$TOP/tests/vm/scenarios/core-pid1.sh"
