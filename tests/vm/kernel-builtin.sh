#!/bin/sh
# Relink the cached test kernel for ARCH (x86_64 by default, or aarch64) with an initramfs built in
# from a gen_init_cpio list (CONFIG_INITRAMFS_SOURCE: the LinuxBoot form, ferry inside the kernel
# image), write its bzImage (x86_64) or Image (aarch64) to OUT.
# The list's ${FERRY_BUILD} and ${FERRY_TOP} come from the environment, as in `make`.
# usage: tests/vm/kernel-builtin.sh LIST OUT [ARCH]
set -eu
list=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
out=$2
arch=${3:-x86_64}
case $arch in
x86_64) set -- ARCH=x86_64; image=arch/x86/boot/bzImage ;;
aarch64) set -- ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu-; image=arch/arm64/boot/Image ;;
*) echo "kernel-builtin.sh: unknown architecture $arch (x86_64, aarch64)" >&2; exit 2 ;;
esac
k=$("$(dirname "$0")/kernel.sh" "$arch")
cd "$k/tree"
exec 9> "$k/relink.lock"
flock 9
./scripts/config --set-str INITRAMFS_SOURCE "$list" --enable INITRAMFS_COMPRESSION_GZIP
make -s "$@" olddefconfig >&2
# The list names files by ${VAR}: make cannot see that they changed, so the cpio is always remade.
rm -f usr/initramfs_data.cpio* usr/initramfs_inc_data
nice -n 10 make -s -j"${FERRY_KERNEL_JOBS:-$(nproc)}" "$@" "${image#arch/*/boot/}" >&2
cp "$image" "$out"
