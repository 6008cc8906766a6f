/* Children of PID 1: programs ferry runs (preinit, mkfs, the shell) and orphans the kernel
 * reparents to it. All are reaped on SIGCHLD; ferry's own get their callback. */
#include <errno.h>
#include <signal.h>
#include <unistd.h>
#include <sys/wait.h>
#include "ferry.h"
#include "stages.h"

static struct child {
	pid_t pid;
	void (*fn)(void *arg, int status);
	void *arg;
} children[8];

int child_spawn(char *const argv[], void (*fn)(void *arg, int status), void *arg)
{
	struct child *c = NULL;
	sigset_t none;
	pid_t pid;

	for (unsigned i = 0; i < sizeof(children) / sizeof(*children); i++)
		if (!children[i].pid)
			c = &children[i];
	if (!c)
		return -EAGAIN;
	pid = fork();
	if (pid < 0)
		return -errno;
	if (pid == 0) {
		/* PID 1 blocks its signals for the signalfd; a child must not inherit that. */
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		execv(argv[0], argv);
		_exit(127);
	}
	*c = (struct child){ pid, fn, arg };
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
			if (c.fn)
				c.fn(c.arg, status);
		}
	}
}
