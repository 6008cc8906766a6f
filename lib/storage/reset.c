/* Factory reset of the upper directory: rename to trash (commit), sync, delete, recreate. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "reset.h"

static const char *const step_names[RESET_NSTEPS] = {
	[RESET_COMMIT] = "moving the upper to the trash",
	[RESET_WORK] = "moving the workdir to the trash",
	[RESET_SYNC] = "syncing the renames",
	[RESET_UNMARK] = "removing the marker",
	[RESET_DELETE] = "deleting the trash",
	[RESET_RECREATE] = "recreating the upper",
};

const char *reset_step_name(enum reset_step s)
{
	return s < RESET_NSTEPS ? step_names[s] : "?";
}

static void remember(int *first, int err)
{
	if (err && !*first)
		*first = err;
}

/* One entry of a directory being emptied: recurse into same-device directories, unlink the rest. */
static int clear_entry(int dfd, const char *name, dev_t dev)
{
	struct stat st;
	int ret = 0;

	if (fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW))
		return errno == ENOENT ? 0 : -errno;
	if (st.st_dev != dev)
		return 0;   /* a mount point: the mounted filesystem's root has its own st_dev */
	if (!S_ISDIR(st.st_mode))
		return unlinkat(dfd, name, 0) && errno != ENOENT ? -errno : 0;
	int sub = openat(dfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (sub < 0)
		return -errno;
	ret = reset_clear_dir(sub, dev);
	close(sub);
	if (unlinkat(dfd, name, AT_REMOVEDIR) && errno != ENOENT)
		remember(&ret, -errno);
	return ret;
}

int reset_clear_dir(int dfd, dev_t dev)
{
	int fd = openat(dfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC), ret = 0;
	struct dirent *e;
	DIR *d;

	if (fd < 0)
		return -errno;
	if (!(d = fdopendir(fd))) {
		close(fd);
		return -errno;
	}
	/* removing the entry readdir just returned is safe; a fresh fd keeps dfd's offset alone */
	while ((errno = 0, e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		remember(&ret, clear_entry(dirfd(d), e->d_name, dev));
	}
	remember(&ret, errno ? -errno : 0);
	closedir(d);
	return ret;
}

/* fsync the directory holding path (relative to rwfd): that is where a rename or unlink lives. */
static int sync_parent(int rwfd, const char *path)
{
	const char *slash = strrchr(path, '/');
	char dir[512];
	int fd, ret = 0;

	if (!slash)
		return fsync(rwfd) ? -errno : 0;
	if ((size_t)(slash - path) >= sizeof(dir))
		return -ENAMETOOLONG;
	memcpy(dir, path, (size_t)(slash - path));
	dir[slash - path] = '\0';
	if ((fd = openat(rwfd, dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		return errno == ENOENT ? 0 : -errno;
	if (fsync(fd))
		ret = -errno;
	close(fd);
	return ret;
}

static int trash_name(const char *dir, char *out, size_t len)
{
	int n = snprintf(out, len, "%s%s", dir, RESET_TRASH_SUFFIX);
	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

/* rename dir -> dir.ferry-trash; a missing dir is fine (never created, or already moved). */
static int to_trash(int rwfd, const char *dir)
{
	char trash[512];
	int ret = trash_name(dir, trash, sizeof(trash));

	if (ret)
		return ret;
	if (renameat(rwfd, dir, rwfd, trash) && errno != ENOENT)
		return -errno;
	return 0;
}

/* Delete dir.ferry-trash if it exists. 1: deleted, 0: there was none. */
static int delete_trash(int rwfd, const char *dir)
{
	char trash[512];
	struct stat st;
	int fd, ret = trash_name(dir, trash, sizeof(trash));

	if (ret)
		return ret;
	if ((fd = openat(rwfd, trash, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) < 0)
		return errno == ENOENT ? 0 : -errno;
	ret = fstat(fd, &st) ? -errno : reset_clear_dir(fd, st.st_dev);
	close(fd);
	if (!ret && unlinkat(rwfd, trash, AT_REMOVEDIR))
		ret = -errno;
	if (!ret)
		ret = sync_parent(rwfd, trash);
	return ret ? ret : 1;
}

/* mkdir -p below rwfd */
static int make_dirs(int rwfd, const char *path)
{
	char buf[512];
	size_t n = strlen(path);

	if (n >= sizeof(buf))
		return -ENAMETOOLONG;
	memcpy(buf, path, n + 1);
	for (char *p = buf; ; p++) {
		if (*p != '/' && *p)
			continue;
		char c = *p;
		*p = '\0';
		if (mkdirat(rwfd, buf, 0755) && errno != EEXIST)
			return -errno;
		if (!(*p = c))
			break;
	}
	return 0;
}

int reset_step(const struct reset_dirs *d, enum reset_step s)
{
	int ret;

	switch (s) {
	case RESET_COMMIT:
		return to_trash(d->rwfd, d->upper);
	case RESET_WORK:
		return to_trash(d->rwfd, d->work);
	case RESET_SYNC:
		ret = sync_parent(d->rwfd, d->upper);
		return ret ? ret : sync_parent(d->rwfd, d->work);
	case RESET_UNMARK:
		if (unlinkat(d->rwfd, RESET_MARKER, 0) && errno != ENOENT)
			return -errno;
		return fsync(d->rwfd) ? -errno : 0;
	case RESET_DELETE:
		ret = reset_recover(d);
		return ret < 0 ? ret : 0;
	case RESET_RECREATE:
		if ((ret = make_dirs(d->rwfd, d->upper)) || (ret = make_dirs(d->rwfd, d->work)))
			return ret;
		ret = sync_parent(d->rwfd, d->upper);
		return ret ? ret : sync_parent(d->rwfd, d->work);
	default:
		return -EINVAL;
	}
}

int reset_recover(const struct reset_dirs *d)
{
	int a = delete_trash(d->rwfd, d->upper);
	if (a < 0)
		return a;
	int b = delete_trash(d->rwfd, d->work);
	if (b < 0)
		return b;
	return a || b;
}

bool reset_requested(int rwfd)
{
	struct stat st;
	return !fstatat(rwfd, RESET_MARKER, &st, AT_SYMLINK_NOFOLLOW);
}

int reset_upper(const struct reset_dirs *d, const char **failed)
{
	int ret = reset_recover(d);

	if (ret < 0) {
		*failed = "finishing an earlier reset";
		return ret;
	}
	for (int s = 0; s < RESET_NSTEPS; s++) {
		if ((ret = reset_step(d, (enum reset_step)s))) {
			*failed = reset_step_name((enum reset_step)s);
			return ret;
		}
	}
	return 0;
}
