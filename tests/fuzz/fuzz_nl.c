/* Netlink replies as the kernel would send them: a datagram walked by nl_run, every message
 * handed to the link parser (which indexes its attributes). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <linux/rtnetlink.h>
#include "../../lib/net/nl.h"
#include "../../lib/net/rtnl.h"

static int cb(const struct nlmsghdr *n, void *arg)
{
	struct rtnl_link l;
	const struct nlattr *tb[IFLA_MAX + 1];

	(void)rtnl_link_parse(n, &l);
	(void)nl_attr_parse(n, sizeof(struct ifinfomsg), tb, IFLA_MAX);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* The kernel's buffers are 4-byte aligned; so is ours. */
	uint32_t *buf = malloc(size + 4);

	if (!buf)
		return 0;
	memcpy(buf, data, size);
	(void)nl_run(buf, size, 0, 0, cb, NULL);
	(void)nl_run(buf, size, 1, 42, cb, NULL);
	free(buf);
	return 0;
}
