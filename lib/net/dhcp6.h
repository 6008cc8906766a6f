/* DHCPv6 (RFC 8415) messages for a client with one IA_NA: Solicit and Request built, Advertise and
 * Reply checked and read (addresses, DNS servers (option 23, RFC 3646), the boot file URL (option
 * 59, RFC 5970)). Pure. The client's DUID is DUID-LL from its MAC (type 3, hardware type 1), its
 * IAID the MAC's last four bytes. */
#ifndef FERRY_DHCP6_H
#define FERRY_DHCP6_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <netinet/in.h>

enum { DHCP6_SOLICIT = 1, DHCP6_ADVERTISE = 2, DHCP6_REQUEST = 3, DHCP6_REPLY = 7, DHCP6_INFO_REQUEST = 11 };
enum { DHCP6_CLIENT_PORT = 546, DHCP6_SERVER_PORT = 547, DHCP6_MAX_DNS = 3, DHCP6_DUID_MAX = 130 };
#define DHCP6_PKT_MAX 1232

struct dhcp6_lease {
	uint8_t type;                /* ADVERTISE or REPLY */
	uint8_t serverid[DHCP6_DUID_MAX];
	size_t serverid_len;
	uint8_t pref;                /* option 7, 0 without it */
	bool rapid;                  /* a Reply to a Solicit with rapid commit */
	struct in6_addr addr;        /* from our IA_NA */
	uint32_t preferred, valid, t1, t2;  /* seconds */
	struct in6_addr dns[DHCP6_MAX_DNS];
	int ndns;
	char bootfile[256];          /* option 59, "" without it */
};

/* type SOLICIT (with rapid commit), REQUEST (with the Advertise's server id and address in from)
 * or INFO_REQUEST (stateless, RFC 8415 18.2.6: no IA_NA). Its length, or -ENOSPC. */
int dhcp6_build(uint8_t *buf, size_t cap, int type, uint32_t xid, const uint8_t mac[6], uint16_t elapsed_cs,
		const struct dhcp6_lease *from);
/* 0, or -ESRCH (not ours: another transaction or client, or not an answer), -EBADMSG (malformed),
 * -EPROTO (a status code refusing us, or, with want_addr, no address); *why names it. */
int dhcp6_parse(const uint8_t *p, size_t len, uint32_t xid, const uint8_t mac[6], bool want_addr,
		struct dhcp6_lease *out, const char **why);

#endif
