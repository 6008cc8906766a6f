/* One epoll loop: file descriptors, one-shot timers (timerfd) and signals (signalfd).
 * Nothing sleeps and nothing polls: a wait is a registration plus a deadline. */
#ifndef FERRY_LOOP_H
#define FERRY_LOOP_H
#include <stdbool.h>
#include <stdint.h>
#include <signal.h>

typedef void (*loop_fn)(void *arg, uint32_t events);

struct loop {
	int epfd;
};

/* A zeroed loop_timer is a timer not yet created: `live` says whether fd is one, because 0 is a
 * valid fd (PID 1 may start with stdin closed) and -1 cannot be the zero value of a memset struct. */
struct loop_timer {
	int fd;         /* the timerfd while live */
	bool live;
	loop_fn fn;
	void *arg;
};

int loop_init(struct loop *l);
/* Watch fd for events (EPOLLIN...); fn(arg, events) runs from loop_once. */
int loop_watch(struct loop *l, int fd, uint32_t events, loop_fn fn, void *arg);
int loop_unwatch(struct loop *l, int fd);
/* Arm (or re-arm) a one-shot timer ms milliseconds from now; t is owned by the caller. */
int loop_timer_arm(struct loop *l, struct loop_timer *t, uint64_t ms, loop_fn fn, void *arg);
void loop_timer_cancel(struct loop *l, struct loop_timer *t);
/* Block the signals in set and deliver them as fn(arg, signo) through a signalfd. On failure the
 * signal mask is left as it was: nothing stays blocked with no one to read it. */
int loop_signals(struct loop *l, const sigset_t *set, loop_fn fn, void *arg);
/* Wait for events (timeout_ms -1: forever) and dispatch them. Returns how many ran, or -errno. */
int loop_once(struct loop *l, int timeout_ms);
/* Milliseconds since boot (CLOCK_BOOTTIME): the clock of every log line and the timeline. */
uint64_t loop_now_ms(void);

#endif
