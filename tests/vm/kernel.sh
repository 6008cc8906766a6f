#!/bin/sh
# Build ferry's test kernel once and cache it outside the repo, keyed by the fragment's hash.
# Prints the cache directory (bzImage, modules/lib/modules/<ver>, tree/ for relinking).
# usage: tests/vm/kernel.sh [FRAGMENT]
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
frag=${1:-$top/configs/kernel-test.config}
cache=${FERRY_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/ferry}
src=/usr/src/linux-source-6.1.tar.xz
hash=$(cat "$frag" "$0" | sha256sum | cut -c1-16)
out=$cache/kernel-$hash
if [ -f "$out/done" ]; then echo "$out"; exit 0; fi
# One build at a time: a second caller waits for the first and then finds it done.
mkdir -p "$cache"
exec 9> "$cache/kernel-$hash.lock"
flock 9
if [ -f "$out/done" ]; then echo "$out"; exit 0; fi
if [ ! -f "$src" ]; then
	echo "kernel.sh: installing linux-source-6.1 and build dependencies" >&2
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q linux-source-6.1 bc bison flex libelf-dev libssl-dev xz-utils kmod >&2
fi
rm -rf "$out"; mkdir -p "$out"
echo "kernel.sh: building test kernel into $out (about 15-20 min on 2 cores)" >&2
tar -C "$out" -xf "$src"
mv "$out/linux-source-6.1" "$out/tree"
cd "$out/tree"
make -s ARCH=x86_64 x86_64_defconfig >&2
./scripts/kconfig/merge_config.sh -m .config kernel/configs/kvm_guest.config "$frag" >&2
make -s ARCH=x86_64 olddefconfig >&2
# Every fragment line must have survived olddefconfig; a dropped one is a broken fragment.
missing=$(grep -E '^CONFIG_[A-Z0-9_]+=' "$frag" | while IFS= read -r line; do
	k=${line%%=*}; v=${line#*=}
	if [ "$v" = n ]; then
		if grep -q "^$k=" .config; then echo "$k"; fi
	elif ! grep -qx "$line" .config; then
		echo "$line"
	fi
done)
if [ -n "$missing" ]; then echo "kernel.sh: olddefconfig dropped: $missing" >&2; exit 1; fi
nice make -s -j"$(nproc)" ARCH=x86_64 bzImage modules >&2
make -s ARCH=x86_64 INSTALL_MOD_PATH="$out/modules" modules_install >&2
cp arch/x86/boot/bzImage "$out/bzImage"
make -s kernelrelease > "$out/release"
touch "$out/done"
echo "$out"
