/* `ferry plan`: what the boot would do, stage by stage, and every error found offline — with the
 * same parsing code PID 1 runs. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "ferry.h"
#include "stages.h"
#include "crypt.h"
#include "kexec.h"
#include "net.h"
#include "netboot.h"
#include "root.h"
#include "verity.h"

static void plan_core(const struct boot_plan *p)
{
	printf("plan: ferry.boot=%s, modules %s, device waits up to %u s%s\n", bootplan_mode_name(p->mode),
	       p->modules ? "on" : "off", p->timeout_s, p->debug ? ", debug" : "");
	if (p->watchdog.seconds)
		printf("watchdog: %s, %u s timeout, petted while the boot runs; at the handoff %s\n",
		       p->watchdog.dev, p->watchdog.seconds,
		       p->watchdog.stop_at_handoff ? "stopped (magic close)" : "left armed for the target");
}

int plan_main(int argc, char **argv)
{
	static struct ferry_config the_cfg;
	static struct boot_plan the_plan;
	const char *cmdline = "", *file = NULL;
	char line[256];
	int errors;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--cmdline") && i + 1 < argc)
			cmdline = argv[++i];
		else if (!strcmp(argv[i], "--config") && i + 1 < argc)
			file = argv[++i];
		else {
			fprintf(stderr, "usage: ferry plan [--cmdline STRING] [--config FILE]\n");
			return 2;
		}
	}
	cfg = &the_cfg;
	plan = &the_plan;
	/* No --config: no file, not this workstation's /etc/ferry.conf. The same builder as PID 1's
	 * early job: what it rejects here, the boot rejects with the same message. */
	(void)config_plan(cfg, plan, file, cmdline, false);
	policy_setup(plan);
	printf("config: %s (%s), command line: %zu bytes\n", file ? file : "none",
	       cfg->locked ? "locked" : "not locked", strlen(cmdline));
	if (cfg->locked)
		printf("config: locked: the command line may set %s%s\n", cfg->nallow ? "only" : "nothing",
		       cfg->nallow ? "" : " of ferry's (no locked.allow)");
	for (size_t i = 0; i < cfg->nallow; i++)
		printf("config:   %s (locked.allow)\n", cfg->allow[i]);
	for (size_t i = 0; i < cfg->nignored && i < CFG_MAX_IGNORED; i++)
		printf("config: %s\n", config_ignored(cfg, i, line, sizeof(line)));
	for (size_t i = 0; i < cfg->n; i++) {
		char where[160];
		printf("  %-18s = %-30s (%s)\n", cfg->items[i].key, cfg->items[i].val,
		       cfg_where(cfg, &cfg->items[i], where, sizeof(where)));
	}
	printf("early: mount devtmpfs /dev, proc, sysfs, tmpfs /run; fds 0-2 on /dev/console; log to /dev/kmsg\n");
	plan_core(plan);
	modules_plan(plan, stdout);
	crypt_plan(plan, stdout);
	verity_plan(plan, stdout);
	root_plan(plan, stdout);
	kexec_plan(plan, stdout);
	netboot_plan(plan, stdout);
	if (plan->linktest.ifname[0][0])
		printf("linktest: %s <-> %s, %u echoes each way within %u s, before net; /run/ferry/linktest\n",
		       plan->linktest.ifname[0], plan->linktest.ifname[1], plan->linktest.count, plan->linktest.timeout_s);
	net_plan(&plan->net, stdout);
	printf("handoff: write /run/ferry/timeline; %s\n", plan->root.given ? "switch_root into the new root" :
	       "no root=: exec rootinit from the initramfs (or kexec, above)");
	printf("on failure: %s\n", policy_describe());
	errors = (jobs_check() < 0) + (int)cfg->nerrors;
	for (size_t i = 0; i < cfg->nerrors && i < CFG_MAX_ERRORS; i++)
		printf("error: %s\n", cfg->errors[i]);
	printf("%d error%s\n", errors, errors == 1 ? "" : "s");
	return errors ? 1 : 0;
}
