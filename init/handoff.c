/* The last job: write the timeline, then hand the machine over. In order: kexec (ferry.boot=kexec, or
 * auto without root=), switch_root / pivot_root into the root the root job built, or — no root= in
 * an initramfs — exec rootinit from the initramfs itself, keeping PID 1. */
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>
#include "ferry.h"
#include "stages.h"
#include "kexec.h"
#include "root.h"

/* Exec argv0 with ferry's own arguments, signals unblocked (they were blocked for the signalfd). */
int handoff_exec(const char *argv0)
{
	sigset_t none;
	char *argv[64];
	int i;

	argv[0] = (char *)argv0;
	for (i = 1; ferry_argv[i] && i < 63; i++)
		argv[i] = ferry_argv[i];
	argv[i] = NULL;
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	watchdog_handoff();
	execv(argv0, argv);
	int ret = -errno;
	sigset_t all;
	sigfillset(&all);
	sigprocmask(SIG_BLOCK, &all, NULL);
	return ret;
}

/* ferry.boot=kexec: always. ferry.boot=auto: with root= the root is the target (a Yocto root with
 * kernels in /boot must not be kexec'd by surprise); without root= the disks' boot entries are
 * (LinuxBoot), unless the initramfs has a rootinit of its own to run. */
static int want_kexec(const char *rootinit)
{
	const char *boot = cfg_get(cfg, "ferry.boot") ? cfg_get(cfg, "ferry.boot") : "auto";

	if (!strcmp(boot, "kexec"))
		return 1;
	if (!strcmp(boot, "switch_root"))
		return 0;
	return !cfg_get(cfg, "root") && access(rootinit, X_OK) < 0;
}

static int handoff_start(struct job *j)
{
	const char *rootinit = cfg_get(cfg, "rootinit") ? cfg_get(cfg, "rootinit") : "/sbin/init";
	int ret;

	job_mark("handoff");
	ret = timeline_write("/run/ferry/timeline");
	if (ret < 0)
		log_warn("handoff", "writing /run/ferry/timeline: %s", strerror(-ret));
	if (want_kexec(rootinit)) {
		ret = kexec_handoff();  /* returns only when no entry could be booted */
		if (ret == -EKEYREJECTED)
			return job_fail(j, 0, "kexec: a signature was refused; no fallback to another boot");
		log_warn("handoff", "no kexec entry booted (%s): %s", strerror(-ret),
			 cfg_get(cfg, "root") ? "switch_root into root= instead" : "trying rootinit in the initramfs");
	}
	ret = root_handoff();  /* returns only on failure; -ENOENT: no new root was built */
	if (ret != -ENOENT)
		return job_fail(j, ret, "handing over to the new root");
	if (access(rootinit, X_OK) < 0)
		return job_fail(j, -errno, "no root= given and rootinit %s cannot run from the initramfs", rootinit);
	log_info("handoff", "no root= given: running %s from the initramfs", rootinit);
	ret = handoff_exec(rootinit);
	return job_fail(j, ret, "exec %s", rootinit);
}

struct job job_handoff = {
	.name = "handoff",
	.after = { "early", "modules", "crypt", "root", "net" },
	.start = handoff_start,
};
