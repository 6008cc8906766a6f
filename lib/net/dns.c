/* DNS queries and answers: see dns.h. */
#include <errno.h>
#include <string.h>
#include "dns.h"

static void put16(uint8_t *p, unsigned v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static unsigned get16(const uint8_t *p)
{
	return (unsigned)p[0] << 8 | p[1];
}

int dns_query(uint8_t *buf, size_t cap, uint16_t id, const char *name, uint16_t type)
{
	size_t n = strlen(name), o = 12;

	if (n && name[n - 1] == '.')
		n--;
	if (!n || n > 253 || cap < 12 + n + 2 + 4)
		return -EINVAL;
	memset(buf, 0, 12);
	put16(buf, id);
	buf[2] = 0x01;           /* RD */
	put16(buf + 4, 1);       /* QDCOUNT */
	for (size_t i = 0; i < n;) {
		size_t l = 0;
		while (i + l < n && name[i + l] != '.')
			l++;
		if (!l || l > 63)
			return -EINVAL;
		buf[o++] = (uint8_t)l;
		for (size_t k = 0; k < l; k++) {
			char c = name[i + k];
			if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_'))
				return -EINVAL;
			buf[o++] = (uint8_t)c;
		}
		i += l + 1;
	}
	buf[o++] = 0;
	put16(buf + o, type);
	put16(buf + o + 2, 1);   /* IN */
	return (int)(o + 4);
}

/* Past the name at *off (labels, or a pointer that ends it). */
static int skip_name(const uint8_t *buf, size_t len, size_t *off)
{
	size_t o = *off;

	for (unsigned labels = 0; labels < 128; labels++) {
		if (o >= len)
			return -EBADMSG;
		uint8_t l = buf[o];
		if ((l & 0xc0) == 0xc0) {
			if (o + 2 > len || (((size_t)(l & 0x3f) << 8) | buf[o + 1]) >= len)
				return -EBADMSG;
			*off = o + 2;
			return 0;
		}
		if (l & 0xc0)
			return -EBADMSG;
		o += 1 + l;
		if (!l) {
			*off = o;
			return 0;
		}
	}
	return -EBADMSG;
}

int dns_answer(const uint8_t *buf, size_t len, uint16_t id, uint16_t type, uint8_t *addr, const char **why)
{
	size_t off = 12, want = type == DNS_TYPE_A ? 4 : 16;
	unsigned qd, an, rcode;

	if (len < 12)
		return *why = "shorter than a DNS header", -EBADMSG;
	if (get16(buf) != id || !(buf[2] & 0x80))
		return *why = "not the answer to this query", -ESRCH;
	if (buf[2] & 0x02)
		return *why = "truncated (TC)", -EMSGSIZE;
	rcode = buf[3] & 0x0f;
	if (rcode == 3)
		return *why = "no such name (NXDOMAIN)", -ENOENT;
	if (rcode)
		return *why = "server error (RCODE not 0)", -EPROTO;
	qd = get16(buf + 4);
	an = get16(buf + 6);
	for (unsigned i = 0; i < qd; i++) {
		if (skip_name(buf, len, &off) || off + 4 > len)
			return *why = "malformed question", -EBADMSG;
		off += 4;
	}
	for (unsigned i = 0; i < an; i++) {
		unsigned t, c, rdlen;
		if (skip_name(buf, len, &off) || off + 10 > len)
			return *why = "malformed answer", -EBADMSG;
		t = get16(buf + off);
		c = get16(buf + off + 2);
		rdlen = get16(buf + off + 8);
		off += 10;
		if (off + rdlen > len)
			return *why = "answer longer than the packet", -EBADMSG;
		if (t == type && c == 1 && rdlen == want) {
			memcpy(addr, buf + off, want);
			return 0;
		}
		off += rdlen;    /* a CNAME, or another type: its target's records follow */
	}
	return *why = "no address record in the answer", -ENOENT;
}
