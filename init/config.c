/* Loading the configuration: the file (absent is fine, unreadable is an error), then the kernel
 * command line. Shared by PID 1, `ferry plan` and `ferry net`, so all three parse the same way. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "ferry.h"
#include "stages.h"

#define CONFIG_MAX (64 * 1024)

/* Read at most max bytes; -EFBIG when there is more. */
static int read_small(const char *path, char **out, size_t *len, size_t max)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC), ret = 0;
	char *buf = NULL;
	size_t n = 0;

	if (fd < 0)
		return -errno;
	buf = malloc(max + 1);
	if (!buf) {
		ret = -ENOMEM;
		goto out;
	}
	for (;;) {
		ssize_t r = read(fd, buf + n, max + 1 - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			ret = -errno;
			goto out;
		}
		if (r == 0)
			break;
		n += r;
		if (n > max) {
			ret = -EFBIG;
			goto out;
		}
	}
	buf[n] = 0;
	*out = buf;
	*len = n;
	buf = NULL;
out:
	free(buf);
	close(fd);
	return ret;
}

int config_load(struct ferry_config *c, const char *file, const char *cmdline)
{
	char *buf;
	size_t len;
	int ret;

	cfg_init(c, file);
	ret = read_small(file, &buf, &len, CONFIG_MAX);
	if (ret == 0) {
		cfg_parse_file(c, buf, len);
		free(buf);
	} else if (ret != -ENOENT) {
		/* cfg_parse_line records errors; reuse the same list for an unreadable file. */
		snprintf(c->errors[c->nerrors++], sizeof(c->errors[0]), "%s: cannot read: %s%s", file,
			 strerror(-ret), ret == -EFBIG ? " (over 64 KiB)" : "");
	}
	if (cmdline) {
		cfg_parse_cmdline(c, cmdline, strlen(cmdline));
		return 0;
	}
	ret = read_small("/proc/cmdline", &buf, &len, CONFIG_MAX);
	if (ret < 0)
		return ret;
	cfg_parse_cmdline(c, buf, len);
	free(buf);
	return 0;
}
