/* The network stage's configuration: a config file up to the first NUL, a command line after
 * it, parsed as at boot, then every net key read into one struct. The struct keeps its bounds:
 * one entry per device and per OCOTP interface, a timeout from 1 to 3600 s, a mode, errors that
 * name where they came from; a static IPv6 address only on a named device, with a prefix length from
 * 1 to 128; either6 only on every link (dracut lists it device-less). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "../../lib/core/config.h"
#include "../../lib/net/netconf.h"

static void check(const struct netconf *nc)
{
	if (nc->nparams < 0 || nc->nparams > NETCONF_MAX_PARAMS || nc->nocotp < 0 || nc->nocotp > NETCONF_MAX_OCOTP ||
	    nc->nerrs < 0 || nc->nerrs > NETCONF_MAX_ERRS || nc->timeout_s < 1 || nc->timeout_s > 3600 ||
	    (unsigned)nc->mode > NET_REQUIRED || (nc->mode != NET_OFF && !nc->nparams && !nc->wildcard && !nc->wildcard6) ||
	    (unsigned)nc->wildcard6 > IP6_EITHER || nc->wildcard6 == IP6_STATIC)  /* a static ip= names its device */
		abort();
	for (int i = 0; i < nc->nparams; i++) {
		if (!nc->params[i].dev[0] || !memchr(nc->params[i].dev, 0, sizeof(nc->params[i].dev)) ||
		    (unsigned)nc->params[i].v6 > IP6_STATIC || nc->params[i].v6 == IP6_OFF || nc->params[i].v6 == IP6_RA ||
		    (nc->params[i].v6 == IP6_STATIC && (nc->params[i].s6.plen < 1 || nc->params[i].s6.plen > 128)) ||
		    (nc->params[i].method == IP_NONE && nc->params[i].v6 == IP6_DEFAULT) ||
		    (nc->params[i].method == IP_OFF && nc->params[i].v6 != IP6_DEFAULT) ||
		    netconf_ip6(nc, &nc->params[i]) == IP6_DEFAULT)
			abort();
		for (int j = 0; j < i; j++)
			if (!strcmp(nc->params[i].dev, nc->params[j].dev))
				abort();
	}
	for (int i = 0; i < nc->nocotp; i++)
		for (int j = 0; j < i; j++)
			if (!strcmp(nc->ocotp[i].iface, nc->ocotp[j].iface))
				abort();
	for (int i = 0; i < nc->nerrs; i++)
		if (strncmp(nc->errs[i], "fuzz.conf:", 10) && strncmp(nc->errs[i], "command line: ", 14))
			abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct ferry_config c;
	static struct netconf nc;
	const char *buf = (const char *)data, *nul = memchr(buf, 0, size);
	size_t flen = nul ? (size_t)(nul - buf) : size;

	cfg_init(&c, "fuzz.conf");
	cfg_parse_file(&c, buf, flen);
	if (nul)
		cfg_parse_cmdline(&c, nul + 1, size - flen - 1);
	if (netconf_parse(&c, &nc) != nc.nerrs)
		abort();
	check(&nc);
	(void)netconf_mode_name(nc.mode);
	(void)netconf_any_ip6(&nc);
	cfg_free(&c);
	return 0;
}
