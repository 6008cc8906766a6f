#!/bin/bash
# tools/sysroot.sh DIR [ARCH]: build the three libraries ferry links (libblkid, libkeyutils, zlib) from
# Debian bookworm's source packages with musl, for ARCH (x86_64, the default, with musl-gcc; aarch64 and
# armv7 cross-built with Debian's aarch64-linux-musl-gcc / arm-linux-musleabihf-gcc), into DIR/include and
# DIR/lib (static archives only), and touch DIR/.done. Called by the Makefile as
# `tools/sysroot.sh build/sysroot` and `tools/sysroot.sh build/aarch64/sysroot aarch64`.
#
# The sources are pinned by version and by the sha256 of their .dsc; every file the .dsc lists is checked
# (size and sha256) before it is unpacked. Downloads are cached in ${FERRY_CACHE:-~/.cache/ferry}/src, so a
# rebuild does not touch the network. Output of each step goes to DIR/log/; V=1 shows it as it runs.
set -euo pipefail

# name  version (with epoch, as apt wants it)  sha256 of the .dsc
PINS="
zlib        1:1.2.13.dfsg-1        3fa1e6b2fc525062aa88207dda52fed8e045373c809d362fe8a2bfbf7cf515a8
keyutils    1.6.3-2                77e6f0e5018f0f6cfb5a3689d7f185a014b2437d0a097609ffda32bfd3a64f28
util-linux  2.38.1-5+deb12u3       0fe5fcd2b83d0465e32ca5cb9d8319e9b6fbf14c9a69abfd7ea905e45fa90b67
"
# Only these deb-src suites are served by the archive here (bookworm-security's sources are not).
SRC_SUITES=${FERRY_SRC_SUITES:-bookworm bookworm-updates}
# autoconf..autopoint: util-linux's Debian patches touch configure.ac, so it is regenerated as Debian does.
BUILD_DEPS="musl-tools dpkg-dev build-essential linux-libc-dev pkg-config xz-utils bzip2
	autoconf automake libtool autopoint gettext"
# The libraries are built PIE (ferry links static-pie) and hardened like ferry's own code (libblkid
# parses whatever is on a disk): the Makefile's HARDEN=0 switches off ferry's flags only.
CFLAGS_SYSROOT="-Os -ffunction-sections -fdata-sections -fno-asynchronous-unwind-tables -fno-unwind-tables -fPIE"
HARDEN_SYSROOT="-fstack-protector-strong -fstack-clash-protection -ftrivial-auto-var-init=zero"
JOBS=${JOBS:-2}

die() { echo "sysroot: $*" >&2; exit 1; }

[ $# = 1 ] || [ $# = 2 ] || die "usage: $0 DIR [x86_64|aarch64|armv7]"
ARCH=${2:-x86_64}
# MUSL_CC: Debian's musl wrapper for ARCH; TRIPLE: the GNU toolchain under it (ar, ranlib, configure's
# --host); KHDR: where that toolchain's kernel UAPI headers are (linux-libc-dev or its -cross twin).
case $ARCH in
x86_64)  MUSL_CC=musl-gcc TRIPLE=x86_64-linux-gnu KHDR=/usr/include
	 KASM=/usr/include/x86_64-linux-gnu/asm DEB_ARCH= ;;
aarch64) MUSL_CC=aarch64-linux-musl-gcc TRIPLE=aarch64-linux-gnu KHDR=/usr/aarch64-linux-gnu/include
	 KASM=$KHDR/asm DEB_ARCH=arm64 BUILD_DEPS="$BUILD_DEPS gcc-aarch64-linux-gnu musl-dev:arm64 linux-libc-dev-arm64-cross" ;;
armv7)   MUSL_CC=arm-linux-musleabihf-gcc TRIPLE=arm-linux-gnueabihf KHDR=/usr/arm-linux-gnueabihf/include
	 KASM=$KHDR/asm DEB_ARCH=armhf BUILD_DEPS="$BUILD_DEPS gcc-arm-linux-gnueabihf musl-dev:armhf linux-libc-dev-armhf-cross" ;;
*) die "ARCH $ARCH: not one of x86_64, aarch64, armv7" ;;
esac
TOOLS=(CC="$MUSL_CC" AR="$TRIPLE-ar" RANLIB="$TRIPLE-ranlib")
mkdir -p "$1"
DIR=$(cd "$1" && pwd)
CACHE=${FERRY_CACHE:-${HOME:-/root}/.cache/ferry}/src
WORK=$DIR/.work
NEW=$DIR/.new   # the tree is built here and moved into place at the end, so a rebuild never leaves a
LOG=$DIR/log    # half-made include/ or lib/ under a compiler that is running at the same time
SELF_HASH=$(sha256sum "$0" | cut -d' ' -f1)

# Two makes at once (make -j, or two people in one tree) wait for each other here.
exec 9>"$DIR/.lock"
flock 9
# The stamp records which recipe built the tree: the same script finds nothing to do.
if [ -f "$DIR/.done" ] && grep -qx "recipe $SELF_HASH $ARCH" "$DIR/.done"; then
	touch "$DIR/.done"
	exit 0
fi

# run NAME CMD...: run a build step, its output in $LOG/NAME.log (and on stdout with V=1).
run() {
	local name=$1; shift
	if [ "${V:-0}" = 1 ]; then
		"$@" 2>&1 | tee -a "$LOG/$name.log"
	elif ! "$@" >>"$LOG/$name.log" 2>&1; then
		tail -n 30 "$LOG/$name.log" >&2
		die "$name: '$*' failed; the full log is $LOG/$name.log"
	fi
}

install_deps() {
	local p missing=()
	for p in $BUILD_DEPS; do
		dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
	done
	[ ${#missing[@]} = 0 ] && return 0
	[ "$(id -u)" = 0 ] || die "missing build packages: ${missing[*]} (run as root or apt-get install them)"
	echo "sysroot: installing ${missing[*]}"
	local install=(env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}")
	# musl-dev:arm64 / :armhf come through multiarch: add the architecture once, then read its lists.
	if [ -n "$DEB_ARCH" ] && ! dpkg --print-foreign-architectures | grep -qx "$DEB_ARCH"; then
		dpkg --add-architecture "$DEB_ARCH"
		apt-get update >"$LOG/deps.log" 2>&1 || { tail -n 10 "$LOG/deps.log" >&2; die "apt-get update failed"; }
	fi
	# A fresh machine may have no package lists yet: update only when the first try fails.
	{ "${install[@]}" || { apt-get update && "${install[@]}"; }; } >>"$LOG/deps.log" 2>&1 ||
		{ tail -n 10 "$LOG/deps.log" >&2; die "apt-get install ${missing[*]} failed (log: $LOG/deps.log)"; }
}

# dsc_name NAME VERSION: the .dsc file name (no epoch).
dsc_name() { echo "${1}_${2#*:}.dsc"; }

# verify DSC SHA256: the .dsc has the pinned hash and every file it lists has its size and sha256.
verify() {
	local dsc=$1 want=$2 got sum size file
	[ -f "$CACHE/$dsc" ] || { echo "$dsc: not downloaded"; return 1; }
	got=$(sha256sum "$CACHE/$dsc" | cut -d' ' -f1)
	[ "$got" = "$want" ] || { echo "$dsc: sha256 is $got, pinned $want"; return 1; }
	while read -r sum size file; do
		[ -f "$CACHE/$file" ] || { echo "$file: not downloaded"; return 1; }
		got=$(stat -c %s "$CACHE/$file")
		[ "$got" = "$size" ] || { echo "$file: size is $got, $dsc says $size"; return 1; }
		got=$(sha256sum "$CACHE/$file" | cut -d' ' -f1)
		[ "$got" = "$sum" ] || { echo "$file: sha256 is $got, $dsc says $sum"; return 1; }
	done < <(sed -n '/^Checksums-Sha256:/,/^[^ ]/{/^ /p}' "$CACHE/$dsc")
}

# mirror: the Debian archive the system's apt uses (not its security archive), for the deb-src lines.
mirror() {
	local uri
	uri=$(sed -n 's|^URIs: *\([^ ]*/debian\)/*$|\1|p; s|^deb  *\(\[[^]]*\]  *\)\{0,1\}\([^ ]*/debian\)/* .*|\2|p' \
		/etc/apt/sources.list /etc/apt/sources.list.d/*.sources /etc/apt/sources.list.d/*.list 2>/dev/null | head -n 1)
	echo "${FERRY_DEBIAN_MIRROR:-${uri:-http://deb.debian.org/debian}}"
}

# served NAME VERSION: fail, saying how to update the pin, unless the deb-src suites carry that version.
served() {
	local name=$1 ver=$2 have
	have=$(apt-cache "${APT_OPTS[@]}" showsrc "$name" 2>/dev/null | sed -n 's/^Version: //p' | sort -u | tr '\n' ' ' | sed 's/ $//')
	case " $have " in *" $ver "*) return 0 ;; esac
	die "pin $name=$ver is no longer served by deb-src $SRC_SUITES (served: ${have:-nothing}).
Update its line in PINS in tools/sysroot.sh: the served version, and the sha256 of its .dsc from
  apt-get source --download-only $name=VERSION && sha256sum ${name}_VERSION.dsc
(VERSION without its epoch in the file name). Meanwhile 'make LIBC=glibc' builds with Debian's glibc .a files."
}

# fetch: download the pinned source packages with a private deb-src list (bookworm and bookworm-updates
# only: the security archive's sources are not served here); the system's apt config is left alone.
fetch() {
	local apt="$CACHE/apt" m suite specs=() name ver sum
	rm -rf "$apt" && mkdir -p "$apt/sources.list.d" "$apt/lists/partial"
	m=$(mirror)
	for suite in $SRC_SUITES; do
		echo "deb-src [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $m $suite main"
	done >"$apt/sources.list.d/ferry-src.list"
	APT_OPTS=(-o Dir::Etc::sourcelist=- -o "Dir::Etc::sourceparts=$apt/sources.list.d"
		-o "Dir::State::Lists=$apt/lists" -o Dir::Cache::pkgcache= -o Dir::Cache::srcpkgcache=
		-o APT::Sandbox::User=root)
	echo "sysroot: reading deb-src $SRC_SUITES from $m"
	if ! apt-get "${APT_OPTS[@]}" update >"$LOG/fetch.log" 2>&1; then
		tail -n 10 "$LOG/fetch.log" >&2
		die "apt-get update of deb-src $SRC_SUITES from $m failed (log: $LOG/fetch.log).
Meanwhile 'make LIBC=glibc' builds ferry linked statically with Debian's glibc .a files instead."
	fi
	while read -r name ver sum; do
		[ -n "$name" ] || continue
		served "$name" "$ver"
		specs+=("$name=$ver")
	done <<<"$PINS"
	echo "sysroot: downloading ${specs[*]}"
	if ! (cd "$CACHE" && apt-get "${APT_OPTS[@]}" source --download-only "${specs[@]}") >>"$LOG/fetch.log" 2>&1; then
		tail -n 10 "$LOG/fetch.log" >&2
		die "cannot fetch Debian's source packages ${specs[*]} (log: $LOG/fetch.log)."
	fi
}

# fetch_verified: use the cache when it already holds all the pinned files, else download; then check.
fetch_verified() {
	local name ver sum msg fetched=0
	# Sysroots of several architectures built at once share the download cache: one fetch at a time.
	exec 8>"$CACHE/.lock"
	flock 8
	while read -r name ver sum; do
		[ -n "$name" ] || continue
		if ! msg=$(verify "$(dsc_name "$name" "$ver")" "$sum"); then
			[ $fetched = 1 ] && die "$msg (the download does not match the pinned checksums)"
			echo "sysroot: $CACHE/$msg"
			fetch
			fetched=1
			msg=$(verify "$(dsc_name "$name" "$ver")" "$sum") ||
				die "$msg (the download does not match the pinned checksums)"
		fi
	done <<<"$PINS"
	exec 8>&-
}

# unpack NAME: dpkg-source applies Debian's patches. --no-check only skips the OpenPGP signature, which
# the pinned .dsc hash above stands in for.
unpack() {
	local name=$1 ver
	ver=$(awk -v n="$name" '$1 == n { print $2 }' <<<"$PINS")
	run "$name" dpkg-source --no-check -x "$CACHE/$(dsc_name "$name" "$ver")" "$WORK/$name"
}

# The musl wrappers see only musl's headers; the kernel's UAPI headers come in through symlinks.
kernel_headers() {
	local d
	for d in linux asm-generic mtd scsi; do
		ln -sfn "$KHDR/$d" "$NEW/include/$d"
	done
	ln -sfn "$KASM" "$NEW/include/asm"
}

build_zlib() {
	unpack zlib
	cd "$WORK/zlib"
	# DYNAMIC_CRC_TABLE: the CRC-32 tables (9 KiB on 64-bit) are computed on first use into .bss instead
	# of shipped in .rodata; the build/aarch64/ferry size goal needs those bytes.
	run zlib env "${TOOLS[@]}" CFLAGS="$CFLAGS_SYSROOT -DDYNAMIC_CRC_TABLE" ./configure --static --prefix=/
	run zlib make -j"$JOBS" libz.a
	install -m 0644 libz.a "$NEW/lib/"
	install -m 0644 zlib.h zconf.h "$NEW/include/"
}

build_keyutils() {
	unpack keyutils
	cd "$WORK/keyutils"
	run keyutils make -j"$JOBS" "${TOOLS[@]}" CFLAGS="$CFLAGS_SYSROOT $CFLAGS_INC" NO_SOLIB=1 libkeyutils.a
	install -m 0644 libkeyutils.a "$NEW/lib/"
	install -m 0644 keyutils.h "$NEW/include/"
}

build_util_linux() {
	unpack util-linux
	cd "$WORK/util-linux"
	# libblkid's debug trace (LIBBLKID_DEBUG=... in the environment: messages on stderr) is compiled
	# out: the DBG() statements stay type-checked but can never run, so their code and strings go
	# (-27,208 bytes of build/aarch64/ferry). ferry never asks for the trace; its own is ferry.debug.
	sed -i 's/if ((p ## m) & l ## _debug_mask) {/if (0 \&\& ((p ## m) \& l ## _debug_mask)) {/' include/debug.h
	[ "$(grep -c 'if (0 && ((p ## m) & l ## _debug_mask)) {' include/debug.h)" = 2 ] ||
		die "util-linux: include/debug.h is not laid out as expected (the DBG() switch-off did not apply)"
	run util-linux ./autogen.sh
	run util-linux env "${TOOLS[@]}" CFLAGS="$CFLAGS_SYSROOT $CFLAGS_INC" ./configure --host="$TRIPLE" \
		--disable-all-programs --enable-libblkid --disable-shared --enable-static \
		--without-udev --without-selinux --without-systemd --without-python --disable-nls \
		--without-readline --without-ncurses --without-ncursesw --without-tinfo --without-cap-ng \
		--without-libz --without-libmagic --without-audit --without-utempter --without-econf \
		--without-btrfs --without-smack --without-cryptsetup --disable-asciidoc --disable-bash-completion \
		--disable-makeinstall-chown --disable-makeinstall-setuid
	run util-linux make -j"$JOBS" libblkid.la
	install -m 0644 .libs/libblkid.a "$NEW/lib/"
	install -D -m 0644 libblkid/src/blkid.h "$NEW/include/blkid/blkid.h"
}

# install_tree: swap the new include/ and lib/ in, each by one rename.
install_tree() {
	local d
	rm -f "$DIR/.done"
	for d in include lib; do
		rm -rf "${DIR:?}/$d.old"
		[ -e "$DIR/$d" ] && mv "$DIR/$d" "$DIR/$d.old"
		mv "$NEW/$d" "$DIR/$d"
		rm -rf "${DIR:?}/$d.old"
	done
	rm -rf "$NEW" "$WORK"
}

main() {
	local start=$SECONDS f
	rm -rf "$NEW" "$WORK" "$LOG"
	mkdir -p "$NEW/include" "$NEW/lib" "$WORK" "$LOG" "$CACHE"
	CFLAGS_INC="-isystem $NEW/include"
	install_deps
	for f in $HARDEN_SYSROOT; do	# each where the compiler has it for ARCH
		"$MUSL_CC" -Werror "$f" -c -x c /dev/null -o /dev/null 2>/dev/null && CFLAGS_SYSROOT="$CFLAGS_SYSROOT $f"
	done
	fetch_verified
	kernel_headers
	build_zlib
	build_keyutils
	build_util_linux
	install_tree
	printf 'recipe %s %s\n%s\n' "$SELF_HASH" "$ARCH" "$(awk 'NF { print $1 "=" $2 }' <<<"$PINS")" >"$DIR/.done"
	echo "sysroot: $DIR ($ARCH) built in $((SECONDS - start)) s"
}

main
