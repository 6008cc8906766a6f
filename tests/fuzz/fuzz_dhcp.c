/* A DHCP reply as it comes off the wire: first as a whole IPv4/UDP frame, then as a bare
 * message checked against the xid and MAC it carries itself (so the deep paths are reached). */
#include <stdint.h>
#include <string.h>
#include "../../lib/net/dhcp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dhcp_lease l;
	struct dhcp_route r[DHCP_MAX_ROUTES];
	const uint8_t *msg;
	size_t mlen;
	uint8_t v[300];
	uint32_t xid = 0;
	uint8_t mac[6] = { 0 };

	if (!dhcp_frame_parse(data, size, true, &msg, &mlen))
		(void)dhcp_parse(msg, mlen, 0, mac, &l);
	if (size >= 34) {
		xid = (uint32_t)data[4] << 24 | (uint32_t)data[5] << 16 | (uint32_t)data[6] << 8 | data[7];
		memcpy(mac, data + 28, 6);
	}
	(void)dhcp_parse(data, size, xid, mac, &l);
	(void)dhcp_option(data, size, 121, v, sizeof(v));
	(void)dhcp_parse_classless(data, size, r, DHCP_MAX_ROUTES);
	return 0;
}
