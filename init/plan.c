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
#include "root.h"

int plan_main(int argc, char **argv)
{
	static struct ferry_config the_cfg;
	const char *cmdline = "", *file = NULL;
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
	/* No --config: no file, not this workstation's /etc/ferry.conf. */
	(void)config_load(cfg, file, cmdline);
	(void)policy_setup(cfg);
	printf("config: %s (%s), command line: %zu bytes\n", file ? file : "none",
	       cfg->locked ? "locked" : "not locked", strlen(cmdline));
	for (size_t i = 0; i < cfg->nignored && i < 8; i++)
		printf("config: %s on the command line is ignored: the config is locked\n", cfg->ignored[i]);
	for (size_t i = 0; i < cfg->n; i++) {
		char where[160];
		printf("  %-18s = %-30s (%s)\n", cfg->items[i].key, cfg->items[i].val,
		       cfg_where(cfg, &cfg->items[i], where, sizeof(where)));
	}
	printf("early: mount devtmpfs /dev, proc, sysfs, tmpfs /run; fds 0-2 on /dev/console; log to /dev/kmsg\n");
	modules_plan(stdout);
	/* Each stage prints its part; a non-zero return is an error it found offline. */
	errors = (crypt_plan(cfg, stdout) != 0) + (root_plan(cfg, stdout) != 0) + (net_plan(cfg, stdout) != 0) +
		 (kexec_plan(cfg, stdout) != 0);
	printf("handoff: write /run/ferry/timeline; %s\n",
	       cfg_get(cfg, "root") ? "switch_root into the new root" : "no root=: kexec an entry found on disk, "
	       "else exec rootinit from the initramfs");
	printf("on failure: %s\n", policy_describe());
	errors += (int)cfg->nerrors;
	for (size_t i = 0; i < cfg->nerrors && i < CFG_MAX_ERRORS; i++)
		printf("error: %s\n", cfg->errors[i]);
	printf("%d error%s\n", errors, errors == 1 ? "" : "s");
	return errors ? 1 : 0;
}
