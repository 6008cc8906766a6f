/* Children of PID 1: programs ferry runs (preinit, mkfs, the shell) and orphans the kernel
 * reparents to it. All are reaped on SIGCHLD; ferry's own get their callback. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdbool.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>
#include "ferry.h"
#include "stages.h"
#include "../lib/core/fileio.h"
#include "../lib/storage/blk.h"

static struct child {
	pid_t pid;
	void (*fn)(void *arg, int status);
	void *arg;
	bool timed_out;
	struct loop_timer timer;  /* the bound of a child_spawn_bounded; zero: none */
	int rfd;                  /* child_work: the read end of its result pipe, else 0 (none) */
	void (*done)(void *arg, const void *res, size_t n, int status);
	void (*gone)(void *arg);  /* child_when_gone: after a bounded work timed out, at its reap */
	void *gone_arg;
} children[16];
static struct child *expiring;  /* the bounded work whose done runs with CHILD_TIMED_OUT */

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

static void child_expired(void *arg, uint32_t events)
{
	struct child *c = arg;

	c->timed_out = true;
	(void)kill(-c->pid, SIGKILL);
	(void)kill(c->pid, SIGKILL);
	if (c->done) {  /* child_work_bounded: the stage goes on now; the reap only frees the slot */
		void (*done)(void *, const void *, size_t, int) = c->done;
		c->done = NULL;
		close(c->rfd);
		expiring = c;
		done(c->arg, NULL, 0, CHILD_TIMED_OUT);
		expiring = NULL;
	}
}

void child_when_gone(void (*fn)(void *arg), void *arg)
{
	if (!expiring) {
		fn(arg);
		return;
	}
	expiring->gone = fn;
	expiring->gone_arg = arg;
}

/* Fork the work's child, its result pipe's read end in *rfd (flags: O_NONBLOCK or 0, with O_CLOEXEC).
 * The child's PID, or -errno (nothing left open). */
static pid_t work_fork(int (*work)(int fd, void *warg), void *warg, int flags, int *rfd)
{
	sigset_t none;
	int p[2], ret;
	pid_t pid;

	if (pipe2(p, O_CLOEXEC | flags) < 0)
		return -errno;
	if ((pid = fork()) < 0) {
		ret = -errno;
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
	*rfd = p[0];
	return pid;
}

/* Blocking work (a libblkid probe of a disk that may be dying, a factory reset's delete) leaves
 * the loop: it runs in a forked copy of ferry, which writes its result into a pipe and exits;
 * the result is read once the child is reaped. With a bound (timeout_ms > 0) a child still
 * running then is killed and done gets CHILD_TIMED_OUT at once: a child stuck in a disk's I/O
 * may take much longer to die, and the stage must not wait for that. */
static int work_start(int (*work)(int fd, void *warg), void *warg, unsigned timeout_ms,
		      void (*done)(void *arg, const void *res, size_t n, int status), void *arg)
{
	struct child *c = child_slot();
	int rfd, ret;
	pid_t pid;

	if (!c)
		return -EAGAIN;
	if ((pid = work_fork(work, warg, O_NONBLOCK, &rfd)) < 0)
		return (int)pid;
	*c = (struct child){ .pid = pid, .rfd = rfd, .done = done, .arg = arg };
	if (timeout_ms && (ret = loop_timer_arm(loop, &c->timer, timeout_ms, child_expired, c)) < 0) {
		/* no bound can be kept: the work is not left running unbounded, nor reported at all */
		c->done = NULL;
		close(c->rfd);
		child_expired(c, 0);
		return ret;
	}
	return 0;
}

int child_work(int (*work)(int fd, void *warg), void *warg,
	       void (*done)(void *arg, const void *res, size_t n, int status), void *arg)
{
	return work_start(work, warg, 0, done, arg);
}

int child_work_bounded(int (*work)(int fd, void *warg), void *warg, unsigned timeout_ms,
		       void (*done)(void *arg, const void *res, size_t n, int status), void *arg)
{
	return work_start(work, warg, timeout_ms ? timeout_ms : 1, done, arg);
}

/* The handoff's lookups (init/kexec.c): nothing else runs on the loop by then, so the work is
 * waited for here, but in a child and with a bound: a disk that does not answer costs timeout_ms,
 * not its SCSI timeouts. The killed child is not waited for (child_reap reaps it, whenever). */
int child_work_wait(int (*work)(int fd, void *warg), void *warg, unsigned timeout_ms, void *res, size_t len)
{
	uint64_t end = loop_now_ms() + timeout_ms;
	size_t got = 0;
	int rfd, ret, status;
	pid_t pid;

	if ((pid = work_fork(work, warg, 0, &rfd)) < 0)
		return (int)pid;
	for (;;) {
		uint64_t now = loop_now_ms();
		struct pollfd pf = { .fd = rfd, .events = POLLIN };
		ssize_t n;

		if (now >= end) {
			(void)kill(pid, SIGKILL);
			close(rfd);
			return -ETIMEDOUT;
		}
		if (poll(&pf, 1, (int)(end - now)) < 0 && errno != EINTR) {
			ret = -errno;
			(void)kill(pid, SIGKILL);
			close(rfd);
			return ret;
		}
		if (!pf.revents)
			continue;
		n = read(rfd, (char *)res + got, len - got);
		if (n > 0 && (got += (size_t)n) < len)
			continue;
		if (n < 0 && errno == EINTR)
			continue;
		break;  /* EOF, the buffer full, or a read error: the child is done with the pipe */
	}
	close(rfd);
	/* it has written all it will: killed by its PID (it may still be closing the disk), reaped
	 * here if it is gone already, else by child_reap */
	(void)kill(pid, SIGKILL);
	(void)waitpid(pid, &status, WNOHANG);
	return (int)got;
}

static void work_done(struct child *c, int status)
{
	char res[CHILD_RESULT_MAX];
	ssize_t n = read(c->rfd, res, sizeof(res));

	close(c->rfd);
	c->done(c->arg, res, n > 0 ? (size_t)n : 0, status);
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
			if (c.gone)
				c.gone(c.gone_arg);
			if (c.done)
				work_done(&c, status);
			else if (c.fn)
				c.fn(c.arg, c.timed_out ? CHILD_TIMED_OUT : status);
		}
	}
}

void child_work_cancel(void *arg)
{
	for (unsigned k = 0; k < sizeof(children) / sizeof(*children); k++) {
		struct child *c = &children[k];
		if (c->pid && c->done && c->arg == arg) {
			/* killed by its PID; the reap only frees the slot */
			c->done = NULL;
			close(c->rfd);
			loop_timer_cancel(loop, &c->timer);
			(void)kill(c->pid, SIGKILL);
		}
	}
}

/* ---- probe_async: the filesystem type of one node, out of the loop ---------------------------- */
static struct probe {
	bool used;
	enum probe_how how;
	char node[PROBE_NODE_MAX];
	char fstype[32];
	probe_fn done;
	void *arg;
	struct loop_timer later;   /* probed in place: the answer is handed over from the loop */
	int ret;
	char type[32];
} probes[16];

struct probe_answer {
	int ret;
	char type[32];
};

static int probe_now(const struct probe *p, char *type, size_t len)
{
	type[0] = '\0';
	return p->how == PROBE_RW ? blk_identify_rw(p->node, p->fstype, type, len) :
	       p->how == PROBE_FULL ? blk_probe_full(p->node, type, len) : blk_probe_type(p->node, type, len);
}

static int probe_work(int fd, void *arg)
{
	const struct probe *p = arg;  /* the child's copy */
	struct probe_answer a = { 0 };

	a.ret = probe_now(p, a.type, sizeof(a.type));
	return fd_write_all(fd, &a, sizeof(a));
}

/* The slot is free before done runs, so done may start the next probe. */
static void probe_finish(struct probe *p, int ret, const char *type)
{
	char t[sizeof(p->type)];

	snprintf(t, sizeof(t), "%s", type);
	p->used = false;
	p->done(p->arg, ret, t);
}

static void probe_answered(void *arg, const void *res, size_t n, int status)
{
	struct probe *p = arg;
	struct probe_answer a = { .ret = -EIO };  /* the child died without an answer */

	if (status == CHILD_TIMED_OUT)
		a.ret = -ETIMEDOUT;
	else if (n == sizeof(a))
		memcpy(&a, res, sizeof(a));
	a.type[sizeof(a.type) - 1] = '\0';
	probe_finish(p, a.ret, a.type);
}

static void probe_later(void *arg, uint32_t events)
{
	struct probe *p = arg;

	loop_timer_cancel(loop, &p->later);
	probe_finish(p, p->ret, p->type);
}

int probe_async(const char *node, enum probe_how how, const char *fstype, unsigned timeout_s, probe_fn done,
		void *arg)
{
	static bool said;
	struct probe *p = NULL;
	int ret;

	for (unsigned i = 0; !p && i < sizeof(probes) / sizeof(*probes); i++)
		if (!probes[i].used)
			p = &probes[i];
	if (!p)
		return -EAGAIN;
	if (snprintf(p->node, sizeof(p->node), "%s", node) >= (int)sizeof(p->node) ||
	    snprintf(p->fstype, sizeof(p->fstype), "%s", fstype ? fstype : "") >= (int)sizeof(p->fstype))
		return -ENAMETOOLONG;
	p->how = how;
	p->done = done;
	p->arg = arg;
	p->used = true;
	if ((ret = child_work_bounded(probe_work, p, timeout_s * 1000, probe_answered, p)) == 0)
		return 0;
	/* No child to be had (fork failed, every slot taken): probe here, on the loop, as before;
	 * the answer still comes from the loop, never from inside this call. */
	if (!said)
		log_warn("child", "no child process for probing %s (%s): probing on the loop, a slow disk "
			 "holds PID 1 meanwhile (said once)", p->node, strerror(-ret));
	said = true;
	p->ret = probe_now(p, p->type, sizeof(p->type));
	if ((ret = loop_timer_arm(loop, &p->later, 0, probe_later, p)) < 0) {
		p->used = false;
		return ret;
	}
	return 0;
}

int probe_wait(const char *node, enum probe_how how, const char *fstype, unsigned timeout_s, char *type, size_t len)
{
	struct probe p = { .how = how };
	struct probe_answer a = { 0 };
	int n;

	if (snprintf(p.node, sizeof(p.node), "%s", node) >= (int)sizeof(p.node) ||
	    snprintf(p.fstype, sizeof(p.fstype), "%s", fstype ? fstype : "") >= (int)sizeof(p.fstype))
		return -ENAMETOOLONG;
	snprintf(type, len, "%s", "");
	if ((n = child_work_wait(probe_work, &p, timeout_s * 1000, &a, sizeof(a))) < 0)
		return n;
	if (n != (int)sizeof(a))
		return -EIO;  /* the child died without an answer */
	a.type[sizeof(a.type) - 1] = '\0';
	snprintf(type, len, "%s", a.type);
	return a.ret;
}

void probe_cancel(void *arg)
{
	for (unsigned i = 0; i < sizeof(probes) / sizeof(*probes); i++) {
		struct probe *p = &probes[i];
		if (!p->used || p->arg != arg)
			continue;
		p->used = false;
		loop_timer_cancel(loop, &p->later);
		for (unsigned k = 0; k < sizeof(children) / sizeof(*children); k++) {
			struct child *c = &children[k];
			if (c->pid && c->done == probe_answered && c->arg == p) {
				/* killed by its PID; the reap only frees the slot */
				c->done = NULL;
				close(c->rfd);
				loop_timer_cancel(loop, &c->timer);
				(void)kill(c->pid, SIGKILL);
			}
		}
	}
}
