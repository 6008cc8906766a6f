/* Device-mapper through its ioctls on /dev/mapper/control: create, load, resume, remove; and
 * the /dev/mapper/<name> node, since there is no udev to make it. The ABI below is the kernel's
 * include/uapi/linux/dm-ioctl.h (interface 4), written out so that musl builds do not mix
 * <linux/ioctl.h> with <sys/ioctl.h>; tests/unit/test_dm.c compares it with the kernel header. */
#ifndef FERRY_DM_H
#define FERRY_DM_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/ioctl.h>
#include <sys/types.h>

#define DM_NAME_LEN 128
#define DM_UUID_LEN 129
#define DM_MAX_TYPE_NAME 16

struct dm_ioctl {
	uint32_t version[3];  /* in: the interface we speak; out: the kernel's */
	uint32_t data_size;   /* the whole buffer, this struct included */
	uint32_t data_start;  /* where the payload (targets) starts */
	uint32_t target_count;
	int32_t open_count;
	uint32_t flags;
	uint32_t event_nr;
	uint32_t padding;
	uint64_t dev;         /* out: the new device, in the kernel's huge encoding (major()/minor()) */
	char name[DM_NAME_LEN];
	char uuid[DM_UUID_LEN];
	char data[7];
};

/* One target in a DM_TABLE_LOAD payload; its parameter string follows, NUL-terminated, and
 * `next` is the distance to the next spec, a multiple of 8. */
struct dm_target_spec {
	uint64_t sector_start;
	uint64_t length;
	int32_t status;
	uint32_t next;
	char target_type[DM_MAX_TYPE_NAME];
};

#define DM_IOCTL_TYPE 0xfd
/* Command numbers: version 0, create 3, remove 4, suspend/resume 6, status 7, table load 9. */
#define DM_VERSION     _IOWR(DM_IOCTL_TYPE, 0, struct dm_ioctl)
#define DM_DEV_CREATE  _IOWR(DM_IOCTL_TYPE, 3, struct dm_ioctl)
#define DM_DEV_REMOVE  _IOWR(DM_IOCTL_TYPE, 4, struct dm_ioctl)
#define DM_DEV_SUSPEND _IOWR(DM_IOCTL_TYPE, 6, struct dm_ioctl)
#define DM_DEV_STATUS  _IOWR(DM_IOCTL_TYPE, 7, struct dm_ioctl)
#define DM_TABLE_LOAD  _IOWR(DM_IOCTL_TYPE, 9, struct dm_ioctl)

#define DM_VERSION_MAJOR 4
#define DM_READONLY_FLAG (1u << 0)
#define DM_SUSPEND_FLAG (1u << 1)
#define DM_SECURE_DATA_FLAG (1u << 15) /* the kernel wipes its copy of the buffer */

#define DM_CONTROL "/dev/mapper/control"
#define DM_BUF_MAX 4096

struct dm_target {
	uint64_t start, length;  /* 512-byte sectors */
	const char *type;        /* "crypt" */
	const char *params;
};

/* The seam: how requests reach the kernel. dm_open fills in ioctl(2) on /dev/mapper/control;
 * unit tests put a fake here. */
struct dm_ctl {
	int fd;
	int (*ioctl)(int fd, unsigned long req, void *arg);
	const char *devdir;      /* where <name> nodes go: "/dev/mapper" */
};

int dm_open(struct dm_ctl *c);
void dm_close(struct dm_ctl *c);

/* Fill buf with a request: header, then targets (may be NULL/0). Pure. Returns the byte size,
 * or 0 when a name, uuid, type or the whole does not fit. */
size_t dm_build(void *buf, size_t buflen, const char *name, const char *uuid, uint32_t flags,
		const struct dm_target *t, size_t nt);

/* Create <name> with one table, resume it and make <devdir>/<name>. NULL on success (*dev set);
 * otherwise the name of the failed step, with errno kept and the half-made device removed. */
const char *dm_create(const struct dm_ctl *c, const char *name, const char *uuid,
		      const struct dm_target *t, size_t nt, bool readonly, dev_t *dev);

/* Replace the table of a live <name> (load, then resume: the kernel suspends and swaps). NULL on
 * success, otherwise the failed step with errno kept; the old table stays on failure. */
const char *dm_reload(const struct dm_ctl *c, const char *name, const struct dm_target *t, size_t nt,
		      bool readonly);

/* Remove <name> and its node; -errno. */
int dm_remove(const struct dm_ctl *c, const char *name);

#endif
