/* The network stage's text parsers: ip=, ferry.metric=, ferry.linkclass=, ferry.ocotp=. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "../../lib/net/ipparam.h"
#include "../../lib/net/netpolicy.h"
#include "../../lib/net/ocotp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct netpolicy p;
	struct ip_param ip;
	struct ocotp_spec spec;
	const char *why;
	char *s = malloc(size + 1);
	static const uint8_t mac[6] = { 0, 0x1b, 0x21, 1, 2, 3 };

	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = 0;
	/* a static IPv6 address: a prefix length from 1 to 128, no IPv4 address beside it (one client
	 * field), the link not left alone; either6 only without a device */
	if (!ipparam_parse(s, &ip, &why) &&
	    ((ip.v6 == IP6_STATIC && (ip.s6.plen < 1 || ip.s6.plen > 128 || ip.method == IP_OFF || ip.method == IP_STATIC)) ||
	     (ip.v6 == IP6_EITHER && ip.dev[0])))
		abort();
	netpolicy_init(&p);
	(void)netpolicy_add_metric(&p, s);
	(void)netpolicy_add_linkclass(&p, s);
	(void)netpolicy_metric(&p, "eth0", mac, netpolicy_link_class(&p, "eth0", mac, LC_ETHERNET));
	(void)ocotp_parse_spec(s, &spec);
	free(s);
	return 0;
}
