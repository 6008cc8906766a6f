/* Router advertisements of any shape: a result or a named error, never a read beyond the packet;
 * the counts within their arrays; prefixes with their host bits cleared. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "../../lib/net/ra.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct in6_addr ll = { .s6_addr = { 0xfe, 0x80, [15] = 1 } };
	const char *why;
	struct ra ra;
	int r;

	r = ra_parse(data, size, 255, &ll, &ra, &why);
	if ((r < 0) != (why != NULL) || ra.nprefix > RA_MAX_PREFIX || ra.nroute > RA_MAX_ROUTES ||
	    ra.ndns > RA_MAX_DNS)
		abort();
	for (int i = 0; i < ra.nprefix; i++)
		for (unsigned b = ra.prefix[i].plen; b < 128; b++)
			if (ra.prefix[i].prefix.s6_addr[b / 8] & (0x80 >> (b % 8)))
				abort();
	return 0;
}
