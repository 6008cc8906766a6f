/* DHCP sockets. The packet socket is SOCK_DGRAM: the kernel strips the link header, so frames
 * start at the IPv4 header and the same code serves any link with IPv4 framing. */
#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <linux/filter.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <sys/socket.h>
#include "dhcpsock.h"

/* Accept IPv4/UDP to port 68 that is not a fragment; everything else stays in the kernel. */
static const struct sock_filter filter[] = {
	BPF_STMT(BPF_LD | BPF_B | BPF_ABS, 9),                 /* protocol */
	BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, IPPROTO_UDP, 0, 6),
	BPF_STMT(BPF_LD | BPF_H | BPF_ABS, 6),                 /* flags and fragment offset */
	BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, 0x3fff, 4, 0),
	BPF_STMT(BPF_LDX | BPF_B | BPF_MSH, 0),                /* X = IP header length */
	BPF_STMT(BPF_LD | BPF_H | BPF_IND, 2),                 /* UDP destination port */
	BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 68, 0, 1),
	BPF_STMT(BPF_RET | BPF_K, 0xffff),
	BPF_STMT(BPF_RET | BPF_K, 0),
};

int dhcpsock_open(int ifindex)
{
	struct sock_fprog prog = { sizeof(filter) / sizeof(filter[0]), (struct sock_filter *)filter };
	struct sockaddr_ll sll = { .sll_family = AF_PACKET, .sll_protocol = htons(ETH_P_IP), .sll_ifindex = ifindex };
	/* Protocol 0 here and ETH_P_IP at bind: a socket created with a protocol is hooked on every
	 * link at once, and moving it to one link at bind waits for an RCU grace period (~10 ms). */
	int fd = socket(AF_PACKET, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0), one = 1, ret;

	if (fd < 0)
		return -errno;
	if (setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &prog, sizeof(prog)) ||
	    setsockopt(fd, SOL_PACKET, PACKET_AUXDATA, &one, sizeof(one)) ||
	    bind(fd, (struct sockaddr *)&sll, sizeof(sll))) {
		ret = -errno;
		close(fd);
		return ret;
	}
	return fd;
}

int dhcpsock_send(int fd, int ifindex, const uint8_t *frame, size_t len)
{
	struct sockaddr_ll sll = { .sll_family = AF_PACKET, .sll_protocol = htons(ETH_P_IP),
		.sll_ifindex = ifindex, .sll_halen = 6 };

	memset(sll.sll_addr, 0xff, 6);
	/* A packet socket bound while its link was down (or that saw the link go down) holds a
	 * pending ENETDOWN: the kernel reports it on the next call and sends nothing. Once read,
	 * it is gone, so one retry sends the frame if the link is up now. */
	for (int tries = 0; tries < 2; tries++) {
		if (sendto(fd, frame, len, 0, (struct sockaddr *)&sll, sizeof(sll)) >= 0)
			return 0;
		if (errno != ENETDOWN)
			break;
	}
	return -errno;
}

ssize_t dhcpsock_recv(int fd, uint8_t *buf, size_t cap, bool *check_udp)
{
	struct sockaddr_ll sll;
	union { struct cmsghdr h; char b[CMSG_SPACE(sizeof(struct tpacket_auxdata))]; } cbuf;
	struct iovec iov = { buf, cap };
	struct msghdr m = { .msg_name = &sll, .msg_namelen = sizeof(sll), .msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = &cbuf, .msg_controllen = sizeof(cbuf) };
	ssize_t n = recvmsg(fd, &m, 0);

	if (n < 0)
		return -errno;
	if (sll.sll_pkttype == PACKET_OUTGOING)
		return 0;
	*check_udp = true;
	for (struct cmsghdr *c = CMSG_FIRSTHDR(&m); c; c = CMSG_NXTHDR(&m, c)) {
		struct tpacket_auxdata aux;
		if (c->cmsg_level != SOL_PACKET || c->cmsg_type != PACKET_AUXDATA)
			continue;
		memcpy(&aux, CMSG_DATA(c), sizeof(aux));
		if (aux.tp_status & TP_STATUS_CSUMNOTREADY)
			*check_udp = false;
	}
	return (m.msg_flags & MSG_TRUNC) ? -EMSGSIZE : n;
}

int dhcpsock_send_udp(const char *ifname, struct in_addr src, struct in_addr dst, const uint8_t *msg, size_t len)
{
	struct sockaddr_in from = { .sin_family = AF_INET, .sin_port = htons(68), .sin_addr = src };
	struct sockaddr_in to = { .sin_family = AF_INET, .sin_port = htons(67), .sin_addr = dst };
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0), one = 1, ret = 0;

	if (fd < 0)
		return -errno;
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	    setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, ifname, strlen(ifname) + 1) ||
	    bind(fd, (struct sockaddr *)&from, sizeof(from)) ||
	    sendto(fd, msg, len, 0, (struct sockaddr *)&to, sizeof(to)) < 0)
		ret = -errno;
	close(fd);
	return ret;
}
