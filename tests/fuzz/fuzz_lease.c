/* The lease file and resolv.conf writers, with the property the target relies on: `. IFACE.lease`
 * in sh runs nothing and sets exactly the documented keys, each on its own line; resolv.conf has
 * one directive per line and nothing but a comment, name servers and one search list.
 *
 * Input: a flags byte, then NUL-separated iface, ip= hostname, domain, class and run directory,
 * then bytes. With flag 1 those bytes are a DHCP reply (checked by lib/net/dhcp.c, its xid and
 * MAC taken from itself) whose lease is written as init/net.c writes it; else they fill the
 * addresses, routes and numbers directly; flag 8 adds the IPv6 fields (router, prefix, RDNSS) from the
 * first bytes (no router when those are zero and a DHCPv6 address is given; METHOD=none from a bit). Any violation aborts. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include "../../lib/net/lease.h"

static const char *const keys[] = { "IFACE", "MAC", "METHOD", "CLASS", "METRIC", "ADDRESS", "PREFIXLEN", "NETMASK",
				    "BROADCAST", "ROUTER", "ROUTES", "DNS", "DOMAIN", "HOSTNAME", "SERVER", "MTU",
				    "LEASE", "T1", "T2", "ACQUIRED_MS" };
static const char *const keys6[] = { "ROUTER6", "PREFIX6", "ADDRESS6", "DNS6" };

static bool name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || (c && strchr("._-:/+,@", c));
}

/* What sh makes of a word that may hold only name characters, '...' and \' ; aborts on anything
 * else (a $, a backtick, a space, an unterminated quote...). */
static void sh_word(const char *w, const char *end, char *val, size_t cap)
{
	size_t n = 0;

	while (w < end) {
		if (*w == '\'') {
			const char *q = memchr(w + 1, '\'', end - w - 1);
			if (!q)
				abort();
			for (w++; w < q; w++)
				if (n + 1 < cap)
					val[n++] = *w;
			w++;
		} else if (*w == '\\') {
			if (w + 1 >= end || w[1] != '\'')
				abort();
			if (n + 1 < cap)
				val[n++] = '\'';
			w += 2;
		} else if (name_char(*w)) {
			if (n + 1 < cap)
				val[n++] = *w;
			w++;
		} else {
			abort();
		}
	}
	val[n] = 0;
}

static void clean(const char *s, char *out, size_t cap)
{
	size_t n = 0;

	for (; s && *s && n + 1 < cap; s++)
		if ((unsigned char)*s >= 0x20 && *s != 0x7f)
			out[n++] = *s;
	out[n] = 0;
}

static void expect_value(const char *got, const char *raw)
{
	static char want[8192];

	clean(raw, want, sizeof(want));
	if (strcmp(got, want))
		abort();
}

static void check_lease(const char *t, const struct lease_info *l)
{
	static char val[8192];
	size_t base = l->dhcp ? 20 : 14, nkeys = base + (l->router6 || l->addr6 ? 4 : 0), k = 0;
	const char *nl = strchr(t, '\n');

	if (!nl || strncmp(t, "# ferry lease v1\n", 17))
		abort();
	for (t = nl + 1; *t; t = nl + 1, k++) {
		const char *eq;
		if (!(nl = strchr(t, '\n')) || k >= nkeys)
			abort();
		eq = memchr(t, '=', nl - t);
		const char *key = k < base ? keys[k] : keys6[k - base];
		if (!eq || (size_t)(eq - t) != strlen(key) || memcmp(t, key, eq - t))
			abort();
		sh_word(eq + 1, nl, val, sizeof(val));
		if (k == 0)
			expect_value(val, l->iface);
		else if (k == 2 && strcmp(val, l->none4 ? "none" : l->dhcp ? "dhcp" : "static"))
			abort();
		else if (k == 12)
			expect_value(val, l->domain);
		else if (k == 13)
			expect_value(val, l->hostname);
	}
	if (k != nkeys)
		abort();
}

static void check_resolv(const char *t, const char *from)
{
	static char head[8192];
	const char *nl = strchr(t, '\n');
	int ns = 0, search = 0;

	clean(from, head, sizeof(head));
	if (!nl || strncmp(t, "# written by ferry from ", 24) || (size_t)(nl - t) != 24 + strlen(head) + 8 ||
	    memcmp(t + 24, head, strlen(head)) || memcmp(nl - 8, "/*.lease", 8))
		abort();
	for (t = nl + 1; *t; t = nl + 1) {
		char a[512], *pct;  /* a link-local server with its %IFACE, whose length is not bounded here */
		struct in6_addr x;
		if (!(nl = strchr(t, '\n')))
			abort();
		if (!strncmp(t, "nameserver ", 11) && !search && nl - t - 11 < (long)sizeof(a)) {
			memcpy(a, t + 11, nl - t - 11);
			a[nl - t - 11] = 0;
			/* IPv4, or IPv6 with a link-local's %IFACE of name characters only */
			if ((pct = strchr(a, '%'))) {
				*pct++ = 0;
				for (const char *c = pct; *c; c++)
					if (!name_char(*c) || *c == ':' || *c == '/')
						abort();
				if (!*pct || inet_pton(AF_INET6, a, &x) != 1 || x.s6_addr[0] != 0xfe)
					abort();
			} else if (inet_pton(AF_INET, a, &x) != 1 && inet_pton(AF_INET6, a, &x) != 1)
				abort();
			if (++ns > RESOLV_MAX_NS)
				abort();
		} else if (!strncmp(t, "search ", 7) && !search++) {
			for (const char *c = t + 7; c < nl; c++)
				if (!name_char(*c) && *c != ' ')
					abort();
		} else {
			abort();
		}
	}
}

static const uint8_t *take(const uint8_t **p, const uint8_t *end, size_t n)
{
	static const uint8_t zero[64];
	const uint8_t *r = *p;

	if ((size_t)(end - *p) < n)
		return zero;
	*p += n;
	return r;
}

static void from_bytes(struct lease_info *l, struct dhcp_lease *d, const uint8_t *p, const uint8_t *end)
{
	memcpy(l->mac, take(&p, end, 6), 6);
	memcpy(&l->addr, take(&p, end, 4), 4);
	memcpy(&l->mask, take(&p, end, 4), 4);
	memcpy(&l->bcast, take(&p, end, 4), 4);
	memcpy(&l->server, take(&p, end, 4), 4);
	l->plen = *take(&p, end, 1);
	l->metric = *take(&p, end, 1) * 97u;
	l->nroutes = *take(&p, end, 1) % (DHCP_MAX_ROUTES + 1);
	l->ndns = *take(&p, end, 1) % (DHCP_MAX_DNS + 1);
	for (int i = 0; i < DHCP_MAX_ROUTES; i++) {
		memcpy(&d->routes[i].dst, take(&p, end, 4), 4);
		memcpy(&d->routes[i].gw, take(&p, end, 4), 4);
		d->routes[i].plen = *take(&p, end, 1) % 33;
	}
	for (int i = 0; i < DHCP_MAX_DNS; i++)
		memcpy(&d->dns[i], take(&p, end, 4), 4);
	memcpy(&l->lease, take(&p, end, 4), 4);
	l->t1 = l->lease / 2;
	l->t2 = l->lease / 8 * 7;
	l->mtu = *take(&p, end, 1) * 9u;
	l->routes = d->routes;
	l->dns = d->dns;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char buf[8192], copy[8192];
	static struct dhcp_lease d;
	struct lease_info l = { 0 }, st = { 0 };
	const struct lease_info *both[2] = { &l, &st };
	struct in_addr sdns[2] = { { htonl(0x0a000035) }, { 0 } };
	const char *f[5] = { "", "", "", "", "" };
	const uint8_t *p, *end = data + size;
	size_t n, i = 0, used = 0;
	uint8_t flags;

	if (!size || size >= sizeof(copy))
		return 0;
	flags = data[0];
	memcpy(copy, data + 1, size - 1);
	copy[size - 1] = 0;
	for (char *c = copy; i < 5 && c < copy + size - 1; c += strlen(c) + 1, used = c - copy)
		f[i++] = c;
	p = data + 1 + (used < size - 1 ? used : size - 1);
	memset(&d, 0, sizeof(d));
	l = (struct lease_info){ .iface = f[0], .dhcp = !(flags & 2), .hostname = f[1], .domain = f[2], .cls = f[3] };
	if (flags & 1) {
		uint8_t mac[6] = { 0 };
		uint32_t xid = 0;
		if (end - p >= 34) {
			xid = (uint32_t)p[4] << 24 | (uint32_t)p[5] << 16 | (uint32_t)p[6] << 8 | p[7];
			memcpy(mac, p + 28, 6);
		}
		if (dhcp_parse(p, end - p, xid, mac, &d))
			return 0;
		l.dhcp = true;
		memcpy(l.mac, mac, 6);
		l.addr = d.addr, l.mask = d.mask, l.bcast = d.bcast, l.plen = d.prefixlen, l.server = d.server_id;
		l.routes = d.routes, l.nroutes = d.nroutes, l.dns = d.dns, l.ndns = d.ndns;
		l.domain = d.domain;
		l.hostname = d.hostname[0] ? d.hostname : f[1];
		l.mtu = d.mtu, l.lease = d.lease, l.t1 = d.t1, l.t2 = d.t2;
	} else {
		from_bytes(&l, &d, p, end);
	}
	if (flags & 8) {
		static struct in6_addr v6[5];
		memset(v6, 0, sizeof(v6));
		memcpy(v6, data, size < sizeof(v6) ? size : sizeof(v6));
		static const struct in6_addr none;
		/* a router of zeros past the flags byte, with a DHCPv6 address: ip=IF:dhcp6 and no RA */
		l.router6 = memcmp(v6[0].s6_addr + 1, none.s6_addr + 1, 15) || !(flags & 128) ? &v6[0] : NULL;
		l.none4 = !l.dhcp && (v6[3].s6_addr[0] & 1);
		l.prefix6 = flags & 16 ? &v6[1] : NULL;
		l.addr6 = flags & 128 ? &v6[4] : NULL;
		l.plen6 = v6[1].s6_addr[0] % 129;
		l.dns6 = &v6[2];
		l.ndns6 = flags >> 5 & 3;
	}
	n = lease_text(&l, buf, sizeof(buf));
	if (n < sizeof(buf)) {
		if (strlen(buf) != n)
			abort();
		check_lease(buf, &l);
	}
	if (lease_text(&l, buf, 16) != n || strlen(buf) != (n < 16 ? n : 15))
		abort();
	st = (struct lease_info){ .iface = "eth1", .cls = "wifi", .dns = sdns, .ndns = 2, .hostname = f[1] };
	n = resolv_text(both, flags & 4 ? 1 : 2, f[4], buf, sizeof(buf));
	if (n < sizeof(buf)) {
		if (strlen(buf) != n)
			abort();
		check_resolv(buf, f[4]);
	}
	return 0;
}
