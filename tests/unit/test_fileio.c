#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/stat.h>
#include "t.h"
#include "../../lib/core/fileio.h"

int main(void)
{
	alarm(60);  /* an open that blocks on the FIFO fails the test instead of hanging it */
	char dir[] = "/tmp/ferry-fileio-XXXXXX", path[64], fifo[64], line[8], *buf;
	size_t len;
	int fd;

	T_OK(mkdtemp(dir) != NULL);
	snprintf(path, sizeof(path), "%s/f", dir);
	fd = open(path, O_WRONLY | O_CREAT, 0600);
	T_EQ(fd_write_all(fd, "hello\nworld\n", 12), 0);
	close(fd);
	T_EQ(file_read_all(path, 100, &buf, &len), 0);
	T_EQ(len, 12);
	T_STREQ(buf, "hello\nworld\n");
	free(buf);
	T_EQ(file_read_all(path, 5, &buf, &len), -EFBIG);
	T_EQ(file_read_all(dir, 100, &buf, &len), -EISDIR);
	T_EQ(file_read_all("/nonexistent/x", 100, &buf, &len), -ENOENT);
	snprintf(fifo, sizeof(fifo), "%s/fifo", dir);
	T_EQ(mkfifo(fifo, 0600), 0);
	T_EQ(file_read_all(fifo, 100, &buf, &len), -EINVAL);  /* and it did not block */
	T_EQ(file_open_regular(fifo), -EINVAL);
	T_EQ(file_open_regular(dir), -EISDIR);
	T_EQ(file_read_line(fifo, line, sizeof(line)), -EINVAL);
	T_EQ(file_read_line("/dev/zero", line, sizeof(line)), -EINVAL);
	fd = file_open_regular(path);
	T_OK(fd >= 0 && read(fd, line, 5) == 5 && !memcmp(line, "hello", 5));
	close(fd);
	/* proc files report size 0 */
	T_EQ(file_read_all("/proc/self/status", 1 << 20, &buf, &len), 0);
	T_OK(len > 100 && !strncmp(buf, "Name:", 5));
	free(buf);
	T_EQ(file_read_line(path, line, sizeof(line)), 0);
	T_STREQ(line, "hello\nw");
	fd = open("/dev/full", O_WRONLY);
	T_EQ(fd_write_all(fd, "x", 1), -ENOSPC);
	close(fd);
	unlink(fifo);
	unlink(path);
	rmdir(dir);
	return T_DONE();
}
