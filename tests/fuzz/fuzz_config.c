/* The config file and the kernel command line: the input is split at the first NUL into a file
 * and a command line, parsed in boot order; then every lookup runs over the result. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "../../lib/core/config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct ferry_config c;
	const char *buf = (const char *)data, *nul = memchr(buf, 0, size);
	size_t flen = nul ? (size_t)(nul - buf) : size;
	unsigned long v;
	bool b;

	cfg_init(&c, "fuzz.conf");
	cfg_parse_file(&c, buf, flen);
	if (nul)
		cfg_parse_cmdline(&c, nul + 1, size - flen - 1);
	for (const struct cfg_key *k = cfg_keys; k->name; k++) {
		char where[64];
		for (const struct cfg_item *it = NULL; (it = cfg_next(&c, k->name, it));)
			(void)cfg_where(&c, it, where, sizeof(where));
		(void)cfg_get_uint(&c, k->name, 0, 0, 1000, &v);
		(void)cfg_get_bool(&c, k->name, false, &b);
	}
	cfg_free(&c);
	return 0;
}
