/* The network stage. One state machine per interface on the shared loop (the DHCP client's is
 * init/dhcp.c; the configuration lib/net/netconf.c; the files' text lib/net/lease.c):
 *
 *   link appears ─▶ (MAC from fuses) ─▶ up ─▶ carrier ─▶ static: address + routes
 *                                                     └▶ dhcp: SELECTING ─▶ REQUESTING ─▶ BOUND
 *   BOUND ─T1─▶ RENEWING (unicast) ─T2─▶ REBINDING (broadcast) ─expiry─▶ SELECTING
 *   carrier lost: routes withdrawn (the next metric carries the traffic); carrier back: routes
 *   restored and the lease verified (INIT-REBOOT, RFC 2131 3.2).
 *
 * Every route carries the link's metric from lib/netpolicy and is created exclusively, so one
 * interface's lease never replaces another's default route. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <net/if.h>
#include <net/if_arp.h>
#include <sys/epoll.h>
#include <sys/stat.h>
#include <linux/rtnetlink.h>
#define FERRY_NET_INTERNAL
#include "ferry.h"
#include "stages.h"
#include "net.h"
#include "../lib/core/fileio.h"
#include "../lib/net/dhcpsock.h"
#include "../lib/net/lease.h"
#include "../lib/net/netconf.h"
#include "../lib/net/ocotp.h"

#define STAGE "net"
#define RUN_DIR "/run/ferry/net"
enum { MAX_IFACES = 16 };

static struct {
	struct nl_sock rq, ev;
	struct iface ifs[MAX_IFACES];
	struct netconf conf;         /* ip=, ferry.net*, ferry.metric, ferry.linkclass, ferry.ocotp */
	char rundir[128];
	struct loop_timer bound;
	struct job *job;             /* pending until ready (ferry.net=required) */
	bool ready, failed;
} net;  /* zero-initialised: in .bss, not 38 KiB of .data in the binary; the sockets are opened before any use */

static void check_ready(void);

/* --- configuration ----------------------------------------------------------------------------------- */

/* Read every net key; returns the number of errors (in net.conf.errs). */
static int net_configure(const struct ferry_config *c)
{
	netconf_parse(c, &net.conf);
	if (!net.rundir[0])
		strcpy(net.rundir, RUN_DIR);
	return net.conf.nerrs;
}

/* --- links ----------------------------------------------------------------------------------------------- */

static const char *ip4(struct in_addr a, char *buf)
{
	return inet_ntop(AF_INET, &a, buf, INET_ADDRSTRLEN);
}

static const char *mac_str(const uint8_t *m, char *buf)
{
	snprintf(buf, 18, "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2], m[3], m[4], m[5]);
	return buf;
}

static bool sys_exists(const char *name, const char *what)
{
	char path[96];

	snprintf(path, sizeof(path), "/sys/class/net/%s/%s", name, what);
	return access(path, F_OK) == 0;
}

/* DEVTYPE= from the link's uevent file and its driver's name. */
static void sys_facts(const char *name, char *devtype, char *driver, size_t len)
{
	char path[96], buf[512], *p;
	ssize_t n;
	int fd;

	devtype[0] = driver[0] = 0;
	snprintf(path, sizeof(path), "/sys/class/net/%s/uevent", name);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) >= 0) {
		n = read(fd, buf, sizeof(buf) - 1);
		close(fd);
		buf[n > 0 ? n : 0] = 0;
		if ((p = strstr(buf, "DEVTYPE=")))
			snprintf(devtype, len, "%.*s", (int)strcspn(p + 8, "\n"), p + 8);
	}
	snprintf(path, sizeof(path), "/sys/class/net/%s/device/driver", name);
	if ((n = readlink(path, buf, sizeof(buf) - 1)) > 0) {
		buf[n] = 0;
		p = strrchr(buf, '/');
		snprintf(driver, len, "%.*s", (int)len - 1, p ? p + 1 : buf);
	}
}

static void classify(struct iface *ifc)
{
	char devtype[32], driver[32];
	struct link_facts f = { .name = ifc->link.name, .arphrd = ifc->link.type };

	sys_facts(ifc->link.name, devtype, driver, sizeof(devtype));
	f.devtype = devtype[0] ? devtype : NULL;
	f.driver = driver[0] ? driver : NULL;
	f.wireless = sys_exists(ifc->link.name, "wireless") || sys_exists(ifc->link.name, "phy80211");
	ifc->cls = netpolicy_link_class(&net.conf.pol, ifc->link.name, ifc->link.maclen ? ifc->link.mac : NULL,
					netpolicy_classify(&f));
	ifc->metric = netpolicy_metric(&net.conf.pol, ifc->link.name, ifc->link.maclen ? ifc->link.mac : NULL, ifc->cls);
}

struct nl_sock *net_rtnl(void)
{
	return &net.rq;
}

void net_handoff(void)
{
	for (int i = 0; i < MAX_IFACES; i++)
		if (net.ifs[i].used)
			ra6_handoff(&net.ifs[i]);
}

struct iface *iface_by_index(int index)
{
	for (int i = 0; i < MAX_IFACES; i++)
		if (net.ifs[i].used && net.ifs[i].link.index == index)
			return &net.ifs[i];
	return NULL;
}

/* Is this link ours, and how? Fills param; false when the policy leaves it alone. */
static bool link_wanted(const struct rtnl_link *l, struct ip_param *param)
{
	for (int i = 0; i < net.conf.nparams; i++)
		if (!strcmp(net.conf.params[i].dev, l->name)) {
			*param = net.conf.params[i];
			return param->method != IP_OFF;
		}
	if ((!net.conf.wildcard && !net.conf.wildcard6) || (l->flags & IFF_LOOPBACK) || l->type != ARPHRD_ETHER)
		return false;
	memset(param, 0, sizeof(*param));
	param->method = net.conf.wildcard ? IP_DHCP : IP_NONE;
	param->v6 = net.conf.wildcard6;
	return true;
}

/* Set the MAC from the OCOTP fuses before the link goes up (most drivers refuse it while up). */
static void ocotp_apply(struct iface *ifc)
{
	static uint8_t nv[4096];
	const struct ocotp_spec *sp = NULL;
	uint8_t mac[6];
	char a[18];
	ssize_t n;
	int fd, ret;

	for (int i = 0; i < net.conf.nocotp && !sp; i++)
		if (!strcmp(net.conf.ocotp[i].iface, ifc->link.name))
			sp = &net.conf.ocotp[i];
	if (!sp)
		return;
	if ((fd = file_open_regular(sp->path)) < 0) {  /* the path is the config's: no FIFO may block */
		log_warn(STAGE, "%s: cannot open %s: %s; MAC left alone", ifc->link.name, sp->path, strerror(-fd));
		return;
	}
	n = pread(fd, nv, sizeof(nv), 0);
	close(fd);
	ret = n < 0 ? -errno : ocotp_mac_decode(nv, n, sp->offset, sp->which, mac);
	if (ret == -ENODATA)
		log_info(STAGE, "%s: MAC%d fuses are blank: MAC left alone", ifc->link.name, sp->which);
	else if (ret)
		log_warn(STAGE, "%s: MAC%d from %s at 0x%zx: %s; MAC left alone", ifc->link.name, sp->which,
			 sp->path, sp->offset, strerror(-ret));
	if (ret || (ifc->link.maclen == 6 && !memcmp(mac, ifc->link.mac, 6)))
		return;
	if ((ifc->link.flags & IFF_UP) && !rtnl_link_set_up(&net.rq, ifc->link.index, false))
		ifc->link.flags &= ~(IFF_UP | IFF_LOWER_UP);
	if ((ret = rtnl_link_set_mac(&net.rq, ifc->link.index, mac))) {
		log_warn(STAGE, "%s: setting MAC %s: %s", ifc->link.name, mac_str(mac, a), strerror(-ret));
		return;
	}
	memcpy(ifc->link.mac, mac, 6);
	ifc->link.maclen = 6;
	log_info(STAGE, "%s: MAC %s from OCOTP MAC%d", ifc->link.name, mac_str(mac, a), sp->which);
}

/* --- addresses, routes, files ----------------------------------------------------------------------------- */

struct conf { struct in_addr addr, mask, bcast; int plen; const struct dhcp_route *routes; int nroutes; };

/* What the interface should have, from its lease or its static ip=. */
static void iface_conf(const struct iface *ifc, struct conf *c, struct dhcp_route *one)
{
	memset(c, 0, sizeof(*c));
	if (ifc->st == S_STATIC) {
		c->addr = ifc->param.client;
		c->mask = ifc->param.mask;
		c->plen = ifc->param.prefixlen;
		c->bcast.s_addr = c->addr.s_addr | ~c->mask.s_addr;
		*one = (struct dhcp_route){ .gw = ifc->param.gw };
		c->routes = one;
		c->nroutes = ifc->param.gw.s_addr ? 1 : 0;
		return;
	}
	c->addr = ifc->lease.addr;
	c->mask = ifc->lease.mask;
	c->plen = ifc->lease.prefixlen;
	c->bcast = ifc->lease.bcast;
	c->routes = ifc->lease.routes;
	c->nroutes = ifc->lease.nroutes;
}

/* Add one route; a route with the same destination and metric (another link's, or one left by
 * someone else) is never replaced: ours moves one metric up instead. */
static int route_add(struct iface *ifc, struct rtnl_route *r)
{
	char d[INET_ADDRSTRLEN], g[INET_ADDRSTRLEN];
	int ret;

	for (int bump = 0; bump < 16; bump++, r->metric++)
		if ((ret = rtnl_route_add(&net.rq, r)) != -EEXIST)
			break;
	if (ret)
		log_warn(STAGE, "%s: route %s/%d via %s metric %u: %s", ifc->link.name, ip4(r->dst, d), r->plen,
			 ip4(r->gw, g), r->metric, strerror(-ret));
	else
		ifc->routes[ifc->nroutes++] = *r;
	return ret;
}

/* The subnet first (gateways must be reachable), then the lease's or ip='s routes. */
void iface_routes_add(struct iface *ifc)
{
	struct dhcp_route one;
	struct conf c;
	struct rtnl_route r = { .ifindex = ifc->link.index, .metric = ifc->metric };

	if (ifc->nroutes || !ifc->configured)
		return;
	iface_conf(ifc, &c, &one);
	r.proto = ifc->st == S_STATIC ? RTPROT_STATIC : RTPROT_DHCP;
	r.prefsrc = c.addr;
	if (c.plen < 32) {
		r.dst.s_addr = c.addr.s_addr & c.mask.s_addr;
		r.plen = c.plen;
		(void)route_add(ifc, &r);
	}
	for (int i = 0; i < c.nroutes && ifc->nroutes < DHCP_MAX_ROUTES + 1; i++) {
		r.dst = c.routes[i].dst;
		r.plen = c.routes[i].plen;
		r.gw = c.routes[i].gw;
		r.metric = ifc->metric;
		/* A router outside the subnet (a /32 lease, some classless routes) is still on the
		 * link: the kernel would refuse it as unreachable without saying so. */
		r.onlink = (r.gw.s_addr & c.mask.s_addr) != (c.addr.s_addr & c.mask.s_addr);
		(void)route_add(ifc, &r);
	}
}

void iface_routes_del(struct iface *ifc)
{
	/* Newest first: the default route goes before the subnet that makes its gateway reachable. */
	while (ifc->nroutes > 0) {
		int ret = rtnl_route_del(&net.rq, &ifc->routes[--ifc->nroutes]);
		if (ret && ret != -ESRCH && ret != -ENODEV)
			log_warn(STAGE, "%s: withdrawing a route: %s", ifc->link.name, strerror(-ret));
	}
}

/* The metric in use: the default route's when a collision moved it up, else the policy's. */
static unsigned iface_metric(const struct iface *ifc)
{
	for (int i = 0; i < ifc->nroutes; i++)
		if (!ifc->routes[i].plen)
			return ifc->routes[i].metric;
	return ifc->metric;
}

static void lease_path(const struct iface *ifc, char *path, size_t len)
{
	snprintf(path, len, "%s/%s.lease", net.rundir, ifc->link.name);
}

static int mkdir_p(const char *dir)
{
	char p[128];

	snprintf(p, sizeof(p), "%s", dir);
	for (char *s = p + 1; *s; s++)
		if (*s == '/') {
			*s = 0;
			(void)mkdir(p, 0755);
			*s = '/';
		}
	return mkdir(p, 0755) && errno != EEXIST ? -errno : 0;
}
/* What the lease shows of a static IPv6 address: its prefix, the name servers given (in order). */
static void static6_facts(const struct ip6_static *p, struct static6_state *st)
{
	st->prefix = p->addr;
	for (int i = 0; i < 16; i++)
		st->prefix.s6_addr[i] &= i < p->plen / 8 ? 0xff : i == p->plen / 8 ? (0xff00 >> (p->plen % 8)) & 0xff : 0;
	st->ndns = 0;
	for (int i = 0; i < 2; i++)
		if (!IN6_IS_ADDR_UNSPECIFIED(&p->dns[i]))
			st->dns[st->ndns++] = p->dns[i];
}

/* Anything for the files: an IPv4 address, a router known, DHCPv6's answer, a static IPv6 address. */
static bool iface_has_files(const struct iface *ifc)
{
	return ifc->configured || ra6_known(ifc) || ifc->d6.have || ifc->s6.ready;
}

/* What the files say about one interface: its lease or its static ip=. */
static void lease_info_fill(const struct iface *ifc, struct lease_info *li, struct dhcp_route *one)
{
	const struct dhcp_lease *l = &ifc->lease;
	struct conf c;

	iface_conf(ifc, &c, one);
	*li = (struct lease_info){
		.iface = ifc->link.name, .dhcp = ifc->param.method == IP_DHCP, .none4 = ifc->param.method == IP_NONE,
		.cls = netpolicy_class_name(ifc->cls),
		.metric = iface_metric(ifc), .addr = c.addr, .mask = c.mask, .bcast = c.bcast, .plen = c.plen,
		.routes = c.routes, .nroutes = c.nroutes,
	};
	memcpy(li->mac, ifc->link.mac, 6);
	if (ra6_known(ifc)) {
		li->router6 = &ifc->v6.router;
		li->prefix6 = ifc->v6.plen ? &ifc->v6.prefix : NULL;
		li->plen6 = ifc->v6.plen;
		li->dns6 = ifc->v6.dns;
		li->ndns6 = ifc->v6.ndns;
		/* the SLAAC address ferry formed, once the wait found it past DAD (DHCPv6's goes first) */
		li->addr6 = ifc->v6.slaac == SLAAC_OK ? &ifc->v6.slaac_addr : NULL;
	}
	if (ifc->s6.ready) {
		li->addr6 = &ifc->param.s6.addr;
		li->router6 = IN6_IS_ADDR_UNSPECIFIED(&ifc->param.s6.gw) ? NULL : &ifc->param.s6.gw;
		li->prefix6 = &ifc->s6.prefix;
		li->plen6 = ifc->param.s6.plen;
		li->dns6 = ifc->s6.dns;
		li->ndns6 = ifc->s6.ndns;
	}
	if (ifc->d6.have) {  /* DHCPv6's address and servers before the RA's, its boot file after DHCPv4's */
		if (ifc->d6.addr_on)
			li->addr6 = &ifc->d6.lease.addr;
		if (ifc->d6.lease.ndns) {
			li->dns6 = ifc->d6.lease.dns;
			li->ndns6 = ifc->d6.lease.ndns;
		}
	}
	if (li->dhcp) {
		li->dns = l->dns;
		li->ndns = l->ndns;
		li->domain = l->domain;
		li->hostname = l->hostname[0] ? l->hostname : ifc->param.hostname;
		li->server = l->server_id;
		li->next_server = l->siaddr;
		if (!li->next_server.s_addr)
			(void)inet_pton(AF_INET, l->tftp_server, &li->next_server);
		li->bootfile = l->bootfile[0] || !ifc->d6.have ? l->bootfile : ifc->d6.lease.bootfile;
		li->mtu = l->mtu;
		li->lease = l->lease;
		li->t1 = l->t1;
		li->t2 = l->t2;
		li->acquired_ms = ifc->t_bound;
	} else {
		li->dns = ifc->param.dns;
		li->ndns = 2;
		li->hostname = ifc->param.hostname;
		li->bootfile = ifc->d6.have ? ifc->d6.lease.bootfile : NULL;
	}
}

/* resolv.conf from every configured interface, the lowest metric first. */
static size_t resolv_write(char *buf, size_t cap)
{
	static struct lease_info info[MAX_IFACES];
	static struct dhcp_route ones[MAX_IFACES];
	const struct lease_info *order[MAX_IFACES];
	const struct iface *by[MAX_IFACES];
	int k = 0;

	for (int i = 0; i < MAX_IFACES; i++)
		if (net.ifs[i].used && iface_has_files(&net.ifs[i])) {
			int j = k++;
			for (; j > 0 && by[j - 1]->metric > net.ifs[i].metric; j--)
				by[j] = by[j - 1];
			by[j] = &net.ifs[i];
		}
	for (int i = 0; i < k; i++) {
		lease_info_fill(by[i], &info[i], &ones[i]);
		order[i] = &info[i];
	}
	return resolv_text(order, k, net.rundir, buf, cap);
}
void iface_files_write(const struct iface *ifc)
{
	static char buf[4096];
	struct lease_info li;
	struct dhcp_route one;
	char path[160];
	int ret;

	if ((ret = mkdir_p(net.rundir))) {
		log_warn(STAGE, "creating %s: %s", net.rundir, strerror(-ret));
		return;
	}
	lease_path(ifc, path, sizeof(path));
	if (iface_has_files(ifc))
		lease_info_fill(ifc, &li, &one);
	if (iface_has_files(ifc) && lease_text(&li, buf, sizeof(buf)) < sizeof(buf))
		ret = file_write_atomic(path, buf, strlen(buf));
	else
		ret = unlink(path) && errno != ENOENT ? -errno : 0;
	if (ret)
		log_warn(STAGE, "writing %s: %s", path, strerror(-ret));
	snprintf(path, sizeof(path), "%s/resolv.conf", net.rundir);
	if (resolv_write(buf, sizeof(buf)) < sizeof(buf) && (ret = file_write_atomic(path, buf, strlen(buf))))
		log_warn(STAGE, "writing %s: %s", path, strerror(-ret));
}

/* --- configuring an interface ------------------------------------------------------------------------------ */

bool addr6_usable(const struct in6_addr *a)
{
	struct sockaddr_in6 sa = { .sin6_family = AF_INET6, .sin6_addr = *a };
	int fd = socket(AF_INET6, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	bool ok;

	if (fd < 0)
		return true;  /* cannot tell: the address is taken as it is */
	/* with ip_nonlocal_bind every bind succeeds, as before DAD */
	ok = !bind(fd, (struct sockaddr *)&sa, sizeof(sa)) || errno != EADDRNOTAVAIL;
	close(fd);
	return ok;
}

/* Until the kernel's DAD is done (about a second: RetransTimer times DupAddrDetectTransmits, after
 * up to a second's random delay); a duplicate (DAD failed) stays tentative for good, or, with a
 * finite valid lifetime (SLAAC's, DHCPv6's), is removed by the kernel: neither can be bound to. */
static void dad_fire(void *arg, uint32_t events)
{
	struct dad_wait *w = arg;

	if (w->usable(w->ifc)) {
		w->on = false;
		w->done(w->ifc, true);
	} else if (loop_now_ms() - w->t_start < DAD_MAX_MS)
		(void)loop_timer_arm(loop, &w->t, DAD_POLL_MS, dad_fire, w);
	else {
		w->on = false;
		w->done(w->ifc, false);
	}
}

void dad_wait_start(struct dad_wait *w, struct iface *ifc, bool (*usable)(struct iface *),
		    void (*done)(struct iface *, bool))
{
	loop_timer_cancel(loop, &w->t);
	w->on = true;
	w->ifc = ifc;
	w->usable = usable;
	w->done = done;
	w->t_start = loop_now_ms();
	dad_fire(w, 0);  /* an address already past DAD (a renewal) is usable at once */
}

void dad_wait_cancel(struct dad_wait *w)
{
	loop_timer_cancel(loop, &w->t);
	w->on = false;
}

static const char *ip6(const struct in6_addr *a, char *buf)
{
	return inet_ntop(AF_INET6, a, buf, INET6_ADDRSTRLEN);
}

int addr6_add(struct iface *ifc, const struct in6_addr *a, int plen, uint32_t preferred, uint32_t valid,
	      const char *what)
{
	char b[INET6_ADDRSTRLEN];
	int ret;

	if ((ret = rtnl_addr6_set(&net.rq, ifc->link.index, a, plen, preferred, valid, IFA_F_NOPREFIXROUTE)))
		log_err(STAGE, "%s: adding %s/%d %s: %s", ifc->link.name, ip6(a, b), plen, what, strerror(-ret));
	return ret;
}

/* Linux runs DAD on without carrier, where its probes reach nobody and it "passes" (or, with more
 * probes than the wait's bound, would be taken for a duplicate), and does not repeat it when carrier
 * returns: the address is removed, and added again (or asked for again) then it gets a DAD on the
 * link. */
void addr6_drop_tentative(struct iface *ifc, struct dad_wait *w, const struct in6_addr *a, int plen,
			  const char *what, const char *again)
{
	char b[INET6_ADDRSTRLEN];

	log_info(STAGE, "%s: carrier lost during DAD: %s/%d %s removed, %s again at carrier", ifc->link.name, ip6(a, b),
		 plen, what, again);
	if (w)
		dad_wait_cancel(w);
	(void)rtnl_addr6_set(&net.rq, ifc->link.index, a, plen, 0, 0, 0);
}

bool iface_has_carrier(const struct iface *ifc)
{
	return (ifc->link.flags & (IFF_UP | IFF_LOWER_UP)) == (IFF_UP | IFF_LOWER_UP);
}

void iface_deconfigure(struct iface *ifc)
{
	struct dhcp_route one;
	struct conf c;

	iface_routes_del(ifc);
	if (!ifc->configured)
		return;
	iface_conf(ifc, &c, &one);
	(void)rtnl_addr_del(&net.rq, ifc->link.index, c.addr, c.plen);
	ifc->configured = false;
	iface_files_write(ifc);
}

/* As PID 1, name the machine as the kernel's ip= does: the ip= hostname, else the DHCP one, and
 * only while it has no name yet ("(none)" is the kernel's default). */
static void hostname_apply(const struct iface *ifc)
{
	const char *name = ifc->param.hostname[0] ? ifc->param.hostname :
			   ifc->st != S_STATIC ? ifc->lease.hostname : "";
	char cur[65] = "";

	if (getpid() != 1 || !*name || gethostname(cur, sizeof(cur)) || (cur[0] && strcmp(cur, "(none)")))
		return;
	if (sethostname(name, strlen(name)))
		log_warn(STAGE, "setting the hostname %s: %s", name, strerror(errno));
	else
		log_info(STAGE, "hostname %s (from %s)", name, ifc->link.name);
}

/* Put the address on the link, the routes too when there is carrier, and tell the files. */
void iface_configure(struct iface *ifc)
{
	char a[INET_ADDRSTRLEN], g[INET_ADDRSTRLEN] = "";
	struct dhcp_route one;
	struct conf c;
	int ret;

	iface_conf(ifc, &c, &one);
	for (int i = 0; i < c.nroutes && !g[0]; i++)
		if (!c.routes[i].plen)
			ip4(c.routes[i].gw, g);
	if ((ret = rtnl_addr_add(&net.rq, ifc->link.index, c.addr, c.plen, c.bcast))) {
		log_err(STAGE, "%s: adding %s/%d: %s", ifc->link.name, ip4(c.addr, a), c.plen, strerror(-ret));
		return;
	}
	if (ifc->st != S_STATIC && ifc->lease.mtu && ifc->lease.mtu != ifc->link.mtu &&
	    (ret = rtnl_link_set_mtu(&net.rq, ifc->link.index, ifc->lease.mtu)))
		log_warn(STAGE, "%s: MTU %u from DHCP: %s", ifc->link.name, ifc->lease.mtu, strerror(-ret));
	ifc->configured = true;
	if (iface_has_carrier(ifc))
		iface_routes_add(ifc);
	iface_files_write(ifc);
	hostname_apply(ifc);
	log_info(STAGE, "%s: %s/%d%s%s metric %u (%s, %s)", ifc->link.name, ip4(c.addr, a), c.plen,
		 g[0] ? " via " : "", g, iface_metric(ifc),
		 netpolicy_class_name(ifc->cls), ifc->st == S_STATIC ? "static" : "dhcp");
	check_ready();
}

/* --- a static IPv6 address (ip=[v6]...) -------------------------------------------------------------------- */

static bool static6_usable(struct iface *ifc)
{
	return addr6_usable(&ifc->param.s6.addr);
}

/* The on-link prefix route and the default route via the ip= gateway, both at the link's metric, as
 * for a static IPv4 address (the address is added with IFA_F_NOPREFIXROUTE: the kernel's prefix
 * route would be at 256 on every link alike). The prefix first: the gateway is reached through it. */
static void static6_routes_add(struct iface *ifc)
{
	const struct ip6_static *p = &ifc->param.s6;
	struct rtnl_route6 r = { .dst = ifc->s6.prefix, .plen = p->plen, .ifindex = ifc->link.index,
				 .metric = ifc->metric, .proto = RTPROT_STATIC };

	if (ifc->s6.nroutes || !ifc->s6.ready || !iface_has_carrier(ifc))
		return;
	if (p->plen < 128 && !route6_add(ifc, &r))
		ifc->s6.routes[ifc->s6.nroutes++] = r;
	r = (struct rtnl_route6){ .gw = p->gw, .ifindex = ifc->link.index, .metric = ifc->metric, .proto = RTPROT_STATIC };
	if (!IN6_IS_ADDR_UNSPECIFIED(&p->gw) && !route6_add(ifc, &r))
		ifc->s6.routes[ifc->s6.nroutes++] = r;
}

/* Newest first: the default route goes before the prefix that makes its gateway reachable. */
static void static6_routes_del(struct iface *ifc)
{
	while (ifc->s6.nroutes > 0) {
		int ret = rtnl_route6_del(&net.rq, &ifc->s6.routes[--ifc->s6.nroutes]);
		if (ret && ret != -ESRCH && ret != -ENODEV)
			log_warn(STAGE, "%s: withdrawing an IPv6 route: %s", ifc->link.name, strerror(-ret));
	}
}

/* Past DAD: the routes, the files, readiness. A duplicate (DAD still failing): removed, and the link
 * is not configured (ferry.net=required says why at its bound). */
static void static6_done(struct iface *ifc, bool ok)
{
	const struct ip6_static *p = &ifc->param.s6;
	char a[INET6_ADDRSTRLEN], g[INET6_ADDRSTRLEN] = "";

	if (!ok) {
		log_err(STAGE, "%s: %s/%d (ip=) still tentative after %d ms (a duplicate on the link?): removed",
			ifc->link.name, ip6(&p->addr, a), p->plen, DAD_MAX_MS);
		(void)rtnl_addr6_set(&net.rq, ifc->link.index, &p->addr, p->plen, 0, 0, 0);
		ifc->s6.added = false;
		ifc->s6.failed = true;
		return;
	}
	ifc->s6.ready = true;
	static6_routes_add(ifc);
	if (ifc->s6.nroutes && !ifc->s6.routes[ifc->s6.nroutes - 1].plen)
		ip6(&p->gw, g);
	log_info(STAGE, "%s: %s/%d%s%s metric %u (%s, static IPv6, past DAD)", ifc->link.name, ip6(&p->addr, a), p->plen,
		 g[0] ? " via " : "", g, ifc->s6.nroutes ? ifc->s6.routes[ifc->s6.nroutes - 1].metric : ifc->metric,
		 netpolicy_class_name(ifc->cls));
	iface_files_write(ifc);
	hostname_apply(ifc);
	check_ready();
}

/* Carrier on: the address (once) and, past DAD, the routes; carrier lost: the routes withdrawn, and
 * an address still in DAD removed, added again at carrier (addr6_drop_tentative). */
static void static6_carrier(struct iface *ifc)
{
	const struct ip6_static *p = &ifc->param.s6;

	if (ifc->param.v6 != IP6_STATIC || ifc->s6.failed)
		return;
	if (!iface_has_carrier(ifc)) {
		static6_routes_del(ifc);
		if (ifc->s6.added && !ifc->s6.ready) {
			addr6_drop_tentative(ifc, &ifc->s6.dad, &p->addr, p->plen, "(ip=)", "added");
			ifc->s6.added = false;
		}
		return;
	}
	if (ifc->s6.added) {
		static6_routes_add(ifc);
		return;
	}
	if (addr6_add(ifc, &p->addr, p->plen, RA_INFINITY, RA_INFINITY, "(ip=)")) {
		ifc->s6.failed = true;
		return;
	}
	ifc->s6.added = true;
	dad_wait_start(&ifc->s6.dad, ifc, static6_usable, static6_done);
}

static void carrier_changed(struct iface *ifc)
{
	static6_carrier(ifc);
	ra6_carrier(ifc);
	dhcp6_carrier(ifc);
	if (!iface_has_carrier(ifc)) {
		if (ifc->nroutes)
			log_info(STAGE, "%s: carrier lost: routes withdrawn", ifc->link.name);
		iface_routes_del(ifc);
		if (ifc->st == S_SELECTING || ifc->st == S_REQUESTING || ifc->st == S_REBOOTING) {
			loop_timer_cancel(loop, &ifc->retx);
			ifc->st = ifc->configured ? S_BOUND : S_WAIT_CARRIER;
		}
		return;
	}
	if (ifc->param.method == IP_NONE)
		return;  /* IPv6 alone (ip=...:dhcp6 / auto6): ra6_carrier and dhcp6_carrier did it */
	if (ifc->param.method == IP_STATIC) {
		ifc->st = S_STATIC;
		if (!ifc->configured)
			iface_configure(ifc);
		else if (!ifc->nroutes) {
			iface_routes_add(ifc);
			log_info(STAGE, "%s: carrier back: routes restored", ifc->link.name);
		}
		return;
	}
	if (!ifc->configured) {
		if (ifc->st == S_WAIT_CARRIER)
			dhcpc_start(ifc);
		return;
	}
	if (ifc->nroutes)
		return;
	iface_routes_add(ifc);
	log_info(STAGE, "%s: carrier back: routes restored, verifying the lease", ifc->link.name);
	dhcpc_verify(ifc);
}

/* --- the interface table ------------------------------------------------------------------------------------- */

static const char *iface_problem(const struct iface *ifc)
{
	static char why[128];
	bool word6 = ifc->param.v6 == IP6_DHCP || ifc->param.v6 == IP6_AUTO || ifc->param.v6 == IP6_STATIC ||
		     ifc->param.v6 == IP6_EITHER;

	why[0] = 0;
	if (ifc->param.method == IP_NONE)
		;
	else if (ifc->st == S_SELECTING && ifc->naks)
		snprintf(why, sizeof(why), "every request refused (%u DHCP NAKs)", ifc->naks);
	else if (ifc->st == S_SELECTING && ifc->discovers)
		snprintf(why, sizeof(why), "no DHCP offer (%u DISCOVER%s)", ifc->discovers, ifc->discovers == 1 ? "" : "s");
	else
		snprintf(why, sizeof(why), "%s", dhcpc_state_name(ifc->st));
	if (iface_v6_ready(ifc))
		return why;
	if (ifc->param.v6 == IP6_STATIC)
		snprintf(why + strlen(why), sizeof(why) - strlen(why), "%sthe static IPv6 address %s", why[0] ? ", " : "",
			 ifc->s6.failed ? "failed (a duplicate, or refused)" : ifc->s6.added ? "in DAD" : "waits for carrier");
	else if (ifc->v6.slaac == SLAAC_WAIT)
		snprintf(why + strlen(why), sizeof(why) - strlen(why), "%sthe SLAAC address in DAD", why[0] ? ", " : "");
	else if ((ifc->v6.routed && ifc->v6.managed) || ifc->param.v6 == IP6_DHCP)
		snprintf(why + strlen(why), sizeof(why) - strlen(why), "%sno DHCPv6 lease (%u Solicit%s)", why[0] ? ", " : "",
			 ifc->d6.solicits, ifc->d6.solicits == 1 ? "" : "s");
	else if (word6)
		snprintf(why + strlen(why), sizeof(why) - strlen(why), "%sno IPv6 router", why[0] ? ", " : "");
	return why;
}

static void iface_add(const struct rtnl_link *l, const struct ip_param *param)
{
	struct iface *ifc = NULL;
	char m[18];
	int ret;

	for (int i = 0; i < MAX_IFACES && !ifc; i++)
		if (!net.ifs[i].used)
			ifc = &net.ifs[i];
	if (!ifc) {
		log_warn(STAGE, "%s: more than %d interfaces: left alone", l->name, MAX_IFACES);
		return;
	}
	memset(ifc, 0, sizeof(*ifc));
	ifc->used = true;
	ifc->link = *l;
	ifc->param = *param;
	ifc->param.v6 = netconf_ip6(&net.conf, param);
	ifc->named = param->dev[0] != 0;
	static6_facts(&ifc->param.s6, &ifc->s6);
	ifc->pfd = -1;
	ifc->st = S_WAIT_CARRIER;
	ocotp_apply(ifc);
	classify(ifc);
	ra6_link(ifc);
	log_info(STAGE, "%s: %s, %s%s%s, metric %u, MAC %s", l->name, netpolicy_class_name(ifc->cls),
		 param->method == IP_STATIC ? "static" : param->method == IP_NONE ? "no IPv4" : "dhcp",
		 ifc->param.v6 == IP6_OFF ? "" : ", IPv6 ", ifc->param.v6 == IP6_OFF ? "" : ipparam_ip6_name(ifc->param.v6),
		 ifc->metric, mac_str(ifc->link.mac, m));
	if (param->method == IP_DHCP) {
		ret = ifc->pfd = dhcpsock_open(l->index);
		if (ret >= 0 && (ret = loop_watch(loop, ifc->pfd, EPOLLIN, dhcpc_readable, ifc)) < 0)
			close(ifc->pfd);
		if (ret < 0) {
			log_err(STAGE, "%s: DHCP socket: %s", l->name, strerror(-ret));
			ifc->used = false;
			return;
		}
	}
	if (!(ifc->link.flags & IFF_UP) && (ret = rtnl_link_set_up(&net.rq, l->index, true)))
		log_err(STAGE, "%s: setting the link up: %s", l->name, strerror(-ret));
	else
		ifc->link.flags |= IFF_UP;
	carrier_changed(ifc);
}

static void iface_remove(struct iface *ifc)
{
	log_info(STAGE, "%s: link removed", ifc->link.name);
	loop_timer_cancel(loop, &ifc->retx);
	loop_timer_cancel(loop, &ifc->lease_t);
	ra6_remove(ifc);
	dhcp6_remove(ifc);
	dad_wait_cancel(&ifc->s6.dad);
	if (ifc->pfd >= 0) {
		(void)loop_unwatch(loop, ifc->pfd);
		close(ifc->pfd);
	}
	ifc->nroutes = 0;      /* the kernel took them with the link */
	ifc->configured = false;
	iface_files_write(ifc);
	ifc->used = false;
}

/* A link from the dump or an event: new links that the policy wants are added; known links
 * follow their carrier. */
static int link_seen(const struct rtnl_link *l, void *arg)
{
	struct iface *ifc = iface_by_index(l->index);
	struct ip_param param;
	bool had;

	if (!ifc) {
		if (link_wanted(l, &param))
			iface_add(l, &param);
		return 0;
	}
	had = iface_has_carrier(ifc);
	ifc->link.flags = l->flags;
	ifc->link.mtu = l->mtu;
	if (had != iface_has_carrier(ifc))
		carrier_changed(ifc);
	return 0;
}

static int link_event(const struct nlmsghdr *n, void *arg)
{
	struct rtnl_link l;
	struct iface *ifc;

	if (rtnl_link_parse(n, &l))
		return 0;
	if (n->nlmsg_type == RTM_DELLINK) {
		if ((ifc = iface_by_index(l.index)))
			iface_remove(ifc);
		return 0;
	}
	return link_seen(&l, NULL);
}

/* Links are collected first and handled after the dump: handling one sends requests on the
 * same socket, which must not happen while the kernel is still dumping into it. */
struct links { struct rtnl_link l[64]; int n; };

static int link_collect(const struct rtnl_link *l, void *arg)
{
	struct links *ls = arg;

	if (ls->n < 64)
		ls->l[ls->n++] = *l;
	return 0;
}

static int links_read(void)
{
	static struct links ls;
	int ret;

	ls.n = 0;
	if ((ret = rtnl_link_dump(&net.rq, link_collect, &ls)))
		return ret;
	for (int i = 0; i < ls.n; i++)
		(void)link_seen(&ls.l[i], NULL);
	return 0;
}

static void events_readable(void *arg, uint32_t events)
{
	int ret;

	while ((ret = nl_recv_events(&net.ev, link_event, NULL)) != -EAGAIN) {
		/* The kernel dropped events (the socket overflowed): read the whole state again. */
		if (ret == -ENOBUFS && (ret = links_read()))
			log_warn(STAGE, "re-reading links after lost events: %s", strerror(-ret));
		else if (ret < 0 && ret != -ENOBUFS) {
			log_warn(STAGE, "reading link events: %s", strerror(-ret));
			break;
		}
	}
}

/* --- readiness, the job, `ferry net`, `ferry plan` ------------------------------------------------------------ */

/* Ready: every device an ip= names is configured, and with a device-less ip= at least one link. */
static bool all_ready(void)
{
	bool any = false;

	for (int p = 0; p < net.conf.nparams; p++) {
		const struct iface *ifc = NULL;
		if (net.conf.params[p].method == IP_OFF)
			continue;
		for (int i = 0; i < MAX_IFACES && !ifc; i++)
			if (net.ifs[i].used && !strcmp(net.ifs[i].link.name, net.conf.params[p].dev))
				ifc = &net.ifs[i];
		if (!ifc || !iface_ready(ifc))
			return false;
	}
	for (int i = 0; i < MAX_IFACES; i++)
		any |= net.ifs[i].used && !net.ifs[i].named && iface_ready(&net.ifs[i]);
	return (!net.conf.wildcard && !net.conf.wildcard6) || any;
}

unsigned long net_timeout_s(void)
{
	return net.conf.timeout_s;
}

void net_check_ready(void)
{
	check_ready();
}

static void check_ready(void)
{
	if (net.ready || net.failed || !all_ready())
		return;
	net.ready = true;
	loop_timer_cancel(loop, &net.bound);
	log_info(STAGE, "configured");
	if (net.job)
		job_done(net.job);
	net.job = NULL;
}

/* The bound passed: say, for each interface that is not there yet, what it is waiting for. */
static void bound_fire(void *arg, uint32_t events)
{
	char msg[400];
	size_t n = 0;

	if (net.ready)
		return;
	for (int p = 0; p < net.conf.nparams; p++) {
		bool found = false;
		for (int i = 0; i < MAX_IFACES; i++)
			found |= net.ifs[i].used && !strcmp(net.ifs[i].link.name, net.conf.params[p].dev);
		if (!found && net.conf.params[p].method != IP_OFF && n < sizeof(msg))
			n += snprintf(msg + n, sizeof(msg) - n, "%s%s: no such link", n ? "; " : "", net.conf.params[p].dev);
	}
	for (int i = 0; i < MAX_IFACES; i++)
		if (net.ifs[i].used && !iface_ready(&net.ifs[i]) && n < sizeof(msg))
			n += snprintf(msg + n, sizeof(msg) - n, "%s%s: %s", n ? "; " : "", net.ifs[i].link.name,
				      iface_problem(&net.ifs[i]));
	if (!n)
		snprintf(msg, sizeof(msg), "no link to configure");
	net.failed = true;
	if (net.job)
		job_fail(net.job, -ETIMEDOUT, "not configured after %lu s (ferry.net.timeout): %s", net.conf.timeout_s, msg);
	else
		log_err(STAGE, "not configured after %lu s (ferry.net.timeout): %s", net.conf.timeout_s, msg);
	net.job = NULL;
}

/* Sockets, the link dump, and the bound. The event socket is opened before the dump so that no
 * change between the two is lost. */
static int net_begin(void)
{
	int ret;

	if ((ret = nl_open(&net.rq, NETLINK_ROUTE, 0)) || (ret = nl_open(&net.ev, NETLINK_ROUTE, RTMGRP_LINK))) {
		log_err(STAGE, "rtnetlink socket: %s", strerror(-ret));
		return ret;
	}
	if (netconf_any_ip6(&net.conf))
		(void)ra6_begin();  /* without it, IPv4 alone (the reason is logged) */
	if ((ret = loop_watch(loop, net.ev.fd, EPOLLIN, events_readable, NULL)) ||
	    (ret = links_read())) {
		log_err(STAGE, "reading links: %s", strerror(-ret));
		return ret;
	}
	if (net.conf.mode == NET_REQUIRED && !net.ready)
		(void)loop_timer_arm(loop, &net.bound, net.conf.timeout_s * 1000, bound_fire, NULL);
	check_ready();
	return 0;
}

/* PID 1: the plan's net configuration (checked in early; `ferry net` parses its own). */
static int net_enabled(void)
{
	net.conf = plan->net;
	if (!net.rundir[0])
		strcpy(net.rundir, RUN_DIR);
	return net.conf.mode != NET_OFF;
}

static int net_start(struct job *j)
{
	int ret;

	for (int i = 0; i < net.conf.nerrs; i++)
		log_err(STAGE, "%s", net.conf.errs[i]);
	if (net.conf.nerrs && net.conf.mode == NET_REQUIRED)
		return job_fail(j, -EINVAL, "%d configuration error%s", net.conf.nerrs, net.conf.nerrs == 1 ? "" : "s");
	if ((ret = net_begin()))
		return net.conf.mode == NET_REQUIRED ? job_fail(j, ret, "cannot start") : 0;
	if (net.conf.mode != NET_REQUIRED || net.ready)
		return 0;  /* optional: the interfaces keep coming up on the loop */
	net.job = j;
	return JOB_PENDING;
}

struct job job_net = {
	.name = "net",
	.after = { "early", "linktest" },  /* no DHCP on a port while the test has it in a namespace */
	.start = net_start,
	.enabled = net_enabled,
};

static volatile int net_stop;

static void net_signal(void *arg, uint32_t signo)
{
	net_stop = 1;
}

static int net_usage(void)
{
	fprintf(stderr, "usage: ferry net [--cmdline STRING] [--config FILE] [--run-dir DIR] [--stay]\n"
		"  configure the network as the boot would, then exit 0 (non-zero on ferry.net.timeout);\n"
		"  --stay keeps renewing leases and following carrier until SIGTERM\n");
	return 2;
}

/* `ferry net`: the stage as an ordinary process (how it is tested on a workstation). Every
 * mode but off is treated as required: the exit status is the answer. */
int net_main(int argc, char **argv)
{
	static struct loop the_loop;
	static struct ferry_config the_cfg;
	const char *cmdline = NULL, *file = "/etc/ferry.conf";
	bool stay = false;
	sigset_t set;
	int ret;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--cmdline") && i + 1 < argc)
			cmdline = argv[++i];
		else if (!strcmp(argv[i], "--config") && i + 1 < argc)
			file = argv[++i];
		else if (!strcmp(argv[i], "--run-dir") && i + 1 < argc)
			snprintf(net.rundir, sizeof(net.rundir), "%s", argv[++i]);
		else if (!strcmp(argv[i], "--stay"))
			stay = true;
		else
			return net_usage();
	}
	loop = &the_loop;
	cfg = &the_cfg;
	log_open(NULL, STDERR_FILENO);
	if ((ret = loop_init(loop)) || (ret = config_load(cfg, file, cmdline))) {
		log_err(STAGE, "cannot start: %s", strerror(-ret));
		return 1;
	}
	log_set_debug(cfg_has(cfg, "ferry.debug"));
	net_configure(cfg);
	for (size_t i = 0; i < cfg->nerrors; i++)
		log_err(STAGE, "%s", cfg->errors[i]);
	for (int i = 0; i < net.conf.nerrs; i++)
		log_err(STAGE, "%s", net.conf.errs[i]);
	if (net.conf.nerrs || cfg->nerrors)
		return 2;
	if (net.conf.mode == NET_OFF) {
		log_info(STAGE, "ferry.net=off (or no ip=): nothing to do");
		return 0;
	}
	net.conf.mode = NET_REQUIRED;
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	(void)loop_signals(loop, &set, net_signal, NULL);
	if (net_begin())
		return 1;
	while (!net_stop && !net.failed && (stay || !net.ready))
		if (loop_once(loop, -1) < 0)
			break;
	return net.ready ? 0 : 1;
}

static const char *ip6_plan_name(enum ip6_method m)
{
	switch (m) {
	case IP6_RA: return "ra (ferry.net.ipv6=auto: DHCPv6 on the M or O flag)";
	case IP6_AUTO: return "auto6 (router advertisements and SLAAC alone, no DHCPv6)";
	case IP6_DHCP: return "dhcp6 (DHCPv6 from carrier on, beside router advertisements)";
	case IP6_EITHER: return "either6 (router advertisements and SLAAC; DHCPv6 when no router, no autonomous "
		"prefix or no SLAAC address past DAD)";
	default: return "off (the kernel's own)";
	}
}

static void plan_static6(const struct ip_param *p, FILE *out)
{
	struct static6_state st;
	char a[INET6_ADDRSTRLEN];
	bool gw = !IN6_IS_ADDR_UNSPECIFIED(&p->s6.gw);

	static6_facts(&p->s6, &st);
	fprintf(out, ", ipv6 static %s/%d", ip6(&p->s6.addr, a), p->s6.plen);
	if (gw)
		fprintf(out, " via %s", ip6(&p->s6.gw, a));
	for (int i = 0; i < st.ndns; i++)
		fprintf(out, "%s%s", i ? " " : ", name servers ", ip6(&st.dns[i], a));
	fprintf(out, " (router advertisements off, DAD waited for");
	if (p->s6.plen < 128)  /* a /128 has no prefix to route */
		fprintf(out, "; the prefix route %s/%d%s at the link's metric", ip6(&st.prefix, a), p->s6.plen,
			gw ? " and the default route" : "");
	else if (gw)
		fprintf(out, "; the default route at the link's metric");
	fprintf(out, ")\n");
}

void net_plan(const struct netconf *nc, FILE *out)
{
	static const char *const modes[] = { "off", "optional", "required" };
	char a[INET_ADDRSTRLEN], g[INET_ADDRSTRLEN];

	net.conf = *nc;
	if (!net.rundir[0])
		strcpy(net.rundir, RUN_DIR);
	fprintf(out, "net: %s", modes[net.conf.mode]);
	if (net.conf.mode == NET_REQUIRED)
		fprintf(out, " (the handoff waits up to %lu s)", net.conf.timeout_s);
	fprintf(out, "\n");
	if (net.conf.mode == NET_OFF)
		return;
	for (int i = 0; i < net.conf.nparams; i++) {
		const struct ip_param *p = &net.conf.params[i];
		if (p->method == IP_STATIC)
			fprintf(out, "net: %s: static %s/%d%s%s", p->dev, ip4(p->client, a), p->prefixlen,
				p->gw.s_addr ? " via " : "", p->gw.s_addr ? ip4(p->gw, g) : "");
		else
			fprintf(out, "net: %s: %s", p->dev, p->method == IP_DHCP ? "dhcp" : p->method == IP_NONE ?
				"no IPv4" : "left alone (ip=...:off)");
		if (p->method != IP_OFF && p->v6 == IP6_STATIC)
			plan_static6(p, out);
		else if (p->method != IP_OFF)
			fprintf(out, ", ipv6 %s\n", ip6_plan_name(netconf_ip6(&net.conf, p)));
		else
			fprintf(out, "\n");
	}
	if (net.conf.wildcard || net.conf.wildcard6) {
		struct ip_param w = { .v6 = net.conf.wildcard6 };
		fprintf(out, "net: every %sethernet-like link: %s, ipv6 %s (%s when one is configured)\n",
			net.conf.nparams ? "other " : "", net.conf.wildcard ? "dhcp" : "no IPv4",
			ip6_plan_name(netconf_ip6(&net.conf, &w)), net.conf.mode == NET_REQUIRED ? "the handoff goes on" : "ready");
	}
	fprintf(out, "net: metrics: ethernet %u, wifi %u, wwan %u, ppp %u, other %u",
		netpolicy_metric(&net.conf.pol, NULL, NULL, LC_ETHERNET), netpolicy_metric(&net.conf.pol, NULL, NULL, LC_WIFI),
		netpolicy_metric(&net.conf.pol, NULL, NULL, LC_WWAN), netpolicy_metric(&net.conf.pol, NULL, NULL, LC_PPP),
		netpolicy_metric(&net.conf.pol, NULL, NULL, LC_OTHER));
	fprintf(out, "%s\n", net.conf.pol.nmetric + net.conf.pol.nlinkclass ? " (+ overrides by name or MAC)" : "");
	fprintf(out, "net: ipv6: %s%s\n", net.conf.ipv6 ? "router advertisements (SLAAC addresses by ferry, the prefix and "
		"default routes at the link's metric, RDNSS; DHCPv6 on the M flag), ferry.net.ipv6=auto" : "left to the kernel, ferry.net.ipv6=off",
		" (an ip= word dhcp6 or auto6, or a static [v6], decides for its links)");
	for (int i = 0; i < net.conf.nocotp; i++)
		fprintf(out, "net: %s: MAC%d from %s at offset 0x%zx\n", net.conf.ocotp[i].iface, net.conf.ocotp[i].which,
			net.conf.ocotp[i].path, net.conf.ocotp[i].offset);
	fprintf(out, "net: leases and resolv.conf in %s\n", net.rundir);
}
