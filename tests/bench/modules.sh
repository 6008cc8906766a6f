#!/usr/bin/env bash
# Boot speed with a full module tree (issue 14), x86_64 under TCG, Debian's cloud kernel, squashfs
# lower + ext4 rw overlay root, the same disks and kernel in the same run:
#   floor       tests/bench/floor-init.c: mount, finit_module of the root's modules in modules.dep
#               order, poll for the two disks, mount, switch root, exec; only the root's modules
#   ferry-all   ferry with every module of the kernel in the image (what a generic image ships)
#   ferry-dep   ferry with only the root's modules
#   ferry-named ferry-all's image told the root's modules as the floor is (rd.modules_load=), so they
#               load first instead of after coldplug and the uevents that name them
# each on -smp 1 and -smp 2 (QEMU's multi-threaded TCG), BENCH_RUNS (default 3) boots each;
# /init -> target: the kernel's "Run /init" stamp to the target's first kmsg line. Medians, the
# goals (ferry-all <= 1.25x floor on -smp 1, <= 1.1x on -smp 2, ferry-dep <= 1.05x) met or missed,
# and ferry's peak resident size at the handoff (the timeline's mem) beside busybox-sh's (an /init
# shell script doing the same steps, tests/bench/root.sh's, its VmHWM read by the script itself).
# Then the modprobe helper: one request served by ferry (as /sbin/modprobe -n) from modules.ferry
# and from the text files, beside kmod's modprobe -n on the same module tree (its .bin index).
# BENCH_MODULES=helper: only that part (no QEMU). BENCH_SMP="1" boots only -smp 1; BENCH_QEMU adds
# QEMU arguments: BENCH_QEMU="-icount shift=1" runs the guest on a virtual clock of its own
# instructions (500 MIPS; idle time still passes in real time), so its figures hardly move with the
# host's load: for comparing two builds on a shared machine (one thread, so -smp 1 only).
set -u
B=$(cd "${1:-build}" && pwd)
TOP=$(cd "$(dirname "$0")/../.." && pwd)
W=$B/bench/modules
rm -rf "$W"; mkdir -p "$W"
export B TOP W RESULTS=/dev/null
source "$TOP/tests/vm/lib.sh"
vm_arch x86_64 || exit 0
runs=${BENCH_RUNS:-3}
rel=$(vm_cloud_release)
src=$(vm_moddir cloud)
rootmods="virtio_pci virtio_blk squashfs overlay"

# --- the modprobe helper: ferry beside kmod on the same tree -------------------------------------
D=$W/tree
mkdir -p "$D/lib/modules/$rel"
ln -s "$src/kernel" "$D/lib/modules/$rel/kernel"
: > "$W/empty.list"
"$B/mkinitramfs" -t 0 -z -m "$src" -M all -o "$W/mods.cpio" "$W/empty.list"
(cd "$D" && cpio -id --quiet "lib/modules/$rel/modules.*" < "$W/mods.cpio")
cp "$src"/modules.*.bin "$src/modules.builtin" "$D/lib/modules/$rel/" 2>/dev/null
T=$W/text-tree
mkdir -p "$T/lib/modules/$rel"
cp -a "$D/lib/modules/$rel/." "$T/lib/modules/$rel/"
rm "$T/lib/modules/$rel/modules.ferry"
ln -sf "$B/ferry" "$W/modprobe"
n=${BENCH_EXECS:-100}
per() {  # per NAME CMD...: mean microseconds of one exec over n
	local t0 t1
	t0=$(date +%s%N)
	for _ in $(seq "$n"); do "$@" > /dev/null 2>&1; done
	t1=$(date +%s%N)
	echo $(( (t1 - t0) / n / 1000 ))
}
echo "-- the modprobe helper: one request, mean of $n execs on this host (same module tree, $(ls "$src"/kernel -R | grep -c '\.ko') modules)"
printf '  %-48s %10s %10s %10s\n' request "ferry idx" "ferry txt" "kmod"
for q in fs-squashfs crypto-aes pci:v00001AF4d00001001sv00001AF4sd00000002bc01sc00i00; do
	a=$(per "$W/modprobe" -n -q -d "$D" -S "$rel" "$q")
	b=$(per "$W/modprobe" -n -q -d "$T" -S "$rel" "$q")
	c=$(per modprobe -n -q -d "$D" -S "$rel" "$q")
	same=$("$W/modprobe" -n -d "$D" -S "$rel" "$q" | sed 's|.*/||' | sort | tr '\n' ' ')
	k=$(modprobe -n -v -d "$D" -S "$rel" "$q" 2>/dev/null | sed -n 's|^insmod .*/||p' | sed 's/ .*//' | sort | tr '\n' ' ')
	printf '  %-48s %7d us %7d us %7d us  %s\n' "$q" "$a" "$b" "$c" \
		"$([ "$a" -lt "$c" ] && echo "goal (faster than kmod) met" || echo "goal (faster than kmod) MISSED")"
	[ "$same" = "$k" ] || echo "  note: $q: ferry would load '$same', kmod '$k'"
done
printf '  modules.ferry %d bytes; modules.dep %d + modules.alias %d; kmod .bin files %d\n' \
	"$(stat -c %s "$D/lib/modules/$rel/modules.ferry")" "$(stat -c %s "$D/lib/modules/$rel/modules.dep")" \
	"$(stat -c %s "$D/lib/modules/$rel/modules.alias")" "$(cat "$D/lib/modules/$rel"/modules.*.bin | wc -c)"

# --- boots ------------------------------------------------------------------------------------------
[ "${BENCH_MODULES:-all}" = helper ] && exit 0
t=$W/root
mkdir -p "$t"/{bin,sbin,proc,sys,dev,run,tmp,mnt,media/rfs/ro,media/rfs/rw}
cp "$(vm_busybox)" "$t/bin/"
for a in sh cat poweroff mount grep; do ln -s busybox "$t/bin/$a"; done
cat > "$t/sbin/init" <<'I'
#!/bin/sh
echo "bench: target init running" > /dev/kmsg
mount -t proc proc /proc 2>/dev/null
cat /run/ferry/timeline > /dev/ttyS1 2>/dev/null
cat /run/shmem 2>/dev/null > /dev/ttyS1
echo BENCH-DONE > /dev/ttyS1
poweroff -f
I
chmod 755 "$t/sbin/init"
mkdisk_squashfs "$W/lower.sqfs" "$t"
mkdir -p "$W/empty"
musl-gcc -static -Os -s -o "$W/floor" "$TOP/tests/bench/floor-init.c" || { echo "skipped: musl-gcc cannot build the floor init"; exit 0; }
# the root's modules and their dependencies, in modules.dep order (dependencies first)
for m in $rootmods; do "$W/modprobe" -n -d / -S "$rel" "$m" 2>/dev/null; done | sed "s|^insmod .*/lib/modules/[^/]*/||" | awk '!seen[$0]++' > "$W/floor.list"
[ -s "$W/floor.list" ] || { echo "skipped: no module order for the floor (modules.dep of $rel)"; exit 0; }
{
	echo "dir /dev 0755 0 0"; echo "nod /dev/console 0600 0 0 c 5 1"
	echo "dir /proc 0755 0 0"; echo "dir /sys 0755 0 0"; echo "dir /media 0755 0 0"
	echo "dir /media/rfs 0755 0 0"; echo "dir /media/rfs/ro 0755 0 0"; echo "dir /media/rfs/rw 0755 0 0"
	echo "file /init $W/floor 0755 0 0"; echo "file /floor.list $W/floor.list 0644 0 0"
} > "$W/floor.cpio.list"
vm_initramfs "$W/floor.img" --no-ferry --no-busybox --list "$W/floor.cpio.list" --modules "$rootmods"
vm_initramfs "$W/ferry-all.img" --no-busybox
vm_initramfs "$W/ferry-dep.img" --no-busybox --modules "$rootmods"
# busybox-sh for the memory figure: root.sh's script, which reads its own VmHWM before switch_root
sed -n '/^cat > "\$W\/sh-init" <<.S.$/,/^S$/p' "$TOP/tests/bench/root.sh" | sed '1d;$d' |
	sed 's|^exec switch_root|mkdir -p /mnt/run; grep VmHWM /mnt/proc/$$/status > /mnt/run/shmem; exec switch_root|' > "$W/sh-init"
{
	vm_busybox_list
	echo "dir /dev 0755 0 0"; echo "nod /dev/console 0600 0 0 c 5 1"
	echo "dir /proc 0755 0 0"; echo "dir /sys 0755 0 0"; echo "dir /sbin 0755 0 0"
	echo "slink /sbin/modprobe /bin/busybox 0777 0 0"
	echo "file /init $W/sh-init 0755 0 0"
} > "$W/sh.list"
vm_initramfs "$W/sh.img" --no-ferry --no-busybox --list "$W/sh.list" --modules "$rootmods"

stamp() { tr -d '\r' < "$1" | sed -n "s|^\[ *\([0-9.]*\)\] $2.*|\1|p" | head -n 1; }
ms() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "" || b == "") print "-"; else printf "%d", (b - a) * 1000 }'; }
median() { tr ' ' '\n' | grep -v '^-\?$' | sort -n | awk '{ v[NR] = $1 } END { if (NR) print v[int((NR + 1) / 2)]; else print "-" }'; }
declare -A res mem
printf '%-10s %4s %4s %14s   %s\n' initramfs smp run "/init->target" "ferry: modules end, root-ready, mem (KiB)"
for i in $(seq "$runs"); do
	for smp in ${BENCH_SMP:-1 2}; do
		for who in floor ferry-all ferry-dep ferry-named busybox-sh; do
			[ $who = busybox-sh ] && [ "$i" -gt 1 ] && continue  # memory only
			mkdisk_ext4 "$W/rw.img" "$W/empty" 32 rwdata
			img=$W/$who.img; app="root=/dev/vda rootrw=/dev/vdb"
			[ $who = busybox-sh ] && img=$W/sh.img
			[ $who = ferry-named ] && img=$W/ferry-all.img app="$app rd.modules_load=${rootmods// /,}"
			vm_boot "$who-$smp-$i" --initrd "$img" --append "$app" --disk "$W/lower.sqfs" --disk "$W/rw.img" \
				--timeout 150 --qemu "-smp $smp ${BENCH_QEMU:-}"
			c=$W/$who-$smp-$i.console o=$W/$who-$smp-$i.out
			v=$(ms "$(stamp "$c" 'Run /init as init process')" "$(stamp "$c" 'bench: target init running')")
			res[$who.$smp]="${res[$who.$smp]:-} $v"
			extra=
			case $who in
			ferry-*)
				me=$(tr -d '\r' < "$o" | awk '$1 == "modules" { print $3 }')
				rr=$(tr -d '\r' < "$o" | awk '$1 == "mark" && $2 == "root-ready" { print $3 }')
				mm=$(tr -d '\r' < "$o" | awk '$1 == "mem" { print $2 }')
				mem[$who]="${mem[$who]:-} ${mm:--}"
				extra="modules end ${me:-?}, root-ready ${rr:-?}, mem ${mm:-?}" ;;
			busybox-sh)
				mm=$(tr -d '\r' < "$o" | sed -n 's/^VmHWM: *\([0-9]*\) kB/\1/p')
				mem[$who]="${mem[$who]:-} ${mm:--}"
				extra="mem ${mm:-?} (the shell's VmHWM before switch_root)" ;;
			esac
			printf '%-10s %4d %4d %11s ms   %s\n' "$who" "$smp" "$i" "$v" "$extra"
		done
	done
done
echo "-- medians of $runs (ms, /init -> target init)${BENCH_QEMU:+, QEMU with $BENCH_QEMU}"
goal() {  # goal WHO SMP RATIO
	local f w
	case " ${BENCH_SMP:-1 2} " in *" $2 "*) ;; *) return ;; esac
	f=$(echo "${res[floor.$2]:-}" | median); w=$(echo "${res[$1.$2]:-}" | median)
	awk -v w="$w" -v f="$f" -v g="$3" -v who="$1" -v smp="$2" 'BEGIN {
		if (w == "-" || f == "-" || f == 0) { printf "  %-10s -smp %s: no figure\n", who, smp; exit }
		r = w / f; printf "  %-10s -smp %s: %5d ms, floor %5d ms: %.2fx  (goal <= %.2fx: %s)\n", who, smp, w, f, r, g,
			r <= g ? "met" : "MISSED" }'
}
goal ferry-all 1 1.25
goal ferry-all 2 1.10
goal ferry-dep 1 1.05
goal ferry-dep 2 1.05
goal ferry-named 1 1.25
goal ferry-named 2 1.10
echo "-- peak resident size at the handoff (KiB; goal for ferry: <= 1024 with the full index)"
for who in ferry-all ferry-dep busybox-sh; do
	m=$(echo "${mem[$who]:-}" | median)
	printf '  %-10s %s%s\n' "$who" "$m" "$([ $who = ferry-all ] && [ "$m" != - ] && { [ "$m" -le 1024 ] && echo "  (goal met)" || echo "  (goal MISSED)"; })"
done
