/* The root job: the meta-readonly-rootfs-overlay layout, built the way the layer's script does it,
 * with the waits, checks and reset it lacks.
 *
 *   lower (root=, read-only; absent: the current root, bound)   -> ro  (/media/rfs/ro)
 *   rw    (rootrw=; absent, or failed with rootrwfallback=tmpfs: a tmpfs) -> rw (/media/rfs/rw)
 *   overlay lowerdir=ro, upperdir=rw/<rootrwupperdir>, workdir=rw/work   -> /newroot
 *   preinit=, then ro and rw move to /newroot/media/rfs/{ro,rw}; the job publishes the result
 *   (root_result()) and the handoff switches. Every parameter comes from the plan. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/magic.h>
#include "devices.h"
#include "ferry.h"
#include "root.h"
#include "stages.h"
#include "verity.h"
#include "../lib/storage/blk.h"
#include "../lib/core/fileio.h"
#include "../lib/storage/reset.h"
#include "../lib/storage/rootopts.h"

#define FALLBACK_NOTE "/run/ferry/rootrw-fallback"
/* Without an initramfs the real root is usually read-only: the mount points live on a tmpfs
 * mounted over /mnt, which the lower (a non-recursive bind of /) does not show. */
#define STAGE "/mnt"

static struct {
	struct job *job;
	struct root_plan plan;
	bool initramfs;                 /* / is ramfs/tmpfs: switch_root; otherwise pivot_root */
	char newroot[64], ro[64], rw[64];
	char lower_node[DEVSPEC_MAX + 8], rw_node[DEVSPEC_MAX + 8];
	int waits;                      /* device waits still outstanding */
	int rw_err;                     /* the rw device's wait failed (-ETIMEDOUT) */
	bool rw_fallback, built;
	bool lower_mounted, rw_mounted; /* for mounts() going on after a probe */
	bool mounting;                  /* build() is past the waits and the verity mapping */
	struct loop_timer delay;
	unsigned long preinit_timeout;  /* seconds, ferry.preinit.timeout= */
	/* for the log line and the benchmark: the build's time split into the kernel's part (mount(2),
	 * mkdir(2), module init) and ferry's own (probing, options, reset check) */
	uint64_t t_devices, kernel_us;
} rs;

static uint64_t now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000;
}

/* mount(2), timed into rs.kernel_us */
static int kmount(const char *src, const char *dir, const char *type, unsigned long flags, const void *data)
{
	uint64_t t = now_us();
	int ret = mount(src, dir, type, flags, data);
	int e = errno;

	rs.kernel_us += now_us() - t;
	errno = e;
	return ret;
}

static bool on_initramfs(void)
{
	struct statfs s;
	return !statfs("/", &s) && (s.f_type == RAMFS_MAGIC || s.f_type == TMPFS_MAGIC);
}

/* mkdir(2), timed into rs.kernel_us: on a fresh ext4 or an overlay it is the filesystem's work */
static int kmkdir(const char *path, mode_t mode)
{
	uint64_t t = now_us();
	int ret = mkdir(path, mode), e = errno;

	rs.kernel_us += now_us() - t;
	errno = e;
	return ret;
}

/* mkdir -p */
static int make_dirs(const char *path, mode_t mode)
{
	char buf[512];
	size_t n = strlen(path);

	if (n >= sizeof(buf))
		return -ENAMETOOLONG;
	/* usually everything but the last component exists: one mkdir instead of a walk */
	if (!kmkdir(path, mode) || errno == EEXIST)
		return 0;
	if (errno != ENOENT)
		return -errno;
	memcpy(buf, path, n + 1);
	for (char *p = buf + 1; ; p++) {
		if (*p && *p != '/')
			continue;
		char c = *p;
		*p = '\0';
		if (kmkdir(buf, mode) && errno != EEXIST)
			return -errno;
		if (!(*p = c))
			return 0;
	}
}

/* The filesystem's module, unless the kernel already knows the type. */
static void load_fs(const char *type)
{
	char buf[4096], alias[64];
	int fd = open("/proc/filesystems", O_RDONLY | O_CLOEXEC);
	ssize_t n = fd >= 0 ? read(fd, buf, sizeof(buf) - 1) : -1;

	if (fd >= 0)
		close(fd);
	if (n > 0) {
		buf[n] = '\0';
		char want[48];
		snprintf(want, sizeof(want), "\t%s\n", type);
		if (strstr(buf, want))
			return;
	}
	snprintf(alias, sizeof(alias), "fs-%s", type);
	uint64_t t = now_us();
	if (modules_load(alias) < 0 && modules_load(type) < 0)
		log_debug("root", "no module for filesystem %s (built in, or missing)", type);
	rs.kernel_us += now_us() - t;
}

/* The probe a mount needs: read-write, libblkid's safe probe whatever the type (a RAID member is
 * refused; not for "ubiN:name", which ubifs takes and libblkid cannot open); read-only, the type
 * when none is given. -1: none. */
static int probe_needed(const char *node, const char *type, unsigned long extra)
{
	if (!(extra & MS_RDONLY) && node[0] == '/')
		return PROBE_RW;
	return type[0] ? -1 : PROBE_TYPE;
}

/* A probe runs in a child (probe_async): a dying disk must not hold the loop for its SCSI
 * timeouts. Each device has its own, so the rw device's (libblkid's safe probe, the longer one)
 * runs from the moment that device is there, beside the lower's probe, module and mount. An answer
 * is kept here until the mount it was for runs again from the loop. */
struct probe_slot {
	bool out, answered;
	int ret;
	char type[32];
	uint64_t t;
};
static struct probe_slot lower_probe, rw_probe;

static void mounts_from_loop(void);

static void on_probed(void *arg, int ret, const char *type)
{
	struct probe_slot *p = arg;

	p->out = false;
	p->answered = true;
	p->ret = ret;
	snprintf(p->type, sizeof(p->type), "%s", type);
	if (rs.mounting)  /* an rw probe answering before the lower is there (or mapped) waits for it */
		mounts_from_loop();
}

/* Start p's probe of node if the mount needs one and it is neither out nor answered. */
static int probe_start(struct probe_slot *p, const char *node, const char *type, unsigned long extra)
{
	int how = probe_needed(node, type, extra), ret;

	if (how < 0 || p->out || p->answered)
		return 0;
	p->t = now_us();
	if ((ret = probe_async(node, how, type, plan->timeout_s, on_probed, p)) < 0)
		return ret;
	p->out = true;
	return 0;
}

/* what a mount says when its probe did not answer within the stage's bound */
static const char overdue[] = "probing took longer than ferry.timeout=";

/* One mount with its options split into flags and data; *type probed (p) when empty. JOB_PENDING:
 * the probe is out, and this mount runs again from on_probed. */
static int mount_dev(struct probe_slot *p, const char *node, const char *dir, char *type, size_t tlen,
		     const char *opts, unsigned long extra, const char **what)
{
	int how = probe_needed(node, type, extra);
	unsigned long flags;
	char data[256];
	bool dropped;
	int ret;

	*what = "probing the filesystem type";
	if (how >= 0 && !p->answered) {
		if ((ret = probe_start(p, node, type, extra)) < 0)
			return ret;
		return JOB_PENDING;
	}
	if (how >= 0) {
		p->answered = false;
		if ((ret = p->ret) == -ETIMEDOUT)
			*what = overdue;
		else if (ret == -EMEDIUMTYPE)
			*what = "refused read-write: a RAID member (mount the md device instead)";
		if (ret)
			return ret;
		if (!type[0])
			snprintf(type, tlen, "%s", p->type);
		log_debug("root", "%s: %s (%s in %llu us)", node, type, how == PROBE_RW ? "safe probe" : "probed",
			  (unsigned long long)(now_us() - p->t));
	}
	load_fs(type);
	*what = "mount options";
	if ((ret = rootopts_mount_opts(opts, type, &flags, data, sizeof(data), &dropped)))
		return ret;
	/* the default options carry mode=755 for the tmpfs case: only a mode= the user wrote is news */
	if (dropped && strcmp(opts, ROOT_RW_OPTS))
		log_info("root", "%s: mode= left out of the options: %s does not take it", node, type);
	*what = "mount";
	if (kmount(node, dir, type, flags | extra, data[0] ? data : NULL))
		return -errno;
	return 0;
}

/* A probe that did not answer within the stage's bound: the device by name, then the failure. */
static void probe_overdue(const char *node)
{
	log_err("root", "probing %s took longer than %u s", node, plan->timeout_s);
}

/* The lower: the device read-only, or the current root bound and made read-only. */
static int mount_lower(void)
{
	struct root_mount *m = &rs.plan.lower;
	struct stat dev, root;
	const char *what;
	int ret;

	/* init= on a real root that root= also names: mounting the same block device again fails
	 * (EBUSY) when its superblock is read-write; binding / gives the same tree */
	bool same = m->present && !rs.initramfs && !stat(rs.lower_node, &dev) && !stat("/", &root) &&
		    S_ISBLK(dev.st_mode) && dev.st_rdev == root.st_dev;
	if (!m->present || same) {
		if (kmount("/", rs.ro, NULL, MS_BIND, NULL) ||
		    kmount(NULL, rs.ro, NULL, MS_REMOUNT | MS_BIND | MS_RDONLY, NULL))
			return job_fail(rs.job, -errno, "binding the current root on %s", rs.ro);
		return 0;
	}
	if ((ret = mount_dev(&lower_probe, rs.lower_node, rs.ro, m->fstype, sizeof(m->fstype), m->opts, MS_RDONLY, &what)) ==
	    JOB_PENDING)
		return ret;
	if (ret && what == overdue)
		return job_fail(rs.job, 0, "probing %s took longer than %u s", rs.lower_node, plan->timeout_s);
	if (ret)
		return job_fail(rs.job, ret, "root %s (%s, %s): %s", rs.lower_node, m->fstype[0] ? m->fstype : "?",
				m->opts, what);
	log_debug("root", "lower: %s (%s) on %s", rs.lower_node, m->fstype, rs.ro);
	return 0;
}

static int mount_tmpfs_rw(void)
{
	unsigned long flags;
	char data[256];
	bool dropped;
	int ret;

	/* the layer's tmpfs options; rootrwoptions= applies to a tmpfs rw too (size=) */
	if (rs.rw_fallback || (ret = rootopts_mount_opts(rs.plan.rw.opts, "tmpfs", &flags, data, sizeof(data), &dropped)))
		ret = rootopts_mount_opts(ROOT_RW_OPTS, "tmpfs", &flags, data, sizeof(data), &dropped);
	if (ret || kmount("tmpfs", rs.rw, "tmpfs", flags, data))
		return job_fail(rs.job, ret ? ret : -errno, "mounting a tmpfs on %s", rs.rw);
	return 0;
}

/* The rw device failed: say so loudly, leave a note for the target, and use a tmpfs (or fail). */
static int rw_failed(int err, const char *what)
{
	char spec[DEVSPEC_MAX + 16];

	(void)devspec_format(&rs.plan.rw.dev, spec, sizeof(spec));
	if (rs.plan.fallback == ROOT_FALLBACK_FAIL)
		return job_fail(rs.job, err, "rootrw %s: %s (rootrwfallback=fail)", spec, what);
	log_err("root", "rootrw %s: %s: %s", spec, what, strerror(-err));
	log_err("root", "WARNING: the rw layer is a TMPFS for this boot: changes will be LOST at power-off "
		"(rootrwfallback=tmpfs; the device was not written)");
	FILE *f = fopen(FALLBACK_NOTE, "we");
	if (f) {
		fprintf(f, "rootrw=%s: %s: %s\nthe rw layer is a tmpfs for this boot\n", spec, what, strerror(-err));
		fclose(f);
	}
	rs.rw_fallback = true;
	return mount_tmpfs_rw();
}

static int mount_rw(void)
{
	struct root_mount *m = &rs.plan.rw;
	const char *what;
	int ret;

	if (!m->present)
		return mount_tmpfs_rw();
	if (rs.rw_err)
		return rw_failed(rs.rw_err, "device not found");
	if ((ret = mount_dev(&rw_probe, rs.rw_node, rs.rw, m->fstype, sizeof(m->fstype), m->opts, 0, &what)) == JOB_PENDING)
		return ret;
	if (ret && what == overdue) {
		probe_overdue(rs.rw_node);
		return rw_failed(ret, "probing the filesystem type");
	}
	if (ret)
		return rw_failed(ret, what);
	log_debug("root", "rw: %s (%s) on %s", rs.rw_node, m->fstype, rs.rw);
	return 0;
}

/* Finish an interrupted reset, reset when asked. -errno, *what says where. On the rw device this
 * runs in a child (reset_work): deleting a big upper takes as long as the disk does. */
static int reset_phase(const char **what)
{
	int fd = open(rs.rw, O_RDONLY | O_DIRECTORY | O_CLOEXEC), ret;
	struct reset_dirs d = { .rwfd = fd, .upper = rs.plan.upperdir, .work = ROOT_WORKDIR };

	*what = "opening the rw mount";
	if (fd < 0)
		return -errno;
	*what = "finishing an interrupted factory reset";
	if ((ret = reset_recover(&d)) > 0)
		log_warn("root", "finished a factory reset an earlier boot left half done");
	if (ret >= 0 && (rs.plan.reset || reset_requested(fd))) {
		log_warn("root", "factory reset: emptying %s/%s (%s)", rs.rw, rs.plan.upperdir,
			 rs.plan.reset ? "rootrwreset=yes" : RESET_MARKER " found");
		ret = reset_upper(&d, what);
		if (!ret)
			log_info("root", "factory reset done");
	}
	close(fd);
	return ret < 0 ? ret : 0;
}

/* Make upper and work. -errno, *what says where. */
static int upper_dirs(const char **what)
{
	char path[512];
	int ret;

	*what = "creating the upper and work directories";
	snprintf(path, sizeof(path), "%s/%s", rs.rw, rs.plan.upperdir);
	if ((ret = make_dirs(path, 0755)))
		return ret;
	snprintf(path, sizeof(path), "%s/" ROOT_WORKDIR, rs.rw);
	return make_dirs(path, 0755);
}

static int prepare_upper(const char **what)
{
	int ret = reset_phase(what);

	return ret ? ret : upper_dirs(what);
}

static int mount_overlay(void)
{
	char data[700];

	load_fs("overlay");
	snprintf(data, sizeof(data), "lowerdir=%s,upperdir=%s/%s,workdir=%s/" ROOT_WORKDIR, rs.ro, rs.rw,
		 rs.plan.upperdir, rs.rw);
	if (kmount("overlay", rs.newroot, "overlay", 0, data))
		return job_fail(rs.job, -errno, "mounting the overlay on %s (%s)", rs.newroot, data);
	return 0;
}

/* One line for the whole root (on a 115200 baud console every line costs milliseconds). */
static void log_ready(uint64_t build_us)
{
	const struct root_mount *l = &rs.plan.lower, *w = &rs.plan.rw;
	bool tmpfs = !w->present || rs.rw_fallback;

	log_info("root", "ready: %s (%s) + %s (%s) on %s; devices after %llu ms, then %llu us: %llu us in "
		 "mount(2), mkdir(2) and module loading, %llu us ferry's own", l->present ? rs.lower_node : "/ (bound)",
		 l->present && l->fstype[0] ? l->fstype : "bind", tmpfs ? "tmpfs" : rs.rw_node, tmpfs ? "tmpfs" : w->fstype,
		 rs.newroot, (unsigned long long)(loop_now_ms() - rs.job->t_start) - build_us / 1000,
		 (unsigned long long)build_us, (unsigned long long)rs.kernel_us,
		 (unsigned long long)(build_us - rs.kernel_us));
}

/* ro and rw stay visible in the target at /media/rfs/ro and /media/rfs/rw, as with the layer. */
static int finish_build(void)
{
	const char *from[2] = { rs.ro, rs.rw }, *to[2] = { ROOT_RO_DIR, ROOT_RW_DIR };
	char path[256];
	int ret;

	for (int i = 0; i < 2; i++) {
		snprintf(path, sizeof(path), "%s%s", rs.newroot, to[i]);
		if ((ret = make_dirs(path, 0755)) || (kmount(from[i], path, NULL, MS_MOVE, NULL) && (ret = -errno)))
			return job_fail(rs.job, ret, "moving %s to %s", from[i], path);
	}
	rs.built = true;
	job_mark("root-ready");
	log_ready(now_us() - rs.t_devices);
	return 0;
}

static void preinit_done(void *arg, int status)
{
	if (status == CHILD_TIMED_OUT) {
		job_fail(rs.job, 0, "preinit %s: still running after %lu s (ferry.preinit.timeout): killed",
			 rs.plan.preinit, rs.preinit_timeout);
		return;
	}
	if (!WIFEXITED(status) || WEXITSTATUS(status))
		log_warn("root", "preinit %s: exit status %d (the layer ignores it too; going on)",
			 rs.plan.preinit, WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
	if (finish_build() == 0)
		job_done(rs.job);
}

/* preinit= runs with the new root mounted, the lower and rw still at their staging paths. */
static int run_preinit(void)
{
	char *argv[] = { rs.plan.preinit, NULL };
	int ret;

	if (!rs.plan.preinit[0])
		return finish_build();
	if (access(rs.plan.preinit, X_OK)) {
		log_warn("root", "preinit %s: %s; skipped", rs.plan.preinit, strerror(errno));
		return finish_build();
	}
	rs.preinit_timeout = plan->preinit_timeout_s;
	/* preinit's environment only: the target's init must not inherit ferry's staging paths */
	setenv("FERRY_NEWROOT", rs.newroot, 1);
	setenv("FERRY_RO", rs.ro, 1);
	setenv("FERRY_RW", rs.rw, 1);
	ret = child_spawn_bounded(argv, (unsigned)rs.preinit_timeout, preinit_done, NULL);
	unsetenv("FERRY_NEWROOT");
	unsetenv("FERRY_RO");
	unsetenv("FERRY_RW");
	if (ret < 0) {
		log_warn("root", "preinit %s: %s; skipped", rs.plan.preinit, strerror(-ret));
		return finish_build();
	}
	return JOB_PENDING;
}

/* The reset is done (ret, what from reset_phase): upper, overlay, preinit. */
static int after_reset(int ret, const char *what)
{
	if (!ret)
		ret = upper_dirs(&what);
	if (ret) {
		if (!rs.plan.rw.present || rs.rw_fallback)
			return job_fail(rs.job, ret, "%s on %s", what, rs.rw);
		/* the device mounted but cannot hold an upper (read-only after errors, full, ...) */
		(void)umount2(rs.rw, MNT_DETACH);
		if ((ret = rw_failed(ret, what)))
			return ret;
		if ((ret = prepare_upper(&what)))
			return job_fail(rs.job, ret, "%s on the fallback tmpfs", what);
	}
	if ((ret = mount_overlay()))
		return ret;
	return run_preinit();
}

struct reset_answer {
	int ret;
	char what[96];
};

static int reset_work(int fd, void *arg)
{
	struct reset_answer a = { 0 };
	const char *what = "";

	a.ret = reset_phase(&what);
	snprintf(a.what, sizeof(a.what), "%s", what);
	return fd_write_all(fd, &a, sizeof(a));
}

static void reset_done(void *arg, const void *res, size_t n, int status)
{
	struct reset_answer a = { .ret = -EIO, .what = "the factory reset's child died" };

	if (n == sizeof(a))
		memcpy(&a, res, sizeof(a));
	if (rs.job->state == JOB_RUNNING && after_reset(a.ret, a.what) == 0)
		job_done(rs.job);
}

/* A real rw device: the reset (a possibly long delete) runs in a child and the loop goes on. */
static int start_reset(void)
{
	const char *what = "";

	if (rs.plan.rw.present && !rs.rw_fallback && child_work(reset_work, NULL, reset_done, NULL) == 0)
		return JOB_PENDING;
	return after_reset(reset_phase(&what), what);
}

static void build_from_loop(void);
static void rw_probe_early(void);

/* The lower, then the rw, then the reset; a mount whose probe is out returns JOB_PENDING and
 * this runs again from on_probed (what is mounted already is not mounted again). */
static int mounts(void)
{
	int ret;

	if (!rs.lower_mounted) {
		if ((ret = mount_lower()))
			return ret;
		rs.lower_mounted = true;
	}
	if (!rs.rw_mounted) {
		if ((ret = mount_rw()))
			return ret;
		rs.rw_mounted = true;
	}
	return start_reset();
}

static void mounts_from_loop(void)
{
	if (rs.job->state == JOB_RUNNING && mounts() == 0)
		job_done(rs.job);
}

/* Every device is there (or the rw one timed out): mount, reset, overlay, preinit. */
static int build(void)
{
	int ret;

	modules_root_devices();
	/* roothash=: the lower becomes the checked verity mapping (init/verity.c). A lower's named
	 * type has its module loaded first, as the plain mount does at once: the mapping's reads then
	 * do not wait behind those loads on a CPU they share (one CPU: 152 -> 131 ms to the handoff). */
	if (plan->verity.roothash[0] && rs.plan.lower.fstype[0])
		load_fs(rs.plan.lower.fstype);
	if ((ret = root_verity(rs.job, rs.lower_node, sizeof(rs.lower_node), build_from_loop)))
		return ret;
	job_mark("root-devices");   /* the timeline tells waiting for devices from ferry's own work */
	rs.t_devices = now_us();
	rs.kernel_us = 0;  /* the build's own from here: a verity lower's module and mapping are before */
	rs.mounting = true;
	rw_probe_early();
	return mounts();
}

/* The rw device is there: its probe starts now, beside the lower's wait, probe and mount (a probe
 * that cannot start now starts from mount_rw, as the lower's does). */
static void rw_probe_early(void)
{
	struct root_mount *m = &rs.plan.rw;

	if (m->present && !rs.rw_err && rs.rw_node[0] && probe_start(&rw_probe, rs.rw_node, m->fstype, 0) < 0)
		log_debug("root", "%s: probe not started yet (no child slot): started at its mount", rs.rw_node);
}

static void build_from_loop(void)
{
	if (rs.job->state == JOB_RUNNING && build() == 0)
		job_done(rs.job);
}

static void on_lower(void *arg, const char *node, int err)
{
	char spec[DEVSPEC_MAX + 16];

	if (rs.job->state != JOB_RUNNING)
		return;
	if (err) {
		(void)devspec_format(&rs.plan.lower.dev, spec, sizeof(spec));
		job_fail(rs.job, err, "root device %s not found within %u s (rootwait waits without a limit; "
			 "ferry.timeout= sets the bound)", spec, dev_timeout_ms() / 1000);
		return;
	}
	snprintf(rs.lower_node, sizeof(rs.lower_node), "%s", node);
	if (--rs.waits == 0)
		build_from_loop();
}

static void on_rw(void *arg, const char *node, int err)
{
	if (rs.job->state != JOB_RUNNING)
		return;
	rs.rw_err = err;
	if (node)
		snprintf(rs.rw_node, sizeof(rs.rw_node), "%s", node);
	rw_probe_early();
	if (--rs.waits == 0)
		build_from_loop();
}

/* A device already there is taken now (no trip through the loop); otherwise it is awaited.
 * 0: found, 1: waiting, <0: error. */
static int want(const char *spec, bool forever, bool rw, void (*fn)(void *, const char *, int), char *node,
		size_t len)
{
	int ret;

	/* a tag is looked for by dev_wait's probe child: reading the disks here would block the loop */
	if (!dev_reads_disks(spec) && (rw ? dev_resolve_now_rw : dev_resolve_now)(spec, node, len) == 0)
		return 0;
	ret = (rw ? dev_wait_rw : dev_wait)(spec, dev_timeout_ms(), forever, fn, NULL);
	return ret < 0 ? ret : 1;
}

/* Both devices are awaited at once; the rw one always with the bound (then its fallback). */
static int start_waits(void)
{
	const char *root = plan->root.spec, *rootrw = plan->root.rwspec;
	int ret;

	rs.waits = 0;
	if (rs.plan.lower.present) {
		if ((ret = want(root, plan->root.rootwait, false, on_lower, rs.lower_node, sizeof(rs.lower_node))) < 0)
			return job_fail(rs.job, ret, "waiting for root=%s", root);
		rs.waits += ret;
	}
	if (rs.plan.rw.present) {
		if ((ret = want(rootrw, false, true, on_rw, rs.rw_node, sizeof(rs.rw_node))) < 0)
			return job_fail(rs.job, ret, "waiting for rootrw=%s", rootrw);
		if (!ret)
			rw_probe_early();
		rs.waits += ret;
	}
	return rs.waits ? JOB_PENDING : build();
}

static void on_delay(void *arg, uint32_t events)
{
	int ret = start_waits();

	loop_timer_cancel(loop, &rs.delay);
	if (ret == 0 && rs.job->state == JOB_RUNNING)
		job_done(rs.job);
}

/* Where the pieces are mounted before the switch: the initramfs has room for mount points; a
 * real root gets a tmpfs over /mnt. */
static int stage_prepare(void)
{
	const char *base = rs.initramfs ? "" : STAGE;
	int ret;

	if (!rs.initramfs && mount("ferry-stage", STAGE, "tmpfs", MS_NOSUID | MS_NODEV, "mode=0700"))
		return job_fail(rs.job, -errno, "mounting a tmpfs on " STAGE " for the mount points "
				"(the root has no writable place for them)");
	snprintf(rs.newroot, sizeof(rs.newroot), "%s%s", base, ROOT_NEWROOT);
	snprintf(rs.ro, sizeof(rs.ro), "%s%s", base, rs.initramfs ? ROOT_RO_DIR : "/ro");
	snprintf(rs.rw, sizeof(rs.rw), "%s%s", base, rs.initramfs ? ROOT_RW_DIR : "/rw");
	if ((ret = make_dirs(rs.newroot, 0755)) || (ret = make_dirs(rs.ro, 0755)) || (ret = make_dirs(rs.rw, 0755)))
		return job_fail(rs.job, ret, "creating the mount points under %s", base[0] ? base : "/");
	return 0;
}

static int root_start(struct job *j)
{
	unsigned long delay = plan->root.delay_s;
	int ret;

	rs.job = j;
	rs.initramfs = on_initramfs();
	rs.plan = plan->root.r;  /* a copy: probed types are filled in */
	if (plan->root.rw_word)
		log_info("root", "rw on the command line: the lower stays read-only; writes go to the upper");
	if ((ret = stage_prepare()))
		return ret;
	root_verity_prepare();
	if (delay) {
		log_info("root", "rootdelay=%lu: looking for the devices in %lu s", delay, delay);
		if ((ret = loop_timer_arm(loop, &rs.delay, delay * 1000, on_delay, NULL)))
			return job_fail(j, ret, "rootdelay timer");
		return JOB_PENDING;
	}
	return start_waits();
}

/* No root= in an initramfs: nothing to build, the handoff runs rootinit in place. */
static int root_enabled(void)
{
	/* With ferry.boot=kexec a root= is still built: it is the fallback when no entry boots. */
	if (plan->root.given || !on_initramfs())
		return 1;
	if (plan->root.rwspec[0])
		log_warn("root", "rootrw= without root= in an initramfs: ignored (the initramfs itself cannot be "
			 "the lower of a switch_root)");
	return 0;
}

struct job job_root = {
	.name = "root",
	.after = { "modules-settle", "crypt" },
	.start = root_start,
	.enabled = root_enabled,
};

const struct root_result *root_result(void)
{
	static struct root_result r;

	r = (struct root_result){ .built = rs.built, .initramfs = rs.initramfs, .newroot = rs.newroot,
				  .init = rs.plan.init };
	return &r;
}

static void plan_mount(FILE *out, const char *role, const struct root_mount *m, const char *none,
		       const char *wait)
{
	char spec[DEVSPEC_MAX + 16], data[256];
	unsigned long flags;
	bool dropped;

	if (!m->present) {
		fprintf(out, "root: %-6s %s\n", role, none);
		return;
	}
	(void)devspec_format(&m->dev, spec, sizeof(spec));
	(void)rootopts_mount_opts(m->opts, m->fstype[0] ? m->fstype : NULL, &flags, data, sizeof(data), &dropped);
	fprintf(out, "root: %-6s %s, type %s, options \"%s\"%s; %s\n", role, spec,
		m->fstype[0] ? m->fstype : "probed (libblkid)", m->opts,
		dropped ? " (mode= left out: only tmpfs takes it)" : "", wait);
}

void root_plan(const struct boot_plan *p, FILE *out)
{
	const struct root_plan *rp = &p->root.r;
	char wait[96];

	if (p->root.rootwait)
		snprintf(wait, sizeof(wait), "waited for without a limit (rootwait), reported every 5 s");
	else
		snprintf(wait, sizeof(wait), "waited for up to %u s (ferry.timeout)", p->timeout_s);
	if (p->root.delay_s)
		fprintf(out, "root: rootdelay=%u: the devices are looked for after %u s\n", p->root.delay_s,
			p->root.delay_s);
	if (!p->root.given)
		fprintf(out, "root: no root=: in an initramfs the root job is off (rootinit runs in place);\n"
			     "      started by init= on a real root, the current root is the lower\n");
	plan_mount(out, "lower", &rp->lower, "the current root, bound read-only", wait);
	plan_mount(out, "rw", &rp->rw, "tmpfs (rw,noatime,mode=755)",
		   rp->fallback == ROOT_FALLBACK_TMPFS ? "missing or unmountable: tmpfs, with a warning and "
		   FALLBACK_NOTE : "missing or unmountable: fail (rootrwfallback=fail)");
	fprintf(out, "root: upper  <rw>/%s, workdir <rw>/" ROOT_WORKDIR "; factory reset %s\n", rp->upperdir,
		rp->reset ? "at this boot (rootrwreset=yes)" : "when <rw>/" RESET_MARKER " exists");
	fprintf(out, "root: overlay on " ROOT_NEWROOT "; lower and rw then at " ROOT_RO_DIR " and " ROOT_RW_DIR
		" in the target\n");
	if (rp->preinit[0])
		fprintf(out, "root: preinit %s runs before the handoff, killed after %u s (ferry.preinit.timeout)\n",
			rp->preinit, p->preinit_timeout_s);
	fprintf(out, "root: handoff: switch_root (pivot_root on a real root) and exec %s\n", rp->init);
}
