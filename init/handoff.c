/* The last job: write the timeline, then hand the machine over. In order: kexec (ferry.boot=kexec or
 * auto with entries found), switch_root / pivot_root into the root the root job built, or — no root=
 * in an initramfs — exec rootinit from the initramfs itself, keeping PID 1. */
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>
#include "ferry.h"
#include "stages.h"

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
	execv(argv0, argv);
	int ret = -errno;
	sigset_t all;
	sigfillset(&all);
	sigprocmask(SIG_BLOCK, &all, NULL);
	return ret;
}

static int handoff_start(struct job *j)
{
	const char *rootinit = cfg_get(cfg, "rootinit") ? cfg_get(cfg, "rootinit") : "/sbin/init";
	int ret;

	ret = timeline_write("/run/ferry/timeline");
	if (ret < 0)
		log_warn("handoff", "writing /run/ferry/timeline: %s", strerror(-ret));
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
