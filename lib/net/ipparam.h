/* The kernel's ip= parameter (Documentation/admin-guide/nfs/nfsroot.rst):
 *   ip=<client>:<server>:<gw>:<netmask>:<hostname>:<device>:<autoconf>:<dns0>:<dns1>:<ntp0>
 *   ip=off|none|on|any|dhcp|bootp|both
 * plus dracut's ip=<device>:dhcp and its IPv6 words: ip=dhcp6 (DHCPv6, with router advertisements),
 * ip=auto6 (router advertisements alone: SLAAC), also as ip=<device>:dhcp6 and in the autoconf field,
 * and dracut's static IPv6: ip=[2001:db8::10]::[2001:db8::1]:64:host:eth0:none[:[dns0]:[dns1]] (the
 * addresses in brackets, the prefix length in the netmask field). Pure. */
#ifndef FERRY_IPPARAM_H
#define FERRY_IPPARAM_H
#include <netinet/in.h>

/* IP_NONE: the link is the stage's, without IPv4 (an IPv6 word alone: ip=eth0:dhcp6). */
enum ip_method { IP_OFF, IP_DHCP, IP_STATIC, IP_NONE };
/* IPv6 on a link: IP6_DEFAULT follows ferry.net.ipv6= (netconf_ip6 resolves it to OFF or RA);
 * IP6_RA: router advertisements, DHCPv6 when one sets the M or O flag (ferry.net.ipv6=auto);
 * IP6_AUTO: router advertisements alone, no DHCPv6 (ip=auto6); IP6_DHCP: router advertisements
 * and DHCPv6 solicited at carrier, whatever the flags (ip=dhcp6); IP6_STATIC: ip=[v6]..., no RAs;
 * IP6_EITHER: dracut's ip=either6, "if auto6 fails, then dhcp6" (device-less only, as dracut lists it). */
enum ip6_method { IP6_DEFAULT, IP6_OFF, IP6_RA, IP6_AUTO, IP6_DHCP, IP6_STATIC, IP6_EITHER };

/* A static IPv6 address (IP6_STATIC): gw and dns[] unspecified (::) when not given. */
struct ip6_static {
	struct in6_addr addr, gw, dns[2];
	int plen;                /* the netmask field, 64 when empty */
};

struct ip_param {
	enum ip_method method;
	enum ip6_method v6;      /* IP6_DEFAULT, or IP6_AUTO / IP6_DHCP / IP6_STATIC from auto6 / dhcp6 / [v6] */
	struct ip6_static s6;
	char dev[16];            /* "" : every link */
	struct in_addr client, server, gw, mask, dns[2], ntp;
	int prefixlen;           /* from mask, or the address class when none was given */
	char hostname[64];
};

/* 0, or -EINVAL with *why set to a short reason ("bad netmask", "rarp is not supported"). */
int ipparam_parse(const char *s, struct ip_param *out, const char **why);
const char *ipparam_ip6_name(enum ip6_method m);
/* Prefix length of a contiguous netmask, -1 if it is not one. */
int ipparam_mask_to_prefix(struct in_addr mask);

#endif
