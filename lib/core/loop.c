/* The one event loop. Each registration carries its callback in the epoll data, so dispatch is a
 * table lookup-free call; timers are timerfds, signals a signalfd. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/timerfd.h>
#include "loop.h"

struct watch {
	int fd;
	loop_fn fn;
	void *arg;
	struct watch *next;
};

/* Watches live in a small list so loop_unwatch can find them; the boot has a few dozen at most.
 * An unwatched entry may still be in the current epoll_wait batch, so it is parked on `dead` with
 * fn cleared and freed before the next wait. */
static struct watch *watches, *dead;

int loop_init(struct loop *l)
{
	l->epfd = epoll_create1(EPOLL_CLOEXEC);
	return l->epfd < 0 ? -errno : 0;
}

int loop_watch(struct loop *l, int fd, uint32_t events, loop_fn fn, void *arg)
{
	struct watch *w = calloc(1, sizeof(*w));
	struct epoll_event ev = { .events = events };

	if (!w)
		return -ENOMEM;
	*w = (struct watch){ .fd = fd, .fn = fn, .arg = arg, .next = watches };
	ev.data.ptr = w;
	if (epoll_ctl(l->epfd, EPOLL_CTL_ADD, fd, &ev) < 0) {
		int ret = -errno;
		free(w);
		return ret;
	}
	watches = w;
	return 0;
}

int loop_unwatch(struct loop *l, int fd)
{
	for (struct watch **p = &watches; *p; p = &(*p)->next) {
		struct watch *w = *p;
		if (w->fd != fd)
			continue;
		*p = w->next;
		w->fn = NULL;
		(void)epoll_ctl(l->epfd, EPOLL_CTL_DEL, fd, NULL);
		w->next = dead;
		dead = w;
		return 0;
	}
	return -ENOENT;
}

static void timer_fire(void *arg, uint32_t events)
{
	struct loop_timer *t = arg;
	uint64_t n;

	if (read(t->fd, &n, sizeof(n)) != sizeof(n))
		return;
	if (t->fn)
		t->fn(t->arg, 0);
}

int loop_timer_arm(struct loop *l, struct loop_timer *t, uint64_t ms, loop_fn fn, void *arg)
{
	struct itimerspec its = { .it_value = { ms / 1000, (ms % 1000) * 1000000 } };
	int ret;

	if (!ms)
		its.it_value.tv_nsec = 1; /* zero would disarm */
	if (!t->live) {
		t->fd = timerfd_create(CLOCK_BOOTTIME, TFD_CLOEXEC | TFD_NONBLOCK);
		if (t->fd < 0)
			return -errno;
		ret = loop_watch(l, t->fd, EPOLLIN, timer_fire, t);
		if (ret < 0) {
			close(t->fd);
			t->fd = -1;
			return ret;
		}
		t->live = true;
	}
	t->fn = fn;
	t->arg = arg;
	return timerfd_settime(t->fd, 0, &its, NULL) < 0 ? -errno : 0;
}

void loop_timer_cancel(struct loop *l, struct loop_timer *t)
{
	if (!t->live)
		return;
	(void)loop_unwatch(l, t->fd);
	close(t->fd);
	t->fd = -1;
	t->live = false;
	t->fn = NULL;
}

struct sigwatch {
	int fd;
	loop_fn fn;
	void *arg;
};

static void signal_fire(void *arg, uint32_t events)
{
	struct sigwatch *s = arg;
	struct signalfd_siginfo si;

	while (read(s->fd, &si, sizeof(si)) == sizeof(si))
		s->fn(s->arg, si.ssi_signo);
}

int loop_signals(struct loop *l, const sigset_t *set, loop_fn fn, void *arg)
{
	struct sigwatch *s = calloc(1, sizeof(*s));
	sigset_t old;
	int ret;

	if (!s)
		return -ENOMEM;
	if (sigprocmask(SIG_BLOCK, set, &old) < 0)
		goto err;
	s->fd = signalfd(-1, set, SFD_CLOEXEC | SFD_NONBLOCK);
	if (s->fd < 0)
		goto unblock;
	s->fn = fn;
	s->arg = arg;
	ret = loop_watch(l, s->fd, EPOLLIN, signal_fire, s);
	if (ret < 0) {
		close(s->fd);
		errno = -ret;
		goto unblock;
	}
	return 0;
unblock:
	/* Blocked signals that no signalfd reads would never be delivered at all. */
	ret = -errno;
	(void)sigprocmask(SIG_SETMASK, &old, NULL);
	free(s);
	return ret;
err:
	ret = -errno;
	free(s);
	return ret;
}

int loop_once(struct loop *l, int timeout_ms)
{
	struct epoll_event evs[16];
	int n;

	while (dead) {
		struct watch *w = dead;
		dead = w->next;
		free(w);
	}
	n = epoll_wait(l->epfd, evs, 16, timeout_ms);

	if (n < 0)
		return errno == EINTR ? 0 : -errno;
	for (int i = 0; i < n; i++) {
		struct watch *w = evs[i].data.ptr;
		if (w->fn)
			w->fn(w->arg, evs[i].events);
	}
	return n;
}

uint64_t loop_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_BOOTTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}
