/* SHA: the input's first byte picks the algorithm and a split pattern; the digest of the rest fed in
 * those pieces must equal the one-shot digest, and a second one-shot must agree with the first. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "../../lib/crypt/sha.h"

static void one_shot(enum sha_alg a, const uint8_t *p, size_t n, unsigned char *out)
{
	struct sha_ctx c;
	sha_init(&c, a);
	sha_update(&c, p, n);
	sha_final(&c, out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned char whole[SHA_MAX_LEN], again[SHA_MAX_LEN], inc[SHA_MAX_LEN];
	struct sha_ctx c;

	if (size < 2)
		return 0;
	enum sha_alg a = (enum sha_alg)(data[0] & 3);
	unsigned seed = data[1] | 1u;
	data += 2, size -= 2;
	one_shot(a, data, size, whole);
	one_shot(a, data, size, again);
	if (memcmp(whole, again, sha_len(a)))
		abort();
	sha_init(&c, a);
	for (size_t off = 0; off < size;) {
		size_t step = seed % 200;   /* 0-byte updates included */
		if (step > size - off)
			step = size - off;
		sha_update(&c, data + off, step);
		off += step;
		seed = seed * 1103515245u + 12345u;
		seed >>= 3;
		seed |= 1u;
	}
	sha_final(&c, inc);
	if (memcmp(whole, inc, sha_len(a)))
		abort();
	return 0;
}
