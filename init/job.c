/* The job scheduler and the timeline. A job starts when every job it names in `after` is done or
 * off; a failed job's dependents never start (the policy has already run). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include "ferry.h"
#include "stages.h"

static uint64_t t_ferry;
static struct rusage ru_ferry;  /* PID 1's CPU before ferry ran: the kernel's own init work */
static struct { const char *what; uint64_t t; } marks[64];  /* what points to static storage */
static unsigned nmarks;
static int reschedule;

struct job *job_find(const char *name)
{
	for (struct job *const *j = jobs; *j; j++)
		if (!strcmp((*j)->name, name))
			return *j;
	return NULL;
}

void job_mark(const char *what)
{
	if (nmarks < sizeof(marks) / sizeof(*marks))
		marks[nmarks++] = (typeof(marks[0])){ what, loop_now_ms() };
}

static void job_end(struct job *j, enum job_state st)
{
	if (j->state != JOB_RUNNING)
		return;
	j->state = st;
	j->t_end = loop_now_ms();
	reschedule = 1;
	log_debug(j->name, "%s after %llu ms", st == JOB_DONE ? "done" : "failed",
		  (unsigned long long)(j->t_end - j->t_start));
}

void job_done(struct job *j)
{
	job_end(j, JOB_DONE);
}

int job_fail(struct job *j, int err, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (err)
		log_err(j->name, "%s: %s", msg, strerror(err < 0 ? -err : err));
	else
		log_err(j->name, "%s", msg);
	job_end(j, JOB_FAILED);
	policy_apply(j->name);
	return err < 0 ? err : -EIO;
}

int jobs_check(void)
{
	int bad = 0;

	for (struct job *const *p = jobs; *p; p++)
		for (unsigned i = 0; i < sizeof((*p)->after) / sizeof(*(*p)->after) && (*p)->after[i]; i++)
			if (!job_find((*p)->after[i])) {
				log_err("job", "%s waits for \"%s\", which is no job", (*p)->name, (*p)->after[i]);
				bad++;
			}
	return bad ? -EINVAL : 0;
}

/* 1: every dependency done or off; 0: still waiting; -1: one failed or is no job (never starts). */
static int deps_ready(const struct job *j)
{
	for (unsigned i = 0; i < sizeof(j->after) / sizeof(*j->after) && j->after[i]; i++) {
		const struct job *d = job_find(j->after[i]);
		if (!d)
			return -1;
		if (d->state == JOB_DONE || d->state == JOB_OFF)
			continue;
		return d->state == JOB_FAILED ? -1 : 0;
	}
	return 1;
}

static void jobs_schedule(void)
{
	while (reschedule) {
		reschedule = 0;
		for (struct job *const *p = jobs; *p; p++) {
			struct job *j = *p;
			int r;

			if (j->state != JOB_WAITING || deps_ready(j) != 1)
				continue;
			reschedule = 1;
			if (j->enabled && !j->enabled()) {
				j->state = JOB_OFF;
				continue;
			}
			j->state = JOB_RUNNING;
			j->t_start = loop_now_ms();
			r = j->start(j);
			if (r == 0)
				job_done(j);
			else if (r < 0 && j->state == JOB_RUNNING)
				job_fail(j, r, "failed");
		}
	}
}

static long tv_ms(const struct timeval *tv)
{
	return tv->tv_sec * 1000 + tv->tv_usec / 1000;
}

int timeline_write(const char *path)
{
	char tmp[256];
	FILE *f;

	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	f = fopen(tmp, "we");
	if (!f)
		return -errno;
	fprintf(f, "# ferry timeline: ms since boot (CLOCK_BOOTTIME); stage START END, mark NAME TIME, "
		"cpu USER_MS SYSTEM_MS, mem VMHWM_KIB\n");
	fprintf(f, "ferry %llu\n", (unsigned long long)t_ferry);
	for (struct job *const *p = jobs; *p; p++) {
		const struct job *j = *p;
		if (j->state == JOB_DONE || j->state == JOB_FAILED || j->state == JOB_RUNNING)
			fprintf(f, "%s %llu %llu\n", j->name, (unsigned long long)j->t_start,
				(unsigned long long)(j->t_end ? j->t_end : loop_now_ms()));
	}
	for (unsigned i = 0; i < nmarks; i++)
		fprintf(f, "mark %s %llu\n", marks[i].what, (unsigned long long)marks[i].t);
	/* ferry's own work, apart from waiting: user CPU is ferry's code, system CPU includes the
	 * kernel's work done for it (module init, mounts). */
	struct rusage ru;
	if (getrusage(RUSAGE_SELF, &ru) == 0)
		fprintf(f, "cpu %ld %ld\n", tv_ms(&ru.ru_utime) - tv_ms(&ru_ferry.ru_utime),
			tv_ms(&ru.ru_stime) - tv_ms(&ru_ferry.ru_stime));
	/* ferry's peak resident size so far (VmHWM of /proc/self/status), KiB */
	char line[128];
	FILE *st = fopen("/proc/self/status", "re");
	while (st && fgets(line, sizeof(line), st))
		if (!strncmp(line, "VmHWM:", 6)) {
			fprintf(f, "mem %lu\n", strtoul(line + 6, NULL, 10));
			break;
		}
	if (st)
		fclose(st);
	if (fclose(f) != 0 || rename(tmp, path) < 0)
		return -errno;
	return 0;
}

static void on_signal(void *arg, uint32_t signo)
{
	switch (signo) {
	case SIGCHLD:
		child_reap();
		break;
	case SIGTERM: case SIGUSR1: case SIGUSR2:
		if (policy_signal((int)signo))
			break;
		/* fall through - the boot is still running */
	default:
		/* SIGTERM, SIGINT (ctrl-alt-del), SIGUSR1/2: PID 1 keeps going. */
		log_info("signal", "%s received and ignored: ferry is PID 1", strsignal(signo));
		break;
	}
}

_Noreturn void pid1_run(void)
{
	static struct loop the_loop;
	static struct ferry_config the_cfg;
	static struct boot_plan the_plan;
	sigset_t set;

	t_ferry = loop_now_ms();
	(void)getrusage(RUSAGE_SELF, &ru_ferry);
	loop = &the_loop;
	cfg = &the_cfg;
	plan = &the_plan;
	cfg_init(cfg, "/etc/ferry.conf");
	/* The loop exists before the first job so every job can register with it. */
	if (loop_init(loop) == 0) {
		sigemptyset(&set);
		for (int s = SIGHUP; s < SIGRTMIN; s++)
			if (s != SIGKILL && s != SIGSTOP && s != SIGSEGV && s != SIGBUS && s != SIGFPE && s != SIGILL)
				sigaddset(&set, s);
		int ret = loop_signals(loop, &set, on_signal, NULL);
		if (ret < 0)
			log_err("signal", "signalfd: %s; signals left unblocked", strerror(-ret));
	}
	reschedule = 1;
	for (;;) {
		jobs_schedule();
		if (loop_once(loop, -1) < 0) {
			/* epoll itself is broken: nothing to wait on; keep reaping so PID 1 never exits. */
			child_reap();
			pause();
		}
	}
}
