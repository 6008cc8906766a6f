/* The sockets DHCP needs before an interface has an address: an AF_PACKET socket for the
 * broadcast exchange, and a plain UDP send for unicast renewals. */
#ifndef FERRY_DHCPSOCK_H
#define FERRY_DHCPSOCK_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <netinet/in.h>

/* A nonblocking packet socket on ifindex that sees only IPv4/UDP to port 68, unfragmented. */
int dhcpsock_open(int ifindex);
/* Send an IPv4 frame (dhcp_frame_build) to the link-layer broadcast address. */
int dhcpsock_send(int fd, int ifindex, const uint8_t *frame, size_t len);
/* One incoming frame; *check_udp is false when the kernel has not filled in the UDP checksum yet
 * (a sender on this host with checksum offload). Our own outgoing frames are skipped: 0. */
ssize_t dhcpsock_recv(int fd, uint8_t *buf, size_t cap, bool *check_udp);
/* Unicast msg from src:68 to dst:67 through the kernel's routing (RENEWING). */
int dhcpsock_send_udp(const char *ifname, struct in_addr src, struct in_addr dst, const uint8_t *msg, size_t len);

#endif
