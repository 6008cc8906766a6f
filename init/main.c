/* ferry: PID 1 from the kernel to the real system.
 *
 * One binary, several modes: PID 1 (getpid() == 1), the kernel's modprobe helper (called as
 * "modprobe"), `ferry plan` and `ferry net` for workstations and tests. As PID 1 the boot is the
 * job table below, run by one event loop; the failure policy lives in policy.c. */
#include <errno.h>
#include <libgen.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "ferry.h"
#include "stages.h"
#include "crypt.h"
#include "kexec.h"
#include "net.h"
#include "netboot.h"
#include "root.h"
#include "../lib/core/relro.h"

struct ferry_config *cfg;
struct boot_plan *plan;
struct loop *loop;
char **ferry_argv;

/* The boot, in order; each job names what it waits for (see job.h). */
struct job *const jobs[] = {
	&job_early,    /* devtmpfs, proc, sys, run, console, kmsg, configuration */
	&job_modules,  /* what present devices need, then each new device's */
	&job_modules_settle, /* ferry.modules=settle (or no new root): the jobs below wait for modules */
	&job_linktest, /* ferry.linktest=: the factory cable test between two ports, before net */
	&job_net,      /* links, DHCP, metrics: alongside the storage jobs */
	&job_crypt,    /* dm-crypt volumes, as their devices appear */
	&job_root,     /* lower, upper, reset, overlay, preinit */
	&job_netboot,  /* ferry.netboot=: a script, config or kernel fetched after a lease */
	&job_kexec,    /* boot entries on disk, when the handoff is to kexec */
	&job_menu,     /* ferry.menu=: the entries on the console, a key picks or edits one */
	&job_handoff,  /* timeline, then kexec / switch_root / pivot_root / exec in place */
	NULL,
};

static int usage(void)
{
	fprintf(stderr,
		"usage: ferry                    as PID 1: boot (see README)\n"
		"       ferry plan [--cmdline STRING] [--config FILE]\n"
		"                                print what the boot would do and every error found offline\n"
		"       ferry net [--cmdline STRING] [--config FILE] [--run-dir DIR] [--stay]\n"
		"                                configure the network as the boot would (ferry net --help)\n"
		"       ferry netboot --fetch URL --out FILE [--timeout S]\n"
		"                                fetch a file over tftp:// or http:// as netboot would\n"
		"       ferry linktest [--count N] [--timeout S] IFACE1 IFACE2\n"
		"                                ICMP echoes both ways between two ports wired to each other\n"
		"       modprobe [-q] [--] NAME  (as the kernel's modprobe helper) load a module and its deps\n");
	return 2;
}

int main(int argc, char **argv)
{
	const char *self = basename(argv[0]);

	/* first, before any input is read: the GOT and .data.rel.ro become read-only */
	(void)relro_protect();
	ferry_argv = argv;
	if (!strcmp(self, "modprobe"))
		return modprobe_main(argc, argv);
	if (argc > 1 && !strcmp(argv[1], "plan"))
		return plan_main(argc - 1, argv + 1);
	if (argc > 1 && !strcmp(argv[1], "net"))
		return net_main(argc - 1, argv + 1);
	if (argc > 1 && !strcmp(argv[1], "netboot"))
		return netboot_main(argc - 1, argv + 1);
	if (argc > 1 && !strcmp(argv[1], "linktest"))
		return linktest_main(argc - 1, argv + 1);
	if (getpid() != 1)
		return usage();
	pid1_run();  /* never returns */
}
