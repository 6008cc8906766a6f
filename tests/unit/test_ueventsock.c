/* Draining the uevent socket, with recv(2) faked at the link seam: messages are handed on, an
 * ENOBUFS in the middle (the kernel dropped events) reports the loss once and reading goes on. */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include "t.h"
#include "../../lib/core/ueventsock.h"

static const char msg1[] = "add@/devices/virtual/block/loop0\0ACTION=add\0DEVPATH=/devices/virtual/block/loop0\0SUBSYSTEM=block\0DEVNAME=loop0";
static const char msg2[] = "add@/devices/x/vdb\0ACTION=add\0DEVPATH=/devices/x/vdb\0SUBSYSTEM=block\0DEVNAME=vdb";
/* the script: a message, an overflow, garbage, a message, then the socket is empty */
static const struct { const char *buf; size_t len; int err; } script[] = {
	{ msg1, sizeof(msg1), 0 },
	{ NULL, 0, ENOBUFS },
	{ "libudev\0junk", 12, 0 },
	{ NULL, 0, EINTR },
	{ msg2, sizeof(msg2), 0 },
	{ NULL, 0, EAGAIN },
};
static unsigned step, nseen, nlost, lost_at;
static char seen[4][64];

ssize_t recv(int fd, void *buf, size_t len, int flags)
{
	if (step >= sizeof(script) / sizeof(*script)) {
		errno = EAGAIN;
		return -1;
	}
	if (script[step].err) {
		errno = script[step++].err;
		return -1;
	}
	size_t n = script[step].len < len ? script[step].len : len;
	memcpy(buf, script[step++].buf, n);
	return (ssize_t)n;
}

static void on_event(void *arg, const struct uevent *ev)
{
	if (nseen < 4)
		snprintf(seen[nseen], sizeof(seen[0]), "%s %s", ev->action, ev->devname ? ev->devname : "-");
	nseen++;
}

static void on_lost(void *arg)
{
	nlost++;
	lost_at = nseen;
}

int main(void)
{
	char buf[512];

	T_EQ(uevent_drain(3, buf, sizeof(buf), on_event, on_lost, NULL), 2);
	T_EQ(nseen, 2);
	T_STREQ(seen[0], "add loop0");
	T_STREQ(seen[1], "add vdb");
	T_EQ(nlost, 1);
	T_EQ(lost_at, 1);        /* reported where it happened, and the reading went on after it */
	T_EQ(step, sizeof(script) / sizeof(*script));
	return T_DONE();
}
