#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "uevent.h"

const char *uevent_get(const char *buf, size_t len, const char *key)
{
	size_t klen = strlen(key);

	for (size_t i = 0; i < len;) {
		const char *s = buf + i;
		const char *nul = memchr(s, 0, len - i);
		size_t n = nul ? (size_t)(nul - s) : len - i;

		if (!nul)
			return NULL; /* an unterminated tail is not a field */
		if (n > klen && s[klen] == '=' && !memcmp(s, key, klen))
			return s + klen + 1;
		i += n + 1;
	}
	return NULL;
}

int uevent_parse(const char *buf, size_t len, struct uevent *ev)
{
	const char *seq;
	char *end;

	memset(ev, 0, sizeof(*ev));
	/* The first field is "action@devpath" and must be NUL-terminated inside the buffer. */
	if (!len || !memchr(buf, 0, len) || !strchr(buf, '@'))
		return -EINVAL;
	ev->action = uevent_get(buf, len, "ACTION");
	ev->devpath = uevent_get(buf, len, "DEVPATH");
	if (!ev->action || !ev->devpath)
		return -EINVAL;
	ev->subsystem = uevent_get(buf, len, "SUBSYSTEM");
	ev->devname = uevent_get(buf, len, "DEVNAME");
	ev->devtype = uevent_get(buf, len, "DEVTYPE");
	ev->modalias = uevent_get(buf, len, "MODALIAS");
	ev->ifname = uevent_get(buf, len, "INTERFACE");
	seq = uevent_get(buf, len, "SEQNUM");
	if (seq) {
		ev->seqnum = strtoull(seq, &end, 10);
		ev->seqnum_valid = *seq && !*end;
	}
	return 0;
}
