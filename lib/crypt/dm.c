/* Device-mapper: one request buffer per ioctl, built by dm_build. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>
#include "dm.h"

_Static_assert(sizeof(struct dm_ioctl) == 312, "struct dm_ioctl is 312 bytes");
_Static_assert(sizeof(struct dm_target_spec) == 40, "struct dm_target_spec is 40 bytes");

static int sys_ioctl(int fd, unsigned long req, void *arg)
{
	return ioctl(fd, req, arg);
}

int dm_open(struct dm_ctl *c)
{
	c->ioctl = sys_ioctl;
	c->devdir = "/dev/mapper";
	c->fd = open(DM_CONTROL, O_RDWR | O_CLOEXEC);
	return c->fd < 0 ? -errno : 0;
}

void dm_close(struct dm_ctl *c)
{
	if (c->fd >= 0)
		(void)close(c->fd);
	c->fd = -1;
}

static int put_str(char *dst, size_t dstlen, const char *s)
{
	size_t n = s ? strlen(s) : 0;

	if (n >= dstlen)
		return -1;
	memcpy(dst, s ? s : "", n + 1);
	return 0;
}

/* One target spec and its parameters at off; returns the aligned size used, 0 when full. */
static size_t put_target(uint8_t *buf, size_t buflen, size_t off, const struct dm_target *t)
{
	struct dm_target_spec sp;
	size_t plen = strlen(t->params) + 1;
	size_t size = (sizeof(sp) + plen + 7) & ~(size_t)7;

	if (off + size > buflen || size > UINT32_MAX)
		return 0;
	memset(&sp, 0, sizeof(sp));
	sp.sector_start = t->start;
	sp.length = t->length;
	sp.next = size;
	if (put_str(sp.target_type, sizeof(sp.target_type), t->type) < 0)
		return 0;
	memcpy(buf + off, &sp, sizeof(sp));
	memset(buf + off + sizeof(sp), 0, size - sizeof(sp));
	memcpy(buf + off + sizeof(sp), t->params, plen);
	return size;
}

size_t dm_build(void *buf, size_t buflen, const char *name, const char *uuid, uint32_t flags,
		const struct dm_target *t, size_t nt)
{
	struct dm_ioctl *io = buf;
	size_t off = sizeof(*io);

	if (buflen < sizeof(*io))
		return 0;
	memset(io, 0, sizeof(*io));
	io->version[0] = DM_VERSION_MAJOR;
	io->flags = flags;
	io->data_start = sizeof(*io);
	io->target_count = nt;
	if (put_str(io->name, sizeof(io->name), name) < 0 || put_str(io->uuid, sizeof(io->uuid), uuid) < 0)
		return 0;
	for (size_t i = 0; i < nt; i++) {
		size_t n = put_target(buf, buflen, off, &t[i]);
		if (!n)
			return 0;
		off += n;
	}
	io->data_size = off;
	return off;
}

/* One request with no payload; errno kept. */
static int dm_simple(const struct dm_ctl *c, unsigned long req, const char *name, uint32_t flags,
		     struct dm_ioctl *out)
{
	struct dm_ioctl io;

	if (!dm_build(&io, sizeof(io), name, NULL, flags, NULL, 0)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	if (c->ioctl(c->fd, req, &io) < 0)
		return -1;
	if (out)
		*out = io;
	return 0;
}

/* <devdir>/<name> as a block node: devtmpfs only makes /dev/dm-N. */
static int make_node(const struct dm_ctl *c, const char *name, dev_t dev)
{
	char path[DM_NAME_LEN + 64];

	if ((size_t)snprintf(path, sizeof(path), "%s/%s", c->devdir, name) >= sizeof(path)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	if (mkdir(c->devdir, 0755) < 0 && errno != EEXIST)
		return -1;
	/* A stale node from an earlier mapping may point at another minor. */
	if (unlink(path) < 0 && errno != ENOENT)
		return -1;
	return mknod(path, S_IFBLK | 0600, dev);
}

static int load_table(const struct dm_ctl *c, const char *name, const struct dm_target *t,
		      size_t nt, bool readonly)
{
	uint8_t buf[DM_BUF_MAX] __attribute__((aligned(8)));
	uint32_t flags = DM_SECURE_DATA_FLAG | (readonly ? DM_READONLY_FLAG : 0);
	int ret = 0, saved;

	if (!dm_build(buf, sizeof(buf), name, NULL, flags, t, nt)) {
		errno = E2BIG;
		return -1;
	}
	if (c->ioctl(c->fd, DM_TABLE_LOAD, buf) < 0)
		ret = -1;
	saved = errno;
	/* The table names a key, never holds one; clear it anyway, it says which key. */
	explicit_bzero(buf, sizeof(buf));
	errno = saved;
	return ret;
}

const char *dm_create(const struct dm_ctl *c, const char *name, const char *uuid,
		      const struct dm_target *t, size_t nt, bool readonly, dev_t *dev)
{
	struct dm_ioctl io;
	const char *step;
	int saved;

	step = "checking the device-mapper version";
	if (dm_simple(c, DM_VERSION, NULL, 0, &io) < 0)
		return step;
	if (io.version[0] != DM_VERSION_MAJOR) {
		errno = EPROTO;
		return step;
	}
	step = "creating the device";
	if (!dm_build(&io, sizeof(io), name, uuid, 0, NULL, 0)) {
		errno = ENAMETOOLONG;
		return step;
	}
	if (c->ioctl(c->fd, DM_DEV_CREATE, &io) < 0)
		return step;
	*dev = makedev(major(io.dev), minor(io.dev));
	step = "loading the table";
	if (load_table(c, name, t, nt, readonly) < 0)
		goto undo;
	/* A new device starts suspended with its table inactive; resume swaps it in. */
	step = "resuming the device";
	if (dm_simple(c, DM_DEV_SUSPEND, name, 0, NULL) < 0)
		goto undo;
	step = "creating the device node";
	if (make_node(c, name, *dev) < 0)
		goto undo;
	return NULL;
undo:
	saved = errno;
	(void)dm_simple(c, DM_DEV_REMOVE, name, 0, NULL);
	errno = saved;
	return step;
}

int dm_remove(const struct dm_ctl *c, const char *name)
{
	char path[DM_NAME_LEN + 64];

	if (dm_simple(c, DM_DEV_REMOVE, name, 0, NULL) < 0)
		return -errno;
	if ((size_t)snprintf(path, sizeof(path), "%s/%s", c->devdir, name) < sizeof(path))
		(void)unlink(path);
	return 0;
}

const char *dm_reload(const struct dm_ctl *c, const char *name, const struct dm_target *t, size_t nt,
		      bool readonly)
{
	if (load_table(c, name, t, nt, readonly) < 0)
		return "loading the new table";
	/* resume suspends the device itself when it holds an inactive table, then swaps it in */
	if (dm_simple(c, DM_DEV_SUSPEND, name, 0, NULL) < 0)
		return "resuming with the new table";
	return NULL;
}
