/* devspec_parse and the mount-option splitter: the input is "<spec>\0<options>\0<fstype>". */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "../../lib/storage/devspec.h"
#include "../../lib/storage/rootopts.h"

/* a ".." path component would put the upper outside the rw mount */
static int has_dotdot(const char *s)
{
	size_t n = strlen(s);
	return !strcmp(s, "..") || !strncmp(s, "../", 3) || strstr(s, "/../") ||
	       (n >= 3 && !strcmp(s + n - 3, "/.."));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = malloc(size + 3), *opts, *type;
	struct devspec d;
	char out[DEVSPEC_MAX + 16], mdata[64];
	unsigned long flags;
	bool dropped;

	if (!buf)
		return 0;
	memcpy(buf, data, size);
	buf[size] = buf[size + 1] = buf[size + 2] = '\0';
	opts = buf + strlen(buf) + 1;
	type = opts + strlen(opts) + 1;
	if (devspec_parse(buf, &d) == 0) {
		/* a \x22 in a by-label name decodes to a quote, which the tag form cannot carry */
		if (devspec_format(&d, out, sizeof(out)) == 0 && d.kind != DEVSPEC_PATH && !strchr(d.value, '"')) {
			struct devspec again;
			/* what we print parses back to the same device */
			if (devspec_parse(out, &again) || again.kind != d.kind || strcmp(again.value, d.value))
				abort();
		}
	}
	if (rootopts_mount_opts(opts, type, &flags, mdata, sizeof(mdata), &dropped) == 0 &&
	    strlen(mdata) >= sizeof(mdata))
		abort();
	struct root_params p = { .root = buf, .rootrw = opts, .rootrwupperdir = type };
	struct root_plan plan;
	if (rootopts_plan(&p, &plan) == 0 && has_dotdot(plan.upperdir))
		abort();
	free(buf);
	return 0;
}
