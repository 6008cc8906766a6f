/* The typed boot plan as a whole: a config file and a kernel command line in (split at the first
 * NUL), the plan or its errors out, then the handoff decision both ways — never a crash. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "../../lib/core/bootplan.h"

static bool guess_self(const char *path)
{
	return path[0] == '/' && strlen(path) & 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct ferry_config c;
	static struct boot_plan p;
	const char *buf = (const char *)data, *nul = memchr(buf, 0, size);
	size_t flen = nul ? (size_t)(nul - buf) : size;
	struct handoff_plan h;

	cfg_init(&c, "/etc/ferry.conf");
	cfg_parse_file(&c, buf, flen);
	if (nul)
		cfg_parse_cmdline(&c, nul + 1, size - flen - 1);
	(void)bootplan_build(&c, &p, size & 1 ? guess_self : NULL);
	for (int here = 0; here < 2; here++) {
		h = bootplan_handoff(&p, here);
		if (!h.why || (h.scan_all && !h.kexec) || (p.mode == BOOT_SWITCH_ROOT && h.kexec))
			abort();
		/* locked: never a scan of every disk, and no command-line word in the plan */
		if (c.locked && h.scan_all)
			abort();
	}
	/* every string of the plan is terminated inside its buffer */
	if (strnlen(p.root.spec, sizeof(p.root.spec)) == sizeof(p.root.spec) ||
	    strnlen(p.kexec.append, sizeof(p.kexec.append)) == sizeof(p.kexec.append) ||
	    strnlen(p.crypt.mkfs, sizeof(p.crypt.mkfs)) == sizeof(p.crypt.mkfs) || p.crypt.n > PLAN_MAX_VOLUMES ||
	    p.kexec.ndevices > PLAN_MAX_KEXEC_DEVICES)
		abort();
	if (c.locked && !c.nallow)
		for (size_t i = 0; i < c.n; i++)
			if (c.items[i].src == CFG_CMDLINE)
				abort();
	cfg_free(&c);
	return 0;
}
