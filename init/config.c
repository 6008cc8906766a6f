/* Loading the configuration: the file (absent is fine, unreadable is an error), then the kernel
 * command line. Shared by PID 1, `ferry plan` and `ferry net`, so all three parse the same way. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
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
