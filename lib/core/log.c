/* The log sink. /dev/kmsg gets "<N>ferry: stage: message" (the kernel adds its own timestamp);
 * the console gets "[   123ms] ferry: stage: message". Each is one writev, so lines from the
 * modprobe helper and PID 1 never interleave mid-line. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/uio.h>
#include "log.h"
#include "loop.h"

static int kmsg_fd = -1;
static int console_fd = -1;
static int debug;
static int console_loglevel = 0; /* the kernel echoes kmsg lines below this level to the console */

void log_open(const char *kmsg_path, int cons_fd)
{
	if (kmsg_fd >= 0)
		close(kmsg_fd);
	kmsg_fd = kmsg_path ? open(kmsg_path, O_WRONLY | O_CLOEXEC | O_NOCTTY) : -1;
	console_fd = cons_fd;
	console_loglevel = 0;
	if (kmsg_fd >= 0) {
		/* A line the kernel already prints on the console is not written there twice. */
		char buf[32] = "";
		int fd = open("/proc/sys/kernel/printk", O_RDONLY | O_CLOEXEC);
		if (fd >= 0) {
			if (read(fd, buf, sizeof(buf) - 1) > 0)
				console_loglevel = atoi(buf);
			close(fd);
		}
	}
}

void log_set_debug(int on) { debug = on; }
int log_debug_enabled(void) { return debug; }

void log_vmsg(int level, const char *stage, const char *fmt, va_list ap)
{
	char prefix[32], head[64], msg[1024];
	uint64_t ms = loop_now_ms();
	int n;

	n = vsnprintf(msg, sizeof(msg) - 1, fmt, ap);
	if (n < 0)
		return;
	if ((size_t)n > sizeof(msg) - 2)
		n = sizeof(msg) - 2;
	msg[n++] = '\n';
	snprintf(head, sizeof(head), "ferry: %s: ", stage);
	if (kmsg_fd >= 0) {
		snprintf(prefix, sizeof(prefix), "<%d>", level);
		struct iovec iov[] = { { prefix, strlen(prefix) }, { head, strlen(head) }, { msg, n } };
		(void)!writev(kmsg_fd, iov, 3);
	}
	if (console_fd >= 0 && level >= console_loglevel && (level <= LOG_INFO || debug)) {
		snprintf(prefix, sizeof(prefix), "[%6llums] ", (unsigned long long)ms);
		struct iovec iov[] = { { prefix, strlen(prefix) }, { head, strlen(head) }, { msg, n } };
		(void)!writev(console_fd, iov, 3);
	}
}

void log_msg(int level, const char *stage, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vmsg(level, stage, fmt, ap);
	va_end(ap);
}
