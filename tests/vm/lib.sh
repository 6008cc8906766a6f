# The QEMU harness, sourced by tests/vm/run.sh (and tests/vm/demo.sh, benchmarks) with:
#   B  absolute build dir (build/ferry, build/mkinitramfs)      W  this scenario's work dir
#   RESULTS  file collecting "pass"/"fail"/"skip" lines
# A scenario (tests/vm/scenarios/*.sh) builds images, boots them with vm_boot and checks markers
# with expect/reject. Results come back on the second serial port (ttyS1 -> $W/NAME.out);
# the console (ttyS0, where SeaBIOS also prints) goes to $W/NAME.console.

TOP=${TOP:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
: "${RESULTS:=/dev/null}"
VM_MEM=${VM_MEM:-512}
VM_BASE_APPEND="console=ttyS0 printk.devkmsg=on panic=-1"

vm_cloud_release() {
	ls /boot/vmlinuz-*-cloud-amd64 2>/dev/null | sort -V | tail -n 1 | sed 's|/boot/vmlinuz-||'
}

# vm_kernel cloud|test -> path of the kernel image
vm_kernel() {
	case $1 in
	cloud) echo "/boot/vmlinuz-$(vm_cloud_release)" ;;
	test) echo "$("$TOP/tests/vm/kernel.sh")/bzImage" ;;
	*) echo "vm_kernel: unknown kernel $1" >&2; return 1 ;;
	esac
}

# vm_moddir cloud|test -> the kernel's /lib/modules/<release> on the host
vm_moddir() {
	case $1 in
	cloud) echo "/lib/modules/$(vm_cloud_release)" ;;
	test) k=$("$TOP/tests/vm/kernel.sh"); echo "$k/modules/lib/modules/$(cat "$k/release")" ;;
	esac
}

# The busybox applets a target script may use; module tools are left out on purpose: the kernel's
# modprobe helper is ferry (/sbin/modprobe -> /init).
vm_busybox_list() {
	echo "dir /bin 0755 0 0"
	echo "file /bin/busybox /bin/busybox 0755 0 0"
	for a in $(/bin/busybox --list); do
		case $a in busybox|modprobe|insmod|rmmod|depmod|lsmod|modinfo|init|linuxrc) continue ;; esac
		echo "slink /bin/$a /bin/busybox 0777 0 0"
	done
	echo "slink /sbin/poweroff /bin/busybox 0777 0 0"
	echo "slink /sbin/reboot /bin/busybox 0777 0 0"
}

# vm_initramfs OUT [--conf FILE] [--init SCRIPT] [--kernel cloud|test] [--modules "m1 m2"|all]
#              [--moddir DIR] [--list FILE] [--no-ferry] [--no-busybox]
vm_initramfs() {
	local out=$1 conf= init= kernel=cloud modules=all moddir= extra= ferry=1 bb=1
	shift
	while [ $# -gt 0 ]; do
		case $1 in
		--conf) conf=$2; shift ;;
		--init) init=$2; shift ;;
		--kernel) kernel=$2; shift ;;
		--modules) modules=$2; shift ;;
		--moddir) moddir=$2; shift ;;
		--list) extra=$2; shift ;;
		--no-ferry) ferry=0 ;;
		--no-busybox) bb=0 ;;
		*) echo "vm_initramfs: unknown option $1" >&2; return 1 ;;
		esac
		shift
	done
	[ -n "$moddir" ] || moddir=$(vm_moddir "$kernel")
	[ -n "$conf" ] || { conf=$out.conf; : > "$conf"; }
	local list=$out.list
	{
		[ $ferry = 1 ] && grep -v '^file /etc/ferry.conf ' "$TOP/initramfs-list"
		[ $ferry = 1 ] && echo "file /etc/ferry.conf $conf 0644 0 0"
		[ $bb = 1 ] && vm_busybox_list
		[ -n "$init" ] && echo "file /sbin/init $init 0755 0 0"
		[ -n "$extra" ] && cat "$extra"
	} > "$list"
	local mods=()
	[ -n "$modules" ] && mods=(-m "$moddir" -M "$modules")
	FERRY_BUILD=$B FERRY_TOP=$TOP \
		"$B/mkinitramfs" -t 0 -l "${VM_GZIP_LEVEL:-1}" "${mods[@]}" -o "$out" "$list"
}

# vm_boot NAME --initrd FILE [--kernel cloud|test|PATH] [--append WORDS] [--disk IMG]... [--timeout S]
#         [--nic ARGS] [--qemu "ARGS"] [--monitor]   -> $W/NAME.console, $W/NAME.out, $W/NAME.rc
vm_boot() {
	local name=$1 initrd= kernel=cloud append= timeout=${VM_TIMEOUT:-90} nic=none qemu= monitor=
	local disks=()
	shift
	while [ $# -gt 0 ]; do
		case $1 in
		--initrd) initrd=$2; shift ;;
		--kernel) kernel=$2; shift ;;
		--append) append=$2; shift ;;
		--disk) disks+=(-drive "file=$2,format=raw,if=virtio"); shift ;;
		--timeout) timeout=$2; shift ;;
		--nic) nic=$2; shift ;;
		--qemu) qemu=$2; shift ;;
		--monitor) monitor="-monitor unix:$W/$name.mon,server,nowait" ;;
		*) echo "vm_boot: unknown option $1" >&2; return 1 ;;
		esac
		shift
	done
	case $kernel in cloud|test) kernel=$(vm_kernel "$kernel") ;; esac
	local args=(-machine pc -m "$VM_MEM" -smp 1 -display none -no-reboot -nic "$nic"
		-serial "file:$W/$name.console" -serial "file:$W/$name.out"
		-kernel "$kernel" -append "$VM_BASE_APPEND $append" "${disks[@]}")
	[ -n "$initrd" ] && args+=(-initrd "$initrd")
	[ -e /dev/kvm ] && [ "${VM_KVM:-0}" = 1 ] && args+=(-accel kvm)
	# shellcheck disable=SC2086
	timeout --foreground -k 5 "$timeout" qemu-system-x86_64 "${args[@]}" $monitor $qemu \
		> "$W/$name.qemu" 2>&1 < /dev/null
	echo $? > "$W/$name.rc"
	[ "$(cat "$W/$name.rc")" = 124 ] && echo "  ($name: timed out after ${timeout}s)"
	return 0
}

# vm_timedout NAME: true when the VM ran into its timeout
vm_timedout() { [ "$(cat "$W/$1.rc" 2>/dev/null)" = 124 ]; }

_result() { echo "$1" >> "$RESULTS"; }

# expect NAME REGEX WHAT: REGEX (grep -E) must appear in the VM's result port or console
expect() {
	if cat "$W/$1.out" "$W/$1.console" 2>/dev/null | tr -d '\r' | grep -Eq -- "$2"; then
		echo "  ok   $3"; _result pass
	else
		echo "  FAIL $3 (no /$2/ in $1)"; _result fail
		echo "  --- last console lines of $1:"; tail -n 25 "$W/$1.console" 2>/dev/null | tr -d '\r' | sed 's/^/  | /'
		echo "  --- result port of $1:"; tail -n 10 "$W/$1.out" 2>/dev/null | sed 's/^/  | /'
	fi
}

# reject NAME REGEX WHAT REACHED: REGEX must not appear, and REACHED (grep -E) must: the proof that
# the VM got as far as the point where REGEX would have shown. A VM that printed nothing (no
# kernel, a hang, a crash before the check) fails here instead of passing every reject.
reject() {
	if [ $# -lt 4 ] || [ -z "$4" ]; then
		echo "  FAIL $3 (reject without a REACHED marker: a harness bug)"; _result fail; return
	fi
	if ! cat "$W/$1.out" "$W/$1.console" 2>/dev/null | tr -d '\r' | grep -Eq -- "$4"; then
		echo "  FAIL $3 (the VM never reached /$4/ in $1: nothing was checked)"; _result fail
		echo "  --- last console lines of $1:"; tail -n 15 "$W/$1.console" 2>/dev/null | tr -d '\r' | sed 's/^/  | /'
		return
	fi
	if cat "$W/$1.out" "$W/$1.console" 2>/dev/null | tr -d '\r' | grep -Eq -- "$2"; then
		echo "  FAIL $3 (found /$2/ in $1)"; _result fail
		grep -Eh -- "$2" "$W/$1.out" "$W/$1.console" | head -3 | sed 's/^/  | /'
	else
		echo "  ok   $3"; _result pass
	fi
}

# check COND WHAT: a shell condition evaluated on the host (e.g. image checksums)
check() {
	if eval "$1"; then echo "  ok   $2"; _result pass; else echo "  FAIL $2 ($1)"; _result fail; fi
}

skip() { echo "  skipped: $*"; _result skip; }

# mkdisk_ext4 IMG DIR SIZE_MB [LABEL]: an ext4 image from a directory, without root or loop devices
mkdisk_ext4() {
	rm -f "$1"
	truncate -s "${3}M" "$1"
	mkfs.ext4 -q -F ${4:+-L "$4"} -d "$2" "$1" >/dev/null
}

# mkdisk_squashfs IMG DIR
mkdisk_squashfs() {
	rm -f "$1"
	mksquashfs "$2" "$1" -quiet -noappend -all-root -comp gzip >/dev/null
}
