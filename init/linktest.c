/* ferry linktest [--count N] [--timeout S] IFACE1 IFACE2: the factory test of two ports wired to
 * each other. Each port goes into a network namespace of its own, so the kernel cannot deliver the
 * echoes through its local table: they must cross the cable. Then N ICMP echoes each way, and the
 * ports go back to the namespace ferry started in, with their names, MTU and up/down state.
 *
 * One process, no child: unshare(CLONE_NEWNET) makes a namespace, the sockets opened right after
 * stay in it (a socket belongs to the namespace it was created in), and setns() returns to the
 * original one. The namespaces live as long as their fds and sockets: ferry's own.
 *
 * Addresses: IPv4 link-local 169.254.77.1/30 and .2/30, fixed. Not IPv6 link-local: that waits for
 * duplicate address detection (about a second per port unless a sysctl is written from inside
 * each namespace), needs a kernel with IPv6 on (ipv6.disable=1 is common on such boards), and the
 * peer's address follows from its MAC only with addr_gen_mode eui64. A /30 holds exactly the two
 * ends; in namespaces of their own the addresses meet nothing else on the machine, and on the wire
 * only the other port.
 *
 * Signals: SIGTERM, SIGINT and SIGHUP are blocked from the start and read through a signalfd, so
 * no step is cut in half: the ports are moved back, then ferry exits 1. SIGKILL cannot be caught:
 * ferry's fds close, the namespaces die with them, and the kernel returns physical ports to the
 * *initial* namespace (down, renamed devN if their name is taken there), while a veth end in a
 * dying namespace is destroyed with its peer. */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <linux/rtnetlink.h>
#include "ferry.h"
#include "stages.h"
#include "../lib/core/fileio.h"
#include "../lib/net/icmp.h"
#include "../lib/net/linktest.h"
#include "../lib/net/rtnl.h"
#include "../lib/net/rtnl_ns.h"

#define STAGE "linktest"
#define LT_WAIT_MS 1000          /* one echo's wait for its reply, then it is lost and the next goes */
#define LT_NET 0xa9fe4d00u       /* 169.254.77.0/30: .1 is IFACE1, .2 is IFACE2 */
#define LT_PLEN 30
#define LT_ICMP_FILTER 1         /* linux/icmp.h's ICMP_FILTER (its header clashes with net/if.h) */
#define NS_SELF "/proc/self/ns/net"

struct lt_side {
	const char *name;
	struct rtnl_link before;     /* in the original namespace, as found */
	int nsfd;                    /* the side's namespace, -1: none */
	struct nl_sock req, ev;      /* rtnetlink in the side's namespace: requests, link events */
	int icmp;                    /* raw ICMP socket in the side's namespace, -1: none */
	int index;                   /* the link's index in the side's namespace, 0: not there */
	bool moved, carrier;
	uint32_t addr;               /* network order */
	/* the echoes this side sends to the other */
	uint16_t id, seq;            /* seq: the last sent, 1..count */
	bool in_flight, done;
	uint64_t t_sent;             /* us, CLOCK_MONOTONIC */
	struct lt_stats st;
	struct loop_timer wait_t;
};

static struct {
	struct lt_args a;
	struct lt_side s[2];
	int orig;                    /* the namespace ferry started in */
	struct nl_sock req;          /* rtnetlink there */
	struct loop lp;
	struct loop_timer deadline;
	bool started, stop, timed_out;
	bool wait_links;             /* at boot: the links may still be on their way (drivers loading) */
	const char *bound;           /* the bound's name in the reason: --timeout, ferry.linktest.timeout */
	int signo;
	uint64_t t0, t_start, t_end; /* us: the test began; the echoes began; the last came back */
	char fail[256];              /* the first error: the summary's reason */
} lt;

static const char *sig_name(int signo)
{
	return signo == SIGTERM ? "SIGTERM" : signo == SIGINT ? "SIGINT" : signo == SIGHUP ? "SIGHUP" : "a signal";
}

static uint64_t now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000;
}

/* The first failure is the one reported; it is logged at once with its detail. */
static void lt_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void lt_fail(const char *fmt, ...)
{
	va_list ap;
	char msg[sizeof(lt.fail)];

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	log_err(STAGE, "%s", msg);
	if (!lt.fail[0])
		snprintf(lt.fail, sizeof(lt.fail), "%s", msg);
	lt.stop = true;
}

static int lt_usage(FILE *f)
{
	fprintf(f, "usage: ferry linktest [--count N] [--timeout S] IFACE1 IFACE2\n"
		   "  two ports wired to each other: each moved into a network namespace of its own, N ICMP\n"
		   "  echoes each way (--count, default %d, 1..%d), within S seconds in all (--timeout,\n"
		   "  default %d, 1..%d); the ports moved back with their names, MTU and up/down state.\n"
		   "  Exit 0: every echo came back; 1: loss, no carrier, timeout or error; 2: bad arguments.\n",
		LT_COUNT_DEFAULT, LT_COUNT_MAX, LT_TIMEOUT_DEFAULT, LT_TIMEOUT_MAX);
	return 2;
}

/* --- the namespaces ------------------------------------------------------------------------------ */

/* A namespace for side s: its fd, its sockets; then back to the original namespace. */
static int ns_create(struct lt_side *s)
{
	const uint32_t filter = ~(1u << 0);  /* ICMP_FILTER blocks the types set: all but echo reply */
	int ret = 0;
	const char *step = NULL;

	if (unshare(CLONE_NEWNET)) {
		lt_fail("%s: cannot create a network namespace: %s (ferry linktest needs CAP_SYS_ADMIN)", s->name,
			strerror(errno));
		return -1;
	}
	if ((s->nsfd = open(NS_SELF, O_RDONLY | O_CLOEXEC)) < 0)
		ret = -errno, step = NS_SELF;
	else if ((ret = nl_open(&s->req, NETLINK_ROUTE, 0)) || (ret = nl_open(&s->ev, NETLINK_ROUTE, RTMGRP_LINK)))
		step = "rtnetlink socket";
	else if ((s->icmp = socket(AF_INET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_ICMP)) < 0)
		ret = -errno, step = "ICMP socket";
	else if (setsockopt(s->icmp, SOL_RAW, LT_ICMP_FILTER, &filter, sizeof(filter)))
		ret = -errno, step = "ICMP_FILTER";
	/* Back home whatever happened above: every later request is made from there. */
	if (setns(lt.orig, CLONE_NEWNET)) {
		lt_fail("cannot return to the original network namespace: %s", strerror(errno));
		return -1;
	}
	if (step) {
		lt_fail("%s: namespace: %s: %s", s->name, step, strerror(-ret));
		return -1;
	}
	return 0;
}

/* The link, moved in: up, its address, the /30's route (rtnl_addr_add adds none by itself). */
static int side_configure(struct lt_side *s)
{
	struct rtnl_link l;
	struct rtnl_route r = { .plen = LT_PLEN, .proto = RTPROT_STATIC };
	struct in_addr a = { s->addr }, none = { 0 };
	const char *step;
	int ret;

	if ((ret = rtnl_link_set_netns(&lt.req, s->before.index, s->nsfd, NULL))) {
		lt_fail("%s: cannot move it into its namespace: %s", s->name, strerror(-ret));
		return -1;
	}
	s->moved = true;
	/* by the kernel's name from here on: the one given may have been an altname */
	if ((ret = rtnl_link_get(&s->req, s->before.name, &l))) {
		lt_fail("%s: not found in its namespace after the move: %s", s->name, strerror(-ret));
		return -1;
	}
	s->index = l.index;
	r.dst.s_addr = htonl(LT_NET);
	r.ifindex = l.index;
	if ((ret = rtnl_link_set_up(&s->req, l.index, true)))
		step = "link up";
	else if ((ret = rtnl_addr_add(&s->req, l.index, a, LT_PLEN, none)))
		step = "address";
	else if ((ret = rtnl_route_add(&s->req, &r)))
		step = "route";
	else if ((ret = rtnl_link_get(&s->req, s->before.name, &l)))
		step = "link state";
	else {
		s->carrier = (l.flags & IFF_UP) && (l.flags & IFF_LOWER_UP);
		return 0;
	}
	lt_fail("%s: %s in its namespace: %s", s->name, step, strerror(-ret));
	return -1;
}

/* Back to the original namespace under its old name, then its MTU and state as they were. Called
 * on every path; looks where the link is rather than trusting what it was told. */
static void side_restore(struct lt_side *s)
{
	struct rtnl_link l;
	const char *name = s->before.name;
	int ret = -EBADF;

	if (s->nsfd < 0)
		return;
	if (s->req.fd >= 0 && !(ret = rtnl_link_get(&s->req, name, &l))) {
		ret = rtnl_link_set_netns(&s->req, l.index, lt.orig, name);
		if (ret == -EEXIST) {
			/* something took the name meanwhile: back under the kernel's next free one */
			ret = rtnl_link_set_netns(&s->req, l.index, lt.orig, "linktest%d");
			if (!ret)
				lt_fail("%s: the name was taken in the original namespace meanwhile: moved back as "
					"linktest<N>, MTU and state not restored", name);
			name = NULL;
		}
		if (ret)
			lt_fail("%s: cannot move it back: %s (it returns to the initial namespace when ferry exits, "
				"a veth end is destroyed)", s->before.name, strerror(-ret));
	} else if (s->moved) {
		lt_fail("%s: not found in its namespace to move it back: %s", s->before.name, strerror(-ret));
	}
	if (name && !(ret = rtnl_link_get(&lt.req, name, &l))) {
		if (l.mtu != s->before.mtu && (ret = rtnl_link_set_mtu(&lt.req, l.index, s->before.mtu)))
			lt_fail("%s: cannot restore MTU %u: %s", name, s->before.mtu, strerror(-ret));
		if ((l.flags & IFF_UP) != (s->before.flags & IFF_UP) &&
		    (ret = rtnl_link_set_up(&lt.req, l.index, s->before.flags & IFF_UP)))
			lt_fail("%s: cannot set it %s again: %s", name, s->before.flags & IFF_UP ? "up" : "down",
				strerror(-ret));
	}
	if (s->icmp >= 0)
		close(s->icmp);
	nl_close(&s->req);
	nl_close(&s->ev);
	close(s->nsfd);
	s->icmp = s->nsfd = -1;
}

/* --- the echoes ---------------------------------------------------------------------------------- */

static void lt_check_done(void)
{
	if (lt.s[0].done && lt.s[1].done) {
		lt.t_end = now_us();
		lt.stop = true;
	}
}

static void on_wait(void *arg, uint32_t ev);

static void send_next(struct lt_side *s)
{
	struct lt_side *peer = s == &lt.s[0] ? &lt.s[1] : &lt.s[0];
	struct sockaddr_in to = { .sin_family = AF_INET, .sin_addr.s_addr = peer->addr };
	uint8_t pkt[ICMP_ECHO_LEN];
	int ret;

	s->in_flight = false;
	if (s->seq >= lt.a.count) {
		loop_timer_cancel(&lt.lp, &s->wait_t);
		s->done = true;
		lt_check_done();
		return;
	}
	s->seq++;
	(void)icmp_echo_build(pkt, sizeof(pkt), s->id, s->seq);
	s->st.sent++;
	s->t_sent = now_us();
	s->in_flight = true;
	if (sendto(s->icmp, pkt, sizeof(pkt), 0, (struct sockaddr *)&to, sizeof(to)) < 0)
		log_debug(STAGE, "%s: echo %u: %s", s->name, s->seq, strerror(errno));  /* lost: its wait tells */
	if ((ret = loop_timer_arm(&lt.lp, &s->wait_t, LT_WAIT_MS, on_wait, s)))
		lt_fail("%s: timer: %s", s->name, strerror(-ret));
}

static void on_wait(void *arg, uint32_t ev)
{
	struct lt_side *s = arg;

	log_debug(STAGE, "%s: echo %u: no reply within %d ms", s->name, s->seq, LT_WAIT_MS);
	send_next(s);
}

static void on_icmp(void *arg, uint32_t ev)
{
	struct lt_side *s = arg;
	struct lt_side *peer = s == &lt.s[0] ? &lt.s[1] : &lt.s[0];
	uint8_t buf[1600];
	ssize_t n;
	int seq;

	/* Bounded: a socket error (EHOSTUNREACH from an ARP that failed) is reported once and cleared;
	 * the echo's wait counts it lost. */
	for (int i = 0; i < 256; i++) {
		if ((n = recv(s->icmp, buf, sizeof(buf), MSG_TRUNC)) < 0) {
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				break;
			continue;
		}
		seq = icmp_echo_reply_check(buf, (size_t)n < sizeof(buf) ? (size_t)n : sizeof(buf), s->id, peer->addr);
		if (seq == -EILSEQ) {
			s->st.corrupt++;
			log_err(STAGE, "%s -> %s: a reply with a damaged payload", s->name, peer->name);
		} else if (seq >= 0 && s->in_flight && seq == s->seq) {
			lt_stats_add(&s->st, now_us() - s->t_sent);
			send_next(s);  /* its wait is re-armed, or cancelled after the last */
		}  /* else a late reply to an echo already counted lost, or not ours */
	}
}

static void lt_maybe_start(void)
{
	if (lt.started || lt.stop || !lt.s[0].carrier || !lt.s[1].carrier)
		return;
	lt.started = true;
	lt.t_start = now_us();
	log_debug(STAGE, "carrier on both ports after %llu ms", (unsigned long long)(lt.t_start - lt.t0) / 1000);
	send_next(&lt.s[0]);
	send_next(&lt.s[1]);
}

static int link_event(const struct nlmsghdr *n, void *arg)
{
	struct lt_side *s = arg;
	struct rtnl_link l;

	if (n->nlmsg_type == RTM_NEWLINK && !rtnl_link_parse(n, &l) && l.index == s->index)
		s->carrier = (l.flags & IFF_UP) && (l.flags & IFF_LOWER_UP);
	return 0;
}

static void on_link(void *arg, uint32_t ev)
{
	struct lt_side *s = arg;
	struct rtnl_link l;
	int ret = 0;

	for (int i = 0; i < 256 && ((ret = nl_recv_events(&s->ev, link_event, s)) == 0 || ret == -EINTR); i++)
		;
	if (ret == -ENOBUFS && !rtnl_link_get(&s->req, s->before.name, &l))  /* events lost: ask */
		s->carrier = (l.flags & IFF_UP) && (l.flags & IFF_LOWER_UP);
	lt_maybe_start();
}

static void on_deadline(void *arg, uint32_t ev)
{
	lt.timed_out = true;
	lt.stop = true;
}

static void on_signal(void *arg, uint32_t signo)
{
	if (!lt.signo)
		lt.signo = (int)signo;
	lt.stop = true;
}

/* --- the steps ----------------------------------------------------------------------------------- */

/* Both links found, distinct, not the loopback; recorded as they are. */
static int lt_find_links(void)
{
	for (int i = 0; i < 2; i++) {
		struct lt_side *s = &lt.s[i];
		int ret = rtnl_link_get(&lt.req, s->name, &s->before);

		/* at boot, until the bound: polled, as the test's own loop has not started */
		for (bool said = false; ret == -ENODEV && lt.wait_links && now_us() < lt.t0 + lt.a.timeout_s * 1000000ull;
		     said = true) {
			if (!said)
				log_info(STAGE, "waiting for %s to appear", s->name);
			(void)nanosleep(&(struct timespec){ .tv_nsec = 50 * 1000000 }, NULL);
			ret = rtnl_link_get(&lt.req, s->name, &s->before);
		}
		if (ret) {
			lt_fail("%s: %s", s->name, ret != -ENODEV ? strerror(-ret) :
				lt.wait_links ? "no such interface (not there within the bound)" : "no such interface");
			return -1;
		}
		if (s->before.flags & IFF_LOOPBACK) {
			lt_fail("%s: a loopback device has no cable to test", s->name);
			return -1;
		}
	}
	if (lt.s[0].before.index == lt.s[1].before.index) {
		lt_fail("%s and %s are the same interface", lt.s[0].name, lt.s[1].name);
		return -1;
	}
	return 0;
}

static int lt_setup(void)
{
	sigset_t set;
	int ret;

	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	if ((ret = loop_init(&lt.lp)) || (ret = loop_signals(&lt.lp, &set, on_signal, NULL)) ||
	    (ret = loop_timer_arm(&lt.lp, &lt.deadline, lt.a.timeout_s * 1000ull, on_deadline, NULL))) {
		lt_fail("cannot start: %s", strerror(-ret));
		return -1;
	}
	if ((lt.orig = open(NS_SELF, O_RDONLY | O_CLOEXEC)) < 0) {
		lt_fail("%s: %s", NS_SELF, strerror(errno));
		return -1;
	}
	if ((ret = nl_open(&lt.req, NETLINK_ROUTE, 0))) {
		lt_fail("rtnetlink socket: %s", strerror(-ret));
		return -1;
	}
	if (lt_find_links())
		return -1;
	for (int i = 0; i < 2; i++) {
		struct lt_side *s = &lt.s[i];

		if (ns_create(s) || side_configure(s))
			return -1;
		if ((ret = loop_watch(&lt.lp, s->ev.fd, EPOLLIN, on_link, s)) ||
		    (ret = loop_watch(&lt.lp, s->icmp, EPOLLIN, on_icmp, s))) {
			lt_fail("%s: watch: %s", s->name, strerror(-ret));
			return -1;
		}
	}
	lt_maybe_start();
	return 0;
}

/* The summary's reason, when the test did not pass. */
static void lt_reason(char *buf, size_t len)
{
	unsigned lost = lt_stats_lost(&lt.s[0].st, lt.a.count) + lt_stats_lost(&lt.s[1].st, lt.a.count);
	unsigned bad = lt.s[0].st.corrupt + lt.s[1].st.corrupt;

	if (lt.signo)
		snprintf(buf, len, "interrupted by %s", sig_name(lt.signo));
	else if (lt.fail[0])
		snprintf(buf, len, "%s", lt.fail);
	else if (!lt.started)
		snprintf(buf, len, "no carrier on %s%s%s after %u s (%s)",
			 lt.s[0].carrier ? "" : lt.s[0].name, !lt.s[0].carrier && !lt.s[1].carrier ? " and " : "",
			 lt.s[1].carrier ? "" : lt.s[1].name, lt.a.timeout_s, lt.bound);
	else if (lost)
		snprintf(buf, len, "%u of %u echoes lost%s%s%s", lost, 2 * lt.a.count,
			 lt.timed_out ? " (" : "", lt.timed_out ? lt.bound : "", lt.timed_out ? " reached)" : "");
	else if (bad)
		snprintf(buf, len, "%u replies with damaged payloads", bad);
	else
		buf[0] = 0;
}

/* The test, start to end, the ports back whatever happened; its figures into r. */
static void lt_run(struct lt_result *r)
{
	int ret;

	lt.orig = -1;
	lt.req.fd = -1;
	for (int i = 0; i < 2; i++) {
		struct lt_side *s = &lt.s[i];

		s->name = lt.a.ifname[i];
		s->nsfd = s->icmp = s->req.fd = s->ev.fd = -1;
		s->addr = htonl(LT_NET + 1 + i);
		s->id = (uint16_t)(getpid() ^ (i ? 0x8000 : 0));
	}
	lt.t0 = now_us();
	if (!lt_setup())
		while (!lt.stop)
			if ((ret = loop_once(&lt.lp, -1)) < 0 && ret != -EINTR)
				lt_fail("loop: %s", strerror(-ret));
	for (int i = 0; i < 2; i++) {
		loop_timer_cancel(&lt.lp, &lt.s[i].wait_t);
		side_restore(&lt.s[i]);
	}
	memset(r, 0, sizeof(*r));
	for (int i = 0; i < 2; i++) {
		snprintf(r->ifname[i], sizeof(r->ifname[i]), "%s", lt.s[i].name);
		r->st[i] = lt.s[i].st;
	}
	r->count = lt.a.count;
	r->ms = lt.started && lt.t_end >= lt.t_start ? (lt.t_end - lt.t_start + 500) / 1000 : 0;
	lt_reason(r->reason, sizeof(r->reason));
}

/* "eth0 eth1: pass, 10/10 replies in 2 ms" or "eth0 eth1: FAIL: why" */
static void lt_summary(char *buf, size_t len, const struct lt_result *r)
{
	if (r->reason[0])
		snprintf(buf, len, "%s %s: FAIL: %s", r->ifname[0], r->ifname[1], r->reason);
	else
		snprintf(buf, len, "%s %s: pass, %u/%u replies in %llu ms", r->ifname[0], r->ifname[1],
			 r->st[0].received + r->st[1].received, 2 * r->count, (unsigned long long)r->ms);
}

int linktest_main(int argc, char **argv)
{
	struct lt_result r;
	char line[400];

	log_open(NULL, STDERR_FILENO);
	if (lt_args_parse(argc, argv, &lt.a, line, sizeof(line))) {
		log_err(STAGE, "%s", line);
		return lt_usage(stderr);
	}
	if (lt.a.help) {
		lt_usage(stdout);
		return 0;
	}
	lt.bound = "--timeout";
	lt_run(&r);
	for (int i = 0; i < 2; i++) {
		lt_stats_line(line, sizeof(line), r.ifname[i], r.ifname[!i], &r.st[i], r.count);
		printf("%s\n", line);
	}
	lt_summary(line, sizeof(line), &r);
	printf("linktest %s\n", line);
	if (lt.signo)
		log_err(STAGE, "%s: the ports are back", sig_name(lt.signo));
	return r.reason[0] ? 1 : 0;
}

/* --- at boot: ferry.linktest=IFACE1,IFACE2 --------------------------------------------------------- */

/* The test runs in a child of PID 1 (its namespaces, sockets and loop are the child's own), bounded
 * by ferry.linktest.timeout plus LT_BOOT_SLACK_S for the moves back: a child killed at the bound
 * takes its namespaces with it, and the kernel returns the ports to the initial namespace. The
 * summary goes to the log, the figures to LT_FILE for the target; a failed test is the target's
 * to act on (a factory image reports it), not a failed boot. net waits for this job, so DHCP never
 * runs on a port while it is in a namespace of the test. */
#define LT_FILE "/run/ferry/linktest"
#define LT_BOOT_SLACK_S 10

_Static_assert(sizeof(struct lt_result) <= CHILD_RESULT_MAX, "the result fits the child's pipe");

static int lt_boot_work(int fd, void *arg)
{
	struct lt_result r;

	lt.a = (struct lt_args){ .count = plan->linktest.count, .timeout_s = plan->linktest.timeout_s,
				 .ifname = { plan->linktest.ifname[0], plan->linktest.ifname[1] } };
	lt.wait_links = true;
	lt.bound = "ferry.linktest.timeout";
	lt_run(&r);
	return fd_write_all(fd, &r, sizeof(r));
}

static void lt_boot_finish(void *arg)
{
	job_done(arg);
}

static void lt_boot_done(void *arg, const void *res, size_t n, int status)
{
	const struct lt_conf *lc = &plan->linktest;
	struct lt_result r;
	char text[2048];
	int ret;

	if (n == sizeof(r)) {
		memcpy(&r, res, sizeof(r));
	} else {  /* killed at the bound, or died: nothing was measured that can be trusted */
		memset(&r, 0, sizeof(r));
		for (int i = 0; i < 2; i++)
			memcpy(r.ifname[i], lc->ifname[i], sizeof(r.ifname[i]));
		r.count = lc->count;
		if (status == CHILD_TIMED_OUT || (WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL))
			snprintf(r.reason, sizeof(r.reason), "not done within %u s (ferry.linktest.timeout + %d s): "
				 "stopped", lc->timeout_s, LT_BOOT_SLACK_S);
		else
			snprintf(r.reason, sizeof(r.reason), "the test's process ended without a result (status %#x)",
				 (unsigned)status);
	}
	for (int i = 0; i < 2 && r.st[0].sent + r.st[1].sent; i++) {
		lt_stats_line(text, sizeof(text), r.ifname[i], r.ifname[!i], &r.st[i], r.count);
		log_info(STAGE, "%s", text);
	}
	lt_summary(text, sizeof(text), &r);
	if (r.reason[0])
		log_err(STAGE, "%s", text);
	else
		log_info(STAGE, "%s", text);
	if ((size_t)lt_env(text, sizeof(text), &r) >= sizeof(text))
		log_err(STAGE, "%s: the figures do not fit, not written", LT_FILE);
	else if ((ret = file_write_atomic(LT_FILE, text, strlen(text))))
		log_err(STAGE, "%s: %s", LT_FILE, strerror(-ret));
	child_when_gone(lt_boot_finish, arg);  /* a killed test: once it is gone, its ports are back */
}

static int lt_boot_start(struct job *j)
{
	int ret = child_work_bounded(lt_boot_work, NULL, (plan->linktest.timeout_s + LT_BOOT_SLACK_S) * 1000,
				     lt_boot_done, j);

	if (ret < 0) {
		log_err(STAGE, "no process for the test: %s; not run", strerror(-ret));
		return 0;
	}
	return JOB_PENDING;
}

static int lt_boot_enabled(void)
{
	return plan->linktest.ifname[0][0] != 0;
}

struct job job_linktest = {
	.name = "linktest",
	.after = { "early" },
	.start = lt_boot_start,
	.enabled = lt_boot_enabled,
};
