# net-user's checks on armv7 (QEMU virt, Debian's armmp kernel, cortex-a7 as on i.MX7): DHCP on
# QEMU's user network (virtio-net-pci, restrict=on) with ferry.net=required; no device;
# ferry.net=optional.
vm_arch armv7 || return 0
source "$TOP/tests/vm/scenarios/net-user.sh"
