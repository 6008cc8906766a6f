/* SHA-1, SHA-256, SHA-384, SHA-512 (FIPS 180-4), ferry's own: the TPM's PCR banks and netboot's
 * image checks need digests, and a libcrypto would cost more than the whole binary. Pure, no I/O. */
#ifndef FERRY_SHA_H
#define FERRY_SHA_H
#include <stddef.h>
#include <stdint.h>

enum sha_alg { SHA_1, SHA_256, SHA_384, SHA_512 };

#define SHA_MAX_LEN 64     /* the longest digest (SHA-512) */

struct sha_ctx {
	enum sha_alg alg;
	union { uint32_t w[8]; uint64_t d[8]; } h;
	uint64_t len;          /* message bytes so far (2^64 bits is beyond any boot file) */
	size_t fill;           /* bytes waiting in buf */
	unsigned char buf[128];
};

size_t sha_len(enum sha_alg alg);                 /* digest bytes: 20/32/48/64 */
void sha_init(struct sha_ctx *c, enum sha_alg alg);
void sha_update(struct sha_ctx *c, const void *p, size_t n);
void sha_final(struct sha_ctx *c, unsigned char *out); /* writes sha_len() bytes */

/* "sha1", "sha256", "sha384", "sha512" (the kernel's pcr-<name> and the log's spelling). */
const char *sha_name(enum sha_alg alg);

#endif
