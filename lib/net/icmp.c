/* ICMP echo requests and replies, byte by byte (no struct overlays: a datagram has no alignment). */
#include <errno.h>
#include <string.h>
#include "icmp.h"

#define ICMP_ECHOREPLY_T 0
#define ICMP_ECHO_T      8
#define IPPROTO_ICMP_N   1

uint16_t icmp_checksum(const void *buf, size_t len)
{
	const uint8_t *p = buf;
	uint32_t sum = 0;

	for (; len > 1; p += 2, len -= 2)
		sum += (uint32_t)p[0] << 8 | p[1];
	if (len)
		sum += (uint32_t)p[0] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

static uint8_t payload_byte(uint16_t id, uint16_t seq, size_t i)
{
	/* A different pattern for every (id, seq): a late reply to an earlier echo does not match. */
	return (uint8_t)(i * 7 + seq * 13 + (id >> 8) + id);
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = v >> 8;
	p[1] = v & 0xff;
}

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

int icmp_echo_build(uint8_t *buf, size_t cap, uint16_t id, uint16_t seq)
{
	if (cap < ICMP_ECHO_LEN)
		return -ENOBUFS;
	buf[0] = ICMP_ECHO_T;
	buf[1] = 0;
	put16(buf + 2, 0);
	put16(buf + 4, id);
	put16(buf + 6, seq);
	for (size_t i = 0; i < ICMP_ECHO_DATA; i++)
		buf[ICMP_ECHO_HDR + i] = payload_byte(id, seq, i);
	put16(buf + 2, icmp_checksum(buf, ICMP_ECHO_LEN));
	return ICMP_ECHO_LEN;
}

int icmp_echo_reply_check(const uint8_t *pkt, size_t len, uint16_t id, uint32_t src)
{
	size_t ihl, total;
	const uint8_t *icmp;
	uint16_t seq;

	if (len < 20 || pkt[0] >> 4 != 4 || (ihl = (size_t)(pkt[0] & 0xf) * 4) < 20 || ihl > len)
		return -EBADMSG;
	/* The kernel hands a raw socket the datagram as it arrived: total length within what we got,
	 * reassembled (no fragment offset, no more-fragments bit), ICMP. */
	total = get16(pkt + 2);
	if (total < ihl + ICMP_ECHO_HDR || total > len || (get16(pkt + 6) & 0x3fff) || pkt[9] != IPPROTO_ICMP_N)
		return -EBADMSG;
	icmp = pkt + ihl;
	len = total - ihl;
	if (icmp_checksum(icmp, len))
		return -EBADMSG;
	if (icmp[0] != ICMP_ECHOREPLY_T || icmp[1] != 0 || get16(icmp + 4) != id || memcmp(pkt + 12, &src, 4))
		return -ENOMSG;
	seq = get16(icmp + 6);
	if (len != ICMP_ECHO_LEN)
		return -EILSEQ;
	for (size_t i = 0; i < ICMP_ECHO_DATA; i++)
		if (icmp[ICMP_ECHO_HDR + i] != payload_byte(id, seq, i))
			return -EILSEQ;
	return seq;
}
