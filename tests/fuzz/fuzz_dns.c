/* DNS answers of any shape: a result or a named error, never a read beyond the packet; and the
 * query builder on the same bytes as a name. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "../../lib/net/dns.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t a[16], q[DNS_PKT_MAX];
	char name[300];
	const char *why = NULL;
	int r;

	r = dns_answer(data, size, size >= 2 ? (uint16_t)(data[0] << 8 | data[1]) : 0, DNS_TYPE_A, a, &why);
	if (r < 0 && !why)
		abort();
	(void)dns_answer(data, size, 0, DNS_TYPE_AAAA, a, &why);
	memcpy(name, data, size < sizeof(name) - 1 ? size : sizeof(name) - 1);
	name[size < sizeof(name) - 1 ? size : sizeof(name) - 1] = 0;
	r = dns_query(q, sizeof(q), 7, name, DNS_TYPE_A);
	if (r > (int)sizeof(q))
		abort();
	return 0;
}
