/* SHA-1/256/384/512 against the FIPS 180-4 example vectors (NIST CSRC "Examples with intermediate
 * values"), every split of each message across two and three sha_update calls, every length from
 * 0 to 299 (every padding boundary of both block sizes), and one million 'a'. */
#include <stdlib.h>
#include "t.h"
#include "../../lib/crypt/sha.h"

static const char m448[] = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
static const char m896[] = "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqr"
			   "lmnopqrsmnopqrstnopqrstu";

struct vec { const char *msg; const char *hex[4]; };
static const struct vec vecs[] = {
	{ "abc", { "a9993e364706816aba3e25717850c26c9cd0d89d",
		   "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
		   "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc2358baeca134c825a7",
		   "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd"
		   "454d4423643ce80e2a9ac94fa54ca49f" } },
	{ m448, { "84983e441c3bd26ebaae4aa1f95129e5e54670f1",
		  "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1",
		  "3391fdddfc8dc7393707a65b1b4709397cf8b1d162af05abfe8f450de5f36bc6b0455a8520bc4e6f5fe95b1fe3c8452b",
		  "204a8fc6dda82f0a0ced7beb8e08a41657c16ef468b228a8279be331a703c33596fd15c13b1b07f9aa1d3bea57789ca0"
		  "31ad85c7a71dd70354ec631238ca3445" } },
	{ m896, { "a49b2446a02c645bf419f995b67091253a04a259",
		  "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1",
		  "09330c33f71147e83d192fc782cd1b4753111b173b3b05d22fa08086e3b0f712fcc7c71a557e2db966c3e9fa91746039",
		  "8e959b75dae313da8cf4f72814fc143f8f7779c6eb9f7fa17299aeadb6889018501d289e4900f7e4331b99dec4b5433a"
		  "c7d329eeb6dd26545e96e55b874be909" } },
	{ "", { "da39a3ee5e6b4b0d3255bfef95601890afd80709",
		"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
		"38b060a751ac96384cd9327eb1b1e36a21fdb71114be07434c0cc7bf63f6e1da274edebfe76f65fbd51ad2f14898b95b",
		"cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce47d0d13c5d85f2b0ff8318d2877eec2f"
		"63b931bd47417a81a538327af927da3e" } },
};

/* One million 'a' (FIPS 180-4's third example). */
static const char *million[4] = {
	"34aa973cd4c4daa4f61eeb2bdbad27316534016f",
	"cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0",
	"9d0e1809716474cb086e834e310a4a1ced149e9c00f248527972cec5704c2a5b07b8b3dc38ecc4ebae97ddd87f3d8985",
	"e718483d0ce769644e2e42c7bc15b4638e1f98b13b2044285632a803afa973ebde0ff244877ea60a4cb0432ce577c31b"
	"eb009c5c2c49aa2e4eadb217ad8cc09b",
};

/* H(H(m0) || H(m1) || ... || H(m299)), mN = bytes 0,1,2,...N-1 (mod 256): Python's hashlib. */
static const char *chain[4] = {
	"7261d91c9ffd63ee8e68156d4d57e733d4ad7243",
	"df90175783c44235cf6aefd935a2c2747f42399416d16789ece339f1fd26d835",
	"6e7bbca78761c12cbe06d9d1874b8f819d0757200359f40f7cda1918979607d5e98c18577fdbb9804b7b2fce35afcd8e",
	"97248248ab8e9324b9577e93acd92914d32bb25edcacbb91edb75576dea14781b5b477c027835c43a08ddc16cbbcd6d0"
	"67d159897e5c18aa43aeeb2e49811bb3",
};

static void hex(const unsigned char *d, size_t n, char *out)
{
	for (size_t i = 0; i < n; i++)
		sprintf(out + 2 * i, "%02x", d[i]);
}

static void digest_hex(enum sha_alg a, const void *p, size_t n, char *out)
{
	struct sha_ctx c;
	unsigned char d[SHA_MAX_LEN];

	sha_init(&c, a);
	sha_update(&c, p, n);
	sha_final(&c, d);
	hex(d, sha_len(a), out);
}

static void test_vectors(void)
{
	char got[2 * SHA_MAX_LEN + 1];

	for (size_t v = 0; v < sizeof(vecs) / sizeof(vecs[0]); v++)
		for (int a = SHA_1; a <= SHA_512; a++) {
			digest_hex(a, vecs[v].msg, strlen(vecs[v].msg), got);
			T_STREQ(got, vecs[v].hex[a]);
		}
}

/* Every split point i <= j: update(m[0..i]), update(m[i..j]), update(m[j..]). */
static void test_splits(void)
{
	char got[2 * SHA_MAX_LEN + 1];
	int bad = 0, runs = 0;

	for (size_t v = 0; v < sizeof(vecs) / sizeof(vecs[0]); v++) {
		const char *m = vecs[v].msg;
		size_t n = strlen(m);
		for (int a = SHA_1; a <= SHA_512; a++)
			for (size_t i = 0; i <= n; i++)
				for (size_t j = i; j <= n; j++) {
					struct sha_ctx c;
					unsigned char d[SHA_MAX_LEN];
					sha_init(&c, a);
					sha_update(&c, m, i);
					sha_update(&c, m + i, j - i);
					sha_update(&c, m + j, n - j);
					sha_final(&c, d);
					hex(d, sha_len(a), got);
					bad += strcmp(got, vecs[v].hex[a]) != 0;
					runs++;
				}
	}
	T_CHECK(bad == 0, "%d of %d split digests differ", bad, runs);
	T_OK(runs > 10000);
}

static void test_million(void)
{
	static char a[1000000];
	char got[2 * SHA_MAX_LEN + 1];

	memset(a, 'a', sizeof(a));
	for (int alg = SHA_1; alg <= SHA_512; alg++) {
		digest_hex(alg, a, sizeof(a), got);
		T_STREQ(got, million[alg]);
		/* in odd pieces as a file read would come */
		struct sha_ctx c;
		unsigned char d[SHA_MAX_LEN];
		sha_init(&c, alg);
		for (size_t off = 0, step = 1; off < sizeof(a); off += step, step = step * 7 % 4099 + 1)
			sha_update(&c, a + off, step < sizeof(a) - off ? step : sizeof(a) - off);
		sha_final(&c, d);
		hex(d, sha_len(alg), got);
		T_STREQ(got, million[alg]);
	}
}

static void test_lengths(void)
{
	unsigned char m[300], d[SHA_MAX_LEN], all[SHA_MAX_LEN];
	char got[2 * SHA_MAX_LEN + 1];

	for (int i = 0; i < 300; i++)
		m[i] = (unsigned char)i;
	for (int a = SHA_1; a <= SHA_512; a++) {
		struct sha_ctx outer, c;
		sha_init(&outer, a);
		for (size_t n = 0; n < 300; n++) {
			sha_init(&c, a);
			sha_update(&c, m, n);
			sha_final(&c, d);
			sha_update(&outer, d, sha_len(a));
		}
		sha_final(&outer, all);
		hex(all, sha_len(a), got);
		T_STREQ(got, chain[a]);
	}
}

static void test_names(void)
{
	T_EQ(sha_len(SHA_1), 20);
	T_EQ(sha_len(SHA_256), 32);
	T_EQ(sha_len(SHA_384), 48);
	T_EQ(sha_len(SHA_512), 64);
	T_STREQ(sha_name(SHA_256), "sha256");
	T_STREQ(sha_name(SHA_1), "sha1");
	T_OK(sizeof(struct sha_ctx) >= 128 + 64);
}

int main(void)
{
	test_vectors();
	test_splits();
	test_million();
	test_lengths();
	test_names();
	return T_DONE();
}
