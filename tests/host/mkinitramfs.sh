#!/bin/sh
# build/mkinitramfs against the kernel's own gen_init_cpio (byte for byte), cpio(1) (extraction),
# itself (reproducibility), bad lists (LIST:LINE errors), and a real kernel's modules (depmod and
# modprobe agree with the modules.dep/modules.alias it writes).
# usage: tests/host/mkinitramfs.sh [BUILD_DIR]
top=$(cd "$(dirname "$0")/../.." && pwd)
B=${1:-$top/build}
case $B in /*) ;; *) B=$top/$B ;; esac
MK=$B/mkinitramfs
passed=0 failed=0
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT INT TERM

pass() { passed=$((passed + 1)); }
fail() { failed=$((failed + 1)); echo "FAIL: $*"; }
check() { desc=$1; shift; if "$@" >/dev/null 2>&1; then pass; else fail "$desc"; fi; }
skip() { echo "skipped: $*"; }

[ -x "$MK" ] || make -C "$top" --no-print-directory "$B/mkinitramfs" >/dev/null || { echo "mkinitramfs: cannot build $MK"; exit 1; }

# --- sources: every line type, ${VAR}, hard links, an empty and a multi-chunk file -------------------
mkdir -p "$T/src"
printf 'hello\n' > "$T/src/hello"
head -c 200000 /dev/urandom > "$T/src/big"
: > "$T/src/empty"
touch -d @0 "$T/src/hello" "$T/src/big" "$T/src/empty"   # gen_init_cpio stores a file's own mtime
cat > "$T/list" <<'EOF'
# every line type
dir /dev 0755 0 0
nod /dev/console 0600 0 0 c 5 1
nod /dev/vda 0660 0 6 b 254 0
dir /bin 0755 0 0
dir sbin 0750 0 0
file /init ${SRCDIR}/hello 0755 0 0
file /bin/big ${SRCDIR}/big 0644 1000 100 /bin/big2 bin/big3
file /empty ${SRCDIR}/empty 0600 0 0
file /literal ${SRCDIR}${UNSET_VAR_X}/hello 0444 0 0
slink /sbin/modprobe /init 0777 0 0
slink /bin/rel ../init 0777 0 0
pipe /fifo 0644 0 0
sock /sock 0755 0 0

	# indented comment
dir /last 0700 12 34
EOF
export SRCDIR="$T/src"

# --- 1. byte for byte with the kernel's gen_init_cpio ------------------------------------------------
gic=""
for f in /root/.cache/ferry/kernel-*/tree/usr/gen_init_cpio.c /usr/src/linux-source-*/usr/gen_init_cpio.c; do
	[ -f "$f" ] && { gic=$f; break; }
done
# A fresh machine has Debian's linux-source-6.1 tarball only: take the one file out of it.
tarball=$(ls /usr/src/linux-source-6.1.tar.* 2>/dev/null | head -1)
if [ -z "$gic" ] && [ -n "$tarball" ]; then
	tar -xaf "$tarball" -C "$T" --wildcards '*/usr/gen_init_cpio.c' 2>/dev/null
	gic=$(ls "$T"/*/usr/gen_init_cpio.c 2>/dev/null | head -1)
fi
if [ -n "$gic" ] && cp "$gic" "$T/gen_init_cpio.c" && cc -O2 -o "$T/gen_init_cpio" "$T/gen_init_cpio.c" 2>/dev/null; then
	"$T/gen_init_cpio" -t 0 "$T/list" > "$T/kernel.cpio" 2>/dev/null  # it warns about the indented comment
	"$MK" -t 0 --no-gzip "$T/list" > "$T/ours.cpio"
	check "same bytes as gen_init_cpio -t 0 (every line type, \${VAR}, hard links)" cmp "$T/kernel.cpio" "$T/ours.cpio"
	"$MK" -t 0 -z -o "$T/ours-o.cpio" "$T/list"
	check "-z -o gives the same bytes as --no-gzip to stdout" cmp "$T/kernel.cpio" "$T/ours-o.cpio"
	# ferry's own list, as the kernel would build it with CONFIG_INITRAMFS_SOURCE
	mkdir -p "$T/top/configs" "$T/fb"
	cp "$top/configs/ferry.conf" "$T/top/configs/ferry.conf" 2>/dev/null || echo "# ferry.conf" > "$T/top/configs/ferry.conf"
	printf '\177ELF fake ferry' > "$T/fb/ferry"
	touch -d @0 "$T/top/configs/ferry.conf" "$T/fb/ferry"
	FERRY_BUILD=$T/fb FERRY_TOP=$T/top "$T/gen_init_cpio" -t 0 "$top/initramfs-list" > "$T/k-ferry.cpio"
	FERRY_BUILD=$T/fb FERRY_TOP=$T/top "$MK" -t 0 -z "$top/initramfs-list" > "$T/o-ferry.cpio"
	check "initramfs-list: same bytes as gen_init_cpio" cmp "$T/k-ferry.cpio" "$T/o-ferry.cpio"
	check "initramfs-list: gen_init_cpio is happy with it" sh -c "FERRY_BUILD=$T/fb FERRY_TOP=$T/top '$T/gen_init_cpio' -t 0 '$top/initramfs-list' 2>&1 >/dev/null | grep -q . && exit 1 || exit 0"
else
	skip "no kernel usr/gen_init_cpio.c to compare with (looked under /root/.cache/ferry and /usr/src; install linux-source-6.1)"
fi

# --- 2. gzip'd, extracted by cpio(1) ------------------------------------------------------------------
"$MK" -t 1700000000 -o "$T/img.cpio.gz" "$T/list"
check "exit 0 and an output file" test -s "$T/img.cpio.gz"
check "gzip -t accepts it" gzip -t "$T/img.cpio.gz"
hdr=$(head -c 10 "$T/img.cpio.gz" | od -An -tx1 | tr -d ' \n')
check "gzip header: no name, mtime 0, unix ($hdr)" test "$hdr" = 1f8b0800000000000203
mkdir "$T/x"
(cd "$T/x" && gzip -dc "$T/img.cpio.gz" | cpio -idm --quiet 2>"$T/cpio.err")
check "cpio -idm extracts" test -f "$T/x/init"
check "file contents" cmp "$T/x/init" "$T/src/hello"
check "a 200000-byte file, through several chunks" cmp "$T/x/bin/big" "$T/src/big"
check "hard links share an inode" test "$(stat -c %i "$T/x/bin/big")" = "$(stat -c %i "$T/x/bin/big3")"
check "hard links: 3 names" test "$(stat -c %h "$T/x/bin/big2")" = 3
check "hard link owner uid 1000 gid 100" test "$(stat -c %u:%g "$T/x/bin/big2")" = 1000:100
check "empty file" test -f "$T/x/empty" -a ! -s "$T/x/empty"
check "\${UNSET} expands to nothing" cmp "$T/x/literal" "$T/src/hello"
check "modes 0755 / 0444 / 0750" test "$(stat -c %a "$T/x/init" "$T/x/literal" "$T/x/sbin" | tr '\n' ' ')" = "755 444 750 "
check "symlink target" test "$(readlink "$T/x/sbin/modprobe")" = /init
check "relative symlink target" test "$(readlink "$T/x/bin/rel")" = ../init
check "fifo" test -p "$T/x/fifo"
check "-t sets file mtimes too" test "$(stat -c %Y "$T/x/init")" = 1700000000
if [ "$(id -u)" = 0 ]; then
	check "character device 5:1" test "$(stat -c %F:%t:%T "$T/x/dev/console")" = "character special file:5:1"
	check "block device 254:0" test "$(stat -c %F:%t:%T "$T/x/dev/vda")" = "block special file:fe:0"
else
	skip "device nodes: cpio needs root to create them"
fi
check "cpio -t lists all 16 entries" test "$(gzip -dc "$T/img.cpio.gz" | cpio -t --quiet | wc -l)" = 16

# --- 3. reproducible -----------------------------------------------------------------------------------
"$MK" -t 1700000000 -o "$T/img2.cpio.gz" "$T/list"
check "two runs, same bytes" cmp "$T/img.cpio.gz" "$T/img2.cpio.gz"
touch "$T/src/hello" "$T/src/big"
"$MK" -t 1700000000 -o "$T/img3.cpio.gz" "$T/list"
check "new source mtimes, same -t: same bytes" cmp "$T/img.cpio.gz" "$T/img3.cpio.gz"
"$MK" -t 1700000001 -o "$T/img4.cpio.gz" "$T/list"
check "another -t: other bytes" sh -c "! cmp -s '$T/img.cpio.gz' '$T/img4.cpio.gz'"

# --- 4. bad input: LIST:LINE errors, non-zero exit, no output ------------------------------------------
cat > "$T/bad" <<'EOF'
dir /dev 0755 0 0
fle /init x 0755 0 0
dir /x 0855 0 0
nod /dev/null 0666 0 0 z 1 3
slink /a
dir /y 0755 0 0 trailing
file /missing /nonexistent/file 0644 0 0
EOF
"$MK" -t 0 -o "$T/bad.cpio.gz" "$T/bad" 2>"$T/bad.err"; rc=$?
check "malformed list: non-zero exit" test "$rc" -ne 0
check "no output file left behind" sh -c "! ls '$T'/bad.cpio.gz* 2>/dev/null"
check "LIST:2: unknown type" grep -qx "mkinitramfs: $T/bad:2: unknown type 'fle' (file, dir, nod, slink, pipe, sock)" "$T/bad.err"
check "LIST:3: bad mode" grep -q "^mkinitramfs: $T/bad:3: <mode> '0855'" "$T/bad.err"
check "LIST:4: bad dev_type" grep -q "^mkinitramfs: $T/bad:4: <dev_type> 'z'" "$T/bad.err"
check "LIST:5: missing field" grep -qx "mkinitramfs: $T/bad:5: slink: missing <location>" "$T/bad.err"
check "LIST:6: trailing word" grep -q "^mkinitramfs: $T/bad:6: unexpected 'trailing'" "$T/bad.err"
check "every error reported, nothing else" test "$(wc -l < "$T/bad.err")" = 5
printf 'file /missing /nonexistent/file 0644 0 0\n' > "$T/bad2"
"$MK" -t 0 "$T/bad2" >/dev/null 2>"$T/bad2.err"; rc=$?
check "missing source: LIST:1 and strerror" grep -qx "mkinitramfs: $T/bad2:1: /nonexistent/file: No such file or directory" "$T/bad2.err"
check "missing source: non-zero exit" test "$rc" -ne 0
printf 'file /d %s 0644 0 0\n' "$T" > "$T/bad3"
check "a directory as a file source is refused" sh -c "! '$MK' '$T/bad3' >/dev/null 2>&1"
check "binary garbage is an error, not a crash" sh -c "head -c 4096 /dev/urandom > '$T/garbage'; '$MK' '$T/garbage' >/dev/null 2>'$T/g.err'; test \$? = 1 && grep -q '^mkinitramfs: $T/garbage:[0-9]*: ' '$T/g.err'"
check "missing list: non-zero exit" sh -c "! '$MK' '$T/nonexistent' >/dev/null 2>&1"
check "usage: -h prints the list grammar" sh -c "'$MK' -h | grep -q 'slink <name> <target> <mode> <uid> <gid>'"
check "usage: bad option exits 2" sh -c "'$MK' -Q '$T/list' >/dev/null 2>&1; test \$? = 2"
check "bad -t is refused" sh -c "! '$MK' -t 12x '$T/list' >/dev/null 2>&1 && ! '$MK' -t 4294967296 '$T/list' >/dev/null 2>&1"
check "a full disk is an error, not a crash" sh -c "'$MK' '$T/list' > /dev/full 2>'$T/full.err'; test \$? = 1 && grep -q 'No space left on device' '$T/full.err'"
check "an unwritable -o is an error" sh -c "! '$MK' -o '$T/nodir/x' '$T/list' 2>/dev/null"
check "-M without -m is refused" sh -c "! '$MK' -M overlay '$T/list' >/dev/null 2>&1"

# --- 5. modules from a fake tree: compressed names, aliases, missing modules -----------------------------
M=$T/fake/lib/modules/9.9.9-test
mkdir -p "$M/kernel/a" "$M/kernel/b"
for m in a/one.ko.xz a/two-x.ko.gz b/three.ko.zst b/four.ko b/unused.ko; do echo "module $m" > "$M/kernel/$m"; done
cat > "$M/modules.dep" <<'EOF'
kernel/a/one.ko.xz: kernel/a/two-x.ko.gz kernel/b/three.ko.zst
kernel/a/two-x.ko.gz: kernel/b/three.ko.zst
kernel/b/three.ko.zst:
kernel/b/four.ko:
kernel/b/unused.ko: kernel/b/four.ko
EOF
printf '# Aliases extracted from modules themselves.\nalias pci:v00001234d* one\nalias fs-four four\nalias other:* unused\n' > "$M/modules.alias"
printf 'kernel/fs/ext4/ext4.ko\n' > "$M/modules.builtin"
"$MK" -t 0 -z -o "$T/fake.cpio" -m "$M/" -M one -M "fs-four,ext4" "$T/list" 2>"$T/fake.err"
check "fake tree: exit 0" test -s "$T/fake.cpio"
mkdir "$T/fx"
(cd "$T/fx" && cpio -idm --quiet < "$T/fake.cpio" 2>/dev/null)
F=$T/fx/lib/modules/9.9.9-test
check "one.ko.xz and its deps (.ko.gz, .ko.zst) copied" cmp "$F/kernel/b/three.ko.zst" "$M/kernel/b/three.ko.zst"
check "the alias fs-four selects four.ko" test -f "$F/kernel/b/four.ko"
check "unrequested modules stay out" test ! -e "$F/kernel/b/unused.ko"
check "modules.dep: exactly the copied modules, in the original order" test "$(cat "$F/modules.dep")" = "$(head -4 "$M/modules.dep")"
check "modules.alias: exactly their aliases" test "$(cat "$F/modules.alias")" = "$(head -3 "$M/modules.alias")"
check "a built-in module is a note, not an error" grep -q 'ext4 is built into the kernel' "$T/fake.err"
check "parent directories come before their files" sh -c "cpio -t --quiet < '$T/fake.cpio' | grep -n 'lib/modules/9.9.9-test/kernel/a' | head -1 | grep -q 'kernel/a$'"
"$MK" -m "$M" -M "one nosuchmod" "$T/list" >/dev/null 2>"$T/nomod.err"; rc=$?
check "unknown module: non-zero exit" test "$rc" -ne 0
check "unknown module: says which" grep -qx "mkinitramfs: $M/modules.dep: no module or alias 'nosuchmod'" "$T/nomod.err"
printf 'kernel/a/one.ko.xz: kernel/a/gone.ko\n' > "$T/fake/dep-broken"
mkdir -p "$T/fake2" && cp "$T/fake/dep-broken" "$T/fake2/modules.dep"
check "a dependency without a line is an error" sh -c "! '$MK' -m '$T/fake2' -M one '$T/list' >/dev/null 2>&1"
check "a directory without modules.dep is an error" sh -c "! '$MK' -m '$T/src' -M one '$T/list' >/dev/null 2>&1"

# --- 6. the installed Debian kernel's modules: depmod and modprobe agree ----------------------------------
kdir=""
for d in /lib/modules/6.1.0-*-cloud-amd64 /lib/modules/$(uname -r); do
	[ -f "$d/modules.dep" ] && { kdir=$d; break; }
done
if [ -z "$kdir" ]; then
	skip "no kernel modules under /lib/modules (install linux-image-cloud-amd64)"
elif ! command -v depmod >/dev/null || ! command -v modprobe >/dev/null; then
	skip "depmod/modprobe missing (install kmod)"
else
	ver=$(basename "$kdir")
	"$MK" -t 0 -o "$T/mods.cpio.gz" -m "$kdir" -M "virtio_blk overlay dm_crypt" "$T/list" 2>"$T/mods.err"
	check "real modules: exit 0" test -s "$T/mods.cpio.gz"
	mkdir "$T/mx"
	(cd "$T/mx" && gzip -dc "$T/mods.cpio.gz" | cpio -idm --quiet 2>/dev/null)
	R=$T/mx/lib/modules/$ver
	for m in dm-crypt dm-mod virtio_blk virtio virtio_ring overlay; do
		f=$(grep -o "[^ :]*/$m\.ko[.a-z]*:" "$kdir/modules.dep" | tr -d :)
		check "real modules: $m copied byte for byte" cmp "$R/$f" "$kdir/$f"
	done
	check "real modules: 6 modules, no more" test "$(find "$R" -name '*.ko*' | wc -l)" = 6
	check "real modules: dm-crypt's line names dm-mod" grep -q '^kernel/drivers/md/dm-crypt.ko[.a-z]*: kernel/drivers/md/dm-mod.ko' "$R/modules.dep"
	cp "$R/modules.dep" "$T/ours.dep"; cp "$R/modules.alias" "$T/ours.alias"
	depmod -b "$T/mx" "$ver" 2>/dev/null
	check "real modules: depmod writes the same modules.dep" sh -c "sort '$T/ours.dep' > '$T/a'; sort '$R/modules.dep' > '$T/b'; cmp '$T/a' '$T/b'"
	check "real modules: depmod writes the same modules.alias" sh -c "grep -v '^#' '$T/ours.alias' | sort > '$T/a'; grep -v '^#' '$R/modules.alias' | sort > '$T/b'; cmp '$T/a' '$T/b'"
	modprobe -d "$T/mx" -S "$ver" --show-depends dm_crypt > "$T/sd" 2>/dev/null
	check "real modules: modprobe loads dm-mod, then dm-crypt" sh -c "sed 's|.*/||' '$T/sd' | tr -d ' ' | tr '\n' ' ' | grep -q '^dm-mod.ko[.a-z]* dm-crypt.ko[.a-z]* $'"
	check "real modules: modprobe resolves fs-overlay to overlay" sh -c "modprobe -d '$T/mx' -S '$ver' --show-depends fs-overlay 2>/dev/null | grep -q 'overlay.ko'"
	"$MK" -t 0 -z -o "$T/all.cpio" -m "$kdir" -M all "$T/list" 2>/dev/null
	check "-M all: modules.dep is the original's" sh -c "cd '$T' && cpio -i --quiet --to-stdout 'lib/modules/$ver/modules.dep' < all.cpio | cmp - '$kdir/modules.dep'"
	grep '^alias' "$kdir/modules.alias" > "$T/all-alias"
	check "-M all: modules.alias has every alias line" sh -c "cd '$T' && cpio -i --quiet --to-stdout 'lib/modules/$ver/modules.alias' < all.cpio | grep '^alias' | cmp - '$T/all-alias'"
	rm -f "$T/all.cpio"
fi

echo "mkinitramfs: $passed passed, $failed failed"
[ "$failed" = 0 ]
