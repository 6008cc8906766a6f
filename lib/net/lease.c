/* IFACE.lease and resolv.conf as text (see lease.h). */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>
#include "lease.h"

struct out { char *buf; size_t cap, n; };

static void add(struct out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void add(struct out *o, const char *fmt, ...)
{
	va_list ap;
	int k;

	va_start(ap, fmt);
	k = vsnprintf(o->buf + (o->n < o->cap ? o->n : o->cap), o->n < o->cap ? o->cap - o->n : 0, fmt, ap);
	va_end(ap);
	if (k > 0)
		o->n += k;
}

static void addc(struct out *o, char c)
{
	if (o->n + 1 < o->cap) {
		o->buf[o->n] = c;
		o->buf[o->n + 1] = 0;
	}
	o->n++;
}

static bool name_char(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       (c && strchr("._-:/+,@", c));
}

static bool control_char(unsigned char c)
{
	return c < 0x20 || c == 0x7f;
}

/* A shell word whose value is s without its control characters: bare when s is only name
 * characters (and always is false), else in single quotes with each ' written as '\''. */
static void add_word(struct out *o, const char *s, bool always)
{
	const char *p;

	s = s ? s : "";
	for (p = s; *p && name_char(*p); p++)
		;
	if (!always && *s && !*p) {
		add(o, "%s", s);
		return;
	}
	addc(o, '\'');
	for (p = s; *p; p++)
		if (*p == '\'')
			add(o, "'\\''");
		else if (!control_char(*p))
			addc(o, *p);
	addc(o, '\'');
}

static const char *ip4(struct in_addr a, char *buf)
{
	return inet_ntop(AF_INET, &a, buf, INET_ADDRSTRLEN);
}

static void add_lists(struct out *o, const struct lease_info *l)
{
	char a[INET_ADDRSTRLEN], b[INET_ADDRSTRLEN];

	add(o, "ROUTER=%s\nROUTES='", l->nroutes > 0 && !l->routes[0].plen ? ip4(l->routes[0].gw, a) : "");
	for (int i = 0; i < l->nroutes; i++)
		add(o, "%s%s/%d,%s", i ? " " : "", ip4(l->routes[i].dst, a), l->routes[i].plen,
		    ip4(l->routes[i].gw, b));
	add(o, "'\nDNS='");
	for (int i = 0; i < l->ndns && l->dns[i].s_addr; i++)
		add(o, "%s%s", i ? " " : "", ip4(l->dns[i], a));
	add(o, "'\n");
}

static void add_v6(struct out *o, const struct lease_info *l)
{
	char a[INET6_ADDRSTRLEN];

	add(o, "ROUTER6=%s\nPREFIX6=", l->router6 ? inet_ntop(AF_INET6, l->router6, a, sizeof(a)) : "");
	if (l->prefix6)
		add(o, "%s/%d", inet_ntop(AF_INET6, l->prefix6, a, sizeof(a)), l->plen6);
	add(o, "\nADDRESS6=%s", l->addr6 ? inet_ntop(AF_INET6, l->addr6, a, sizeof(a)) : "");
	add(o, "\nDNS6='");
	for (int i = 0; i < l->ndns6; i++)
		add(o, "%s%s", i ? " " : "", inet_ntop(AF_INET6, &l->dns6[i], a, sizeof(a)));
	add(o, "'\n");
}

static bool iface_ok(const char *s)
{
	for (; s && *s; s++)
		if (!name_char(*s) || *s == ':' || *s == '/')
			return false;
	return s != NULL;
}

/* A v6 server; a link-local one needs its link (fe80::1%eth0), and is left out when the link's
 * name is not plain. */
static bool add_ns6(struct out *o, const struct lease_info *l, const struct in6_addr *d)
{
	char a[INET6_ADDRSTRLEN];
	bool ll = d->s6_addr[0] == 0xfe && (d->s6_addr[1] & 0xc0) == 0x80;

	if (ll && (!iface_ok(l->iface) || !*l->iface))
		return false;
	add(o, "nameserver %s%s%s\n", inet_ntop(AF_INET6, d, a, sizeof(a)), ll ? "%" : "", ll ? l->iface : "");
	return true;
}

size_t lease_text(const struct lease_info *l, char *buf, size_t cap)
{
	struct out o = { buf, cap, 0 };
	char a[INET_ADDRSTRLEN], b[INET_ADDRSTRLEN];
	const uint8_t *m = l->mac;

	if (cap)
		buf[0] = 0;
	add(&o, "# ferry lease v1\nIFACE=");
	add_word(&o, l->iface, false);
	add(&o, "\nMAC=%02x:%02x:%02x:%02x:%02x:%02x\nMETHOD=%s\nCLASS=", m[0], m[1], m[2], m[3], m[4], m[5],
	    l->none4 ? "none" : l->dhcp ? "dhcp" : "static");
	add_word(&o, l->cls, false);
	add(&o, "\nMETRIC=%u\nADDRESS=%s\nPREFIXLEN=%d\nNETMASK=%s\n", l->metric, ip4(l->addr, a), l->plen,
	    ip4(l->mask, b));
	add(&o, "BROADCAST=%s\n", ip4(l->bcast, a));
	add_lists(&o, l);
	add(&o, "DOMAIN=");
	add_word(&o, l->domain, true);
	add(&o, "\nHOSTNAME=");
	add_word(&o, l->hostname, true);
	add(&o, "\n");
	if (l->dhcp)
		add(&o, "SERVER=%s\nMTU=%u\nLEASE=%u\nT1=%u\nT2=%u\nACQUIRED_MS=%llu\n", ip4(l->server, a), l->mtu,
		    l->lease, l->t1, l->t2, (unsigned long long)l->acquired_ms);
	if (l->dhcp && l->next_server.s_addr)
		add(&o, "NEXT_SERVER=%s\n", ip4(l->next_server, a));
	if (l->bootfile && *l->bootfile) {
		add(&o, "BOOTFILE=");
		add_word(&o, l->bootfile, true);
		add(&o, "\n");
	}
	if (l->router6 || l->addr6)
		add_v6(&o, l);
	return o.n;
}

/* A search list resolv.conf reads back as it was meant: name characters and spaces only. */
static bool search_ok(const char *s)
{
	if (!s || !*s)
		return false;
	for (; *s; s++)
		if (!name_char(*s) && *s != ' ')
			return false;
	return true;
}

size_t resolv_text(const struct lease_info *const *links, int n, const char *from, char *buf, size_t cap)
{
	struct out o = { buf, cap, 0 };
	char a[INET_ADDRSTRLEN];
	int ns = 0;

	if (cap)
		buf[0] = 0;
	add(&o, "# written by ferry from ");
	for (const char *p = from ? from : ""; *p; p++)
		if (!control_char(*p))
			addc(&o, *p);
	add(&o, "/*.lease\n");
	for (int i = 0; i < n; i++)
		for (int d = 0; d < links[i]->ndns && ns < RESOLV_MAX_NS; d++) {
			if (!links[i]->dns[d].s_addr)
				continue;
			add(&o, "nameserver %s\n", ip4(links[i]->dns[d], a));
			ns++;
		}
	for (int i = 0; i < n; i++)
		for (int d = 0; d < links[i]->ndns6 && ns < RESOLV_MAX_NS; d++)
			ns += add_ns6(&o, links[i], &links[i]->dns6[d]);
	for (int i = 0; i < n; i++)
		if (links[i]->dhcp && links[i]->domain && links[i]->domain[0]) {
			if (search_ok(links[i]->domain))
				add(&o, "search %s\n", links[i]->domain);
			break;
		}
	return o.n;
}
