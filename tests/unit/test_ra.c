/* lib/net/ra.c: router advertisements as a router sends them (the bytes below are the shape
 * dnsmasq's enable-ra writes: flags, SLLA, MTU, a prefix, RDNSS), each refusal by name, and the
 * solicitation; SLAAC's EUI-64 address and RFC 4862 5.5.3 (e)'s two-hour rule. */
#include <errno.h>
#include <arpa/inet.h>
#include "t.h"
#include "../../lib/net/ra.h"

static const uint8_t ra_bytes[] = {
	0x86, 0x00, 0x12, 0x34,  0x40, 0xc8, 0x07, 0x08,   /* RA, hop 64, M O prf=high, lifetime 1800 */
	0x00, 0x00, 0x75, 0x30,  0x00, 0x00, 0x03, 0xe8,   /* reachable 30000, retrans 1000 */
	0x01, 0x01, 0x02, 0x00, 0x00, 0x00, 0x00, 0x01,    /* SLLA 02:00:00:00:00:01 */
	0x05, 0x01, 0x00, 0x00, 0x00, 0x00, 0x05, 0xdc,    /* MTU 1500 */
	0x03, 0x04, 0x40, 0xc0, 0x00, 0x00, 0x0e, 0x10,    /* prefix /64 L A, valid 3600 */
	0x00, 0x00, 0x07, 0x08, 0x00, 0x00, 0x00, 0x00,    /* preferred 1800 */
	0x20, 0x01, 0x0d, 0xb8, 0x00, 0x01, 0x00, 0x00,    /* 2001:db8:1:: */
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xff,    /* (host bits: cleared) */
	0x19, 0x05, 0x00, 0x00, 0x00, 0x00, 0x02, 0x58,    /* RDNSS, lifetime 600, 2 servers */
	0x20, 0x01, 0x0d, 0xb8, 0x00, 0x01, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x53,
	0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01,
	0x18, 0x02, 0x30, 0x18, 0x00, 0x00, 0x01, 0x2c,    /* route 2001:db8:2::/48 prf low, 300 s */
	0x20, 0x01, 0x0d, 0xb8, 0x00, 0x02, 0x00, 0x00,
	0x1f, 0x01, 0, 0, 0, 0, 0, 0,                       /* DNSSL (skipped) */
};

static struct in6_addr a6(const char *s)
{
	struct in6_addr a;

	inet_pton(AF_INET6, s, &a);
	return a;
}

static int parse(const uint8_t *p, size_t n, int hop, const char *src, struct ra *ra, const char **why)
{
	struct in6_addr s = a6(src);

	return ra_parse(p, n, hop, &s, ra, why);
}

int main(void)
{
	static const uint8_t mac[6] = { 0x52, 0x54, 0, 0x12, 0x34, 0x56 };
	struct in6_addr want, got;
	uint32_t v, pr;
	uint8_t b[sizeof(ra_bytes)], rs[ND_RS_LEN];
	const char *why;
	struct ra ra;

	T_EQ(parse(ra_bytes, sizeof(ra_bytes), 255, "fe80::1", &ra, &why), 0);
	T_EQ(ra.hoplimit, 64);
	T_OK(ra.managed && ra.other);
	T_EQ(ra.pref, 1);
	T_EQ(ra.lifetime, 1800);
	T_EQ(ra.reachable_ms, 30000);
	T_EQ(ra.retrans_ms, 1000);
	T_OK(ra.has_lladdr && ra.lladdr[5] == 1);
	T_EQ(ra.mtu, 1500);
	T_EQ(ra.nprefix, 1);
	want = a6("2001:db8:1::");
	T_MEMEQ(&ra.prefix[0].prefix, &want, 16);
	T_EQ(ra.prefix[0].plen, 64);
	T_OK(ra.prefix[0].onlink && ra.prefix[0].autonomous);
	T_EQ(ra.prefix[0].valid, 3600);
	T_EQ(ra.prefix[0].preferred, 1800);
	T_EQ(ra.ndns, 2);
	want = a6("2001:db8:1::53");
	T_MEMEQ(&ra.dns[0], &want, 16);
	T_EQ(ra.dns_lifetime, 600);
	T_EQ(ra.nroute, 1);
	T_EQ(ra.route[0].plen, 48);
	T_EQ(ra.route[0].pref, -1);
	T_EQ(ra.route[0].lifetime, 300);
	want = a6("2001:db8:2::");
	T_MEMEQ(&ra.route[0].prefix, &want, 16);

	/* Refused, each by name. */
	T_EQ(parse(ra_bytes, sizeof(ra_bytes), 64, "fe80::1", &ra, &why), -EBADMSG);
	T_STREQ(why, "hop limit not 255 (sent from off the link)");
	T_EQ(parse(ra_bytes, sizeof(ra_bytes), 255, "2001:db8::1", &ra, &why), -EBADMSG);
	T_STREQ(why, "source address not link-local");
	T_EQ(parse(ra_bytes, 15, 255, "fe80::1", &ra, &why), -EBADMSG);
	T_STREQ(why, "shorter than a router advertisement");
	memcpy(b, ra_bytes, sizeof(b));
	b[1] = 1;
	T_EQ(parse(b, sizeof(b), 255, "fe80::1", &ra, &why), -EBADMSG);
	T_STREQ(why, "not a router advertisement");
	memcpy(b, ra_bytes, sizeof(b));
	b[25] = 0;                                      /* the MTU option's length */
	T_EQ(parse(b, sizeof(b), 255, "fe80::1", &ra, &why), -EBADMSG);
	T_STREQ(why, "option of length 0");
	T_EQ(parse(ra_bytes, sizeof(ra_bytes) - 4, 255, "fe80::1", &ra, &why), -EBADMSG);
	T_STREQ(why, "option runs past the end");
	memcpy(b, ra_bytes, sizeof(b));
	b[34] = 129;
	T_EQ(parse(b, sizeof(b), 255, "fe80::1", &ra, &why), -EBADMSG);
	T_STREQ(why, "prefix length above 128");
	memcpy(b, ra_bytes, sizeof(b));
	b[65] = 4;                                      /* RDNSS of 32 bytes: 1.5 addresses */
	T_EQ(parse(b, 96, 255, "fe80::1", &ra, &why), -EBADMSG);
	T_STREQ(why, "RDNSS option without a whole address");
	memcpy(b, ra_bytes, sizeof(b));
	b[106] = 65;                                    /* a /65 route in 16 bytes */
	T_EQ(parse(b, sizeof(b), 255, "fe80::1", &ra, &why), -EBADMSG);

	/* Ignored, not refused: a preferred lifetime above the valid, a tiny MTU. */
	memcpy(b, ra_bytes, sizeof(b));
	b[40] = 0xff;                                   /* preferred above valid */
	b[30] = 0x04; b[31] = 0x00;                     /* MTU 1024 */
	T_EQ(parse(b, sizeof(b), 255, "fe80::1", &ra, &why), 0);
	T_EQ(ra.nprefix, 0);
	T_EQ(ra.mtu, 0);
	T_EQ(ra.lifetime, 1800);
	/* Header only: a router that is only a router. */
	T_EQ(parse(ra_bytes, 16, 255, "fe80::1", &ra, &why), 0);
	T_EQ(ra.nprefix + ra.ndns + ra.nroute, 0);

	T_EQ(ra_solicit(rs, mac), 16);
	T_EQ(rs[0], 133);
	T_EQ(rs[8], 1);
	T_EQ(rs[9], 1);
	T_MEMEQ(rs + 10, mac, 6);
	T_EQ(ra_solicit(rs, NULL), 8);

	/* The modified EUI-64 address: U/L bit inverted, ff:fe inserted, the prefix's host bits ignored. */
	want = a6("2001:db8:1::ff");
	ra_slaac_addr(&got, &want, mac);
	want = a6("2001:db8:1:0:5054:ff:fe12:3456");
	T_MEMEQ(&got, &want, 16);
	{
		static const uint8_t local[6] = { 0x02, 0, 0, 0, 0, 0x01 };
		struct in6_addr p = a6("fd00:1:2:3::");
		ra_slaac_addr(&got, &p, local);
		want = a6("fd00:1:2:3::ff:fe00:1");
		T_MEMEQ(&got, &want, 16);
	}

	/* RFC 4862 5.5.3 (e), (remaining, advertised) -> valid: */
	ra_slaac_lifetimes(3600, 1800, 100, &v, &pr);          /* 1: above what remains: taken */
	T_EQ(v, 3600);
	T_EQ(pr, 1800);
	ra_slaac_lifetimes(10000, 5000, 50000, &v, &pr);       /* 1: above two hours: taken, even if shorter */
	T_EQ(v, 10000);
	T_EQ(pr, 5000);
	ra_slaac_lifetimes(60, 30, 3600, &v, &pr);             /* 2: two hours or less remain: ignored */
	T_EQ(v, 3600);
	T_EQ(pr, 30);                                          /*    (the preferred one always taken) */
	ra_slaac_lifetimes(0, 0, 7200, &v, &pr);               /* 2: a valid lifetime of 0 cannot end it */
	T_EQ(v, 7200);
	T_EQ(pr, 0);
	ra_slaac_lifetimes(60, 60, 86400, &v, &pr);            /* 3: more remain: cut to two hours */
	T_EQ(v, 7200);
	T_EQ(pr, 60);
	ra_slaac_lifetimes(0, 0, RA_INFINITY, &v, &pr);        /* 3: an infinite one, too */
	T_EQ(v, 7200);
	ra_slaac_lifetimes(RA_INFINITY, RA_INFINITY, 60, &v, &pr);  /* infinity advertised: taken */
	T_EQ(v, RA_INFINITY);
	T_EQ(pr, RA_INFINITY);
	ra_slaac_lifetimes(100, 7000, 3600, &v, &pr);          /* the preferred one no longer than valid */
	T_EQ(v, 3600);
	T_EQ(pr, 3600);

	/* What is left of a lifetime: rounded up, 0 once over, infinity stays. */
	T_EQ(ra_life_end(3600, 1000), 3601000);
	T_EQ(ra_life_left(3601000, 1000), 3600);
	T_EQ(ra_life_left(3601000, 1001), 3600);
	T_EQ(ra_life_left(3601000, 3600999), 1);
	T_EQ(ra_life_left(3601000, 3601000), 0);
	T_EQ(ra_life_left(3601000, 9999999), 0);
	T_OK(ra_life_end(RA_INFINITY, 5) == UINT64_MAX);
	T_EQ(ra_life_left(ra_life_end(RA_INFINITY, 5), 123456), RA_INFINITY);
	T_EQ(ra_life_left(ra_life_end(RA_INFINITY - 1, 0), 0), RA_INFINITY - 1);
	return T_DONE();
}
