/* ferry.watchdog=SECONDS[,DEVICE]: the board's watchdog, armed at early and petted from the loop
 * while the boot runs, so a PID 1 that wedges gets the board reset. When the boot stops (the halt
 * policy) the petting stops and the board resets; at the handoff the watchdog is left armed for
 * the target's own daemon (the fd is close-on-exec: an unexpected close keeps it running), or with
 * ferry.watchdog.handoff=stop given the magic close. */
#include <errno.h>
#include <stdbool.h>
#include <string.h>
#include "ferry.h"
#include "stages.h"
#include "../lib/core/uevent.h"
#include "../lib/core/watchdog.h"

static struct {
	int fd;
	unsigned seconds, period_ms;
	char dev[128];
	bool stop_at_handoff, waiting;
	struct loop_timer pet;
} wd = { .fd = -1 };

static void wd_pet(void *arg, uint32_t events)
{
	int ret = watchdog_pet(wd.fd);

	if (ret < 0)
		log_warn("watchdog", "keepalive on %s: %s", wd.dev, strerror(-ret));
	if ((ret = loop_timer_arm(loop, &wd.pet, wd.period_ms, wd_pet, NULL)) < 0)
		log_err("watchdog", "arming the keepalive timer: %s; the board resets in %u s", strerror(-ret),
			wd.seconds);
}

static int wd_open(void)
{
	unsigned actual = 0;
	int fd = watchdog_open(wd.dev, wd.seconds, &actual);

	if (fd < 0)
		return fd;
	wd.fd = fd;
	wd.period_ms = actual * 1000 / 2;  /* twice per period: one late keepalive is no reset */
	log_info("watchdog", "%s armed: %u s, a keepalive every %u ms while the boot runs", wd.dev, actual,
		 wd.period_ms);
	wd_pet(NULL, 0);
	return 0;
}

/* A driver loaded later (a module of the board's watchdog, by coldplug) makes its device then. */
static void wd_uevent(const struct uevent *ev, void *arg)
{
	int ret;

	if (!wd.waiting || (ev && (!ev->action || strcmp(ev->action, "add") || !ev->subsystem ||
				   strcmp(ev->subsystem, "watchdog"))))
		return;  /* ev NULL: events were lost, so look again */
	if ((ret = wd_open()) == 0)
		wd.waiting = false;
	else if (ret != -ENOENT)
		log_err("watchdog", "opening %s: %s", wd.dev, strerror(-ret));
}

void watchdog_setup(const struct boot_plan *p)
{
	int ret;

	wd.stop_at_handoff = p->watchdog.stop_at_handoff;
	if (!p->watchdog.seconds)
		return;
	wd.seconds = p->watchdog.seconds;
	snprintf(wd.dev, sizeof(wd.dev), "%s", p->watchdog.dev);
	if ((ret = wd_open()) == 0)
		return;
	if (ret == -ENOENT && uevent_subscribe(wd_uevent, NULL) == 0) {
		wd.waiting = true;
		log_info("watchdog", "%s is not there yet: armed when its driver makes it", wd.dev);
		return;
	}
	log_err("watchdog", "opening %s: %s; the boot goes on without a watchdog", wd.dev, strerror(-ret));
}

void watchdog_halted(void)
{
	if (wd.fd < 0)
		return;
	loop_timer_cancel(loop, &wd.pet);
	log_err("watchdog", "no more keepalives: the board resets within %u s", wd.seconds);
}

void watchdog_handoff(void)
{
	int ret;

	wd.waiting = false;
	if (wd.fd < 0)
		return;
	loop_timer_cancel(loop, &wd.pet);
	if (!wd.stop_at_handoff) {
		(void)watchdog_pet(wd.fd);  /* a full period for the target's daemon to take over */
		log_info("watchdog", "%s left armed for the target (%u s)", wd.dev, wd.seconds);
		return;
	}
	ret = watchdog_stop(wd.fd);
	wd.fd = -1;
	if (ret < 0)
		log_warn("watchdog", "magic close of %s: %s", wd.dev, strerror(-ret));
	else
		log_info("watchdog", "%s stopped at the handoff (ferry.watchdog.handoff=stop)", wd.dev);
}
