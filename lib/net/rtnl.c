/* rtnetlink requests: each builds one message in a stack buffer and waits for its ACK. */
#include <errno.h>
#include <string.h>
#include <net/if.h>
#include <linux/if_addr.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include "rtnl.h"

#define MSG_CAP 512
#define MSG_BUF(name) uint64_t name##_buf[MSG_CAP / 8]; void *name = name##_buf

int rtnl_link_parse(const struct nlmsghdr *n, struct rtnl_link *l)
{
	const struct nlattr *tb[IFLA_MAX + 1];
	const struct ifinfomsg *ifi = NLMSG_DATA(n);
	size_t len;

	memset(l, 0, sizeof(*l));
	if ((n->nlmsg_type != RTM_NEWLINK && n->nlmsg_type != RTM_DELLINK) ||
	    n->nlmsg_len < NLMSG_LENGTH(sizeof(*ifi)) || nl_attr_parse(n, sizeof(*ifi), tb, IFLA_MAX))
		return -EBADMSG;
	l->index = ifi->ifi_index;
	l->flags = ifi->ifi_flags;
	l->type = ifi->ifi_type;
	if (!tb[IFLA_IFNAME] || (len = nl_attr_len(tb[IFLA_IFNAME])) < 2 || len > sizeof(l->name))
		return -EBADMSG;
	memcpy(l->name, nl_attr_data(tb[IFLA_IFNAME]), len);
	l->name[len - 1] = 0;
	if (tb[IFLA_ADDRESS] && nl_attr_len(tb[IFLA_ADDRESS]) == 6) {
		memcpy(l->mac, nl_attr_data(tb[IFLA_ADDRESS]), 6);
		l->maclen = 6;
	}
	(void)nl_attr_u32(tb[IFLA_MTU], &l->mtu);
	return 0;
}

struct dump { int (*fn)(const struct rtnl_link *, void *); void *arg; struct rtnl_link *one; };

static int link_cb(const struct nlmsghdr *n, void *arg)
{
	struct dump *d = arg;
	struct rtnl_link l;

	if (rtnl_link_parse(n, &l))
		return 0;  /* a link we cannot read is not ours to manage */
	if (d->one) {
		*d->one = l;
		return 0;
	}
	return d->fn(&l, d->arg);
}

int rtnl_link_dump(struct nl_sock *s, int (*fn)(const struct rtnl_link *, void *), void *arg)
{
	MSG_BUF(buf);
	struct nlmsghdr *n = nl_msg_init(buf, MSG_CAP, RTM_GETLINK, NLM_F_DUMP);
	struct dump d = { fn, arg, NULL };

	nl_msg_extra(n, MSG_CAP, sizeof(struct ifinfomsg));
	return nl_talk(s, n, link_cb, &d);
}

int rtnl_link_get(struct nl_sock *s, const char *name, struct rtnl_link *out)
{
	MSG_BUF(buf);
	struct nlmsghdr *n = nl_msg_init(buf, MSG_CAP, RTM_GETLINK, 0);
	struct dump d = { NULL, NULL, out };
	int ret;

	nl_msg_extra(n, MSG_CAP, sizeof(struct ifinfomsg));
	if ((ret = nl_attr_put_str(n, MSG_CAP, IFLA_IFNAME, name)))
		return ret;
	out->index = 0;
	ret = nl_talk(s, n, link_cb, &d);
	return ret ? ret : out->index ? 0 : -ENODEV;
}

/* RTM_NEWLINK on an existing link: flags and attributes change, nothing is created. */
static struct nlmsghdr *link_msg(void *buf, int ifindex, unsigned flags, unsigned change)
{
	struct nlmsghdr *n = nl_msg_init(buf, MSG_CAP, RTM_NEWLINK, 0);
	struct ifinfomsg *ifi = nl_msg_extra(n, MSG_CAP, sizeof(*ifi));

	ifi->ifi_family = AF_UNSPEC;
	ifi->ifi_index = ifindex;
	ifi->ifi_flags = flags;
	ifi->ifi_change = change;
	return n;
}

int rtnl_link_set_up(struct nl_sock *s, int ifindex, bool up)
{
	MSG_BUF(buf);

	return nl_talk(s, link_msg(buf, ifindex, up ? IFF_UP : 0, IFF_UP), NULL, NULL);
}

int rtnl_link_set_mac(struct nl_sock *s, int ifindex, const uint8_t mac[6])
{
	MSG_BUF(buf);
	struct nlmsghdr *n = link_msg(buf, ifindex, 0, 0);
	int ret = nl_attr_put(n, MSG_CAP, IFLA_ADDRESS, mac, 6);

	return ret ? ret : nl_talk(s, n, NULL, NULL);
}

int rtnl_link_set_mtu(struct nl_sock *s, int ifindex, unsigned mtu)
{
	MSG_BUF(buf);
	struct nlmsghdr *n = link_msg(buf, ifindex, 0, 0);
	int ret = nl_attr_put_u32(n, MSG_CAP, IFLA_MTU, mtu);

	return ret ? ret : nl_talk(s, n, NULL, NULL);
}

static struct nlmsghdr *addr_msg(void *buf, uint16_t type, uint16_t flags, int ifindex,
				 struct in_addr a, int plen)
{
	struct nlmsghdr *n = nl_msg_init(buf, MSG_CAP, type, flags);
	struct ifaddrmsg *ifa = nl_msg_extra(n, MSG_CAP, sizeof(*ifa));

	ifa->ifa_family = AF_INET;
	ifa->ifa_prefixlen = plen;
	ifa->ifa_scope = RT_SCOPE_UNIVERSE;
	ifa->ifa_index = ifindex;
	(void)nl_attr_put(n, MSG_CAP, IFA_LOCAL, &a, 4);
	(void)nl_attr_put(n, MSG_CAP, IFA_ADDRESS, &a, 4);
	return n;
}

int rtnl_addr_add(struct nl_sock *s, int ifindex, struct in_addr a, int plen, struct in_addr bcast)
{
	MSG_BUF(buf);
	struct nlmsghdr *n = addr_msg(buf, RTM_NEWADDR, NLM_F_CREATE | NLM_F_REPLACE, ifindex, a, plen);
	int ret;

	if (bcast.s_addr && (ret = nl_attr_put(n, MSG_CAP, IFA_BROADCAST, &bcast, 4)))
		return ret;
	if ((ret = nl_attr_put_u32(n, MSG_CAP, IFA_FLAGS, IFA_F_NOPREFIXROUTE)))
		return ret;
	return nl_talk(s, n, NULL, NULL);
}

int rtnl_addr_del(struct nl_sock *s, int ifindex, struct in_addr a, int plen)
{
	MSG_BUF(buf);

	return nl_talk(s, addr_msg(buf, RTM_DELADDR, 0, ifindex, a, plen), NULL, NULL);
}

static struct nlmsghdr *route_msg(void *buf, uint16_t type, uint16_t flags, const struct rtnl_route *r)
{
	struct nlmsghdr *n = nl_msg_init(buf, MSG_CAP, type, flags);
	struct rtmsg *rt = nl_msg_extra(n, MSG_CAP, sizeof(*rt));

	rt->rtm_family = AF_INET;
	rt->rtm_dst_len = r->plen;
	rt->rtm_table = RT_TABLE_MAIN;
	rt->rtm_protocol = r->proto;
	rt->rtm_type = RTN_UNICAST;
	rt->rtm_scope = r->gw.s_addr ? RT_SCOPE_UNIVERSE : RT_SCOPE_LINK;
	if (r->onlink && r->gw.s_addr)
		rt->rtm_flags |= RTNH_F_ONLINK;
	if (r->plen)
		(void)nl_attr_put(n, MSG_CAP, RTA_DST, &r->dst, 4);
	if (r->gw.s_addr)
		(void)nl_attr_put(n, MSG_CAP, RTA_GATEWAY, &r->gw, 4);
	if (r->prefsrc.s_addr)
		(void)nl_attr_put(n, MSG_CAP, RTA_PREFSRC, &r->prefsrc, 4);
	(void)nl_attr_put_u32(n, MSG_CAP, RTA_OIF, r->ifindex);
	(void)nl_attr_put_u32(n, MSG_CAP, RTA_PRIORITY, r->metric);
	return n;
}

int rtnl_route_add(struct nl_sock *s, const struct rtnl_route *r)
{
	MSG_BUF(buf);

	return nl_talk(s, route_msg(buf, RTM_NEWROUTE, NLM_F_CREATE | NLM_F_EXCL, r), NULL, NULL);
}

int rtnl_route_del(struct nl_sock *s, const struct rtnl_route *r)
{
	MSG_BUF(buf);
	struct nlmsghdr *n = route_msg(buf, RTM_DELROUTE, 0, r);
	struct rtmsg *rt = NLMSG_DATA(n);

	/* Scope NOWHERE matches any scope on delete (fib_table_delete); the protocol must match. */
	rt->rtm_scope = RT_SCOPE_NOWHERE;
	return nl_talk(s, n, NULL, NULL);
}

static struct nlmsghdr *route6_msg(void *buf, uint16_t type, uint16_t flags, const struct rtnl_route6 *r)
{
	static const struct in6_addr any;
	struct nlmsghdr *n = nl_msg_init(buf, MSG_CAP, type, flags);
	struct rtmsg *rt = nl_msg_extra(n, MSG_CAP, sizeof(*rt));

	rt->rtm_family = AF_INET6;
	rt->rtm_dst_len = r->plen;
	rt->rtm_table = RT_TABLE_MAIN;
	rt->rtm_protocol = r->proto;
	rt->rtm_type = RTN_UNICAST;
	rt->rtm_scope = type == RTM_DELROUTE ? RT_SCOPE_NOWHERE : RT_SCOPE_UNIVERSE;
	if (r->plen)
		(void)nl_attr_put(n, MSG_CAP, RTA_DST, &r->dst, 16);
	if (memcmp(&r->gw, &any, 16))
		(void)nl_attr_put(n, MSG_CAP, RTA_GATEWAY, &r->gw, 16);
	(void)nl_attr_put_u32(n, MSG_CAP, RTA_OIF, r->ifindex);
	(void)nl_attr_put_u32(n, MSG_CAP, RTA_PRIORITY, r->metric);
	if (r->expires && type == RTM_NEWROUTE)
		(void)nl_attr_put_u32(n, MSG_CAP, RTA_EXPIRES, r->expires);
	return n;
}

int rtnl_route6_add(struct nl_sock *s, const struct rtnl_route6 *r)
{
	MSG_BUF(buf);

	return nl_talk(s, route6_msg(buf, RTM_NEWROUTE, NLM_F_CREATE | NLM_F_EXCL, r), NULL, NULL);
}

int rtnl_route6_replace(struct nl_sock *s, const struct rtnl_route6 *r)
{
	MSG_BUF(buf);

	return nl_talk(s, route6_msg(buf, RTM_NEWROUTE, NLM_F_CREATE | NLM_F_REPLACE, r), NULL, NULL);
}

int rtnl_route6_del(struct nl_sock *s, const struct rtnl_route6 *r)
{
	MSG_BUF(buf);

	return nl_talk(s, route6_msg(buf, RTM_DELROUTE, 0, r), NULL, NULL);
}

int rtnl_addr6_set(struct nl_sock *s, int ifindex, const struct in6_addr *a, int plen, uint32_t preferred,
		   uint32_t valid, uint32_t flags)
{
	MSG_BUF(buf);
	struct nlmsghdr *n = nl_msg_init(buf, MSG_CAP, valid ? RTM_NEWADDR : RTM_DELADDR,
					 valid ? NLM_F_CREATE | NLM_F_REPLACE : 0);
	struct ifaddrmsg *ifa = nl_msg_extra(n, MSG_CAP, sizeof(*ifa));
	struct ifa_cacheinfo ci = { .ifa_prefered = preferred, .ifa_valid = valid };

	ifa->ifa_family = AF_INET6;
	ifa->ifa_prefixlen = plen;
	ifa->ifa_scope = RT_SCOPE_UNIVERSE;
	ifa->ifa_index = ifindex;
	(void)nl_attr_put(n, MSG_CAP, IFA_LOCAL, a, 16);
	(void)nl_attr_put(n, MSG_CAP, IFA_ADDRESS, a, 16);
	if (valid)
		(void)nl_attr_put(n, MSG_CAP, IFA_CACHEINFO, &ci, sizeof(ci));
	if (valid && flags)  /* IFA_F_NOPREFIXROUTE is past ifa_flags' 8 bits */
		(void)nl_attr_put_u32(n, MSG_CAP, IFA_FLAGS, flags);
	return nl_talk(s, n, NULL, NULL);
}
