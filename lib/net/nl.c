/* Netlink messages. Replies are checked the way libmnl's mnl_cb_run does: each header must fit,
 * the sequence and port must be ours, an NLMSG_ERROR carries -errno (0 is the ACK). */
#include <errno.h>
#include <poll.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include "nl.h"

#define ALIGN(n) NLMSG_ALIGN(n)

int nl_open(struct nl_sock *s, int proto, uint32_t groups)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK, .nl_groups = groups };
	socklen_t len = sizeof(sa);
	int one = 1, ret;

	s->seq = 1;
	s->fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK, proto);
	if (s->fd < 0)
		return -errno;
	/* Errors carry only the header of our request back: smaller and never truncated. */
	(void)setsockopt(s->fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
	if (bind(s->fd, (struct sockaddr *)&sa, sizeof(sa)) || getsockname(s->fd, (struct sockaddr *)&sa, &len)) {
		ret = -errno;
		nl_close(s);
		return ret;
	}
	s->portid = sa.nl_pid;
	return 0;
}

int nl_join(struct nl_sock *s, unsigned group)
{
	return setsockopt(s->fd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, &group, sizeof(group)) ? -errno : 0;
}

void nl_close(struct nl_sock *s)
{
	if (s->fd >= 0)
		close(s->fd);
	s->fd = -1;
}

struct nlmsghdr *nl_msg_init(void *buf, size_t cap, uint16_t type, uint16_t flags)
{
	struct nlmsghdr *n = buf;

	if (cap < NLMSG_HDRLEN)
		return NULL;
	memset(n, 0, NLMSG_HDRLEN);
	n->nlmsg_len = NLMSG_HDRLEN;
	n->nlmsg_type = type;
	n->nlmsg_flags = NLM_F_REQUEST | flags;
	return n;
}

void *nl_msg_extra(struct nlmsghdr *n, size_t cap, size_t len)
{
	char *p = (char *)n + n->nlmsg_len;

	if (cap - n->nlmsg_len < ALIGN(len))
		return NULL;
	memset(p, 0, ALIGN(len));
	n->nlmsg_len += ALIGN(len);
	return p;
}

int nl_attr_put(struct nlmsghdr *n, size_t cap, uint16_t type, const void *data, size_t len)
{
	struct nlattr *a = (struct nlattr *)((char *)n + n->nlmsg_len);
	size_t need = ALIGN(NLA_HDRLEN + len);

	if (len > 0xffff - NLA_HDRLEN || cap - n->nlmsg_len < need)
		return -EMSGSIZE;
	memset(a, 0, need);
	a->nla_type = type;
	a->nla_len = NLA_HDRLEN + len;
	memcpy((char *)a + NLA_HDRLEN, data, len);
	n->nlmsg_len += need;
	return 0;
}

int nl_attr_put_u32(struct nlmsghdr *n, size_t cap, uint16_t type, uint32_t v)
{
	return nl_attr_put(n, cap, type, &v, sizeof(v));
}

int nl_attr_put_str(struct nlmsghdr *n, size_t cap, uint16_t type, const char *s)
{
	return nl_attr_put(n, cap, type, s, strlen(s) + 1);
}

int nl_attr_parse(const struct nlmsghdr *n, size_t hdrlen, const struct nlattr **tb, unsigned max)
{
	size_t off = NLMSG_HDRLEN + ALIGN(hdrlen);

	memset(tb, 0, (max + 1) * sizeof(*tb));
	if (n->nlmsg_len < off)
		return -EBADMSG;
	while (n->nlmsg_len - off >= NLA_HDRLEN) {
		const struct nlattr *a = (const void *)((const char *)n + off);
		unsigned type = a->nla_type & NLA_TYPE_MASK;
		if (a->nla_len < NLA_HDRLEN || a->nla_len > n->nlmsg_len - off)
			return -EBADMSG;
		if (type <= max)
			tb[type] = a;
		off += ALIGN(a->nla_len);
		if (off > n->nlmsg_len)  /* the last attribute's padding may be missing */
			break;
	}
	return 0;
}

const void *nl_attr_data(const struct nlattr *a)
{
	return (const char *)a + NLA_HDRLEN;
}

size_t nl_attr_len(const struct nlattr *a)
{
	return a->nla_len - NLA_HDRLEN;
}

int nl_attr_u32(const struct nlattr *a, uint32_t *v)
{
	if (!a || nl_attr_len(a) != 4)
		return -EBADMSG;
	memcpy(v, nl_attr_data(a), 4);
	return 0;
}

static int error_of(const struct nlmsghdr *n)
{
	const struct nlmsgerr *e = NLMSG_DATA(n);

	if (n->nlmsg_len < NLMSG_LENGTH(sizeof(*e)))
		return -EBADMSG;
	/* The kernel sends -errno; a positive value would be a bug, never a success. */
	return e->error <= 0 ? e->error : -EPROTO;
}

int nl_run(const void *buf, size_t len, uint32_t seq, uint32_t portid, nl_cb cb, void *arg)
{
	size_t off = 0;
	int ret;

	/* Offsets rather than NLMSG_NEXT: with a size_t length its subtraction can wrap. */
	while (len - off >= NLMSG_HDRLEN) {
		const struct nlmsghdr *n = (const void *)((const char *)buf + off);
		if (n->nlmsg_len < NLMSG_HDRLEN || n->nlmsg_len > len - off)
			return -EBADMSG;
		off += ALIGN(n->nlmsg_len) < len - off ? ALIGN(n->nlmsg_len) : len - off;
		if ((seq && n->nlmsg_seq != seq) || (portid && n->nlmsg_pid && n->nlmsg_pid != portid))
			continue;  /* a stale reply to an earlier request, or not ours */
		if (n->nlmsg_type == NLMSG_DONE)
			return 0;
		if (n->nlmsg_type == NLMSG_ERROR)
			return error_of(n);
		if (n->nlmsg_type < NLMSG_MIN_TYPE)
			continue;  /* NOOP, OVERRUN */
		if (cb && (ret = cb(n, arg)) < 0)
			return ret;
	}
	return off == len ? 1 : -EBADMSG;
}

/* One datagram into buf; -EMSGSIZE if the kernel had to cut it. */
static ssize_t recv_one(int fd, void *buf, size_t cap)
{
	struct sockaddr_nl sa;
	struct iovec iov = { buf, cap };
	struct msghdr m = { .msg_name = &sa, .msg_namelen = sizeof(sa), .msg_iov = &iov, .msg_iovlen = 1 };
	ssize_t r;

	do
		r = recvmsg(fd, &m, 0);
	while (r < 0 && errno == EINTR);
	if (r < 0)
		return -errno;
	if (m.msg_flags & MSG_TRUNC)
		return -EMSGSIZE;
	/* Only the kernel (port 0) may speak to us; anything else is spoofing from userspace. */
	return sa.nl_pid ? -EPERM : r;
}

static int wait_readable(int fd)
{
	struct pollfd p = { fd, POLLIN, 0 };
	int r;

	/* The kernel queues the reply before sendmsg returns; the bound only guards against a bug. */
	do
		r = poll(&p, 1, 5000);
	while (r < 0 && errno == EINTR);
	return r < 0 ? -errno : r == 0 ? -ETIMEDOUT : 0;
}

int nl_talk(struct nl_sock *s, struct nlmsghdr *n, nl_cb cb, void *arg)
{
	static uint64_t buf[NL_BUF / 8];
	ssize_t len;
	int ret;

	n->nlmsg_seq = ++s->seq;
	n->nlmsg_flags |= NLM_F_ACK;
	if (send(s->fd, n, n->nlmsg_len, 0) < 0)
		return -errno;
	for (;;) {
		len = recv_one(s->fd, buf, sizeof(buf));
		if (len == -EAGAIN) {
			if ((ret = wait_readable(s->fd)))
				return ret;
			continue;
		}
		if (len < 0)
			return len;
		if ((ret = nl_run(buf, len, s->seq, s->portid, cb, arg)) != 1)
			return ret;
	}
}

int nl_recv_events(struct nl_sock *s, nl_cb cb, void *arg)
{
	static uint64_t buf[NL_BUF / 8];
	ssize_t len = recv_one(s->fd, buf, sizeof(buf));
	int ret;

	if (len < 0)
		return len;
	ret = nl_run(buf, len, 0, 0, cb, arg);
	return ret < 0 ? ret : 0;
}
