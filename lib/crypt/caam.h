/* NXP CAAM black keys through /dev/caam-keygen (linux-imx, include/uapi/linux/caam_keygen.h).
 * CREATE makes a random black key and its black blob; IMPORT turns a blob back into the tagged
 * black key that dm-crypt's capi:tk(cbc(aes)) takes as a logon key. */
#ifndef FERRY_CAAM_H
#define FERRY_CAAM_H
#include <stddef.h>
#include <stdint.h>
#include <sys/ioctl.h>

/* The uapi layout: 56 bytes where a 64-bit integer is 8-aligned (ARM, AArch64, x86_64). Pointers
 * travel as 64-bit integers; the compiler pads 4 bytes after blob_len so that blob is 8-aligned,
 * as in the kernel's own copy of the struct. */
struct caam_keygen_cmd {
	uint8_t key_enc_len;     /* "ecb"/"ccm" length, NUL included */
	uint8_t key_mode_len;    /* "-s" (random) / "-t" (from plaintext) length, NUL included */
	uint16_t key_value_len;  /* key size as decimal text, or the plaintext, NUL included */
	uint32_t black_key_len;  /* in: room at black_key; out: tagged black key length */
	uint64_t key_enc;
	uint64_t key_mode;
	uint64_t key_value;
	uint64_t black_key;      /* IMPORT writes its error message here when it refuses */
	uint32_t blob_len;       /* in: room (CREATE) or blob length (IMPORT); out: blob length */
	uint64_t blob;           /* CREATE writes its error message here when it refuses */
};

#define CAAM_KEYGEN_IOCTL_TYPE 'K'
#define CAAM_KEYGEN_IOCTL_CREATE _IOWR(CAAM_KEYGEN_IOCTL_TYPE, 0, struct caam_keygen_cmd)
#define CAAM_KEYGEN_IOCTL_IMPORT _IOWR(CAAM_KEYGEN_IOCTL_TYPE, 1, struct caam_keygen_cmd)

#define CAAM_KEYGEN_DEV "/dev/caam-keygen"
/* The driver's own bounds (caamkeyblob.h): keys of 16..64 bytes; a black key is at most
 * 64 + 12 (CCM) + 20 (tag) bytes, a blob at most 64 + 12 + 48 (blob key, MAC) + 20 bytes.
 * IMPORT copies blob_len bytes into a buffer of that size without checking: we check. */
#define CAAM_KEY_MIN 16
#define CAAM_KEY_MAX 64
#define CAAM_BLACK_KEY_MAX 96
#define CAAM_BLOB_MAX 144
#define CAAM_MSG_MAX 128

/* The seam: how a request reaches the driver. caam_dev_open fills in ioctl(2); unit tests put a
 * fake here. */
struct caam_dev {
	int fd;
	int (*ioctl)(int fd, unsigned long req, void *arg);
};

int caam_dev_open(struct caam_dev *d, const char *path);
void caam_dev_close(struct caam_dev *d);

/* Import a tagged black blob. key gets the tagged black key (*key_len bytes). On failure returns
 * -errno and copies the driver's message (possibly "") into msg; key is cleared. */
int caam_import(const struct caam_dev *d, const uint8_t *blob, size_t blob_len,
		uint8_t key[static CAAM_BLACK_KEY_MAX], size_t *key_len, char *msg, size_t msglen);

/* Create a random AES black key of key_bytes (16..64), ECB-covered, with its blob. */
int caam_create(const struct caam_dev *d, unsigned key_bytes,
		uint8_t key[static CAAM_BLACK_KEY_MAX], size_t *key_len,
		uint8_t blob[static CAAM_BLOB_MAX], size_t *blob_len, char *msg, size_t msglen);

/* Whether /proc/crypto (its text in buf) lists an algorithm by name, e.g. "tk(cbc(aes))". */
int caam_crypto_has(const char *buf, size_t len, const char *alg);

#endif
