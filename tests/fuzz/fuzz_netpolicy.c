/* ferry.metric= and ferry.linkclass= rules, one a line ("m RULE" or "c RULE"; any other line is
 * tried as both), then a link looked up: the last line is its name, its first 6 bytes its MAC.
 * A class is always one of the five; a rule table never grows past its bound. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <net/if_arp.h>
#include "../../lib/net/netpolicy.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct netpolicy p;
	char *s = malloc(size + 1), *line, *save = NULL, *last = "eth0";
	uint8_t mac[6] = { 0 };
	struct link_facts f = { 0 };
	enum link_class c;

	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = 0;
	memcpy(mac, data, size < 6 ? size : 6);
	netpolicy_init(&p);
	for (line = strtok_r(s, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		if (!strncmp(line, "m ", 2))
			(void)netpolicy_add_metric(&p, line + 2);
		else if (!strncmp(line, "c ", 2))
			(void)netpolicy_add_linkclass(&p, line + 2);
		else {
			(void)netpolicy_add_metric(&p, line);
			(void)netpolicy_add_linkclass(&p, line);
		}
		(void)netpolicy_class_parse(line, &c);
		last = line;
	}
	if (p.nmetric > NP_MAX_RULES || p.nlinkclass > NP_MAX_RULES)
		abort();
	f.name = last;
	f.arphrd = size > 6 ? data[6] | data[size - 1] << 8 : ARPHRD_ETHER;
	f.devtype = size > 7 && data[7] & 1 ? last : NULL;
	f.driver = size > 7 && data[7] & 2 ? last : NULL;
	f.wireless = size > 7 && data[7] & 4;
	c = netpolicy_classify(&f);
	for (int withmac = 0; withmac < 2; withmac++) {
		enum link_class k = netpolicy_link_class(&p, last, withmac ? mac : NULL, c);
		if ((unsigned)k >= LC_COUNT || !strcmp(netpolicy_class_name(k), "?"))
			abort();
		(void)netpolicy_metric(&p, last, withmac ? mac : NULL, k);
	}
	free(s);
	return 0;
}
