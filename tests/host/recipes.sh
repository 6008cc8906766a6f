#!/usr/bin/env bash
# contrib/yocto/ferry_git.bb and contrib/buildroot/ferry.mk build ferry with LIBS=system: this test
# runs make the way each of them does — the make variables read from the recipe itself, the compiler
# flags passed the way bitbake (environment) and Buildroot (make command line) pass them — against a
# stand-in for the toolchain's sysroot: BUILD/aarch64/sysroot's libraries laid out as usr/include and
# usr/lib with .pc files, found through pkg-config with PKG_CONFIG_SYSROOT_DIR / PKG_CONFIG_LIBDIR (as
# both build systems' pkg-config do). Each build must install a static aarch64 ELF at usr/sbin/ferry.
set -u
B=$(cd "${1:-build}" && pwd)
TOP=$(cd "$(dirname "$0")/../.." && pwd)
source "$TOP/tests/ci.inc"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
pass=0; fail=0
ok() { echo "  ok   $1"; pass=$((pass + 1)); }
bad() { echo "  FAIL $1"; fail=$((fail + 1)); [ -s "$T/out" ] && sed 's/^/  | /' "$T/out" | tail -n 15; }

SR=$B/aarch64/sysroot
TRIPLE=aarch64-linux-gnu
# Debian's aarch64 musl specs, taught -static-pie by make ARCH=aarch64, stand in for a musl toolchain.
SPECS=$B/aarch64/musl-gcc.specs
for need in "$SR/.done:make ARCH=aarch64" "$SPECS:make ARCH=aarch64" \
	"$(command -v $TRIPLE-gcc):apt-get install gcc-aarch64-linux-gnu" "$(command -v pkg-config):apt-get install pkg-config"; do
	[ -e "${need%%:*}" ] || { ci_cannot_run recipes "${need%%:*} missing (${need#*:})"; exit $?; }
done

# The toolchain sysroot: headers and static libraries where a Yocto/Buildroot sysroot has them.
S=$T/sysroot
mkdir -p "$S/usr/lib/pkgconfig"
cp -a "$SR/include" "$S/usr/include"
cp "$SR"/lib/*.a "$S/usr/lib/"
# shellcheck disable=SC2016  # ${prefix} and the rest are pkg-config's own variables
pc() {
	printf 'prefix=/usr\nexec_prefix=${prefix}\nlibdir=${prefix}/lib\nincludedir=${prefix}/include\n\n'
	printf 'Name: %s\nDescription: %s\nVersion: %s\nCflags: -I${includedir}%s\nLibs: -L${libdir} %s\n' "$@"
}
pc blkid "Block device id library" 2.38.1 /blkid -lblkid >"$S/usr/lib/pkgconfig/blkid.pc"
pc libkeyutils "keyutils library" 1.6.3 "" -lkeyutils >"$S/usr/lib/pkgconfig/libkeyutils.pc"
pc zlib "zlib compression library" 1.2.13 "" -lz >"$S/usr/lib/pkgconfig/zlib.pc"
export PKG_CONFIG_SYSROOT_DIR=$S PKG_CONFIG_LIBDIR=$S/usr/lib/pkgconfig PKG_CONFIG_PATH=
# The cross compiler as those build systems hand it over; the -isystem/-L pair stands in for its
# --sysroot (the musl specs turn off the default include path).
CC_TARGET="$TRIPLE-gcc -specs $SPECS -isystem $S/usr/include -L$S/usr/lib"

# A fresh copy of the tree, as the fetcher would give it (no build/).
src() {
	rm -rf "$T/src" && mkdir -p "$T/src"
	(cd "$TOP" && tar -c --exclude=./build --exclude=./.git .) | tar -x -C "$T/src"
}

# static_aarch64 FILE: an AArch64 ELF executable with no interpreter and no shared libraries.
static_aarch64() {
	readelf -hW "$1" | grep -q 'Machine: *AArch64' || { echo "$1: not AArch64"; readelf -hW "$1"; return 1; }
	readelf -hW "$1" | grep -Eq 'Type: *(EXEC|DYN)' || { echo "$1: not an executable"; return 1; }
	! readelf -lW "$1" | grep -q INTERP || { echo "$1: has a program interpreter"; return 1; }
	! readelf -dW "$1" | grep -q NEEDED || { echo "$1: needs shared libraries"; return 1; }
	if command -v qemu-aarch64-static >/dev/null; then
		timeout 20 qemu-aarch64-static "$1" plan --cmdline root=/dev/vda | grep -q 'root *= /dev/vda' ||
			{ echo "$1: 'ferry plan' under qemu-aarch64-static failed"; return 1; }
	fi
}

# --- Yocto: oe_runmake is `make $EXTRA_OEMAKE ARGS`, CC/CFLAGS/LDFLAGS in the environment ------------
BB=$TOP/contrib/yocto/ferry_git.bb
oemake=$(sed -n 's/^EXTRA_OEMAKE = "\(.*\)"$/\1/p' "$BB")
compile=$(sed -n '/^do_compile() {/,/^}/s/^\toe_runmake \(.*\)$/\1/p' "$BB")
install=$(sed -n '/^do_install() {/,/^}/s/^\toe_runmake \(.*\)$/\1/p' "$BB")
D=$T/yocto-image
yocto() {
	sed -e "s|\${TARGET_ARCH}|aarch64|g; s|\${TARGET_PREFIX}|$TRIPLE-|g; s|\${D}|$D|g; s|\${prefix}|/usr|g" <<<"$1"
}
if [ -z "$oemake" ] || [ -z "$compile" ] || [ -z "$install" ]; then
	: >"$T/out"; bad "yocto: EXTRA_OEMAKE / oe_runmake lines not found in $BB"
else
	src
	# shellcheck disable=SC2046  # the recipe's words, split as the shell in oe_runmake splits them
	if (cd "$T/src" && env CC="$CC_TARGET" CFLAGS="-O2 -pipe -g -feliminate-unused-debug-types" \
		LDFLAGS="-Wl,-O1 -Wl,--hash-style=gnu -Wl,--as-needed -Wl,-z,relro,-z,now" \
		timeout 600 nice make -j2 $(yocto "$oemake") $(yocto "$compile") &&
		env CC="$CC_TARGET" timeout 120 make $(yocto "$oemake") $(yocto "$install")) >"$T/out" 2>&1; then
		ok "yocto: make $(yocto "$oemake") $(yocto "$compile"), then install"
		if static_aarch64 "$D/usr/sbin/ferry" >"$T/out" 2>&1; then ok "yocto: usr/sbin/ferry is a static aarch64 ELF"
		else bad "yocto: usr/sbin/ferry"; fi
	else
		bad "yocto: the recipe's make failed"
	fi
fi

# --- Buildroot: $(MAKE) $(TARGET_CONFIGURE_OPTS) $(FERRY_MAKE_OPTS) -C $(@D) TARGET --------------
MK=$TOP/contrib/buildroot/ferry.mk
opts=$(sed -n 's/^FERRY_MAKE_OPTS = \(.*\)$/\1/p' "$MK")
# shellcheck disable=SC2016  # $(@D) is make's, matched literally
target=$(sed -n '/^define FERRY_BUILD_CMDS/,/^endef/s/.*-C \$(@D) \(.*\)$/\1/p' "$MK")
TD=$T/br-target
br() { sed -e "s|\$(BR2_ARCH)|aarch64|g; s|\$(TARGET_CROSS)|$TRIPLE-|g; s|\"||g" <<<"$1"; }
if [ -z "$opts" ] || [ -z "$target" ]; then
	: >"$T/out"; bad "buildroot: FERRY_MAKE_OPTS / BUILD_CMDS not found in $MK"
else
	src
	cfg=(CC="$CC_TARGET" CFLAGS="-D_LARGEFILE_SOURCE -D_LARGEFILE64_SOURCE -D_FILE_OFFSET_BITS=64 -Os -g0"
		CPPFLAGS="-D_LARGEFILE_SOURCE -D_LARGEFILE64_SOURCE -D_FILE_OFFSET_BITS=64" LDFLAGS=""
		PKG_CONFIG=pkg-config "STRIP=$TRIPLE-strip")
	# shellcheck disable=SC2046
	if (timeout 600 nice make -j2 "${cfg[@]}" $(br "$opts") -C "$T/src" $(br "$target") &&
		timeout 120 make "${cfg[@]}" $(br "$opts") -C "$T/src" DESTDIR="$TD" PREFIX=/usr install) >"$T/out" 2>&1; then
		ok "buildroot: make \$(TARGET_CONFIGURE_OPTS) $(br "$opts") $(br "$target"), then install"
		if static_aarch64 "$TD/usr/sbin/ferry" >"$T/out" 2>&1; then ok "buildroot: usr/sbin/ferry is a static aarch64 ELF"
		else bad "buildroot: usr/sbin/ferry"; fi
	else
		bad "buildroot: the package's make failed"
	fi
fi

# LIBS=system without the libraries: a clear error naming pkg-config, not a compiler error later
src
if (cd "$T/src" && PKG_CONFIG_LIBDIR=$T/none make LIBS=system ARCH=aarch64 CC="$CC_TARGET" ferry) >"$T/out" 2>&1; then
	bad "LIBS=system without .pc files built anyway"
elif grep -q 'LIBS=system: pkg-config finds no blkid libkeyutils zlib' "$T/out"; then
	ok "LIBS=system without .pc files: the error names pkg-config and the libraries"
else
	bad "LIBS=system without .pc files: unclear error"
fi
echo "recipes: $pass passed, $fail failed"
[ $fail = 0 ]
