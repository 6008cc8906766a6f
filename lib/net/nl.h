/* A minimal netlink layer, in the shape of wireguard-tools' "minimized libmnl": messages built in a
 * caller's buffer, attributes, and replies checked for sequence, port and errors. */
#ifndef FERRY_NL_H
#define FERRY_NL_H
#include <stddef.h>
#include <stdint.h>
#include <linux/netlink.h>

#define NL_BUF 32768   /* one recv: the kernel never sends a dump part larger than this */

struct nl_sock {
	int fd;
	uint32_t portid;  /* our address, from getsockname */
	uint32_t seq;
};

/* A reply callback: <0 stops the walk with that error, 0 continues. */
typedef int (*nl_cb)(const struct nlmsghdr *n, void *arg);

/* Open a netlink socket (NETLINK_ROUTE...), nonblocking and close-on-exec, joined to groups. */
int nl_open(struct nl_sock *s, int proto, uint32_t groups);
int nl_join(struct nl_sock *s, unsigned group);
void nl_close(struct nl_sock *s);

/* --- building: buf is aligned and cap bytes long; every put checks cap --------------------------- */
struct nlmsghdr *nl_msg_init(void *buf, size_t cap, uint16_t type, uint16_t flags);
/* Append len zeroed bytes (the family header), returning them, or NULL when cap is short. */
void *nl_msg_extra(struct nlmsghdr *n, size_t cap, size_t len);
int nl_attr_put(struct nlmsghdr *n, size_t cap, uint16_t type, const void *data, size_t len);
int nl_attr_put_u32(struct nlmsghdr *n, size_t cap, uint16_t type, uint32_t v);
int nl_attr_put_str(struct nlmsghdr *n, size_t cap, uint16_t type, const char *s);

/* --- parsing: pure ---------------------------------------------------------------------------------- */
/* Index the attributes after a family header of hdrlen bytes: tb[type] for type <= max (later
 * duplicates win). -EBADMSG if an attribute runs past the message. */
int nl_attr_parse(const struct nlmsghdr *n, size_t hdrlen, const struct nlattr **tb, unsigned max);
const void *nl_attr_data(const struct nlattr *a);
size_t nl_attr_len(const struct nlattr *a);
int nl_attr_u32(const struct nlattr *a, uint32_t *v);   /* -EBADMSG if not 4 bytes */
/* Walk one datagram of replies to (seq, portid); seq 0 and portid 0 accept anything (events).
 * Data messages go to cb. Returns 1 when more is to come, 0 on NLMSG_DONE or the ACK, -errno
 * from an NLMSG_ERROR, -EBADMSG for a malformed datagram, or cb's error. */
int nl_run(const void *buf, size_t len, uint32_t seq, uint32_t portid, nl_cb cb, void *arg);

/* --- I/O ---------------------------------------------------------------------------------------------- */
/* Send n with a fresh sequence number and NLM_F_ACK, then read replies until the ACK or DONE.
 * The kernel answers rtnetlink requests within sendmsg, so this waits for no one. */
int nl_talk(struct nl_sock *s, struct nlmsghdr *n, nl_cb cb, void *arg);
/* Read what is pending on an event socket and pass each message to cb; -EAGAIN when none. */
int nl_recv_events(struct nl_sock *s, nl_cb cb, void *arg);

#endif
