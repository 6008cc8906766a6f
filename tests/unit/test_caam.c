/* The CAAM keygen ABI and the import/create sequences, against a fake /dev/caam-keygen. */
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include "t.h"
#include "../../lib/crypt/caam.h"

/* The fake driver: a "blob" is "BLOB" + key bytes + one check byte (sum of the key bytes);
 * the tagged black key it returns is "TAG!" + the key bytes. Refusals write a message into the
 * output buffer the way caamkeygen.c does. */
static int fake_calls;
static unsigned long fake_last_req;

static void fake_msg(uint64_t ptr, uint32_t len, const char *msg)
{
	size_t n = strlen(msg);
	if (len <= 1)
		return;
	if (n > len - 1)
		n = len - 1;
	memcpy((char *)(uintptr_t)ptr, msg, n);
	((char *)(uintptr_t)ptr)[n] = '\0';
}

static int fake_import(struct caam_keygen_cmd *c)
{
	const uint8_t *b = (const uint8_t *)(uintptr_t)c->blob;
	uint8_t sum = 0;
	size_t klen = c->blob_len - 5;

	if (c->blob_len < 5 + 16 || memcmp(b, "BLOB", 4)) {
		fake_msg(c->black_key, c->black_key_len, "Unable to get tag object header configuration for blob\n");
		errno = EINVAL;
		return -1;
	}
	for (size_t i = 0; i < klen; i++)
		sum += b[4 + i];
	if (sum != b[4 + klen]) {
		fake_msg(c->black_key, c->black_key_len, "Blob decapsulation failed\n");
		errno = EBADMSG;
		return -1;
	}
	if (c->black_key_len < klen + 4) {
		c->black_key_len = klen + 4;
		errno = EINVAL;
		return -1;
	}
	memcpy((uint8_t *)(uintptr_t)c->black_key, "TAG!", 4);
	memcpy((uint8_t *)(uintptr_t)c->black_key + 4, b + 4, klen);
	c->black_key_len = klen + 4;
	return 0;
}

static int fake_create(struct caam_keygen_cmd *c)
{
	const char *enc = (const char *)(uintptr_t)c->key_enc;
	const char *mode = (const char *)(uintptr_t)c->key_mode;
	const char *val = (const char *)(uintptr_t)c->key_value;
	uint8_t *k = (uint8_t *)(uintptr_t)c->black_key, *b = (uint8_t *)(uintptr_t)c->blob;
	unsigned n;

	/* The strings must arrive NUL-terminated within their stated lengths. */
	if (!c->key_enc_len || enc[c->key_enc_len - 1] || strcmp(enc, "ecb") ||
	    !c->key_mode_len || mode[c->key_mode_len - 1] || strcmp(mode, "-s") ||
	    !c->key_value_len || val[c->key_value_len - 1]) {
		fake_msg(c->blob, c->blob_len, "Invalid arguments.\n");
		errno = EFAULT;
		return -1;
	}
	n = atoi(val);
	if (n < 16 || n > 64) {
		fake_msg(c->blob, c->blob_len, "Invalid key size, expected values are between 16 and 64 bytes.\n");
		errno = EINVAL;
		return -1;
	}
	uint8_t sum = 0;
	memcpy(b, "BLOB", 4);
	for (unsigned i = 0; i < n; i++) {
		b[4 + i] = (uint8_t)(i * 7 + 1);
		sum += b[4 + i];
	}
	b[4 + n] = sum;
	c->blob_len = n + 5;
	memcpy(k, "TAG!", 4);
	memcpy(k + 4, b + 4, n);
	c->black_key_len = n + 4;
	return 0;
}

static int fake_ioctl(int fd, unsigned long req, void *arg)
{
	fake_calls++;
	fake_last_req = req;
	if (fd != 42) {
		errno = EBADF;
		return -1;
	}
	if (req == CAAM_KEYGEN_IOCTL_IMPORT)
		return fake_import(arg);
	if (req == CAAM_KEYGEN_IOCTL_CREATE)
		return fake_create(arg);
	errno = ENOTTY;
	return -1;
}

static void test_abi(void)
{
	T_EQ(sizeof(struct caam_keygen_cmd), 56);
	T_EQ(offsetof(struct caam_keygen_cmd, key_enc_len), 0);
	T_EQ(offsetof(struct caam_keygen_cmd, key_mode_len), 1);
	T_EQ(offsetof(struct caam_keygen_cmd, key_value_len), 2);
	T_EQ(offsetof(struct caam_keygen_cmd, black_key_len), 4);
	T_EQ(offsetof(struct caam_keygen_cmd, key_enc), 8);
	T_EQ(offsetof(struct caam_keygen_cmd, key_mode), 16);
	T_EQ(offsetof(struct caam_keygen_cmd, key_value), 24);
	T_EQ(offsetof(struct caam_keygen_cmd, black_key), 32);
	T_EQ(offsetof(struct caam_keygen_cmd, blob_len), 40);
	T_EQ(offsetof(struct caam_keygen_cmd, blob), 48);
	T_EQ(CAAM_KEYGEN_IOCTL_CREATE, 0xC0384B00u);
	T_EQ(CAAM_KEYGEN_IOCTL_IMPORT, 0xC0384B01u);
}

static void test_create_then_import(void)
{
	struct caam_dev d = { .fd = 42, .ioctl = fake_ioctl };
	uint8_t key[CAAM_BLACK_KEY_MAX], key2[CAAM_BLACK_KEY_MAX], blob[CAAM_BLOB_MAX];
	size_t klen, k2len, blen;
	char msg[CAAM_MSG_MAX];

	fake_calls = 0;
	T_EQ(caam_create(&d, 16, key, &klen, blob, &blen, msg, sizeof(msg)), 0);
	T_EQ(fake_last_req, CAAM_KEYGEN_IOCTL_CREATE);
	T_EQ(klen, 20);
	T_EQ(blen, 21);
	T_STREQ(msg, "");
	T_EQ(caam_import(&d, blob, blen, key2, &k2len, msg, sizeof(msg)), 0);
	T_EQ(fake_last_req, CAAM_KEYGEN_IOCTL_IMPORT);
	T_EQ(k2len, klen);
	T_MEMEQ(key2, key, klen);
	T_EQ(fake_calls, 2);
	T_EQ(caam_create(&d, 64, key, &klen, blob, &blen, msg, sizeof(msg)), 0);
	T_EQ(klen, 68);
}

static void test_refusals(void)
{
	struct caam_dev d = { .fd = 42, .ioctl = fake_ioctl };
	uint8_t key[CAAM_BLACK_KEY_MAX], blob[CAAM_BLOB_MAX];
	size_t klen, blen;
	char msg[CAAM_MSG_MAX];

	/* A corrupt blob: the driver's message comes back, one line, and no key bytes do. */
	T_EQ(caam_create(&d, 32, key, &klen, blob, &blen, msg, sizeof(msg)), 0);
	blob[10] ^= 0x55;
	T_EQ(caam_import(&d, blob, blen, key, &klen, msg, sizeof(msg)), -EBADMSG);
	T_STREQ(msg, "Blob decapsulation failed");
	T_EQ(klen, 0);
	uint8_t zero[CAAM_BLACK_KEY_MAX] = { 0 };
	T_MEMEQ(key, zero, sizeof(zero));
	T_EQ(caam_import(&d, (const uint8_t *)"garbage garbage garbage", 23, key, &klen, msg, sizeof(msg)), -EINVAL);
	T_STREQ(msg, "Unable to get tag object header configuration for blob");
	/* The driver does not bound blob_len: an oversized blob never reaches it. */
	fake_calls = 0;
	uint8_t big[CAAM_BLOB_MAX + 1] = { 0 };
	T_EQ(caam_import(&d, big, sizeof(big), key, &klen, msg, sizeof(msg)), -EMSGSIZE);
	T_EQ(caam_import(&d, big, 0, key, &klen, msg, sizeof(msg)), -EMSGSIZE);
	T_EQ(caam_create(&d, 8, key, &klen, blob, &blen, msg, sizeof(msg)), -EINVAL);
	T_EQ(fake_calls, 0);
	/* A message longer than the caller's buffer is cut, still terminated. */
	char small[10];
	T_EQ(caam_import(&d, (const uint8_t *)"garbage garbage garbage", 23, key, &klen, small, sizeof(small)), -EINVAL);
	T_STREQ(small, "Unable to");
	struct caam_dev bad = { .fd = 7, .ioctl = fake_ioctl };
	T_EQ(caam_create(&bad, 32, key, &klen, blob, &blen, msg, sizeof(msg)), -EBADF);
	T_STREQ(msg, "");
}

static void test_proc_crypto(void)
{
	static const char pc[] =
		"name         : cbc(aes)\ndriver       : cbc-aes-caam\nmodule       : kernel\n\n"
		"name         : tk(cbc(aes))\ndriver       : tk-cbc-aes-caam\n";
	T_OK(caam_crypto_has(pc, sizeof(pc) - 1, "tk(cbc(aes))"));
	T_OK(caam_crypto_has(pc, sizeof(pc) - 1, "cbc(aes)"));
	T_OK(!caam_crypto_has(pc, sizeof(pc) - 1, "tk(ecb(aes))"));
	T_OK(!caam_crypto_has(pc, 30, "tk(cbc(aes))"));
	T_OK(!caam_crypto_has("", 0, "cbc(aes)"));
	T_OK(!caam_crypto_has(pc, sizeof(pc) - 1, "cbc-aes-caam"));
}

int main(void)
{
	test_abi();
	test_create_then_import();
	test_refusals();
	test_proc_crypto();
	return T_DONE();
}
