/* The first job: the kernel's filesystems, fds 0/1/2 on the console, the log, the configuration. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include "ferry.h"
#include "stages.h"

/* Mounted already? devtmpfs may be, by CONFIG_DEVTMPFS_MOUNT; a second proc would stack. A
 * mount point on another device than its parent is taken as mounted. */
static int is_mounted(const char *dir)
{
	char parent[64];
	struct stat a, b;

	snprintf(parent, sizeof(parent), "%s/..", dir);
	return stat(dir, &a) == 0 && stat(parent, &b) == 0 && a.st_dev != b.st_dev;
}

static const char *mount_early(const char *type, const char *dir, const char *data, unsigned long flags)
{
	if (mkdir(dir, 0755) < 0 && errno != EEXIST)
		return dir;
	if (is_mounted(dir))
		return NULL;
	if (mount(type, dir, type, flags, data) < 0 && errno != EBUSY)
		return dir;
	return NULL;
}

/* fds 0, 1 and 2 must be open before any other file is, or a later open lands on them. */
static void console_fds(void)
{
	int fd = -1, p[2];

	if (fcntl(0, F_GETFD) >= 0 && fcntl(1, F_GETFD) >= 0 && fcntl(2, F_GETFD) >= 0)
		return;
	fd = open("/dev/console", O_RDWR | O_NOCTTY);
	if (fd < 0)
		fd = open("/dev/null", O_RDWR);
	if (fd < 0 && pipe(p) == 0)  /* even /dev/null is missing: a pipe keeps the fds taken */
		fd = p[0];
	for (int i = 0; i < 3 && fd >= 0; i++)
		if (fcntl(i, F_GETFD) < 0)
			(void)dup2(fd, i);
	if (fd > 2)
		close(fd);
}

static int early_start(struct job *j)
{
	static const struct { const char *type, *dir, *data; unsigned long flags; } fs[] = {
		{ "devtmpfs", "/dev", "mode=0755", MS_NOSUID },
		{ "proc", "/proc", NULL, MS_NOSUID | MS_NODEV | MS_NOEXEC },
		{ "sysfs", "/sys", NULL, MS_NOSUID | MS_NODEV | MS_NOEXEC },
		{ "tmpfs", "/run", "mode=0755", MS_NOSUID | MS_NODEV },
	};
	const char *failed[4];
	int nfailed = 0, merr[4];

	for (unsigned i = 0; i < sizeof(fs) / sizeof(*fs); i++) {
		const char *f = mount_early(fs[i].type, fs[i].dir, fs[i].data, fs[i].flags);
		if (f) {
			merr[nfailed] = errno;  /* each mount's own: one errno for all would mislead */
			failed[nfailed++] = f;
		}
	}
	console_fds();
	log_open("/dev/kmsg", 1);
	log_info("early", "ferry is PID 1 (%s)", ferry_argv[0]);
	for (int i = 0; i < nfailed; i++)
		log_err("early", "mounting %s: %s", failed[i], strerror(merr[i]));
	(void)mkdir("/run/ferry", 0755);

	/* the plan every later job reads: checked here, so a bad value stops the boot now, with the
	 * message `ferry plan` gives for it */
	int ret = config_plan(cfg, plan, "/etc/ferry.conf", NULL, true);
	char line[256];
	log_set_debug(plan->debug);
	if (ret < 0)
		log_err("config", "reading /proc/cmdline: %s", strerror(-ret));
	for (size_t i = 0; i < cfg->nignored && i < CFG_MAX_IGNORED; i++)
		log_warn("config", "%s", config_ignored(cfg, i, line, sizeof(line)));
	if (cfg->nignored > CFG_MAX_IGNORED)
		log_warn("config", "... and %zu more words on the command line ignored", cfg->nignored - CFG_MAX_IGNORED);
	watchdog_setup(plan);
	policy_setup(plan);
	modules_setup(plan);
	int badjobs = jobs_check() < 0;
	if (cfg->nerrors || nfailed || badjobs) {
		for (size_t i = 0; i < cfg->nerrors && i < CFG_MAX_ERRORS; i++)
			log_err("config", "%s", cfg->errors[i]);
		if (cfg->nerrors > CFG_MAX_ERRORS)
			log_err("config", "... and %zu more errors", cfg->nerrors - CFG_MAX_ERRORS);
		return job_fail(j, 0, "%zu configuration error%s, %d early mount%s failed%s", cfg->nerrors,
				cfg->nerrors == 1 ? "" : "s", nfailed, nfailed == 1 ? "" : "s",
				badjobs ? ", the job table names a job that does not exist" : "");
	}
	log_debug("config", "%zu settings, %s", cfg->n, cfg->locked ? "locked" : "not locked");
	return 0;
}

struct job job_early = {
	.name = "early",
	.start = early_start,
};
