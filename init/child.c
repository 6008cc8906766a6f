/* Children of PID 1: programs ferry runs (preinit, mkfs, the shell) and orphans the kernel
 * reparents to it. All are reaped on SIGCHLD; ferry's own get their callback. */
#include <errno.h>
#include <fcntl.h>
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
	int rfd;                  /* child_work: the read end of its result pipe, else 0 (none) */
	void (*done)(void *arg, const void *res, size_t n, int status);
} children[16];

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
	*c = (struct child){ .pid = pid, .fn = fn, .arg = arg };
	return 0;
}

/* Blocking work (a libblkid probe of a disk that may be dying, a factory reset's delete) leaves
 * the loop: it runs in a forked copy of ferry, which writes its result into a pipe and exits;
 * the result is read once the child is reaped. */
int child_work(int (*work)(int fd, void *warg), void *warg,
	       void (*done)(void *arg, const void *res, size_t n, int status), void *arg)
{
	struct child *c = child_slot();
	sigset_t none;
	int p[2];
	pid_t pid;

	if (!c)
		return -EAGAIN;
	if (pipe2(p, O_CLOEXEC | O_NONBLOCK) < 0)
		return -errno;
	if ((pid = fork()) < 0) {
		int ret = -errno;
		close(p[0]);
		close(p[1]);
		return ret;
	}
	if (pid == 0) {
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		close(p[0]);
		_exit(work(p[1], warg) < 0 ? 1 : 0);
	}
	close(p[1]);
	*c = (struct child){ .pid = pid, .rfd = p[0], .done = done, .arg = arg };
	return 0;
}

static void work_done(struct child *c, int status)
{
	char res[CHILD_RESULT_MAX];
	ssize_t n = read(c->rfd, res, sizeof(res));

	close(c->rfd);
	c->done(c->arg, res, n > 0 ? (size_t)n : 0, status);
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
	*c = (struct child){ .pid = pid, .fn = fn, .arg = arg };
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
			if (c.done)
				work_done(&c, status);
			else if (c.fn)
				c.fn(c.arg, c.timed_out ? CHILD_TIMED_OUT : status);
		}
	}
}
