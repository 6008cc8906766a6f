# net-user's checks on aarch64 (QEMU virt, Debian's cloud-arm64 kernel, cortex-a53 as on i.MX8):
# DHCP on QEMU's user network (virtio-net-pci, restrict=on) with ferry.net=required; no device;
# ferry.net=optional.
vm_arch aarch64 || return 0
source "$TOP/tests/vm/scenarios/net-user.sh"
