/* A kernel uevent as it comes off NETLINK_KOBJECT_UEVENT ("ACTION@DEVPATH\0KEY=VALUE\0..."):
 * parsed, every field looked up; every pointer must lie inside the message and be terminated. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "../../lib/core/uevent.h"

static void inside(const char *p, const char *buf, size_t len)
{
	if (p && (p < buf || p >= buf + len || !memchr(p, 0, buf + len - p)))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const keys[] = { "ACTION", "DEVPATH", "SUBSYSTEM", "DEVNAME", "DEVTYPE", "MODALIAS",
					    "INTERFACE", "SEQNUM", "MAJOR", "MINOR", "PARTN", "DISKSEQ", "" };
	char *buf = malloc(size ? size : 1);
	struct uevent ev;

	if (!buf)
		return 0;
	memcpy(buf, data, size);
	if (!uevent_parse(buf, size, &ev)) {
		if (!ev.action || !ev.devpath)
			abort();
		inside(ev.action, buf, size);
		inside(ev.devpath, buf, size);
		inside(ev.subsystem, buf, size);
		inside(ev.devname, buf, size);
		inside(ev.devtype, buf, size);
		inside(ev.modalias, buf, size);
		inside(ev.ifname, buf, size);
	}
	for (size_t i = 0; i < sizeof(keys) / sizeof(*keys); i++)
		inside(uevent_get(buf, size, keys[i]), buf, size);
	free(buf);
	return 0;
}
