/* Waiting for devices: registrations re-checked on every block/UBI uevent, bounded by timers. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "devices.h"
#include "ferry.h"
#include "../lib/storage/blk.h"
#include "../lib/storage/devspec.h"
#include "../lib/core/uevent.h"

#define REPORT_MS 5000

static struct waiter {
	bool used;
	bool forever;
	struct devspec spec;
	char text[DEVSPEC_MAX + 16];
	void (*fn)(void *arg, const char *devnode, int err);
	void *arg;
	uint64_t since;
	struct loop_timer first, deadline, report;
} waiters[16];
static bool subscribed;

int dev_resolve_now(const char *spec, char *out, size_t len)
{
	struct devspec d;
	struct blk_dev b;
	int ret;

	if ((ret = devspec_parse(spec, &d)) || (ret = blk_find(&d, &b)))
		return ret;
	return snprintf(out, len, "%s", b.node) >= (int)len ? -ENAMETOOLONG : 0;
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
	if (node)
		log_debug("devices", "%s is %s after %llu ms", w->text, node,
			  (unsigned long long)(loop_now_ms() - w->since));
	fn(arg, node, err);
}

static void check(struct waiter *w, const char *sysname)
{
	struct blk_dev b;

	if (sysname && devspec_tag(w->spec.kind) ? blk_match_one(sysname, &w->spec, &b) == 1
						 : blk_find(&w->spec, &b) == 0)
		finish(w, b.node, 0);
}

static void on_uevent(const struct uevent *ev, void *arg)
{
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
	log_debug("devices", "%s: not found after %llu ms", w->text,
		  (unsigned long long)(loop_now_ms() - w->since));
	finish(w, NULL, -ETIMEDOUT);
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

int dev_wait(const char *spec, unsigned timeout_ms, bool forever,
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
	(void)devspec_format(&w->spec, w->text, sizeof(w->text));
	w->fn = fn;
	w->arg = arg;
	w->forever = forever;
	w->since = loop_now_ms();
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
