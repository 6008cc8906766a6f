/* The watchdog device as the kernel documents it (Documentation/watchdog/watchdog-api.rst). */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <linux/watchdog.h>
#include "watchdog.h"

int watchdog_parse(const char *s, unsigned *seconds, char *dev, size_t len)
{
	const char *comma = strchr(s, ',');
	size_t digits = comma ? (size_t)(comma - s) : strlen(s);
	unsigned long v = 0;

	if (!digits || digits > 4 || strspn(s, "0123456789") != digits)
		return -EINVAL;
	for (size_t i = 0; i < digits; i++)
		v = v * 10 + (unsigned long)(s[i] - '0');
	if (v < 1 || v > WATCHDOG_MAX_S)
		return -EINVAL;
	const char *path = comma ? comma + 1 : WATCHDOG_DEFAULT_DEV;
	if (path[0] != '/' || strpbrk(path, ", \t\n"))
		return -EINVAL;
	if (strlen(path) >= len)
		return -ENAMETOOLONG;
	strcpy(dev, path);
	*seconds = (unsigned)v;
	return 0;
}

int watchdog_open(const char *dev, unsigned seconds, unsigned *actual)
{
	int fd = open(dev, O_WRONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY), t = (int)seconds, ret;
	struct stat st;

	if (fd < 0)
		return -errno;
	/* not a device: nothing may be written to it, not even the magic close */
	ret = fstat(fd, &st) < 0 ? -errno : !S_ISCHR(st.st_mode) ? -ENOTTY : 0;
	if (ret < 0) {
		close(fd);
		return ret;
	}
	if (ioctl(fd, WDIOC_SETTIMEOUT, &t) < 0) {
		ret = -errno;
		(void)watchdog_stop(fd);  /* armed by the open: disarm what could not be configured */
		return ret;
	}
	*actual = t > 0 ? (unsigned)t : seconds;
	return fd;
}

int watchdog_pet(int fd)
{
	int dummy = 0;

	return ioctl(fd, WDIOC_KEEPALIVE, &dummy) < 0 ? -errno : 0;
}

int watchdog_stop(int fd)
{
	int ret = write(fd, "V", 1) == 1 ? 0 : -errno;

	if (close(fd) < 0 && ret == 0)
		ret = -errno;
	return ret;
}
