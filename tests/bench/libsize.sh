#!/bin/bash
# tests/bench/libsize.sh BUILD_DIR: what each library costs in a static musl binary.
# Builds tiny programs against BUILD_DIR/sysroot with ferry's own flags (-Os, sections, --gc-sections,
# -s) and prints their sizes next to build/ferry's, so the size of ferry's own code can be read off.
set -euo pipefail

B=${1:-build}
SYSROOT=$B/sysroot
CC=${CC_MUSL:-musl-gcc}
CFLAGS="-std=gnu11 -Os -ffunction-sections -fdata-sections -fno-asynchronous-unwind-tables -D_GNU_SOURCE"
LDFLAGS="-static -Wl,--gc-sections -s"

if [ ! -f "$SYSROOT/.done" ]; then
	echo "libsize: skipped: no $SYSROOT (make $SYSROOT/.done builds it)"
	exit 0
fi
command -v "$CC" >/dev/null || { echo "libsize: skipped: no $CC (apt-get install musl-tools)"; exit 0; }

OUT=$B/bench/libsize
mkdir -p "$OUT"

# One source, each library's use switched on by a macro. Each part does the real calls ferry makes, so
# the linker pulls in what ferry's use of the library pulls in, and the results feed the exit code so
# nothing is optimised away.
cat >"$OUT/prog.c" <<'EOF'
#include <stddef.h>
#ifdef USE_BLKID
#include <blkid/blkid.h>
static int use_blkid(const char *path)
{
	blkid_probe pr = blkid_new_probe_from_filename(path);
	const char *type = NULL;
	if (!pr)
		return 1;
	if (blkid_do_safeprobe(pr) == 0)
		(void)blkid_probe_lookup_value(pr, "TYPE", &type, NULL);
	blkid_free_probe(pr);
	return type == NULL;
}
#endif
#ifdef USE_KEYUTILS
#include <keyutils.h>
static int use_keyutils(void)
{
	key_serial_t k = add_key("user", "ferry:libsize", "x", 1, KEY_SPEC_PROCESS_KEYRING);
	return k < 0 ? 1 : keyctl_unlink(k, KEY_SPEC_PROCESS_KEYRING) != 0;
}
#endif
#ifdef USE_ZLIB
#include <zlib.h>
/* printf 'ferry\n' | gzip -n -9 */
static const unsigned char gz[] = {
	0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x03, 0x4b, 0x4b, 0x2d, 0x2a, 0xaa, 0xe4,
	0x02, 0x00, 0x51, 0x4a, 0xd6, 0xb6, 0x06, 0x00, 0x00, 0x00,
};
static int use_zlib(void)
{
	unsigned char out[16];
	z_stream s = { .next_in = (unsigned char *)gz, .avail_in = sizeof(gz), .next_out = out,
		       .avail_out = sizeof(out) };
	int ret;
	if (inflateInit2(&s, 15 + 32) != Z_OK)
		return 1;
	ret = inflate(&s, Z_NO_FLUSH);
	inflateEnd(&s);
	return ret != Z_STREAM_END || s.total_out != 6;
}
#endif
int main(int argc, char **argv)
{
	int ret = 0;
#ifdef USE_BLKID
	ret |= use_blkid(argc > 1 ? argv[1] : "/dev/null") << 1;
#endif
#ifdef USE_KEYUTILS
	ret |= use_keyutils() << 2;
#endif
#ifdef USE_ZLIB
	ret |= use_zlib() << 3;
#endif
	return ret;
}
EOF

# name: the macros it is built with
PROGS=(
	"empty main:"
	"+ libblkid (probe TYPE):-DUSE_BLKID"
	"+ libkeyutils (add_key, unlink):-DUSE_KEYUTILS"
	"+ zlib (inflate):-DUSE_ZLIB"
	"+ all three:-DUSE_BLKID -DUSE_KEYUTILS -DUSE_ZLIB"
)

size_of() { stat -c %s "$1"; }
row() { printf '%-34s %9s %9s %10s\n' "$@"; }
kib() { awk -v b="$1" 'BEGIN { printf "%.1f", b / 1024 }'; }

row "binary (static musl, -Os, -s)" bytes KiB "+KiB/empty"
empty=""
i=0
for p in "${PROGS[@]}"; do
	name=${p%%:*}
	defs=${p#*:}
	bin=$OUT/prog$i
	# shellcheck disable=SC2086  # $defs, $CFLAGS, $LDFLAGS are word lists
	$CC $CFLAGS $defs -isystem "$SYSROOT/include" $LDFLAGS -L"$SYSROOT/lib" -o "$bin" "$OUT/prog.c" \
		-lblkid -lkeyutils -lz
	size=$(size_of "$bin")
	[ -n "$empty" ] || empty=$size
	row "$name" "$size" "$(kib "$size")" "$(kib $((size - empty)))"
	i=$((i + 1))
done
if [ -f "$B/ferry" ]; then
	size=$(size_of "$B/ferry")
	row "build/ferry" "$size" "$(kib "$size")" "$(kib $((size - empty)))"
	own=$((size - $(size_of "$OUT/prog4")))
	# Only meaningful once ferry links all three libraries as the probe programs use them.
	[ $own -gt 0 ] && row "  ferry - all three (its own code)" "$own" "$(kib $own)" ""
else
	row "build/ferry" "-" "-" "(not built)"
fi

# The figures are only worth something if the binaries work: probe an ext4 image, add and unlink a key,
# inflate a gzip stream. Exit bits: 2 probe, 4 key, 8 inflate.
if command -v mkfs.ext4 >/dev/null; then
	truncate -s 4M "$OUT/ext4.img" && mkfs.ext4 -q -F "$OUT/ext4.img"
	rc=0; "$OUT/prog4" "$OUT/ext4.img" || rc=$?
	rm -f "$OUT/ext4.img"
	works=""
	[ $((rc & 2)) = 0 ] && works="$works probe:ok" || works="$works probe:FAILED"
	[ $((rc & 4)) = 0 ] && works="$works add_key:ok" || works="$works add_key:failed(no keyring here?)"
	[ $((rc & 8)) = 0 ] && works="$works inflate:ok" || works="$works inflate:FAILED"
	echo "libsize: all-three binary run:$works"
	[ $((rc & 10)) = 0 ] || exit 1
fi
