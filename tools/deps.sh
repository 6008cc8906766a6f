#!/bin/sh
# Install what the build, the tests and the demo need, when it is missing (Debian 12, as root).
# Every package a test or benchmark uses is listed here: CI runs on a fresh machine.
set -eu
pkgs="build-essential musl-tools clang llvm dpkg-dev pkg-config file xz-utils zstd bzip2
linux-libc-dev autoconf automake libtool autopoint gettext
libblkid-dev libkeyutils-dev zlib1g-dev
qemu-system-x86 linux-image-cloud-amd64 busybox-static cpio e2fsprogs squashfs-tools gdisk fdisk kmod
linux-source-6.1 bc bison flex libelf-dev libssl-dev gcc-aarch64-linux-gnu qemu-system-arm
iproute2 dnsmasq-base udhcpd dhcpcd-base tcpdump python3 util-linux
cryptsetup-bin swtpm swtpm-tools tpm2-tools keyutils openssl python3-cryptography
initramfs-tools u-boot-menu systemd grub-common grub2-common grub-pc-bin hyperfine libxenmisc4.17
mmdebstrap xfsprogs f2fs-tools dosfstools btrfs-progs erofs-utils"
missing=
for p in $pkgs; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
echo "deps: installing:$missing" >&2
if [ "$(id -u)" != 0 ]; then
	echo "deps: not root: install these packages first:$missing" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -q >&2
# shellcheck disable=SC2086
apt-get install -y -q --no-install-recommends $missing >&2
