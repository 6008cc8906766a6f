#include <errno.h>
#include <sys/socket.h>
#include "ueventsock.h"

int uevent_drain(int sock, char *buf, size_t len, void (*fn)(void *arg, const struct uevent *ev),
		 void (*lost)(void *arg), void *arg)
{
	struct uevent ev;
	int count = 0;

	for (;;) {
		ssize_t n = recv(sock, buf, len - 1, MSG_DONTWAIT);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == ENOBUFS) {
			lost(arg);
			continue;
		}
		if (n < 0)
			return errno == EAGAIN || errno == EWOULDBLOCK ? count : -errno;
		if (n == 0)
			return count;
		buf[n] = 0;
		if (uevent_parse(buf, (size_t)n, &ev) < 0)
			continue;
		fn(arg, &ev);
		count++;
	}
}
