/* The stages (jobs) of init/ and the entry points of ferry's other modes. */
#ifndef FERRY_STAGES_H
#define FERRY_STAGES_H
#include <stdbool.h>
#include <stdio.h>
#include "job.h"

struct ferry_config;
struct boot_plan;

extern struct job *const jobs[];
extern struct job job_early, job_modules, job_modules_settle, job_handoff;
extern char **ferry_argv;

/* job.c: run the job table on the loop as PID 1; never returns. */
_Noreturn void pid1_run(void);
/* Write the timeline ("stage START END" lines, ms since boot) to path. */
int timeline_write(const char *path);

/* config.c: fill c from the config file (NULL: none) and a command line (NULL: /proc/cmdline). */
int config_load(struct ferry_config *c, const char *file, const char *cmdline);
/* ... then build the plan from it (errors in c->errors). is_self: PID 1 compares init= with the
 * running binary; `ferry plan` guesses from the name. Returns config_load's result. */
int config_plan(struct ferry_config *c, struct boot_plan *p, const char *file, const char *cmdline,
		bool is_self);
/* "init=/bin/sh on the command line ignored: /etc/ferry.conf is locked", for the log and the plan */
const char *config_ignored(const struct ferry_config *c, size_t i, char *buf, size_t len);

/* policy.c */
void policy_setup(const struct boot_plan *p);
void policy_apply(const char *stage);       /* a job failed: do what ferry.onfail= says */
const char *policy_describe(void);
/* A signal to PID 1 once the boot has stopped in the policy: SIGTERM reboots, SIGUSR1 halts,
 * SIGUSR2 powers off, as busybox init (what `reboot`, `halt`, `poweroff` send). 1: handled. */
int policy_signal(int signo);

/* modules.c */
int modules_load(const char *name_or_alias);
int modprobe_main(int argc, char **argv);
void modules_plan(const struct boot_plan *p, FILE *out);
void modules_setup(const struct boot_plan *p);  /* early: ferry.modules=off applies to everything */
/* root: its devices are all there; no queued load but a disk driver starts from now (until
 * ferry.timeout= has passed without a handoff) */
void modules_root_devices(void);
void modules_handoff(void);  /* the handoff: no new load, the ones in flight finish (bounded) */
void net_handoff(void);      /* the handoff: the links' RAs back to the kernel (init/ra6.c) */

/* child.c: run a program; fn(arg, wait status) when it ends (reaped on SIGCHLD). */
int child_spawn(char *const argv[], void (*fn)(void *arg, int status), void *arg);
/* The same with a bound: after timeout_s seconds the child and its process group are killed and
 * fn gets CHILD_TIMED_OUT instead of a wait status. A failure to arm the bound kills it at once. */
#define CHILD_TIMED_OUT (-1)
int child_spawn_bounded(char *const argv[], unsigned timeout_s, void (*fn)(void *arg, int status),
			void *arg);
/* Blocking work out of the loop: work(fd, warg) runs in a forked child and writes at most
 * CHILD_RESULT_MAX bytes of result to fd; done(arg, result, n, wait status) runs from the loop once
 * the child has exited. -EAGAIN when every child slot is taken (the caller then works inline). */
#define CHILD_RESULT_MAX 1024
int child_work(int (*work)(int fd, void *warg), void *warg,
	       void (*done)(void *arg, const void *res, size_t n, int status), void *arg);
/* The same with a bound: a child still running after timeout_ms is killed (by its PID) and done
 * gets CHILD_TIMED_OUT (no result) at once, without waiting for it to die. */
int child_work_bounded(int (*work)(int fd, void *warg), void *warg, unsigned timeout_ms,
		       void (*done)(void *arg, const void *res, size_t n, int status), void *arg);
/* The same, waited for by the caller (the handoff, when nothing else runs on the loop): up to len
 * bytes of result in res within timeout_ms. Bytes read (>= 0), -ETIMEDOUT (the child killed by its
 * PID, reaped later), or -errno. */
int child_work_wait(int (*work)(int fd, void *warg), void *warg, unsigned timeout_ms, void *res, size_t len);
/* The works started with arg (child_work, child_work_bounded) are killed; their done never runs. */
void child_work_cancel(void *arg);
/* From the done of a bounded work that timed out (or a probe's done with -ETIMEDOUT): fn(arg) runs
 * once the killed child has been reaped (it may hold a device open until then); elsewhere, now. */
void child_when_gone(void (*fn)(void *arg), void *arg);
void child_reap(void);
/* The filesystem type on a node, probed in a child (lib/storage/blk.h): PROBE_TYPE is
 * blk_probe_type, PROBE_FULL blk_probe_full, PROBE_RW blk_identify_rw(node, fstype). done(arg,
 * ret, type) runs once, from the loop: ret 0 (type filled), the probe's -errno (type filled with
 * -EMEDIUMTYPE), or -ETIMEDOUT when no answer came within timeout_s (the child is killed). Only
 * when no child can be had is the node probed in place (logged once). -errno: nothing started. */
enum probe_how { PROBE_TYPE, PROBE_FULL, PROBE_RW };
#define PROBE_NODE_MAX 272
typedef void (*probe_fn)(void *arg, int ret, const char *type);
int probe_async(const char *node, enum probe_how how, const char *fstype, unsigned timeout_s, probe_fn done,
		void *arg);
/* The same, waited for by the caller (child_work_wait: the handoff): the probe's result, or
 * -ETIMEDOUT after timeout_s (the child killed). */
int probe_wait(const char *node, enum probe_how how, const char *fstype, unsigned timeout_s, char *type,
	       size_t len);
/* The probes started with arg: their children killed, done never called. */
void probe_cancel(void *arg);

/* watchdog.c: ferry.watchdog= opened and petted (from early); the boot stopped (no more
 * keepalives); the handoff (left armed, or the magic close with ferry.watchdog.handoff=stop). */
struct boot_plan;
void watchdog_setup(const struct boot_plan *p);
void watchdog_halted(void);
void watchdog_handoff(void);

/* plan.c */
int plan_main(int argc, char **argv);

/* linktest.c: ferry linktest [--count N] [--timeout S] IFACE1 IFACE2 (0 pass, 1 fail, 2 usage) */
int linktest_main(int argc, char **argv);
/* ferry.linktest=IFACE1,IFACE2: the same test at boot, before net; /run/ferry/linktest */
extern struct job job_linktest;

/* handoff.c: exec argv0 with ferry's arguments; returns -errno only on failure. */
int handoff_exec(const char *argv0);
/* The handoff as the plan decides it for this machine (the same answer every time). */
struct handoff_plan handoff_decide(void);

#endif
