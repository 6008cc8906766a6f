/* A link moved between network namespaces (rtnetlink RTM_NEWLINK with IFLA_NET_NS_FD). Apart from
 * lib/net/rtnl.c because only the link test moves links. */
#ifndef FERRY_RTNL_NS_H
#define FERRY_RTNL_NS_H
#include "nl.h"

/* Move link ifindex (of the namespace s was opened in) into the namespace nsfd refers to (an fd
 * of /proc/.../ns/net), named name there (NULL: the name it has). The kernel takes the link down
 * and drops its addresses and routes; its MTU and MAC stay. -EEXIST when the name is taken there. */
int rtnl_link_set_netns(struct nl_sock *s, int ifindex, int nsfd, const char *name);

#endif
