# root-overlay's checks on aarch64 (QEMU virt, Debian's cloud-arm64 kernel, cortex-a53 as on i.MX8)
# with meta-readonly-rootfs-overlay's parameters: squashfs lower, ext4 rw found by LABEL, a file
# that persists across boots, rootrwreset=yes and the marker file.
vm_arch aarch64 || return 0
ROOT_OVERLAY_ARGS="root=/dev/vda rootfstype=squashfs rootrw=LABEL=rwdata rootrwfstype=ext4"
source "$TOP/tests/vm/scenarios/root-overlay.sh"
