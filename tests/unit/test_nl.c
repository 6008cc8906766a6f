#include <errno.h>
#include <net/if.h>
#include <linux/rtnetlink.h>
#include "t.h"
#include "../../lib/net/nl.h"
#include "../../lib/net/rtnl.h"

static uint64_t mem[512];
static int seen;

static int count_cb(const struct nlmsghdr *n, void *arg)
{
	seen++;
	return n->nlmsg_type == 99 ? -EIO : 0;
}

/* Append a message of type with payload len to buf at *off. */
static struct nlmsghdr *add(char *buf, size_t *off, uint16_t type, uint32_t seq, uint32_t pid, size_t len)
{
	struct nlmsghdr *n = (void *)(buf + *off);

	memset(n, 0, NLMSG_SPACE(len));
	n->nlmsg_len = NLMSG_LENGTH(len);
	n->nlmsg_type = type;
	n->nlmsg_seq = seq;
	n->nlmsg_pid = pid;
	*off += NLMSG_SPACE(len);
	return n;
}

static void test_run(void)
{
	char *b = (char *)mem;
	size_t off = 0;
	struct nlmsghdr *e;

	add(b, &off, RTM_NEWLINK, 7, 42, 16);
	add(b, &off, RTM_NEWLINK, 6, 42, 16);          /* stale: skipped */
	add(b, &off, RTM_NEWLINK, 7, 43, 16);          /* another port: skipped */
	seen = 0;
	T_EQ(nl_run(b, off, 7, 42, count_cb, NULL), 1);
	T_EQ(seen, 1);
	add(b, &off, NLMSG_DONE, 7, 42, 4);
	seen = 0;
	T_EQ(nl_run(b, off, 7, 42, count_cb, NULL), 0);
	T_EQ(seen, 1);

	off = 0;
	e = add(b, &off, NLMSG_ERROR, 7, 42, sizeof(struct nlmsgerr));
	((struct nlmsgerr *)NLMSG_DATA(e))->error = -EEXIST;
	T_EQ(nl_run(b, off, 7, 42, NULL, NULL), -EEXIST);
	((struct nlmsgerr *)NLMSG_DATA(e))->error = 0;
	T_EQ(nl_run(b, off, 7, 42, NULL, NULL), 0);     /* the ACK */
	((struct nlmsgerr *)NLMSG_DATA(e))->error = 5;
	T_EQ(nl_run(b, off, 7, 42, NULL, NULL), -EPROTO);
	e->nlmsg_len = NLMSG_LENGTH(2);                 /* an error too short to hold its code */
	T_EQ(nl_run(b, off, 7, 42, NULL, NULL), -EBADMSG);

	off = 0;
	e = add(b, &off, RTM_NEWLINK, 7, 42, 16);
	e->nlmsg_len = 1000;                            /* runs past the datagram */
	T_EQ(nl_run(b, off, 7, 42, count_cb, NULL), -EBADMSG);
	T_EQ(nl_run(b, 10, 7, 42, count_cb, NULL), -EBADMSG);
	off = 0;
	add(b, &off, 99, 0, 0, 0);                      /* callback errors stop the walk */
	T_EQ(nl_run(b, off, 0, 0, count_cb, NULL), -EIO);
	T_EQ(nl_run(b, 0, 0, 0, count_cb, NULL), 1);
}

static void test_build_parse(void)
{
	struct nlmsghdr *n = nl_msg_init(mem, sizeof(mem), RTM_NEWLINK, 0);
	struct ifinfomsg *ifi = nl_msg_extra(n, sizeof(mem), sizeof(*ifi));
	static const uint8_t mac[6] = { 2, 1, 2, 3, 4, 5 };
	const struct nlattr *tb[IFLA_MAX + 1];
	struct rtnl_link l;
	uint32_t v;

	T_OK(ifi != NULL);
	ifi->ifi_index = 5;
	ifi->ifi_flags = IFF_UP | IFF_LOWER_UP;
	ifi->ifi_type = 1;
	T_EQ(nl_attr_put_str(n, sizeof(mem), IFLA_IFNAME, "veth0"), 0);
	T_EQ(nl_attr_put(n, sizeof(mem), IFLA_ADDRESS, mac, 6), 0);
	T_EQ(nl_attr_put_u32(n, sizeof(mem), IFLA_MTU, 1500), 0);
	T_EQ(n->nlmsg_len % 4, 0);
	T_EQ(nl_attr_parse(n, sizeof(*ifi), tb, IFLA_MAX), 0);
	T_EQ(nl_attr_u32(tb[IFLA_MTU], &v), 0);
	T_EQ(v, 1500);
	T_EQ(nl_attr_u32(tb[IFLA_ADDRESS], &v), -EBADMSG);
	T_EQ(rtnl_link_parse(n, &l), 0);
	T_EQ(l.index, 5);
	T_STREQ(l.name, "veth0");
	T_EQ(l.maclen, 6);
	T_MEMEQ(l.mac, mac, 6);
	T_EQ(l.mtu, 1500);
	T_OK(l.flags & IFF_LOWER_UP);
	/* Cap checks: a buffer too small for the next attribute. */
	T_EQ(nl_attr_put(n, n->nlmsg_len + 4, IFLA_ADDRESS, mac, 6), -EMSGSIZE);
	T_OK(nl_msg_extra(n, n->nlmsg_len + 2, 4) == NULL);
	/* A corrupt attribute length. */
	((struct nlattr *)((char *)n + NLMSG_HDRLEN + NLMSG_ALIGN(sizeof(*ifi))))->nla_len = 2;
	T_EQ(nl_attr_parse(n, sizeof(*ifi), tb, IFLA_MAX), -EBADMSG);
	T_EQ(rtnl_link_parse(n, &l), -EBADMSG);
}

/* Read-only against the kernel (requests only, nothing changed): loopback exists in every namespace. */
static void test_kernel(void)
{
	struct nl_sock s;
	struct rtnl_link l;

	if (nl_open(&s, NETLINK_ROUTE, 0)) {
		printf("skipped: kernel part: no NETLINK_ROUTE socket\n");
		return;
	}
	T_EQ(rtnl_link_get(&s, "lo", &l), 0);
	T_EQ(l.index, (int)if_nametoindex("lo"));
	T_OK(l.flags & IFF_LOOPBACK);
	T_EQ(rtnl_link_get(&s, "nonexistent0", &l), -ENODEV);
	/* Changes are tested in tests/netns, never on the host's links. */
	nl_close(&s);
}

int main(void)
{
	test_run();
	test_build_parse();
	test_kernel();
	return T_DONE();
}
