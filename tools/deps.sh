#!/bin/sh
# Install what the build, the tests and the demo need, when it is missing (Debian 12, as root).
# Every package a test or benchmark uses is listed here: CI runs on a fresh machine.
set -eu
pkgs="build-essential musl-tools clang llvm lld dpkg-dev pkg-config file xz-utils zstd bzip2
linux-libc-dev autoconf automake libtool autopoint gettext device-tree-compiler binutils-aarch64-linux-gnu
libblkid-dev libkeyutils-dev zlib1g-dev
qemu-system-x86 qemu-system-arm linux-image-cloud-amd64 busybox-static cpio e2fsprogs squashfs-tools gdisk fdisk kmod
linux-source-6.1 bc bison flex libelf-dev libssl-dev
strace iproute2 dnsmasq-base udhcpd dhcpcd-base tcpdump python3 util-linux
cryptsetup-bin swtpm swtpm-tools tpm2-tools keyutils openssl python3-cryptography
initramfs-tools u-boot-menu systemd systemd-boot-efi grub-common grub2-common grub-pc-bin hyperfine libxenmisc4.17
mmdebstrap xfsprogs f2fs-tools dosfstools btrfs-progs erofs-utils
gcc-aarch64-linux-gnu gcc-arm-linux-gnueabihf musl-dev:arm64 musl-dev:armhf qemu-user-static
linux-libc-dev-arm64-cross linux-libc-dev-armhf-cross libc6-dev-armhf-cross"
# The musl cross libcs (musl-dev:arm64, :armhf) come through multiarch: those architectures are added
# once (the apt-get update below then reads their package lists).
foreign="arm64 armhf"
for a in $foreign; do
	dpkg --print-foreign-architectures | grep -qx "$a" && continue
	if [ "$(id -u)" != 0 ]; then
		echo "deps: not root: run 'dpkg --add-architecture $a' first" >&2
		exit 1
	fi
	echo "deps: dpkg --add-architecture $a" >&2
	dpkg --add-architecture "$a"
done
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
