/* ip= as the kernel parses it in net/ipv4/ipconfig.c (ip_auto_config_setup): colon-separated
 * fields, any of them empty; an autoconf field that is empty means "any" unless the client
 * address is given, in which case the kernel skips autoconfiguration (static). */
#include <arpa/inet.h>
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include "ipparam.h"

enum { F_CLIENT, F_SERVER, F_GW, F_MASK, F_HOST, F_DEV, F_AUTO, F_DNS0, F_DNS1, F_NTP, F_COUNT };

int ipparam_mask_to_prefix(struct in_addr mask)
{
	uint32_t m = ntohl(mask.s_addr);
	int n = 0;

	while (m & 0x80000000u) {
		m <<= 1;
		n++;
	}
	return m ? -1 : n;
}

/* The classful default the kernel falls back on (ic_defaults). */
static int class_prefix(struct in_addr a)
{
	uint32_t h = ntohl(a.s_addr);

	if (IN_CLASSA(h))
		return 8;
	if (IN_CLASSB(h))
		return 16;
	return 24;
}

/* dracut's IPv6 words set the IPv6 method and, alone, leave IPv4 off the link (IP_NONE). */
static int parse_method6(const char *s, enum ip_method *m, enum ip6_method *v6)
{
	if (!strcmp(s, "dhcp6"))
		*v6 = IP6_DHCP;
	else if (!strcmp(s, "auto6"))
		*v6 = IP6_AUTO;
	else if (!strcmp(s, "either6"))
		*v6 = IP6_EITHER;
	else
		return -EINVAL;
	*m = IP_NONE;
	return 0;
}

static int parse_method(const char *s, enum ip_method *m)
{
	static const char *const dhcp[] = { "on", "any", "dhcp", "bootp", "both" };

	if (!strcmp(s, "off") || !strcmp(s, "none")) {
		*m = IP_OFF;
		return 0;
	}
	for (size_t i = 0; i < sizeof(dhcp) / sizeof(dhcp[0]); i++)
		if (!strcmp(s, dhcp[i])) {
			*m = IP_DHCP;
			return 0;
		}
	return -EINVAL;
}

static int parse_addr(const char *s, struct in_addr *a)
{
	return !*s ? 0 : inet_pton(AF_INET, s, a) == 1 ? 0 : -EINVAL;
}

/* Split s into at most F_COUNT fields in buf; returns the field count or -EINVAL. A field that
 * begins with '[' runs to its ']' whatever colons it holds (dracut's IPv6 addresses). */
static int split(const char *s, char buf[F_COUNT][64])
{
	int n = 0;
	const char *p = s;

	memset(buf, 0, F_COUNT * 64);
	for (;;) {
		const char *close = *p == '[' ? strchr(p, ']') : NULL;
		const char *c = strchr(close ? close : p, ':');
		size_t len = c ? (size_t)(c - p) : strlen(p);
		if (n == F_COUNT || len >= 64)
			return -EINVAL;
		memcpy(buf[n++], p, len);
		if (!c)
			return n;
		p = c + 1;
	}
}

/* "[2001:db8::1]": 0, else -EINVAL. */
static int parse_addr6(const char *s, struct in6_addr *a)
{
	char buf[INET6_ADDRSTRLEN];
	size_t n = strlen(s);

	if (n < 3 || s[0] != '[' || s[n - 1] != ']' || n - 2 >= sizeof(buf))
		return -EINVAL;
	memcpy(buf, s + 1, n - 2);
	buf[n - 2] = 0;
	return inet_pton(AF_INET6, buf, a) == 1 ? 0 : -EINVAL;
}

static bool in_prefix(const struct in6_addr *a, const struct in6_addr *b, int plen)
{
	int full = plen / 8, rest = plen % 8;

	return !memcmp(a, b, full) && (!rest || !((a->s6_addr[full] ^ b->s6_addr[full]) & (0xff00 >> rest)));
}

/* The bracketed fields (client, peer, gateway, the two name servers): parsed into o->s6 and emptied,
 * so the IPv4 pass below sees only its own; with an IPv6 client, the netmask field is its prefix
 * length (1 to 128, 64 when empty) and the link's IPv6 is static. */
static int fields6(char f[F_COUNT][64], struct ip_param *o, const char **why)
{
	struct in6_addr peer;
	struct in6_addr *dst[F_COUNT] = { [F_CLIENT] = &o->s6.addr, [F_SERVER] = &peer, [F_GW] = &o->s6.gw,
					  [F_DNS0] = &o->s6.dns[0], [F_DNS1] = &o->s6.dns[1] };
	bool v6[F_COUNT] = { 0 };
	char *end;
	long plen = 64;

	for (int i = 0; i < F_COUNT; i++) {
		if (f[i][0] != '[')
			continue;
		if (!dst[i] || parse_addr6(f[i], dst[i])) {
			*why = !dst[i] ? "an IPv6 address where none belongs" : "bad IPv6 address";
			return -EINVAL;
		}
		v6[i] = true;
		f[i][0] = 0;
	}
	if (!v6[F_CLIENT]) {
		if (v6[F_GW] || v6[F_DNS0] || v6[F_DNS1]) {
			*why = "an IPv6 gateway or name server needs an IPv6 client address";
			return -EINVAL;
		}
		return 0;
	}
	if (*f[F_GW] || (*f[F_DNS0] && !v6[F_DNS0]) || (*f[F_DNS1] && !v6[F_DNS1])) {
		*why = "an IPv4 gateway or name server beside an IPv6 client address";
		return -EINVAL;
	}
	if (*f[F_MASK] && ((plen = strtol(f[F_MASK], &end, 10)) < 1 || plen > 128 || *end || f[F_MASK][0] == '+' ||
			   f[F_MASK][0] == '-' || f[F_MASK][0] == ' ')) {
		*why = "bad IPv6 prefix length (1 to 128)";
		return -EINVAL;
	}
	if (IN6_IS_ADDR_UNSPECIFIED(&o->s6.addr) || IN6_IS_ADDR_MULTICAST(&o->s6.addr) || IN6_IS_ADDR_V4MAPPED(&o->s6.addr) ||
	    IN6_IS_ADDR_LOOPBACK(&o->s6.addr)) {
		*why = "not a unicast IPv6 address";
		return -EINVAL;
	}
	/* no onlink routes for IPv6 here: the gateway is link-local or inside the prefix */
	if (v6[F_GW] && !IN6_IS_ADDR_LINKLOCAL(&o->s6.gw) && !in_prefix(&o->s6.gw, &o->s6.addr, (int)plen)) {
		*why = "the IPv6 gateway is neither link-local nor inside the prefix";
		return -EINVAL;
	}
	if (!strcmp(f[F_AUTO], "dhcp6") || !strcmp(f[F_AUTO], "auto6")) {
		*why = "a static IPv6 address with dhcp6 or auto6";
		return -EINVAL;
	}
	o->s6.plen = (int)plen;
	o->v6 = IP6_STATIC;
	f[F_MASK][0] = 0;
	return 0;
}

static int fields_to_param(char f[F_COUNT][64], struct ip_param *o, const char **why)
{
	static const int addr_fields[] = { F_CLIENT, F_SERVER, F_GW, F_MASK, F_DNS0, F_DNS1, F_NTP };
	struct in_addr *addrs[] = { &o->client, &o->server, &o->gw, &o->mask, &o->dns[0], &o->dns[1], &o->ntp };

	for (size_t i = 0; i < sizeof(addr_fields) / sizeof(addr_fields[0]); i++)
		if (parse_addr(f[addr_fields[i]], addrs[i])) {
			*why = i == 3 ? "bad netmask" : "bad address";
			return -EINVAL;
		}
	if (strlen(f[F_DEV]) >= sizeof(o->dev) || strchr(f[F_DEV], '/')) {
		*why = "bad device name";
		return -EINVAL;
	}
	strcpy(o->dev, f[F_DEV]);
	strcpy(o->hostname, f[F_HOST]);
	if (!*f[F_AUTO])
		o->method = o->client.s_addr ? IP_STATIC : IP_DHCP;
	else if (!strcmp(f[F_AUTO], "rarp")) {
		*why = "rarp is not supported";
		return -EINVAL;
	} else if (!strcmp(f[F_AUTO], "either6")) {
		*why = "either6 only as ip=either6 (dracut lists it without a device)";
		return -EINVAL;
	} else if (!parse_method6(f[F_AUTO], &o->method, &o->v6)) {
		if (o->client.s_addr)
			o->method = IP_STATIC;  /* a static IPv4 address beside IPv6 on the same link */
	} else if (parse_method(f[F_AUTO], &o->method)) {
		*why = "unknown autoconf method";
		return -EINVAL;
	} else if (o->method == IP_OFF && o->client.s_addr)
		o->method = IP_STATIC;
	return 0;
}

static int finish(struct ip_param *o, const char **why)
{
	if (o->method != IP_STATIC)
		return 0;
	if (!o->client.s_addr) {
		*why = "static configuration needs a client address";
		return -EINVAL;
	}
	o->prefixlen = o->mask.s_addr ? ipparam_mask_to_prefix(o->mask) : class_prefix(o->client);
	if (o->prefixlen < 0) {
		*why = "netmask is not contiguous";
		return -EINVAL;
	}
	if (!o->mask.s_addr)
		o->mask.s_addr = htonl(o->prefixlen ? ~0u << (32 - o->prefixlen) : 0);
	return 0;
}

int ipparam_parse(const char *s, struct ip_param *o, const char **why)
{
	char f[F_COUNT][64];
	int n;

	memset(o, 0, sizeof(*o));
	*why = "syntax";
	if (!strchr(s, ':'))
		return parse_method(s, &o->method) && parse_method6(s, &o->method, &o->v6) ?
			(*why = "unknown method", -EINVAL) : 0;
	n = split(s, f);
	if (n < 0) {
		*why = "too many fields or a field too long";
		return -EINVAL;
	}
	/* dracut's "ip=eth0:dhcp" and "ip=eth0:dhcp6": two fields, the first is not an address. */
	if (n == 2 && *f[0] && f[0][0] != '[' && inet_pton(AF_INET, f[0], &o->client) != 1) {
		o->client.s_addr = 0;
		if (parse_method(f[1], &o->method) && parse_method6(f[1], &o->method, &o->v6)) {
			*why = "unknown method";
			return -EINVAL;
		}
		if (o->v6 == IP6_EITHER) {
			*why = "either6 only as ip=either6 (dracut lists it without a device)";
			return -EINVAL;
		}
		if (strlen(f[0]) >= sizeof(o->dev)) {
			*why = "bad device name";
			return -EINVAL;
		}
		strcpy(o->dev, f[0]);
		return 0;
	}
	if (fields6(f, o, why) || fields_to_param(f, o, why))
		return -EINVAL;
	/* a static IPv6 address alone (autoconf empty, none or off): no IPv4 on the link; with dhcp,
	 * IPv4 from DHCP beside it */
	if (o->v6 == IP6_STATIC && (o->method == IP_OFF || (o->method == IP_DHCP && !*f[F_AUTO])))
		o->method = IP_NONE;
	return finish(o, why);
}

const char *ipparam_ip6_name(enum ip6_method m)
{
	static const char *const names[] = { "default", "off", "ra", "auto6", "dhcp6", "static", "either6" };

	return (unsigned)m < sizeof(names) / sizeof(names[0]) ? names[m] : "?";
}
