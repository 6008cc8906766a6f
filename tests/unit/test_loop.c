/* The event loop's timers, with the fd numbers PID 1 really gets: a boot may start with fd 0 closed,
 * so a timerfd can be fd 0 and must still count as a timer. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <unistd.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include "t.h"
#include "../../lib/core/loop.h"

static int fired, fail_signalfd;

/* The seam: lib/core/loop.c's signalfd resolves to this one. */
int signalfd(int fd, const sigset_t *mask, int flags)
{
	if (fail_signalfd) {
		errno = EMFILE;
		return -1;
	}
	return (int)syscall(SYS_signalfd4, fd, mask, _NSIG / 8, flags);
}

static void on_fire(void *arg, uint32_t events)
{
	fired++;
}

static void timer_on_fd0(void)
{
	struct loop l;
	struct loop_timer t = { 0 }; /* as a memset struct holds it */

	T_EQ(loop_init(&l), 0);
	close(0);
	T_EQ(loop_timer_arm(&l, &t, 1000, on_fire, NULL), 0);
	T_EQ(t.fd, 0);
	/* Re-arming must reuse fd 0, not leak it and create a second timer. */
	T_EQ(loop_timer_arm(&l, &t, 1, on_fire, NULL), 0);
	T_EQ(t.fd, 0);
	while (!fired)
		T_OK(loop_once(&l, 2000) > 0);
	T_EQ(fired, 1);
	loop_timer_cancel(&l, &t);
	T_OK(fcntl(0, F_GETFD) < 0 && errno == EBADF);
	close(l.epfd);
}

static void timer_rearm_after_cancel(void)
{
	struct loop l;
	struct loop_timer t = { .fd = -1 };

	fired = 0;
	T_EQ(loop_init(&l), 0);
	T_EQ(loop_timer_arm(&l, &t, 1, on_fire, NULL), 0);
	loop_timer_cancel(&l, &t);
	T_EQ(loop_timer_arm(&l, &t, 1, on_fire, NULL), 0);
	T_OK(t.fd >= 0);
	T_OK(loop_once(&l, 2000) == 1);
	T_EQ(fired, 1);
	loop_timer_cancel(&l, &t);
	close(l.epfd);
}

static void on_signal(void *arg, uint32_t signo)
{
	*(uint32_t *)arg = signo;
}

/* A failed signalfd must not leave the signals blocked: PID 1 would never see them again. */
static void signals_unblocked_on_failure(void)
{
	struct loop l;
	sigset_t set, now;
	uint32_t got = 0;

	T_EQ(loop_init(&l), 0);
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	fail_signalfd = 1;
	T_EQ(loop_signals(&l, &set, on_signal, &got), -EMFILE);
	T_OK(sigprocmask(SIG_BLOCK, NULL, &now) == 0 && !sigismember(&now, SIGUSR1));
	fail_signalfd = 0;
	T_EQ(loop_signals(&l, &set, on_signal, &got), 0);
	T_OK(sigprocmask(SIG_BLOCK, NULL, &now) == 0 && sigismember(&now, SIGUSR1));
	T_EQ(kill(getpid(), SIGUSR1), 0);
	T_EQ(loop_once(&l, 2000), 1);
	T_EQ(got, SIGUSR1);
	close(l.epfd);
}

int main(void)
{
	signals_unblocked_on_failure();
	timer_on_fd0();
	timer_rearm_after_cancel();
	return T_DONE();
}
