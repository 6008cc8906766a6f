/* ferry.ocotp= and the fuse bytes: the input is a spec up to the first NUL, then nvmem bytes.
 * A decoded MAC is a unicast, non-zero one; a parsed spec is NUL-terminated and says MAC0 or MAC1. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "../../lib/net/ocotp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *nul = memchr(data, 0, size);
	size_t slen = nul ? (size_t)(nul - data) : size;
	const uint8_t *nv = nul ? nul + 1 : data;
	size_t nvlen = nul ? size - slen - 1 : size;
	char *s = malloc(slen + 1);
	struct ocotp_spec sp;
	uint8_t mac[6];
	size_t offs[3] = { OCOTP_OFF_IMX6, OCOTP_OFF_IMX8MP, 0 };
	int ret;

	if (!s)
		return 0;
	memcpy(s, data, slen);
	s[slen] = 0;
	if (!ocotp_parse_spec(s, &sp)) {
		if ((sp.which != 0 && sp.which != 1) || !memchr(sp.iface, 0, sizeof(sp.iface)) ||
		    !memchr(sp.path, 0, sizeof(sp.path)) || !sp.iface[0])
			abort();
		offs[2] = sp.offset;
	}
	for (int i = 0; i < 3; i++)
		for (int which = 0; which < 2; which++) {
			ret = ocotp_mac_decode(nv, nvlen, offs[i], which, mac);
			if (!ret && ((mac[0] & 1) || !(mac[0] | mac[1] | mac[2] | mac[3] | mac[4] | mac[5])))
				abort();
			if (ret && ret != -ERANGE && ret != -ENODATA && ret != -EADDRNOTAVAIL)
				abort();
		}
	free(s);
	return 0;
}
