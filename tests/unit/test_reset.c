/* The factory reset on a temporary directory, stopped after every step as a power cut would, then
 * "rebooted": the next boot must see the old upper whole or an empty one, never a mix. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>
#include "t.h"
#include "../../lib/storage/reset.h"

static char base[] = "/tmp/ferry-reset-XXXXXX";
static char outside[300];

static void put(int rw, const char *path)
{
	int fd = openat(rw, path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	T_OK(fd >= 0);
	if (fd >= 0) {
		T_EQ(write(fd, "x", 1), 1);
		close(fd);
	}
}

static bool exists(int rw, const char *path)
{
	struct stat st;
	return !fstatat(rw, path, &st, AT_SYMLINK_NOFOLLOW);
}

/* An upper as overlayfs leaves it: dotfiles, nested and read-only dirs, a symlink out, a whiteout. */
static int make_rw(int k)
{
	char dir[300];
	snprintf(dir, sizeof(dir), "%s/rw%d", base, k);
	mkdir(dir, 0755);
	int rw = open(dir, O_RDONLY | O_DIRECTORY);
	mkdirat(rw, "a", 0755);
	mkdirat(rw, "a/upper", 0755);
	mkdirat(rw, "a/upper/etc", 0755);
	mkdirat(rw, "a/upper/.config", 0755);
	mkdirat(rw, "a/upper/ro", 0755);
	put(rw, "a/upper/etc/hostname");
	put(rw, "a/upper/.hidden");
	put(rw, "a/upper/.config/app");
	put(rw, "a/upper/ro/file");
	fchmodat(rw, "a/upper/ro", 0555, 0);
	symlinkat(outside, rw, "a/upper/link");
	(void)mknodat(rw, "a/upper/whiteout", S_IFCHR | 0, makedev(0, 0));
	mkdirat(rw, "work", 0755);
	mkdirat(rw, "work/work", 0755);
	put(rw, "work/work/stale");
	put(rw, "other-slot");       /* not ours: an A/B sibling stays */
	put(rw, RESET_MARKER);
	return rw;
}

static bool old_upper_whole(int rw)
{
	return exists(rw, "a/upper/etc/hostname") && exists(rw, "a/upper/.hidden") &&
	       exists(rw, "a/upper/.config/app") && exists(rw, "a/upper/ro/file") &&
	       exists(rw, "a/upper/link");
}

static bool upper_empty(int rw)
{
	int fd = openat(rw, "a/upper", O_RDONLY | O_DIRECTORY);
	if (fd < 0)
		return false;
	struct stat st;
	fstat(fd, &st);
	close(fd);
	return st.st_nlink == 2;   /* no subdirectories; and no file: */
}

static bool dir_is_empty(int rw, const char *path)
{
	char cmd[400];
	snprintf(cmd, sizeof(cmd), "test -z \"$(ls -A %s/%s 2>/dev/null)\" && test -d %s/%s",
		 base, path, base, path);
	return system(cmd) == 0;
}

/* What root.c does at every boot before the overlay: recover, reset if asked, make the dirs. */
static void boot(const struct reset_dirs *d, bool param)
{
	const char *failed = NULL;
	T_OK(reset_recover(d) >= 0);
	if (param || reset_requested(d->rwfd))
		T_EQ(reset_upper(d, &failed), 0);
	mkdirat(d->rwfd, "a/upper", 0755);
	mkdirat(d->rwfd, "work", 0755);
}

static void interrupted(int k, bool marker)
{
	int rw = make_rw(k + (marker ? 100 : 0));
	struct reset_dirs d = { .rwfd = rw, .upper = "a/upper", .work = "work" };
	char path[400];

	if (!marker)
		unlinkat(rw, RESET_MARKER, 0);
	T_OK(reset_recover(&d) == 0);
	for (int s = 0; s < k; s++)
		T_EQ(reset_step(&d, (enum reset_step)s), 0);
	/* the power cut: the old upper is whole, or it is gone as a whole */
	T_OK(k == 0 ? old_upper_whole(rw) : !exists(rw, "a/upper") || upper_empty(rw));
	/* the next boot, with rootrwreset= no longer on the command line */
	boot(&d, false);
	snprintf(path, sizeof(path), "rw%d/a/upper", k + (marker ? 100 : 0));
	if (k == 0 && !marker)
		T_OK(old_upper_whole(rw));   /* never committed, nobody asks again: untouched */
	else
		T_OK(dir_is_empty(rw, path));
	T_OK(!exists(rw, "a/upper" RESET_TRASH_SUFFIX));
	T_OK(!exists(rw, "work" RESET_TRASH_SUFFIX));
	/* with only the upper moved and nobody asking again, the stale workdir stays: overlayfs
	 * empties work/work itself at mount time */
	T_OK(!marker && k < 2 ? true : !exists(rw, "work/work/stale"));
	T_OK(!exists(rw, RESET_MARKER));
	T_OK(exists(rw, "other-slot"));
	T_OK(access(outside, F_OK) == 0);   /* the symlink was removed, not followed */
	close(rw);
}

static void not_crossing_mounts(void)
{
	int rw = make_rw(200);
	struct reset_dirs d = { .rwfd = rw, .upper = "a/upper", .work = "work" };
	char mnt[300];
	const char *failed = NULL;

	snprintf(mnt, sizeof(mnt), "%s/rw200/a/upper/etc", base);
	if (mount("t", mnt, "tmpfs", 0, NULL)) {
		printf("skipped: mount tmpfs (%s): reset not crossing mounts untested\n", strerror(errno));
		close(rw);
		return;
	}
	put(rw, "a/upper/etc/on-another-fs");
	int ret = reset_upper(&d, &failed);
	T_OK(ret < 0);                   /* the mount point cannot go: the failure is reported... */
	T_OK(exists(rw, "a/upper" RESET_TRASH_SUFFIX "/etc/on-another-fs"));   /* ...and kept */
	snprintf(mnt, sizeof(mnt), "%s/rw200/a/upper" RESET_TRASH_SUFFIX "/etc", base);
	T_EQ(umount(mnt), 0);
	T_EQ(reset_recover(&d), 1);
	T_OK(!exists(rw, "a/upper" RESET_TRASH_SUFFIX));
	close(rw);
}

int main(void)
{
	if (!mkdtemp(base))
		return 1;
	snprintf(outside, sizeof(outside), "%s/outside", base);
	mkdir(outside, 0755);
	snprintf(outside, sizeof(outside), "%s/outside/keep", base);
	close(open(outside, O_WRONLY | O_CREAT, 0644));
	for (int k = 0; k <= RESET_NSTEPS; k++) {
		interrupted(k, true);
		interrupted(k, false);
	}
	/* the full reset in one go, and the step names */
	int rw = make_rw(300);
	struct reset_dirs d = { .rwfd = rw, .upper = "a/upper", .work = "work" };
	const char *failed = NULL;
	T_OK(reset_requested(rw));
	T_EQ(reset_upper(&d, &failed), 0);
	T_OK(failed == NULL);
	T_OK(dir_is_empty(rw, "rw300/a/upper"));
	T_OK(!reset_requested(rw));
	T_STREQ(reset_step_name(RESET_COMMIT), "moving the upper to the trash");
	close(rw);
	not_crossing_mounts();
	char cmd[400];
	snprintf(cmd, sizeof(cmd), "chmod -R u+w %s; rm -rf %s", base, base);
	(void)system(cmd);
	return T_DONE();
}
