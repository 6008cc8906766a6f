/* SHA-1/256/384/512 after FIPS 180-4. SHA-1 and SHA-256 share the 64-byte block path, SHA-384 and
 * SHA-512 the 128-byte one. SHA-256, every TPM's bank, has its rounds unrolled by eight with the
 * working variables renamed: on a host CPU a rolled loop is as fast, but under QEMU's TCG (and on
 * small cores without store forwarding) moving eight variables through memory each round costs
 * 2.4x (make bench). */
#include <string.h>
#include "sha.h"


static const uint32_t k256[64] = {
	0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
	0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
	0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
	0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
	0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
	0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
	0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
	0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

static const uint64_t k512[80] = {
	0x428a2f98d728ae22ULL, 0x7137449123ef65cdULL, 0xb5c0fbcfec4d3b2fULL, 0xe9b5dba58189dbbcULL,
	0x3956c25bf348b538ULL, 0x59f111f1b605d019ULL, 0x923f82a4af194f9bULL, 0xab1c5ed5da6d8118ULL,
	0xd807aa98a3030242ULL, 0x12835b0145706fbeULL, 0x243185be4ee4b28cULL, 0x550c7dc3d5ffb4e2ULL,
	0x72be5d74f27b896fULL, 0x80deb1fe3b1696b1ULL, 0x9bdc06a725c71235ULL, 0xc19bf174cf692694ULL,
	0xe49b69c19ef14ad2ULL, 0xefbe4786384f25e3ULL, 0x0fc19dc68b8cd5b5ULL, 0x240ca1cc77ac9c65ULL,
	0x2de92c6f592b0275ULL, 0x4a7484aa6ea6e483ULL, 0x5cb0a9dcbd41fbd4ULL, 0x76f988da831153b5ULL,
	0x983e5152ee66dfabULL, 0xa831c66d2db43210ULL, 0xb00327c898fb213fULL, 0xbf597fc7beef0ee4ULL,
	0xc6e00bf33da88fc2ULL, 0xd5a79147930aa725ULL, 0x06ca6351e003826fULL, 0x142929670a0e6e70ULL,
	0x27b70a8546d22ffcULL, 0x2e1b21385c26c926ULL, 0x4d2c6dfc5ac42aedULL, 0x53380d139d95b3dfULL,
	0x650a73548baf63deULL, 0x766a0abb3c77b2a8ULL, 0x81c2c92e47edaee6ULL, 0x92722c851482353bULL,
	0xa2bfe8a14cf10364ULL, 0xa81a664bbc423001ULL, 0xc24b8b70d0f89791ULL, 0xc76c51a30654be30ULL,
	0xd192e819d6ef5218ULL, 0xd69906245565a910ULL, 0xf40e35855771202aULL, 0x106aa07032bbd1b8ULL,
	0x19a4c116b8d2d0c8ULL, 0x1e376c085141ab53ULL, 0x2748774cdf8eeb99ULL, 0x34b0bcb5e19b48a8ULL,
	0x391c0cb3c5c95a63ULL, 0x4ed8aa4ae3418acbULL, 0x5b9cca4f7763e373ULL, 0x682e6ff3d6b2b8a3ULL,
	0x748f82ee5defb2fcULL, 0x78a5636f43172f60ULL, 0x84c87814a1f0ab72ULL, 0x8cc702081a6439ecULL,
	0x90befffa23631e28ULL, 0xa4506cebde82bde9ULL, 0xbef9a3f7b2c67915ULL, 0xc67178f2e372532bULL,
	0xca273eceea26619cULL, 0xd186b8c721c0c207ULL, 0xeada7dd6cde0eb1eULL, 0xf57d4f7fee6ed178ULL,
	0x06f067aa72176fbaULL, 0x0a637dc5a2c898a6ULL, 0x113f9804bef90daeULL, 0x1b710b35131c471bULL,
	0x28db77f523047d84ULL, 0x32caab7b40c72493ULL, 0x3c9ebe0a15c9bebcULL, 0x431d67c49c100d4cULL,
	0x4cc5d4becb3e42b6ULL, 0x597f299cfc657e2aULL, 0x5fcb6fab3ad6faecULL, 0x6c44198c4a475817ULL,
};

static const uint32_t iv1[5] = { 0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0 };
static const uint32_t iv256[8] = {
	0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
};
static const uint64_t iv384[8] = {
	0xcbbb9d5dc1059ed8ULL, 0x629a292a367cd507ULL, 0x9159015a3070dd17ULL, 0x152fecd8f70e5939ULL,
	0x67332667ffc00b31ULL, 0x8eb44a8768581511ULL, 0xdb0c2e0d64f98fa7ULL, 0x47b5481dbefa4fa4ULL,
};
static const uint64_t iv512[8] = {
	0x6a09e667f3bcc908ULL, 0xbb67ae8584caa73bULL, 0x3c6ef372fe94f82bULL, 0xa54ff53a5f1d36f1ULL,
	0x510e527fade682d1ULL, 0x9b05688c2b3e6c1fULL, 0x1f83d9abfb41bd6bULL, 0x5be0cd19137e2179ULL,
};

static inline uint32_t ror32(uint32_t x, unsigned n) { return x >> n | x << (32 - n); }
static inline uint32_t rol32(uint32_t x, unsigned n) { return x << n | x >> (32 - n); }
static inline uint64_t ror64(uint64_t x, unsigned n) { return x >> n | x << (64 - n); }

static inline uint32_t be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static inline uint64_t be64(const unsigned char *p)
{
	return (uint64_t)be32(p) << 32 | be32(p + 4);
}

/* Twenty rounds with one f and k: a loop per group, not a choice per round (2x as fast). */
#define SHA1_ROUNDS(end, f, k) \
	for (; i < (end); i++) { \
		if (i >= 16) \
			w[i & 15] = rol32(w[(i - 3) & 15] ^ w[(i - 8) & 15] ^ w[(i - 14) & 15] ^ w[i & 15], 1); \
		t = rol32(a, 5) + (f) + e + (k) + w[i & 15]; \
		e = d, d = c, c = rol32(b, 30), b = a, a = t; \
	}

static void sha1_block(uint32_t *h, const unsigned char *p)
{
	uint32_t w[16], a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], t;
	int i = 0;

	for (int j = 0; j < 16; j++)
		w[j] = be32(p + 4 * j);
	SHA1_ROUNDS(20, d ^ (b & (c ^ d)), 0x5a827999)
	SHA1_ROUNDS(40, b ^ c ^ d, 0x6ed9eba1)
	SHA1_ROUNDS(60, (b & c) | (d & (b | c)), 0x8f1bbcdc)
	SHA1_ROUNDS(80, b ^ c ^ d, 0xca62c1d6)
	h[0] += a, h[1] += b, h[2] += c, h[3] += d, h[4] += e;
}

/* One round with the eight working variables renamed instead of moved: eight rounds per pass. */
#define R256(a, b, c, d, e, f, g, h, i) do { \
	uint32_t t1 = h + (ror32(e, 6) ^ ror32(e, 11) ^ ror32(e, 25)) + (g ^ (e & (f ^ g))) + k256[i] + w[(i) & 15]; \
	d += t1; \
	h = t1 + (ror32(a, 2) ^ ror32(a, 13) ^ ror32(a, 22)) + ((a & b) | (c & (a | b))); \
} while (0)

/* -O2 for this one function (the binary is -Os): 76 -> 83 % of sha256sum on the host (gcc; clang
 * has no per-function level) */
#if defined(__GNUC__) && !defined(__clang__)
__attribute__((optimize("O2")))
#endif
static void sha256_block(uint32_t *s, const unsigned char *p)
{
	uint32_t w[16], a = s[0], b = s[1], c = s[2], d = s[3], e = s[4], f = s[5], g = s[6], h = s[7];

	for (int i = 0; i < 64; i += 8) {
		for (int j = i; j < i + 8; j++) {
			if (j < 16) {
				w[j] = be32(p + 4 * j);
			} else {
				uint32_t x = w[(j - 15) & 15], y = w[(j - 2) & 15];
				w[j & 15] += (ror32(x, 7) ^ ror32(x, 18) ^ x >> 3) + w[(j - 7) & 15] +
					     (ror32(y, 17) ^ ror32(y, 19) ^ y >> 10);
			}
		}
		R256(a, b, c, d, e, f, g, h, i + 0);
		R256(h, a, b, c, d, e, f, g, i + 1);
		R256(g, h, a, b, c, d, e, f, i + 2);
		R256(f, g, h, a, b, c, d, e, i + 3);
		R256(e, f, g, h, a, b, c, d, i + 4);
		R256(d, e, f, g, h, a, b, c, i + 5);
		R256(c, d, e, f, g, h, a, b, i + 6);
		R256(b, c, d, e, f, g, h, a, i + 7);
	}
	s[0] += a, s[1] += b, s[2] += c, s[3] += d, s[4] += e, s[5] += f, s[6] += g, s[7] += h;
}

/* SHA-512 is the same algorithm on 64-bit words (its own rotations, 80 rounds), rolled: SHA-384
 * and SHA-512 banks are rare, and the rolled body is a third of the size. */
#define SHA2_BLOCK(name, T, ror, load, K, ROUNDS, S0, S1, s0, s1) \
static void name(T *s, const unsigned char *p) \
{ \
	T w[16], v[8]; \
	memcpy(v, s, sizeof(v)); \
	for (int i = 0; i < ROUNDS; i++) { \
		if (i < 16) { \
			w[i] = load(p + sizeof(T) * i); \
		} else { \
			T x = w[(i - 15) & 15], y = w[(i - 2) & 15]; \
			w[i & 15] += (ror(x, s0[0]) ^ ror(x, s0[1]) ^ x >> s0[2]) + w[(i - 7) & 15] + \
				     (ror(y, s1[0]) ^ ror(y, s1[1]) ^ y >> s1[2]); \
		} \
		T a = v[0], e = v[4]; \
		T t1 = v[7] + (ror(e, S1[0]) ^ ror(e, S1[1]) ^ ror(e, S1[2])) + (v[6] ^ (e & (v[5] ^ v[6]))) + K[i] + w[i & 15]; \
		T t2 = (ror(a, S0[0]) ^ ror(a, S0[1]) ^ ror(a, S0[2])) + ((a & v[1]) | (v[2] & (a | v[1]))); \
		v[7] = v[6], v[6] = v[5], v[5] = v[4], v[4] = v[3] + t1; \
		v[3] = v[2], v[2] = v[1], v[1] = v[0], v[0] = t1 + t2; \
	} \
	for (int i = 0; i < 8; i++) \
		s[i] += v[i]; \
}

static const unsigned char r512[4][3] = { { 28, 34, 39 }, { 14, 18, 41 }, { 1, 8, 7 }, { 19, 61, 6 } };
SHA2_BLOCK(sha512_block, uint64_t, ror64, be64, k512, 80, r512[0], r512[1], r512[2], r512[3])

static size_t block_len(enum sha_alg alg)
{
	return alg >= SHA_384 ? 128 : 64;
}

static void compress(struct sha_ctx *c, const unsigned char *p)
{
	if (c->alg == SHA_1)
		sha1_block(c->h.w, p);
	else if (c->alg == SHA_256)
		sha256_block(c->h.w, p);
	else
		sha512_block(c->h.d, p);
}

size_t sha_len(enum sha_alg alg)
{
	static const unsigned char len[] = { [SHA_1] = 20, [SHA_256] = 32, [SHA_384] = 48, [SHA_512] = 64 };
	return (unsigned)alg < sizeof(len) ? len[alg] : 0;
}

const char *sha_name(enum sha_alg alg)
{
	static const char *const name[] = { [SHA_1] = "sha1", [SHA_256] = "sha256", [SHA_384] = "sha384",
					    [SHA_512] = "sha512" };
	return (unsigned)alg < sizeof(name) / sizeof(name[0]) ? name[alg] : "?";
}

void sha_init(struct sha_ctx *c, enum sha_alg alg)
{
	memset(c, 0, sizeof(*c));
	c->alg = alg;
	if (alg == SHA_1)
		memcpy(c->h.w, iv1, sizeof(iv1));
	else if (alg == SHA_256)
		memcpy(c->h.w, iv256, sizeof(iv256));
	else
		memcpy(c->h.d, alg == SHA_384 ? iv384 : iv512, sizeof(iv512));
}

void sha_update(struct sha_ctx *c, const void *data, size_t n)
{
	const unsigned char *p = data;
	size_t bl = block_len(c->alg);

	c->len += n;
	if (c->fill) {
		size_t take = bl - c->fill < n ? bl - c->fill : n;
		memcpy(c->buf + c->fill, p, take);
		c->fill += take, p += take, n -= take;
		if (c->fill < bl)
			return;
		compress(c, c->buf);
		c->fill = 0;
	}
	for (; n >= bl; p += bl, n -= bl)
		compress(c, p);
	memcpy(c->buf, p, n);
	c->fill = n;
}

void sha_final(struct sha_ctx *c, unsigned char *out)
{
	size_t bl = block_len(c->alg), lenpos = bl - (bl == 128 ? 16 : 8), n = sha_len(c->alg);
	uint64_t bits = c->len << 3;

	c->buf[c->fill++] = 0x80;
	if (c->fill > lenpos) {
		memset(c->buf + c->fill, 0, bl - c->fill);
		compress(c, c->buf);
		c->fill = 0;
	}
	memset(c->buf + c->fill, 0, bl - c->fill);
	for (int i = 0; i < 8; i++)
		c->buf[bl - 1 - i] = (unsigned char)(bits >> (8 * i));
	compress(c, c->buf);
	for (size_t i = 0; i < n; i++)
		out[i] = bl == 128 ? (unsigned char)(c->h.d[i / 8] >> (56 - 8 * (i % 8)))
				   : (unsigned char)(c->h.w[i / 4] >> (24 - 8 * (i % 4)));
	memset(c, 0, sizeof(*c));
}
