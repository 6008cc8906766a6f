/* ferry.watchdog='s parser, and the device open that refuses anything but a character device
 * without writing to it (a magic 'V' into a regular file would be a write to user data). */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/stat.h>
#include "t.h"
#include "../../lib/core/watchdog.h"

static void parse_ok(const char *s, unsigned want_s, const char *want_dev)
{
	unsigned sec = 0;
	char dev[64] = "";

	T_EQ(watchdog_parse(s, &sec, dev, sizeof(dev)), 0);
	T_EQ(sec, want_s);
	T_STREQ(dev, want_dev);
}

static void parse_bad(const char *s, int err)
{
	unsigned sec = 77;
	char dev[16] = "x";

	T_EQ(watchdog_parse(s, &sec, dev, sizeof(dev)), err);
	T_EQ(sec, 77);
}

int main(void)
{
	char dir[] = "/tmp/ferry-watchdog-XXXXXX", path[64], buf[8];
	unsigned actual;
	struct stat st;
	int fd;

	parse_ok("30", 30, "/dev/watchdog");
	parse_ok("1", 1, "/dev/watchdog");
	parse_ok("3600,/dev/watchdog1", 3600, "/dev/watchdog1");
	parse_bad("", -EINVAL);
	parse_bad("0", -EINVAL);
	parse_bad("3601", -EINVAL);
	parse_bad("99999", -EINVAL);
	parse_bad("-5", -EINVAL);
	parse_bad("5s", -EINVAL);
	parse_bad(",/dev/watchdog", -EINVAL);
	parse_bad("5,", -EINVAL);
	parse_bad("5,dev/watchdog", -EINVAL);
	parse_bad("5,/dev/watchdog,x", -EINVAL);
	parse_bad("5,/dev/a-very-long-watchdog-name", -ENAMETOOLONG);

	T_OK(mkdtemp(dir) != NULL);
	snprintf(path, sizeof(path), "%s/file", dir);
	fd = open(path, O_WRONLY | O_CREAT, 0600);
	T_EQ(write(fd, "data", 4), 4);
	close(fd);
	T_EQ(watchdog_open(path, 10, &actual), -ENOTTY);
	T_OK(stat(path, &st) == 0 && st.st_size == 4);      /* nothing written, no 'V' */
	fd = open(path, O_RDONLY);
	T_OK(read(fd, buf, sizeof(buf)) == 4 && !memcmp(buf, "data", 4));
	close(fd);
	T_EQ(watchdog_open(dir, 10, &actual), -EISDIR);
	snprintf(path, sizeof(path), "%s/none", dir);
	T_EQ(watchdog_open(path, 10, &actual), -ENOENT);
	/* a character device that is no watchdog: the ioctl is refused (and /dev/null takes the 'V') */
	T_EQ(watchdog_open("/dev/null", 10, &actual), -ENOTTY);
	snprintf(path, sizeof(path), "rm -rf %s", dir);
	(void)system(path);
	return T_DONE();
}
