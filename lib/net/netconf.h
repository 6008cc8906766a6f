/* The network stage's configuration: ip=, ferry.net=, ferry.net.timeout=, ferry.metric=,
 * ferry.linkclass=, ferry.ocotp=, ferry.net.ipv6= read from the merged config into one struct. Pure: fed the
 * config's items, no I/O; each error names where the bad item came from. */
#ifndef FERRY_NETCONF_H
#define FERRY_NETCONF_H
#include <stdbool.h>
#include "ipparam.h"
#include "netpolicy.h"
#include "ocotp.h"

struct ferry_config;

enum net_mode { NET_OFF, NET_OPTIONAL, NET_REQUIRED };
enum { NETCONF_MAX_PARAMS = 8, NETCONF_MAX_OCOTP = 4, NETCONF_MAX_ERRS = 8 };
#define NETCONF_TIMEOUT_DEFAULT 30

struct netconf {
	struct ip_param params[NETCONF_MAX_PARAMS];  /* one per device, the last ip= for it wins */
	int nparams;
	bool wildcard;               /* an ip= without a device: DHCP on every ethernet-like link */
	enum ip6_method wildcard6;   /* ip=dhcp6 / ip=auto6 without a device: that on every such link */
	struct netpolicy pol;
	struct ocotp_spec ocotp[NETCONF_MAX_OCOTP];  /* one per interface: MAC0 and MAC1 links */
	int nocotp;
	enum net_mode mode;
	unsigned long timeout_s;     /* the bound of ferry.net=required */
	bool ipv6;                   /* ferry.net.ipv6=auto: router advertisements on the links above
	                              * whose ip= has no IPv6 word of its own (netconf_ip6) */
	char errs[NETCONF_MAX_ERRS][200];  /* "<where>: <key>=<value>: <what>" */
	int nerrs;
};

/* Fill nc from every net key of c (nc is overwritten). Returns the number of errors (nc->errs). */
int netconf_parse(const struct ferry_config *c, struct netconf *nc);
const char *netconf_mode_name(enum net_mode m);
/* The IPv6 method of a link with this ip= (IP6_OFF, IP6_RA, IP6_AUTO or IP6_DHCP, never DEFAULT). */
enum ip6_method netconf_ip6(const struct netconf *nc, const struct ip_param *p);
bool netconf_any_ip6(const struct netconf *nc);

#endif
