/* /dev/caam-keygen requests. Every buffer that can hold key material is cleared on failure. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include "caam.h"

/* The ABI is fixed by the kernel header; a layout change here must fail the build. */
_Static_assert(sizeof(struct caam_keygen_cmd) == 56, "caam_keygen_cmd is 56 bytes");
_Static_assert(CAAM_KEYGEN_IOCTL_CREATE == 0xC0384B00u, "CREATE ioctl number");
_Static_assert(CAAM_KEYGEN_IOCTL_IMPORT == 0xC0384B01u, "IMPORT ioctl number");

static int sys_ioctl(int fd, unsigned long req, void *arg)
{
	return ioctl(fd, req, arg);
}

int caam_dev_open(struct caam_dev *d, const char *path)
{
	d->fd = open(path, O_RDWR | O_CLOEXEC);
	d->ioctl = sys_ioctl;
	return d->fd < 0 ? -errno : 0;
}

void caam_dev_close(struct caam_dev *d)
{
	if (d->fd >= 0)
		(void)close(d->fd);
	d->fd = -1;
}

/* The driver writes a NUL-terminated message into the output buffer it could not fill. */
static void take_msg(char *msg, size_t msglen, const uint8_t *buf, size_t buflen)
{
	size_t n = strnlen((const char *)buf, buflen);

	if (!msg || !msglen)
		return;
	if (n >= msglen)
		n = msglen - 1;
	memcpy(msg, buf, n);
	msg[n] = '\0';
	/* "Invalid key size ...\n": the trailing newline would break our one-line messages. */
	while (n && (msg[n - 1] == '\n' || msg[n - 1] == '.'))
		msg[--n] = '\0';
}

static void clear_msg(char *msg, size_t msglen)
{
	if (msg && msglen)
		msg[0] = '\0';
}

int caam_import(const struct caam_dev *d, const uint8_t *blob, size_t blob_len,
		uint8_t key[static CAAM_BLACK_KEY_MAX], size_t *key_len, char *msg, size_t msglen)
{
	uint8_t in[CAAM_BLOB_MAX];
	struct caam_keygen_cmd cmd;
	int ret = 0;

	clear_msg(msg, msglen);
	*key_len = 0;
	memset(key, 0, CAAM_BLACK_KEY_MAX);
	if (blob_len == 0 || blob_len > CAAM_BLOB_MAX)
		return -EMSGSIZE;
	/* A private copy: the driver only reads it, but the caller's buffer may be const. */
	memcpy(in, blob, blob_len);
	memset(&cmd, 0, sizeof(cmd));
	cmd.black_key = (uintptr_t)key;
	cmd.black_key_len = CAAM_BLACK_KEY_MAX;
	cmd.blob = (uintptr_t)in;
	cmd.blob_len = blob_len;
	if (d->ioctl(d->fd, CAAM_KEYGEN_IOCTL_IMPORT, &cmd) < 0) {
		ret = -errno;
		take_msg(msg, msglen, key, CAAM_BLACK_KEY_MAX);
		goto out;
	}
	if (cmd.black_key_len == 0 || cmd.black_key_len > CAAM_BLACK_KEY_MAX) {
		ret = -EPROTO;
		goto out;
	}
	*key_len = cmd.black_key_len;
out:
	if (ret < 0)
		explicit_bzero(key, CAAM_BLACK_KEY_MAX);
	explicit_bzero(in, sizeof(in));
	return ret;
}

int caam_create(const struct caam_dev *d, unsigned key_bytes,
		uint8_t key[static CAAM_BLACK_KEY_MAX], size_t *key_len,
		uint8_t blob[static CAAM_BLOB_MAX], size_t *blob_len, char *msg, size_t msglen)
{
	static const char enc[] = "ecb", mode[] = "-s";
	char size[8];
	struct caam_keygen_cmd cmd;
	int ret = 0;

	clear_msg(msg, msglen);
	*key_len = *blob_len = 0;
	memset(key, 0, CAAM_BLACK_KEY_MAX);
	memset(blob, 0, CAAM_BLOB_MAX);
	if (key_bytes < CAAM_KEY_MIN || key_bytes > CAAM_KEY_MAX)
		return -EINVAL;
	snprintf(size, sizeof(size), "%u", key_bytes);
	/* The driver copies each string with its length and compares with strcmp: send the NUL. */
	memset(&cmd, 0, sizeof(cmd));
	cmd.key_enc = (uintptr_t)enc;
	cmd.key_enc_len = sizeof(enc);
	cmd.key_mode = (uintptr_t)mode;
	cmd.key_mode_len = sizeof(mode);
	cmd.key_value = (uintptr_t)size;
	cmd.key_value_len = strlen(size) + 1;
	cmd.black_key = (uintptr_t)key;
	cmd.black_key_len = CAAM_BLACK_KEY_MAX;
	cmd.blob = (uintptr_t)blob;
	cmd.blob_len = CAAM_BLOB_MAX;
	if (d->ioctl(d->fd, CAAM_KEYGEN_IOCTL_CREATE, &cmd) < 0) {
		ret = -errno;
		take_msg(msg, msglen, blob, CAAM_BLOB_MAX);
		goto out;
	}
	if (!cmd.black_key_len || cmd.black_key_len > CAAM_BLACK_KEY_MAX ||
	    !cmd.blob_len || cmd.blob_len > CAAM_BLOB_MAX) {
		ret = -EPROTO;
		goto out;
	}
	*key_len = cmd.black_key_len;
	*blob_len = cmd.blob_len;
out:
	if (ret < 0) {
		explicit_bzero(key, CAAM_BLACK_KEY_MAX);
		explicit_bzero(blob, CAAM_BLOB_MAX);
	}
	return ret;
}

/* /proc/crypto: "name         : tk(cbc(aes))" lines, one block per algorithm. */
int caam_crypto_has(const char *buf, size_t len, const char *alg)
{
	size_t alen = strlen(alg);
	const char *p = buf, *end = buf + len;

	while (p < end) {
		const char *nl = memchr(p, '\n', end - p);
		const char *le = nl ? nl : end;
		if (le - p > 4 && !memcmp(p, "name", 4)) {
			const char *v = memchr(p, ':', le - p);
			if (v) {
				for (v++; v < le && *v == ' '; v++)
					;
				if ((size_t)(le - v) == alen && !memcmp(v, alg, alen))
					return 1;
			}
		}
		p = le + 1;
	}
	return 0;
}
