/* switch_root inside a sandbox: a mount and PID namespace whose "/" is a fresh tmpfs (the
 * initramfs) with a second tmpfs as the new root, so switchroot_enter runs for real as PID 1.
 * chroot(2) is faked at the link seam to fail on demand: a switch that fails must leave the
 * initramfs whole, and one that works must empty it. */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <linux/magic.h>
#include "t.h"
#include "../../lib/storage/switchroot.h"

static int fail_chroot;

/* The seam: lib/storage/switchroot.c's chroot resolves to this one. */
int chroot(const char *path)
{
	if (fail_chroot) {
		errno = EPERM;
		return -1;
	}
	return (int)syscall(SYS_chroot, path);
}

static int put(const char *path, mode_t mode)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode);

	if (fd < 0)
		return -1;
	(void)!write(fd, "x\n", 2);
	return close(fd);
}

/* In the new namespaces, as PID 1: build the sandbox and chroot into it. 0 when "/" is the tmpfs. */
static int sandbox(const char *dir)
{
	struct statfs sfs;
	char p[256];

	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) || mount("tmpfs", dir, "tmpfs", 0, "size=1m"))
		return -1;
	snprintf(p, sizeof(p), "%s/newroot", dir);
	if (mkdir(p, 0755) || mount("tmpfs", p, "tmpfs", 0, "size=1m"))
		return -1;
	snprintf(p, sizeof(p), "%s/newroot/sbin", dir);
	if (mkdir(p, 0755))
		return -1;
	snprintf(p, sizeof(p), "%s/newroot/sbin/init", dir);
	if (put(p, 0755))
		return -1;
	snprintf(p, sizeof(p), "%s/keep", dir);
	if (put(p, 0644))
		return -1;
	snprintf(p, sizeof(p), "%s/dir", dir);
	if (mkdir(p, 0755))
		return -1;
	if (syscall(SYS_chroot, dir) || chdir("/"))
		return -1;
	/* Never let switchroot_enter near a real root: "/" must be the sandbox's tmpfs. */
	if (statfs("/", &sfs) || sfs.f_type != TMPFS_MAGIC || access("/keep", F_OK))
		return -1;
	return 0;
}

static void case_chroot_fails(int oldroot)
{
	int err = 0;
	const char *step;

	fail_chroot = 1;
	step = switchroot_enter("/newroot", "/sbin/init", NULL, &err);
	T_STREQ(step, "chroot");
	T_EQ(err, EPERM);
	/* nothing can be booted, but the initramfs (its shell, its files) is still there */
	T_OK(faccessat(oldroot, "keep", F_OK, 0) == 0);
	T_OK(faccessat(oldroot, "dir", F_OK, 0) == 0);
}

static void case_switch_works(int oldroot)
{
	int err = 0;
	const char *step;

	fail_chroot = 0;
	step = switchroot_enter("/newroot", "/sbin/init", NULL, &err);
	T_CHECK(step == NULL, "step %s: %s", step, strerror(err));
	T_OK(access("/sbin/init", X_OK) == 0);    /* inside the new root */
	T_OK(faccessat(oldroot, "keep", F_OK, 0) < 0 && errno == ENOENT);
	T_OK(faccessat(oldroot, "dir", F_OK, 0) < 0 && errno == ENOENT);
	T_OK(faccessat(oldroot, "newroot", F_OK, 0) < 0 && errno == ENOENT);
}

/* The old root handed over: nothing deleted until switchroot_free(), which empties it. */
static void case_switch_handover(int oldroot)
{
	int err = 0, fd = -2;
	const char *step;

	fail_chroot = 0;
	step = switchroot_enter("/newroot", "/sbin/init", &fd, &err);
	T_CHECK(step == NULL, "step %s: %s", step, strerror(err));
	T_OK(fd >= 0);
	T_OK(access("/sbin/init", X_OK) == 0);
	T_OK(faccessat(oldroot, "keep", F_OK, 0) == 0);
	T_OK(faccessat(oldroot, "dir", F_OK, 0) == 0);
	if (fd >= 0)
		switchroot_free(fd);
	T_OK(faccessat(oldroot, "keep", F_OK, 0) < 0 && errno == ENOENT);
	T_OK(faccessat(oldroot, "dir", F_OK, 0) < 0 && errno == ENOENT);
	T_OK(faccessat(oldroot, "newroot", F_OK, 0) < 0 && errno == ENOENT);
}

/* A failed switch hands nothing over: *oldroot is -1 and the initramfs is whole. */
static void case_fail_handover(int oldroot)
{
	int err = 0, fd = -2;

	fail_chroot = 1;
	T_STREQ(switchroot_enter("/newroot", "/sbin/init", &fd, &err), "chroot");
	T_EQ(fd, -1);
	T_OK(faccessat(oldroot, "keep", F_OK, 0) == 0);
}

static int write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY), ok;

	if (fd < 0)
		return -1;
	ok = write(fd, text, strlen(text)) == (ssize_t)strlen(text);
	close(fd);
	return ok ? 0 : -1;
}

/* Not root: a user namespace in which this uid is 0, so the sandbox can mount its tmpfs. */
static int enter_namespaces(void)
{
	char map[64];
	uid_t uid = geteuid();
	gid_t gid = getegid();

	if (!uid)
		return unshare(CLONE_NEWNS | CLONE_NEWPID);
	if (unshare(CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWPID))
		return -1;
	snprintf(map, sizeof(map), "0 %u 1\n", (unsigned)uid);
	if (write_file("/proc/self/setgroups", "deny") || write_file("/proc/self/uid_map", map))
		return -1;
	snprintf(map, sizeof(map), "0 %u 1\n", (unsigned)gid);
	return write_file("/proc/self/gid_map", map);
}

/* Run one case as PID 1 of a new PID and mount namespace; its counts come back on a pipe. */
static void run_as_pid1(void (*fn)(int oldroot))
{
	char dir[] = "/tmp/ferry-switchroot.XXXXXX";
	int p[2], counts[2] = { 0, 0 }, status;
	pid_t pid;

	if (!mkdtemp(dir) || pipe(p) || (pid = fork()) < 0) {
		T_CHECK(0, "pipe/fork: %s", strerror(errno));
		return;
	}
	if (pid == 0) {
		close(p[0]);
		if (enter_namespaces()) {
			counts[0] = -errno;
			(void)!write(p[1], counts, sizeof(counts));
			_exit(0);
		}
		if ((pid = fork()) == 0) {
			int oldroot;
			if (getpid() != 1 || sandbox(dir) || (oldroot = open("/", O_RDONLY | O_DIRECTORY)) < 0) {
				counts[1] = 1;
				(void)!write(p[1], counts, sizeof(counts));
				_exit(1);
			}
			t_passed = t_failed = 0;  /* this case's own counts, not the parent's so far */
			fn(oldroot);
			counts[0] = t_passed, counts[1] = t_failed;
			(void)!write(p[1], counts, sizeof(counts));
			_exit(0);
		}
		_exit(pid > 0 && waitpid(pid, &status, 0) == pid && WIFEXITED(status) ? WEXITSTATUS(status) : 1);
	}
	close(p[1]);
	if (read(p[0], counts, sizeof(counts)) != sizeof(counts))
		counts[1] = 1;
	close(p[0]);
	(void)waitpid(pid, &status, 0);
	(void)rmdir(dir);  /* the tmpfs on it went with the namespace */
	if (counts[0] < 0) {
		printf("skipped: switch_root sandbox: unshare: %s\n", strerror(-counts[0]));
		return;
	}
	T_CHECK(counts[1] == 0, "%d checks failed in the sandbox", counts[1]);
	T_OK(counts[0] > 0);
	t_passed += counts[0] > 0 ? counts[0] - 1 : 0;
}

int main(void)
{
	run_as_pid1(case_chroot_fails);
	run_as_pid1(case_switch_works);
	run_as_pid1(case_switch_handover);
	run_as_pid1(case_fail_handover);
	return T_DONE();
}
