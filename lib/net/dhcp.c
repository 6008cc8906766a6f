/* DHCPv4 messages. Every length comes from the packet and is checked before use: a reply is
 * untrusted input from anyone on the link. */
#include <errno.h>
#include <string.h>
#include <arpa/inet.h>
#include "dhcp.h"
#include "ipparam.h"

enum {
	OFF_OP = 0, OFF_HTYPE = 1, OFF_HLEN = 2, OFF_XID = 4, OFF_SECS = 8, OFF_FLAGS = 10,
	OFF_CIADDR = 12, OFF_YIADDR = 16, OFF_SIADDR = 20, OFF_CHADDR = 28, OFF_SNAME = 44, OFF_FILE = 108,
	OFF_MAGIC = 236, OFF_OPTIONS = 240,
	BOOTREQUEST = 1, BOOTREPLY = 2, MIN_MSG = 300,  /* BOOTP's minimum; some relays drop less */
};
enum {
	OPT_PAD = 0, OPT_SUBNET = 1, OPT_ROUTER = 3, OPT_DNS = 6, OPT_HOSTNAME = 12, OPT_DOMAIN = 15,
	OPT_MTU = 26, OPT_BCAST = 28, OPT_REQIP = 50, OPT_LEASE = 51, OPT_OVERLOAD = 52, OPT_TYPE = 53,
	OPT_SERVER = 54, OPT_PARAMS = 55, OPT_MESSAGE = 56, OPT_MAXSIZE = 57, OPT_T1 = 58, OPT_T2 = 59,
	OPT_CLIENTID = 61, OPT_TFTP_SERVER = 66, OPT_BOOTFILE = 67, OPT_CLASSLESS = 121, OPT_END = 255,
};
static const uint8_t magic[4] = { 99, 130, 83, 99 };

static void put16(uint8_t *p, uint16_t v) { p[0] = v >> 8; p[1] = v; }
static void put32(uint8_t *p, uint32_t v) { p[0] = v >> 24; p[1] = v >> 16; p[2] = v >> 8; p[3] = v; }
static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* --- building ------------------------------------------------------------------------------------ */

struct wbuf { uint8_t *p; size_t len, cap; bool full; };

static void opt(struct wbuf *w, uint8_t code, const void *data, size_t len)
{
	if (w->full || len > 255 || w->len + 2 + len + 1 > w->cap) {  /* + 1 keeps room for END */
		w->full = true;
		return;
	}
	w->p[w->len++] = code;
	w->p[w->len++] = len;
	memcpy(w->p + w->len, data, len);
	w->len += len;
}

static void opt_addr(struct wbuf *w, uint8_t code, struct in_addr a)
{
	if (a.s_addr)
		opt(w, code, &a.s_addr, 4);
}

int dhcp_build(uint8_t *buf, size_t cap, const struct dhcp_req *r)
{
	static const uint8_t params[] = { OPT_SUBNET, OPT_ROUTER, OPT_DNS, OPT_HOSTNAME, OPT_DOMAIN,
		OPT_MTU, OPT_BCAST, OPT_LEASE, OPT_SERVER, OPT_T1, OPT_T2, OPT_CLASSLESS, OPT_TFTP_SERVER, OPT_BOOTFILE };
	struct wbuf w = { buf, OFF_OPTIONS, cap, false };
	uint8_t type = r->type, clientid[7] = { 1 }, maxsize[2];

	if (cap < MIN_MSG)
		return -ENOSPC;
	memset(buf, 0, cap);
	buf[OFF_OP] = BOOTREQUEST;
	buf[OFF_HTYPE] = 1;   /* ethernet */
	buf[OFF_HLEN] = 6;
	put32(buf + OFF_XID, r->xid);
	put16(buf + OFF_SECS, r->secs);
	put16(buf + OFF_FLAGS, r->broadcast ? 0x8000 : 0);
	memcpy(buf + OFF_CIADDR, &r->ciaddr.s_addr, 4);
	memcpy(buf + OFF_CHADDR, r->mac, 6);
	memcpy(buf + OFF_MAGIC, magic, 4);
	opt(&w, OPT_TYPE, &type, 1);
	memcpy(clientid + 1, r->mac, 6);
	opt(&w, OPT_CLIENTID, clientid, sizeof(clientid));
	opt_addr(&w, OPT_REQIP, r->requested);
	opt_addr(&w, OPT_SERVER, r->server_id);
	if (r->type != DHCP_RELEASE) {
		opt(&w, OPT_PARAMS, params, sizeof(params));
		put16(maxsize, r->max_size);
		if (r->max_size >= 576)
			opt(&w, OPT_MAXSIZE, maxsize, 2);
		if (r->hostname && *r->hostname)
			opt(&w, OPT_HOSTNAME, r->hostname, strlen(r->hostname));
	}
	if (w.full)
		return -ENOSPC;
	buf[w.len++] = OPT_END;
	return w.len < MIN_MSG ? MIN_MSG : (int)w.len;
}

/* --- options --------------------------------------------------------------------------------------- */

struct acc { uint8_t code; uint8_t *out; size_t cap, len; bool found, overflow; uint8_t overload; };

/* Walk one option area, appending every instance of a->code (RFC 3396 concatenation). */
static int walk(const uint8_t *p, size_t len, struct acc *a)
{
	size_t i = 0;

	while (i < len) {
		uint8_t code = p[i], n;
		if (code == OPT_PAD) {
			i++;
			continue;
		}
		if (code == OPT_END)
			return 0;
		if (len - i < 2 || (n = p[i + 1]) > len - i - 2)
			return -EBADMSG;
		if (code == OPT_OVERLOAD && n == 1)
			a->overload |= p[i + 2];
		if (code == a->code) {
			a->found = true;
			if (a->len + n > a->cap)
				a->overflow = true;
			else
				memcpy(a->out + a->len, p + i + 2, n);
			a->len += n;
		}
		i += 2 + n;
	}
	return 0;  /* no END: tolerated, the area simply ends */
}

int dhcp_option(const uint8_t *buf, size_t len, uint8_t code, uint8_t *out, size_t cap)
{
	struct acc a = { .code = code, .out = out, .cap = cap };
	uint8_t first;

	if (len < OFF_OPTIONS)
		return -EBADMSG;
	if (walk(buf + OFF_OPTIONS, len - OFF_OPTIONS, &a))
		return -EBADMSG;
	/* Overload (option 52) may only appear in the options field, so fix it before the others. */
	first = a.overload;
	if ((first & 1) && walk(buf + OFF_FILE, 128, &a))
		return -EBADMSG;
	if ((first & 2) && walk(buf + OFF_SNAME, 64, &a))
		return -EBADMSG;
	if (!a.found)
		return -ENOENT;
	return a.overflow ? -ENOSPC : (int)a.len;
}

int dhcp_parse_classless(const uint8_t *p, size_t len, struct dhcp_route *routes, int max)
{
	int n = 0;
	size_t i = 0;

	while (i < len) {
		int width = p[i], octets = (width + 7) / 8;
		uint8_t dst[4] = { 0 };
		if (width > 32 || len - i - 1 < (size_t)octets + 4)
			return -EBADMSG;
		memcpy(dst, p + i + 1, octets);
		if (n < max) {
			memcpy(&routes[n].dst.s_addr, dst, 4);
			memcpy(&routes[n].gw.s_addr, p + i + 1 + octets, 4);
			routes[n].plen = width;
			/* Bits past the prefix must be zero; clear them rather than trust the server. */
			routes[n].dst.s_addr &= width ? htonl(~0u << (32 - width)) : 0;
			n++;
		}
		i += 1 + octets + 4;
	}
	return n;
}

/* --- parsing a reply --------------------------------------------------------------------------------- */

/* An option that must be exactly n bytes; absent or the wrong size leaves *out alone. */
static int opt_fixed(const uint8_t *buf, size_t len, uint8_t code, void *out, size_t n)
{
	uint8_t v[256];
	int r = dhcp_option(buf, len, code, v, sizeof(v));

	if (r == -EBADMSG)
		return r;
	if (r != (int)n)
		return -ENOENT;
	memcpy(out, v, n);
	return 0;
}

static uint32_t opt_u32(const uint8_t *buf, size_t len, uint8_t code, uint32_t def)
{
	uint8_t v[4];

	return opt_fixed(buf, len, code, v, 4) ? def : get32(v);
}

/* Text options go into lease files and resolv.conf: keep only what a name can hold, so a
 * hostile server cannot inject lines; anything else drops the whole option. */
static void opt_text(const uint8_t *buf, size_t len, uint8_t code, char *out, size_t cap, bool printable)
{
	uint8_t v[1024];
	int n = dhcp_option(buf, len, code, v, sizeof(v));

	out[0] = 0;
	while (n > 0 && v[n - 1] == 0)  /* some servers NUL-terminate */
		n--;
	if (n <= 0 || (size_t)n >= cap)
		return;
	for (int i = 0; i < n; i++) {
		uint8_t c = v[i];
		bool ok = printable ? (c >= 0x20 && c < 0x7f && c != '\\' && c != '\'' && c != '"') :
			(c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
			c == '-' || c == '.' || c == '_' || (c == ' ' && code == OPT_DOMAIN);
		if (!ok)
			return;
	}
	memcpy(out, v, n);
	out[n] = 0;
}

static bool usable_unicast(struct in_addr a)
{
	uint32_t h = ntohl(a.s_addr);

	return h && h != 0xffffffffu && !IN_MULTICAST(h) && (h >> 24) != 127 && (h >> 24) != 0;
}

static int check_header(const uint8_t *buf, size_t len, uint32_t xid, const uint8_t mac[6])
{
	if (len < OFF_OPTIONS || buf[OFF_OP] != BOOTREPLY || buf[OFF_HTYPE] != 1 || buf[OFF_HLEN] != 6)
		return -EBADMSG;
	if (memcmp(buf + OFF_MAGIC, magic, 4))
		return -EBADMSG;
	if (get32(buf + OFF_XID) != xid || memcmp(buf + OFF_CHADDR, mac, 6))
		return -ESRCH;  /* someone else's transaction */
	return 0;
}

static void parse_times(const uint8_t *buf, size_t len, struct dhcp_lease *l)
{
	/* A server must give a lease time; one that does not gets an hour, not forever. */
	l->lease = opt_u32(buf, len, OPT_LEASE, 3600);
	if (l->lease < 10)
		l->lease = 10;
	l->t1 = opt_u32(buf, len, OPT_T1, 0);
	l->t2 = opt_u32(buf, len, OPT_T2, 0);
	if (l->lease == DHCP_INFINITE) {
		l->t1 = l->t2 = DHCP_INFINITE;
		return;
	}
	/* RFC 2131 4.4.5 defaults, also when the server's values are out of order. */
	if (!l->t2 || l->t2 >= l->lease)
		l->t2 = (uint32_t)((uint64_t)l->lease * 7 / 8);
	if (!l->t1 || l->t1 >= l->t2)
		l->t1 = l->lease / 2;
}

static void parse_routes(const uint8_t *buf, size_t len, struct dhcp_lease *l)
{
	uint8_t v[1024];
	int n = dhcp_option(buf, len, OPT_CLASSLESS, v, sizeof(v));

	/* RFC 3442: with option 121 present the client must ignore option 3 for routing. */
	if (n > 0 && (n = dhcp_parse_classless(v, n, l->routes, DHCP_MAX_ROUTES)) > 0) {
		l->nroutes = n;
		l->classless = true;
		return;
	}
	n = dhcp_option(buf, len, OPT_ROUTER, v, sizeof(v));
	if (n >= 4) {
		memcpy(&l->router.s_addr, v, 4);
		if (!usable_unicast(l->router))
			return;
		l->routes[0].gw = l->router;
		l->nroutes = 1;
	}
}

/* A boot file name as a URL or path may hold it: printable, no space, nothing a shell quotes. */
static void boot_text(const uint8_t *v, size_t n, char *out, size_t cap)
{
	out[0] = 0;
	while (n && !v[n - 1])
		n--;
	if (!n || n >= cap || memchr(v, 0, n))
		return;
	for (size_t i = 0; i < n; i++)
		if (v[i] <= 0x20 || v[i] >= 0x7f || v[i] == '\\' || v[i] == '\'' || v[i] == '"' || v[i] == '`' || v[i] == '$')
			return;
	memcpy(out, v, n);
	out[n] = 0;
}

/* Netboot's: siaddr, option 66 (a server name or address), option 67, else BOOTP's file field
 * (when option 52 has not taken it for options). */
static void parse_boot(const uint8_t *buf, size_t len, struct dhcp_lease *l)
{
	uint8_t v[256], ov = 0;
	int n;

	memcpy(&l->siaddr.s_addr, buf + OFF_SIADDR, 4);
	if (!usable_unicast(l->siaddr))
		l->siaddr.s_addr = 0;
	if ((n = dhcp_option(buf, len, OPT_TFTP_SERVER, v, sizeof(v))) > 0)
		boot_text(v, (size_t)n, l->tftp_server, sizeof(l->tftp_server));
	if ((n = dhcp_option(buf, len, OPT_BOOTFILE, v, sizeof(v))) > 0)
		boot_text(v, (size_t)n, l->bootfile, sizeof(l->bootfile));
	(void)opt_fixed(buf, len, OPT_OVERLOAD, &ov, 1);
	if (!l->bootfile[0] && !(ov & 1))
		boot_text(buf + OFF_FILE, strnlen((const char *)buf + OFF_FILE, 128), l->bootfile, sizeof(l->bootfile));
}

static void parse_config(const uint8_t *buf, size_t len, struct dhcp_lease *l)
{
	uint8_t v[1024], mtu[2];
	int n;

	if (opt_fixed(buf, len, OPT_SUBNET, &l->mask.s_addr, 4) ||
	    (l->prefixlen = ipparam_mask_to_prefix(l->mask)) <= 0) {
		uint32_t h = ntohl(l->addr.s_addr);  /* missing or not contiguous: classful */
		l->prefixlen = IN_CLASSA(h) ? 8 : IN_CLASSB(h) ? 16 : 24;
		l->mask.s_addr = htonl(~0u << (32 - l->prefixlen));
	}
	if (opt_fixed(buf, len, OPT_BCAST, &l->bcast.s_addr, 4))
		l->bcast.s_addr = l->addr.s_addr | ~l->mask.s_addr;
	n = dhcp_option(buf, len, OPT_DNS, v, sizeof(v));
	for (int i = 0; n >= 4 && i + 4 <= n && l->ndns < DHCP_MAX_DNS; i += 4) {
		memcpy(&l->dns[l->ndns].s_addr, v + i, 4);
		if (usable_unicast(l->dns[l->ndns]))
			l->ndns++;
	}
	if (!opt_fixed(buf, len, OPT_MTU, mtu, 2))
		l->mtu = mtu[0] << 8 | mtu[1];
	if (l->mtu < 576)   /* RFC 2132 allows 68, but below 576 DHCP itself no longer fits */
		l->mtu = 0;
	opt_text(buf, len, OPT_HOSTNAME, l->hostname, sizeof(l->hostname), false);
	opt_text(buf, len, OPT_DOMAIN, l->domain, sizeof(l->domain), false);
	parse_times(buf, len, l);
	parse_routes(buf, len, l);
}

int dhcp_parse(const uint8_t *buf, size_t len, uint32_t xid, const uint8_t mac[6], struct dhcp_lease *l)
{
	uint8_t type;
	int r;

	memset(l, 0, sizeof(*l));
	if ((r = check_header(buf, len, xid, mac)))
		return r;
	if ((r = opt_fixed(buf, len, OPT_TYPE, &type, 1)))
		return r == -EBADMSG ? r : -EPROTO;
	if (type != DHCP_OFFER && type != DHCP_ACK && type != DHCP_NAK)
		return -EPROTO;
	l->type = type;
	(void)opt_fixed(buf, len, OPT_SERVER, &l->server_id.s_addr, 4);
	if (type == DHCP_NAK) {
		opt_text(buf, len, OPT_MESSAGE, l->message, sizeof(l->message), true);
		return 0;
	}
	memcpy(&l->addr.s_addr, buf + OFF_YIADDR, 4);
	if (!usable_unicast(l->addr) || !usable_unicast(l->server_id))
		return -EPROTO;
	parse_config(buf, len, l);
	parse_boot(buf, len, l);
	return 0;
}

/* --- IPv4/UDP framing -------------------------------------------------------------------------------- */

static uint32_t sum16(const uint8_t *p, size_t len, uint32_t sum)
{
	for (size_t i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)p[i] << 8 | p[i + 1];
	if (len & 1)
		sum += (uint32_t)p[len - 1] << 8;
	return sum;
}

static uint16_t fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return ~sum & 0xffff;
}

/* The UDP checksum over the pseudo-header, the UDP header and the payload. */
static uint16_t udp_sum(const uint8_t *ip, const uint8_t *udp, size_t udplen)
{
	uint32_t sum = sum16(ip + 12, 8, 0) + 17 + udplen;

	return fold(sum16(udp, udplen, sum));
}

int dhcp_frame_build(uint8_t *buf, size_t cap, struct in_addr src, struct in_addr dst,
		     const uint8_t *msg, size_t len)
{
	uint8_t *ip = buf, *udp = buf + 20;
	size_t total = 28 + len;
	uint16_t c;

	if (cap < total || total > 0xffff)
		return -ENOSPC;
	memset(buf, 0, 28);
	ip[0] = 0x45;
	put16(ip + 2, total);
	ip[8] = 64;  /* TTL */
	ip[9] = IPPROTO_UDP;
	memcpy(ip + 12, &src.s_addr, 4);
	memcpy(ip + 16, &dst.s_addr, 4);
	put16(ip + 10, fold(sum16(ip, 20, 0)));
	put16(udp, 68);
	put16(udp + 2, 67);
	put16(udp + 4, 8 + len);
	memcpy(udp + 8, msg, len);
	c = udp_sum(ip, udp, 8 + len);
	put16(udp + 6, c ? c : 0xffff);
	return total;
}

int dhcp_frame_parse(const uint8_t *buf, size_t len, bool check_udp, const uint8_t **msg, size_t *msglen)
{
	size_t ihl, total, udplen;
	const uint8_t *udp;

	if (len < 28 || buf[0] >> 4 != 4 || (ihl = (buf[0] & 15) * 4u) < 20 || buf[9] != IPPROTO_UDP)
		return -EBADMSG;
	total = (size_t)buf[2] << 8 | buf[3];
	/* More fragments set, or a fragment offset: DHCP replies are never fragmented here. */
	if (total > len || total < ihl + 8 || (buf[6] & 0x3f) || buf[7] || fold(sum16(buf, ihl, 0)))
		return -EBADMSG;
	udp = buf + ihl;
	udplen = (size_t)udp[4] << 8 | udp[5];
	if (udp[2] != 0 || udp[3] != 68 || udplen < 8 || udplen > total - ihl)
		return -EBADMSG;
	if (check_udp && (udp[6] | udp[7]) && udp_sum(buf, udp, udplen))
		return -EBADMSG;
	*msg = udp + 8;
	*msglen = udplen - 8;
	return 0;
}
