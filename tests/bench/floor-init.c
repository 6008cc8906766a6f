/* The floor of tests/bench/modules.sh: an /init that makes only the syscalls the overlay boot
 * needs, and nothing else. It mounts /dev, /proc, /sys; loads the modules listed in /floor.list
 * (paths under /lib/modules/<release>, one a line, already in modules.dep order: dependencies
 * first) by finit_module; polls (1 ms) for /dev/vda and /dev/vdb; mounts squashfs, ext4 and the
 * overlay; moves the mounts into the new root, switches root (mount --move, chroot) and execs
 * /sbin/init. No parsing beyond lines, no error handling beyond giving up. Static, musl. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>

static void wait_for(const char *dev)
{
	struct stat st;
	struct timespec ms = { 0, 1000000 };

	for (int i = 0; i < 10000 && stat(dev, &st) < 0; i++)
		nanosleep(&ms, NULL);
}

int main(void)
{
	char list[8192], path[512];
	struct utsname u;
	ssize_t n;
	int fd;

	mount("devtmpfs", "/dev", "devtmpfs", 0, NULL);
	mount("proc", "/proc", "proc", 0, NULL);
	mount("sysfs", "/sys", "sysfs", 0, NULL);
	uname(&u);
	fd = open("/floor.list", O_RDONLY);
	n = fd >= 0 ? read(fd, list, sizeof(list) - 1) : 0;
	list[n > 0 ? n : 0] = '\0';
	for (char *line = strtok(list, "\n"); line; line = strtok(NULL, "\n")) {
		snprintf(path, sizeof(path), "/lib/modules/%s/%s", u.release, line);
		int m = open(path, O_RDONLY | O_CLOEXEC);
		if (m >= 0) {
			syscall(SYS_finit_module, m, "", 0);
			close(m);
		}
	}
	wait_for("/dev/vda");
	mount("/dev/vda", "/media/rfs/ro", "squashfs", MS_RDONLY | MS_NOATIME, NULL);
	wait_for("/dev/vdb");
	mount("/dev/vdb", "/media/rfs/rw", "ext4", MS_NOATIME, NULL);
	mkdir("/media/rfs/rw/upperdir", 0755);
	mkdir("/media/rfs/rw/work", 0755);
	mkdir("/newroot", 0755);
	mount("overlay", "/newroot", "overlay", 0,
	      "lowerdir=/media/rfs/ro,upperdir=/media/rfs/rw/upperdir,workdir=/media/rfs/rw/work");
	mount("/media/rfs/ro", "/newroot/media/rfs/ro", NULL, MS_MOVE, NULL);
	mount("/media/rfs/rw", "/newroot/media/rfs/rw", NULL, MS_MOVE, NULL);
	mount("/dev", "/newroot/dev", NULL, MS_MOVE, NULL);
	mount("/proc", "/newroot/proc", NULL, MS_MOVE, NULL);
	mount("/sys", "/newroot/sys", NULL, MS_MOVE, NULL);
	if (chdir("/newroot") == 0 && mount(".", "/", NULL, MS_MOVE, NULL) == 0 && chroot(".") == 0 &&
	    chdir("/") == 0)
		execl("/sbin/init", "/sbin/init", (char *)NULL);
	return 1;
}
