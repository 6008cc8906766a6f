/* The uevent socket and its fan-out: modules loads drivers for new devices, devices re-checks
 * what jobs wait for, net sees new links. Opened before coldplug so no event falls in between. */
#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <linux/netlink.h>
#include "ferry.h"
#include "../lib/core/uevent.h"
#include "../lib/core/ueventsock.h"

static struct { uevent_fn fn; void *arg; } subs[8];
static unsigned nsubs;
static int sock = -1;

static void fan_out(void *arg, const struct uevent *ev)
{
	log_debug("uevent", "%s %s", ev->action, ev->devpath);
	for (unsigned i = 0; i < nsubs; i++)
		subs[i].fn(ev, subs[i].arg);
}

/* The socket overflowed and the kernel dropped events: each subscriber rescans (ev NULL). */
static void events_lost(void *arg)
{
	log_warn("uevent", "the uevent socket overflowed (ENOBUFS): events were lost; rescanning /sys");
	for (unsigned i = 0; i < nsubs; i++)
		subs[i].fn(NULL, subs[i].arg);
}

static void uevent_readable(void *arg, uint32_t events)
{
	char buf[8192];
	int ret = uevent_drain(sock, buf, sizeof(buf), fan_out, events_lost, NULL);

	if (ret < 0)
		log_err("uevent", "reading the uevent socket: %s", strerror(-ret));
}

static int uevent_open(void)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK, .nl_groups = 1 };
	int size = 1 << 20, ret;

	sock = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, NETLINK_KOBJECT_UEVENT);
	if (sock < 0)
		return -errno;
	/* A burst of coldplug-time events must not overflow the default buffer. */
	(void)setsockopt(sock, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof(size));
	if (bind(sock, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		ret = -errno;
		goto err;
	}
	ret = loop_watch(loop, sock, EPOLLIN, uevent_readable, NULL);
	if (ret == 0)
		return 0;
err:
	close(sock);
	sock = -1;
	return ret;
}

int uevent_subscribe(uevent_fn fn, void *arg)
{
	int ret;

	if (sock < 0 && (ret = uevent_open()) < 0)
		return ret;
	if (nsubs == sizeof(subs) / sizeof(*subs))
		return -ENOSPC;
	subs[nsubs].fn = fn;
	subs[nsubs++].arg = arg;
	return 0;
}
