/* The kernel's ip= parameter (Documentation/admin-guide/nfs/nfsroot.rst):
 *   ip=<client>:<server>:<gw>:<netmask>:<hostname>:<device>:<autoconf>:<dns0>:<dns1>:<ntp0>
 *   ip=off|none|on|any|dhcp|bootp|both
 * plus dracut's ip=<device>:dhcp. Pure. */
#ifndef FERRY_IPPARAM_H
#define FERRY_IPPARAM_H
#include <netinet/in.h>

enum ip_method { IP_OFF, IP_DHCP, IP_STATIC };

struct ip_param {
	enum ip_method method;
	char dev[16];            /* "" : every link */
	struct in_addr client, server, gw, mask, dns[2], ntp;
	int prefixlen;           /* from mask, or the address class when none was given */
	char hostname[64];
};

/* 0, or -EINVAL with *why set to a short reason ("bad netmask", "rarp is not supported"). */
int ipparam_parse(const char *s, struct ip_param *out, const char **why);
/* Prefix length of a contiguous netmask, -1 if it is not one. */
int ipparam_mask_to_prefix(struct in_addr mask);

#endif
