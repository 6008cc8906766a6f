#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/stat.h>
#include "fileio.h"

int fd_write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;

	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			return -EIO;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

int file_open_regular(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY), ret;
	struct stat st;

	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) < 0)
		ret = -errno;
	else if (!S_ISREG(st.st_mode))
		ret = S_ISDIR(st.st_mode) ? -EISDIR : -EINVAL;
	else
		return fd;  /* O_NONBLOCK means nothing to a regular file's reads */
	close(fd);
	return ret;
}

int file_read_all(const char *path, size_t max, char **out, size_t *outlen)
{
	int fd = file_open_regular(path), ret = 0;
	size_t n = 0, cap = 4096;
	struct stat st;
	char *buf = NULL;

	if (fd < 0)
		return fd;
	if (fstat(fd, &st) < 0) {
		ret = -errno;
		goto out;
	}
	/* proc and sysfs files say size 0 or 4096: read to EOF, growing as needed. */
	if ((size_t)st.st_size >= cap)
		cap = (size_t)st.st_size + 1;
	for (;;) {
		if (n + 1 >= cap || !buf) {
			char *bigger = realloc(buf, n + 1 >= cap ? cap *= 2 : cap);
			if (!bigger) {
				ret = -ENOMEM;
				goto out;
			}
			buf = bigger;
		}
		ssize_t r = read(fd, buf + n, cap - 1 - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			ret = -errno;
			goto out;
		}
		if (r == 0)
			break;
		n += (size_t)r;
		if (n > max) {
			ret = -EFBIG;
			goto out;
		}
	}
	buf[n] = 0;
	*out = buf;
	*outlen = n;
	buf = NULL;
out:
	free(buf);
	close(fd);
	return ret;
}

int file_read_line(const char *path, char *buf, size_t len)
{
	int fd = file_open_regular(path);
	ssize_t n;

	if (fd < 0)
		return fd;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n < 0)
		return -errno;
	buf[n] = '\0';
	if (n && buf[n - 1] == '\n')
		buf[n - 1] = '\0';
	return 0;
}

int file_write_atomic(const char *path, const char *text, size_t len)
{
	char tmp[256];
	int fd, ret;

	if ((size_t)snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= sizeof(tmp))
		return -ENAMETOOLONG;
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644)) < 0)
		return -errno;
	ret = fd_write_all(fd, text, len);
	if (close(fd) && !ret)
		ret = -errno;
	if (!ret && rename(tmp, path))
		ret = -errno;
	if (ret)
		(void)unlink(tmp);
	return ret;
}
