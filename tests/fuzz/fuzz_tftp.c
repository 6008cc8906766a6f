/* The TFTP client's state machine fed a conversation: byte 0 picks the options asked for, then
 * packets as a 2-byte length and the bytes (length 0: a timeout). Every step must stay in bounds:
 * data within the packet, offsets in order, never beyond max_size. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "../../lib/net/tftp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tftp t;
	struct tftp_step s;
	struct tftp_opts o = { 0 };
	uint64_t stored = 0;

	if (size < 1)
		return 0;
	if (data[0] & 1)
		o.blksize = 1024;
	if (data[0] & 2)
		o.tsize = true;
	if (data[0] & 4)
		o.windowsize = 4;
	if (data[0] & 8)
		o.timeout_s = 3;
	if (tftp_init(&t, "boot/pxelinux.0", &o, 1 << 16))
		abort();
	tftp_start(&t, &s);
	for (size_t i = 1; i + 2 <= size;) {
		size_t n = (size_t)data[i] << 8 | data[i + 1];
		int r;

		i += 2;
		if (n > size - i)
			n = size - i;
		r = n ? tftp_input(&t, data + i, n, &s) : tftp_timeout(&t, &s);
		if (s.pkt_len > sizeof(s.pkt))
			abort();
		if (s.len) {
			if (s.off != stored || s.data < data + i || s.data + s.len > data + i + n)
				abort();
			stored += s.len;
			if (stored > (1 << 16))
				abort();
		}
		i += n;
		if (r && r != -TFTP_E_STATE && t.st != TFTP_FAILED)
			abort();
	}
	return 0;
}
