/* Kernel uevents (NETLINK_KOBJECT_UEVENT): "ACTION@DEVPATH\0KEY=VALUE\0...". Pure parser. */
#ifndef FERRY_UEVENT_H
#define FERRY_UEVENT_H
#include <stddef.h>

struct uevent {
	const char *action;     /* add, remove, change, bind, ... */
	const char *devpath;    /* /devices/... */
	const char *subsystem;  /* block, net, virtio, ... */
	const char *devname;    /* vda1 (relative to /dev), may be NULL */
	const char *devtype;    /* disk, partition, wwan, ... */
	const char *modalias;
	const char *ifname;     /* INTERFACE= for net devices */
	int seqnum_valid;
	unsigned long long seqnum;
};

/* Parse a message of len bytes (NUL-separated); pointers point into buf. Messages from udev
 * ("libudev" header) and anything without ACTION and DEVPATH give -EINVAL. */
int uevent_parse(const char *buf, size_t len, struct uevent *ev);
/* A key's value in the message, NULL if absent. */
const char *uevent_get(const char *buf, size_t len, const char *key);

#endif
