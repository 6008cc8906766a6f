#!/usr/bin/env bash
# Crypt benchmark: "device present" -> "volume mapped" as ferry's timeline marks it, for two key-file
# volumes (the first pays for loading the cipher, the second finds it ready) and a trusted-key volume
# (test kernel + swtpm; key files only when either is missing), side by side in the same VM run with
# `cryptsetup open --type plain` doing the same key-file mapping on another disk afterwards (the
# Debian binary with its libraries in the initramfs, timed by a small static helper). The trusted
# volume's blob filesystem is named by path: LABEL= would add a libblkid scan of every disk.
set -u
B=$(cd "${1:-build}" && pwd)
TOP=$(cd "$(dirname "$0")/../.." && pwd)
W=$B/bench/crypt
rm -rf "$W"; mkdir -p "$W"
export B TOP W RESULTS=/dev/null
source "$TOP/tests/vm/lib.sh"
runs=${BENCH_RUNS:-3}

if ! command -v cryptsetup >/dev/null || ! command -v musl-gcc >/dev/null; then
	echo "skipped: cryptsetup and musl-gcc are needed (apt-get install cryptsetup-bin musl-tools)"; exit 0
fi
kernel=${CRYPT_BENCH_KERNEL:-test}; trusted=1
[ "$kernel" = cloud ] && trusted=0
if ! command -v swtpm >/dev/null || ! command -v swtpm_setup >/dev/null; then trusted=0; kernel=cloud; fi
if [ $kernel = test ] && ! k=$("$TOP/tests/vm/kernel.sh" 2>/dev/null); then trusted=0; kernel=cloud; fi

# mstime PROG ARGS: run PROG, print its wall time in microseconds (CLOCK_MONOTONIC) on stdout.
cat > "$W/mstime.c" <<'C'
#include <stdio.h>
#include <time.h>
#include <unistd.h>
#include <sys/wait.h>
static long long us(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec * 1000000LL + t.tv_nsec / 1000; }
int main(int argc, char **argv)
{
	int st = 1; long long t0 = us(); pid_t p = fork();
	if (argc < 2) return 2;
	if (p == 0) { execv(argv[1], argv + 1); _exit(127); }
	waitpid(p, &st, 0);
	printf("%lld\n", us() - t0);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 1;
}
C
musl-gcc -static -Os -o "$W/mstime" "$W/mstime.c"

# cryptsetup and every library it loads, at the paths the dynamic loader looks in.
{
	echo "dir /sbin 0755 0 0"; echo "dir /lib 0755 0 0"; echo "dir /lib64 0755 0 0"
	echo "dir /lib/x86_64-linux-gnu 0755 0 0"; echo "dir /etc/keys 0700 0 0"
	echo "file /sbin/cryptsetup $(readlink -f /sbin/cryptsetup) 0755 0 0"
	echo "file /bin/mstime $W/mstime 0755 0 0"
	echo "file /etc/keys/k.key $W/k.key 0400 0 0"
	ldd /sbin/cryptsetup | awk '/=> \//{ print $3 } /^\t\/lib64/{ print $1 }' | while read -r l; do
		echo "file $l $(readlink -f "$l") 0755 0 0"
	done
} > "$W/extra.list"
head -c 64 /dev/urandom > "$W/k.key"

cat > "$W/target" <<'T'
#!/bin/sh
o=/dev/ttyS1
grep '^mark crypt-' /run/ferry/timeline > $o
mkdir -p /run/cryptsetup
# No udev here: libdevmapper makes the node itself.
t=$(DM_DISABLE_UDEV=1 /bin/mstime /sbin/cryptsetup open --type plain --cipher aes-xts-plain64 \
	--key-size 512 --key-file /etc/keys/k.key /dev/vdd cs 2>/dev/null)
[ -b /dev/mapper/cs ] && echo "CRYPTSETUP $t" > $o
echo BENCH-DONE > $o
poweroff -f
T
vm_initramfs "$W/initrd" --kernel $kernel --init "$W/target" --list "$W/extra.list"
for d in kf kf2 tr cs; do truncate -s 64M "$W/$d.img"; done
mkdir -p "$W/empty"; mkdisk_ext4 "$W/keys.img" "$W/empty" 8 keys

app="ferry.crypt=kf,/dev/vda,keyfile:/etc/keys/k.key,check=none ferry.onfail=poweroff"
app="$app ferry.crypt=kf2,/dev/vdb,keyfile:/etc/keys/k.key,check=none"
qemu=
if [ $trusted = 1 ]; then
	app="$app ferry.crypt=tr,/dev/vdc,trusted:/tr.blob,blobdev=/dev/vde,keyhandle=0x81000001,provision,check=none"
	mkdir -p "$W/tpm"
	swtpm_setup --tpm2 --tpmstate "$W/tpm" --create-spk > "$W/swtpm_setup.log" 2>&1
	qemu="-chardev socket,id=chrtpm,path=$W/swtpm.sock -tpmdev emulator,id=tpm0,chardev=chrtpm -device tpm-tis,tpmdev=tpm0"
fi
boot() {
	if [ $trusted = 1 ]; then
		rm -f "$W/swtpm.sock"
		swtpm socket --tpm2 --tpmstate dir="$W/tpm" --ctrl type=unixio,path="$W/swtpm.sock" \
			--terminate --daemon --pid file="$W/swtpm.pid"
	fi
	vm_boot "$1" --kernel $kernel --initrd "$W/initrd" --append "$app" --timeout 120 \
		--disk "$W/kf.img" --disk "$W/kf2.img" --disk "$W/tr.img" --disk "$W/cs.img" --disk "$W/keys.img" \
		--qemu "$qemu"
	if [ -s "$W/swtpm.pid" ]; then kill "$(cat "$W/swtpm.pid")" 2>/dev/null; rm -f "$W/swtpm.pid"; fi
}
mark() { tr -d '\r' < "$W/$1.out" | awk -v m="mark crypt-$2" '$1" "$2 == m { print $3 }'; }
span() { local a b; a=$(mark "$1" "$2-present"); b=$(mark "$1" "$2-mapped"); [ -n "$a" ] && [ -n "$b" ] && echo $((b - a)) || echo -; }

# The first boot seals the trusted key and writes its blob; it is not counted.
[ $trusted = 1 ] && boot provision
echo "kernel: $kernel; device present -> volume mapped, ms (cryptsetup: the whole process run)"
printf '%4s %14s %14s %14s %20s\n' run "ferry keyfile" "(2nd volume)" "ferry trusted" "cryptsetup keyfile"
for i in $(seq "$runs"); do
	boot "run-$i"
	cs=$(tr -d '\r' < "$W/run-$i.out" | awk '$1 == "CRYPTSETUP" { printf "%.1f", $2 / 1000 }')
	tr_ms=-; [ $trusted = 1 ] && tr_ms=$(span "run-$i" tr)
	printf '%4d %14s %14s %14s %20s\n' "$i" "$(span "run-$i" kf)" "$(span "run-$i" kf2)" "$tr_ms" "${cs:--}"
done
