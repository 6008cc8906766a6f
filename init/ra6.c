/* IPv6 on the network stage's links, from router advertisements (ferry.net.ipv6=auto).
 *
 * The kernel forms the addresses (SLAAC, autoconf=1: it already does DAD, lifetimes and address
 * generation modes, and doing them again here would be a second, worse copy), while ferry reads
 * the same advertisements on a raw ICMPv6 socket for what the kernel gets wrong for a boot:
 * accept_ra_defrtr=0 keeps the kernel's default route (always metric 1024, on every link alike)
 * away, and ferry installs it at the link's metric from the policy IPv4 uses; the kernel ignores
 * RDNSS, which ferry writes to resolv.conf; and the M/O flags are ferry's to act on.
 *
 *   carrier ─▶ RS, RS, RS (4 s apart, RFC 4861 6.3.7) ─▶ RA: default route, DNS, files
 *   router lifetime ends or carrier lost: the route withdrawn; carrier back: restored, RS again */
#include <errno.h>
#include <fcntl.h>
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

/* Before the link goes up, so the kernel's first solicitation and SLAAC already follow them.
 * accept_ra=1, not 2: a box that forwards is a router, and a router is not configured by RAs. */
void ra6_link(struct iface *ifc)
{
	static const char *const keys[][2] = {
		{ "disable_ipv6", "0" }, { "accept_ra_defrtr", "0" }, { "autoconf", "1" }, { "accept_ra", "1" },
	};

	/* a static ip=[v6]: no RAs at all, neither ferry's nor the kernel's (no SLAAC, no 1024 route) */
	static const char *const keys_static[][2] = {
		{ "disable_ipv6", "0" }, { "accept_ra", "0" }, { "autoconf", "0" },
	};
	bool st = ifc->param.v6 == IP6_STATIC;
	int ret;

	if (ndfd < 0 || ifc->param.v6 == IP6_OFF)
		return;
	for (unsigned i = 0; i < (st ? 3 : sizeof(keys) / sizeof(keys[0])); i++)
		if ((ret = sysctl6(ifc->link.name, st ? keys_static[i][0] : keys[i][0], st ? keys_static[i][1] : keys[i][1])))
			log_warn(STAGE, "%s: net.ipv6.conf.%s.%s=%s: %s", ifc->link.name, ifc->link.name,
				 st ? keys_static[i][0] : keys[i][0], st ? keys_static[i][1] : keys[i][1], strerror(-ret));
}

static void route_withdraw(struct iface *ifc)
{
	int ret;

	if (!ifc->v6.routed)
		return;
	ifc->v6.routed = false;
	if ((ret = rtnl_route6_del(net_rtnl(), &ifc->v6.route)) && ret != -ESRCH && ret != -ENODEV)
		log_warn(STAGE, "%s: withdrawing the IPv6 default route: %s", ifc->link.name, strerror(-ret));
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

static void route_install(struct iface *ifc)
{
	struct rtnl_route6 r = { .gw = ifc->v6.router, .ifindex = ifc->link.index, .metric = ifc->metric,
				 .proto = RTPROT_RA };
	char g[INET6_ADDRSTRLEN];

	if (ifc->v6.routed || !ifc->v6.have || !iface_has_carrier(ifc) || route6_add(ifc, &r))
		return;
	ifc->v6.route = r;
	ifc->v6.routed = true;
	log_info(STAGE, "%s: IPv6 default route via %s metric %u (%s)", ifc->link.name, ip6(&r.gw, g), r.metric,
		 netpolicy_class_name(ifc->cls));
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

/* Carrier lost: the route withdrawn, and a wait for the SLAAC address's DAD stopped (Linux runs DAD
 * on without carrier, where it "passes" unheard, or would be given up on at the bound): it starts
 * again, with its whole bound, when carrier returns. */
void ra6_carrier(struct iface *ifc)
{
	if (ndfd < 0 || ifc->param.v6 == IP6_OFF || ifc->param.v6 == IP6_STATIC)
		return;
	if (!iface_has_carrier(ifc)) {
		loop_timer_cancel(loop, &ifc->v6.rs_t);
		if (ifc->v6.routed)
			log_info(STAGE, "%s: carrier lost: IPv6 default route withdrawn", ifc->link.name);
		route_withdraw(ifc);
		if (ifc->v6.dad.on)
			log_info(STAGE, "%s: carrier lost during the SLAAC address's DAD: waited for again at carrier",
				 ifc->link.name);
		dad_wait_cancel(&ifc->v6.dad);
		return;
	}
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
	ifc->v6.routed = ifc->v6.have = false;  /* the kernel took the route with the link */
}

/* The source the kernel picks on this link for an address in the prefix: the SLAAC address once it
 * is past DAD (a tentative one is never picked, RFC 4862 5.4), the link-local one before. Another
 * link's global address may be picked too, so only one inside the prefix counts. */
static bool slaac_usable(struct iface *ifc)
{
	struct sockaddr_in6 to = { .sin6_family = AF_INET6, .sin6_port = htons(9), .sin6_addr = ifc->v6.slaac_prefix }, me;
	socklen_t ml = sizeof(me);
	int fd = socket(AF_INET6, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	bool ok;

	if (fd < 0)
		return false;
	to.sin6_addr.s6_addr[15] = 1;
	ok = !setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, ifc->link.name, strlen(ifc->link.name)) &&
	     !connect(fd, (struct sockaddr *)&to, sizeof(to)) && !getsockname(fd, (struct sockaddr *)&me, &ml) &&
	     !memcmp(&me.sin6_addr, &ifc->v6.slaac_prefix, 8);
	close(fd);
	if (ok)
		ifc->v6.slaac_addr = me.sin6_addr;
	return ok;
}

static void slaac_done(struct iface *ifc, bool ok)
{
	char a[INET6_ADDRSTRLEN], p[INET6_ADDRSTRLEN];

	ifc->v6.slaac = ok ? SLAAC_OK : SLAAC_GAVE_UP;
	if (ok)
		log_info(STAGE, "%s: global address %s past DAD (the RA's prefix)", ifc->link.name, ip6(&ifc->v6.slaac_addr, a));
	else
		log_warn(STAGE, "%s: no SLAAC address in %s/64 past DAD after %d ms (a duplicate on the link?): "
			 "the router's route alone", ifc->link.name, ip6(&ifc->v6.slaac_prefix, p), DAD_MAX_MS);
	if (!ok)
		either6_fallback(ifc, "no SLAAC address past DAD");
	iface_files_write(ifc);
	net_check_ready();
}

/* An autonomous /64 (the kernel forms an address only when prefix and interface identifier make
 * 128 bits): the RA counts once that address is past DAD, bounded as DHCPv6's is. */
static void slaac_begin(struct iface *ifc, const struct ra *ra)
{
	for (int i = 0; i < ra->nprefix && ifc->v6.slaac == SLAAC_NONE; i++)
		if (ra->prefix[i].autonomous && ra->prefix[i].valid && ra->prefix[i].plen == 64) {
			ifc->v6.slaac_prefix = ra->prefix[i].prefix;
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

	if (v->have && !ours)
		return;  /* a second router: the first keeps the link until its lifetime ends */
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
