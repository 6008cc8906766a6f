/* dm_reload (the verity mapping's second table): a read-only TABLE_LOAD of the new table, then a
 * resume without DM_SUSPEND_FLAG; a refused load leaves the device alone. Against a fake control. */
#include <errno.h>
#include <string.h>
#include "t.h"
#include "../../lib/crypt/dm.h"

static unsigned long reqs[8];
static uint32_t flags[8];
static char params[8][256], types[8][DM_MAX_TYPE_NAME];
static int nreq, fail_at = -1;

static int fake(int fd, unsigned long req, void *arg)
{
	struct dm_ioctl *io = arg;

	if (nreq < 8) {
		reqs[nreq] = req;
		flags[nreq] = io->flags;
		if (req == DM_TABLE_LOAD && io->target_count == 1) {
			const struct dm_target_spec *sp = (const void *)((const char *)arg + io->data_start);
			snprintf(types[nreq], sizeof(types[nreq]), "%s", sp->target_type);
			snprintf(params[nreq], sizeof(params[nreq]), "%s", (const char *)(sp + 1));
		}
	}
	if (nreq++ == fail_at) {
		errno = EINVAL;
		return -1;
	}
	return 0;
}

int main(void)
{
	struct dm_ctl c = { .fd = 3, .ioctl = fake, .devdir = "/nonexistent" };
	const struct dm_target t = { 0, 2048, "verity", "1 254:0 254:16 4096 4096 256 1 sha256 ab - 1 restart_on_corruption" };

	T_OK(dm_reload(&c, "root-verity", &t, 1, true) == NULL);
	T_EQ(nreq, 2);
	T_EQ(reqs[0], DM_TABLE_LOAD);
	T_OK(flags[0] & DM_READONLY_FLAG);
	T_STREQ(types[0], "verity");
	T_STREQ(params[0], t.params);
	T_EQ(reqs[1], DM_DEV_SUSPEND);
	T_OK(!(flags[1] & DM_SUSPEND_FLAG));  /* a resume: the kernel swaps the new table in */

	nreq = 0;
	fail_at = 0;
	const char *step = dm_reload(&c, "root-verity", &t, 1, true);
	T_STREQ(step, "loading the new table");
	T_EQ(errno, EINVAL);
	T_EQ(nreq, 1);                        /* no resume after a refused load */
	nreq = 0;
	fail_at = 1;
	T_STREQ(dm_reload(&c, "root-verity", &t, 1, true), "resuming with the new table");
	return T_DONE();
}
