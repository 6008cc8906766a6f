#include <arpa/inet.h>
#include <errno.h>
#include "t.h"
#include "../../lib/net/dhcp.h"

static const uint8_t mac[6] = { 0x02, 0x11, 0x22, 0x33, 0x44, 0x55 };
enum { XID = 0x12345678 };

/* A server's reply: header, then the option bytes given. */
static size_t reply(uint8_t *b, const uint8_t *opts, size_t n)
{
	memset(b, 0, 1024);
	b[0] = 2; b[1] = 1; b[2] = 6;
	b[4] = 0x12; b[5] = 0x34; b[6] = 0x56; b[7] = 0x78;
	b[16] = 10; b[17] = 0; b[18] = 0; b[19] = 5;      /* yiaddr 10.0.0.5 */
	memcpy(b + 28, mac, 6);
	b[236] = 99; b[237] = 130; b[238] = 83; b[239] = 99;
	memcpy(b + 240, opts, n);
	return 240 + n;
}

static const char *ip(struct in_addr a)
{
	static char s[4][16];
	static int i;
	i = (i + 1) % 4;
	return inet_ntop(AF_INET, &a, s[i], 16);
}

static void test_build(void)
{
	uint8_t b[600], v[64];
	struct dhcp_req r = { .type = DHCP_REQUEST, .xid = XID, .secs = 3, .broadcast = true,
		.requested = { htonl(0x0a000005) }, .server_id = { htonl(0x0a000001) }, .max_size = 1472,
		.hostname = "box" };
	int n;

	memcpy(r.mac, mac, 6);
	n = dhcp_build(b, sizeof(b), &r);
	T_EQ(n, 300);  /* padded to the BOOTP minimum */
	T_EQ(b[0], 1);
	T_EQ(b[10], 0x80);
	T_EQ(b[9], 3);
	T_MEMEQ(b + 28, mac, 6);
	T_EQ(dhcp_option(b, n, 53, v, sizeof(v)), 1);
	T_EQ(v[0], DHCP_REQUEST);
	T_EQ(dhcp_option(b, n, 50, v, sizeof(v)), 4);
	T_EQ(v[3], 5);
	T_EQ(dhcp_option(b, n, 54, v, sizeof(v)), 4);
	T_EQ(dhcp_option(b, n, 61, v, sizeof(v)), 7);
	T_EQ(v[0], 1);
	T_EQ(dhcp_option(b, n, 12, v, sizeof(v)), 3);
	T_EQ(dhcp_option(b, n, 57, v, sizeof(v)), 2);
	T_EQ(v[0] << 8 | v[1], 1472);
	T_OK(dhcp_option(b, n, 55, v, sizeof(v)) > 5);
	T_EQ(dhcp_build(b, 200, &r), -ENOSPC);
	r.type = DHCP_DISCOVER;
	r.requested.s_addr = r.server_id.s_addr = 0;
	n = dhcp_build(b, sizeof(b), &r);
	T_EQ(dhcp_option(b, n, 50, v, sizeof(v)), -ENOENT);
}

static void test_parse_ack(void)
{
	static const uint8_t o[] = {
		53, 1, 5, 54, 4, 10, 0, 0, 1, 51, 4, 0, 0, 0x0e, 0x10, 1, 4, 255, 255, 255, 0,
		3, 8, 10, 0, 0, 1, 10, 0, 0, 2, 6, 12, 1, 1, 1, 1, 224, 0, 0, 1, 8, 8, 8, 8,
		15, 11, 'e', 'x', 'a', 'm', 'p', 'l', 'e', '.', 'c', 'o', 'm', 12, 3, 'b', 'o', 'x',
		26, 2, 0x05, 0xdc, 255 };
	uint8_t b[1024];
	struct dhcp_lease l;
	size_t n = reply(b, o, sizeof(o));

	T_EQ(dhcp_parse(b, n, XID, mac, &l), 0);
	T_EQ(l.type, DHCP_ACK);
	T_STREQ(ip(l.addr), "10.0.0.5");
	T_STREQ(ip(l.server_id), "10.0.0.1");
	T_EQ(l.prefixlen, 24);
	T_STREQ(ip(l.bcast), "10.0.0.255");
	T_EQ(l.lease, 3600);
	T_EQ(l.t1, 1800);
	T_EQ(l.t2, 3150);
	T_EQ(l.ndns, 2);       /* the multicast one is dropped */
	T_STREQ(ip(l.dns[1]), "8.8.8.8");
	T_EQ(l.nroutes, 1);
	T_STREQ(ip(l.routes[0].gw), "10.0.0.1");
	T_EQ(l.routes[0].plen, 0);
	T_EQ(l.classless, false);
	T_STREQ(l.domain, "example.com");
	T_STREQ(l.hostname, "box");
	T_EQ(l.mtu, 1500);

	/* Wrong xid, wrong MAC, a request, bad magic, a short packet. */
	T_EQ(dhcp_parse(b, n, XID + 1, mac, &l), -ESRCH);
	b[33] ^= 1;
	T_EQ(dhcp_parse(b, n, XID, mac, &l), -ESRCH);
	b[33] ^= 1;
	b[0] = 1;
	T_EQ(dhcp_parse(b, n, XID, mac, &l), -EBADMSG);
	b[0] = 2;
	b[236] = 0;
	T_EQ(dhcp_parse(b, n, XID, mac, &l), -EBADMSG);
	b[236] = 99;
	T_EQ(dhcp_parse(b, 239, XID, mac, &l), -EBADMSG);
	/* Truncated inside an option: the whole reply is rejected. */
	T_EQ(dhcp_parse(b, 240 + 30, XID, mac, &l), -EBADMSG);
}

static void test_classless(void)
{
	/* 121: 0.0.0.0/0 via 10.0.0.254, 192.168.0.0/16 via 10.0.0.2, 10.9.0.0/24 on-link (gw 0);
	 * split in two instances (RFC 3396), and option 3 that must be ignored. */
	static const uint8_t o[] = {
		53, 1, 2, 54, 4, 10, 0, 0, 1, 3, 4, 10, 0, 0, 1,
		121, 8, 0, 10, 0, 0, 254, 16, 192, 168,
		121, 12, 10, 0, 0, 2, 24, 10, 9, 0, 0, 0, 0, 0, 255 };
	uint8_t b[1024], bad[] = { 33, 1, 2, 3, 4, 5, 6, 7, 8 };
	struct dhcp_lease l;
	struct dhcp_route r[4];

	T_EQ(dhcp_parse(b, reply(b, o, sizeof(o)), XID, mac, &l), 0);
	T_EQ(l.type, DHCP_OFFER);
	T_EQ(l.classless, true);
	T_EQ(l.nroutes, 3);
	T_STREQ(ip(l.routes[0].gw), "10.0.0.254");
	T_EQ(l.routes[0].plen, 0);
	T_STREQ(ip(l.routes[1].dst), "192.168.0.0");
	T_EQ(l.routes[1].plen, 16);
	T_STREQ(ip(l.routes[2].dst), "10.9.0.0");
	T_EQ(l.routes[2].gw.s_addr, 0);
	T_EQ(l.prefixlen, 8);   /* no subnet option: classful */
	T_EQ(dhcp_parse_classless(bad, sizeof(bad), r, 4), -EBADMSG);   /* width 33 */
	bad[0] = 24;
	T_EQ(dhcp_parse_classless(bad, 7, r, 4), -EBADMSG);             /* short */
	bad[0] = 9;  /* 9 bits: two octets, the stray bits cleared */
	bad[2] = 0xff;
	T_EQ(dhcp_parse_classless(bad, 7, r, 4), 1);
	T_EQ(ntohl(r[0].dst.s_addr), 0x01800000);
}

static void test_overload_and_hostile(void)
{
	uint8_t b[1024], v[8];
	static const uint8_t o[] = { 53, 1, 5, 52, 1, 1, 255 };
	static const uint8_t nak[] = { 53, 1, 6, 54, 4, 10, 0, 0, 1, 56, 5, 'n', 'o', '\n', 'x', 'y', 255 };
	static const uint8_t longlen[] = { 53, 1, 5, 54, 4, 10, 0, 0, 1, 15, 200, 'a' };
	static const uint8_t inject[] = { 53, 1, 5, 54, 4, 10, 0, 0, 1, 15, 9, 'a', '\n', 'n', 'a', 'm', 'e', 's', 'e', 'r' };
	static const uint8_t notype[] = { 54, 4, 10, 0, 0, 1, 255 };
	static const uint8_t noserver[] = { 53, 1, 5, 255 };
	static const uint8_t times[] = { 53, 1, 5, 54, 4, 10, 0, 0, 1, 51, 4, 0, 0, 0, 100,
		58, 4, 0, 0, 0, 200, 59, 4, 0, 0, 0, 50, 255 };
	struct dhcp_lease l;
	size_t n = reply(b, o, sizeof(o));

	/* Options in the file field (overload 1): server id and lease there. */
	memcpy(b + 108, (uint8_t[]){ 54, 4, 10, 0, 0, 9, 51, 4, 0xff, 0xff, 0xff, 0xff, 255 }, 13);
	T_EQ(dhcp_parse(b, n, XID, mac, &l), 0);
	T_STREQ(ip(l.server_id), "10.0.0.9");
	T_EQ(l.lease, DHCP_INFINITE);
	T_EQ(l.t1, DHCP_INFINITE);
	T_EQ(dhcp_option(b, n, 54, v, 2), -ENOSPC);

	T_EQ(dhcp_parse(b, reply(b, nak, sizeof(nak)), XID, mac, &l), 0);
	T_EQ(l.type, DHCP_NAK);
	T_STREQ(l.message, "");   /* a newline in the message drops it */
	T_EQ(dhcp_parse(b, reply(b, longlen, sizeof(longlen)), XID, mac, &l), -EBADMSG);
	T_EQ(dhcp_parse(b, reply(b, inject, sizeof(inject)), XID, mac, &l), 0);
	T_STREQ(l.domain, "");
	T_EQ(dhcp_parse(b, reply(b, notype, sizeof(notype)), XID, mac, &l), -EPROTO);
	T_EQ(dhcp_parse(b, reply(b, noserver, sizeof(noserver)), XID, mac, &l), -EPROTO);
	T_EQ(dhcp_parse(b, reply(b, times, sizeof(times)), XID, mac, &l), 0);
	T_EQ(l.lease, 100);
	T_EQ(l.t2, 50);
	T_EQ(l.t1, 50);   /* T1 past T2: back to lease/2, which here equals T2 */
	n = reply(b, times, sizeof(times));
	b[16] = 224;   /* multicast yiaddr */
	T_EQ(dhcp_parse(b, n, XID, mac, &l), -EPROTO);
}

static void test_frame(void)
{
	uint8_t msg[300] = { 2, 1, 6 }, f[DHCP_PKT_MAX];
	const uint8_t *p;
	size_t plen;
	int n = dhcp_frame_build(f, sizeof(f), (struct in_addr){ 0 }, (struct in_addr){ 0xffffffff }, msg, sizeof(msg));

	T_EQ(n, 328);
	T_EQ(dhcp_frame_parse(f, n, true, &p, &plen), -EBADMSG);   /* to port 67: not for us */
	/* Pretend it is a reply: swapping the ports keeps the one's-complement sum valid. */
	f[21] = 67; f[23] = 68;
	T_EQ(dhcp_frame_parse(f, n, true, &p, &plen), 0);
	f[40] ^= 1;
	T_EQ(dhcp_frame_parse(f, n, true, &p, &plen), -EBADMSG);   /* payload changed: bad checksum */
	T_EQ(dhcp_frame_parse(f, n, false, &p, &plen), 0);         /* offload: not checked */
	T_EQ(plen, 300);
	T_OK(p == f + 28);
	f[26] = f[27] = 0;                                        /* no checksum at all */
	T_EQ(dhcp_frame_parse(f, n, true, &p, &plen), 0);
	f[6] = 0x20;                                              /* more fragments */
	T_EQ(dhcp_frame_parse(f, n, true, &p, &plen), -EBADMSG);
	f[6] = 0;
	T_EQ(dhcp_frame_parse(f, 27, true, &p, &plen), -EBADMSG);
	f[3] = 10;                                                /* total length too small */
	T_EQ(dhcp_frame_parse(f, n, true, &p, &plen), -EBADMSG);
	T_EQ(dhcp_frame_build(f, 100, (struct in_addr){ 0 }, (struct in_addr){ 0 }, msg, sizeof(msg)), -ENOSPC);
}

int main(void)
{
	test_build();
	test_parse_ack();
	test_classless();
	test_overload_and_hostile();
	test_frame();
	return T_DONE();
}
