/* The network stage's configuration, from the merged config (see netconf.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "netconf.h"
#include "../core/config.h"

static void conf_error(struct netconf *nc, const struct ferry_config *c, const struct cfg_item *it,
		       const char *what)
{
	char where[160];

	if (nc->nerrs < NETCONF_MAX_ERRS)
		snprintf(nc->errs[nc->nerrs++], sizeof(nc->errs[0]), "%s: %s=%s: %s",
			 cfg_where(c, it, where, sizeof(where)), it->key, it->val, what);
}

/* One ip= for a device already listed: IPv4 and IPv6 are set apart, so "ip=eth0:dhcp ip=eth0:dhcp6"
 * asks for both; within a family the last wins, and ip=eth0:off leaves the whole link alone. */
static void param_merge(struct ip_param *old, const struct ip_param *p)
{
	enum ip6_method v6 = old->v6;
	struct ip6_static s6 = old->s6;

	if (p->method == IP_NONE && old->method != IP_OFF) {
		old->v6 = p->v6;
		old->s6 = p->s6;
		return;
	}
	*old = *p;
	if (p->method != IP_OFF && p->v6 == IP6_DEFAULT) {
		old->v6 = v6;
		old->s6 = s6;
	}
}

/* ip= in order; a later ip= for the same device replaces the earlier one (last wins, per family). */
static void conf_ip(struct netconf *nc, const struct ferry_config *c)
{
	for (const struct cfg_item *it = NULL; (it = cfg_next(c, "ip", it));) {
		struct ip_param p;
		const char *why;
		int i;
		if (ipparam_parse(it->val, &p, &why)) {
			conf_error(nc, c, it, why);
			continue;
		}
		if ((p.method == IP_STATIC || p.v6 == IP6_STATIC) && !p.dev[0]) {
			conf_error(nc, c, it, "a static ip= must name its device");
			continue;
		}
		if (!p.dev[0]) {  /* every ethernet-like link: ip=dhcp and ip=dhcp6 add up, ip=off clears */
			if (p.method == IP_NONE)
				nc->wildcard6 = p.v6;
			else
				nc->wildcard = p.method == IP_DHCP;
			if (p.method == IP_OFF)
				nc->wildcard6 = IP6_DEFAULT;
			continue;
		}
		for (i = 0; i < nc->nparams && strcmp(nc->params[i].dev, p.dev); i++)
			;
		if (i == NETCONF_MAX_PARAMS) {
			conf_error(nc, c, it, "too many ip= devices");
			continue;
		}
		if (i < nc->nparams)
			param_merge(&nc->params[i], &p);
		else
			nc->params[nc->nparams++] = p;
	}
}

static void conf_ocotp(struct netconf *nc, const struct ferry_config *c)
{
	for (const struct cfg_item *it = NULL; (it = cfg_next(c, "ferry.ocotp", it));) {
		struct ocotp_spec sp;
		int i;
		if (ocotp_parse_spec(it->val, &sp)) {
			conf_error(nc, c, it, "expected IFACE:MAC0|MAC1[@/PATH[:OFFSET]]");
			continue;
		}
		for (i = 0; i < nc->nocotp && strcmp(nc->ocotp[i].iface, sp.iface); i++)
			;
		if (i == NETCONF_MAX_OCOTP) {
			conf_error(nc, c, it, "more than 4 interfaces");
			continue;
		}
		nc->ocotp[i] = sp;  /* the last for an interface wins */
		nc->nocotp += i == nc->nocotp;
	}
}

static void conf_policy(struct netconf *nc, const struct ferry_config *c)
{
	const struct cfg_item *it;

	netpolicy_init(&nc->pol);
	for (it = NULL; (it = cfg_next(c, "ferry.metric", it));)
		if (netpolicy_add_metric(&nc->pol, it->val))
			conf_error(nc, c, it, "expected CLASS-OR-IFACE-OR-MAC:METRIC");
	for (it = NULL; (it = cfg_next(c, "ferry.linkclass", it));)
		if (netpolicy_add_linkclass(&nc->pol, it->val))
			conf_error(nc, c, it, "expected IFACE-OR-MAC:ethernet|wifi|wwan|ppp|other");
	conf_ocotp(nc, c);
}

/* The mode: ferry.net= if given, else optional when an ip= asks for something, else off. */
static void conf_mode(struct netconf *nc, const struct ferry_config *c)
{
	const struct cfg_item *it = cfg_last(c, "ferry.net");
	char *end;

	nc->mode = nc->nparams || nc->wildcard || nc->wildcard6 ? NET_OPTIONAL : NET_OFF;
	if (it && !strcmp(it->val, "required"))
		nc->mode = NET_REQUIRED;
	else if (it && !strcmp(it->val, "optional"))
		nc->mode = NET_OPTIONAL;
	else if (it && !strcmp(it->val, "off"))
		nc->mode = NET_OFF;
	else if (it)
		conf_error(nc, c, it, "expected required | optional | off");
	/* ferry.net=required alone: DHCP on every ethernet-like link. */
	if (nc->mode != NET_OFF && !nc->nparams && !nc->wildcard && !nc->wildcard6)
		nc->wildcard = true;
	if ((it = cfg_last(c, "ferry.net.ipv6")) && !(nc->ipv6 = !strcmp(it->val, "auto")) && strcmp(it->val, "off"))
		conf_error(nc, c, it, "expected auto | off");
	nc->timeout_s = NETCONF_TIMEOUT_DEFAULT;
	if ((it = cfg_last(c, "ferry.net.timeout"))) {
		errno = 0;
		nc->timeout_s = strtoul(it->val, &end, 10);
		if (!*it->val || *end || errno || it->val[0] == '-' || nc->timeout_s > 3600 || !nc->timeout_s) {
			conf_error(nc, c, it, "expected seconds from 1 to 3600");
			nc->timeout_s = NETCONF_TIMEOUT_DEFAULT;
		}
	}
}

int netconf_parse(const struct ferry_config *c, struct netconf *nc)
{
	memset(nc, 0, sizeof(*nc));
	conf_ip(nc, c);
	conf_policy(nc, c);
	conf_mode(nc, c);
	return nc->nerrs;
}

/* An ip= IPv6 word wins for its link; without one, ferry.net.ipv6= decides. */
enum ip6_method netconf_ip6(const struct netconf *nc, const struct ip_param *p)
{
	if (p->v6 != IP6_DEFAULT)
		return p->v6;
	return nc->ipv6 ? IP6_RA : IP6_OFF;
}

/* Does any link of the stage want IPv6 (the RA socket is opened for them)? */
bool netconf_any_ip6(const struct netconf *nc)
{
	if (nc->ipv6 || nc->wildcard6)
		return true;
	for (int i = 0; i < nc->nparams; i++)
		if (nc->params[i].method != IP_OFF && nc->params[i].v6 != IP6_DEFAULT)
			return true;
	return false;
}

const char *netconf_mode_name(enum net_mode m)
{
	static const char *const names[] = { "off", "optional", "required" };

	return (unsigned)m < 3 ? names[m] : "?";
}
