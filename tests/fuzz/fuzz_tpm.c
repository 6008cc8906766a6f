/* TPM 2.0 responses: any bytes are decoded as a GetCapability(PCRS) answer and as a PCR_Extend
 * answer. Success means response code 0 and at most TPM_MAX_BANKS banks; a TPM error carries a
 * nonzero code that has a name; a malformed answer says why. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "../../lib/boot/tpm.h"

static void check(int ret, uint32_t rc, const char *why)
{
	char name[96];

	if (ret == 0 && rc != 0)
		abort();
	if (ret == -EREMOTEIO && (rc == 0 || rc == TPM_RC_NONE || !tpm_rc_name(rc, name, sizeof(name))[0]))
		abort();
	if (ret == -EPROTO && (!why || rc != TPM_RC_NONE))
		abort();
	if (ret && ret != -EREMOTEIO && ret != -EPROTO)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tpm_banks b;
	const char *why = NULL;
	uint32_t rc;
	char name[32];
	int ret;

	ret = tpm_rsp_getcap_pcrs(data, size, &b, &rc, &why);
	check(ret, rc, why);
	if (b.n > TPM_MAX_BANKS || (ret && b.n))
		abort();
	for (size_t i = 0; i < b.n; i++)
		(void)tpm_alg_name(b.alg[i], name, sizeof(name));
	why = NULL;
	ret = tpm_rsp_pcr_extend(data, size, &rc, &why);
	check(ret, rc, why);
	return 0;
}
