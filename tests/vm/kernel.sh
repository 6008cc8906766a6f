#!/bin/sh
# Build ferry's test kernel for ARCH once and cache it outside the repo, keyed by the hash of its
# fragment (configs/kernel-ARCH.config) and of this script. The kernel is Debian's
# linux-source-6.1, `allnoconfig` + the fragment: nothing else, so it builds in minutes.
# Prints the cache directory: bzImage (x86_64) or Image (aarch64), modules/lib/modules/<release>,
# release, seconds (the build's wall clock), tree/ (the build tree, for relinking), and with verity
# signatures in the fragment verity-test.crt/.key (the one certificate the kernel trusts).
# usage: tests/vm/kernel.sh [x86_64|aarch64]   (FERRY_CACHE, FERRY_KERNEL_JOBS override)
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
arch=${1:-x86_64}
case $arch in
x86_64) karch=x86_64 cross= image=arch/x86/boot/bzImage name=bzImage ;;
aarch64) karch=arm64 cross=aarch64-linux-gnu- image=arch/arm64/boot/Image name=Image ;;
*) echo "kernel.sh: unknown architecture $arch (x86_64, aarch64)" >&2; exit 2 ;;
esac
frag=$top/configs/kernel-$arch.config
cache=${FERRY_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/ferry}
src=/usr/src/linux-source-6.1.tar.xz
cached() {
	out=$cache/kernel-$arch-$(cat "$frag" "$0" | sha256sum | cut -c1-16)
	[ -f "$out/done" ]
}
if cached; then echo "$out"; exit 0; fi
# One build at a time (any architecture): a second caller waits for the first, then finds it done
# (the hash is taken again: the fragment may have changed meanwhile).
mkdir -p "$cache"
exec 9> "$cache/kernel.lock"
flock 9
if cached; then echo "$out"; exit 0; fi
need="bc bison flex libelf-dev libssl-dev openssl xz-utils kmod"
[ -n "$cross" ] && need="$need gcc-aarch64-linux-gnu"
if [ ! -f "$src" ] || { [ -n "$cross" ] && ! command -v "${cross}gcc" >/dev/null; }; then
	echo "kernel.sh: installing linux-source-6.1 and build dependencies" >&2
	# shellcheck disable=SC2086
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q linux-source-6.1 $need >&2
fi
rm -rf "$out"; mkdir -p "$out"
start=$(date +%s)
echo "kernel.sh: building the $arch test kernel into $out (a few minutes on 2 cores)" >&2
tar -C "$out" -xf "$src"
mv "$out/linux-source-6.1" "$out/tree"
cd "$out/tree"
set -- ARCH="$karch" ${cross:+CROSS_COMPILE=$cross}
make -s "$@" KCONFIG_ALLCONFIG="$frag" allnoconfig >&2
# A kernel that checks dm-verity root hash signatures trusts one certificate: a key pair made here
# for this kernel alone, kept beside it (verity-test.crt, verity-test.key) for the scenarios to sign with.
if grep -qx 'CONFIG_DM_VERITY_VERIFY_ROOTHASH_SIG=y' "$frag"; then
	openssl req -x509 -newkey rsa:2048 -nodes -days 36500 -subj /CN=ferry-verity-test-kernel \
		-keyout "$out/verity-test.key" -out "$out/verity-test.crt" 2>/dev/null
	scripts/config --set-str SYSTEM_TRUSTED_KEYS "$out/verity-test.crt"
fi
make -s "$@" olddefconfig >&2
# Every fragment line must have survived olddefconfig; a dropped one is a broken fragment (a
# dependency missing from it, most often).
missing=$(grep -E '^CONFIG_[A-Z0-9_]+=' "$frag" | while IFS= read -r line; do
	k=${line%%=*}; v=${line#*=}
	if [ "$v" = n ]; then
		if grep -q "^$k=" .config; then echo "$k"; fi
	elif ! grep -qx "$line" .config; then
		echo "$line"
	fi
done)
if [ -n "$missing" ]; then echo "kernel.sh: olddefconfig dropped: $missing" >&2; exit 1; fi
make -s -j"${FERRY_KERNEL_JOBS:-$(nproc)}" "$@" "${image#arch/*/boot/}" modules >&2
make -s "$@" INSTALL_MOD_PATH="$out/modules" modules_install >&2
cp "$image" "$out/$name"
make -s "$@" kernelrelease > "$out/release"
echo $(( $(date +%s) - start )) > "$out/seconds"
touch "$out/done"
echo "kernel.sh: $arch test kernel built in $(cat "$out/seconds") s" >&2
echo "$out"
