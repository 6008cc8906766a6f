/* Loading the configuration: the file (absent is fine, unreadable is an error), then the kernel
 * command line. Shared by PID 1, `ferry plan` and `ferry net`, so all three parse the same way. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include "ferry.h"
#include "stages.h"
#include "../lib/core/fileio.h"

#define CONFIG_MAX (64 * 1024)

int config_load(struct ferry_config *c, const char *file, const char *cmdline)
{
	char *buf;
	size_t len;
	int ret;

	cfg_init(c, file ? file : "(no config file)");
	ret = file ? file_read_all(file, CONFIG_MAX, &buf, &len) : -ENOENT;
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
	ret = file_read_all("/proc/cmdline", CONFIG_MAX, &buf, &len);
	if (ret < 0)
		return ret;
	cfg_parse_cmdline(c, buf, len);
	free(buf);
	return 0;
}

/* init= names ferry itself when it is the same file as the running binary */
static bool names_ferry(const char *path)
{
	struct stat a, b;

	return !stat(path, &a) && !stat("/proc/self/exe", &b) && a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

int config_plan(struct ferry_config *c, struct boot_plan *p, const char *file, const char *cmdline,
		bool is_self)
{
	int ret = config_load(c, file, cmdline);

	(void)bootplan_build(c, p, is_self ? names_ferry : NULL);
	return ret;
}

const char *config_ignored(const struct ferry_config *c, size_t i, char *buf, size_t len)
{
	snprintf(buf, len, "%s on the command line ignored: %s is locked", c->ignored[i], c->file);
	return buf;
}
