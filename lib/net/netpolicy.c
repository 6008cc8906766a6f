/* Link classes and route metrics. The defaults follow NetworkManager (ethernet 100, wifi 600,
 * wwan 700, everything else 1000); a ppp link on an embedded board is nearly always pppd over a
 * cellular modem, so it ranks with wwan rather than NetworkManager's 460 for PPPoE. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <net/if_arp.h>
#include "netpolicy.h"
#include "../core/kmod.h"

static const char *const class_names[LC_COUNT] = {
	[LC_ETHERNET] = "ethernet", [LC_WIFI] = "wifi", [LC_WWAN] = "wwan",
	[LC_PPP] = "ppp", [LC_OTHER] = "other",
};
static const unsigned class_metrics[LC_COUNT] = {
	[LC_ETHERNET] = 100, [LC_WIFI] = 600, [LC_WWAN] = 700, [LC_PPP] = 700, [LC_OTHER] = 1000,
};

/* Drivers of cellular modems whose net device does not say DEVTYPE=wwan. */
static const char *const wwan_drivers[] = {
	"qmi_wwan", "cdc_mbim", "huawei_cdc_ncm", "sierra_net", "GobiNet", "mhi_net", "rmnet",
	"ipa", "qcom-ipa", "option", "usb_wwan", "t7xx", "iosm",
};

const char *netpolicy_class_name(enum link_class c)
{
	return c < LC_COUNT ? class_names[c] : "?";
}

int netpolicy_class_parse(const char *s, enum link_class *out)
{
	for (int i = 0; i < LC_COUNT; i++)
		if (!strcmp(s, class_names[i])) {
			*out = i;
			return 0;
		}
	return -EINVAL;
}

unsigned netpolicy_default_metric(enum link_class c)
{
	return c < LC_COUNT ? class_metrics[c] : class_metrics[LC_OTHER];
}

enum link_class netpolicy_classify(const struct link_facts *f)
{
	if (f->wireless || (f->devtype && !strcmp(f->devtype, "wlan")))
		return LC_WIFI;
	if (f->devtype && !strcmp(f->devtype, "wwan"))
		return LC_WWAN;
	for (size_t i = 0; f->driver && i < sizeof(wwan_drivers) / sizeof(wwan_drivers[0]); i++)
		if (!strcmp(f->driver, wwan_drivers[i]))
			return LC_WWAN;
	if (f->arphrd == ARPHRD_PPP)
		return LC_PPP;
	/* Bridges, bonds, VLANs and veths are ethernet to the routes they carry. */
	if (f->arphrd == ARPHRD_ETHER && (!f->devtype || strcmp(f->devtype, "wlan")))
		return LC_ETHERNET;
	return LC_OTHER;
}

void netpolicy_init(struct netpolicy *p)
{
	memset(p, 0, sizeof(*p));
}

/* A MAC pattern is colon-separated parts, each two hex digits or "*": six of them, or fewer
 * when the last is "*" ("00:1b:*" matches a vendor prefix). */
static bool is_mac_pattern(const char *s)
{
	int parts = 0;
	bool star = false;

	for (const char *q = s; *q; q += *q == ':') {
		star = *q == '*';
		if (star)
			q++;
		else if (isxdigit((unsigned char)q[0]) && isxdigit((unsigned char)q[1]))
			q += 2;
		else
			return false;
		if (*q && *q != ':')
			return false;
		parts++;
	}
	return parts == 6 || (parts > 0 && parts < 6 && star);
}

static bool mac_matches(const char *pattern, const uint8_t *mac)
{
	char s[18], p[sizeof(((struct np_rule *)0)->pattern)];
	size_t i;

	if (!mac)
		return false;
	snprintf(s, sizeof(s), "%02x:%02x:%02x:%02x:%02x:%02x", mac[0], mac[1], mac[2], mac[3], mac[4], mac[5]);
	/* Case-insensitive: the MAC is lower case, so the pattern is matched lowered. */
	for (i = 0; pattern[i] && i < sizeof(p) - 1; i++)
		p[i] = (char)tolower((unsigned char)pattern[i]);
	p[i] = '\0';
	return kmod_glob_match(p, s);
}

/* Split "SUBJECT:VALUE" at the last ':' and classify the subject. */
static int parse_rule(const char *s, struct np_rule *r, const char **value)
{
	const char *colon = strrchr(s, ':');
	size_t n = colon ? (size_t)(colon - s) : 0;

	memset(r, 0, sizeof(*r));
	if (!n || n >= sizeof(r->pattern) || !colon[1])
		return -EINVAL;
	memcpy(r->pattern, s, n);
	*value = colon + 1;
	if (!netpolicy_class_parse(r->pattern, &r->cls))
		r->match = NP_CLASS;
	else if (strchr(r->pattern, ':'))
		r->match = is_mac_pattern(r->pattern) ? NP_MAC : -1;
	else
		r->match = NP_IFACE;
	return (int)r->match < 0 ? -EINVAL : 0;
}

int netpolicy_add_metric(struct netpolicy *p, const char *s)
{
	struct np_rule r;
	const char *v;
	char *end;
	unsigned long n;

	if (parse_rule(s, &r, &v))
		return -EINVAL;
	errno = 0;
	n = strtoul(v, &end, 10);
	if (*end || errno || n > 0xffffffffUL || !isdigit((unsigned char)*v))
		return -EINVAL;
	if (p->nmetric == NP_MAX_RULES)
		return -ENOSPC;
	r.value = n;
	p->metric[p->nmetric++] = r;
	return 0;
}

int netpolicy_add_linkclass(struct netpolicy *p, const char *s)
{
	struct np_rule r;
	const char *v;
	enum link_class cls;

	if (parse_rule(s, &r, &v) || r.match == NP_CLASS || netpolicy_class_parse(v, &cls))
		return -EINVAL;
	if (p->nlinkclass == NP_MAX_RULES)
		return -ENOSPC;
	r.cls = cls;
	p->linkclass[p->nlinkclass++] = r;
	return 0;
}

/* The last rule of the given kind that matches, or NULL. */
static const struct np_rule *find(const struct np_rule *rules, unsigned n, enum np_match kind,
				  const char *name, const uint8_t *mac, enum link_class cls)
{
	for (unsigned i = n; i-- > 0;) {
		const struct np_rule *r = &rules[i];
		if (r->match != kind)
			continue;
		if ((kind == NP_MAC && mac_matches(r->pattern, mac)) ||
		    (kind == NP_IFACE && name && kmod_glob_match(r->pattern, name)) ||
		    (kind == NP_CLASS && r->cls == cls))
			return r;
	}
	return NULL;
}

enum link_class netpolicy_link_class(const struct netpolicy *p, const char *name, const uint8_t *mac,
				     enum link_class detected)
{
	const struct np_rule *r = find(p->linkclass, p->nlinkclass, NP_MAC, name, mac, 0);

	if (!r)
		r = find(p->linkclass, p->nlinkclass, NP_IFACE, name, mac, 0);
	return r ? r->cls : detected;
}

unsigned netpolicy_metric(const struct netpolicy *p, const char *name, const uint8_t *mac,
			  enum link_class cls)
{
	static const enum np_match order[] = { NP_MAC, NP_IFACE, NP_CLASS };

	for (size_t i = 0; i < 3; i++) {
		const struct np_rule *r = find(p->metric, p->nmetric, order[i], name, mac, cls);
		if (r)
			return r->value;
	}
	return netpolicy_default_metric(cls);
}
