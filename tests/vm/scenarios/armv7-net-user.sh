# net-user's checks on armv7 (Debian's armmp kernel, QEMU virt, cortex-a7 (i.MX7's core)): DHCP on
# QEMU's user network (virtio-net-pci, restrict=on) with ferry.net=required, no device, optional.
vm_arch armv7 || return 0
source "$TOP/tests/vm/scenarios/net-user.sh"
