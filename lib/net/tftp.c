/* TFTP client state machine: see tftp.h. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "tftp.h"

enum { OP_RRQ = 1, OP_WRQ, OP_DATA, OP_ACK, OP_ERROR, OP_OACK };

static void put16(uint8_t *p, unsigned v)
{
	p[0] = v >> 8;
	p[1] = v & 0xff;
}

static unsigned get16(const uint8_t *p)
{
	return (unsigned)p[0] << 8 | p[1];
}

static void step_clear(struct tftp_step *s)
{
	s->pkt_len = 0;
	s->data = NULL;
	s->len = 0;
	s->off = 0;
	s->done = false;
}

int tftp_init(struct tftp *t, const char *file, const struct tftp_opts *o, uint64_t max_size)
{
	size_t n = strlen(file);

	memset(t, 0, sizeof(*t));
	if (!n || n >= sizeof(t->file))
		return -EINVAL;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)file[i] < 0x20 || file[i] == 0x7f)
			return -EINVAL;
	memcpy(t->file, file, n + 1);
	if (o)
		t->want = *o;
	if (t->want.blksize && (t->want.blksize < 8 || t->want.blksize > 65464))
		return -EINVAL;
	if (t->want.windowsize > 65535 || t->want.timeout_s > 255)
		return -EINVAL;
	t->max_size = max_size;
	t->timeout_ms = t->want.timeout_s ? t->want.timeout_s * 1000 : 1000;
	t->blksize = TFTP_BLKSIZE_DEF;
	t->windowsize = 1;
	return 0;
}

static size_t put_opt(uint8_t *p, const char *name, unsigned long long v)
{
	return (size_t)sprintf((char *)p, "%s", name) + 1 + (size_t)sprintf((char *)p + strlen(name) + 1, "%llu", v) + 1;
}

void tftp_start(struct tftp *t, struct tftp_step *s)
{
	uint8_t *p = s->pkt;
	size_t n = strlen(t->file);

	step_clear(s);
	put16(p, OP_RRQ);
	p += 2;
	memcpy(p, t->file, n + 1);
	p += n + 1;
	memcpy(p, "octet", 6);
	p += 6;
	if (!t->no_opts) {
		if (t->want.blksize)
			p += put_opt(p, "blksize", t->want.blksize);
		if (t->want.tsize)
			p += put_opt(p, "tsize", 0);
		if (t->want.timeout_s)
			p += put_opt(p, "timeout", t->want.timeout_s);
		if (t->want.windowsize)
			p += put_opt(p, "windowsize", t->want.windowsize);
	}
	s->pkt_len = (size_t)(p - s->pkt);
	t->st = TFTP_REQ;
}

size_t tftp_error_pkt(uint8_t *buf, size_t cap, unsigned code, const char *msg)
{
	size_t n = strlen(msg);

	if (cap < 5)
		return 0;
	if (n > cap - 5)
		n = cap - 5;
	put16(buf, OP_ERROR);
	put16(buf + 2, code);
	memcpy(buf + 4, msg, n);
	buf[4 + n] = 0;
	return n + 5;
}

static int fail(struct tftp *t, struct tftp_step *s, int err, unsigned code, const char *why)
{
	t->st = TFTP_FAILED;
	t->why = why;
	if (code != ~0u)
		s->pkt_len = tftp_error_pkt(s->pkt, sizeof(s->pkt), code, why);
	return -err;
}

static void ack(struct tftp *t, struct tftp_step *s, unsigned block)
{
	put16(s->pkt, OP_ACK);
	put16(s->pkt + 2, block);
	s->pkt_len = 4;
	t->inwin = 0;
}

/* An option's value: decimal digits only, at most 20 of them. */
static bool opt_num(const char *v, unsigned long long *out)
{
	char *end;

	if (!*v || strlen(v) > 20 || strspn(v, "0123456789") != strlen(v))
		return false;
	errno = 0;
	*out = strtoull(v, &end, 10);
	return !errno && !*end;
}

static int oack(struct tftp *t, const uint8_t *pkt, size_t len, struct tftp_step *s)
{
	const char *p = (const char *)pkt + 2, *end = (const char *)pkt + len;

	if (len < 3 || pkt[len - 1])
		return fail(t, s, TFTP_E_PROTO, 8, "OACK not NUL-terminated");
	while (p < end) {
		const char *name = p, *val = p + strlen(p) + 1;
		unsigned long long v;

		if (val >= end)
			return fail(t, s, TFTP_E_PROTO, 8, "OACK option without a value");
		p = val + strlen(val) + 1;
		if (!opt_num(val, &v))
			return fail(t, s, TFTP_E_OPTION, 8, "OACK option value not a number");
		if (!strcasecmp(name, "blksize") && t->want.blksize) {
			if (v < 8 || v > t->want.blksize)
				return fail(t, s, TFTP_E_OPTION, 8, "OACK blksize beyond the one asked");
			t->blksize = (unsigned)v;
		} else if (!strcasecmp(name, "windowsize") && t->want.windowsize) {
			if (v < 1 || v > t->want.windowsize)
				return fail(t, s, TFTP_E_OPTION, 8, "OACK windowsize beyond the one asked");
			t->windowsize = (unsigned)v;
		} else if (!strcasecmp(name, "timeout") && t->want.timeout_s) {
			if (v != t->want.timeout_s)
				return fail(t, s, TFTP_E_OPTION, 8, "OACK timeout not the one asked");
		} else if (!strcasecmp(name, "tsize") && t->want.tsize) {
			t->has_tsize = true;
			t->tsize = v;
			if (t->max_size && v > t->max_size)
				return fail(t, s, TFTP_E_TOOBIG, 3, "tsize beyond the limit");
		} else {
			return fail(t, s, TFTP_E_OPTION, 8, "OACK option not asked for");
		}
	}
	t->oack = true;
	t->st = TFTP_DATA;
	ack(t, s, 0);
	return 0;
}

static int data(struct tftp *t, const uint8_t *pkt, size_t len, struct tftp_step *s)
{
	unsigned block = get16(pkt + 2);
	uint16_t expect = (uint16_t)(t->last + 1);
	size_t n = len - 4;

	if (t->st == TFTP_REQ)
		t->st = TFTP_DATA;          /* no OACK: the server ignored the options (RFC 2347) */
	if (n > t->blksize)
		return fail(t, s, TFTP_E_PROTO, 4, "DATA longer than the block size");
	if (block != expect) {
		/* Behind: a duplicate, dropped. Ahead (within a window): a gap, ACKed once. */
		uint16_t ahead = (uint16_t)(block - expect);
		t->dups++;
		if (ahead < t->windowsize && !t->gap_acked) {
			t->gap_acked = true;
			ack(t, s, t->last);
		}
		return 0;
	}
	if (t->max_size && t->bytes + n > t->max_size)
		return fail(t, s, TFTP_E_TOOBIG, 3, "file beyond the limit");
	if (t->has_tsize && t->bytes + n > t->tsize)
		return fail(t, s, TFTP_E_SIZE, 3, "file longer than tsize");
	s->data = pkt + 4;
	s->len = n;
	s->off = t->bytes;
	t->bytes += n;
	t->blocks++;
	t->last = (uint16_t)block;
	t->gap_acked = false;
	t->retries = 0;
	t->inwin++;
	if (n < t->blksize) {
		ack(t, s, block);
		if (t->has_tsize && t->bytes != t->tsize) {
			t->st = TFTP_FAILED;
			t->why = "file shorter than tsize";
			return -TFTP_E_SIZE;
		}
		t->st = TFTP_DONE;
		s->done = true;
	} else if (t->inwin >= t->windowsize) {
		ack(t, s, block);
	}
	return 0;
}

static void copy_msg(struct tftp *t, const uint8_t *p, size_t n)
{
	size_t j = 0;

	for (size_t i = 0; i < n && p[i] && j < sizeof(t->msg) - 1; i++)
		t->msg[j++] = (p[i] >= 0x20 && p[i] < 0x7f) ? (char)p[i] : '?';
	t->msg[j] = 0;
}

int tftp_input(struct tftp *t, const uint8_t *pkt, size_t len, struct tftp_step *s)
{
	unsigned op;

	step_clear(s);
	if (t->st == TFTP_DONE || t->st == TFTP_FAILED) {
		t->why = "packet after the end";
		return -TFTP_E_STATE;
	}
	if (len < 4)
		return fail(t, s, TFTP_E_PROTO, 4, "packet shorter than 4 bytes");
	op = get16(pkt);
	switch (op) {
	case OP_DATA:
		return data(t, pkt, len, s);
	case OP_OACK:
		if (t->st != TFTP_REQ)
			return 0;           /* a duplicate OACK (our ACK 0 crossed it): dropped */
		return oack(t, pkt, len, s);
	case OP_ERROR:
		copy_msg(t, pkt + 4, len - 4);
		/* Error 8: the server refuses the options; ask once more without them. */
		if (get16(pkt + 2) == 8 && t->st == TFTP_REQ && !t->no_opts) {
			t->no_opts = true;
			tftp_start(t, s);
			return 0;
		}
		t->st = TFTP_FAILED;
		t->why = "server error";
		return -TFTP_E_SERVER;
	default:
		return fail(t, s, TFTP_E_PROTO, 4, "opcode a client does not take");
	}
}

int tftp_timeout(struct tftp *t, struct tftp_step *s)
{
	step_clear(s);
	if (t->st == TFTP_DONE || t->st == TFTP_FAILED) {
		t->why = "timeout after the end";
		return -TFTP_E_STATE;
	}
	if (++t->retries > TFTP_RETRIES) {
		t->st = TFTP_FAILED;
		t->why = "no reply";
		return -TFTP_E_TIMEOUT;
	}
	if (t->st == TFTP_REQ)
		tftp_start(t, s);
	else
		ack(t, s, t->last);
	t->gap_acked = false;
	return 0;
}

const char *tftp_strerror(int err)
{
	static const char *const name[] = {
		[TFTP_E_SERVER] = "server error",
		[TFTP_E_PROTO] = "malformed packet",
		[TFTP_E_OPTION] = "option the server may not answer",
		[TFTP_E_TOOBIG] = "file too big",
		[TFTP_E_SIZE] = "file size differs from tsize",
		[TFTP_E_TIMEOUT] = "no reply",
		[TFTP_E_STATE] = "transfer already over",
	};
	if (err < 0)
		err = -err;
	return err > 0 && err < (int)(sizeof(name) / sizeof(name[0])) && name[err] ? name[err] : "unknown";
}
