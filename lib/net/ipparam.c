/* ip= as the kernel parses it in net/ipv4/ipconfig.c (ip_auto_config_setup): colon-separated
 * fields, any of them empty; an autoconf field that is empty means "any" unless the client
 * address is given, in which case the kernel skips autoconfiguration (static). */
#include <arpa/inet.h>
#include <errno.h>
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

/* Split s into at most F_COUNT fields in buf; returns the field count or -EINVAL. */
static int split(const char *s, char buf[F_COUNT][64])
{
	int n = 0;
	const char *p = s;

	memset(buf, 0, F_COUNT * 64);
	for (;;) {
		const char *c = strchr(p, ':');
		size_t len = c ? (size_t)(c - p) : strlen(p);
		if (n == F_COUNT || len >= 64)
			return -EINVAL;
		memcpy(buf[n++], p, len);
		if (!c)
			return n;
		p = c + 1;
	}
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
	if (n == 2 && *f[0] && inet_pton(AF_INET, f[0], &o->client) != 1) {
		o->client.s_addr = 0;
		if (parse_method(f[1], &o->method) && parse_method6(f[1], &o->method, &o->v6)) {
			*why = "unknown method";
			return -EINVAL;
		}
		if (strlen(f[0]) >= sizeof(o->dev)) {
			*why = "bad device name";
			return -EINVAL;
		}
		strcpy(o->dev, f[0]);
		return 0;
	}
	if (fields_to_param(f, o, why))
		return -EINVAL;
	return finish(o, why);
}

const char *ipparam_ip6_name(enum ip6_method m)
{
	static const char *const names[] = { "default", "off", "ra", "auto6", "dhcp6" };

	return (unsigned)m < sizeof(names) / sizeof(names[0]) ? names[m] : "?";
}
