/* IPv6 on the network stage's links, from router advertisements (ferry.net.ipv6=auto).
 *
 * ferry reads the advertisements on a raw ICMPv6 socket and acts on them where the kernel's own
 * handling is wrong for a boot: accept_ra_defrtr=0 keeps the kernel's default route (always metric
 * 1024, on every link alike) away, and ferry installs it at the link's metric from the policy IPv4
 * uses; the kernel ignores RDNSS, which ferry writes to resolv.conf; the M/O flags are ferry's to act
 * on. The prefixes too (SLAAC), as systemd-networkd and dhcpcd do: accept_ra_pinfo=0, so the kernel
 * forms no address and adds no prefix route from a PIO (it still takes the MTU and hop limit,
 * accept_ra=1). Left to the kernel, the on-link route of every link lands at metric 256, so of two
 * links on one LAN the wifi one may win; and the kernel's address runs DAD without carrier, where it
 * "passes" unheard, and never again when carrier returns, and only removing the address makes it
 * probe again. So ferry forms the address of each autonomous /64 (the modified EUI-64 of the link's
 * MAC, the address addr_gen_mode 0 gave), adds it with the PIO's lifetimes (the kernel ages it and
 * runs DAD on it; later PIOs move them by RFC 4862 5.5.3 (e)), removes it at a carrier loss while it
 * is still in DAD and adds it again at carrier; and it installs each on-link prefix's route at the
 * link's metric, for the prefix's valid lifetime, withdrawn without carrier like the default route.
 * autoconf=0 too: with accept_ra_pinfo=0 the kernel no longer reads it, but it is the kernel's own
 * word for "SLAAC on this link", and ferry, not the kernel, forms these links' addresses.
 *
 *   carrier ─▶ RS, RS, RS (4 s apart, RFC 4861 6.3.7) ─▶ RA: addresses, prefix and default routes,
 *   DNS, files; a lifetime ends or carrier lost: the route withdrawn; carrier back: restored, RS again */
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <sys/epoll.h>
#include <linux/rtnetlink.h>
#define FERRY_NET_INTERNAL
#include "ferry.h"
#include "net.h"
#include "../lib/net/ndsock.h"

#define STAGE "net"
enum { MAX_RTR_SOLICITATIONS = 3, RTR_SOLICITATION_INTERVAL_MS = 4000, RS_RETRY_MS = 500 };

static int ndfd = -1;

static const char *ip6(const struct in6_addr *a, char *buf)
{
	return inet_ntop(AF_INET6, a, buf, INET6_ADDRSTRLEN);
}

static int sysctl6(const char *iface, const char *key, const char *val)
{
	char path[96];
	int fd, ret = 0;

	snprintf(path, sizeof(path), "/proc/sys/net/ipv6/conf/%s/%s", iface, key);
	if ((fd = open(path, O_WRONLY | O_CLOEXEC)) < 0)
		return -errno;
	if (write(fd, val, strlen(val)) < 0)
		ret = -errno;
	close(fd);
	return ret;
}

struct sysctl6 {
	const char *key, *val;
};

static void sysctls6(struct iface *ifc, const struct sysctl6 *set, unsigned n, const char *when)
{
	int ret;

	for (unsigned i = 0; i < n; i++)
		if ((ret = sysctl6(ifc->link.name, set[i].key, set[i].val)))
			log_warn(STAGE, "%s: %snet.ipv6.conf.%s.%s=%s: %s", ifc->link.name, when, ifc->link.name, set[i].key,
				 set[i].val, strerror(-ret));
}

#define NSET(a) (sizeof(a) / sizeof((a)[0]))

/* Before the link goes up, so the kernel's first solicitation and RAs already follow them.
 * accept_ra=1, not 2: a box that forwards is a router, and a router is not configured by RAs. */
void ra6_link(struct iface *ifc)
{
	static const struct sysctl6 ra[] = {
		{ "disable_ipv6", "0" }, { "accept_ra_defrtr", "0" }, { "accept_ra_pinfo", "0" }, { "autoconf", "0" },
		{ "accept_ra", "1" },
	};
	/* a static ip=[v6]: no RAs at all, neither ferry's nor the kernel's (no SLAAC, no 1024 route) */
	static const struct sysctl6 st[] = { { "disable_ipv6", "0" }, { "accept_ra", "0" }, { "autoconf", "0" } };

	if (ndfd < 0 || ifc->param.v6 == IP6_OFF)
		return;
	if (ifc->param.v6 == IP6_STATIC)
		sysctls6(ifc, st, NSET(st), "");
	else
		sysctls6(ifc, ra, NSET(ra), "");
}

/* The handoff: the link's router advertisements go back to the kernel, with its defaults (SLAAC,
 * prefix and default routes from RAs), for a target that runs no RA client of its own: the kernel
 * then renews the addresses ferry formed (the same EUI-64 ones) from the next RA on, and adds its own
 * routes (256, 1024) beside ferry's, which stay ahead of them at the link's metric. A target that
 * does run one (systemd-networkd, NetworkManager, dhcpcd) sets these itself. */
void ra6_handoff(struct iface *ifc)
{
	static const struct sysctl6 kernel[] = { { "accept_ra_defrtr", "1" }, { "accept_ra_pinfo", "1" }, { "autoconf", "1" } };

	if (ndfd < 0 || ifc->param.v6 == IP6_OFF || ifc->param.v6 == IP6_STATIC)
		return;
	sysctls6(ifc, kernel, NSET(kernel), "at the handoff, ");
}

static void route6_withdraw(struct iface *ifc, bool *routed, const struct rtnl_route6 *r)
{
	char d[INET6_ADDRSTRLEN];
	int ret;

	if (!*routed)
		return;
	*routed = false;
	if ((ret = rtnl_route6_del(net_rtnl(), r)) && ret != -ESRCH && ret != -ENODEV && r->plen)
		log_warn(STAGE, "%s: withdrawing the IPv6 route %s/%d: %s", ifc->link.name, ip6(&r->dst, d), r->plen,
			 strerror(-ret));
	else if (ret && ret != -ESRCH && ret != -ENODEV)
		log_warn(STAGE, "%s: withdrawing the IPv6 default route: %s", ifc->link.name, strerror(-ret));
}

static void route_withdraw(struct iface *ifc)
{
	route6_withdraw(ifc, &ifc->v6.routed, &ifc->v6.route);
}

/* As for IPv4: a route of another link with the same metric is never replaced; ours moves up. */
int route6_add(struct iface *ifc, struct rtnl_route6 *r)
{
	char g[INET6_ADDRSTRLEN];
	int ret;

	for (int bump = 0; bump < 16; bump++, r->metric++)
		if ((ret = rtnl_route6_add(net_rtnl(), r)) != -EEXIST)
			break;
	if (ret && r->plen)
		log_warn(STAGE, "%s: IPv6 route %s/%d metric %u: %s", ifc->link.name, ip6(&r->dst, g), r->plen, r->metric,
			 strerror(-ret));
	else if (ret)
		log_warn(STAGE, "%s: IPv6 default route via %s metric %u: %s", ifc->link.name, ip6(&r->gw, g), r->metric,
			 strerror(-ret));
	return ret;
}

/* A route of ferry's RA client, bounded by the kernel as well (RTA_EXPIRES, the rest of its lifetime
 * from `end`; none for an infinite one), so one left across the handoff, where ferry's timers are
 * gone, still ends when its lifetime does; when it is there already, each RA moves its lifetime.
 * Returns true when it was added now, for the caller to say so. */
static bool route6_put(struct iface *ifc, bool *routed, struct rtnl_route6 *have, struct rtnl_route6 want,
		       uint64_t end)
{
	uint32_t left = ra_life_left(end, loop_now_ms());
	char d[INET6_ADDRSTRLEN];
	int ret;

	want.expires = left == RA_INFINITY ? 0 : left;
	if (*routed) {
		have->expires = want.expires;
		if ((ret = rtnl_route6_replace(net_rtnl(), have)) && have->plen)
			log_warn(STAGE, "%s: IPv6 route %s/%d metric %u, its lifetime: %s", ifc->link.name, ip6(&have->dst, d),
				 have->plen, have->metric, strerror(-ret));
		else if (ret)
			log_warn(STAGE, "%s: IPv6 default route via %s metric %u, its lifetime: %s", ifc->link.name,
				 ip6(&have->gw, d), have->metric, strerror(-ret));
		return false;
	}
	if (route6_add(ifc, &want))
		return false;
	*have = want;
	return *routed = true;
}

static void route_install(struct iface *ifc)
{
	struct rtnl_route6 r = { .gw = ifc->v6.router, .ifindex = ifc->link.index, .metric = ifc->metric,
				 .proto = RTPROT_RA };
	char g[INET6_ADDRSTRLEN];

	if (ifc->v6.have && iface_has_carrier(ifc) && route6_put(ifc, &ifc->v6.routed, &ifc->v6.route, r, ifc->v6.rtr_end))
		log_info(STAGE, "%s: IPv6 default route via %s metric %u (%s)", ifc->link.name, ip6(&r.gw, g),
			 ifc->v6.route.metric, netpolicy_class_name(ifc->cls));
}

/* ip=either6, dracut's "if auto6 fails, then dhcp6": the link becomes ip=dhcp6's (DHCPv6 solicited,
 * configured on its address) when SLAAC gives it no address. */
static void either6_fallback(struct iface *ifc, const char *why)
{
	if (ifc->param.v6 != IP6_EITHER)
		return;
	log_info(STAGE, "%s: ip=either6: %s: DHCPv6 instead", ifc->link.name, why);
	ifc->param.v6 = IP6_DHCP;
	dhcp6_start(ifc, true);
}

static void norouter_fire(void *arg, uint32_t events)
{
	struct iface *ifc = arg;

	if (!ifc->v6.have && iface_has_carrier(ifc))
		either6_fallback(ifc, "no router answered 3 solicitations");
}

static void solicit_fire(void *arg, uint32_t events)
{
	struct iface *ifc = arg;
	int ret;

	if (ifc->v6.have || !iface_has_carrier(ifc) || ifc->v6.rs >= MAX_RTR_SOLICITATIONS)
		return;
	/* Until DAD has finished the link-local address is tentative and cannot be a source
	 * (EADDRNOTAVAIL, or ENETUNREACH before the link's multicast route exists): try again soon, without counting it (the RFC's count is of solicitations sent). */
	if ((ret = ndsock_solicit(ndfd, ifc->link.index, ifc->link.maclen == 6 ? ifc->link.mac : NULL))) {
		if (ret != -EADDRNOTAVAIL && ret != -ENETUNREACH)
			log_warn(STAGE, "%s: router solicitation: %s", ifc->link.name, strerror(-ret));
		(void)loop_timer_arm(loop, &ifc->v6.rs_t, RS_RETRY_MS, solicit_fire, ifc);
		return;
	}
	if (++ifc->v6.rs < MAX_RTR_SOLICITATIONS)
		(void)loop_timer_arm(loop, &ifc->v6.rs_t, RTR_SOLICITATION_INTERVAL_MS, solicit_fire, ifc);
	else if (ifc->param.v6 == IP6_EITHER)  /* a last interval for the answer to the last one */
		(void)loop_timer_arm(loop, &ifc->v6.rs_t, RTR_SOLICITATION_INTERVAL_MS, norouter_fire, ifc);
}

static void lifetime_fire(void *arg, uint32_t events)
{
	struct iface *ifc = arg;

	log_info(STAGE, "%s: the IPv6 router's lifetime ended: default route withdrawn", ifc->link.name);
	route_withdraw(ifc);
	ifc->v6.have = false;
	dad_wait_cancel(&ifc->v6.dad);
	ifc->v6.slaac = SLAAC_NONE;
	iface_files_write(ifc);
}

static void dns_expire(void *arg, uint32_t events)
{
	struct iface *ifc = arg;

	log_info(STAGE, "%s: the RDNSS lifetime ended: its name servers dropped", ifc->link.name);
	ifc->v6.ndns = 0;
	iface_files_write(ifc);
}

static bool slaac_usable(struct iface *ifc);
static void slaac_done(struct iface *ifc, bool ok);

/* --- the prefixes: on-link routes and SLAAC addresses ------------------------------------------------------ */

static bool pfx_is_slaac(const struct iface *ifc, const struct ra6_prefix *p)
{
	return ifc->v6.slaac != SLAAC_NONE && p->plen == 64 && !memcmp(&p->prefix, &ifc->v6.slaac_prefix, 16);
}

static void pfx_route_install(struct iface *ifc, struct ra6_prefix *p)
{
	struct rtnl_route6 r = { .dst = p->prefix, .plen = p->plen, .ifindex = ifc->link.index, .metric = ifc->metric,
				 .proto = RTPROT_RA };
	char d[INET6_ADDRSTRLEN];

	if (p->onlink && iface_has_carrier(ifc) && route6_put(ifc, &p->routed, &p->route, r, p->route_end))
		log_info(STAGE, "%s: on-link prefix %s/%d metric %u (%s)", ifc->link.name, ip6(&p->prefix, d), p->plen,
			 p->route.metric, netpolicy_class_name(ifc->cls));
}

/* Added (again) with the rest of its lifetimes; without carrier only noted, for carrier to add. */
static void pfx_addr_put(struct iface *ifc, struct ra6_prefix *p)
{
	uint64_t now = loop_now_ms();

	p->held = !iface_has_carrier(ifc);
	if (!p->held)
		(void)addr6_add(ifc, &p->addr, 64, ra_life_left(p->pref_end, now), ra_life_left(p->valid_end, now), "(SLAAC)");
}

static void pfx_fire(void *arg, uint32_t events);

/* The timer at the first lifetime to end; an entry with neither left is free again. */
static void pfx_arm(struct iface *ifc, struct ra6_prefix *p)
{
	uint64_t next = UINT64_MAX, now = loop_now_ms();

	if (p->onlink)
		next = p->route_end;
	if (p->formed && p->valid_end < next)
		next = p->valid_end;
	if (next == UINT64_MAX) {
		loop_timer_cancel(loop, &p->t);
		p->used = p->onlink || p->formed;
		return;
	}
	(void)loop_timer_arm(loop, &p->t, next > now ? next - now : 0, pfx_fire, p);
}

/* A lifetime ended: the route withdrawn (RFC 4861 6.3.4), or the address gone (the kernel removes
 * it at its valid lifetime's end): the lease loses it. */
static void pfx_fire(void *arg, uint32_t events)
{
	struct ra6_prefix *p = arg;
	struct iface *ifc = p->ifc;
	uint64_t now = loop_now_ms();
	char d[INET6_ADDRSTRLEN];

	if (p->onlink && p->route_end <= now) {
		log_info(STAGE, "%s: the lifetime of on-link prefix %s/%d ended: its route withdrawn", ifc->link.name,
			 ip6(&p->prefix, d), p->plen);
		route6_withdraw(ifc, &p->routed, &p->route);
		p->onlink = false;
	}
	if (p->formed && p->valid_end <= now) {
		log_info(STAGE, "%s: the valid lifetime of SLAAC address %s ended", ifc->link.name, ip6(&p->addr, d));
		p->formed = p->held = false;
		if (pfx_is_slaac(ifc, p)) {
			dad_wait_cancel(&ifc->v6.dad);
			ifc->v6.slaac = SLAAC_NONE;
			iface_files_write(ifc);
		}
	}
	pfx_arm(ifc, p);
}

static struct ra6_prefix *pfx_find(struct iface *ifc, const struct ra_prefix *x, bool make)
{
	struct ra6_prefix *p, *free = NULL;
	char d[INET6_ADDRSTRLEN];

	for (int i = 0; i < RA_MAX_PREFIX; i++) {
		p = &ifc->v6.pfx[i];
		if (p->used && p->plen == x->plen && !memcmp(&p->prefix, &x->prefix, 16))
			return p;
		if (!p->used && !free)
			free = p;
	}
	if (!make)
		return NULL;
	if (!free) {
		if (!ifc->v6.pfx_full_said)
			log_warn(STAGE, "%s: more than %d prefixes advertised: %s/%d ignored", ifc->link.name, RA_MAX_PREFIX,
				 ip6(&x->prefix, d), x->plen);
		ifc->v6.pfx_full_said = true;
		return NULL;
	}
	memset(free, 0, offsetof(struct ra6_prefix, t));
	free->used = true;
	free->prefix = x->prefix;
	free->plen = x->plen;
	free->ifc = ifc;
	return free;
}

/* RFC 4862 5.5.3 (d), (e): a new autonomous /64 with a valid lifetime forms the address; one formed
 * already takes the lifetimes of the two-hour rule. */
static void pio_addr(struct iface *ifc, struct ra6_prefix *p, const struct ra_prefix *x)
{
	uint64_t now = loop_now_ms();
	uint32_t valid = x->valid, pref = x->preferred;
	char a[INET6_ADDRSTRLEN];

	if (p->formed && ra_life_left(p->valid_end, now))
		ra_slaac_lifetimes(x->valid, x->preferred, ra_life_left(p->valid_end, now), &valid, &pref);
	else if (!x->valid)
		return;
	else if (ifc->link.maclen != 6) {
		if (!ifc->v6.nomac_said)
			log_warn(STAGE, "%s: no SLAAC address in %s/64: the link has no 6-byte MAC for an interface identifier",
				 ifc->link.name, ip6(&x->prefix, a));
		ifc->v6.nomac_said = true;
		return;
	} else {
		ra_slaac_addr(&p->addr, &x->prefix, ifc->link.mac);
		p->formed = true;
		log_info(STAGE, "%s: SLAAC address %s/64 (valid %u s, preferred %u s)", ifc->link.name, ip6(&p->addr, a),
			 valid, pref);
	}
	p->valid_end = ra_life_end(valid, now);
	p->pref_end = ra_life_end(pref, now);
	pfx_addr_put(ifc, p);
}

/* One PIO (the parser dropped link-local ones and those with preferred above valid). An L flag of 0
 * says nothing about the link (RFC 4861 6.3.4): a route is only ended by a valid lifetime. */
static void pio_apply(struct iface *ifc, const struct ra_prefix *x)
{
	bool slaac = x->autonomous && x->plen == 64;
	struct ra6_prefix *p;

	if (!x->plen || x->prefix.s6_addr[0] == 0xff || (!x->onlink && !slaac))
		return;
	if (!(p = pfx_find(ifc, x, x->valid != 0)))
		return;
	if (x->onlink && !x->valid) {
		route6_withdraw(ifc, &p->routed, &p->route);
		p->onlink = false;
	} else if (x->onlink) {
		p->onlink = true;
		p->route_end = ra_life_end(x->valid, loop_now_ms());
		pfx_route_install(ifc, p);
	}
	if (slaac)
		pio_addr(ifc, p, x);
	pfx_arm(ifc, p);
}

/* Carrier lost: the route withdrawn, and an address still in DAD removed (its DAD without carrier
 * would "pass" unheard); carrier back: added again, for a DAD on the link, and the route restored.
 * An address past DAD stays, as the kernel's did. */
static void pfx_carrier(struct iface *ifc, bool carrier)
{
	for (int i = 0; i < RA_MAX_PREFIX; i++) {
		struct ra6_prefix *p = &ifc->v6.pfx[i];
		if (!p->used)
			continue;
		if (carrier) {
			if (p->formed && p->held)
				pfx_addr_put(ifc, p);
			pfx_route_install(ifc, p);
			continue;
		}
		route6_withdraw(ifc, &p->routed, &p->route);
		if (p->formed && !p->held && !addr6_usable(&p->addr)) {
			addr6_drop_tentative(ifc, pfx_is_slaac(ifc, p) ? &ifc->v6.dad : NULL, &p->addr, 64, "(SLAAC)", "added");
			p->held = true;
		}
	}
}

/* Carrier lost: the routes withdrawn, and the wait for the SLAAC address's DAD stopped (the address
 * removed, if still tentative): it starts again, with its whole bound, when carrier returns. */
void ra6_carrier(struct iface *ifc)
{
	if (ndfd < 0 || ifc->param.v6 == IP6_OFF || ifc->param.v6 == IP6_STATIC)
		return;
	if (!iface_has_carrier(ifc)) {
		loop_timer_cancel(loop, &ifc->v6.rs_t);
		if (ifc->v6.routed)
			log_info(STAGE, "%s: carrier lost: IPv6 default route withdrawn", ifc->link.name);
		route_withdraw(ifc);
		pfx_carrier(ifc, false);
		dad_wait_cancel(&ifc->v6.dad);
		return;
	}
	pfx_carrier(ifc, true);
	route_install(ifc);
	ifc->v6.rs = 0;
	if (ifc->v6.slaac == SLAAC_WAIT && !ifc->v6.dad.on)
		dad_wait_start(&ifc->v6.dad, ifc, slaac_usable, slaac_done);
	if (!ifc->v6.have)
		solicit_fire(ifc, 0);
}

void ra6_remove(struct iface *ifc)
{
	dad_wait_cancel(&ifc->v6.dad);
	ifc->v6.slaac = SLAAC_NONE;
	loop_timer_cancel(loop, &ifc->v6.rs_t);
	loop_timer_cancel(loop, &ifc->v6.life_t);
	loop_timer_cancel(loop, &ifc->v6.dns_t);
	for (int i = 0; i < RA_MAX_PREFIX; i++) {
		loop_timer_cancel(loop, &ifc->v6.pfx[i].t);
		ifc->v6.pfx[i].used = false;
	}
	ifc->v6.routed = ifc->v6.have = false;  /* the kernel took the routes and addresses with the link */
}

/* Past DAD: the kernel's own test (a tentative address cannot be bound to, one whose DAD failed is
 * removed or stays tentative). */
static bool slaac_usable(struct iface *ifc)
{
	return addr6_usable(&ifc->v6.slaac_addr);
}

static void slaac_done(struct iface *ifc, bool ok)
{
	char a[INET6_ADDRSTRLEN], p[INET6_ADDRSTRLEN];

	ifc->v6.slaac = ok ? SLAAC_OK : SLAAC_GAVE_UP;
	if (ok)
		log_info(STAGE, "%s: global address %s past DAD (the RA's prefix)", ifc->link.name, ip6(&ifc->v6.slaac_addr, a));
	else
		log_warn(STAGE, "%s: no SLAAC address in %s/64 past DAD after %d ms (%s: a duplicate on the link?): "
			 "the router's route alone", ifc->link.name, ip6(&ifc->v6.slaac_prefix, p), DAD_MAX_MS,
			 ip6(&ifc->v6.slaac_addr, a));
	if (!ok)
		either6_fallback(ifc, "no SLAAC address past DAD");
	iface_files_write(ifc);
	net_check_ready();
}

/* The router's first autonomous /64 with an address formed in it (a /64 and a MAC): the RA counts
 * once that address is past DAD, bounded as DHCPv6's is. */
static void slaac_begin(struct iface *ifc, const struct ra *ra)
{
	for (int i = 0; i < ra->nprefix && ifc->v6.slaac == SLAAC_NONE; i++) {
		struct ra6_prefix *p = pfx_find(ifc, &ra->prefix[i], false);
		if (!ra->prefix[i].autonomous || ra->prefix[i].plen != 64 || !p || !p->formed || p->held)
			continue;
		ifc->v6.slaac_prefix = p->prefix;
		ifc->v6.slaac_addr = p->addr;
		ifc->v6.slaac = SLAAC_WAIT;
		dad_wait_start(&ifc->v6.dad, ifc, slaac_usable, slaac_done);
	}
}

/* What one advertisement changes: the router (the first one offering itself, until its lifetime
 * ends), the prefix and servers for the files, the route. */
static void ra_apply(struct iface *ifc, const struct ra *ra, const struct in6_addr *src)
{
	struct ra6_state *v = &ifc->v6;
	char a[INET6_ADDRSTRLEN];
	bool ours = v->have && !memcmp(&v->router, src, 16);

	for (int i = 0; i < ra->nprefix; i++)
		pio_apply(ifc, &ra->prefix[i]);
	if (v->have && !ours)
		return;  /* a second router: the first keeps the link (its prefixes count) until its lifetime ends */
	if (ra->ndns) {
		v->ndns = ra->dns_lifetime ? ra->ndns : 0;
		memcpy(v->dns, ra->dns, sizeof(v->dns));
		loop_timer_cancel(loop, &v->dns_t);
		if (v->ndns && ra->dns_lifetime != 0xffffffff)
			(void)loop_timer_arm(loop, &v->dns_t, (uint64_t)ra->dns_lifetime * 1000, dns_expire, ifc);
	}
	for (int i = 0; i < ra->nprefix && !v->plen; i++)
		if (ra->prefix[i].autonomous || ra->prefix[i].onlink) {
			v->prefix = ra->prefix[i].prefix;
			v->plen = ra->prefix[i].plen;
		}
	if (!ra->lifetime) {
		if (ours) {
			log_info(STAGE, "%s: router %s is no longer a default router", ifc->link.name, ip6(src, a));
			loop_timer_cancel(loop, &v->life_t);
			route_withdraw(ifc);
			v->have = false;
		}
	} else {
		if (!v->have)
			log_info(STAGE, "%s: IPv6 router %s, lifetime %u s%s", ifc->link.name, ip6(src, a), ra->lifetime,
				 ra->nprefix ? "" : ", no prefix");
		v->router = *src;
		v->have = true;
		v->rtr_end = ra_life_end(ra->lifetime, loop_now_ms());
		loop_timer_cancel(loop, &v->rs_t);
		(void)loop_timer_arm(loop, &v->life_t, (uint64_t)ra->lifetime * 1000, lifetime_fire, ifc);
		route_install(ifc);
		slaac_begin(ifc, ra);
		if (v->slaac == SLAAC_NONE)
			either6_fallback(ifc, "the router advertises no autonomous /64 prefix");
	}
	/* ip=auto6: SLAAC alone, whatever the flags; ip=dhcp6 solicited at carrier already */
	if (ifc->param.v6 == IP6_RA) {
		v->managed |= ra->managed;
		if (ra->managed || ra->other)
			dhcp6_start(ifc, ra->managed);
	}
	iface_files_write(ifc);
	net_check_ready();
}

static void ra_readable(void *arg, uint32_t events)
{
	uint8_t buf[1500];
	struct in6_addr src;
	char a[INET6_ADDRSTRLEN];
	int ifindex, hop;
	ssize_t n;

	while ((n = ndsock_recv(ndfd, buf, sizeof(buf), &ifindex, &hop, &src)) != -EAGAIN) {
		struct iface *ifc = iface_by_index(ifindex);
		const char *why;
		struct ra ra;
		if (n < 0 && n != -EMSGSIZE) {
			log_warn(STAGE, "reading router advertisements: %s", strerror((int)-n));
			return;
		}
		if (!ifc || ifc->param.v6 == IP6_OFF || ifc->param.v6 == IP6_STATIC)
			continue;  /* a link the stage leaves alone, or its IPv6, or a static ip=[v6] */
		if (n < 0 || ra_parse(buf, n, hop, &src, &ra, &why)) {
			log_warn(STAGE, "%s: router advertisement from %s refused: %s", ifc->link.name, ip6(&src, a),
				 n < 0 ? "larger than the link's MTU" : why);
			continue;
		}
		ra_apply(ifc, &ra, &src);
	}
}

int ra6_begin(void)
{
	int ret;

	if (ndfd >= 0)
		return 0;
	if (access("/proc/sys/net/ipv6", F_OK))
		return log_warn(STAGE, "IPv6 asked for (ferry.net.ipv6=auto or ip=...6): the kernel has no IPv6"),
		       -EAFNOSUPPORT;
	if ((ret = ndfd = ndsock_open()) < 0 || (ret = loop_watch(loop, ndfd, EPOLLIN, ra_readable, NULL))) {
		if (ndfd >= 0)
			close(ndfd);
		ndfd = -1;
		log_warn(STAGE, "router advertisement socket: %s; IPv6 left to the kernel", strerror(-ret));
		return ret;
	}
	return 0;
}
