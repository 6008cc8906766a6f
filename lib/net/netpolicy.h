/* The route-metric policy: a link's class (ethernet, wifi, wwan, ppp, other) gives its metric,
 * NetworkManager's order; overrides by class, interface name (glob) or MAC pattern. Pure. */
#ifndef FERRY_NETPOLICY_H
#define FERRY_NETPOLICY_H
#include <stdbool.h>
#include <stdint.h>

enum link_class { LC_ETHERNET, LC_WIFI, LC_WWAN, LC_PPP, LC_OTHER, LC_COUNT };

/* What sysfs and rtnetlink say about a link, gathered by the caller. */
struct link_facts {
	const char *name;
	unsigned short arphrd;   /* ARPHRD_* from /sys/class/net/X/type or IFLA */
	const char *devtype;     /* DEVTYPE= from /sys/class/net/X/uevent, NULL if none */
	const char *driver;      /* basename of /sys/class/net/X/device/driver, NULL if none */
	bool wireless;           /* /sys/class/net/X/wireless or phy80211 exists */
};

#define NP_MAX_RULES 32
enum np_match { NP_CLASS, NP_IFACE, NP_MAC };
struct np_rule {
	enum np_match match;
	enum link_class cls;     /* NP_CLASS: the class matched; class rules: the class assigned */
	char pattern[32];        /* NP_IFACE: glob (kmod_glob_match); NP_MAC: "aa:bb:*" (case-insensitive) */
	unsigned value;          /* metric rules: the metric */
};
struct netpolicy {
	struct np_rule metric[NP_MAX_RULES];
	unsigned nmetric;
	struct np_rule linkclass[NP_MAX_RULES];  /* value unused; cls is what the link becomes */
	unsigned nlinkclass;
};

const char *netpolicy_class_name(enum link_class c);
int netpolicy_class_parse(const char *s, enum link_class *out);
unsigned netpolicy_default_metric(enum link_class c);
/* The class the kernel's facts say: wifi, wwan, ppp, ethernet, or other. */
enum link_class netpolicy_classify(const struct link_facts *f);

void netpolicy_init(struct netpolicy *p);
/* "CLASS-OR-IFACE-OR-MAC:N" (ferry.metric=) and "IFACE-OR-MAC:CLASS" (ferry.linkclass=); split at
 * the last ':' since a MAC pattern has its own. Later rules win over earlier. 0, -EINVAL, -ENOSPC. */
int netpolicy_add_metric(struct netpolicy *p, const char *s);
int netpolicy_add_linkclass(struct netpolicy *p, const char *s);
/* The class after ferry.linkclass= overrides (a MAC rule beats a name rule). mac may be NULL. */
enum link_class netpolicy_link_class(const struct netpolicy *p, const char *name, const uint8_t *mac,
				     enum link_class detected);
/* The metric: a MAC rule, then an interface rule, then a class rule, then the class default. */
unsigned netpolicy_metric(const struct netpolicy *p, const char *name, const uint8_t *mac,
			  enum link_class cls);

#endif
