/* What every job shares: the configuration, the loop, and the uevent fan-out. */
#ifndef FERRY_INIT_H
#define FERRY_INIT_H
#include "../lib/core/bootplan.h"
#include "../lib/core/config.h"
#include "../lib/core/loop.h"
#include "../lib/core/log.h"
#include "job.h"

extern struct ferry_config *cfg;  /* the raw settings: only the plan's builder reads them */
extern struct boot_plan *plan;    /* what every job reads (built in early, checked) */
extern struct loop *loop;

/* uevents from the kernel (NETLINK_KOBJECT_UEVENT), parsed by lib/core/uevent.c, fanned out here.
 * ev is NULL when the socket overflowed and events were lost: the subscriber rescans /sys. */
struct uevent;
typedef void (*uevent_fn)(const struct uevent *ev, void *arg);
int uevent_subscribe(uevent_fn fn, void *arg);

#endif
