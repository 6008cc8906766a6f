# ferry.boot=kexec with root= as the fallback, when reboot(LINUX_REBOOT_CMD_KEXEC) itself fails
# after a good load: the rw device the kexec path remounted read-only must be read-write again
# for the overlay ferry switches into. The failure is real: a helper started by preinit unloads
# the image (KEXEC_FILE_UNLOAD) once /sys/kernel/kexec_loaded says it is there, in the window
# between ferry's load and its reboot.
source "$TOP/tests/vm/scenarios/kexec-common.inc"
source "$TOP/tests/vm/scenarios/root-common.inc"
if ! command -v musl-gcc >/dev/null; then skip "musl-gcc is missing"; return 0; fi
kx_images
root_images
kx_extlinux_disk
cat > "$W/unloader.c" <<'C'
#include <fcntl.h>
#include <time.h>
#include <unistd.h>
#include <sys/syscall.h>
int main(void)
{
	struct timespec ms = { 0, 1000000 };
	char c = 0;
	for (int i = 0; i < 600000; i++) {  /* bounded: at most ~10 minutes */
		int fd = open("/sys/kernel/kexec_loaded", O_RDONLY);
		if (fd >= 0 && read(fd, &c, 1) == 1 && c == '1') {
			syscall(SYS_kexec_file_load, -1, -1, 0, (void *)0, 1UL /* KEXEC_FILE_UNLOAD */);
			return 0;
		}
		if (fd >= 0)
			close(fd);
		nanosleep(&ms, NULL);
	}
	return 1;
}
C
musl-gcc -static -Os -o "$W/unloader" "$W/unloader.c" || { skip "musl-gcc could not build the helper"; return 0; }
printf '#!/bin/sh\n/unloader &\nexit 0\n' > "$W/preinit"
printf 'file /unloader %s 0755 0 0\nfile /preinit %s 0755 0 0\n' "$W/unloader" "$W/preinit" > "$W/rwback.list"
vm_initramfs "$W/rwback.img" --list "$W/rwback.list"
D="--disk $W/lower.sqfs --disk $W/rw.img --disk $W/disk.img"
A="ferry.boot=kexec root=/dev/vda rootrw=/dev/vdb ferry.kexec.device=/dev/vdc preinit=/preinit"

# shellcheck disable=SC2086
vm_boot rb1 --initrd "$W/rwback.img" $D --append "$A test.write=1" --timeout 300
expect rb1 'entry 0 "good": loading' "the kexec entry loads"
expect rb1 'reboot\(LINUX_REBOOT_CMD_KEXEC\): ' "the kexec reboot fails (the image was unloaded under it)"
expect rb1 'ferry: kexec: .*/media/rfs/rw read-write again for the fallback' "the rw device is made read-write again"
expect rb1 '^RW ext4 /dev/vdb rw,' "the fallback overlay's rw device is mounted read-write"
expect rb1 '^WROTE' "the target wrote its files"
# shellcheck disable=SC2086
vm_boot rb2 --initrd "$W/rwback.img" $D --append "root=/dev/vda rootrw=/dev/vdb" --timeout 300
expect rb2 '^FILE present' "what the target wrote after the failed kexec is on the rw device"
