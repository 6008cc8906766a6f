# net-user's checks on aarch64 (Debian's linux-image-cloud-arm64, QEMU virt, cortex-a53 (i.MX8's core)): DHCP on
# QEMU's user network (virtio-net-pci, restrict=on) with ferry.net=required, no device, optional.
vm_arch aarch64 || return 0
source "$TOP/tests/vm/scenarios/net-user.sh"
