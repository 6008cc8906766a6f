/* The neighbour-discovery socket: one raw ICMPv6 socket for every link, router advertisements in
 * (with the hop limit and the link they came on), router solicitations out at hop limit 255. */
#ifndef FERRY_NDSOCK_H
#define FERRY_NDSOCK_H
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <netinet/in.h>

int ndsock_open(void);
/* To ff02::2 on ifindex; -EADDRNOTAVAIL while the link-local address is still tentative. */
int ndsock_solicit(int fd, int ifindex, const uint8_t *mac);
/* One packet: its length, or -EAGAIN; *hoplimit -1 when the kernel did not say. */
ssize_t ndsock_recv(int fd, uint8_t *buf, size_t cap, int *ifindex, int *hoplimit, struct in6_addr *src);

#endif
