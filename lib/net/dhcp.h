/* DHCPv4 packets (RFC 2131, options RFC 2132, classless routes RFC 3442, long options RFC 3396).
 * Pure: builds and parses buffers; the IP/UDP framing for a packet socket is here too. */
#ifndef FERRY_DHCP_H
#define FERRY_DHCP_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <netinet/in.h>

enum dhcp_type {
	DHCP_DISCOVER = 1, DHCP_OFFER, DHCP_REQUEST, DHCP_DECLINE, DHCP_ACK, DHCP_NAK, DHCP_RELEASE,
	DHCP_INFORM,
};

#define DHCP_MAX_DNS 4
#define DHCP_MAX_ROUTES 16
#define DHCP_PKT_MAX 1500        /* one frame: IP + UDP + DHCP */
#define DHCP_INFINITE 0xffffffffu

struct dhcp_route {
	struct in_addr dst, gw;  /* gw 0.0.0.0: on-link */
	int plen;
};

/* What a reply says, validated and made safe to write into files. */
struct dhcp_lease {
	enum dhcp_type type;
	struct in_addr addr, mask, bcast, router, server_id;
	int prefixlen;
	struct in_addr dns[DHCP_MAX_DNS];
	int ndns;
	struct dhcp_route routes[DHCP_MAX_ROUTES]; /* from option 121, or the router as 0.0.0.0/0 */
	int nroutes;
	bool classless;          /* routes came from option 121 */
	uint32_t lease, t1, t2;  /* seconds; DHCP_INFINITE for no expiry */
	unsigned mtu;            /* 0: not given or too small to use */
	char hostname[64];
	char domain[256];        /* option 15: letters, digits, '-', '.', ' ' only */
	char message[64];        /* option 56, printable characters only (for NAK logs) */
	/* netboot: siaddr (0.0.0.0: none), option 66, option 67 or the file field; printable, no
	 * space or quote (else left empty) */
	struct in_addr siaddr;
	char tftp_server[64];
	char bootfile[128];
};

/* What a request carries. */
struct dhcp_req {
	enum dhcp_type type;     /* DHCP_DISCOVER, DHCP_REQUEST or DHCP_RELEASE */
	uint32_t xid;
	uint16_t secs;
	uint8_t mac[6];
	bool broadcast;          /* ask the server to broadcast its reply */
	struct in_addr ciaddr;   /* RENEWING/REBINDING/RELEASE: our address */
	struct in_addr requested;/* option 50 (SELECTING, INIT-REBOOT) */
	struct in_addr server_id;/* option 54 (SELECTING) */
	uint16_t max_size;       /* option 57, 0: leave out */
	const char *hostname;    /* option 12, NULL: leave out */
};

/* Build a BOOTP/DHCP message into buf. Returns its length, or -ENOSPC. */
int dhcp_build(uint8_t *buf, size_t cap, const struct dhcp_req *r);
/* Check and parse a server's reply: op, htype/hlen, magic, xid, chaddr, well-formed options,
 * message type OFFER/ACK/NAK, a usable address and server id. 0 or -EBADMSG/-EPROTO/-ESRCH. */
int dhcp_parse(const uint8_t *buf, size_t len, uint32_t xid, const uint8_t mac[6], struct dhcp_lease *out);
/* The concatenated value of option code (all instances, overload areas included). Returns its
 * length, -ENOENT when absent, -EBADMSG when the options are malformed, -ENOSPC if cap is short. */
int dhcp_option(const uint8_t *buf, size_t len, uint8_t code, uint8_t *out, size_t cap);
/* RFC 3442 option 121 into routes. Returns the count or -EBADMSG. */
int dhcp_parse_classless(const uint8_t *p, size_t len, struct dhcp_route *routes, int max);

/* IPv4 + UDP around a DHCP message, for an AF_PACKET SOCK_DGRAM socket. Returns the frame length. */
int dhcp_frame_build(uint8_t *buf, size_t cap, struct in_addr src, struct in_addr dst,
		     const uint8_t *msg, size_t len);
/* Validate an IPv4/UDP frame to port 68 (header lengths, checksums, no fragments) and point at
 * its payload. check_udp false: the kernel said the UDP checksum is not filled in yet (a local
 * sender with offload, PACKET_AUXDATA TP_STATUS_CSUMNOTREADY). 0 or -EBADMSG. */
int dhcp_frame_parse(const uint8_t *buf, size_t len, bool check_udp, const uint8_t **msg, size_t *msglen);

#endif
