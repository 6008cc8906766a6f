/* Device-mapper request buffers and the create sequence, against a fake control device. */
#include <sys/ioctl.h>
#define dm_ioctl kdm_ioctl
#define dm_target_spec kdm_target_spec
#include <linux/dm-ioctl.h>
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

/* The kernel's values, captured before our header redefines the names. */
static const unsigned long k_version = DM_VERSION, k_create = DM_DEV_CREATE, k_remove = DM_DEV_REMOVE,
	k_suspend = DM_DEV_SUSPEND, k_status = DM_DEV_STATUS, k_load = DM_TABLE_LOAD;
static const unsigned k_secure = DM_SECURE_DATA_FLAG, k_ro = DM_READONLY_FLAG;
static const size_t k_io_size = sizeof(struct kdm_ioctl), k_spec_size = sizeof(struct kdm_target_spec),
	k_off_dev = offsetof(struct kdm_ioctl, dev), k_off_name = offsetof(struct kdm_ioctl, name),
	k_off_uuid = offsetof(struct kdm_ioctl, uuid), k_off_flags = offsetof(struct kdm_ioctl, flags),
	k_off_next = offsetof(struct kdm_target_spec, next),
	k_off_type = offsetof(struct kdm_target_spec, target_type);
#undef dm_ioctl
#undef dm_target_spec
#undef DM_MAX_TYPE_NAME
#undef DM_NAME_LEN
#undef DM_UUID_LEN
#undef DM_VERSION
#undef DM_DEV_CREATE
#undef DM_DEV_REMOVE
#undef DM_DEV_SUSPEND
#undef DM_DEV_STATUS
#undef DM_TABLE_LOAD
#undef DM_VERSION_MAJOR
#undef DM_READONLY_FLAG
#undef DM_SUSPEND_FLAG
#undef DM_SECURE_DATA_FLAG
#include "t.h"
#include "../../lib/crypt/dm.h"

static void test_abi(void)
{
	T_EQ(sizeof(struct dm_ioctl), k_io_size);
	T_EQ(sizeof(struct dm_target_spec), k_spec_size);
	T_EQ(offsetof(struct dm_ioctl, dev), k_off_dev);
	T_EQ(offsetof(struct dm_ioctl, name), k_off_name);
	T_EQ(offsetof(struct dm_ioctl, uuid), k_off_uuid);
	T_EQ(offsetof(struct dm_ioctl, flags), k_off_flags);
	T_EQ(offsetof(struct dm_target_spec, next), k_off_next);
	T_EQ(offsetof(struct dm_target_spec, target_type), k_off_type);
	T_EQ(DM_VERSION, k_version);
	T_EQ(DM_DEV_CREATE, k_create);
	T_EQ(DM_DEV_REMOVE, k_remove);
	T_EQ(DM_DEV_SUSPEND, k_suspend);
	T_EQ(DM_DEV_STATUS, k_status);
	T_EQ(DM_TABLE_LOAD, k_load);
	T_EQ(DM_SECURE_DATA_FLAG, k_secure);
	T_EQ(DM_READONLY_FLAG, k_ro);
}

static void test_build(void)
{
	uint8_t buf[1024] __attribute__((aligned(8)));
	const char *params = "aes-xts-plain64 :64:logon:ferry:data 0 254:16 0";
	struct dm_target t = { 0, 2048, "crypt", params };
	struct dm_ioctl *io = (struct dm_ioctl *)buf;
	struct dm_target_spec *sp = (struct dm_target_spec *)(buf + sizeof(*io));
	size_t plen = strlen(params) + 1, want = sizeof(*io) + ((sizeof(*sp) + plen + 7) & ~7u);

	memset(buf, 0xaa, sizeof(buf));
	T_EQ(dm_build(buf, sizeof(buf), "data", "FERRY-CRYPT-data", DM_SECURE_DATA_FLAG, &t, 1), want);
	T_EQ(io->version[0], 4);
	T_EQ(io->version[1], 0);
	T_EQ(io->data_size, want);
	T_EQ(io->data_start, 312);
	T_EQ(io->target_count, 1);
	T_EQ(io->flags, DM_SECURE_DATA_FLAG);
	T_STREQ(io->name, "data");
	T_STREQ(io->uuid, "FERRY-CRYPT-data");
	T_EQ(sp->sector_start, 0);
	T_EQ(sp->length, 2048);
	T_EQ(sp->next, want - sizeof(*io));
	T_EQ(sp->next % 8, 0);
	T_STREQ(sp->target_type, "crypt");
	T_STREQ((char *)(sp + 1), params);
	/* The padding after the parameters is zero, not what the buffer held before. */
	for (size_t i = sizeof(*io) + sizeof(*sp) + plen; i < want; i++)
		T_EQ(buf[i], 0);
	/* Two targets: the second starts where `next` says. */
	struct dm_target two[2] = { t, { 2048, 8, "zero", "" } };
	size_t n = dm_build(buf, sizeof(buf), "x", NULL, 0, two, 2);
	struct dm_target_spec *sp2 = (struct dm_target_spec *)((uint8_t *)sp + sp->next);
	T_EQ(n, want + sizeof(*sp) + 8);
	T_EQ(sp2->sector_start, 2048);
	T_STREQ(sp2->target_type, "zero");
	/* What does not fit is refused, never cut. */
	char longname[200];
	memset(longname, 'n', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	T_EQ(dm_build(buf, sizeof(buf), longname, NULL, 0, NULL, 0), 0);
	T_EQ(dm_build(buf, 320, "data", NULL, 0, &t, 1), 0);
	T_EQ(dm_build(buf, 100, "data", NULL, 0, NULL, 0), 0);
	struct dm_target badtype = { 0, 8, "a-type-name-too-long", "" };
	T_EQ(dm_build(buf, sizeof(buf), "data", NULL, 0, &badtype, 1), 0);
	T_EQ(dm_build(buf, sizeof(buf), "data", NULL, 0, NULL, 0), 312);
}

/* The fake control device: records the requests, fails the one numbered fail_at (1-based). */
static unsigned long calls[16];
static char call_names[16][DM_NAME_LEN];
static int ncalls, fail_at, fail_errno;

static int fake_ioctl(int fd, unsigned long req, void *arg)
{
	struct dm_ioctl *io = arg;

	if (ncalls < 16) {
		strcpy(call_names[ncalls], io->name);
		calls[ncalls] = req;
	}
	ncalls++;
	if (ncalls == fail_at) {
		errno = fail_errno;
		return -1;
	}
	if (req == DM_VERSION)
		io->version[0] = 4, io->version[1] = 48;
	if (req == DM_DEV_CREATE)
		io->dev = makedev(253, 300);  /* a minor above 255 exercises the split encoding */
	if (req == DM_TABLE_LOAD && !(io->flags & DM_SECURE_DATA_FLAG)) {
		errno = EINVAL;
		return -1;
	}
	return 0;
}

static void test_create(void)
{
	char dir[] = "/tmp/ferry-test-dm-XXXXXX";
	struct dm_ctl c = { .fd = 3, .ioctl = fake_ioctl };
	struct dm_target t = { 0, 2048, "crypt", "aes-xts-plain64 :64:logon:ferry:v 0 8:16 0" };
	const char *step;
	dev_t dev = 0;
	struct stat st;
	char node[128], devdir[128];

	if (!mkdtemp(dir)) {
		printf("skipped: mkdtemp: %s\n", strerror(errno));
		return;
	}
	snprintf(devdir, sizeof(devdir), "%s/mapper", dir);
	c.devdir = devdir;
	ncalls = 0, fail_at = 0;
	step = dm_create(&c, "v", "FERRY-CRYPT-v", &t, 1, false, &dev);
	if (step && errno == EPERM) {
		printf("skipped: mknod needs CAP_MKNOD\n");
	} else {
		T_CHECK(step == NULL, "step %s: %s", step, strerror(errno));
		T_EQ(ncalls, 4);
		T_EQ(calls[0], DM_VERSION);
		T_EQ(calls[1], DM_DEV_CREATE);
		T_EQ(calls[2], DM_TABLE_LOAD);
		T_EQ(calls[3], DM_DEV_SUSPEND);
		T_STREQ(call_names[3], "v");
		T_EQ(major(dev), 253);
		T_EQ(minor(dev), 300);
		snprintf(node, sizeof(node), "%s/mapper/v", dir);
		T_OK(stat(node, &st) == 0 && S_ISBLK(st.st_mode) && st.st_rdev == dev);
		T_EQ(dm_remove(&c, "v"), 0);
		T_EQ(calls[4], DM_DEV_REMOVE);
		T_OK(stat(node, &st) < 0 && errno == ENOENT);
	}
	/* A failing table load: the step is named, errno kept, the device removed. */
	ncalls = 0, fail_at = 3, fail_errno = EINVAL;
	step = dm_create(&c, "v", NULL, &t, 1, false, &dev);
	T_STREQ(step, "loading the table");
	T_EQ(errno, EINVAL);
	T_EQ(ncalls, 4);
	T_EQ(calls[3], DM_DEV_REMOVE);
	T_STREQ(call_names[3], "v");
	/* A failing resume is undone the same way. */
	ncalls = 0, fail_at = 4, fail_errno = ENXIO;
	step = dm_create(&c, "v", NULL, &t, 1, false, &dev);
	T_STREQ(step, "resuming the device");
	T_EQ(errno, ENXIO);
	T_EQ(calls[4], DM_DEV_REMOVE);
	/* A failing create leaves nothing to remove. */
	ncalls = 0, fail_at = 2, fail_errno = EBUSY;
	step = dm_create(&c, "v", NULL, &t, 1, false, &dev);
	T_STREQ(step, "creating the device");
	T_EQ(errno, EBUSY);
	T_EQ(ncalls, 2);
	ncalls = 0, fail_at = 1, fail_errno = ENOTTY;
	T_STREQ(dm_create(&c, "v", NULL, &t, 1, false, &dev), "checking the device-mapper version");
	snprintf(node, sizeof(node), "rm -rf %s", dir);
	(void)system(node);
}

int main(void)
{
	test_abi();
	test_build();
	test_create();
	return T_DONE();
}
