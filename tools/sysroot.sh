#!/bin/bash
# tools/sysroot.sh DIR: build the three libraries ferry links (libblkid, libkeyutils, zlib) from Debian
# bookworm's source packages with musl-gcc, into DIR/include and DIR/lib (static archives only), and
# touch DIR/.done. Called by the Makefile as `tools/sysroot.sh build/sysroot`.
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
# autoconf..autopoint: util-linux's Debian patches touch configure.ac, so it is regenerated as Debian does.
BUILD_DEPS="musl-tools dpkg-dev build-essential linux-libc-dev pkg-config xz-utils bzip2
	autoconf automake libtool autopoint gettext"
CFLAGS_SYSROOT="-Os -ffunction-sections -fdata-sections -fno-asynchronous-unwind-tables"
JOBS=${JOBS:-2}

die() { echo "sysroot: $*" >&2; exit 1; }

[ $# -eq 1 ] || die "usage: $0 DIR"
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
if [ -f "$DIR/.done" ] && grep -qx "recipe $SELF_HASH" "$DIR/.done"; then
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
	# A fresh machine may have no package lists yet: update only when the first try fails.
	{ "${install[@]}" || { apt-get update && "${install[@]}"; }; } >"$LOG/deps.log" 2>&1 ||
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

# fetch: download the pinned source packages with a private deb-src list; the system's apt config is
# left alone (the machine has no deb-src lines).
fetch() {
	local apt="$CACHE/apt" f specs=() name ver sum
	rm -rf "$apt" && mkdir -p "$apt/sources.list.d" "$apt/lists/partial"
	for f in /etc/apt/sources.list.d/*.sources; do
		[ -f "$f" ] && sed 's/^Types: deb$/Types: deb-src/' "$f" >"$apt/sources.list.d/${f##*/}"
	done
	for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
		[ -f "$f" ] && sed -n 's/^deb /deb-src /p' "$f" >"$apt/sources.list.d/${f##*/}.list"
	done
	local opts=(-o Dir::Etc::sourcelist=- -o "Dir::Etc::sourceparts=$apt/sources.list.d"
		-o "Dir::State::Lists=$apt/lists" -o Dir::Cache::pkgcache= -o Dir::Cache::srcpkgcache=
		-o APT::Sandbox::User=root)
	while read -r name ver sum; do
		[ -n "$name" ] && specs+=("$name=$ver")
	done <<<"$PINS"
	echo "sysroot: downloading ${specs[*]}"
	if ! apt-get "${opts[@]}" update >"$LOG/fetch.log" 2>&1 ||
	   ! (cd "$CACHE" && apt-get "${opts[@]}" source --download-only "${specs[@]}") >>"$LOG/fetch.log" 2>&1; then
		tail -n 10 "$LOG/fetch.log" >&2
		die "cannot fetch Debian's source packages ${specs[*]} (log: $LOG/fetch.log).
Meanwhile 'make LIBC=glibc' builds ferry linked statically with Debian's glibc .a files instead."
	fi
}

# fetch_verified: use the cache when it already holds all the pinned files, else download; then check.
fetch_verified() {
	local name ver sum msg fetched=0
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
}

# unpack NAME: dpkg-source applies Debian's patches. --no-check only skips the OpenPGP signature, which
# the pinned .dsc hash above stands in for.
unpack() {
	local name=$1 ver
	ver=$(awk -v n="$name" '$1 == n { print $2 }' <<<"$PINS")
	run "$name" dpkg-source --no-check -x "$CACHE/$(dsc_name "$name" "$ver")" "$WORK/$name"
}

# musl-gcc sees only musl's headers; the kernel's UAPI headers come in through symlinks.
kernel_headers() {
	local multiarch d
	multiarch=$(gcc -print-multiarch)
	for d in linux asm-generic mtd scsi; do
		ln -sfn "/usr/include/$d" "$NEW/include/$d"
	done
	ln -sfn "/usr/include/$multiarch/asm" "$NEW/include/asm"
}

build_zlib() {
	unpack zlib
	cd "$WORK/zlib"
	run zlib env CC=musl-gcc CFLAGS="$CFLAGS_SYSROOT" ./configure --static --prefix=/
	run zlib make -j"$JOBS" libz.a
	install -m 0644 libz.a "$NEW/lib/"
	install -m 0644 zlib.h zconf.h "$NEW/include/"
}

build_keyutils() {
	unpack keyutils
	cd "$WORK/keyutils"
	run keyutils make -j"$JOBS" CC=musl-gcc CFLAGS="$CFLAGS_SYSROOT $CFLAGS_INC" NO_SOLIB=1 libkeyutils.a
	install -m 0644 libkeyutils.a "$NEW/lib/"
	install -m 0644 keyutils.h "$NEW/include/"
}

build_util_linux() {
	unpack util-linux
	cd "$WORK/util-linux"
	run util-linux ./autogen.sh
	run util-linux env CC=musl-gcc CFLAGS="$CFLAGS_SYSROOT $CFLAGS_INC" ./configure \
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
	local start=$SECONDS
	rm -rf "$NEW" "$WORK" "$LOG"
	mkdir -p "$NEW/include" "$NEW/lib" "$WORK" "$LOG" "$CACHE"
	CFLAGS_INC="-isystem $NEW/include"
	install_deps
	fetch_verified
	kernel_headers
	build_zlib
	build_keyutils
	build_util_linux
	install_tree
	printf 'recipe %s\n%s\n' "$SELF_HASH" "$(awk 'NF { print $1 "=" $2 }' <<<"$PINS")" >"$DIR/.done"
	echo "sysroot: $DIR built in $((SECONDS - start)) s"
}

main
