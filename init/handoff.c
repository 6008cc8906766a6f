/* The last job, and the only way out: write the timeline, then hand the machine over. In order, as
 * the plan decides (bootplan_handoff()): kexec into an entry the kexec job found, switch_root /
 * pivot_root into the root the root job built (root_result()), or — no root= in an initramfs —
 * exec rootinit from the initramfs itself, keeping PID 1. */
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include "ferry.h"
#include "stages.h"
#include "kexec.h"
#include "root.h"
#include "../lib/storage/switchroot.h"

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

/* The plan's decision (lib/core/bootplan.c), with the one fact it needs from this machine: can
 * rootinit run from the initramfs. Taken once: the kexec job and the handoff see the same. */
struct handoff_plan handoff_decide(void)
{
	static struct handoff_plan h;
	static bool decided;

	if (!decided) {
		h = bootplan_handoff(plan, access(plan->root.rootinit, X_OK) == 0);
		decided = true;
	}
	return h;
}

#define FREE_NICE 19
#define FREE_NAME "ferry-initramfs"  /* the deleting child as ps(1) shows it in the target */

/* The initramfs's files, overmounted by now, are deleted by a child at nice FREE_NICE while the
 * target init starts: with a generic image's every module in it, the delete held the handoff about
 * 100 ms under TCG. The child keeps nothing of PID 1's but that fd (no watchdog, console or socket
 * of ferry's stays open in the target) and is the target init's to reap. No child: deleted here. */
static void free_initramfs(int oldroot)
{
	pid_t pid = fork();

	if (pid == 0) {
		sigset_t none;

		sigemptyset(&none);
		(void)sigprocmask(SIG_SETMASK, &none, NULL);
		if (oldroot != 3 && (dup2(oldroot, 3) < 0 || close(oldroot)))
			_exit(1);
		for (int fd = 0; fd < 3; fd++)
			(void)close(fd);
		if (syscall(SYS_close_range, 4u, ~0u, 0) < 0)
			for (int fd = 4; fd < 1024; fd++)
				(void)close(fd);
		(void)prctl(PR_SET_NAME, FREE_NAME, 0, 0, 0);
		(void)setpriority(PRIO_PROCESS, 0, FREE_NICE);
		switchroot_free(3);
		_exit(0);
	}
	if (pid < 0) {
		log_debug("handoff", "no child to delete the initramfs (%s): deleting it now", strerror(errno));
		switchroot_free(oldroot);
		return;
	}
	close(oldroot);
}

/* switch_root (or pivot_root when ferry runs on a real root) into what the root job built, then
 * exec the target init with ferry's arguments. Returns only on failure. */
static int enter_root(struct job *j, const struct root_result *r)
{
	const char *how = r->initramfs ? "switch_root" : "pivot_root", *step;
	int err = 0, ret, oldroot = -1;

	log_info("handoff", "%s into %s, then %s", how, r->newroot, r->init);
	step = r->initramfs ? switchroot_enter(r->newroot, r->init, &oldroot, &err) :
			      pivotroot_enter(r->newroot, r->init, &err);
	if (step)
		return job_fail(j, -err, "%s: %s (%s)", how, step, r->init);
	if (oldroot >= 0)
		free_initramfs(oldroot);
	ret = handoff_exec(r->init);
	return job_fail(j, ret, "exec %s in the new root", r->init);
}

static int handoff_start(struct job *j)
{
	const char *rootinit = plan->root.rootinit;
	const struct root_result *r = root_result();
	int ret;

	modules_handoff();
	net_handoff();
	job_mark("handoff");
	ret = timeline_write("/run/ferry/timeline");
	if (ret < 0)
		log_warn("handoff", "writing /run/ferry/timeline: %s", strerror(-ret));
	if (handoff_decide().kexec) {
		ret = kexec_boot();  /* returns only when no entry could be booted */
		if (ret == -EKEYREJECTED)
			return job_fail(j, 0, "kexec: a signature was refused; no fallback to another boot");
		if (ret == -ENOTRECOVERABLE)
			return job_fail(j, 0, "kexec: the TPM failed to measure the entries; no fallback to an unmeasured boot");
		log_warn("handoff", "no kexec entry booted (%s): %s", strerror(-ret),
			 r->built ? "switch_root into the new root instead" : "trying rootinit in the initramfs");
	}
	if (r->built)
		return enter_root(j, r);
	if (access(rootinit, X_OK) < 0)
		return job_fail(j, -errno, "no root= given and rootinit %s cannot run from the initramfs", rootinit);
	log_info("handoff", "no root= given: running %s from the initramfs", rootinit);
	ret = handoff_exec(rootinit);
	return job_fail(j, ret, "exec %s", rootinit);
}

struct job job_handoff = {
	.name = "handoff",
	.after = { "modules-settle", "crypt", "root", "net", "menu", "netboot", "linktest" },  /* each after early; menu after kexec */
	.start = handoff_start,
};
