/* The DHCPv6 client (RFC 8415), one per link whose router sets the M flag (ferry.net.ipv6=auto), or
 * from the link's carrier on with ip=...:dhcp6 (whatever the router's flags, or with no router):
 *
 *   RA with M ─▶ SOLICIT (rapid commit) ─Advertise─▶ REQUEST ─Reply─▶ BOUND ─T1─▶ SOLICIT again
 *                        └────────── Reply with rapid commit ──────────┘
 *   RA with O alone ─▶ INFORMATION-REQUEST ─Reply─▶ BOUND (DNS and the boot file URL, no address)
 *
 * The RFC's timers scaled down for a boot: SOL_TIMEOUT and REQ_TIMEOUT 1 s doubling to 4 s (not
 * 3600 s and 30 s), 4 Requests (not 10), no random factor; Solicits stop at the stage's bound
 * (ferry.net.timeout=), then the link counts as configured by its RA alone. The first usable
 * Advertise is taken (no wait of SOL_TIMEOUT for a better preference: one server per boot link is
 * the case this serves). At T1 a new Solicit runs instead of RENEW/REBIND: the same DUID and IAID
 * get the same address from a server that remembers them, and the address keeps its lifetimes
 * until then. The packet code is lib/net/dhcp6.c. */
#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <net/if.h>
#include <sys/epoll.h>
#include <sys/random.h>
#include <sys/socket.h>
#define FERRY_NET_INTERNAL
#include "ferry.h"
#include "net.h"

#define STAGE "net"
enum { RT_FIRST_MS = 1000, RT_MAX_MS = 4000, REQ_MAX_RC = 4, TENTATIVE_RETRY_MS = 100 };

static const char *const d6_names[] = { "idle", "soliciting", "requesting", "asking", "checking the address (DAD)",
					"bound", "gave up" };
static const uint8_t d6_types[] = { [D6_SOLICIT] = DHCP6_SOLICIT, [D6_REQUEST] = DHCP6_REQUEST,
				    [D6_INFO] = DHCP6_INFO_REQUEST };

static int d6_open(struct iface *ifc)
{
	struct sockaddr_in6 me = { .sin6_family = AF_INET6, .sin6_port = htons(DHCP6_CLIENT_PORT) };
	int fd = socket(AF_INET6, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0), one = 1, ret;

	if (fd < 0)
		return -errno;
	/* One socket per link on port 546: bound to its device, so each gets its link's replies. */
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	    setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one)) ||
	    setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, ifc->link.name, strlen(ifc->link.name)) ||
	    bind(fd, (struct sockaddr *)&me, sizeof(me))) {
		ret = -errno;
		close(fd);
		return ret;
	}
	return fd;
}

static int d6_send(struct iface *ifc)
{
	int type = d6_types[ifc->d6.st];
	struct sockaddr_in6 to = { .sin6_family = AF_INET6, .sin6_port = htons(DHCP6_SERVER_PORT),
				   .sin6_scope_id = ifc->link.index,
				   .sin6_addr.s6_addr = { 0xff, 0x02, [13] = 1, [15] = 2 } };
	uint64_t cs = (loop_now_ms() - ifc->d6.t_start) / 10;
	uint8_t buf[DHCP6_PKT_MAX];
	int n = dhcp6_build(buf, sizeof(buf), type, ifc->d6.xid, ifc->link.mac, cs > 0xffff ? 0xffff : cs,
			    &ifc->d6.adv);

	/* EADDRNOTAVAIL: the link-local address is still tentative (DAD): the caller retries soon. */
	if (n > 0 && sendto(ifc->d6.fd, buf, n, 0, (struct sockaddr *)&to, sizeof(to)) < 0) {
		if (errno == EADDRNOTAVAIL || errno == ENETUNREACH)
			return -EADDRNOTAVAIL;
		log_warn(STAGE, "%s: DHCPv6 %s: %s", ifc->link.name, d6_names[ifc->d6.st], strerror(errno));
	}
	return 0;
}

static uint64_t rt_ms(unsigned tries)
{
	return tries >= 3 ? RT_MAX_MS : (uint64_t)RT_FIRST_MS << tries;
}

static void retx_fire(void *arg, uint32_t events);

static void exchange(struct iface *ifc, enum d6state st)
{
	uint32_t x;

	if (getrandom(&x, sizeof(x), GRND_NONBLOCK) != sizeof(x))
		x = (uint32_t)loop_now_ms() * 2654435761u;
	ifc->d6.st = st;
	ifc->d6.xid = x & 0xffffff;
	ifc->d6.tries = 0;
	ifc->d6.t_start = loop_now_ms();
	retx_fire(ifc, 0);
}

static void retx_fire(void *arg, uint32_t events)
{
	struct iface *ifc = arg;
	struct dhcp6_state *d = &ifc->d6;

	if (d->st == D6_REQUEST && d->tries == REQ_MAX_RC) {
		log_warn(STAGE, "%s: no DHCPv6 Reply to %u Requests: soliciting again", ifc->link.name, d->tries);
		exchange(ifc, D6_SOLICIT);
		return;
	}
	if (d->st != D6_REQUEST && !d->have && loop_now_ms() - d->t_acq >= net_timeout_s() * 1000) {
		log_warn(STAGE, "%s: no DHCPv6 answer after %lu s (%u %s, ferry.net.timeout): the RA alone",
			 ifc->link.name, net_timeout_s(), d->solicits, d->st == D6_INFO ? "Information-requests" : "Solicits");
		d->st = D6_GAVE_UP;
		net_check_ready();
		return;
	}
	/* not sent (link-local still tentative): again in a moment, not counted, as ra6.c does */
	if (d6_send(ifc) == -EADDRNOTAVAIL) {
		(void)loop_timer_arm(loop, &d->retx, TENTATIVE_RETRY_MS, retx_fire, ifc);
		return;
	}
	d->solicits += d->st != D6_REQUEST;
	(void)loop_timer_arm(loop, &d->retx, rt_ms(d->tries++), retx_fire, ifc);
}

static void renew_fire(void *arg, uint32_t events)
{
	struct iface *ifc = arg;

	ifc->d6.t_acq = loop_now_ms();
	exchange(ifc, D6_SOLICIT);
}

/* The address is usable: the lease is written and the link may count as configured. */
static void addr_ready(struct iface *ifc)
{
	struct dhcp6_state *d = &ifc->d6;
	const struct dhcp6_lease *l = &d->lease;
	char a[INET6_ADDRSTRLEN];
	uint32_t t1 = l->t1 ? l->t1 : l->preferred / 2;

	d->addr_on = d->have = true;
	d->st = D6_BOUND;
	log_info(STAGE, "%s: %s/128 from DHCPv6 (valid %u s)%s%s", ifc->link.name,
		 inet_ntop(AF_INET6, &l->addr, a, sizeof(a)), l->valid, l->bootfile[0] ? ", boot file " : "", l->bootfile);
	if (t1 && t1 != 0xffffffff)
		(void)loop_timer_arm(loop, &d->renew, (uint64_t)t1 * 1000, renew_fire, ifc);
	iface_files_write(ifc);
	net_check_ready();
}

static bool d6_usable(struct iface *ifc)
{
	return addr6_usable(&ifc->d6.lease.addr);
}

/* Past DAD: the lease; still tentative after DAD_MAX_MS (a duplicate): the address removed. */
static void d6_dad_done(struct iface *ifc, bool ok)
{
	struct dhcp6_state *d = &ifc->d6;
	char a[INET6_ADDRSTRLEN];

	if (ok) {
		addr_ready(ifc);
		return;
	}
	log_err(STAGE, "%s: %s/128 from DHCPv6 still tentative after %d ms (a duplicate on the link?): removed",
		ifc->link.name, inet_ntop(AF_INET6, &d->lease.addr, a, sizeof(a)), DAD_MAX_MS);
	(void)rtnl_addr6_set(net_rtnl(), ifc->link.index, &d->lease.addr, 128, 0, 0, 0);
	d->st = D6_GAVE_UP;
	net_check_ready();
}

static void bound(struct iface *ifc, const struct dhcp6_lease *l)
{
	struct dhcp6_state *d = &ifc->d6;
	char a[INET6_ADDRSTRLEN];
	int ret;

	loop_timer_cancel(loop, &d->retx);
	if (d->st == D6_INFO) {
		d->lease = *l;
		d->have = true;
		d->st = D6_BOUND;
		log_info(STAGE, "%s: DHCPv6 information: %d name server%s%s%s", ifc->link.name, l->ndns,
			 l->ndns == 1 ? "" : "s", l->bootfile[0] ? ", boot file " : "", l->bootfile);
		iface_files_write(ifc);
		return;
	}
	if ((ret = rtnl_addr6_set(net_rtnl(), ifc->link.index, &l->addr, 128, l->preferred, l->valid, 0))) {
		log_err(STAGE, "%s: adding %s/128 from DHCPv6: %s", ifc->link.name, inet_ntop(AF_INET6, &l->addr, a,
			sizeof(a)), strerror(-ret));
		d->st = D6_GAVE_UP;
		net_check_ready();
		return;
	}
	d->lease = *l;
	/* a renewal of the address already on the link is usable at once; a new one after DAD */
	d->st = D6_DAD;
	dad_wait_start(&d->dad, ifc, d6_usable, d6_dad_done);
}

static void d6_readable(void *arg, uint32_t events)
{
	struct iface *ifc = arg;
	struct dhcp6_state *d = &ifc->d6;
	uint8_t buf[DHCP6_PKT_MAX];
	struct sockaddr_in6 from;
	socklen_t flen = sizeof(from);
	char a[INET6_ADDRSTRLEN];
	struct dhcp6_lease l;
	const char *why;
	ssize_t n;
	int ret;

	while ((n = recvfrom(d->fd, buf, sizeof(buf), MSG_DONTWAIT, (struct sockaddr *)&from, &flen)) >= 0) {
		if (d->st != D6_SOLICIT && d->st != D6_REQUEST && d->st != D6_INFO)
			continue;
		if ((ret = dhcp6_parse(buf, n, d->xid, ifc->link.mac, d->st != D6_INFO, &l, &why))) {
			if (ret != -ESRCH)
				log_warn(STAGE, "%s: DHCPv6 %s from %s refused: %s", ifc->link.name,
					 buf[0] == DHCP6_REPLY ? "Reply" : "Advertise",
					 inet_ntop(AF_INET6, &from.sin6_addr, a, sizeof(a)), why);
			continue;
		}
		if (l.type == DHCP6_REPLY && (d->st != D6_SOLICIT || l.rapid)) {
			bound(ifc, &l);
			return;
		}
		if (l.type == DHCP6_ADVERTISE && d->st == D6_SOLICIT) {
			d->adv = l;
			exchange(ifc, D6_REQUEST);
		}
	}
}

/* An RA with the M flag (managed: addresses) or the O flag alone: start, unless already running
 * or done for this link. */
void dhcp6_start(struct iface *ifc, bool managed)
{
	struct dhcp6_state *d = &ifc->d6;
	int ret;

	if (d->st != D6_IDLE)
		return;
	if (ifc->link.maclen != 6) {  /* DUID-LL from a MAC: a link without one is left to its RA */
		log_warn(STAGE, "%s: the router asks for DHCPv6, but the link has no MAC for a DUID", ifc->link.name);
		d->st = D6_GAVE_UP;
		return;
	}
	if (!d->open) {
		if ((ret = d->fd = d6_open(ifc)) < 0 || (ret = loop_watch(loop, d->fd, EPOLLIN, d6_readable, ifc))) {
			if (d->fd >= 0)
				close(d->fd);
			log_err(STAGE, "%s: DHCPv6 socket: %s", ifc->link.name, strerror(-ret));
			d->st = D6_GAVE_UP;
			return;
		}
		d->open = true;
	}
	if (ifc->param.v6 == IP6_DHCP)
		log_info(STAGE, "%s: DHCPv6 (ip=...:dhcp6): soliciting", ifc->link.name);
	else
		log_info(STAGE, "%s: the router asks for DHCPv6 (%s flag): %s", ifc->link.name, managed ? "M" : "O",
			 managed ? "soliciting" : "an Information-request");
	d->t_acq = loop_now_ms();
	d->solicits = 0;
	exchange(ifc, managed ? D6_SOLICIT : D6_INFO);
}

/* Carrier lost: the exchange stops, and so does the wait for DAD on a Reply's address: Linux runs DAD
 * on without carrier, where its probes reach nobody and it "passes", and does not repeat it when
 * carrier returns, so that address (still tentative, never counted) is removed. A bound address
 * stays, as the IPv4 one does. Carrier back: a new Solicit (or Information-request) at once when
 * one was asked for before (ip=...:dhcp6, the router's M flag, an earlier Reply), else when the
 * next RA asks. */
void dhcp6_carrier(struct iface *ifc)
{
	struct dhcp6_state *d = &ifc->d6;
	bool managed = ifc->param.v6 == IP6_DHCP || ifc->v6.managed;

	if (iface_has_carrier(ifc)) {
		if (d->st == D6_IDLE && (managed || d->have))
			dhcp6_start(ifc, managed);
		return;
	}
	if (d->st != D6_SOLICIT && d->st != D6_REQUEST && d->st != D6_INFO && d->st != D6_DAD)
		return;
	loop_timer_cancel(loop, &d->retx);
	if (d->st == D6_DAD) {
		addr6_drop_tentative(ifc, &d->dad, &d->lease.addr, 128, "from DHCPv6", "asked for");
		d->addr_on = false;
	} else
		log_debug(STAGE, "%s: DHCPv6 %s: carrier lost", ifc->link.name, d6_names[d->st]);
	d->st = D6_IDLE;
}

void dhcp6_remove(struct iface *ifc)
{
	loop_timer_cancel(loop, &ifc->d6.retx);
	loop_timer_cancel(loop, &ifc->d6.renew);
	dad_wait_cancel(&ifc->d6.dad);
	if (ifc->d6.open) {
		(void)loop_unwatch(loop, ifc->d6.fd);
		close(ifc->d6.fd);
	}
	memset(&ifc->d6, 0, sizeof(ifc->d6));
}
