/* lib/net/dhcp6.c: a Solicit and a Request byte for byte, a Reply in the shape dnsmasq sends
 * (server DUID-LLT, IA_NA with one address, DNS, boot file URL), and each refusal by name. */
#include <errno.h>
#include <arpa/inet.h>
#include "t.h"
#include "../../lib/net/dhcp6.h"

static const uint8_t mac[6] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 };

static const uint8_t reply[] = {
	0x07, 0xab, 0xcd, 0xef,                                   /* Reply, xid abcdef */
	0x00, 0x01, 0x00, 0x0a, 0, 3, 0, 1, 0x52, 0x54, 0x00, 0x12, 0x34, 0x56,  /* client id */
	0x00, 0x02, 0x00, 0x0e, 0, 1, 0, 1, 0x2c, 0x5e, 0x11, 0x22, 2, 0, 0, 0, 0, 1,  /* server DUID-LLT */
	0x00, 0x0e, 0x00, 0x00,                                   /* rapid commit */
	0x00, 0x03, 0x00, 0x28, 0x00, 0x12, 0x34, 0x56,           /* IA_NA, IAID 00123456 */
	0x00, 0x00, 0x07, 0x08, 0x00, 0x00, 0x0b, 0x40,           /* T1 1800, T2 2880 */
	0x00, 0x05, 0x00, 0x18,                                   /* IAADDR */
	0x20, 0x01, 0x0d, 0xb8, 0x00, 0x73, 0, 0, 0, 0, 0, 0, 0, 0, 0x01, 0x23,
	0x00, 0x00, 0x0e, 0x10, 0x00, 0x00, 0x0e, 0x10,           /* preferred, valid 3600 */
	0x00, 0x17, 0x00, 0x10, 0x20, 0x01, 0x0d, 0xb8, 0x00, 0x73, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x53,
	0x00, 0x3b, 0x00, 0x1c, 'h', 't', 't', 'p', ':', '/', '/', '[', '2', '0', '0', '1', ':', 'd', 'b', '8',
	':', '7', '3', ':', ':', '1', ']', '/', 'b', 'o', 'o', 't',
};

int main(void)
{
	uint8_t b[DHCP6_PKT_MAX], r[sizeof(reply)];
	struct dhcp6_lease l, adv;
	struct in6_addr want;
	const char *why;
	int n;

	n = dhcp6_build(b, sizeof(b), DHCP6_SOLICIT, 0xabcdef, mac, 0, NULL);
	T_EQ(n, 4 + 14 + 16 + 6 + 8 + 4);
	T_EQ(b[0], DHCP6_SOLICIT);
	T_MEMEQ(b + 1, "\xab\xcd\xef", 3);
	T_MEMEQ(b + 4, "\0\1\0\x0a\0\3\0\1\x52\x54\0\x12\x34\x56", 14);
	T_MEMEQ(b + 18, "\0\3\0\x0c\0\x12\x34\x56", 8);
	T_MEMEQ(b + n - 4, "\0\x0e\0\0", 4);
	T_EQ(dhcp6_build(b, 20, DHCP6_SOLICIT, 1, mac, 0, NULL), -ENOSPC);

	T_EQ(dhcp6_parse(reply, sizeof(reply), 0xabcdef, mac, true, &l, &why), 0);
	T_EQ(l.type, DHCP6_REPLY);
	T_OK(l.rapid);
	T_EQ(l.serverid_len, 14);
	inet_pton(AF_INET6, "2001:db8:73::123", &want);
	T_MEMEQ(&l.addr, &want, 16);
	T_EQ(l.valid, 3600);
	T_EQ(l.t1, 1800);
	T_EQ(l.t2, 2880);
	T_EQ(l.ndns, 1);
	T_STREQ(l.bootfile, "http://[2001:db8:73::1]/boot");

	/* The Request carries the server's id and the address offered. */
	adv = l;
	n = dhcp6_build(b, sizeof(b), DHCP6_REQUEST, 0x10203, mac, 100, &adv);
	T_EQ(n, 4 + 14 + 18 + 44 + 6 + 8);
	T_MEMEQ(b + 18, "\0\2\0\x0e\0\1\0\1", 8);
	T_MEMEQ(b + 36 + 20, &want, 16);
	T_EQ(dhcp6_build(b, sizeof(b), DHCP6_REQUEST, 1, mac, 0, NULL), -ENOSPC);

	/* Not ours, and refused by name. */
	T_EQ(dhcp6_parse(reply, sizeof(reply), 0xabcdee, mac, true, &l, &why), -ESRCH);
	T_STREQ(why, "another transaction");
	T_EQ(dhcp6_parse(reply, sizeof(reply), 0xabcdef, (const uint8_t *)"\1\2\3\4\5\6", true, &l, &why), -ESRCH);
	T_STREQ(why, "another client's id");
	T_EQ(dhcp6_parse(reply, sizeof(reply) - 1, 0xabcdef, mac, true, &l, &why), -EBADMSG);
	T_STREQ(why, "option runs past the end");
	memcpy(r, reply, sizeof(r));
	r[sizeof(r) - 5] = ' ';
	T_EQ(dhcp6_parse(r, sizeof(r), 0xabcdef, mac, true, &l, &why), -EBADMSG);
	T_STREQ(why, "boot file URL with a space or control character");
	memcpy(r, reply, sizeof(r));
	r[87] = 0x0f;                                             /* DNS of 15 bytes */
	T_EQ(dhcp6_parse(r, sizeof(r), 0xabcdef, mac, true, &l, &why), -EBADMSG);
	memcpy(r, reply, sizeof(r));
	memset(r + 76, 0, 8);                                      /* lifetimes 0 */
	T_EQ(dhcp6_parse(r, sizeof(r), 0xabcdef, mac, true, &l, &why), -EPROTO);
	T_STREQ(why, "no address for our IA_NA");
	T_EQ(dhcp6_parse(r, sizeof(r), 0xabcdef, mac, false, &l, &why), 0);   /* stateless: no address wanted */
	T_STREQ(l.bootfile, "http://[2001:db8:73::1]/boot");
	n = dhcp6_build(b, sizeof(b), DHCP6_INFO_REQUEST, 0xabcdef, mac, 0, NULL);
	T_EQ(n, 4 + 14 + 6 + 8);                                   /* client id, elapsed, ORO: no IA_NA */
	T_EQ(b[0], 11);
	memcpy(r, reply, sizeof(r));
	memcpy(r + 56, "\0\x0d\0\x18\0\2", 6);                     /* the IAADDR becomes NoAddrsAvail */
	T_EQ(dhcp6_parse(r, sizeof(r), 0xabcdef, mac, true, &l, &why), -EPROTO);
	T_STREQ(why, "NoAddrsAvail");
	r[0] = DHCP6_SOLICIT;
	T_EQ(dhcp6_parse(r, sizeof(r), 0xabcdef, mac, true, &l, &why), -ESRCH);
	return T_DONE();
}
