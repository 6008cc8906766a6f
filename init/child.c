/* Children of PID 1: programs ferry runs (preinit, mkfs, the shell) and orphans the kernel
 * reparents to it. All are reaped on SIGCHLD; ferry's own get their callback. */
#include <errno.h>
#include <stdbool.h>
#include <signal.h>
#include <unistd.h>
#include <sys/wait.h>
#include "ferry.h"
#include "stages.h"

static struct child {
	pid_t pid;
	void (*fn)(void *arg, int status);
	void *arg;
	bool timed_out;
	struct loop_timer timer;  /* the bound of a child_spawn_bounded; zero: none */
} children[8];

static pid_t spawn(char *const argv[], bool own_group)
{
	sigset_t none;
	pid_t pid = fork();

	if (pid == 0) {
		/* PID 1 blocks its signals for the signalfd; a child must not inherit that. */
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		if (own_group)
			(void)setpgid(0, 0);  /* so a timeout kills what it started too */
		execv(argv[0], argv);
		_exit(127);
	}
	if (pid > 0 && own_group)
		(void)setpgid(pid, pid);  /* either side may run first */
	return pid;
}

static struct child *child_slot(void)
{
	for (unsigned i = 0; i < sizeof(children) / sizeof(*children); i++)
		if (!children[i].pid)
			return &children[i];
	return NULL;
}

int child_spawn(char *const argv[], void (*fn)(void *arg, int status), void *arg)
{
	struct child *c = child_slot();
	pid_t pid;

	if (!c)
		return -EAGAIN;
	if ((pid = spawn(argv, false)) < 0)
		return -errno;
	c->pid = pid, c->fn = fn, c->arg = arg, c->timed_out = false;
	return 0;
}

static void child_expired(void *arg, uint32_t events)
{
	struct child *c = arg;

	c->timed_out = true;
	(void)kill(-c->pid, SIGKILL);
	(void)kill(c->pid, SIGKILL);
}

int child_spawn_bounded(char *const argv[], unsigned timeout_s, void (*fn)(void *arg, int status),
			void *arg)
{
	struct child *c = child_slot();
	pid_t pid;
	int ret;

	if (!c)
		return -EAGAIN;
	if ((pid = spawn(argv, true)) < 0)
		return -errno;
	c->pid = pid, c->fn = fn, c->arg = arg, c->timed_out = false;
	if ((ret = loop_timer_arm(loop, &c->timer, timeout_s * 1000ULL, child_expired, c)) < 0) {
		/* no bound can be kept: do not leave it running unbounded, nor report it twice */
		c->fn = NULL;
		child_expired(c, 0);
		return ret;
	}
	return 0;
}

void child_reap(void)
{
	int status;
	pid_t pid;

	while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
		for (unsigned i = 0; i < sizeof(children) / sizeof(*children); i++) {
			struct child c = children[i];
			if (c.pid != pid)
				continue;
			children[i].pid = 0;
			loop_timer_cancel(loop, &children[i].timer);
			if (c.fn)
				c.fn(c.arg, c.timed_out ? CHILD_TIMED_OUT : status);
		}
	}
}
