/* rtnetlink on top of lib/nl: links, addresses, routes, and link events. */
#ifndef FERRY_RTNL_H
#define FERRY_RTNL_H
#include <stdbool.h>
#include <stdint.h>
#include <netinet/in.h>
#include "nl.h"

#ifndef IFF_LOWER_UP
#define IFF_LOWER_UP 0x10000  /* linux/if.h; <net/if.h> lacks it and the two clash */
#endif

struct rtnl_link {
	int index;
	char name[16];
	unsigned flags;          /* IFF_UP, IFF_LOWER_UP (carrier), IFF_LOOPBACK... */
	unsigned short type;     /* ARPHRD_* */
	uint8_t mac[6];
	int maclen;
	unsigned mtu;
};

struct rtnl_route {
	struct in_addr dst, gw, prefsrc;  /* gw 0: on-link (scope link); prefsrc 0: none */
	int plen;
	int ifindex;
	uint32_t metric;
	uint8_t proto;           /* RTPROT_DHCP, RTPROT_STATIC, RTPROT_BOOT */
	bool onlink;             /* the gateway is on the link even outside the subnet (RTNH_F_ONLINK) */
};

/* Parse an RTM_NEWLINK/RTM_DELLINK message (a dump part or an event). Pure. */
int rtnl_link_parse(const struct nlmsghdr *n, struct rtnl_link *out);
/* Every link, one call of fn each; fn returning <0 stops the dump with that error. */
int rtnl_link_dump(struct nl_sock *s, int (*fn)(const struct rtnl_link *l, void *arg), void *arg);
int rtnl_link_get(struct nl_sock *s, const char *name, struct rtnl_link *out);
int rtnl_link_set_up(struct nl_sock *s, int ifindex, bool up);
int rtnl_link_set_mac(struct nl_sock *s, int ifindex, const uint8_t mac[6]);
int rtnl_link_set_mtu(struct nl_sock *s, int ifindex, unsigned mtu);
/* An address without its prefix route (IFA_F_NOPREFIXROUTE): the subnet route is added by the
 * caller with the link's metric, like every other route. Replaces an identical address. */
int rtnl_addr_add(struct nl_sock *s, int ifindex, struct in_addr a, int plen, struct in_addr bcast);
int rtnl_addr_del(struct nl_sock *s, int ifindex, struct in_addr a, int plen);
/* Routes in the main table, created exclusively (NLM_F_EXCL): -EEXIST rather than replacing a
 * route with the same destination and metric, which may belong to another interface. */
int rtnl_route_add(struct nl_sock *s, const struct rtnl_route *r);
int rtnl_route_del(struct nl_sock *s, const struct rtnl_route *r);
/* An IPv6 route (dst/plen via gw on ifindex, gw :: for on-link), created exclusively as above;
 * expires: seconds the kernel keeps it (RTA_EXPIRES, Linux 4.13; older kernels ignore it), 0:
 * for good. Replaced: the same destination and metric, an existing route's expiry moved. */
struct rtnl_route6 {
	struct in6_addr dst, gw;
	int plen, ifindex;
	uint32_t metric, expires;
	uint8_t proto;           /* RTPROT_RA */
};
/* An IPv6 address (a DHCPv6 /128, a static ip=[v6]) with its lifetimes in seconds (0xffffffff:
 * forever) and IFA_F_* flags (IFA_F_NOPREFIXROUTE: the caller adds the prefix route at the link's
 * metric, not the kernel at 256); deleted with valid 0. Replaces an identical address, so a renewal
 * only moves its lifetimes. */
int rtnl_addr6_set(struct nl_sock *s, int ifindex, const struct in6_addr *a, int plen, uint32_t preferred,
		   uint32_t valid, uint32_t flags);
int rtnl_route6_add(struct nl_sock *s, const struct rtnl_route6 *r);
int rtnl_route6_replace(struct nl_sock *s, const struct rtnl_route6 *r);
int rtnl_route6_del(struct nl_sock *s, const struct rtnl_route6 *r);

#endif
