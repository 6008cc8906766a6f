/* Waiting for devices: registrations re-checked on every block/UBI uevent, bounded by timers. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include "devices.h"
#include "ferry.h"
#include "stages.h"
#include "../lib/core/fileio.h"
#include "../lib/storage/blk.h"
#include "../lib/storage/devspec.h"
#include "../lib/core/uevent.h"

#define REPORT_MS 5000
#define STUCK_MAX 4

struct waiter;
/* A disk the scan of every disk got no answer from within its bound: left out of the next scans
 * and probed on its own, each time with twice the bound, until it answers (then it is one of the
 * others again) or the wait is over. */
struct stuck {
	bool used;
	struct waiter *w;
	unsigned gen;
	unsigned ms;
	char name[64];
};

static struct waiter {
	bool used;
	bool forever;
	struct devspec spec;
	char text[DEVSPEC_MAX + 16];
	void (*fn)(void *arg, const char *devnode, int err);
	void *arg;
	uint64_t since;
	struct loop_timer first, deadline, report;
	unsigned timeout_ms;   /* the bound, counted again from the moment the modules job settles */
	bool deferred;         /* the bound ran out while drivers were still loading */
	unsigned gen;          /* which wait of this slot a probe's answer belongs to */
	bool probing, again;   /* a probe child is out; another check came meanwhile */
	char probe_one[64];    /* the sysname the probe looks at, "" for all */
	unsigned scan_ms;      /* the bound of the scan of every disk, twice as long at each restart */
	struct stuck stuck[STUCK_MAX];
} waiters[16];

static bool subscribed;

static int resolve_now(const char *spec, bool rw, char *out, size_t len)
{
	struct devspec d;
	struct blk_dev b;
	int ret;

	if ((ret = devspec_parse(spec, &d)))
		return ret;
	d.rw = rw;
	if ((ret = blk_find(&d, &b)))
		return ret;
	return snprintf(out, len, "%s", b.node) >= (int)len ? -ENAMETOOLONG : 0;
}

int dev_resolve_now(const char *spec, char *out, size_t len)
{
	return resolve_now(spec, false, out, len);
}

int dev_resolve_now_rw(const char *spec, char *out, size_t len)
{
	return resolve_now(spec, true, out, len);
}

static void resolve_dropped(void *arg, const char *node, int err)
{
}

/* ---- a lookup now, out of the loop ------------------------------------------------------------ */
struct resolve_answer {
	int ret;
	char node[DEVSPEC_MAX + 8];
};

#define NLOOKUPS 8
static struct lookup {
	bool used;
	unsigned slot;         /* its line in disk_at */
	char spec[DEVSPEC_MAX + 16];
	void (*fn)(void *arg, const char *node, int err);
	void *arg;
} lookups[NLOOKUPS];

struct waiter;
static bool skipped(const struct waiter *w, const char *name);

/* The disk each child walking the disks is at (its sysname, written before each probe), shared
 * with the children: the disk a walk that ran out of time hung on. One line per waiter, then one
 * per lookup, then dev_resolve_wait's. NULL when the mapping could not be had (only the name is
 * missing then, never the bound). */
#define AT_WAITERS 16
static char (*disk_at)[64];
_Static_assert(sizeof(waiters) / sizeof(*waiters) <= AT_WAITERS, "a line of disk_at per waiter");

static char *at_line(unsigned slot)
{
	if (!disk_at && (disk_at = mmap(NULL, sizeof(*disk_at) * (AT_WAITERS + NLOOKUPS + 1), PROT_READ | PROT_WRITE,
				       MAP_SHARED | MAP_ANONYMOUS, -1, 0)) == MAP_FAILED)
		disk_at = NULL;
	return disk_at ? disk_at[slot] : NULL;
}

/* blk_find's walk over /sys/class/block for a tag, each name noted in at before it is probed,
 * without the disks w set apart (w NULL: none). 1 found (b filled), 0 not. */
static int walk_disks(const struct devspec *d, const struct waiter *w, char *at, struct blk_dev *b)
{
	DIR *dir = opendir("/sys/class/block");
	struct dirent *e;
	int found = 0;

	while (dir && !found && (e = readdir(dir))) {
		if (e->d_name[0] == '.' || (w && skipped(w, e->d_name)))
			continue;
		if (at)
			snprintf(at, sizeof(*disk_at), "%.63s", e->d_name);
		found = blk_match_one(e->d_name, d, b) == 1;
	}
	if (dir)
		closedir(dir);
	return found;
}

static int resolve_work(int fd, void *arg)
{
	const struct lookup *l = arg;  /* the child's copy */
	struct resolve_answer a = { 0 };
	struct devspec d;
	struct blk_dev b;

	if (devspec_parse(l->spec, &d) == 0 && devspec_tag(d.kind) && d.kind != DEVSPEC_PARTLABEL) {
		a.ret = walk_disks(&d, NULL, disk_at ? disk_at[l->slot] : NULL, &b) ? 0 : -ENOENT;
		if (!a.ret && snprintf(a.node, sizeof(a.node), "%s", b.node) >= (int)sizeof(a.node))
			a.ret = -ENAMETOOLONG;
	} else {
		a.ret = resolve_now(l->spec, false, a.node, sizeof(a.node));
	}
	return fd_write_all(fd, &a, sizeof(a));
}

static void resolve_answered(void *arg, const void *res, size_t n, int status)
{
	struct lookup *l = arg;
	struct resolve_answer a = { .ret = status == CHILD_TIMED_OUT ? -ETIMEDOUT : -EIO };
	const char *at = disk_at ? disk_at[l->slot] : "";

	if (status != CHILD_TIMED_OUT && n == sizeof(a))
		memcpy(&a, res, sizeof(a));
	a.node[sizeof(a.node) - 1] = '\0';
	if (a.ret == -ETIMEDOUT)
		snprintf(a.node, sizeof(a.node), "%.63s", at);
	l->used = false;   /* free before fn runs: fn may look up the next one */
	l->fn(l->arg, a.ret && a.ret != -ETIMEDOUT ? NULL : a.node, a.ret);
}

int dev_resolve_async(const char *spec, unsigned timeout_ms, void (*fn)(void *arg, const char *node, int err),
		      void *arg)
{
	struct lookup *l = NULL;
	int ret;

	for (unsigned i = 0; !l && i < sizeof(lookups) / sizeof(*lookups); i++)
		if (!lookups[i].used)
			l = &lookups[i];
	if (!l)
		return -EAGAIN;
	if (snprintf(l->spec, sizeof(l->spec), "%s", spec) >= (int)sizeof(l->spec))
		return -ENAMETOOLONG;
	l->fn = fn;
	l->arg = arg;
	l->used = true;
	l->slot = AT_WAITERS + (unsigned)(l - lookups);
	if (at_line(l->slot))
		disk_at[l->slot][0] = '\0';
	if ((ret = child_work_bounded(resolve_work, l, timeout_ms, resolve_answered, l)) < 0)
		l->used = false;
	return ret;
}

const char *dev_resolve_at(void *arg)
{
	for (unsigned i = 0; i < NLOOKUPS; i++)
		if (lookups[i].used && lookups[i].arg == arg && disk_at)
			return disk_at[lookups[i].slot];
	return "";
}

void dev_resolve_cancel(void *arg)
{
	for (unsigned i = 0; i < sizeof(lookups) / sizeof(*lookups); i++)
		if (lookups[i].used && lookups[i].arg == arg)
			lookups[i].fn = resolve_dropped;
}

int dev_resolve_wait(const char *spec, unsigned timeout_ms, char *out, size_t len)
{
	struct resolve_answer a;
	struct lookup l = { .slot = AT_WAITERS + NLOOKUPS };
	int n;

	if (snprintf(l.spec, sizeof(l.spec), "%s", spec) >= (int)sizeof(l.spec))
		return -ENAMETOOLONG;
	if (at_line(l.slot))
		disk_at[l.slot][0] = '\0';
	if ((n = child_work_wait(resolve_work, &l, timeout_ms, &a, sizeof(a))) == -ETIMEDOUT && disk_at)
		snprintf(out, len, "%s", disk_at[l.slot]);
	if (n < 0)
		return n;
	if (n != (int)sizeof(a))
		return -EIO;   /* the child died without an answer */
	a.node[sizeof(a.node) - 1] = '\0';
	if (a.ret)
		return a.ret;
	return snprintf(out, len, "%s", a.node) >= (int)len ? -ENAMETOOLONG : 0;
}

unsigned dev_timeout_ms(void)
{
	return plan->timeout_s * 1000;
}

/* Hand the result over; the slot is free before fn runs so fn may wait again. */
static void finish(struct waiter *w, const char *node, int err)
{
	void (*fn)(void *, const char *, int) = w->fn;
	void *arg = w->arg;

	loop_timer_cancel(loop, &w->first);
	loop_timer_cancel(loop, &w->deadline);
	loop_timer_cancel(loop, &w->report);
	w->used = false;
	child_work_cancel(w);  /* its probes and scan, and those of the disks it found stuck */
	for (unsigned i = 0; i < STUCK_MAX; i++)
		if (w->stuck[i].used) {
			child_work_cancel(&w->stuck[i]);
			w->stuck[i].used = false;
		}
	if (node)
		log_debug("devices", "%s is %s after %llu ms", w->text, node,
			  (unsigned long long)(loop_now_ms() - w->since));
	fn(arg, node, err);
}

static bool found_now(struct waiter *w, const char *sysname, struct blk_dev *b)
{
	return sysname && devspec_tag(w->spec.kind) ? blk_match_one(sysname, &w->spec, b) == 1
						    : blk_find(&w->spec, b) == 0;
}

/* LABEL=, UUID= and PARTUUID= read the disks (libblkid, or the 4 KiB read): a dying USB disk
 * would hold PID 1 for the SCSI timeouts. Those probes run in a child; the rest reads sysfs. */
static bool reads_disks(enum devspec_kind k)
{
	return k == DEVSPEC_LABEL || k == DEVSPEC_UUID || k == DEVSPEC_PARTUUID;
}

bool dev_reads_disks(const char *spec)
{
	struct devspec d;

	return devspec_parse(spec, &d) == 0 && reads_disks(d.kind);
}

struct probe_answer {
	unsigned gen;
	int found;
	bool one;              /* a probe of the one new device, not of every disk */
	struct blk_dev b;
};

/* A probe of one new device is bounded: a device that does not answer is not the one (the scan of
 * every disk still finds a slow one). The scan of every disk is not repeated while it is out, but a
 * new device is looked at at once, in a child of its own, so a disk that never answers cannot hide
 * the right one that appears after it. The scan is bounded too (SCAN_MS, doubled at each restart
 * up to SCAN_MAX_MS): when it runs out, the disk it hung on is left out of the next scans and probed
 * on its own with twice the bound each time (a slow disk that works is still found), and the scan
 * starts again at once without it (the disks after it are looked at). */
#define PROBE_ONE_MS 15000
#define SCAN_MS 15000
#define SCAN_MAX_MS 120000

static bool skipped(const struct waiter *w, const char *name)
{
	for (unsigned i = 0; i < STUCK_MAX; i++)
		if (w->stuck[i].used && !strcmp(w->stuck[i].name, name))
			return true;
	return false;
}

/* The scan of every disk, in the child: blk_find's walk, without the disks found stuck. */
static int scan_work(int fd, void *arg)
{
	struct waiter *w = arg;  /* the child's copy */
	struct probe_answer a = { .gen = w->gen };

	a.found = walk_disks(&w->spec, w, disk_at ? disk_at[w - waiters] : NULL, &a.b);
	return fd_write_all(fd, &a, sizeof(a));
}

static int probe_work(int fd, void *arg)
{
	struct waiter *w = arg;  /* the child's copy */
	struct probe_answer a = { .gen = w->gen, .one = w->probe_one[0] != 0 };

	a.found = found_now(w, a.one ? w->probe_one : NULL, &a.b);
	return fd_write_all(fd, &a, sizeof(a));
}

static void check(struct waiter *w, const char *sysname);

/* A one-device probe is back (or ran out of time: not it). */
static void probe_done(void *arg, const void *res, size_t n, int status)
{
	struct waiter *w = arg;
	struct probe_answer a = { .gen = w->gen };

	if (n == sizeof(a))
		memcpy(&a, res, sizeof(a));
	else if (status == CHILD_TIMED_OUT)
		log_warn("devices", "looking for %s: a new device gave no answer within %d s: not it",
			 w->text, PROBE_ONE_MS / 1000);
	if (w->used && a.gen == w->gen && a.found)
		finish(w, a.b.node, 0);
}

static void stuck_probe(void *arg);

static int stuck_work(int fd, void *arg)
{
	struct stuck *st = arg;  /* the child's copy */
	struct probe_answer a = { .gen = st->gen, .one = true };

	a.found = blk_match_one(st->name, &st->w->spec, &a.b) == 1;
	return fd_write_all(fd, &a, sizeof(a));
}

static void stuck_done(void *arg, const void *res, size_t n, int status)
{
	struct stuck *st = arg;
	struct waiter *w = st->w;
	struct probe_answer a = { .gen = st->gen };

	if (!st->used || !w->used || st->gen != w->gen)
		return;
	if (status == CHILD_TIMED_OUT) {
		unsigned was = st->ms;
		st->ms = st->ms < SCAN_MAX_MS ? st->ms * 2 : SCAN_MAX_MS;
		log_warn("devices", "looking for %s: %s gave no answer within %u s: asked again once it is "
			 "let go, for up to %u s", w->text, st->name, was / 1000, st->ms / 1000);
		child_when_gone(stuck_probe, st);
		return;
	}
	if (n == sizeof(a))
		memcpy(&a, res, sizeof(a));
	log_debug("devices", "looking for %s: %s answered: %s", w->text, st->name, a.found ? "it is the one" :
		  "not it, one of the others again");
	st->used = false;  /* it answers: the scans look at it again */
	if (a.found && a.gen == w->gen)
		finish(w, a.b.node, 0);
}

/* Once the child that hung on it is gone (it may hold the disk until then). */
static void stuck_probe(void *arg)
{
	struct stuck *st = arg;
	struct waiter *w = st->w;

	if (!st->used || !w->used || st->gen != w->gen)
		return;
	if (child_work_bounded(stuck_work, st, st->ms, stuck_done, st) < 0) {
		log_warn("devices", "looking for %s: no child to probe %s: one of the others again", w->text,
			 st->name);
		st->used = false;
	}
}

/* The scan of every disk ran out of time: the disk it hung on is set apart, the scan starts again. */
static void scan_stuck(struct waiter *w)
{
	unsigned was = w->scan_ms, i;
	char name[64] = "";

	if (disk_at)
		snprintf(name, sizeof(name), "%s", disk_at[w - waiters]);
	w->scan_ms = w->scan_ms < SCAN_MAX_MS ? w->scan_ms * 2 : SCAN_MAX_MS;
	for (i = 0; name[0] && i < STUCK_MAX && w->stuck[i].used; i++)
		;
	if (!name[0] || skipped(w, name) || i == STUCK_MAX) {
		log_warn("devices", "looking for %s: the scan of every disk gave no answer within %u s: again, "
			 "for up to %u s", w->text, was / 1000, w->scan_ms / 1000);
	} else {
		w->stuck[i] = (struct stuck){ .used = true, .w = w, .gen = w->gen,
					       .ms = 2 * was < SCAN_MAX_MS ? 2 * was : SCAN_MAX_MS };
		snprintf(w->stuck[i].name, sizeof(w->stuck[i].name), "%s", name);
		log_warn("devices", "looking for %s: the scan of every disk gave no answer from %s within %u s: "
			 "%s is probed on its own (up to %u s), the scan starts again without it", w->text, name,
			 was / 1000, name, w->stuck[i].ms / 1000);
		child_when_gone(stuck_probe, &w->stuck[i]);
	}
	check(w, NULL);
}

/* The scan of every disk is back, or ran out of time. */
static void scan_done(void *arg, const void *res, size_t n, int status)
{
	struct waiter *w = arg;
	struct probe_answer a = { .gen = w->gen };

	if (!w->used)
		return;
	w->probing = false;
	if (status == CHILD_TIMED_OUT) {
		w->again = false;  /* the scan starts again anyway */
		scan_stuck(w);
		return;
	}
	if (n == sizeof(a))
		memcpy(&a, res, sizeof(a));
	if (a.found && a.gen == w->gen) {
		finish(w, a.b.node, 0);
	} else if (w->again) {
		w->again = false;
		check(w, NULL);
	}
}

static void check(struct waiter *w, const char *sysname)
{
	struct blk_dev b;

	if (reads_disks(w->spec.kind)) {
		bool one = sysname && devspec_tag(w->spec.kind);

		if (w->probing && !one) {
			w->again = true;  /* one more look, at every disk, when this probe is back */
			return;
		}
		snprintf(w->probe_one, sizeof(w->probe_one), "%s", one ? sysname : "");
		if (!one && at_line((unsigned)(w - waiters)))
			disk_at[w - waiters][0] = '\0';
		if ((one ? child_work_bounded(probe_work, w, PROBE_ONE_MS, probe_done, w)
			 : child_work_bounded(scan_work, w, w->scan_ms, scan_done, w)) == 0) {
			w->probing |= !one;
			return;
		}
		/* no child to be had: probe here, as before */
	}
	if (found_now(w, sysname, &b))
		finish(w, b.node, 0);
}

static void on_uevent(const struct uevent *ev, void *arg)
{
	if (!ev) {  /* events were lost: look at every device again */
		for (unsigned i = 0; i < sizeof(waiters) / sizeof(waiters[0]); i++)
			if (waiters[i].used)
				check(&waiters[i], NULL);
		return;
	}
	if (!ev->action || !ev->subsystem || (strcmp(ev->action, "add") && strcmp(ev->action, "change")))
		return;
	if (strcmp(ev->subsystem, "block") && strcmp(ev->subsystem, "ubi"))
		return;
	/* the sysfs name is the devpath's last component ("vda1"); a dm device only carries its
	 * table after "change", which is why both actions count */
	const char *slash = ev->devpath ? strrchr(ev->devpath, '/') : NULL;
	const char *sysname = slash ? slash + 1 : NULL;
	for (unsigned i = 0; i < sizeof(waiters) / sizeof(waiters[0]); i++)
		if (waiters[i].used)
			check(&waiters[i], strcmp(ev->subsystem, "block") ? NULL : sysname);
}

static void on_first(void *arg, uint32_t events)
{
	check(arg, NULL);
}

static void on_deadline(void *arg, uint32_t events)
{
	struct waiter *w = arg;
	/* Drivers still loading (crypt and root start beside the modules job): the bound counts from
	 * the moment the modules job settles, as when the device waits began after it. */
	if (job_modules.state == JOB_RUNNING) {
		w->deferred = true;
		return;
	}
	log_debug("devices", "%s: not found after %llu ms", w->text,
		  (unsigned long long)(loop_now_ms() - w->since));
	finish(w, NULL, -ETIMEDOUT);
}

void dev_waits_modules_settled(void)
{
	for (size_t i = 0; i < sizeof(waiters) / sizeof(*waiters); i++) {
		struct waiter *w = &waiters[i];
		if (w->used && w->deferred) {
			w->deferred = false;
			if (loop_timer_arm(loop, &w->deadline, w->timeout_ms, on_deadline, w) < 0)
				on_deadline(w, 0);
		}
	}
}

static void on_report(void *arg, uint32_t events)
{
	struct waiter *w = arg;

	log_warn("devices", "still waiting for %s (%llu s; rootwait: no time limit)", w->text,
		 (unsigned long long)(loop_now_ms() - w->since) / 1000);
	(void)loop_timer_arm(loop, &w->report, REPORT_MS, on_report, w);
}

static struct waiter *waiter_new(void)
{
	for (unsigned i = 0; i < sizeof(waiters) / sizeof(waiters[0]); i++)
		if (!waiters[i].used)
			return &waiters[i];
	return NULL;
}

static int wait_spec(const char *spec, bool rw, unsigned timeout_ms, bool forever,
		     void (*fn)(void *arg, const char *devnode, int err), void *arg)
{
	struct waiter *w = waiter_new();
	int ret;

	if (!w)
		return -ENOSPC;
	/* subscribe before the first look: an event between the two is then not lost */
	if (!subscribed && (ret = uevent_subscribe(on_uevent, NULL)) < 0)
		return ret;
	subscribed = true;
	memset(&w->spec, 0, sizeof(w->spec));
	if ((ret = devspec_parse(spec, &w->spec)))
		return ret;
	w->spec.rw = rw;
	(void)devspec_format(&w->spec, w->text, sizeof(w->text));
	w->fn = fn;
	w->arg = arg;
	w->forever = forever;
	w->gen++;
	w->probing = w->again = false;
	w->scan_ms = SCAN_MS;
	memset(w->stuck, 0, sizeof(w->stuck));
	w->since = loop_now_ms();
	w->timeout_ms = timeout_ms;
	w->deferred = false;
	w->used = true;
	if ((ret = loop_timer_arm(loop, &w->first, 0, on_first, w)) ||
	    (ret = forever ? loop_timer_arm(loop, &w->report, REPORT_MS, on_report, w)
			   : loop_timer_arm(loop, &w->deadline, timeout_ms, on_deadline, w))) {
		loop_timer_cancel(loop, &w->first);
		loop_timer_cancel(loop, &w->deadline);
		loop_timer_cancel(loop, &w->report);
		w->used = false;
		return ret;
	}
	return 0;
}

int dev_wait(const char *spec, unsigned timeout_ms, bool forever,
	     void (*fn)(void *arg, const char *devnode, int err), void *arg)
{
	return wait_spec(spec, false, timeout_ms, forever, fn, arg);
}

int dev_wait_rw(const char *spec, unsigned timeout_ms, bool forever,
		void (*fn)(void *arg, const char *devnode, int err), void *arg)
{
	return wait_spec(spec, true, timeout_ms, forever, fn, arg);
}
