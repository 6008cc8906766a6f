# root-overlay's checks on armv7 (QEMU virt, Debian's armmp kernel, cortex-a7 as on i.MX7) with
# meta-readonly-rootfs-overlay's parameters: squashfs lower, ext4 rw found by LABEL, a file that
# persists across boots, rootrwreset=yes and the marker file.
vm_arch armv7 || return 0
ROOT_OVERLAY_ARGS="root=/dev/vda rootfstype=squashfs rootrw=LABEL=rwdata rootrwfstype=ext4"
source "$TOP/tests/vm/scenarios/root-overlay.sh"
