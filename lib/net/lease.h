/* The files the network stage leaves for the target: IFACE.lease (KEY=value lines a shell can
 * source) and resolv.conf. Pure: a struct in, text in a buffer out.
 *
 * Safe for any input: a value that is not made only of name characters is single-quoted with
 * every ' escaped, and control characters (newlines included) are dropped, so `. IFACE.lease` runs
 * nothing and every key stays on its own line; resolv.conf gets one directive per line and a
 * search domain only when it holds name characters and spaces. tests/fuzz/fuzz_lease.c checks it. */
#ifndef FERRY_LEASE_H
#define FERRY_LEASE_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <netinet/in.h>
#include "dhcp.h"

struct lease_info {
	const char *iface;
	uint8_t mac[6];
	bool dhcp;                    /* false: a static ip= */
	bool none4;                   /* no IPv4 on the link (ip=...:dhcp6 / auto6 alone): METHOD=none */
	const char *cls;              /* the link class's name */
	unsigned metric;              /* the default route's metric in use */
	struct in_addr addr, mask, bcast;
	int plen;
	const struct dhcp_route *routes;  /* routes[0] with plen 0 gives ROUTER= */
	int nroutes;
	const struct in_addr *dns;    /* the lease file lists them up to the first 0.0.0.0;
				       * resolv.conf skips every 0.0.0.0 */
	int ndns;
	const char *domain, *hostname;  /* NULL or "" : none */
	/* DHCP only */
	struct in_addr server;
	unsigned mtu;
	uint32_t lease, t1, t2;
	uint64_t acquired_ms;
	struct in_addr next_server;   /* siaddr, or option 66 when it is an address; 0.0.0.0: none */
	const char *bootfile;         /* option 67 / the file field (or DHCPv6's option 59), NULL or "": none */
	/* IPv6: written when router6 (from router advertisements) or addr6 is not NULL */
	const struct in6_addr *router6, *prefix6;  /* prefix6 NULL: none advertised */
	int plen6;
	const struct in6_addr *addr6; /* DHCPv6's, a static ip=[v6]'s, or the SLAAC one; NULL: none */
	const struct in6_addr *dns6;  /* RDNSS; link-local ones get %IFACE in resolv.conf */
	int ndns6;
};

#define RESOLV_MAX_NS 3

/* Both return the length the text needs (as snprintf does): the text is complete when it is
 * below cap, and always NUL-terminated when cap > 0. */
size_t lease_text(const struct lease_info *l, char *buf, size_t cap);
/* links: the configured links in order of preference (lowest metric first); from: the directory
 * named in the comment line. */
size_t resolv_text(const struct lease_info *const *links, int n, const char *from, char *buf, size_t cap);

#endif
