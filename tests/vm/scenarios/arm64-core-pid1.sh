# core-pid1's checks on aarch64 (Debian's linux-image-cloud-arm64, QEMU virt, cortex-a53 (i.MX8's core)): ferry as PID 1
# with no configuration; virtio_pci and virtio_blk by coldplug, fs-squashfs served as modprobe, its
# lines in kmsg, the timeline.
vm_arch aarch64 || return 0
source "$TOP/tests/vm/scenarios/core-pid1.sh"
