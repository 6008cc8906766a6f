/* TPM 2.0, the two commands measured boot needs, spoken by ferry itself (no tpm2-tss): which PCR
 * banks are active (TPM2_GetCapability, TPM_CAP_PCRS) and TPM2_PCR_Extend with the empty password
 * session (TPM_RS_PW), one digest per bank. Encoders and decoders are pure (TCG TPM 2.0 Library,
 * Part 3: Commands, sections 30.2 and 22.2; big-endian, the layouts swtpm answers with); tpm_transact
 * is the one function that touches the device. */
#ifndef FERRY_TPM_H
#define FERRY_TPM_H
#include <stddef.h>
#include <stdint.h>
#include "../crypt/sha.h"

#define TPM_ALG_SHA1    0x0004
#define TPM_ALG_SHA256  0x000b
#define TPM_ALG_SHA384  0x000c
#define TPM_ALG_SHA512  0x000d
#define TPM_ALG_SM3_256 0x0012

#define TPM_MAX_BANKS 8
#define TPM_CMD_MAX 1024          /* an extend with every bank is 4 * (2 + 64) + 33 bytes */
#define TPM_RSP_MAX 4096
#define TPM_RC_NONE 0xffffffffu   /* no response code: the response itself was malformed */

struct tpm_banks {
	size_t n;
	uint16_t alg[TPM_MAX_BANKS];      /* the active banks (a PCR selected), in the TPM's order */
};

struct tpm_digest {
	uint16_t alg;
	unsigned char d[SHA_MAX_LEN];
};

/* Encoders: the command's length (<= len), or 0 when buf is too small or n out of range. */
size_t tpm_cmd_getcap_pcrs(unsigned char *buf, size_t len);
size_t tpm_cmd_pcr_extend(unsigned char *buf, size_t len, uint32_t pcr, const struct tpm_digest *d, size_t n);

/* Decoders. 0; -EREMOTEIO when the TPM answered an error (*rc holds it: tpm_rc_name); -EPROTO for a
 * response ferry cannot read (*rc = TPM_RC_NONE, *why the reason). */
int tpm_rsp_getcap_pcrs(const unsigned char *rsp, size_t n, struct tpm_banks *b, uint32_t *rc, const char **why);
int tpm_rsp_pcr_extend(const unsigned char *rsp, size_t n, uint32_t *rc, const char **why);

/* "TPM_RC_LOCALITY (0x907)", "TPM_RC_VALUE, parameter 1 (0x1c4)", a TPM 1.2 code... in buf. */
const char *tpm_rc_name(uint32_t rc, char *buf, size_t len);
/* The bank's name as the kernel's /sys/class/tpm/tpm0/pcr-<name> spells it, "alg 0x..." otherwise
 * (in buf). */
const char *tpm_alg_name(uint16_t alg, char *buf, size_t len);
/* The digest ferry computes for a bank: 0 and *out, or -ENOTSUP (SM3, anything else). */
int tpm_alg_sha(uint16_t alg, enum sha_alg *out);

/* Send a command on an fd opened O_RDWR | O_NONBLOCK (/dev/tpmrm0: the kernel runs it in a worker),
 * wait at most timeout_ms for the whole answer. The response's length, or -ETIMEDOUT, -errno, -EPROTO
 * (shorter than its header says, or longer than cap). */
ssize_t tpm_transact(int fd, const unsigned char *cmd, size_t n, unsigned char *rsp, size_t cap, int timeout_ms);

#endif
