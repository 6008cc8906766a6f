/* Router advertisements, read; router solicitations, written; SLAAC's address and lifetimes (see ra.h). */
#include <errno.h>
#include <string.h>
#include "ra.h"

enum { RA_TYPE = 134, RS_TYPE = 133, RA_HDR = 16 };
enum { OPT_SLLA = 1, OPT_PREFIX = 3, OPT_MTU = 5, OPT_ROUTE = 24, OPT_RDNSS = 25 };

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* RFC 4191 2.1: 01 high, 00 medium, 11 low, 10 reserved (treated as medium). */
static int8_t pref_of(uint8_t bits)
{
	return bits == 1 ? 1 : bits == 3 ? -1 : 0;
}

static void prefix_copy(struct in6_addr *dst, const uint8_t *src, size_t n, unsigned plen)
{
	memset(dst, 0, sizeof(*dst));
	memcpy(dst->s6_addr, src, n);
	for (unsigned i = plen; i < 128; i++)
		dst->s6_addr[i / 8] &= (uint8_t)~(0x80 >> (i % 8));
}

static bool link_local(const struct in6_addr *a)
{
	return a->s6_addr[0] == 0xfe && (a->s6_addr[1] & 0xc0) == 0x80;
}

/* A name server worth a resolv.conf line: not unspecified, loopback or multicast. */
static bool dns_ok(const struct in6_addr *a)
{
	static const uint8_t zero[15];

	return a->s6_addr[0] != 0xff && (memcmp(a->s6_addr, zero, 15) || a->s6_addr[15] > 1);
}

static int opt_prefix(const uint8_t *o, size_t olen, struct ra *ra, const char **why)
{
	struct ra_prefix *x;

	if (olen != 32)
		return *why = "prefix information option not 32 bytes", -EBADMSG;
	if (o[2] > 128)
		return *why = "prefix length above 128", -EBADMSG;
	if (ra->nprefix == RA_MAX_PREFIX)
		return 0;
	x = &ra->prefix[ra->nprefix];
	x->plen = o[2];
	x->onlink = o[3] & 0x80;
	x->autonomous = o[3] & 0x40;
	x->valid = be32(o + 4);
	x->preferred = be32(o + 8);
	prefix_copy(&x->prefix, o + 16, 16, x->plen);
	/* RFC 4862 5.5.3 a, c: a link-local prefix or a preferred lifetime above the valid one is
	 * ignored (not refused: the rest of the RA still counts). */
	if (link_local(&x->prefix) || x->preferred > x->valid)
		return 0;
	ra->nprefix++;
	return 0;
}

static int opt_route(const uint8_t *o, size_t olen, struct ra *ra, const char **why)
{
	struct ra_route *r;

	/* RFC 4191 2.3: length 1, 2 or 3, and enough of them for the prefix length. */
	if (olen > 24 || o[2] > 128 || (o[2] > 64 && olen < 24) || (o[2] && olen < 16))
		return *why = "route information option's length does not fit its prefix", -EBADMSG;
	if (ra->nroute == RA_MAX_ROUTES || ((o[3] >> 3) & 3) == 2)
		return 0;  /* the reserved preference: ignore the option (2.3) */
	r = &ra->route[ra->nroute++];
	r->plen = o[2];
	r->pref = pref_of((o[3] >> 3) & 3);
	r->lifetime = be32(o + 4);
	prefix_copy(&r->prefix, o + 8, olen - 8, r->plen);
	return 0;
}

static int opt_rdnss(const uint8_t *o, size_t olen, struct ra *ra, const char **why)
{
	uint32_t life = be32(o + 4);

	if (olen < 24 || (olen - 8) % 16)
		return *why = "RDNSS option without a whole address", -EBADMSG;
	if (!ra->ndns || life < ra->dns_lifetime)
		ra->dns_lifetime = life;
	for (size_t off = 8; off < olen && ra->ndns < RA_MAX_DNS; off += 16) {
		memcpy(&ra->dns[ra->ndns], o + off, 16);
		ra->ndns += dns_ok(&ra->dns[ra->ndns]);
	}
	return 0;
}

int ra_parse(const uint8_t *p, size_t len, int hoplimit, const struct in6_addr *src, struct ra *ra,
	     const char **why)
{
	int ret = 0;

	memset(ra, 0, sizeof(*ra));
	*why = NULL;
	if (hoplimit != 255)
		return *why = "hop limit not 255 (sent from off the link)", -EBADMSG;
	if (!src || !link_local(src))
		return *why = "source address not link-local", -EBADMSG;
	if (len < RA_HDR || p[0] != RA_TYPE || p[1] != 0)
		return *why = len < RA_HDR ? "shorter than a router advertisement" : "not a router advertisement", -EBADMSG;
	ra->hoplimit = p[4];
	ra->managed = p[5] & 0x80;
	ra->other = p[5] & 0x40;
	ra->pref = pref_of((p[5] >> 3) & 3);
	ra->lifetime = (uint16_t)(p[6] << 8 | p[7]);
	ra->reachable_ms = be32(p + 8);
	ra->retrans_ms = be32(p + 12);
	for (size_t off = RA_HDR; off < len && !ret; ) {
		const uint8_t *o = p + off;
		size_t olen;
		if (len - off < 2 || !o[1])
			return *why = "option of length 0", -EBADMSG;
		olen = (size_t)o[1] * 8;
		if (olen > len - off)
			return *why = "option runs past the end", -EBADMSG;
		switch (o[0]) {
		case OPT_SLLA:
			if (olen == 8) {
				memcpy(ra->lladdr, o + 2, 6);
				ra->has_lladdr = true;
			}
			break;
		case OPT_PREFIX: ret = opt_prefix(o, olen, ra, why); break;
		case OPT_ROUTE: ret = opt_route(o, olen, ra, why); break;
		case OPT_RDNSS: ret = opt_rdnss(o, olen, ra, why); break;
		case OPT_MTU:
			if (olen != 8)
				return *why = "MTU option not 8 bytes", -EBADMSG;
			ra->mtu = be32(o + 4) >= 1280 ? be32(o + 4) : 0;
			break;
		}
		off += olen;
	}
	return ret;
}

size_t ra_solicit(uint8_t buf[static ND_RS_LEN], const uint8_t *mac)
{
	memset(buf, 0, ND_RS_LEN);
	buf[0] = RS_TYPE;
	if (!mac)
		return 8;
	buf[8] = OPT_SLLA;
	buf[9] = 1;
	memcpy(buf + 10, mac, 6);
	return ND_RS_LEN;
}

void ra_slaac_addr(struct in6_addr *out, const struct in6_addr *prefix, const uint8_t mac[static 6])
{
	memcpy(out->s6_addr, prefix->s6_addr, 8);
	out->s6_addr[8] = mac[0] ^ 0x02;
	out->s6_addr[9] = mac[1];
	out->s6_addr[10] = mac[2];
	out->s6_addr[11] = 0xff;
	out->s6_addr[12] = 0xfe;
	memcpy(out->s6_addr + 13, mac + 3, 3);
}

void ra_slaac_lifetimes(uint32_t adv_valid, uint32_t adv_preferred, uint32_t remaining, uint32_t *valid,
			uint32_t *preferred)
{
	if (adv_valid > RA_TWO_HOURS || adv_valid > remaining)
		*valid = adv_valid;
	else if (remaining <= RA_TWO_HOURS)
		*valid = remaining;
	else
		*valid = RA_TWO_HOURS;
	*preferred = adv_preferred < *valid ? adv_preferred : *valid;
}

uint64_t ra_life_end(uint32_t life_s, uint64_t now_ms)
{
	return life_s == RA_INFINITY ? UINT64_MAX : now_ms + (uint64_t)life_s * 1000;
}

uint32_t ra_life_left(uint64_t end_ms, uint64_t now_ms)
{
	uint64_t s;

	if (end_ms == UINT64_MAX)
		return RA_INFINITY;
	if (end_ms <= now_ms)
		return 0;
	s = (end_ms - now_ms + 999) / 1000;
	return s >= RA_INFINITY ? RA_INFINITY - 1 : (uint32_t)s;
}
