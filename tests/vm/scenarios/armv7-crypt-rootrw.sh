# crypt-rootrw's checks on armv7 (QEMU virt, Debian's armmp kernel, cortex-a7 as on i.MX7): the
# overlay root's rw upper on a keyfile dm-crypt volume the host encrypted (crypt.inc's
# aes-xts-plain64), written on one boot and read back on the next.
vm_arch armv7 || return 0
source "$TOP/tests/vm/scenarios/crypt-rootrw.sh"
