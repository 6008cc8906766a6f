/* Reading the uevent socket (NETLINK_KOBJECT_UEVENT) without losing track of what was lost. */
#ifndef FERRY_UEVENTSOCK_H
#define FERRY_UEVENTSOCK_H
#include "uevent.h"

/* Every message pending on sock, each parsed one to fn(arg, &ev) (buf holds the message while fn
 * runs). recv's ENOBUFS means the kernel dropped messages (the receive buffer overflowed): then
 * lost(arg), once per overflow, and reading goes on, since the events are gone for good and only a
 * rescan of /sys can tell what they were. Returns how many messages were handed on, or -errno
 * (EAGAIN is the normal end, not an error). */
int uevent_drain(int sock, char *buf, size_t len, void (*fn)(void *arg, const struct uevent *ev),
		 void (*lost)(void *arg), void *arg);

#endif
