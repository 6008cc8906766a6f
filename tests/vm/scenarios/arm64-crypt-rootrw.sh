# crypt-rootrw's checks on aarch64 (QEMU virt, Debian's cloud-arm64 kernel, cortex-a53 as on i.MX8):
# the overlay root's rw upper on a keyfile dm-crypt volume the host encrypted (crypt.inc's
# aes-xts-plain64), written on one boot and read back on the next.
vm_arch aarch64 || return 0
source "$TOP/tests/vm/scenarios/crypt-rootrw.sh"
