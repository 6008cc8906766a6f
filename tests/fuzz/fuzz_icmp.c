/* The echo reply check fed any datagram: it must stay within len, and whatever it accepts must be
 * an echo reply from the source with our id whose payload is the one built for its seq. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "../../lib/net/icmp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *copy, want[ICMP_ECHO_LEN];
	uint32_t src;
	uint16_t id;
	int seq;

	if (size < 6)
		return 0;
	memcpy(&src, data, 4);
	id = (uint16_t)(data[4] << 8 | data[5]);
	/* an exact-size copy, so ASan sees any read past the datagram */
	size -= 6;
	if (!(copy = malloc(size ? size : 1)))
		return 0;
	memcpy(copy, data + 6, size);
	seq = icmp_echo_reply_check(copy, size, id, src);
	if (seq >= 0) {
		size_t ihl = (size_t)(copy[0] & 0xf) * 4;

		if (seq > 0xffff || size < ihl + ICMP_ECHO_LEN || memcmp(copy + 12, &src, 4) || copy[ihl] != 0)
			abort();
		icmp_echo_build(want, sizeof(want), id, (uint16_t)seq);
		if (memcmp(copy + ihl + 4, want + 4, ICMP_ECHO_LEN - 4) || icmp_checksum(copy + ihl, ICMP_ECHO_LEN))
			abort();
	}
	free(copy);
	return 0;
}
