#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "onfail.h"

static const char *const names[] = {
	[ONFAIL_HALT] = "halt",
	[ONFAIL_SHELL] = "shell",
	[ONFAIL_REBOOT] = "reboot",
	[ONFAIL_POWEROFF] = "poweroff",
};

const char *onfail_name(enum onfail_action a)
{
	return (unsigned)a < sizeof(names) / sizeof(*names) ? names[a] : "?";
}

int onfail_parse(const char *s, struct onfail *out)
{
	const char *colon = strchr(s, ':');
	size_t n = colon ? (size_t)(colon - s) : strlen(s);

	for (unsigned a = 0; a < sizeof(names) / sizeof(*names); a++) {
		if (strlen(names[a]) != n || memcmp(s, names[a], n))
			continue;
		out->action = a;
		out->delay_s = a == ONFAIL_REBOOT ? ONFAIL_REBOOT_DELAY : 0;
		if (!colon)
			return 0;
		if (a != ONFAIL_REBOOT || !colon[1])
			return -EINVAL;
		char *end;
		unsigned long v = strtoul(colon + 1, &end, 10);
		if (*end || colon[1] == '-' || colon[1] == '+' || v > 86400)
			return -EINVAL;
		out->delay_s = v;
		return 0;
	}
	return -EINVAL;
}
