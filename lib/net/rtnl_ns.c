/* RTM_NEWLINK with IFLA_NET_NS_FD: do_setlink() changes the namespace first, with IFLA_IFNAME as
 * the name in the new one (dev_change_net_namespace's pattern). */
#include <errno.h>
#include <net/if.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include "rtnl_ns.h"

#define MSG_CAP 256

int rtnl_link_set_netns(struct nl_sock *s, int ifindex, int nsfd, const char *name)
{
	uint64_t buf[MSG_CAP / 8];
	struct nlmsghdr *n = nl_msg_init(buf, MSG_CAP, RTM_NEWLINK, 0);
	struct ifinfomsg *ifi = nl_msg_extra(n, MSG_CAP, sizeof(*ifi));
	int ret;

	if (nsfd < 0)
		return -EBADF;
	ifi->ifi_family = AF_UNSPEC;
	ifi->ifi_index = ifindex;
	if ((ret = nl_attr_put_u32(n, MSG_CAP, IFLA_NET_NS_FD, (uint32_t)nsfd)))
		return ret;
	if (name && (ret = nl_attr_put_str(n, MSG_CAP, IFLA_IFNAME, name)))
		return ret;
	return nl_talk(s, n, NULL, NULL);
}
