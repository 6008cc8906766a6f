#include <arpa/inet.h>
#include <errno.h>
#include "t.h"
#include "../../lib/net/ipparam.h"

static const char *ip(struct in_addr a)
{
	static char s[4][16];
	static int i;
	i = (i + 1) % 4;
	return inet_ntop(AF_INET, &a, s[i], 16);
}

int main(void)
{
	struct ip_param p;
	const char *why;

	T_EQ(ipparam_parse("dhcp", &p, &why), 0);
	T_EQ(p.method, IP_DHCP);
	T_STREQ(p.dev, "");
	T_EQ(ipparam_parse("off", &p, &why), 0);
	T_EQ(p.method, IP_OFF);
	T_EQ(ipparam_parse("on", &p, &why), 0);
	T_EQ(p.method, IP_DHCP);
	T_EQ(ipparam_parse("rarp", &p, &why), -EINVAL);

	T_EQ(ipparam_parse("192.168.1.5:192.168.1.1:192.168.1.254:255.255.255.0:box:eth0:off:1.1.1.1:8.8.8.8", &p, &why), 0);
	T_EQ(p.method, IP_STATIC);
	T_STREQ(ip(p.client), "192.168.1.5");
	T_STREQ(ip(p.server), "192.168.1.1");
	T_STREQ(ip(p.gw), "192.168.1.254");
	T_EQ(p.prefixlen, 24);
	T_STREQ(p.hostname, "box");
	T_STREQ(p.dev, "eth0");
	T_STREQ(ip(p.dns[0]), "1.1.1.1");
	T_STREQ(ip(p.dns[1]), "8.8.8.8");

	/* Client given, autoconf empty: static (the kernel skips autoconfiguration). */
	T_EQ(ipparam_parse("10.1.2.3::10.0.0.1:::eth1", &p, &why), 0);
	T_EQ(p.method, IP_STATIC);
	T_EQ(p.prefixlen, 8);      /* classful default */
	T_STREQ(ip(p.mask), "255.0.0.0");
	T_EQ(ipparam_parse("172.16.0.9::::::none", &p, &why), 0);
	T_EQ(p.prefixlen, 16);
	T_EQ(ipparam_parse(":::::eth2:dhcp", &p, &why), 0);
	T_EQ(p.method, IP_DHCP);
	T_STREQ(p.dev, "eth2");
	T_EQ(ipparam_parse("::::myhost:eth2:", &p, &why), 0);
	T_EQ(p.method, IP_DHCP);
	T_STREQ(p.hostname, "myhost");
	T_EQ(ipparam_parse("eth3:dhcp", &p, &why), 0);   /* dracut */
	T_EQ(p.method, IP_DHCP);
	T_STREQ(p.dev, "eth3");
	T_EQ(ipparam_parse(":::::eth0:off", &p, &why), 0);
	T_EQ(p.method, IP_OFF);

	T_EQ(ipparam_parse("10.0.0.2::10.0.0.1:255.0.255.0::eth0:off", &p, &why), -EINVAL);
	T_STREQ(why, "netmask is not contiguous");
	T_EQ(ipparam_parse("10.0.0.2::10.0.0.1:255.255.255.300::eth0:off", &p, &why), -EINVAL);
	T_STREQ(why, "bad netmask");
	T_EQ(ipparam_parse("10.0.0.x:::::eth0", &p, &why), -EINVAL);
	T_EQ(ipparam_parse(":::::eth0:static", &p, &why), -EINVAL);
	T_EQ(ipparam_parse(":::::eth0:off::::::", &p, &why), -EINVAL);
	T_EQ(ipparam_parse(":::::eth0:rarp", &p, &why), -EINVAL);
	T_STREQ(why, "rarp is not supported");
	T_EQ(ipparam_parse(":::::averyveryverylongname0:dhcp", &p, &why), -EINVAL);
	T_EQ(ipparam_parse(":::::eth0:none", &p, &why), 0);
	T_EQ(p.method, IP_OFF);
	T_EQ(ipparam_parse("", &p, &why), -EINVAL);

	/* dracut's IPv6 words: alone, no IPv4 (IP_NONE); the autoconf field and IF:word forms too. */
	T_EQ(ipparam_parse("dhcp6", &p, &why), 0);
	T_EQ(p.method, IP_NONE);
	T_EQ(p.v6, IP6_DHCP);
	T_STREQ(p.dev, "");
	T_EQ(ipparam_parse("auto6", &p, &why), 0);
	T_EQ(p.method, IP_NONE);
	T_EQ(p.v6, IP6_AUTO);
	T_EQ(ipparam_parse("dhcp", &p, &why), 0);
	T_EQ(p.v6, IP6_DEFAULT);                       /* an IPv4 word says nothing about IPv6 */
	T_EQ(ipparam_parse("eth1:dhcp6", &p, &why), 0);
	T_EQ(p.method, IP_NONE);
	T_EQ(p.v6, IP6_DHCP);
	T_STREQ(p.dev, "eth1");
	T_EQ(ipparam_parse("eth1:auto6", &p, &why), 0);
	T_EQ(p.v6, IP6_AUTO);
	T_EQ(ipparam_parse(":::::eth2:dhcp6", &p, &why), 0);
	T_EQ(p.method, IP_NONE);
	T_EQ(p.v6, IP6_DHCP);
	T_STREQ(p.dev, "eth2");
	/* a static IPv4 address beside IPv6 on one link */
	T_EQ(ipparam_parse("10.0.0.5::10.0.0.1:255.255.255.0::eth0:auto6", &p, &why), 0);
	T_EQ(p.method, IP_STATIC);
	T_EQ(p.v6, IP6_AUTO);
	T_EQ(p.prefixlen, 24);
	T_EQ(ipparam_parse("dhcpv6", &p, &why), -EINVAL);
	T_STREQ(why, "unknown method");
	/* dracut's either6 ("if auto6 fails, then dhcp6"), listed only without a device */
	T_EQ(ipparam_parse("either6", &p, &why), 0);
	T_EQ(p.method, IP_NONE);
	T_EQ(p.v6, IP6_EITHER);
	T_STREQ(p.dev, "");
	T_EQ(ipparam_parse("eth0:either6", &p, &why), -EINVAL);
	T_STREQ(why, "either6 only as ip=either6 (dracut lists it without a device)");
	T_EQ(ipparam_parse(":::::eth0:either6", &p, &why), -EINVAL);
	T_STREQ(why, "either6 only as ip=either6 (dracut lists it without a device)");
	T_STREQ(ipparam_ip6_name(IP6_EITHER), "either6");
	T_EQ(ipparam_parse(":dhcp6", &p, &why), -EINVAL);
	T_EQ(ipparam_parse("eth0:dhcp6x", &p, &why), -EINVAL);
	T_STREQ(why, "unknown method");
	T_EQ(ipparam_parse("averyveryverylongname0:dhcp6", &p, &why), -EINVAL);
	T_STREQ(why, "bad device name");
	T_EQ(ipparam_parse("10.0.0.1:dhcp6", &p, &why), -EINVAL);
	T_EQ(ipparam_parse(":::::eth0:auto7", &p, &why), -EINVAL);
	T_STREQ(why, "unknown autoconf method");
	/* dracut's static IPv6: the addresses in brackets, the prefix length in the netmask field */
	struct in6_addr a6;
	T_EQ(ipparam_parse("[2001:db8::10]::[2001:db8::1]:64::eth0:none", &p, &why), 0);
	T_EQ(p.method, IP_NONE);                       /* no IPv4 on the link */
	T_EQ(p.v6, IP6_STATIC);
	T_STREQ(p.dev, "eth0");
	T_EQ(p.s6.plen, 64);
	inet_pton(AF_INET6, "2001:db8::10", &a6);
	T_MEMEQ(&p.s6.addr, &a6, 16);
	inet_pton(AF_INET6, "2001:db8::1", &a6);
	T_MEMEQ(&p.s6.gw, &a6, 16);
	T_OK(IN6_IS_ADDR_UNSPECIFIED(&p.s6.dns[0]));
	/* dracut's documented spelling (upper case), a hostname, the name servers after autoconf */
	T_EQ(ipparam_parse("[2001:DB8::2]::[2001:DB8::1]:48:box:enp1s0:none:[2001:DB8::53]:[2001:DB8::54]", &p, &why), 0);
	T_EQ(p.s6.plen, 48);
	T_STREQ(p.hostname, "box");
	T_STREQ(p.dev, "enp1s0");
	inet_pton(AF_INET6, "2001:db8::54", &a6);
	T_MEMEQ(&p.s6.dns[1], &a6, 16);
	/* the netmask field empty: /64; autoconf empty or off: static, no IPv4; a link-local gateway */
	T_EQ(ipparam_parse("[2001:db8:5::7]::[fe80::1]:::eth1", &p, &why), 0);
	T_EQ(p.v6, IP6_STATIC);
	T_EQ(p.method, IP_NONE);
	T_EQ(p.s6.plen, 64);
	T_EQ(ipparam_parse("[2001:db8:5::7]:::::eth1:off", &p, &why), 0);
	T_EQ(p.method, IP_NONE);
	T_OK(IN6_IS_ADDR_UNSPECIFIED(&p.s6.gw));
	/* with dhcp: IPv4 from DHCP beside the static IPv6 address */
	T_EQ(ipparam_parse("[2001:db8::10]:::64::eth0:dhcp", &p, &why), 0);
	T_EQ(p.method, IP_DHCP);
	T_EQ(p.v6, IP6_STATIC);
	/* a bracketed peer (dracut's point-to-point) is read and left alone */
	T_EQ(ipparam_parse("[2001:db8::10]:[2001:db8::2]::64::eth0:none", &p, &why), 0);
	T_EQ(ipparam_parse("[2001:db8::10]::[2001:db8::1]:129::eth0:none", &p, &why), -EINVAL);
	T_STREQ(why, "bad IPv6 prefix length (1 to 128)");
	T_EQ(ipparam_parse("[2001:db8::10]::[2001:db8::1]:255.255.255.0::eth0:none", &p, &why), -EINVAL);
	T_EQ(ipparam_parse("[2001:db8::10]::[2001:db8::1]:0::eth0:none", &p, &why), -EINVAL);
	T_EQ(ipparam_parse("[2001:db8::10]::[2001:db8::1]:-64::eth0:none", &p, &why), -EINVAL);
	T_EQ(ipparam_parse("[2001:db8::10::[2001:db8::1]:64::eth0:none", &p, &why), -EINVAL);   /* no ']' */
	T_EQ(ipparam_parse("[2001:db8::1x]::[2001:db8::1]:64::eth0:none", &p, &why), -EINVAL);
	T_STREQ(why, "bad IPv6 address");
	T_EQ(ipparam_parse("[10.0.0.1]:::::eth0:none", &p, &why), -EINVAL);
	T_EQ(ipparam_parse("[2001:db8::10]::10.0.0.1:64::eth0:none", &p, &why), -EINVAL);
	T_STREQ(why, "an IPv4 gateway or name server beside an IPv6 client address");
	T_EQ(ipparam_parse("10.0.0.5::[2001:db8::1]:255.255.255.0::eth0:none", &p, &why), -EINVAL);
	T_STREQ(why, "an IPv6 gateway or name server needs an IPv6 client address");
	T_EQ(ipparam_parse("[2001:db8::10]::[2001:db8:1::1]:64::eth0:none", &p, &why), -EINVAL);
	T_STREQ(why, "the IPv6 gateway is neither link-local nor inside the prefix");
	T_EQ(ipparam_parse("[2001:db8::10]::[2001:db8:0:0:8000::1]:65::eth0:none", &p, &why), -EINVAL);
	T_EQ(ipparam_parse("[2001:db8::10]::[2001:db8::7fff:0:0:1]:65::eth0:none", &p, &why), 0);
	T_EQ(ipparam_parse("[2001:db8::10]:::64::eth0:dhcp6", &p, &why), -EINVAL);
	T_STREQ(why, "a static IPv6 address with dhcp6 or auto6");
	T_EQ(ipparam_parse("[ff02::1]:::64::eth0:none", &p, &why), -EINVAL);
	T_STREQ(why, "not a unicast IPv6 address");
	T_EQ(ipparam_parse("[::]:::64::eth0:none", &p, &why), -EINVAL);
	T_EQ(ipparam_parse("[2001:db8::10]:::64::eth0:none:::[2001:db8::99]", &p, &why), -EINVAL);  /* ntp */
	T_STREQ(why, "an IPv6 address where none belongs");
	T_EQ(ipparam_parse("[2001:db8::10]:dhcp", &p, &why), -EINVAL);   /* not dracut's IF:method */
	T_EQ(ipparam_parse("[2001:db8::10]:[x]", &p, &why), -EINVAL);
	T_EQ(ipparam_parse("[2001:db8::10]:::64::[eth0]:none", &p, &why), -EINVAL);
	T_STREQ(ipparam_ip6_name(IP6_STATIC), "static");
	T_STREQ(ipparam_ip6_name(IP6_DHCP), "dhcp6");
	T_STREQ(ipparam_ip6_name(IP6_AUTO), "auto6");
	T_STREQ(ipparam_ip6_name((enum ip6_method)99), "?");
	T_EQ(ipparam_mask_to_prefix((struct in_addr){ htonl(0xffffff00) }), 24);
	T_EQ(ipparam_mask_to_prefix((struct in_addr){ 0 }), 0);
	T_EQ(ipparam_mask_to_prefix((struct in_addr){ 0xffffffff }), 32);
	T_EQ(ipparam_mask_to_prefix((struct in_addr){ htonl(0xff00ff00) }), -1);
	return T_DONE();
}
