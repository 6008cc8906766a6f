/* Whole-file reads and complete writes, the few lines every stage needs. */
#ifndef FERRY_FILEIO_H
#define FERRY_FILEIO_H
#include <stddef.h>

/* Write all of buf, retrying short writes and EINTR. 0 or -errno. */
int fd_write_all(int fd, const void *buf, size_t len);
/* Open a file named by input (a config, a boot entry, a disk) for reading: O_NONBLOCK, so that a
 * FIFO cannot block the open itself, then anything but a regular file refused (-EISDIR for a
 * directory, -EINVAL for the rest). The fd, or -errno. */
int file_open_regular(const char *path);
/* Read a regular file (proc and sysfs files included) into a malloc'd, NUL-terminated buffer.
 * -EFBIG past max bytes; -EISDIR or -EINVAL for a directory or another non-regular file (a FIFO on a
 * hostile disk must not block PID 1). */
int file_read_all(const char *path, size_t max, char **buf, size_t *len);
/* A short value (a sysfs attribute): at most len - 1 bytes, one trailing newline removed. A
 * regular file only, as above. */
int file_read_line(const char *path, char *buf, size_t len);
/* Write text to path atomically (path.tmp, then rename): a reader sees the old file or the new
 * one, never half. 0 or -errno (the .tmp removed). */
int file_write_atomic(const char *path, const char *text, size_t len);

#endif
