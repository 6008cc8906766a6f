#include <errno.h>
#include <stdint.h>
#include "t.h"
#include "../../lib/net/icmp.h"

static uint8_t pkt[128];

/* An IPv4 header from 169.254.77.2 (bytes as on the wire) followed by len bytes of ICMP. */
static size_t mk_ip(const uint8_t *icmp, size_t len)
{
	static const uint8_t ip[20] = { 0x45, 0, 0, 0, 0x12, 0x34, 0x40, 0, 64, 1, 0, 0,
					169, 254, 77, 2, 169, 254, 77, 1 };
	memcpy(pkt, ip, 20);
	pkt[2] = (uint8_t)((20 + len) >> 8);
	pkt[3] = (uint8_t)(20 + len);
	memcpy(pkt + 20, icmp, len);
	return 20 + len;
}

/* The reply the peer's kernel makes of a request: type 0, checksum fixed up. */
static void to_reply(uint8_t *icmp, size_t len)
{
	uint16_t c;

	icmp[0] = 0;
	icmp[2] = icmp[3] = 0;
	c = icmp_checksum(icmp, len);
	icmp[2] = c >> 8;
	icmp[3] = c & 0xff;
}

int main(void)
{
	uint8_t req[ICMP_ECHO_LEN], r2[ICMP_ECHO_LEN], small[8];
	uint32_t src;
	size_t n;

	memcpy(&src, (const uint8_t[]){ 169, 254, 77, 2 }, 4);

	/* RFC 1071's example: 00 01 f2 03 f4 f5 f6 f7 sums to 0xddf2, the checksum is its complement */
	T_EQ(icmp_checksum((const uint8_t[]){ 0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7 }, 8), 0x220d);
	T_EQ(icmp_checksum((const uint8_t[]){ 0xff }, 1), 0x00ff);  /* odd length: a zero byte after */
	T_EQ(icmp_checksum(NULL, 0), 0xffff);

	/* The request: type 8 code 0, id and seq big-endian, 56 bytes of payload, checksum right */
	T_EQ(icmp_echo_build(req, sizeof(req), 0x1234, 7), ICMP_ECHO_LEN);
	T_EQ(req[0], 8);
	T_EQ(req[1], 0);
	T_EQ(req[4], 0x12); T_EQ(req[5], 0x34);
	T_EQ(req[6], 0); T_EQ(req[7], 7);
	T_EQ(icmp_checksum(req, sizeof(req)), 0);
	T_EQ(icmp_echo_build(small, sizeof(small), 1, 1), -ENOBUFS);
	/* every (id, seq) has its own payload */
	icmp_echo_build(r2, sizeof(r2), 0x1234, 8);
	T_OK(memcmp(req + 8, r2 + 8, ICMP_ECHO_DATA) != 0);
	icmp_echo_build(r2, sizeof(r2), 0x1235, 7);
	T_OK(memcmp(req + 8, r2 + 8, ICMP_ECHO_DATA) != 0);

	/* Its reply, as the peer sends it: seq 7 */
	to_reply(req, sizeof(req));
	n = mk_ip(req, sizeof(req));
	T_EQ(icmp_echo_reply_check(pkt, n, 0x1234, src), 7);
	/* a longer buffer than the datagram (total length rules) */
	T_EQ(icmp_echo_reply_check(pkt, sizeof(pkt), 0x1234, src), 7);
	/* IPv4 options (IHL 6): the ICMP starts later */
	memmove(pkt + 24, pkt + 20, ICMP_ECHO_LEN);
	pkt[0] = 0x46; pkt[20] = 1; pkt[21] = 1; pkt[22] = 1; pkt[23] = 0;
	pkt[3] += 4;
	T_EQ(icmp_echo_reply_check(pkt, n + 4, 0x1234, src), 7);

	/* Not ours: another id, another source, a request instead of a reply */
	n = mk_ip(req, sizeof(req));
	T_EQ(icmp_echo_reply_check(pkt, n, 0x1235, src), -ENOMSG);
	T_EQ(icmp_echo_reply_check(pkt, n, 0x1234, src ^ 0x01000000), -ENOMSG);
	icmp_echo_build(r2, sizeof(r2), 0x1234, 7);
	T_EQ(icmp_echo_reply_check(pkt, mk_ip(r2, sizeof(r2)), 0x1234, src), -ENOMSG);

	/* Damaged: a flipped payload byte with its checksum fixed (a frame the NIC mangled and
	 * re-checksummed, or a reply to another echo) */
	icmp_echo_build(r2, sizeof(r2), 0x1234, 9);
	memcpy(r2 + 6, (const uint8_t[]){ 0, 7 }, 2);  /* seq 7's header, seq 9's payload */
	to_reply(r2, sizeof(r2));
	T_EQ(icmp_echo_reply_check(pkt, mk_ip(r2, sizeof(r2)), 0x1234, src), -EILSEQ);
	/* a reply of another length is not the one sent */
	icmp_echo_build(r2, sizeof(r2), 0x1234, 7);
	to_reply(r2, 40);
	T_EQ(icmp_echo_reply_check(pkt, mk_ip(r2, 40), 0x1234, src), -EILSEQ);

	/* Malformed */
	n = mk_ip(req, sizeof(req));
	T_EQ(icmp_echo_reply_check(pkt, 19, 0x1234, src), -EBADMSG);       /* short IPv4 header */
	T_EQ(icmp_echo_reply_check(pkt, n - 1, 0x1234, src), -EBADMSG);    /* total length beyond */
	pkt[0] = 0x65;
	T_EQ(icmp_echo_reply_check(pkt, n, 0x1234, src), -EBADMSG);        /* version 6 */
	pkt[0] = 0x44;
	T_EQ(icmp_echo_reply_check(pkt, n, 0x1234, src), -EBADMSG);        /* IHL 4 */
	pkt[0] = 0x4f;
	T_EQ(icmp_echo_reply_check(pkt, 50, 0x1234, src), -EBADMSG);       /* IHL past the data */
	n = mk_ip(req, sizeof(req));
	pkt[9] = 17;
	T_EQ(icmp_echo_reply_check(pkt, n, 0x1234, src), -EBADMSG);        /* UDP */
	n = mk_ip(req, sizeof(req));
	pkt[6] = 0x20;
	T_EQ(icmp_echo_reply_check(pkt, n, 0x1234, src), -EBADMSG);        /* a fragment */
	n = mk_ip(req, sizeof(req));
	pkt[40] ^= 1;
	T_EQ(icmp_echo_reply_check(pkt, n, 0x1234, src), -EBADMSG);        /* checksum wrong */
	n = mk_ip(req, 4);
	T_EQ(icmp_echo_reply_check(pkt, n, 0x1234, src), -EBADMSG);        /* ICMP shorter than its header */
	return T_DONE();
}
