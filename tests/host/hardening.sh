#!/usr/bin/env bash
# The hardened build (README "Building"), for every architecture that was built: BUILD/ferry (the host),
# BUILD/aarch64/ferry, BUILD/armv7/ferry. Each must be a static-pie ELF (type DYN, no interpreter, no
# shared libraries) with RELRO, BIND_NOW and a non-executable stack; its unstripped twin ferry.debug must
# hold the stack protector and say (DW_AT_producer) that ferry's own code was compiled with the flags;
# the binary must run (`ferry plan`, under qemu-user for the ARM ones when qemu-user-static is there)
# and make its RELRO range read-only. The size goal is a figure of `make bench` (tests/bench/hardening.sh).
set -u
B=$(cd "${1:-build}" && pwd)
source "$(dirname "$0")/../ci.inc"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
pass=0; fail=0; cifail=0  # cifail: a CI=true failure already counted on its own line
ok() { echo "  ok   $1"; pass=$((pass + 1)); }
bad() { echo "  FAIL $1"; fail=$((fail + 1)); [ -s "$T/out" ] && sed 's/^/  | /' "$T/out" | tail -n 10; }
check() { local what=$1; shift; if "$@" >"$T/out" 2>&1; then ok "$what"; else bad "$what"; fi; : >"$T/out"; }

command -v readelf >/dev/null || { echo "hardening: skipped: no readelf (binutils)"; exit 0; }

elf_type() { readelf -hW "$1" | sed -n 's/^ *Type: *\([A-Z]*\).*/\1/p'; }
no_interp() { ! readelf -lW "$1" | grep -q 'INTERP'; }
no_needed() { ! readelf -dW "$1" | grep -q '(NEEDED)'; }
has_relro() { readelf -lW "$1" | grep -q 'GNU_RELRO'; }
bind_now() { readelf -dW "$1" | grep -Eq '\(FLAGS\).*BIND_NOW|\(FLAGS_1\).*NOW'; }
# GNU_STACK's flags are RW, not RWE
stack_rw() { readelf -lW "$1" | awk '$1 == "GNU_STACK" { f = $(NF - 1) } END { exit !(f == "RW") }'; }
stack_protector() { readelf -sW "$1" | grep -Eq ' __stack_chk_fail$'; }
# every compilation unit of ferry's own (init/, lib/; not musl's) was compiled with each hardening flag
producer_flags() {
	local dbg=$1 flag
	readelf --debug-dump=info --dwarf-depth=1 "$dbg" 2>/dev/null | awk '
		/DW_AT_producer/ { sub(/.*\): /, ""); p = $0 }
		/DW_AT_name/ { sub(/.*\): /, ""); if ($0 ~ /^(init|lib)\//) print $0 "\t" p }' >"$T/cus"
	[ "$(grep -c . "$T/cus")" -ge 20 ] || { echo "fewer than 20 of ferry's CUs in $dbg"; cat "$T/cus"; return 1; }
	for flag in -fstack-protector-strong -fstack-clash-protection -ftrivial-auto-var-init=zero -fPIE; do
		if grep -v -- " $flag" "$T/cus" | grep -q .; then
			echo "$flag missing in:"; grep -v -- " $flag" "$T/cus" | head -n 3
			return 1
		fi
	done
	echo "$(grep -c . "$T/cus") CUs"
}
# the RELRO range is made read-only by ferry itself (musl's static-pie start code does not): an
# mprotect(..., PROT_READ) that succeeds before anything else is read
relro_enforced() {
	local q=$1 f=$2
	if [ -z "$q" ]; then
		timeout 20 strace -e trace=mprotect "$f" plan --cmdline "" 2>&1 >/dev/null
	else
		timeout 20 "$q" -strace "$f" plan --cmdline "" 2>&1 >/dev/null
	fi | tee /dev/stderr | grep -Eq 'mprotect\(.*PROT_READ\) = 0'
}
runs() { local q=$1 f=$2; timeout 20 ${q:+"$q"} "$f" plan --cmdline "root=/dev/vda" | grep -q 'root *= /dev/vda'; }
# DT_RELR (README "Size"): where the build asked a linker to pack the relative relocations (its .flags),
# the binary has them packed (GNU ld 2.40 ignores the request for aarch64 and arm with only a warning)
# and no relative relocation is left unpacked
relr_packed() {
	local f=$1
	readelf -dW "$f" | grep -q '(RELR)' || { echo "no DT_RELR in $f"; return 1; }
	if readelf -rW "$f" | grep -q '_RELATIVE'; then
		echo "relative relocations left in RELA/REL:"; readelf -rW "$f" | grep _RELATIVE | head -n 3; return 1
	fi
}
# musl 1.2.3's rcrt1.o applies no DT_RELR: a packed binary must start from ferry's own start code
own_start() {
	local dbg=$1
	readelf -sW "$dbg" | grep -Eq ' ferry_start_c$' || { echo "no ferry_start_c in $dbg"; return 1; }
	! readelf -sW "$dbg" | grep -Eq ' (__dls2|_start_c)$' || { echo "musl's rcrt1.o is linked too"; return 1; }
}

built=0
for arch in host aarch64 armv7; do
	case $arch in
	host) d=$B; q=; name=$(uname -m) ;;
	aarch64) d=$B/aarch64; q=qemu-aarch64-static; name=$arch ;;
	armv7) d=$B/armv7; q=qemu-arm-static; name=$arch ;;
	esac
	f=$d/ferry
	if [ ! -f "$f" ]; then
		ci_cannot_run "hardening: $name" "no $f (make ARCH=$name builds it)" || cifail=1
		continue
	fi
	built=$((built + 1))
	check "$name: ELF type DYN (static-pie)" test "$(elf_type "$f")" = DYN
	check "$name: no program interpreter" no_interp "$f"
	check "$name: no shared libraries" no_needed "$f"
	check "$name: GNU_RELRO" has_relro "$f"
	check "$name: BIND_NOW" bind_now "$f"
	check "$name: GNU_STACK RW, not executable" stack_rw "$f"
	if [ -f "$d/ferry.debug" ]; then
		check "$name: ferry.debug has the stack protector (__stack_chk_fail)" stack_protector "$d/ferry.debug"
		check "$name: ferry.debug: every CU of ferry built with the hardening flags" producer_flags "$d/ferry.debug"
		check "$name: ferry is ferry.debug stripped (same program headers)" \
			cmp <(readelf -lW "$f" | grep -E '^ +[A-Z]') <(readelf -lW "$d/ferry.debug" | grep -E '^ +[A-Z]')
	else
		bad "$name: no $d/ferry.debug"
	fi
	if grep -Eq 'pack-relative-relocs|pack-dyn-relocs=relr' "$d/.flags" 2>/dev/null; then
		check "$name: relative relocations packed (DT_RELR)" relr_packed "$f"
		check "$name: ferry.debug starts from ferry's own start code (applies DT_RELR)" own_start "$d/ferry.debug"
	elif readelf -dW "$f" | grep -q '(RELR)'; then
		check "$name: DT_RELR, so ferry.debug starts from ferry's own start code" own_start "$d/ferry.debug"
	fi
	if [ -z "$q" ]; then
		check "$name: runs: ferry plan" runs "" "$f"
		if command -v strace >/dev/null; then
			check "$name: RELRO made read-only at start (mprotect PROT_READ)" relro_enforced "" "$f"
		else
			bad "$name: no strace to check RELRO with (tools/deps.sh installs it)"
		fi
	elif command -v "$q" >/dev/null; then
		check "$name: runs under $q: ferry plan" runs "$q" "$f"
		check "$name: RELRO made read-only at start (mprotect PROT_READ, under $q)" relro_enforced "$q" "$f"
	else
		ci_cannot_run "hardening: $name" "no $q to run it with (apt-get install qemu-user-static)" || cifail=1
	fi
done
[ $built = 0 ] && bad "no ferry built under $B"
echo "hardening: $pass passed, $fail failed"
[ $fail = 0 ] && [ $cifail = 0 ]
