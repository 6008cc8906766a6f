/* ferry.onfail=: shell | reboot[:SECONDS] | poweroff | halt. A value that parses names an action
 * that has a name, and a reboot delay within a day. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "../../lib/core/onfail.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);
	struct onfail o;

	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = 0;
	if (!onfail_parse(s, &o)) {
		if (!strcmp(onfail_name(o.action), "?") || o.delay_s > 86400 ||
		    (o.action != ONFAIL_REBOOT && o.delay_s) || strncmp(s, onfail_name(o.action), strlen(onfail_name(o.action))))
			abort();
	}
	free(s);
	return 0;
}
