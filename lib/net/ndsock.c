/* The neighbour-discovery socket (see ndsock.h). */
#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <netinet/icmp6.h>
#include <sys/socket.h>
#include "ndsock.h"
#include "ra.h"

int ndsock_open(void)
{
	struct icmp6_filter f;
	int fd = socket(AF_INET6, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK, IPPROTO_ICMPV6), one = 1, hops = 255,
	    zero = 0, ret;

	if (fd < 0)
		return -errno;
	/* Only advertisements reach this socket: every other ICMPv6 type stays in the kernel. */
	ICMP6_FILTER_SETBLOCKALL(&f);
	ICMP6_FILTER_SETPASS(ND_ROUTER_ADVERT, &f);
	if (setsockopt(fd, IPPROTO_ICMPV6, ICMP6_FILTER, &f, sizeof(f)) ||
	    setsockopt(fd, IPPROTO_IPV6, IPV6_RECVHOPLIMIT, &one, sizeof(one)) ||
	    setsockopt(fd, IPPROTO_IPV6, IPV6_RECVPKTINFO, &one, sizeof(one)) ||
	    setsockopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_HOPS, &hops, sizeof(hops)) ||
	    setsockopt(fd, IPPROTO_IPV6, IPV6_UNICAST_HOPS, &hops, sizeof(hops)) ||
	    setsockopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_LOOP, &zero, sizeof(zero))) {
		ret = -errno;
		close(fd);
		return ret;
	}
	return fd;
}

int ndsock_solicit(int fd, int ifindex, const uint8_t *mac)
{
	struct sockaddr_in6 to = { .sin6_family = AF_INET6, .sin6_scope_id = ifindex,
				   .sin6_addr.s6_addr = { 0xff, 0x02, [15] = 2 } };
	uint8_t rs[ND_RS_LEN];
	size_t n = ra_solicit(rs, mac);

	return sendto(fd, rs, n, 0, (struct sockaddr *)&to, sizeof(to)) == (ssize_t)n ? 0 : -errno;
}

ssize_t ndsock_recv(int fd, uint8_t *buf, size_t cap, int *ifindex, int *hoplimit, struct in6_addr *src)
{
	union { char b[CMSG_SPACE(sizeof(struct in6_pktinfo)) + CMSG_SPACE(sizeof(int))]; struct cmsghdr a; } c;
	struct sockaddr_in6 from;
	struct iovec iov = { buf, cap };
	struct msghdr m = { .msg_name = &from, .msg_namelen = sizeof(from), .msg_iov = &iov, .msg_iovlen = 1,
			    .msg_control = c.b, .msg_controllen = sizeof(c.b) };
	ssize_t n = recvmsg(fd, &m, MSG_DONTWAIT);

	if (n < 0)
		return -errno;
	*ifindex = 0;
	*hoplimit = -1;
	*src = from.sin6_addr;
	for (struct cmsghdr *h = CMSG_FIRSTHDR(&m); h; h = CMSG_NXTHDR(&m, h)) {
		if (h->cmsg_level != IPPROTO_IPV6)
			continue;
		if (h->cmsg_type == IPV6_HOPLIMIT && h->cmsg_len >= CMSG_LEN(sizeof(int)))
			memcpy(hoplimit, CMSG_DATA(h), sizeof(int));
		else if (h->cmsg_type == IPV6_PKTINFO && h->cmsg_len >= CMSG_LEN(sizeof(struct in6_pktinfo))) {
			struct in6_pktinfo pi;
			memcpy(&pi, CMSG_DATA(h), sizeof(pi));
			*ifindex = pi.ipi6_ifindex;
		}
	}
	if (!*ifindex)
		*ifindex = from.sin6_scope_id;
	return (m.msg_flags & MSG_TRUNC) ? -EMSGSIZE : n;
}
