/* The network stage: the `net` job, `ferry net`, and its part of `ferry plan`. */
#ifndef FERRY_NET_H
#define FERRY_NET_H
#include <stdbool.h>
#include <stdio.h>
#include "job.h"

struct netconf;
extern struct job job_net;
/* ferry net --cmdline "..." [--config FILE] [--run-dir DIR] [--stay] */
int net_main(int argc, char **argv);
/* What the stage would do with the plan's net configuration (its errors are the plan's). */
void net_plan(const struct netconf *nc, FILE *out);

#ifdef FERRY_NET_INTERNAL
/* Shared by init/net.c (links, addresses, routes, files, the job) and init/dhcp.c (the DHCP
 * client's state machine). */
#include "../lib/core/loop.h"
#include "../lib/net/dhcp.h"
#include "../lib/net/dhcp6.h"
#include "../lib/net/ipparam.h"
#include "../lib/net/netpolicy.h"
#include "../lib/net/ra.h"
#include "../lib/net/rtnl.h"

/* The kernel's duplicate address detection, waited for (init/net.c): usable(ifc) is polled every
 * DAD_POLL_MS until it says yes, done(ifc, true), or DAD_MAX_MS have passed, done(ifc, false). A
 * tentative address is no source (RFC 4862 5.4): a connection begun from the link-local one instead
 * is not forwarded beyond the link. Shared by DHCPv6's address, SLAAC's and a static ip=[v6]. */
enum { DAD_POLL_MS = 20, DAD_MAX_MS = 5000 };
struct iface;
struct dad_wait {
	bool on;                     /* polling */
	struct iface *ifc;
	bool (*usable)(struct iface *ifc);
	void (*done)(struct iface *ifc, bool ok);
	uint64_t t_start;
	struct loop_timer t;
};
void dad_wait_start(struct dad_wait *w, struct iface *ifc, bool (*usable)(struct iface *),
		    void (*done)(struct iface *, bool));
void dad_wait_cancel(struct dad_wait *w);
/* Past DAD? (the kernel's own test: a tentative address cannot be bound to) */
bool addr6_usable(const struct in6_addr *a);
/* An address ferry forms itself (a static ip=[v6], SLAAC's) added, or its lifetimes moved, with
 * IFA_F_NOPREFIXROUTE (the prefix route is ferry's, at the link's metric, not the kernel's at 256
 * on every link alike); what names it in the log ("(ip=)"). 0 or -errno, logged. The kernel runs
 * DAD on a new one. */
int addr6_add(struct iface *ifc, const struct in6_addr *a, int plen, uint32_t preferred, uint32_t valid,
	      const char *what);
/* Carrier lost while an address is still in DAD: its wait w (if any) stopped and the address
 * removed, logged as added (or asked for: again) again at carrier. Shared by DHCPv6's, SLAAC's and
 * a static address. */
void addr6_drop_tentative(struct iface *ifc, struct dad_wait *w, const struct in6_addr *a, int plen,
			  const char *what, const char *again);

enum dstate {
	S_WAIT_CARRIER, S_SELECTING, S_REQUESTING, S_BOUND, S_RENEWING, S_REBINDING, S_REBOOTING,
	S_STATIC,
};

/* One prefix from the links' PIOs (init/ra6.c), while a lifetime of it lasts: with the L flag the
 * on-link route at the link's metric (RFC 4861 6.3.4: until the valid lifetime ends); with the A
 * flag, a /64 and a 6-byte MAC, the SLAAC address ferry forms and adds (RFC 4862 5.5.3), the kernel
 * ageing it and running its DAD. */
struct ra6_prefix {
	bool used;
	struct in6_addr prefix, addr;
	uint8_t plen;
	bool onlink, routed;         /* onlink: the route is wanted until route_end; routed: installed */
	bool formed, held;           /* formed: the address, until valid_end; held: removed at a carrier
	                              * loss during its DAD, added again at carrier */
	uint64_t route_end, valid_end, pref_end;  /* ms (UINT64_MAX: never) */
	struct rtnl_route6 route;
	struct iface *ifc;
	struct loop_timer t;         /* the first of route_end and valid_end */
};

/* IPv6 from router advertisements (init/ra6.c): one router per link, the first that offers
 * itself as a default router, until its lifetime ends. */
struct ra6_state {
	bool have;                   /* a default router is known (its lifetime runs) */
	bool routed;                 /* its default route is installed */
	bool managed;                /* the router's M flag: addresses from DHCPv6 */
	struct in6_addr router, prefix, dns[RA_MAX_DNS];
	uint8_t plen;                /* 0: no prefix advertised */
	int ndns;
	unsigned rs;                 /* solicitations sent in this round */
	/* SLAAC: with an autonomous prefix, the RA counts (readiness, the lease) once the address
	 * ferry formed in it is past DAD (slaac_addr), or the wait's bound passed */
	enum { SLAAC_NONE, SLAAC_WAIT, SLAAC_OK, SLAAC_GAVE_UP } slaac;
	struct in6_addr slaac_prefix, slaac_addr;  /* the router's first autonomous /64; ferry's address in it */
	struct dad_wait dad;
	struct ra6_prefix pfx[RA_MAX_PREFIX];
	bool pfx_full_said, nomac_said;
	struct rtnl_route6 route;
	uint64_t rtr_end;            /* the router's lifetime ends (loop ms) */
	struct loop_timer rs_t, life_t, dns_t;  /* dns_t: the RDNSS lifetime (RFC 8106 5.1) */
};

/* The DHCPv6 client (init/dhcp6.c), started by an RA with the M flag (or O: stateless). */
/* D6_DAD: the Reply's address is on the link, still tentative (the kernel's duplicate address
 * detection): neither a source for traffic that leaves the link nor written to the lease yet. */
enum d6state { D6_IDLE, D6_SOLICIT, D6_REQUEST, D6_INFO, D6_DAD, D6_BOUND, D6_GAVE_UP };
struct dhcp6_state {
	enum d6state st;
	bool open, addr_on, have;    /* open: fd is the socket; have: lease holds a Reply's options */
	int fd;
	uint32_t xid;
	uint64_t t_start, t_acq;     /* ms: this exchange began; the first Solicit of this acquisition */
	unsigned tries, solicits;
	struct dhcp6_lease adv, lease;
	struct loop_timer retx, renew;
	struct dad_wait dad;
};

/* A static IPv6 address from ip=[v6]... (init/net.c): added at carrier, counted past DAD. */
struct static6_state {
	bool added, ready, failed;   /* failed: still tentative after DAD_MAX_MS (a duplicate) */
	struct in6_addr prefix, dns[2];      /* the address's prefix; the name servers given, in order */
	int ndns;
	struct rtnl_route6 routes[2];  /* installed: the prefix's, then the default route */
	int nroutes;
	struct dad_wait dad;
};

struct iface {
	bool used, named;            /* named: an ip= names this device */
	struct rtnl_link link;
	struct ip_param param;
	enum link_class cls;
	unsigned metric;
	enum dstate st;
	int pfd;                     /* packet socket, -1 when closed */
	uint32_t xid;
	uint64_t t_start, t_bound;   /* ms: this acquisition began; the lease was acked */
	unsigned tries, discovers, naks;
	struct dhcp_lease offer, lease;
	bool configured;             /* the address is on the link */
	struct rtnl_route routes[DHCP_MAX_ROUTES + 1];
	int nroutes;                 /* installed right now */
	struct loop_timer retx, lease_t;
	struct ra6_state v6;
	struct dhcp6_state d6;
	struct static6_state s6;
};

/* init/net.c */
bool iface_has_carrier(const struct iface *ifc);
void iface_configure(struct iface *ifc);     /* address, routes with carrier, files */
void iface_deconfigure(struct iface *ifc);   /* routes and address removed, files updated */
void iface_routes_add(struct iface *ifc);
void iface_routes_del(struct iface *ifc);
void iface_files_write(const struct iface *ifc);

struct nl_sock *net_rtnl(void);
struct iface *iface_by_index(int index);
void net_check_ready(void);
unsigned long net_timeout_s(void);

/* init/ra6.c */
int ra6_begin(void);                          /* the socket, once, with ferry.net.ipv6=auto */
void ra6_link(struct iface *ifc);            /* sysctls before the link goes up */
void ra6_carrier(struct iface *ifc);         /* solicit and restore, or withdraw */
void ra6_remove(struct iface *ifc);
void ra6_handoff(struct iface *ifc);         /* RAs back to the kernel's defaults for the target */
/* An IPv6 route (default or not) at r->metric, moved up past another link's (as for IPv4); 0 or
 * -errno, logged. */
int route6_add(struct iface *ifc, struct rtnl_route6 *r);
/* IPv6 configured: a default route and, when the router asked for DHCPv6, its answer (or its
 * bound passed); with ip=...:dhcp6, DHCPv6's address (or, its bound passed, the default route
 * alone), as dracut waits for dhclient -6. */
/* The router's part (ROUTER6=, PREFIX6=, its RDNSS) is known, and its SLAAC address settled. */
static inline bool ra6_known(const struct iface *ifc)
{
	return ifc->v6.have && ifc->v6.slaac != SLAAC_WAIT;
}
static inline bool iface_v6_ready(const struct iface *ifc)
{
	bool routed = ifc->v6.routed && ifc->v6.slaac != SLAAC_WAIT;

	if (ifc->param.v6 == IP6_STATIC)
		return ifc->s6.ready;
	if (ifc->param.v6 == IP6_DHCP)
		return ifc->d6.addr_on || (ifc->d6.st == D6_GAVE_UP && routed);
	return routed && (!ifc->v6.managed || ifc->d6.st >= D6_BOUND);
}

/* Configured: with ferry.net.ipv6=auto alone, either family (an IPv4 lease or static address, or
 * IPv6 as above); with an ip= IPv6 word (dhcp6, auto6, a static [v6]), every family the link's ip=
 * words name. */
static inline bool iface_ready(const struct iface *ifc)
{
	if (ifc->param.v6 != IP6_DHCP && ifc->param.v6 != IP6_AUTO && ifc->param.v6 != IP6_STATIC &&
	    ifc->param.v6 != IP6_EITHER)
		return ifc->configured || iface_v6_ready(ifc);
	return (ifc->param.method == IP_NONE || ifc->configured) && iface_v6_ready(ifc);
}

/* init/dhcp6.c */
void dhcp6_start(struct iface *ifc, bool managed);  /* managed: Solicit; else an Information-request */
void dhcp6_carrier(struct iface *ifc);
void dhcp6_remove(struct iface *ifc);

/* init/dhcp.c */
const char *dhcpc_state_name(enum dstate st);
void dhcpc_start(struct iface *ifc);         /* SELECTING: DISCOVER */
void dhcpc_verify(struct iface *ifc);        /* carrier back on a bound lease: INIT-REBOOT */
void dhcpc_readable(void *arg, uint32_t events);  /* the packet socket's watch */
#endif

#endif
