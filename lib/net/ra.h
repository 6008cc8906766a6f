/* IPv6 router advertisements (RFC 4861 4.2, 6.1.2), the router solicitation, and SLAAC's arithmetic
 * (RFC 4862 5.5.3: the address a prefix gives, its lifetimes from later advertisements): pure. The
 * caller passes what the socket said about the packet (hop limit, source) so that the checks an
 * RA must pass before any of it is believed are made here, in one place, and fuzzed with the rest:
 * hop limit 255 (no router off the link can forge it), a link-local source, code 0, every
 * option's length inside the packet and non-zero. Options: prefix information (RFC 4861 4.6.2),
 * MTU, route information (RFC 4191), RDNSS (RFC 8106); the rest are skipped by their length. */
#ifndef FERRY_RA_H
#define FERRY_RA_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <netinet/in.h>

enum { RA_MAX_PREFIX = 4, RA_MAX_ROUTES = 4, RA_MAX_DNS = 3 };
#define RA_INFINITY 0xffffffffu  /* a lifetime that never ends */
#define RA_TWO_HOURS 7200u       /* RFC 4862 5.5.3 (e) */
#define ND_RS_LEN 16   /* the solicitation with a source link-layer address option (6-byte MAC) */

struct ra_prefix {
	struct in6_addr prefix;  /* the bits past plen cleared */
	uint8_t plen;
	bool onlink, autonomous; /* L and A */
	uint32_t valid, preferred;  /* seconds; 0xffffffff: infinity */
};
struct ra_route {
	struct in6_addr prefix;
	uint8_t plen;
	int8_t pref;             /* -1 low, 0 medium, 1 high */
	uint32_t lifetime;
};
struct ra {
	uint8_t hoplimit;        /* cur hop limit advertised, 0: unspecified */
	bool managed, other;     /* M: addresses by DHCPv6; O: other configuration by DHCPv6 */
	int8_t pref;             /* the default router's preference (RFC 4191) */
	uint16_t lifetime;       /* router lifetime, seconds; 0: not a default router */
	uint32_t reachable_ms, retrans_ms;
	uint32_t mtu;            /* 0: none (or below IPv6's 1280, ignored) */
	struct ra_prefix prefix[RA_MAX_PREFIX];
	int nprefix;
	struct ra_route route[RA_MAX_ROUTES];
	int nroute;
	struct in6_addr dns[RA_MAX_DNS];  /* RDNSS, in order; a lifetime of 0 withdraws them */
	int ndns;
	uint32_t dns_lifetime;   /* the shortest of the RDNSS options taken */
	uint8_t lladdr[6];       /* source link-layer address option, if has_lladdr */
	bool has_lladdr;
};

/* 0, or -EBADMSG with *why naming what was wrong; prefixes, routes or servers beyond the
 * limits above are skipped, not refused. */
int ra_parse(const uint8_t *p, size_t len, int hoplimit, const struct in6_addr *src, struct ra *out,
	     const char **why);
/* A router solicitation from mac (NULL: without the link-layer option). Its length. The kernel
 * fills in the checksum of a raw ICMPv6 socket. */
size_t ra_solicit(uint8_t buf[static ND_RS_LEN], const uint8_t *mac);

/* The address an autonomous /64 gives a link with this MAC: the prefix's 64 bits and the modified
 * EUI-64 interface identifier (RFC 4291 2.5.1 and appendix A: the MAC's universal/local bit
 * inverted, ff:fe in its middle), the one the kernel forms with its default addr_gen_mode 0. */
void ra_slaac_addr(struct in6_addr *out, const struct in6_addr *prefix, const uint8_t mac[static 6]);
/* RFC 4862 5.5.3 (e): the lifetimes (seconds, RA_INFINITY: infinity) an address already formed from a
 * prefix takes from a later advertisement of it, remaining being what is left of its valid one. The
 * preferred lifetime is always the advertised one (no longer than the valid one); the valid one is
 * the advertised one when that is above two hours or above what remains; else, when two hours or
 * less remain, what remains (the advertisement is ignored: an unauthenticated RA may not cut an
 * address's life short); else two hours. */
void ra_slaac_lifetimes(uint32_t adv_valid, uint32_t adv_preferred, uint32_t remaining, uint32_t *valid,
			uint32_t *preferred);
/* A lifetime of life_s seconds from now_ms as the instant it ends (UINT64_MAX for RA_INFINITY), and
 * what is left of it at now_ms in whole seconds rounded up (0 once it has ended; RA_INFINITY for one
 * that never ends), for an address added again, or a route restored, with the rest of its life. */
uint64_t ra_life_end(uint32_t life_s, uint64_t now_ms);
uint32_t ra_life_left(uint64_t end_ms, uint64_t now_ms);

#endif
