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
/* A disk the scan of every disk (or a lookup's walk) got no answer from within its bound: left out
 * of the next scans and probed on its own, each time with twice the bound, until it answers (then
 * it is one of the others again) or the wait is over. */
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
	unsigned at;           /* its line in disk_at */
	bool lookup;           /* dev_resolve_async/_wait: a look now, "not there" once it is through */
	bool walked;           /* a lookup's last scan is back without it */
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

struct waiter;
static bool skipped(const struct waiter *w, const char *name);

/* The disk each child walking the disks is at (its sysname, written before each probe), shared
 * with the children: the disk a walk that ran out of time hung on. One line per waiter (a lookup
 * is one), then dev_resolve_wait's. NULL when the mapping could not be had (only the name is
 * missing then, never the bound). */
#define AT_WAITERS 16
#define AT_WAIT AT_WAITERS
static char (*disk_at)[64];
_Static_assert(sizeof(waiters) / sizeof(*waiters) <= AT_WAITERS, "a line of disk_at per waiter");

static char *at_line(unsigned slot)
{
	if (!disk_at && (disk_at = mmap(NULL, sizeof(*disk_at) * (AT_WAITERS + 1), PROT_READ | PROT_WRITE,
				       MAP_SHARED | MAP_ANONYMOUS, -1, 0)) == MAP_FAILED)
		disk_at = NULL;
	return disk_at ? disk_at[slot] : NULL;
}

/* blk_find's walk over /sys/class/block for a tag, each name noted in at before it is probed,
 * without the disks w set apart. 1 found (b filled), 0 not. */
static int walk_disks(const struct devspec *d, const struct waiter *w, char *at, struct blk_dev *b)
{
	DIR *dir = opendir("/sys/class/block");
	struct dirent *e;
	int found = 0;

	while (dir && !found && (e = readdir(dir))) {
		if (e->d_name[0] == '.' || skipped(w, e->d_name))
			continue;
		if (at)
			snprintf(at, sizeof(*disk_at), "%.63s", e->d_name);
		found = blk_match_one(e->d_name, d, b) == 1;
	}
	if (dir)
		closedir(dir);
	return found;
}

unsigned dev_timeout_ms(void)
{
	return plan->timeout_s * 1000;
}

/* A bound in a log line: whole seconds as "15", else to the tenth ("1.2"). */
static const char *secs(char buf[16], unsigned ms)
{
	if (ms % 1000 && ms < 100000)
		snprintf(buf, 16, "%u.%u", ms / 1000, ms % 1000 / 100);
	else
		snprintf(buf, 16, "%u", ms / 1000);
	return buf;
}

static const char *verb(const struct waiter *w)
{
	return w->lookup ? "looking up" : "looking for";
}

static bool stuck_left(const struct waiter *w)
{
	for (unsigned i = 0; i < STUCK_MAX; i++)
		if (w->stuck[i].used)
			return true;
	return false;
}

/* The disks w has no answer from: those set apart, then the one its scan is at ("" none). */
static const char *no_answer(const struct waiter *w)
{
	static char names[STUCK_MAX * 66 + 64];
	const char *at = w->probing && disk_at ? disk_at[w->at] : "";
	size_t n = 0;

	names[0] = '\0';
	for (unsigned i = 0; i < STUCK_MAX; i++)
		if (w->stuck[i].used)
			n += (size_t)snprintf(names + n, sizeof(names) - n, "%s%.63s", n ? ", " : "", w->stuck[i].name);
	if (at[0] && !skipped(w, at))
		snprintf(names + n, sizeof(names) - n, "%s%.63s", n ? ", " : "", at);
	return names;
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
	if (node && !err)
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
 * starts again at once without it (the disks after it are looked at). A bounded wait (the root's
 * without rootwait, crypt's, verity's) and a lookup (dev_resolve_async, dev_resolve_wait) give the
 * first scan BOUND_SHARE of the bound (at most SCAN_MS), so that setting a stuck disk apart and the
 * scans that start again fit in it too; a wait without a bound (rootwait) starts at SCAN_MS. */
#define PROBE_ONE_MS 15000
#define SCAN_MS 15000
#define SCAN_MAX_MS 120000
#define BOUND_SHARE 4

/* The first scan's bound, for a wait or lookup bounded at timeout_ms (none: forever). */
static unsigned first_scan_ms(unsigned timeout_ms, bool forever)
{
	unsigned ms = timeout_ms / BOUND_SHARE;

	return forever || ms >= SCAN_MS ? SCAN_MS : ms ? ms : 1;
}

static unsigned grown(unsigned ms)
{
	return ms < SCAN_MAX_MS / 2 ? ms * 2 : SCAN_MAX_MS;
}

static bool skipped(const struct waiter *w, const char *name)
{
	for (unsigned i = 0; i < STUCK_MAX; i++)
		if (w->stuck[i].used && !strcmp(w->stuck[i].name, name))
			return true;
	return false;
}

/* The scan of every disk ran out of time on the disk named in its disk_at line: that disk is set
 * apart (to be probed on its own, first with twice the scan's bound), the scan's bound doubled. The
 * disk set apart, or NULL: none named, already apart, or STUCK_MAX are. The one decision of both
 * the loop's waits and lookups and dev_resolve_wait's. */
static struct stuck *set_apart(struct waiter *w)
{
	unsigned was = w->scan_ms, i;
	char name[64] = "", b1[16], b2[16];

	if (disk_at)
		snprintf(name, sizeof(name), "%s", disk_at[w->at]);
	w->scan_ms = grown(w->scan_ms);
	for (i = 0; name[0] && i < STUCK_MAX && w->stuck[i].used; i++)
		;
	if (!name[0] || skipped(w, name) || i == STUCK_MAX) {
		log_warn("devices", "%s %s: the scan of every disk gave no answer within %s s: again, for up to %s s",
			 verb(w), w->text, secs(b1, was), secs(b2, w->scan_ms));
		return NULL;
	}
	w->stuck[i] = (struct stuck){ .used = true, .w = w, .gen = w->gen, .ms = grown(was) };
	snprintf(w->stuck[i].name, sizeof(w->stuck[i].name), "%s", name);
	log_warn("devices", "%s %s: the scan of every disk gave no answer from %s within %s s: %s is probed on "
		 "its own (up to %s s), the scan starts again without it", verb(w), w->text, name, secs(b1, was), name,
		 secs(b2, w->stuck[i].ms));
	return &w->stuck[i];
}

/* The scan of every disk, in the child: blk_find's walk, without the disks found stuck. */
static int scan_work(int fd, void *arg)
{
	struct waiter *w = arg;  /* the child's copy */
	struct probe_answer a = { .gen = w->gen };

	a.found = walk_disks(&w->spec, w, disk_at ? disk_at[w->at] : NULL, &a.b);
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

/* A lookup is through, not found, once its last scan is back and every disk it set apart answered. */
static void lookup_through(struct waiter *w)
{
	if (w->lookup && w->walked && !w->probing && !stuck_left(w))
		finish(w, NULL, -ENOENT);
}

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
	char b1[16], b2[16];

	if (!st->used || !w->used || st->gen != w->gen)
		return;
	if (status == CHILD_TIMED_OUT) {
		unsigned was = st->ms;
		st->ms = grown(st->ms);
		log_warn("devices", "%s %s: %s gave no answer within %s s: asked again once it is let go, for up "
			 "to %s s", verb(w), w->text, st->name, secs(b1, was), secs(b2, st->ms));
		child_when_gone(stuck_probe, st);
		return;
	}
	if (n == sizeof(a))
		memcpy(&a, res, sizeof(a));
	log_debug("devices", "%s %s: %s answered: %s", verb(w), w->text, st->name, a.found ? "it is the one" :
		  "not it, one of the others again");
	st->used = false;  /* it answers: the scans look at it again */
	if (a.found && a.gen == w->gen)
		finish(w, a.b.node, 0);
	else
		lookup_through(w);
}

/* Once the child that hung on it is gone (it may hold the disk until then). */
static void stuck_probe(void *arg)
{
	struct stuck *st = arg;
	struct waiter *w = st->w;

	if (!st->used || !w->used || st->gen != w->gen)
		return;
	if (child_work_bounded(stuck_work, st, st->ms, stuck_done, st) < 0) {
		/* a lookup keeps it apart: without an answer from it, it ends at its bound naming it */
		log_warn("devices", "%s %s: no child to probe %s: %s", verb(w), w->text, st->name,
			 w->lookup ? "left without an answer" : "one of the others again");
		st->used = w->lookup;
	}
}

/* The scan of every disk ran out of time: the disk it hung on is set apart, the scan starts again. */
static void scan_stuck(struct waiter *w)
{
	struct stuck *st = set_apart(w);

	if (st)
		child_when_gone(stuck_probe, st);
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
	else if (w->lookup) {
		finish(w, NULL, -EIO);  /* the child died without an answer */
		return;
	}
	if (a.found && a.gen == w->gen) {
		finish(w, a.b.node, 0);
	} else if (w->again) {
		w->again = false;
		check(w, NULL);
	} else {
		w->walked = true;
		lookup_through(w);
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
		if (!one && at_line(w->at))
			disk_at[w->at][0] = '\0';
		if ((one ? child_work_bounded(probe_work, w, PROBE_ONE_MS, probe_done, w)
			 : child_work_bounded(scan_work, w, w->scan_ms, scan_done, w)) == 0) {
			if (!one) {
				w->probing = true;
				w->walked = false;
			}
			return;
		}
		/* no child to be had: probe here, as before */
		static bool said;
		if (!said)
			log_warn("devices", "no child process for %s %s: looking on the loop, a slow disk holds PID 1 "
				 "meanwhile (said once)", verb(w), w->text);
		said = true;
	}
	if (found_now(w, sysname, &b)) {
		finish(w, b.node, 0);
	} else if (w->lookup) {
		w->walked = true;
		lookup_through(w);
	}
}

static void on_uevent(const struct uevent *ev, void *arg)
{
	if (!ev) {  /* events were lost: look at every device again */
		for (unsigned i = 0; i < sizeof(waiters) / sizeof(waiters[0]); i++)
			if (waiters[i].used && !waiters[i].lookup)
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
		if (waiters[i].used && !waiters[i].lookup)  /* a lookup is a look now */
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
	 * the moment the modules job settles, as when the device waits began after it. A lookup's
	 * bound is its own. */
	if (job_modules.state == JOB_RUNNING && !w->lookup) {
		w->deferred = true;
		return;
	}
	log_debug("devices", "%s: not found after %llu ms", w->text,
		  (unsigned long long)(loop_now_ms() - w->since));
	finish(w, w->lookup ? no_answer(w) : NULL, -ETIMEDOUT);
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

/* What every wait and lookup starts from: spec parsed, nothing set apart yet, its disk_at line. */
static int waiter_init(struct waiter *w, const char *spec, bool rw, unsigned timeout_ms, bool forever, bool lookup,
		       unsigned at)
{
	int ret;

	memset(&w->spec, 0, sizeof(w->spec));
	if ((ret = devspec_parse(spec, &w->spec)))
		return ret;
	w->spec.rw = rw;
	(void)devspec_format(&w->spec, w->text, sizeof(w->text));
	w->gen++;
	w->probing = w->again = w->walked = false;
	w->lookup = lookup;
	w->forever = forever;
	w->scan_ms = first_scan_ms(timeout_ms, forever);
	memset(w->stuck, 0, sizeof(w->stuck));
	w->at = at;
	w->since = loop_now_ms();
	w->timeout_ms = timeout_ms;
	w->deferred = false;
	return 0;
}

static int wait_spec(const char *spec, bool rw, unsigned timeout_ms, bool forever, bool lookup,
		     void (*fn)(void *arg, const char *devnode, int err), void *arg)
{
	struct waiter *w = waiter_new();
	int ret;

	if (!w)
		return -ENOSPC;
	/* subscribe before the first look: an event between the two is then not lost */
	if (!lookup && !subscribed && (ret = uevent_subscribe(on_uevent, NULL)) < 0)
		return ret;
	subscribed |= !lookup;
	if ((ret = waiter_init(w, spec, rw, timeout_ms, forever, lookup, (unsigned)(w - waiters))))
		return ret;
	w->fn = fn;
	w->arg = arg;
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
	return wait_spec(spec, false, timeout_ms, forever, false, fn, arg);
}

int dev_wait_rw(const char *spec, unsigned timeout_ms, bool forever,
		void (*fn)(void *arg, const char *devnode, int err), void *arg)
{
	return wait_spec(spec, true, timeout_ms, forever, false, fn, arg);
}

/* ---- a lookup now, out of the loop ------------------------------------------------------------ */
/* A waiter that looks once: the scans of the disks (a disk that gives no answer set apart, the scan
 * started again without it), no uevents, "not there" once a scan is through and every disk set
 * apart has answered; at its bound the disks without an answer are named. */
int dev_resolve_async(const char *spec, unsigned timeout_ms, void (*fn)(void *arg, const char *node, int err),
		      void *arg)
{
	return wait_spec(spec, false, timeout_ms, false, true, fn, arg);
}

static struct waiter *lookup_of(void *arg)
{
	for (unsigned i = 0; i < sizeof(waiters) / sizeof(*waiters); i++)
		if (waiters[i].used && waiters[i].lookup && waiters[i].arg == arg)
			return &waiters[i];
	return NULL;
}

const char *dev_resolve_at(void *arg)
{
	struct waiter *w = lookup_of(arg);

	return w ? no_answer(w) : "";
}

static void resolve_dropped(void *arg, const char *node, int err)
{
}

void dev_resolve_cancel(void *arg)
{
	struct waiter *w;

	while ((w = lookup_of(arg))) {
		w->fn = resolve_dropped;
		finish(w, NULL, -ECANCELED);  /* its children killed */
	}
}

/* The handoff's lookup, waited for (nothing else runs on the loop): the same scans, one child at a
 * time. A scan that runs out of its bound sets the disk it hung on apart (set_apart) and starts
 * again without it; once a scan is back without the device, the disks set apart are probed on their
 * own with what is left of the bound. */
int dev_resolve_wait(const char *spec, unsigned timeout_ms, char *out, size_t len)
{
	static struct waiter w;  /* not one of waiters[]: the loop never sees it */
	uint64_t end = loop_now_ms() + timeout_ms;
	struct probe_answer a;
	int n, ret;

	if ((ret = waiter_init(&w, spec, false, timeout_ms, false, true, AT_WAIT)))
		return ret;
	if (!reads_disks(w.spec.kind))
		return dev_resolve_now(spec, out, len);  /* sysfs only */
	for (uint64_t now; (now = loop_now_ms()) < end;) {
		unsigned ms = end - now < w.scan_ms ? (unsigned)(end - now) : w.scan_ms;
		bool last = ms < w.scan_ms;

		if (at_line(w.at))
			disk_at[w.at][0] = '\0';
		w.probing = true;
		if ((n = child_work_wait(scan_work, &w, ms, &a, sizeof(a))) == -ETIMEDOUT) {
			if (last)
				break;  /* the bound is spent on this scan */
			(void)set_apart(&w);
			continue;
		}
		w.probing = false;
		if (n < 0)
			return n;
		if (n != (int)sizeof(a))
			return -EIO;  /* the child died without an answer */
		if (a.found)
			goto found;
		break;
	}
	for (unsigned i = 0; !w.probing && i < STUCK_MAX; i++) {
		uint64_t now = loop_now_ms();

		if (!w.stuck[i].used || now >= end)
			continue;
		if ((n = child_work_wait(stuck_work, &w.stuck[i], (unsigned)(end - now), &a, sizeof(a))) != (int)sizeof(a))
			continue;  /* no answer from it */
		w.stuck[i].used = false;
		if (a.found)
			goto found;
	}
	if (!w.probing && !stuck_left(&w))
		return -ENOENT;
	snprintf(out, len, "%s", no_answer(&w));
	return -ETIMEDOUT;
found:
	a.b.node[sizeof(a.b.node) - 1] = '\0';
	return snprintf(out, len, "%s", a.b.node) >= (int)len ? -ENAMETOOLONG : 0;
}
