/* DNS A and AAAA lookups for netboot URLs (RFC 1035): a query built into a buffer, an answer
 * checked and read. Pure. Every length and compression pointer is checked against the packet; a
 * name is followed through at most DNS_MAX_PTRS pointers. */
#ifndef FERRY_DNS_H
#define FERRY_DNS_H
#include <stddef.h>
#include <stdint.h>

#define DNS_PORT 53
#define DNS_TYPE_A 1
#define DNS_TYPE_AAAA 28
#define DNS_PKT_MAX 1232
#define DNS_MAX_PTRS 16

/* The query for name (a host name: letters, digits, '-', '_', '.', labels of 1-63, at most 253)
 * with recursion desired. Its length, or -EINVAL. */
int dns_query(uint8_t *buf, size_t cap, uint16_t id, const char *name, uint16_t type);
/* The first A (4 bytes) or AAAA (16 bytes) record of the answer to query id. 0, or -ENOENT (no such
 * name, or no record of that type), -EMSGSIZE (truncated), -EPROTO (a server error), -EBADMSG
 * (malformed), -ESRCH (another id, or not an answer); *why names it. */
int dns_answer(const uint8_t *buf, size_t len, uint16_t id, uint16_t type, uint8_t *addr, const char **why);

#endif
