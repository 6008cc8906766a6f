# The QEMU harness, sourced by tests/vm/run.sh (and tests/vm/demo.sh, benchmarks) with:
#   B  absolute build dir (build/ferry, build/mkinitramfs)      W  this scenario's work dir
#   RESULTS  file collecting "pass"/"fail"/"skip" lines
# A scenario (tests/vm/scenarios/*.sh) builds images, boots them with vm_boot and checks markers
# with expect/reject. Results come back on the guest's ttyS1 -> $W/NAME.out; the console goes to
# $W/NAME.console.
# VM_ARCH (x86_64, aarch64, armv7; set with vm_arch in a scenario) picks QEMU, the kernels, ferry's
# build ($B/ferry, or $B/ARCH/ferry from make ARCH=...) and the guest's busybox:
#   x86_64   qemu-system-x86_64 -machine pc; console ttyS0, results on ttyS1 (the second 16550)
#   aarch64  qemu-system-aarch64 -M virt -cpu cortex-a53 (i.MX8's core; -cpu max is ~4x slower
#            under TCG); armv7  qemu-system-arm -M virt,highmem=off -cpu cortex-a7 (i.MX7's core)
#            virt has one UART (PL011, the console ttyAMA0): results go to the second of two PCI
#            16550s (pci-serial), which Debian's arm kernels (8250_pci built in) name ttyS0, ttyS1,
#            so a target writes its markers to /dev/ttyS1 on every architecture.
# Their "cloud" kernels are Debian's linux-image-cloud-arm64 and linux-image-armmp, fetched and
# unpacked into ~/.cache/ferry by tests/vm/kernel-debian.sh (never installed on the host).

TOP=${TOP:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
: "${RESULTS:=/dev/null}"
VM_MEM=${VM_MEM:-512}
VM_ARCH=${VM_ARCH:-x86_64}
VM_BASE_APPEND="console=ttyS0 printk.devkmsg=on panic=-1"

# vm_debian PART: the cache dir of Debian's kernel (PART=kernel) or busybox for $VM_ARCH (looked up
# once per scenario by vm_arch)
vm_debian() {
	local v=VM_DEBIAN_${VM_ARCH}_$1
	if [ -n "${!v:-}" ]; then echo "${!v}"; else "$TOP/tests/vm/kernel-debian.sh" "$VM_ARCH" "$1"; fi
}

vm_cloud_release() {
	case $VM_ARCH in
	x86_64) ls /boot/vmlinuz-*-cloud-amd64 2>/dev/null | sort -V | tail -n 1 | sed 's|/boot/vmlinuz-||' ;;
	*) d=$(vm_debian kernel) && cat "$d/release" ;;
	esac
}

# vm_kernel cloud|test -> path of the kernel image (for $VM_ARCH)
vm_kernel() {
	local k
	case $1.$VM_ARCH in
	cloud.x86_64) echo "/boot/vmlinuz-$(vm_cloud_release)" ;;
	cloud.*) k=$(vm_debian kernel) && echo "$k/boot/vmlinuz-$(cat "$k/release")" ;;
	test.x86_64) echo "$("$TOP/tests/vm/kernel.sh")/bzImage" ;;
	test.aarch64) echo "$("$TOP/tests/vm/kernel.sh" aarch64)/Image" ;;
	*) echo "vm_kernel: no kernel $1 for $VM_ARCH" >&2; return 1 ;;
	esac
}

# vm_moddir cloud|test -> the kernel's /lib/modules/<release> on the host (for $VM_ARCH)
vm_moddir() {
	local k
	case $1.$VM_ARCH in
	cloud.x86_64) echo "/lib/modules/$(vm_cloud_release)" ;;
	cloud.*) k=$(vm_debian kernel) && echo "$k/lib/modules/$(cat "$k/release")" ;;
	test.x86_64) k=$("$TOP/tests/vm/kernel.sh"); echo "$k/modules/lib/modules/$(cat "$k/release")" ;;
	test.aarch64) k=$("$TOP/tests/vm/kernel.sh" aarch64); echo "$k/modules/lib/modules/$(cat "$k/release")" ;;
	*) echo "vm_moddir: no kernel $1 for $VM_ARCH" >&2; return 1 ;;
	esac
}

# vm_busybox -> a static busybox for the guest: the host's on x86_64, Debian's busybox-static of
# $VM_ARCH otherwise
vm_busybox() {
	case $VM_ARCH in
	x86_64) echo /bin/busybox ;;
	*) d=$(vm_debian busybox) && echo "$d/bin/busybox" ;;
	esac
}

# vm_ferry_build -> the build dir holding ferry for $VM_ARCH ($B, or $B/ARCH for make ARCH=ARCH)
vm_ferry_build() {
	case $VM_ARCH in x86_64) echo "$B" ;; *) echo "$B/$VM_ARCH" ;; esac
}

# vm_unavailable WHY: this layer cannot run here. Under CI=true that is a failure (CI must run every
# layer); elsewhere the scenario prints "skipped: WHY".
vm_unavailable() {
	if [ "${CI:-}" = true ]; then
		echo "  FAIL the $VM_ARCH layer cannot run under CI: $*"; _result fail
	else
		skip "$*"
	fi
}

# vm_arch ARCH: this scenario boots ARCH. False (after vm_unavailable) when QEMU, the kernel,
# busybox or ferry's build for ARCH is missing; a scenario then ends: vm_arch aarch64 || return 0
vm_arch() {
	VM_ARCH=$1
	local q
	q=$(vm_qemu) || return 1
	if ! command -v "$q" >/dev/null; then vm_unavailable "no $q (tools/deps.sh installs it)"; return 1; fi
	local k bb
	if [ "$VM_ARCH" != x86_64 ]; then
		if ! k=$(vm_debian kernel) || ! bb=$(vm_debian busybox); then
			vm_unavailable "Debian's $VM_ARCH kernel or busybox could not be fetched (tests/vm/kernel-debian.sh $VM_ARCH)"
			return 1
		fi
		printf -v "VM_DEBIAN_${1}_kernel" %s "$k"; printf -v "VM_DEBIAN_${1}_busybox" %s "$bb"
	fi
	if [ ! -x "$(vm_ferry_build)/ferry" ]; then
		vm_unavailable "no $(vm_ferry_build)/ferry (make ARCH=$VM_ARCH)"; return 1
	fi
}

# vm_qemu -> the QEMU system emulator for $VM_ARCH
vm_qemu() {
	case $VM_ARCH in
	x86_64) echo qemu-system-x86_64 ;;
	aarch64) echo qemu-system-aarch64 ;;
	armv7) echo qemu-system-arm ;;
	*) echo "vm: unknown VM_ARCH $VM_ARCH (x86_64, aarch64, armv7)" >&2; return 1 ;;
	esac
}

# The busybox applets a target script may use; module tools are left out on purpose: the kernel's
# modprobe helper is ferry (/sbin/modprobe -> /init).
vm_busybox_list() {
	echo "dir /bin 0755 0 0"
	echo "file /bin/busybox $(vm_busybox) 0755 0 0"
	for a in $(/bin/busybox --list); do
		case $a in busybox|modprobe|insmod|rmmod|depmod|lsmod|modinfo|init|linuxrc) continue ;; esac
		echo "slink /bin/$a /bin/busybox 0777 0 0"
	done
	echo "slink /sbin/poweroff /bin/busybox 0777 0 0"
	echo "slink /sbin/reboot /bin/busybox 0777 0 0"
}

# vm_virt_modules MODDIR: the modules a QEMU virt machine and the scenarios can use (filesystems,
# crypto, virtio, block, dm, char, rtc, gpio, firmware, evdev, virtio_net). The armv7 initramfs
# carries these rather than all of armmp's 3500 modules (160 MB, a minute to unpack under TCG).
vm_virt_modules() {
	local k=$1/kernel d
	for d in fs crypto lib arch drivers/virtio drivers/block drivers/md drivers/char drivers/rtc \
		drivers/gpio drivers/firmware drivers/input/evdev.ko drivers/net/virtio_net.ko; do
		find "$k/$d" -name '*.ko*' 2>/dev/null
	done | sed 's|.*/||; s|\.ko.*||' | sort | tr '\n' ' '
}

# vm_initramfs OUT [--conf FILE] [--init SCRIPT] [--kernel cloud|test] [--modules "m1 m2"|all]
#   (default: all, on armv7 vm_virt_modules)
#              [--moddir DIR] [--list FILE] [--no-ferry] [--no-busybox]
vm_initramfs() {
	local out=$1 conf= init= kernel=cloud modules=default moddir= extra= ferry=1 bb=1
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
	if [ "$modules" = default ]; then
		modules=all
		[ "$VM_ARCH" = armv7 ] && modules=$(vm_virt_modules "$moddir")
	fi
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
	FERRY_BUILD=$(vm_ferry_build) FERRY_TOP=$TOP \
		"$B/mkinitramfs" -t 0 -l "${VM_GZIP_LEVEL:-1}" "${mods[@]}" -o "$out" "$list"
}

# vm_boot NAME --initrd FILE [--kernel cloud|test|PATH] [--append WORDS] [--disk IMG]... [--timeout S]
#         [--nic ARGS] [--qemu "ARGS"] [--monitor]   -> $W/NAME.console, $W/NAME.out, $W/NAME.rc
vm_boot() {
	local name=$1 initrd= kernel=cloud append= timeout=${VM_TIMEOUT:-90} nic=none qemu= monitor=
	# An arm guest under TCG boots in 10-30 s here, 60-90 s (armv7) when the machine is loaded
	[ "$VM_ARCH" = x86_64 ] || timeout=${VM_TIMEOUT:-240}
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
	case $kernel in cloud|test) kernel=$(vm_kernel "$kernel") || return 1 ;; esac
	local q console=ttyS0 args
	q=$(vm_qemu) || return 1
	case $VM_ARCH in
	x86_64) args=(-machine pc -serial "file:$W/$name.console" -serial "file:$W/$name.out") ;;
	*)
		case $VM_ARCH in
		aarch64) args=(-machine virt -cpu cortex-a53) ;;
		armv7) args=(-machine virt,highmem=off -cpu cortex-a7) ;;
		esac
		console=ttyAMA0
		args+=(-serial "file:$W/$name.console"
			-chardev null,id=vmnull -device pci-serial,chardev=vmnull
			-chardev "file,id=vmout,path=$W/$name.out" -device pci-serial,chardev=vmout) ;;
	esac
	args+=(-m "$VM_MEM" -smp 1 -display none -no-reboot -nic "$nic"
		-kernel "$kernel" -append "${VM_BASE_APPEND/console=ttyS0/console=$console} $append" "${disks[@]}")
	[ -n "$initrd" ] && args+=(-initrd "$initrd")
	[ -e /dev/kvm ] && [ "${VM_KVM:-0}" = 1 ] && [ "$VM_ARCH" = x86_64 ] && args+=(-accel kvm)
	# shellcheck disable=SC2086
	timeout --foreground -k 5 "$timeout" "$q" "${args[@]}" $monitor $qemu \
		> "$W/$name.qemu" 2>&1 < /dev/null
	echo $? > "$W/$name.rc"
	[ "$(cat "$W/$name.rc")" = 124 ] && echo "  ($name: timed out after ${timeout}s)"
	return 0
}

# vm_timedout NAME: true when the VM ran into its timeout
vm_timedout() { [ "$(cat "$W/$1.rc" 2>/dev/null)" = 124 ]; }

# console_wait NAME REGEX SECONDS: wait (polling every 0.05 s) until REGEX (grep -E) shows on the
# console of the VM NAME booting in the background, for at most SECONDS; false if it did not.
console_wait() {
	local end=$(( $(date +%s) + $3 ))
	until grep -Eaq -- "$2" "$W/$1.console" 2>/dev/null; do
		[ "$(date +%s)" -ge "$end" ] && return 1
		sleep 0.05
	done
}

# console_ts NAME REGEX: the kernel timestamp (seconds) of the first console line of NAME matching REGEX
console_ts() { grep -Ea -- "$2" "$W/$1.console" | head -n 1 | sed -n 's/^\[ *\([0-9]*\.[0-9]*\)\].*/\1/p'; }

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
