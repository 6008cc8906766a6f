#!/bin/sh
# Relink the cached test kernel with an initramfs built in from a gen_init_cpio list
# (CONFIG_INITRAMFS_SOURCE: the LinuxBoot form, ferry inside the kernel image), write it to OUT.
# The list's ${FERRY_BUILD} and ${FERRY_TOP} come from the environment, as in `make`.
# usage: tests/vm/kernel-builtin.sh LIST OUT
set -eu
list=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
out=$2
k=$("$(dirname "$0")/kernel.sh")
cd "$k/tree"
exec 9> "$k/relink.lock"
flock 9
./scripts/config --set-str INITRAMFS_SOURCE "$list" --enable INITRAMFS_COMPRESSION_GZIP
make -s ARCH=x86_64 olddefconfig >&2
# The list names files by ${VAR}: make cannot see that they changed, so the cpio is always remade.
rm -f usr/initramfs_data.cpio* usr/initramfs_inc_data
nice make -s -j"$(nproc)" ARCH=x86_64 bzImage >&2
cp arch/x86/boot/bzImage "$out"
