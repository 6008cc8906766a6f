/* add_key payloads are built in fixed buffers and cleared before returning. */
#include <errno.h>
#include <fcntl.h>
#include <keyutils.h>
#include <libgen.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "keys.h"
#include "../core/fileio.h"

static int32_t add(const char *type, const char *desc, const void *payload, size_t len)
{
	key_serial_t k = add_key(type, desc, payload, len, KEY_SPEC_PROCESS_KEYRING);

	return k < 0 ? -errno : k;
}

int32_t keys_add_logon(const char *desc, const uint8_t *key, size_t len)
{
	return add("logon", desc, key, len);
}

/* "<verb> <what>[ keyhandle=0x...]" into p; -E2BIG when it does not fit. */
static int payload(char *p, size_t plen, const char *verb, const char *what, size_t wlen,
		   uint32_t keyhandle)
{
	int n = snprintf(p, plen, "%s %.*s", verb, (int)wlen, what);

	if (n < 0 || (size_t)n >= plen)
		return -E2BIG;
	if (keyhandle) {
		int m = snprintf(p + n, plen - n, " keyhandle=0x%x", keyhandle);
		if (m < 0 || (size_t)m >= plen - n)
			return -E2BIG;
		n += m;
	}
	return n;
}

static int32_t add_text(const char *type, const char *desc, const char *verb, const char *what,
			size_t wlen, uint32_t keyhandle)
{
	char p[KEYS_BLOB_MAX + 64];
	int n = wlen > KEYS_BLOB_MAX ? -E2BIG : payload(p, sizeof(p), verb, what, wlen, keyhandle);
	int32_t ret = n < 0 ? n : add(type, desc, p, n);

	explicit_bzero(p, sizeof(p));
	return ret;
}

/* A blob file may end in a newline (keyctl pipe > file); the kernel's hex parser would not take it. */
static size_t trim(const char *blob, size_t len)
{
	while (len && (blob[len - 1] == '\n' || blob[len - 1] == '\r' || blob[len - 1] == ' '))
		len--;
	return len;
}

int32_t keys_trusted_load(const char *desc, const char *blob, size_t len, uint32_t keyhandle)
{
	return add_text("trusted", desc, "load", blob, trim(blob, len), keyhandle);
}

int32_t keys_trusted_new(const char *desc, unsigned bytes, uint32_t keyhandle)
{
	char n[16];

	snprintf(n, sizeof(n), "%u", bytes);
	return add_text("trusted", desc, "new", n, strlen(n), keyhandle);
}

int32_t keys_encrypted_load(const char *desc, const char *blob, size_t len)
{
	return add_text("encrypted", desc, "load", blob, trim(blob, len), 0);
}

int32_t keys_encrypted_new(const char *desc, const char *master, unsigned bytes)
{
	char what[128];
	int n = snprintf(what, sizeof(what), "default %s %u", master, bytes);

	if (n < 0 || (size_t)n >= sizeof(what))
		return -E2BIG;
	return add_text("encrypted", desc, "new", what, n, 0);
}

ssize_t keys_read_blob(int32_t key, char *buf, size_t len)
{
	long n = keyctl_read(key, buf, len);

	if (n < 0)
		return -errno;
	/* keyctl_read returns the full size even when it copied less. */
	if ((size_t)n > len)
		return -E2BIG;
	return n;
}

int32_t keys_keep(int32_t key, const char *ring, int32_t parent)
{
	key_serial_t r = keyctl_search(parent, "keyring", ring, 0);

	if (r < 0)
		r = add_key("keyring", ring, NULL, 0, parent);
	if (r < 0)
		return -errno;
	if (keyctl_link(key, r) < 0)
		return -errno;
	return r;
}

int keys_release(int32_t key)
{
	return keyctl_unlink(key, KEY_SPEC_PROCESS_KEYRING) < 0 ? -errno : 0;
}

ssize_t keys_read_file(const char *path, void *buf, size_t len)
{
	struct stat st;
	ssize_t n, ret;
	int fd = file_open_regular(path);  /* a FIFO named as a key file must not block PID 1 */

	if (fd < 0)
		return fd;
	if (fstat(fd, &st) < 0) {
		ret = -errno;
		goto out;
	}
	if (!S_ISREG(st.st_mode) || (size_t)st.st_size > len) {
		ret = S_ISREG(st.st_mode) ? -EFBIG : -EINVAL;
		goto out;
	}
	ret = 0;
	while ((size_t)ret < len && (n = read(fd, (char *)buf + ret, len - ret)) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			ret = -errno;
			goto out;
		}
		ret += n;
	}
out:
	(void)close(fd);
	return ret;
}

static int fsync_dir(const char *path)
{
	char dir[512];
	int fd, ret = 0;

	if ((size_t)snprintf(dir, sizeof(dir), "%s", path) >= sizeof(dir))
		return -ENAMETOOLONG;
	fd = open(dirname(dir), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fsync(fd) < 0)
		ret = -errno;
	(void)close(fd);
	return ret;
}

static int write_synced(const char *tmp, const void *buf, size_t len)
{
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600), ret;

	if (fd < 0)
		return -errno;
	ret = fd_write_all(fd, buf, len);
	if (ret == 0 && fsync(fd) < 0)
		ret = -errno;
	if (close(fd) < 0 && ret == 0)
		ret = -errno;
	if (ret < 0)
		(void)unlink(tmp);
	return ret;
}

static int renamed(const char *suffix, const char *path)
{
	char tmp[512];

	if ((size_t)snprintf(tmp, sizeof(tmp), "%s%s", path, suffix) >= sizeof(tmp))
		return -ENAMETOOLONG;
	if (rename(tmp, path) < 0) {
		int ret = -errno;
		(void)unlink(tmp);
		return ret;
	}
	return fsync_dir(path);
}

int keys_write_file(const char *path, const void *buf, size_t len)
{
	char tmp[512];
	int ret;

	if ((size_t)snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= sizeof(tmp))
		return -ENAMETOOLONG;
	if ((ret = write_synced(tmp, buf, len)) < 0)
		return ret;
	return renamed(".tmp", path);
}

int keys_stage_file(const char *path, const void *buf, size_t len)
{
	char tmp[512];

	if ((size_t)snprintf(tmp, sizeof(tmp), "%s.new", path) >= sizeof(tmp))
		return -ENAMETOOLONG;
	return write_synced(tmp, buf, len);
}

int keys_commit_file(const char *path)
{
	return renamed(".new", path);
}

int keys_discard_file(const char *path)
{
	char tmp[512];

	if ((size_t)snprintf(tmp, sizeof(tmp), "%s.new", path) >= sizeof(tmp))
		return -ENAMETOOLONG;
	return unlink(tmp) < 0 && errno != ENOENT ? -errno : 0;
}
