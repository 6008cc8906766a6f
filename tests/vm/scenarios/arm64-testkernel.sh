# The project's aarch64 test kernel (tests/vm/kernel.sh aarch64: allnoconfig + configs/kernel-aarch64.config)
# on `qemu-system-aarch64 -M virt -cpu cortex-a53`: it boots an initramfs (ferry's /init when
# build/aarch64/ferry is there, else Debian's busybox-static:arm64 as /init), has the
# kexec_file_load that Debian's arm64 kernels lack (a raw-syscall probe: EBADF for a bad fd, not
# ENOSYS), kexec_load, loads an xz module through the kernel's decompression, and seals a trusted
# key on swtpm's TPM 2.0 behind tpm-tis-device (TIS over MMIO, from the device tree).
command -v qemu-system-aarch64 >/dev/null || { skip "qemu-system-aarch64 (qemu-system-arm) is missing"; return 0; }
command -v aarch64-linux-gnu-gcc >/dev/null || { skip "aarch64-linux-gnu-gcc (gcc-aarch64-linux-gnu) is missing"; return 0; }
if ! k=$("$TOP/tests/vm/kernel.sh" aarch64); then
	skip "the aarch64 test kernel did not build (see tests/vm/kernel.sh)"
	return 0
fi
rel=$(cat "$k/release")

# busybox-static:arm64 from Debian's archive, extracted (never installed on the host).
debs=${FERRY_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/ferry}/debs
bb=$debs/busybox-arm64/bin/busybox
if [ ! -x "$bb" ]; then
	mkdir -p "$debs"
	(cd "$debs" && apt-get download busybox-static:arm64 >/dev/null 2>&1)
	deb=$(ls "$debs"/busybox-static_*_arm64.deb 2>/dev/null | tail -n 1)
	[ -n "$deb" ] && dpkg-deb -x "$deb" "$debs/busybox-arm64"
fi
[ -x "$bb" ] || { skip "busybox-static:arm64 could not be downloaded"; return 0; }

# The probe: raw syscalls (asm-generic numbers), no libc; prints the return value (-errno).
cat > "$W/probe.c" <<'C'
static long sc(long n, long a, long b, long c, long d, long e)
{
	register long x8 __asm__("x8") = n, x0 __asm__("x0") = a, x1 __asm__("x1") = b;
	register long x2 __asm__("x2") = c, x3 __asm__("x3") = d, x4 __asm__("x4") = e;
	__asm__ volatile("svc 0" : "+r"(x0) : "r"(x8), "r"(x1), "r"(x2), "r"(x3), "r"(x4) : "memory");
	return x0;
}
static long len(const char *s) { long n = 0; while (s[n]) n++; return n; }
static void put(const char *s) { sc(64, 1, (long)s, len(s), 0, 0); }
static void num(long v)
{
	char b[24], *p = b + sizeof(b) - 1;
	int neg = v < 0;
	unsigned long u = neg ? -(unsigned long)v : (unsigned long)v;
	*p = 0;
	do { *--p = '0' + u % 10; u /= 10; } while (u);
	if (neg) *--p = '-';
	put(p);
}
static int eq(const char *a, const char *b) { while (*a && *a == *b) a++, b++; return *a == *b; }
long cmain(long *sp)
{
	char **argv = (char **)(sp + 1);
	const char *what = sp[0] > 1 ? argv[1] : "";
	long r = -22;
	if (eq(what, "kexec_file"))	/* kernel fd -1: EBADF when the syscall exists */
		r = sc(294, -1, -1, 0, (long)"", 0);
	else if (eq(what, "kexec_load"))	/* no segments: unload, 0 */
		r = sc(104, 0, 0, 0, 0, 0);
	else if (eq(what, "insmod") && sp[0] > 2) {	/* MODULE_INIT_COMPRESSED_FILE */
		r = sc(56, -100, (long)argv[2], 0, 0, 0);
		if (r >= 0) r = sc(273, r, (long)"", 4, 0, 0);
	} else if (eq(what, "trusted")) {	/* a new trusted key under the SRK, in the session keyring */
		const char *d = "new 32 keyhandle=0x81000001";
		r = sc(217, (long)"trusted", (long)"ferry-probe", (long)d, len(d), -3);
	}
	put(what); put(" "); num(r); put("\n");
	return 0;
}
__asm__(".global _start\n_start:\n\tmov x0, sp\n\tbl cmain\n\tmov x8, #93\n\tsvc 0\n");
C
aarch64-linux-gnu-gcc -Os -static -nostdlib -ffreestanding -fno-builtin -fno-stack-protector \
	-o "$W/probe" "$W/probe.c" || { skip "the probe did not build"; return 0; }

cat > "$W/target" <<T
#!/bin/sh
[ -e /proc/self ] || mount -t proc proc /proc
[ -e /sys/kernel ] || mount -t sysfs sysfs /sys
[ -e /dev/null ] || mount -t devtmpfs devtmpfs /dev
read up _ < /proc/uptime
echo "PID \$\$ ARCH \$(uname -m) RELEASE \$(uname -r) UPTIME \$up"
/probe kexec_file
/probe kexec_load
/probe insmod /lib/modules/$rel/kernel/fs/overlayfs/overlay.ko.xz
[ -d /sys/module/overlay ] && echo "MODULE overlay loaded"
dmesg | grep -q 'ferry: early: ferry is PID 1' && echo "FERRY was PID 1"
[ -e /dev/tpm0 ] && echo "TPM /dev/tpm0" && /probe trusted
poweroff -f
T
chmod 755 "$W/target"
ferry=$TOP/build/aarch64/ferry
{
	echo "dir /bin 0755 0 0"; echo "dir /dev 0755 0 0"; echo "dir /proc 0755 0 0"; echo "dir /sys 0755 0 0"
	echo "dir /sbin 0755 0 0"; echo "dir /lib 0755 0 0"; echo "dir /lib/modules 0755 0 0"
	echo "dir /lib/modules/$rel 0755 0 0"; echo "dir /lib/modules/$rel/kernel 0755 0 0"
	echo "dir /lib/modules/$rel/kernel/fs 0755 0 0"; echo "dir /lib/modules/$rel/kernel/fs/overlayfs 0755 0 0"
	echo "file /lib/modules/$rel/kernel/fs/overlayfs/overlay.ko.xz $k/modules/lib/modules/$rel/kernel/fs/overlayfs/overlay.ko.xz 0644 0 0"
	echo "file /bin/busybox $bb 0755 0 0"
	for a in sh mount uname grep dmesg poweroff cat echo ls; do echo "slink /bin/$a busybox 0777 0 0"; done
	echo "file /probe $W/probe 0755 0 0"
	if [ -x "$ferry" ]; then
		echo "dir /run 0755 0 0"; echo "dir /etc 0755 0 0"; echo "dir /newroot 0755 0 0"
		echo "file /init $ferry 0755 0 0"; echo "file /sbin/init $W/target 0755 0 0"
		echo "file /etc/ferry.conf $TOP/configs/ferry.conf 0644 0 0"
	else
		echo "file /init $W/target 0755 0 0"
	fi
} > "$W/initrd.list"
"$B/mkinitramfs" -t 0 -l 1 -o "$W/initrd" "$W/initrd.list"

# arm_boot NAME [QEMU ARGS...]: the console (ttyAMA0, the only UART on virt) is the result port.
arm_boot() {
	local name=$1; shift
	local t0; t0=$(date +%s%N)
	timeout --foreground -k 5 "${VM_TIMEOUT:-120}" qemu-system-aarch64 -M virt -cpu cortex-a53 \
		-m "$VM_MEM" -smp 1 -display none -no-reboot -nic none -serial "file:$W/$name.console" \
		-kernel "$k/Image" -initrd "$W/initrd" -append "console=ttyAMA0 printk.devkmsg=on panic=-1" \
		"$@" > "$W/$name.qemu" 2>&1 < /dev/null
	echo $? > "$W/$name.rc"
	echo "  ($name: $(( ($(date +%s%N) - t0) / 1000000 )) ms to power-off)"
}

arm_boot plain
expect plain '^PID 1 ARCH aarch64 RELEASE 6\.1\.' "the aarch64 test kernel boots its initramfs"
if [ -x "$ferry" ]; then
	expect plain '^FERRY was PID 1' "ferry (build/aarch64/ferry) runs as PID 1 and hands over"
else
	skip "build/aarch64/ferry is missing (make ARCH=aarch64): busybox was /init"
fi
expect plain '^kexec_file -9$' "kexec_file_load exists (EBADF for a bad fd, not ENOSYS)"
expect plain '^kexec_load 0$' "kexec_load exists"
expect plain '^insmod 0$' "an xz module loads through the kernel's decompression"
expect plain '^MODULE overlay loaded' "the module is live"
check '[ "$(cat "$W/plain.rc")" = 0 ]' "poweroff -f ends the VM (PSCI)"

if command -v swtpm >/dev/null && command -v swtpm_setup >/dev/null; then
	mkdir -p "$W/tpm"
	if swtpm_setup --tpm2 --tpmstate "$W/tpm" --create-spk > "$W/swtpm_setup.log" 2>&1; then
		swtpm socket --tpm2 --tpmstate dir="$W/tpm" --ctrl type=unixio,path="$W/swtpm.sock" \
			--terminate --daemon --pid file="$W/swtpm.pid" --log file="$W/swtpm.log"
		arm_boot tpm -chardev "socket,id=chrtpm,path=$W/swtpm.sock" \
			-tpmdev emulator,id=tpm0,chardev=chrtpm -device tpm-tis-device,tpmdev=tpm0
		pid=$(cat "$W/swtpm.pid" 2>/dev/null); [ -n "$pid" ] && kill "$pid" 2>/dev/null
		expect tpm '^TPM /dev/tpm0' "the TPM behind tpm-tis-device is found through the device tree"
		expect tpm '^trusted [1-9][0-9]*$' "a trusted key is sealed by the TPM"
	else
		skip "swtpm_setup failed: $(tail -n 1 "$W/swtpm_setup.log")"
	fi
else
	skip "swtpm (swtpm, swtpm-tools) is missing"
fi
