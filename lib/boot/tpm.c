/* TPM 2.0 commands for measured boot. A command is a 10-byte header (tag, size, command code), the
 * handles, for TPM_ST_SESSIONS the authorization area (its size, then each session), then the
 * parameters; a response is tag, size, response code, then for a session command the parameter
 * size, the parameters and the sessions' acknowledgements. */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "tpm.h"

#define TPM_ST_NO_SESSIONS   0x8001
#define TPM_ST_SESSIONS      0x8002
#define TPM_CC_PCR_EXTEND    0x00000182
#define TPM_CC_GET_CAPABILITY 0x0000017a
#define TPM_CAP_PCRS         0x00000005
#define TPM_RS_PW            0x40000009
#define TPM_HDR              10

/* A bounded writer and reader: an overrun sets bad and writes or reads nothing more. */
struct wr { unsigned char *p; size_t n, cap; int bad; };
struct rd { const unsigned char *p; size_t n, off; int bad; };

static void put(struct wr *w, uint64_t v, int bytes)
{
	if (w->bad || w->cap - w->n < (size_t)bytes) {
		w->bad = 1;
		return;
	}
	for (int i = bytes - 1; i >= 0; i--)
		w->p[w->n++] = (unsigned char)(v >> (8 * i));
}

static uint32_t get(struct rd *r, int bytes)
{
	uint32_t v = 0;

	if (r->bad || r->n - r->off < (size_t)bytes) {
		r->bad = 1;
		return 0;
	}
	for (int i = 0; i < bytes; i++)
		v = v << 8 | r->p[r->off++];
	return v;
}

static size_t finish(struct wr *w)
{
	if (w->bad || w->n < TPM_HDR)
		return 0;
	for (int i = 0; i < 4; i++)       /* commandSize, now known */
		w->p[2 + i] = (unsigned char)(w->n >> (24 - 8 * i));
	return w->n;
}

size_t tpm_cmd_getcap_pcrs(unsigned char *buf, size_t len)
{
	struct wr w = { buf, 0, len, 0 };

	put(&w, TPM_ST_NO_SESSIONS, 2), put(&w, 0, 4), put(&w, TPM_CC_GET_CAPABILITY, 4);
	put(&w, TPM_CAP_PCRS, 4), put(&w, 0, 4), put(&w, 1, 4);  /* capability, property, propertyCount */
	return finish(&w);
}

size_t tpm_cmd_pcr_extend(unsigned char *buf, size_t len, uint32_t pcr, const struct tpm_digest *d, size_t n)
{
	struct wr w = { buf, 0, len, 0 };
	enum sha_alg a;

	if (!n || n > TPM_MAX_BANKS || pcr > 23)
		return 0;
	put(&w, TPM_ST_SESSIONS, 2), put(&w, 0, 4), put(&w, TPM_CC_PCR_EXTEND, 4);
	put(&w, pcr, 4);
	/* authorizationSize, then TPMS_AUTH_COMMAND: the password session, empty nonce and password */
	put(&w, 9, 4), put(&w, TPM_RS_PW, 4), put(&w, 0, 2), put(&w, 0, 1), put(&w, 0, 2);
	put(&w, n, 4);                                        /* TPML_DIGEST_VALUES */
	for (size_t i = 0; i < n; i++) {
		if (tpm_alg_sha(d[i].alg, &a) < 0)
			return 0;
		put(&w, d[i].alg, 2);
		for (size_t j = 0; j < sha_len(a); j++)
			put(&w, d[i].d[j], 1);
	}
	return finish(&w);
}

/* The header both decoders share: tag, size (must be n), response code. 0, or the decoder's result. */
static int rsp_header(struct rd *r, uint32_t *rc, const char **why)
{
	uint32_t tag = get(r, 2), size = get(r, 4);

	*rc = get(r, 4);
	if (r->bad)
		return *rc = TPM_RC_NONE, *why = "a response shorter than its 10-byte header", -EPROTO;
	if (size != r->n)
		return *rc = TPM_RC_NONE, *why = "a response whose size field is not its length", -EPROTO;
	if (*rc > 0xfff)      /* every TPM 1.2 and 2.0 code fits in 12 bits */
		return *rc = TPM_RC_NONE, *why = "a response code with reserved bits set", -EPROTO;
	if (*rc)
		return -EREMOTEIO;    /* an error response is its header alone, whatever the tag */
	if (tag != TPM_ST_NO_SESSIONS && tag != TPM_ST_SESSIONS)
		return *rc = TPM_RC_NONE, *why = "a response tag that is not TPM 2.0's", -EPROTO;
	return 0;
}

int tpm_rsp_getcap_pcrs(const unsigned char *rsp, size_t n, struct tpm_banks *b, uint32_t *rc, const char **why)
{
	struct rd r = { rsp, n, 0, 0 };
	int ret = rsp_header(&r, rc, why);

	b->n = 0;
	if (ret)
		return ret;
	*why = NULL;
	(void)get(&r, 1);                                     /* moreData: the PCRS list is one answer */
	uint32_t cap = get(&r, 4), count = get(&r, 4);
	if (!r.bad && cap != TPM_CAP_PCRS)
		return *rc = TPM_RC_NONE, *why = "a capability answer that is not TPM_CAP_PCRS", -EPROTO;
	for (uint32_t i = 0; !r.bad && i < count; i++) {
		uint16_t alg = (uint16_t)get(&r, 2);
		uint32_t sel = get(&r, 1), any = 0;
		for (uint32_t j = 0; j < sel; j++)
			any |= get(&r, 1);
		if (r.bad || !any)
			continue;                                 /* an allocated bank with no PCR is not active */
		for (size_t j = 0; j < b->n; j++)
			if (b->alg[j] == alg)
				*why = "a PCR bank listed twice";
		if (b->n == TPM_MAX_BANKS)
			*why = "more active PCR banks than ferry can extend";
		if (*why)
			break;
		b->alg[b->n++] = alg;
	}
	if (r.bad)
		*why = "a TPML_PCR_SELECTION past the end of the response";
	if (*why)
		return b->n = 0, *rc = TPM_RC_NONE, -EPROTO;
	return 0;
}

int tpm_rsp_pcr_extend(const unsigned char *rsp, size_t n, uint32_t *rc, const char **why)
{
	struct rd r = { rsp, n, 0, 0 };
	int ret = rsp_header(&r, rc, why);

	if (ret)
		return ret;
	/* parameterSize (PCR_Extend has no parameters), then the password session's acknowledgement */
	uint32_t psize = get(&r, 4);
	if (!r.bad && psize > r.n - r.off)
		return *rc = TPM_RC_NONE, *why = "a parameter size past the end of the response", -EPROTO;
	return 0;
}

/* The codes GetCapability and PCR_Extend can meet, names inline (a pointer each would cost a
 * relocation in the static-pie binary). */
static const struct { uint16_t rc; char name[14]; } rc_names[] = {
	/* format 1 (the number in bits 0-5, plus which parameter, handle or session) */
	{ 0x083, "HASH" }, { 0x084, "VALUE" }, { 0x08b, "HANDLE" }, { 0x08e, "AUTH_FAIL" }, { 0x095, "SIZE" },
	{ 0x097, "TAG" }, { 0x09a, "INSUFFICIENT" }, { 0x0a1, "RESERVED_BITS" }, { 0x0a2, "BAD_AUTH" },
	/* format 0, TPM 2.0 (VER1) */
	{ 0x100, "INITIALIZE" }, { 0x101, "FAILURE" }, { 0x120, "DISABLED" }, { 0x124, "AUTH_TYPE" },
	{ 0x125, "AUTH_MISSING" }, { 0x127, "PCR" }, { 0x128, "PCR_CHANGED" }, { 0x12d, "UPGRADE" },
	{ 0x130, "REBOOT" }, { 0x142, "COMMAND_SIZE" }, { 0x143, "COMMAND_CODE" }, { 0x144, "AUTHSIZE" },
	{ 0x145, "AUTH_CONTEXT" }, { 0x153, "NEEDS_TEST" },
	/* warnings (WARN | VER1) */
	{ 0x904, "MEMORY" }, { 0x907, "LOCALITY" }, { 0x908, "YIELDED" },
	{ 0x909, "CANCELED" }, { 0x90a, "TESTING" }, { 0x921, "LOCKOUT" }, { 0x922, "RETRY" },
};

const char *tpm_rc_name(uint32_t rc, char *buf, size_t len)
{
	const char *name = NULL, *where = "";
	uint32_t key = rc, num = 0;

	if (rc == TPM_RC_NONE) {
		snprintf(buf, len, "no response code (a malformed response)");
		return buf;
	}
	if (rc & 0x080) {                          /* format 1: which parameter, handle or session */
		key = 0x080 | (rc & 0x3f);
		if (rc & 0x040)
			where = ", parameter", num = (rc >> 8) & 0xf;
		else if (rc & 0x800)
			where = ", session", num = (rc >> 8) & 0x7;
		else if ((rc >> 8) & 0x7)
			where = ", handle", num = (rc >> 8) & 0x7;
	} else if (!(rc & 0x100)) {
		snprintf(buf, len, "TPM 1.2 error %u (0x%x)", rc & 0xfff, rc);   /* QEMU's backend when swtpm is gone */
		return buf;
	}
	for (size_t i = 0; i < sizeof(rc_names) / sizeof(rc_names[0]); i++)
		if (rc_names[i].rc == key)
			name = rc_names[i].name;
	if (name && *where)
		snprintf(buf, len, "TPM_RC_%s%s %u (0x%x)", name, where, num, rc);
	else if (name)
		snprintf(buf, len, "TPM_RC_%s (0x%x)", name, rc);
	else
		snprintf(buf, len, "TPM response code 0x%x", rc);
	return buf;
}

int tpm_alg_sha(uint16_t alg, enum sha_alg *out)
{
	switch (alg) {
	case TPM_ALG_SHA1: *out = SHA_1; return 0;
	case TPM_ALG_SHA256: *out = SHA_256; return 0;
	case TPM_ALG_SHA384: *out = SHA_384; return 0;
	case TPM_ALG_SHA512: *out = SHA_512; return 0;
	}
	return -ENOTSUP;
}

const char *tpm_alg_name(uint16_t alg, char *buf, size_t len)
{
	enum sha_alg a;

	if (tpm_alg_sha(alg, &a) == 0)
		snprintf(buf, len, "%s", sha_name(a));
	else if (alg == TPM_ALG_SM3_256)
		snprintf(buf, len, "sm3_256");
	else
		snprintf(buf, len, "alg 0x%04x", alg);
	return buf;
}

static int64_t now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/* The kernel's TPM device takes a command in one write and gives the response in one read; with
 * O_NONBLOCK the write queues it (a worker transmits) and poll says when the answer is there, so
 * a TPM that never answers costs timeout_ms, not the driver's minutes of retries. */
ssize_t tpm_transact(int fd, const unsigned char *cmd, size_t n, unsigned char *rsp, size_t cap, int timeout_ms)
{
	int64_t end = now_ms() + timeout_ms;
	struct pollfd p = { .fd = fd, .events = POLLIN };
	ssize_t w, got;

	do
		w = write(fd, cmd, n);
	while (w < 0 && errno == EINTR);
	if (w < 0)
		return -errno;
	if ((size_t)w != n)
		return -EIO;
	for (;;) {
		int64_t left = end - now_ms();
		int r = left > 0 ? poll(&p, 1, (int)left) : 0;
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -errno;
		if (r == 0)
			return -ETIMEDOUT;
		got = read(fd, rsp, cap);
		if (got < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (got < 0)
			return -errno;
		break;
	}
	if (got < TPM_HDR)
		return -EPROTO;
	uint32_t size = (uint32_t)rsp[2] << 24 | (uint32_t)rsp[3] << 16 | (uint32_t)rsp[4] << 8 | rsp[5];
	return size == (uint32_t)got ? got : -EPROTO;
}
