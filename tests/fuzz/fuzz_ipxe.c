/* iPXE scripts, content detection and the pxelinux names: any input gives a result or a named
 * error, within IPXE_STEPS, and every string of the result is terminated. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "../../lib/boot/ipxe.h"

static const char *lookup(void *arg, const char *name)
{
	(void)arg;
	return !strcmp(name, "mac") ? "52:54:00:12:34:56" : !strcmp(name, "ip") ? "10.0.0.5" : NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct ipxe_result r;
	char names[10][24];
	int ret;

	(void)nb_detect(data, size);
	ret = ipxe_run((const char *)data, size, lookup, NULL, &r);
	if (ret && !r.why[0])
		abort();
	if (strnlen(r.kernel, sizeof(r.kernel)) == sizeof(r.kernel) || strnlen(r.args, sizeof(r.args)) == sizeof(r.args) ||
	    r.ninitrd > IPXE_MAX_INITRD || r.nvars > IPXE_MAX_VARS)
		abort();
	if (size >= 10)
		(void)pxelinux_names(data, (uint32_t)data[6] << 24 | data[7] << 16 | data[8] << 8 | data[9], names);
	return 0;
}
