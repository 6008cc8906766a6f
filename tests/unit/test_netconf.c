/* lib/net/netconf.c: the net keys into one struct, each error with where it came from. */
#include <errno.h>
#include "t.h"
#include "../../lib/core/config.h"
#include "../../lib/net/netconf.h"

static struct ferry_config c;
static struct netconf nc;

static int parse(const char *file, const char *cmdline)
{
	cfg_free(&c);
	cfg_init(&c, "t.conf");
	cfg_parse_file(&c, file, strlen(file));
	cfg_parse_cmdline(&c, cmdline, strlen(cmdline));
	return netconf_parse(&c, &nc);
}

int main(void)
{
	cfg_init(&c, "t.conf");
	T_EQ(parse("", ""), 0);
	T_EQ(nc.mode, NET_OFF);
	T_EQ(nc.timeout_s, 30);

	T_EQ(parse("ip = :::::eth0:dhcp\n", "ip=10.0.0.5::10.0.0.1:255.255.255.0:box:eth1:off ip=:::::eth0:off"), 0);
	T_EQ(nc.mode, NET_OPTIONAL);
	T_EQ(nc.nparams, 2);
	T_STREQ(nc.params[0].dev, "eth0");
	T_EQ(nc.params[0].method, IP_OFF);                /* the last for a device wins */
	T_EQ(nc.params[1].method, IP_STATIC);
	T_STREQ(nc.params[1].hostname, "box");
	T_OK(!nc.wildcard);

	T_EQ(parse("ferry.net = required\n", "ferry.net.timeout=7"), 0);
	T_EQ(nc.mode, NET_REQUIRED);
	T_OK(nc.wildcard);                                /* required alone: every ethernet link */
	T_EQ(nc.timeout_s, 7);

	T_EQ(parse("ip = dhcp\nferry.net = off\n", ""), 0);
	T_EQ(nc.mode, NET_OFF);

	/* Errors: file and line, or the command line, key, value, what was expected. */
	T_EQ(parse("ferry.metric = wifi:abc\nip = :::::hx0:rarp\n", "ferry.net.timeout=0 ferry.net=sometimes"), 4);
	T_STREQ(nc.errs[0], "t.conf:2: ip=:::::hx0:rarp: rarp is not supported");
	T_STREQ(nc.errs[1], "t.conf:1: ferry.metric=wifi:abc: expected CLASS-OR-IFACE-OR-MAC:METRIC");
	T_STREQ(nc.errs[2], "command line: ferry.net=sometimes: expected required | optional | off");
	T_STREQ(nc.errs[3], "command line: ferry.net.timeout=0: expected seconds from 1 to 3600");
	T_EQ(nc.timeout_s, 30);
	T_EQ(parse("", "ferry.net.timeout=3601"), 1);
	T_EQ(parse("", "ferry.net.timeout=-1"), 1);
	T_EQ(parse("", "ip=10.0.0.5::10.0.0.1:255.255.255.0"), 1);
	T_STREQ(nc.errs[0], "command line: ip=10.0.0.5::10.0.0.1:255.255.255.0: a static ip= must name its device");

	T_EQ(parse("", "ferry.ocotp=eth0:MAC0 ferry.ocotp=eth1:MAC1@/x/nvmem:imx6 ferry.ocotp=eth0:MAC1"), 0);
	T_EQ(nc.nocotp, 2);
	T_EQ(nc.ocotp[0].which, 1);                       /* the last for an interface wins */
	T_EQ(nc.ocotp[1].offset, 0x88);
	T_EQ(parse("", "ferry.ocotp=a:MAC0 ferry.ocotp=b:MAC0 ferry.ocotp=c:MAC0 ferry.ocotp=d:MAC0 ferry.ocotp=e:MAC0"), 1);
	T_STREQ(nc.errs[0], "command line: ferry.ocotp=e:MAC0: more than 4 interfaces");
	T_EQ(parse("", "ip=:::::e0:dhcp ip=:::::e1:dhcp ip=:::::e2:dhcp ip=:::::e3:dhcp ip=:::::e4:dhcp "
		   "ip=:::::e5:dhcp ip=:::::e6:dhcp ip=:::::e7:dhcp ip=:::::e8:dhcp"), 1);
	T_STREQ(nc.errs[0], "command line: ip=:::::e8:dhcp: too many ip= devices");

	T_EQ(parse("ferry.linkclass = usb0:wwan\nferry.metric = wwan:5\n", ""), 0);
	T_EQ(netpolicy_metric(&nc.pol, "usb0", NULL, netpolicy_link_class(&nc.pol, "usb0", NULL, LC_ETHERNET)), 5);
	T_STREQ(netconf_mode_name(NET_REQUIRED), "required");

	/* ferry.net.ipv6: off by default, the last wins, anything else named. */
	T_EQ(parse("ip = dhcp\n", ""), 0);
	T_OK(!nc.ipv6);
	T_EQ(parse("ferry.net.ipv6 = off\n", "ip=dhcp ferry.net.ipv6=auto"), 0);
	T_OK(nc.ipv6);
	T_EQ(parse("", "ip=dhcp ferry.net.ipv6=on"), 1);
	T_STREQ(nc.errs[0], "command line: ferry.net.ipv6=on: expected auto | off");
	T_OK(!nc.ipv6);
	cfg_free(&c);

	/* ip=dhcp6 / auto6: IPv4 and IPv6 per family on one device, each the last of its family. */
	T_EQ(parse("", "ip=eth0:dhcp ip=eth0:dhcp6"), 0);
	T_EQ(nc.nparams, 1);
	T_EQ(nc.params[0].method, IP_DHCP);
	T_EQ(nc.params[0].v6, IP6_DHCP);
	T_EQ(nc.mode, NET_OPTIONAL);
	T_EQ(parse("", "ip=eth0:dhcp6 ip=eth0:dhcp"), 0);      /* the IPv4 word keeps the IPv6 one */
	T_EQ(nc.params[0].method, IP_DHCP);
	T_EQ(nc.params[0].v6, IP6_DHCP);
	T_EQ(parse("", "ip=eth0:dhcp6 ip=eth0:auto6"), 0);
	T_EQ(nc.params[0].method, IP_NONE);
	T_EQ(nc.params[0].v6, IP6_AUTO);
	T_EQ(parse("", "ip=eth0:dhcp6 ip=eth0:off"), 0);       /* off: the whole link left alone */
	T_EQ(nc.params[0].method, IP_OFF);
	T_EQ(nc.params[0].v6, IP6_DEFAULT);
	T_OK(!netconf_any_ip6(&nc));
	T_EQ(parse("", "ip=eth0:off ip=eth0:auto6"), 0);       /* after off: IPv6 alone */
	T_EQ(nc.params[0].method, IP_NONE);
	T_EQ(nc.params[0].v6, IP6_AUTO);
	/* the word wins for its link over ferry.net.ipv6=, which decides for the others */
	T_EQ(parse("", "ferry.net.ipv6=off ip=eth0:dhcp6 ip=eth1:dhcp"), 0);
	T_EQ(netconf_ip6(&nc, &nc.params[0]), IP6_DHCP);
	T_EQ(netconf_ip6(&nc, &nc.params[1]), IP6_OFF);
	T_OK(netconf_any_ip6(&nc));
	T_EQ(parse("", "ferry.net.ipv6=auto ip=eth0:auto6 ip=eth1:dhcp"), 0);
	T_EQ(netconf_ip6(&nc, &nc.params[0]), IP6_AUTO);
	T_EQ(netconf_ip6(&nc, &nc.params[1]), IP6_RA);
	/* without a device: every ethernet-like link; ip=dhcp and ip=dhcp6 add up, ip=off clears both */
	T_EQ(parse("", "ip=dhcp6"), 0);
	T_EQ(nc.mode, NET_OPTIONAL);
	T_OK(!nc.wildcard);
	T_EQ(nc.wildcard6, IP6_DHCP);
	T_OK(netconf_any_ip6(&nc));
	T_EQ(parse("ferry.net = required\n", "ip=auto6"), 0);
	T_OK(!nc.wildcard);                                      /* not DHCPv4 as well */
	T_EQ(nc.wildcard6, IP6_AUTO);
	T_EQ(parse("", "ip=dhcp ip=dhcp6"), 0);
	T_OK(nc.wildcard);
	T_EQ(nc.wildcard6, IP6_DHCP);
	T_EQ(parse("", "ip=dhcp6 ip=off"), 0);
	T_OK(!nc.wildcard);
	T_EQ(nc.wildcard6, IP6_DEFAULT);
	T_EQ(nc.mode, NET_OFF);
	T_EQ(parse("", "ip=dhcp7"), 1);
	T_STREQ(nc.errs[0], "command line: ip=dhcp7: unknown method");
	/* locked: an ip= IPv6 word from the command line is an ip= like any, ignored unless allowed */
	T_EQ(parse("locked\n", "ip=eth0:dhcp6"), 0);
	T_EQ(nc.nparams, 0);
	T_EQ(nc.mode, NET_OFF);
	T_EQ(parse("locked\nlocked.allow = ip\n", "ip=eth0:dhcp6"), 0);
	T_EQ(nc.nparams, 1);
	T_EQ(nc.params[0].v6, IP6_DHCP);
	T_EQ(parse("locked\nip = eth0:auto6\n", "ip=eth0:dhcp6"), 0);
	T_EQ(nc.params[0].v6, IP6_AUTO);
	/* dracut's ip=either6: every ethernet-like link, no IPv4; ip=off clears it */
	T_EQ(parse("", "ip=either6"), 0);
	T_EQ(nc.wildcard6, IP6_EITHER);
	T_OK(!nc.wildcard);
	T_EQ(nc.mode, NET_OPTIONAL);
	T_OK(netconf_any_ip6(&nc));
	T_EQ(parse("", "ip=either6 ip=off"), 0);
	T_EQ(nc.wildcard6, IP6_DEFAULT);
	T_EQ(parse("", "ip=eth0:either6"), 1);
	T_STREQ(nc.errs[0], "command line: ip=eth0:either6: either6 only as ip=either6 (dracut lists it without a device)");
	/* static IPv6 (dracut's brackets): one device per family as the words are; a device is needed */
	T_EQ(parse("", "ip=eth0:dhcp ip=[2001:db8::10]::[2001:db8::1]:64::eth0:none"), 0);
	T_EQ(nc.nparams, 1);
	T_EQ(nc.params[0].method, IP_DHCP);                /* IPv4 kept: the static IPv6 has no IPv4 */
	T_EQ(nc.params[0].v6, IP6_STATIC);
	T_EQ(nc.params[0].s6.plen, 64);
	T_EQ(netconf_ip6(&nc, &nc.params[0]), IP6_STATIC);
	T_OK(netconf_any_ip6(&nc));
	T_EQ(parse("", "ip=[2001:db8::10]:::64::eth0:none ip=eth0:dhcp"), 0);
	T_EQ(nc.params[0].method, IP_DHCP);
	T_EQ(nc.params[0].v6, IP6_STATIC);                 /* the IPv4 word keeps the static IPv6 */
	T_EQ(nc.params[0].s6.plen, 64);
	T_EQ(parse("", "ip=[2001:db8::10]:::64::eth0:none ip=eth0:auto6"), 0);
	T_EQ(nc.params[0].v6, IP6_AUTO);                   /* within the family the last wins */
	T_EQ(parse("", "ip=[2001:db8::10]:::64:::none"), 1);
	T_STREQ(nc.errs[0], "command line: ip=[2001:db8::10]:::64:::none: a static ip= must name its device");
	T_EQ(parse("", "ip=[2001:db8::10]::[2001:db8:9::1]:64::eth0:none"), 1);
	T_STREQ(nc.errs[0], "command line: ip=[2001:db8::10]::[2001:db8:9::1]:64::eth0:none: "
		"the IPv6 gateway is neither link-local nor inside the prefix");
	return T_DONE();
}
