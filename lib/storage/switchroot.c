/* switch_root and pivot_root. Every check comes before the first destructive step: once the
 * initramfs is deleted there is no shell left to fall back to. */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/magic.h>
#include "reset.h"
#include "switchroot.h"

#ifndef SYS_openat2
#define SYS_openat2 437
#endif
#define RESOLVE_IN_ROOT_ 0x10
struct open_how_ { uint64_t flags, mode, resolve; };

static const char *const api_mounts[] = { "/dev", "/proc", "/sys", "/run" };

static const char *fail(int *err, int e, const char *step)
{
	*err = e;
	return step;
}

/* Open init as the new root's own processes will see it: absolute symlinks such as
 * /sbin/init -> /lib/systemd/systemd resolve inside newroot, not in the initramfs. */
static int open_in_root(int rootfd, const char *path)
{
	struct open_how_ how = { .flags = O_PATH | O_CLOEXEC, .resolve = RESOLVE_IN_ROOT_ };
	int fd = (int)syscall(SYS_openat2, rootfd, path, &how, sizeof(how));

	if (fd < 0 && (errno == ENOSYS || errno == E2BIG))  /* before Linux 5.6: follow as-is */
		fd = openat(rootfd, path + strspn(path, "/"), O_PATH | O_CLOEXEC);
	return fd < 0 ? -errno : fd;
}

static const char *check_init(const char *newroot, const char *init, int *err)
{
	struct stat st;
	int rootfd, fd;

	if ((rootfd = open(newroot, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		return fail(err, errno, "opening the new root");
	fd = open_in_root(rootfd, init);
	close(rootfd);
	if (fd < 0)
		return fail(err, -fd, "the init is missing in the new root");
	if (fstat(fd, &st)) {
		close(fd);
		return fail(err, errno, "the init is missing in the new root");
	}
	close(fd);
	if (!S_ISREG(st.st_mode) || !(st.st_mode & 0111))
		return fail(err, EACCES, "the init is not executable");
	return NULL;
}

const char *switchroot_check(const char *newroot, const char *init, int need_initramfs, int *err)
{
	struct statfs sfs;
	struct stat root, nr;

	*err = 0;
	if (getpid() != 1)
		return fail(err, EPERM, "not PID 1");
	if (statfs("/", &sfs))
		return fail(err, errno, "statfs /");
	if (need_initramfs && sfs.f_type != RAMFS_MAGIC && sfs.f_type != TMPFS_MAGIC)
		return fail(err, EINVAL, "/ is not ramfs or tmpfs");
	if (stat("/", &root) || stat(newroot, &nr))
		return fail(err, errno, "stat of / or the new root");
	if (root.st_dev == nr.st_dev)
		return fail(err, EINVAL, "the new root is on the same device as /");
	return check_init(newroot, init, err);
}

/* /dev /proc /sys /run go along; one the new root has no directory for is detached instead. */
static const char *move_api_mounts(const char *newroot, int *err)
{
	static const char *const steps[] = { "moving /dev", "moving /proc", "moving /sys", "moving /run" };
	char to[512];
	struct stat st;

	for (unsigned i = 0; i < sizeof(api_mounts) / sizeof(api_mounts[0]); i++) {
		snprintf(to, sizeof(to), "%s%s", newroot, api_mounts[i]);
		if (stat(to, &st) || !S_ISDIR(st.st_mode)) {
			(void)umount2(api_mounts[i], MNT_DETACH);
			continue;
		}
		if (mount(api_mounts[i], to, NULL, MS_MOVE, NULL) && errno != EINVAL)
			return fail(err, errno, steps[i]);   /* EINVAL: it was not a mount point */
	}
	return NULL;
}

/* Free the initramfs's memory: everything on the rootfs device, no descent into other mounts.
 * Reached through an fd saved before the move, once nothing can fail any more: the old root is
 * overmounted by then, and deleting it earlier would leave a failed switch with no initramfs. */
void switchroot_free(int fd)
{
	struct stat st;

	/* best effort: a file left behind only costs memory, and nothing can be undone now */
	if (!fstat(fd, &st))
		(void)reset_clear_dir(fd, st.st_dev);
	close(fd);
}

static const char *enter_root(const char *newroot, int *err)
{
	const char *step;

	if (chdir(newroot))
		return fail(err, errno, "chdir to the new root");
	if ((step = move_api_mounts(newroot, err)))
		return step;
	if (mount(".", "/", NULL, MS_MOVE, NULL))
		return fail(err, errno, "moving the new root onto /");
	if (chroot("."))
		return fail(err, errno, "chroot");
	if (chdir("/"))
		return fail(err, errno, "chdir /");
	return NULL;
}

const char *switchroot_enter(const char *newroot, const char *init, int *oldroot_out, int *err)
{
	const char *step = switchroot_check(newroot, init, 1, err);
	int oldroot;

	if (oldroot_out)
		*oldroot_out = -1;
	if (step)
		return step;
	if ((oldroot = open("/", O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		return fail(err, errno, "opening /");
	if ((step = enter_root(newroot, err)))
		close(oldroot);
	else if (oldroot_out)
		*oldroot_out = oldroot;
	else
		switchroot_free(oldroot);
	return step;
}

const char *pivotroot_enter(const char *newroot, const char *init, int *err)
{
	const char *step = switchroot_check(newroot, init, 0, err);

	if (step)
		return step;
	/* pivot_root refuses a shared parent mount; a root booted without an initramfs is private
	 * unless something made it shared */
	(void)mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL);
	if ((step = move_api_mounts(newroot, err)))
		return step;
	if (chdir(newroot))
		return fail(err, errno, "chdir to the new root");
	/* pivot_root(".", "."): the old root ends up stacked on the new one, then is detached;
	 * no put_old directory needed in the new root (pivot_root(2), NOTES) */
	if (syscall(SYS_pivot_root, ".", "."))
		return fail(err, errno, "pivot_root");
	if (umount2(".", MNT_DETACH))
		return fail(err, errno, "detaching the old root");
	if (chdir("/"))
		return fail(err, errno, "chdir /");
	return NULL;
}
