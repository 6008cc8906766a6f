/* The TPM 2.0 encoder and decoders against exchanges recorded from swtpm (tests/unit/tpm/record.py
 * builds each command from the TCG layouts on its own, so the encoder is compared with a second
 * writing of the spec, and the responses are swtpm's). tpm_transact over a socketpair standing in
 * for /dev/tpmrm0: an answer, a TPM that never answers (the bound), a short answer. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include "t.h"
#include "tpm/exchanges.h"
#include "../../lib/boot/tpm.h"

static void digest(enum sha_alg a, const char *s, unsigned char *out)
{
	struct sha_ctx c;

	sha_init(&c, a);
	sha_update(&c, s, strlen(s));
	sha_final(&c, out);
}

static void test_encode(void)
{
	unsigned char buf[TPM_CMD_MAX];
	struct tpm_digest d[2] = { { .alg = TPM_ALG_SHA1 }, { .alg = TPM_ALG_SHA256 } };
	size_t n;

	n = tpm_cmd_getcap_pcrs(buf, sizeof(buf));
	T_EQ(n, sizeof(getcap_pcrs_cmd));
	T_MEMEQ(buf, getcap_pcrs_cmd, sizeof(getcap_pcrs_cmd));

	digest(SHA_1, "kernel", d[0].d);
	digest(SHA_256, "kernel", d[1].d);
	n = tpm_cmd_pcr_extend(buf, sizeof(buf), 9, d, 2);
	T_EQ(n, sizeof(extend9_both_cmd));
	T_MEMEQ(buf, extend9_both_cmd, sizeof(extend9_both_cmd));
	n = tpm_cmd_pcr_extend(buf, sizeof(buf), 17, d + 1, 1);
	T_EQ(n, sizeof(extend17_locality_cmd));
	T_MEMEQ(buf, extend17_locality_cmd, sizeof(extend17_locality_cmd));

	/* what the encoder refuses: a buffer too small at every length, no digest, a bank it cannot fill */
	for (size_t len = 0; len < sizeof(extend9_both_cmd); len++)
		T_EQ(tpm_cmd_pcr_extend(buf, len, 9, d, 2), 0);
	T_EQ(tpm_cmd_getcap_pcrs(buf, 21), 0);
	T_EQ(tpm_cmd_pcr_extend(buf, sizeof(buf), 9, d, 0), 0);
	T_EQ(tpm_cmd_pcr_extend(buf, sizeof(buf), 24, d, 1), 0);
	struct tpm_digest sm3 = { .alg = TPM_ALG_SM3_256 };
	T_EQ(tpm_cmd_pcr_extend(buf, sizeof(buf), 9, &sm3, 1), 0);
}

static void test_decode(void)
{
	struct tpm_banks b;
	const char *why = NULL;
	uint32_t rc = 1;
	char name[64];

	T_EQ(tpm_rsp_getcap_pcrs(getcap_pcrs_rsp, sizeof(getcap_pcrs_rsp), &b, &rc, &why), 0);
	T_EQ(rc, 0);
	T_EQ(b.n, 4);
	T_EQ(b.alg[0], TPM_ALG_SHA1);
	T_EQ(b.alg[1], TPM_ALG_SHA256);
	T_EQ(b.alg[3], TPM_ALG_SHA512);
	T_EQ(tpm_rsp_pcr_extend(extend9_both_rsp, sizeof(extend9_both_rsp), &rc, &why), 0);
	T_EQ(rc, 0);

	/* swtpm's refusals, each named */
	T_EQ(tpm_rsp_pcr_extend(extend17_locality_rsp, sizeof(extend17_locality_rsp), &rc, &why), -EREMOTEIO);
	T_STREQ(tpm_rc_name(rc, name, sizeof(name)), "TPM_RC_LOCALITY (0x907)");
	T_EQ(tpm_rsp_pcr_extend(extend_bad_alg_rsp, sizeof(extend_bad_alg_rsp), &rc, &why), -EREMOTEIO);
	T_STREQ(tpm_rc_name(rc, name, sizeof(name)), "TPM_RC_HASH, parameter 1 (0x1c3)");
	T_EQ(tpm_rsp_pcr_extend(extend_pcr30_rsp, sizeof(extend_pcr30_rsp), &rc, &why), -EREMOTEIO);
	T_STREQ(tpm_rc_name(rc, name, sizeof(name)), "TPM_RC_VALUE, handle 1 (0x184)");
	T_EQ(tpm_rsp_pcr_extend(extend_bad_session_rsp, sizeof(extend_bad_session_rsp), &rc, &why), -EREMOTEIO);
	T_STREQ(tpm_rc_name(rc, name, sizeof(name)), "TPM_RC_VALUE, session 1 (0x984)");
	T_STREQ(tpm_rc_name(0x101, name, sizeof(name)), "TPM_RC_FAILURE (0x101)");
	T_STREQ(tpm_rc_name(0x9, name, sizeof(name)), "TPM 1.2 error 9 (0x9)");
	T_STREQ(tpm_rc_name(0x1ff, name, sizeof(name)), "TPM response code 0x1ff");
	/* QEMU's answer once swtpm is gone: a TPM 1.2 TPM_FAIL header (tpm_util_write_fatal_error_response) */
	static const unsigned char qemu_fail[] = { 0x00, 0xc4, 0, 0, 0, 10, 0, 0, 0, 9 };
	T_EQ(tpm_rsp_pcr_extend(qemu_fail, sizeof(qemu_fail), &rc, &why), -EREMOTEIO);
	T_EQ(rc, 9);

	/* every truncation of the recorded answers is refused by name, never read past */
	for (size_t n = 0; n < sizeof(getcap_pcrs_rsp); n++) {
		unsigned char *p = malloc(n ? n : 1);
		memcpy(p, getcap_pcrs_rsp, n);
		why = NULL;
		T_EQ(tpm_rsp_getcap_pcrs(p, n, &b, &rc, &why), -EPROTO);
		T_OK(why && rc == TPM_RC_NONE);
		if (n >= 6) {  /* the size field made to agree: the selection list itself runs short */
			p[2] = p[3] = p[4] = 0, p[5] = (unsigned char)n;
			T_EQ(tpm_rsp_getcap_pcrs(p, n, &b, &rc, &why), -EPROTO);
		}
		free(p);
	}
	T_EQ(tpm_rsp_pcr_extend(extend9_both_rsp, 14, &rc, &why), -EPROTO);
	T_STREQ(why, "a response whose size field is not its length");
}

/* The host's view of the extend: new = H(old || digest). swtpm's PCR 9 after one extend with
 * SHA-256("kernel") from zeros is what record.py read back with TPM2_PCR_Read. */
static void test_chain(void)
{
	unsigned char buf[64] = { 0 }, out[32];
	struct sha_ctx c;

	digest(SHA_256, "kernel", buf + 32);
	sha_init(&c, SHA_256);
	sha_update(&c, buf, 64);
	sha_final(&c, out);
	T_MEMEQ(out, read9_sha256_rsp + sizeof(read9_sha256_rsp) - 32, 32);
}

static long ms_since(const struct timespec *t0)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (t.tv_sec - t0->tv_sec) * 1000 + (t.tv_nsec - t0->tv_nsec) / 1000000;
}

static void test_transact(void)
{
	unsigned char cmd[TPM_CMD_MAX], rsp[TPM_RSP_MAX], got[TPM_CMD_MAX];
	size_t n = tpm_cmd_getcap_pcrs(cmd, sizeof(cmd));
	struct timespec t0;
	int sv[2];

	T_OK(socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_NONBLOCK, 0, sv) == 0);
	/* answered: the response is whole */
	T_EQ(write(sv[1], getcap_pcrs_rsp, sizeof(getcap_pcrs_rsp)), sizeof(getcap_pcrs_rsp));
	T_EQ(tpm_transact(sv[0], cmd, n, rsp, sizeof(rsp), 500), sizeof(getcap_pcrs_rsp));
	T_EQ(read(sv[1], got, sizeof(got)), n);
	T_MEMEQ(got, getcap_pcrs_cmd, n);
	/* never answered: bounded */
	clock_gettime(CLOCK_MONOTONIC, &t0);
	T_EQ(tpm_transact(sv[0], cmd, n, rsp, sizeof(rsp), 150), -ETIMEDOUT);
	long ms = ms_since(&t0);
	T_CHECK(ms >= 140 && ms < 1000, "timeout took %ld ms", ms);
	(void)read(sv[1], got, sizeof(got));
	/* an answer shorter than its size field */
	T_EQ(write(sv[1], getcap_pcrs_rsp, 20), 20);
	T_EQ(tpm_transact(sv[0], cmd, n, rsp, sizeof(rsp), 500), -EPROTO);
	(void)read(sv[1], got, sizeof(got));
	/* the device gone */
	close(sv[1]);
	T_OK(tpm_transact(sv[0], cmd, n, rsp, sizeof(rsp), 500) < 0);
	close(sv[0]);
}

static void test_names(void)
{
	char b[32];
	enum sha_alg a;

	T_STREQ(tpm_alg_name(TPM_ALG_SHA256, b, sizeof(b)), "sha256");
	T_STREQ(tpm_alg_name(TPM_ALG_SM3_256, b, sizeof(b)), "sm3_256");
	T_STREQ(tpm_alg_name(0x27, b, sizeof(b)), "alg 0x0027");
	T_EQ(tpm_alg_sha(TPM_ALG_SHA384, &a), 0);
	T_EQ(a, SHA_384);
	T_EQ(tpm_alg_sha(TPM_ALG_SM3_256, &a), -ENOTSUP);
}

int main(void)
{
	test_encode();
	test_decode();
	test_chain();
	test_transact();
	test_names();
	return T_DONE();
}
