/* Netboot's transports on the loop: one file at a time per nb_get, over TFTP (a UDP socket, the
 * server's transfer port learnt from its first reply) or HTTP/1.1 (a non-blocking TCP connect, the
 * request, the response fed to lib/net/http.c as it arrives). Every byte goes straight into the
 * caller's fd (a memfd): a 200 MB initrd does not need twice its size. Bounded: ferry.netboot.timeout=
 * without progress, NB_ATTEMPTS tries with backoff, HTTP_REDIRECTS_MAX redirects, max_size. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>
#include "ferry.h"
#include "netboot.h"

#define STAGE "netboot"
#define NB_BUF (256 * 1024)

static uint8_t nb_buf[NB_BUF];

static void nb_close(struct nb_get *g)
{
	if (g->sock >= 0) {
		(void)loop_unwatch(loop, g->sock);
		close(g->sock);
		g->sock = -1;
	}
	loop_timer_cancel(loop, &g->retx);
	loop_timer_cancel(loop, &g->tick);
	loop_timer_cancel(loop, &g->backoff);
}

static void nb_attempt(struct nb_get *g);

static void nb_backoff_fire(void *arg, uint32_t events)
{
	nb_attempt(arg);
}

/* The end of one try: done, or failed for good, or another try after 1 s, 2 s ... */
static void nb_end(struct nb_get *g, int err, bool final, const char *fmt, ...)
{
	va_list ap;

	nb_close(g);
	if (!err) {
		uint64_t ms = loop_now_ms() - g->t_start;
		if (!g->quiet)
			log_info(STAGE, "%s: %llu bytes in %llu ms (%.1f MiB/s)", g->url_text, (unsigned long long)g->size,
				 (unsigned long long)ms, ms ? (double)g->size / 1048576.0 * 1000.0 / (double)ms : 0.0);
		g->done(g, 0);
		return;
	}
	va_start(ap, fmt);
	vsnprintf(g->why, sizeof(g->why), fmt, ap);
	va_end(ap);
	g->final = final;
	if (final || g->attempt >= NB_ATTEMPTS ||
	    loop_timer_arm(loop, &g->backoff, 1000u << (g->attempt - 1), nb_backoff_fire, g) < 0) {
		g->done(g, err);
		return;
	}
	log_warn(STAGE, "%s: %s; trying again in %u s (attempt %u of %d)", g->url_text, g->why,
		 1u << (g->attempt - 1), g->attempt + 1, NB_ATTEMPTS);
}

static void nb_progress(struct nb_get *g, size_t n)
{
	g->size += n;
	if (n)
		g->t_progress = loop_now_ms();
}

/* Once a second: the progress line, and the bound without progress. */
static void nb_tick(void *arg, uint32_t events)
{
	struct nb_get *g = arg;
	uint64_t now = loop_now_ms();

	if (now - g->t_progress >= g->timeout_ms) {
		nb_end(g, -ETIMEDOUT, false, "no progress for %u s (ferry.netboot.timeout=)", g->timeout_ms / 1000);
		return;
	}
	if (!g->quiet && now > g->t_report) {
		double rate = (double)(g->size - g->report_size) / 1048576.0 * 1000.0 / (double)(now - g->t_report);
		if (g->total)
			log_info(STAGE, "%s %.1f MiB of %.1f MiB, %.0f MiB/s", g->name, (double)g->size / 1048576.0,
				 (double)g->total / 1048576.0, rate);
		else
			log_info(STAGE, "%s %.1f MiB, %.0f MiB/s", g->name, (double)g->size / 1048576.0, rate);
	}
	g->t_report = now;
	g->report_size = g->size;
	(void)loop_timer_arm(loop, &g->tick, 1000, nb_tick, g);
}

/* The server's address: an IPv4 or IPv6 literal (names need DNS, which is not here yet). */
static int nb_addr(const struct url *u, struct sockaddr_storage *ss, socklen_t *len)
{
	struct sockaddr_in *in = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)ss;

	memset(ss, 0, sizeof(*ss));
	if (!u->v6 && inet_pton(AF_INET, u->host, &in->sin_addr) == 1) {
		in->sin_family = AF_INET;
		in->sin_port = htons(u->port);
		*len = sizeof(*in);
		return 0;
	}
	if (u->v6 && inet_pton(AF_INET6, u->host, &in6->sin6_addr) == 1) {
		in6->sin6_family = AF_INET6;
		in6->sin6_port = htons(u->port);
		*len = sizeof(*in6);
		return 0;
	}
	return -EHOSTUNREACH;
}

static int nb_write(int fd, const uint8_t *p, size_t n, uint64_t off)
{
	while (n) {
		ssize_t w = pwrite(fd, p, n, (off_t)off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return w < 0 ? -errno : -EIO;
		p += w;
		n -= (size_t)w;
		off += (uint64_t)w;
	}
	return 0;
}

/* ---- TFTP ------------------------------------------------------------------------------------- */
static struct sockaddr_storage nb_peer;

static void tftp_send(struct nb_get *g, const struct tftp_step *s, uint16_t port)
{
	struct sockaddr_storage to = nb_peer;

	if (!s->pkt_len)
		return;
	if (to.ss_family == AF_INET)
		((struct sockaddr_in *)&to)->sin_port = htons(port);
	else
		((struct sockaddr_in6 *)&to)->sin6_port = htons(port);
	(void)sendto(g->sock, s->pkt, s->pkt_len, MSG_DONTWAIT, (struct sockaddr *)&to,
		     to.ss_family == AF_INET ? sizeof(struct sockaddr_in) : sizeof(struct sockaddr_in6));
}

static void tftp_fail(struct nb_get *g, int r)
{
	bool final = r == -TFTP_E_SERVER || r == -TFTP_E_TOOBIG || r == -TFTP_E_OPTION;

	if (r == -TFTP_E_SERVER)
		nb_end(g, -EPROTO, final, "TFTP: server error: %s", g->tftp.msg);
	else
		nb_end(g, -EPROTO, final, "TFTP: %s: %s", tftp_strerror(r), g->tftp.why ? g->tftp.why : "");
}

static void tftp_retx(void *arg, uint32_t events)
{
	struct nb_get *g = arg;
	struct tftp_step s;
	int r = tftp_timeout(&g->tftp, &s);

	if (r < 0) {
		tftp_fail(g, r);
		return;
	}
	tftp_send(g, &s, g->tid_known ? g->tid : g->url.port);
	(void)loop_timer_arm(loop, &g->retx, g->tftp.timeout_ms, tftp_retx, g);
}

static bool same_host(const struct sockaddr_storage *a, const struct sockaddr_storage *b)
{
	if (a->ss_family != b->ss_family)
		return false;
	if (a->ss_family == AF_INET)
		return ((const struct sockaddr_in *)a)->sin_addr.s_addr == ((const struct sockaddr_in *)b)->sin_addr.s_addr;
	return !memcmp(&((const struct sockaddr_in6 *)a)->sin6_addr, &((const struct sockaddr_in6 *)b)->sin6_addr, 16);
}

static void tftp_readable(void *arg, uint32_t events)
{
	struct nb_get *g = arg;
	static struct tftp_step s;

	for (int i = 0; i < 64; i++) {
		struct sockaddr_storage from;
		socklen_t fl = sizeof(from);
		ssize_t n = recvfrom(g->sock, nb_buf, TFTP_PKT_MAX, MSG_DONTWAIT, (struct sockaddr *)&from, &fl);
		uint16_t port;
		int r;

		if (n < 0)
			return;  /* EAGAIN, or an ICMP error: the resend timer decides */
		if (!same_host(&from, &nb_peer))
			continue;
		port = ntohs(from.ss_family == AF_INET ? ((struct sockaddr_in *)&from)->sin_port :
			     ((struct sockaddr_in6 *)&from)->sin6_port);
		if (!g->tid_known) {
			g->tid_known = true;
			g->tid = port;
		} else if (port != g->tid) {
			s.pkt_len = tftp_error_pkt(s.pkt, sizeof(s.pkt), 5, "unknown transfer ID");
			tftp_send(g, &s, port);
			continue;
		}
		r = tftp_input(&g->tftp, nb_buf, (size_t)n, &s);
		tftp_send(g, &s, g->tid);
		if (r < 0) {
			tftp_fail(g, r);
			return;
		}
		if (g->tftp.has_tsize)
			g->total = g->tftp.tsize;
		if (s.len) {
			if ((r = nb_write(g->fd, s.data, s.len, s.off)) < 0) {
				nb_end(g, r, true, "storing the file: %s", strerror(-r));
				return;
			}
			nb_progress(g, s.len);
		}
		if (s.done) {
			nb_end(g, 0, false, NULL);
			return;
		}
		(void)loop_timer_arm(loop, &g->retx, g->tftp.timeout_ms, tftp_retx, g);
	}
}

static int tftp_begin(struct nb_get *g)
{
	struct tftp_opts o = { .blksize = 1468, .tsize = true, .windowsize = 16, .timeout_s = 1 };
	static struct tftp_step s;
	socklen_t len;
	int r;

	if ((r = nb_addr(&g->url, &nb_peer, &len)) < 0)
		return r;
	/* The path without its leading '/', as servers take it; "//x" keeps an absolute one. */
	if ((r = tftp_init(&g->tftp, g->url.path[1] ? g->url.path + 1 : g->url.path, &o, g->max_size)) < 0)
		return r;
	g->tid_known = false;
	g->sock = socket(nb_peer.ss_family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (g->sock < 0)
		return -errno;
	/* A large receive buffer: a window of blocks arrives at once. */
	int rcv = 1 << 20;
	(void)setsockopt(g->sock, SOL_SOCKET, SO_RCVBUF, &rcv, sizeof(rcv));
	if ((r = loop_watch(loop, g->sock, EPOLLIN, tftp_readable, g)) < 0)
		return r;
	tftp_start(&g->tftp, &s);
	tftp_send(g, &s, g->url.port);
	return loop_timer_arm(loop, &g->retx, g->tftp.timeout_ms, tftp_retx, g);
}

/* ---- HTTP ------------------------------------------------------------------------------------- */
static int http_store(void *arg, const uint8_t *p, size_t n)
{
	struct nb_get *g = arg;

	if (nb_write(g->fd, p, n, g->size) < 0)
		return -1;
	nb_progress(g, n);
	return 0;
}

static int http_begin(struct nb_get *g);

static void http_result(struct nb_get *g, int r)
{
	struct url next;
	const char *why;

	if (r < 0) {
		if (r == -HTTP_E_STATUS)
			nb_end(g, -ENOENT, true, "HTTP status %d", g->http.status);
		else
			nb_end(g, -EPROTO, r != -HTTP_E_TRUNCATED, "HTTP: %s: %s", http_strerror(r),
			       g->http.why ? g->http.why : "");
		return;
	}
	if (g->http.status >= 300 && g->http.status < 400) {
		if (++g->redirects > HTTP_REDIRECTS_MAX) {
			nb_end(g, -ELOOP, true, "more than %d redirects (last to %s)", HTTP_REDIRECTS_MAX, g->http.location);
			return;
		}
		if ((r = url_resolve(&g->url, g->http.location, &next, &why)) < 0 || next.scheme != URL_HTTP) {
			nb_end(g, -EINVAL, true, "redirect to \"%s\": %s", g->http.location, r < 0 ? why : "not http://");
			return;
		}
		nb_close(g);
		g->url = next;
		log_info(STAGE, "%s: redirected (%d) to %s", g->url_text, g->http.status, g->http.location);
		if ((r = http_begin(g)) < 0) {
			nb_end(g, r, false, "redirect: %s", strerror(-r));
			return;
		}
		(void)loop_timer_arm(loop, &g->tick, 1000, nb_tick, g);
		return;
	}
	nb_end(g, 0, false, NULL);
}

static void http_readable(void *arg, uint32_t events)
{
	struct nb_get *g = arg;

	for (int i = 0; i < 16; i++) {
		ssize_t n = read(g->sock, nb_buf, sizeof(nb_buf));
		int r;

		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			return;
		if (n < 0) {
			nb_end(g, -errno, false, "reading: %s", strerror(errno));
			return;
		}
		if (n == 0) {
			http_result(g, http_eof(&g->http));
			return;
		}
		if (g->http.length > 0)
			g->total = (uint64_t)g->http.length;
		if ((r = http_feed(&g->http, nb_buf, (size_t)n))) {
			http_result(g, r);
			return;
		}
		if (g->http.length > 0)
			g->total = (uint64_t)g->http.length;
	}
}

static void http_writable(void *arg, uint32_t events)
{
	struct nb_get *g = arg;
	int err = 0;
	socklen_t el = sizeof(err);

	if (!g->req_off && (getsockopt(g->sock, SOL_SOCKET, SO_ERROR, &err, &el) < 0 || err)) {
		nb_end(g, -err, false, "connecting to %s port %u: %s", g->url.host, g->url.port, strerror(err));
		return;
	}
	while (g->req_off < g->req_len) {
		ssize_t w = write(g->sock, g->req + g->req_off, g->req_len - g->req_off);
		if (w < 0 && errno == EAGAIN)
			return;
		if (w < 0) {
			nb_end(g, -errno, false, "sending the request: %s", strerror(errno));
			return;
		}
		g->req_off += (size_t)w;
	}
	(void)loop_unwatch(loop, g->sock);
	if ((err = loop_watch(loop, g->sock, EPOLLIN | EPOLLRDHUP, http_readable, g)) < 0)
		nb_end(g, err, false, "watching the socket: %s", strerror(-err));
	g->t_progress = loop_now_ms();
}

static int http_begin(struct nb_get *g)
{
	struct sockaddr_storage ss;
	socklen_t len;
	int r;

	if ((r = nb_addr(&g->url, &ss, &len)) < 0)
		return r;
	if ((r = http_request(&g->url, g->req, sizeof(g->req))) < 0)
		return r;
	g->req_len = (size_t)r;
	g->req_off = 0;
	http_resp_init(&g->http, g->max_size, http_store, g);
	g->sock = socket(ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (g->sock < 0)
		return -errno;
	if (connect(g->sock, (struct sockaddr *)&ss, len) < 0 && errno != EINPROGRESS)
		return -errno;
	return loop_watch(loop, g->sock, EPOLLOUT, http_writable, g);
}

/* ---- one file --------------------------------------------------------------------------------- */
static void nb_attempt(struct nb_get *g)
{
	const char *why;
	int r;

	g->attempt++;
	g->size = g->total = g->report_size = 0;
	g->redirects = 0;
	g->t_start = g->t_progress = g->t_report = loop_now_ms();
	if (ftruncate(g->fd, 0) < 0) {
		nb_end(g, -errno, true, "truncating the file: %s", strerror(errno));
		return;
	}
	if ((r = url_parse(g->url_text, &g->url, &why)) < 0) {
		nb_end(g, r, true, "%s", why);
		return;
	}
	r = g->url.scheme == URL_TFTP ? tftp_begin(g) : http_begin(g);
	if (r == -EHOSTUNREACH && !strchr(g->url.host, ':') && inet_addr(g->url.host) == INADDR_NONE) {
		nb_end(g, r, true, "host \"%s\": a name needs DNS, which ferry's netboot does not do yet: use an address",
		       g->url.host);
		return;
	}
	if (r < 0) {
		nb_end(g, r, false, "%s", strerror(-r));
		return;
	}
	(void)loop_timer_arm(loop, &g->tick, 1000, nb_tick, g);
}

int nb_get_start(struct loop *l, struct nb_get *g, const char *url)
{
	const char *slash;

	(void)l;
	if (strlen(url) >= sizeof(g->url_text))
		return -ENAMETOOLONG;
	strcpy(g->url_text, url);
	slash = strrchr(g->url_text, '/');
	g->name = slash && slash[1] ? slash + 1 : g->url_text;
	g->sock = -1;
	g->attempt = 0;
	g->why[0] = 0;
	g->final = false;
	if (!g->timeout_ms)
		g->timeout_ms = 60000;
	nb_attempt(g);
	return 0;
}

void nb_get_cancel(struct nb_get *g)
{
	nb_close(g);
}

/* ---- ferry netboot --fetch (tests, workstations) ---------------------------------------------- */
static int nb_fetch_rc = -1;

static void nb_fetch_done(struct nb_get *g, int err)
{
	if (err)
		log_err(STAGE, "%s: %s", g->url_text, g->why);
	nb_fetch_rc = err ? 1 : 0;
}

static int nb_usage(void)
{
	fprintf(stderr, "usage: ferry netboot --fetch URL --out FILE [--timeout SECONDS] [--max BYTES] [--quiet]\n"
		"       fetch one file over tftp:// or http:// as the boot would (into FILE instead of a memfd)\n");
	return 2;
}

int netboot_main(int argc, char **argv)
{
	static struct loop the_loop;
	static struct nb_get g;
	const char *url = NULL, *out = NULL;
	int ret;

	g.max_size = 1ull << 32;
	g.timeout_ms = 60000;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--fetch") && i + 1 < argc)
			url = argv[++i];
		else if (!strcmp(argv[i], "--out") && i + 1 < argc)
			out = argv[++i];
		else if (!strcmp(argv[i], "--timeout") && i + 1 < argc)
			g.timeout_ms = (unsigned)strtoul(argv[++i], NULL, 10) * 1000;
		else if (!strcmp(argv[i], "--max") && i + 1 < argc)
			g.max_size = strtoull(argv[++i], NULL, 10);
		else if (!strcmp(argv[i], "--quiet"))
			g.quiet = true;
		else
			return nb_usage();
	}
	if (!url || !out || !g.timeout_ms)
		return nb_usage();
	loop = &the_loop;
	log_open(NULL, STDERR_FILENO);
	if ((ret = loop_init(loop)) < 0) {
		log_err(STAGE, "cannot start: %s", strerror(-ret));
		return 1;
	}
	if ((g.fd = open(out, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644)) < 0) {
		log_err(STAGE, "%s: %s", out, strerror(errno));
		return 1;
	}
	g.done = nb_fetch_done;
	if ((ret = nb_get_start(loop, &g, url)) < 0) {
		log_err(STAGE, "%s: %s", url, strerror(-ret));
		return 1;
	}
	while (nb_fetch_rc < 0)
		if ((ret = loop_once(loop, -1)) < 0 && ret != -EINTR) {
			log_err(STAGE, "loop: %s", strerror(-ret));
			return 1;
		}
	close(g.fd);
	return nb_fetch_rc;
}
