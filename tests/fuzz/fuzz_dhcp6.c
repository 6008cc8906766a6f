/* DHCPv6 Advertise/Reply of any shape: a lease or a named error, never a read beyond the packet;
 * a boot file URL only of printable characters; and a Request built from whatever was read. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "../../lib/net/dhcp6.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint8_t mac[6] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 };
	uint8_t out[DHCP6_PKT_MAX];
	struct dhcp6_lease l;
	const char *why;
	uint32_t xid = size >= 4 ? (uint32_t)data[1] << 16 | data[2] << 8 | data[3] : 0;
	int r = dhcp6_parse(data, size, xid, mac, size & 1, &l, &why);

	if ((r < 0) != (why != NULL) || l.ndns > DHCP6_MAX_DNS || l.serverid_len > DHCP6_DUID_MAX)
		abort();
	for (const char *c = l.bootfile; *c; c++)
		if (*c < 0x21 || *c > 0x7e)
			abort();
	if (!r && dhcp6_build(out, sizeof(out), DHCP6_REQUEST, xid, mac, 0, &l) <= 0)
		abort();
	return 0;
}
