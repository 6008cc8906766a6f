/* The event loop's timers, with the fd numbers PID 1 really gets: a boot may start with fd 0 closed,
 * so a timerfd can be fd 0 and must still count as a timer. */
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include "t.h"
#include "../../lib/core/loop.h"

static int fired;

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

int main(void)
{
	timer_on_fd0();
	timer_rearm_after_cancel();
	return T_DONE();
}
