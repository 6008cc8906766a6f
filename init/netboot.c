/* Netboot's transports on the loop: one file at a time per nb_get, over TFTP (a UDP socket, the
 * server's transfer port learnt from its first reply) or HTTP/1.1 (a non-blocking TCP connect, the
 * request, the response fed to lib/net/http.c as it arrives). Every byte goes straight into the
 * caller's fd (a memfd): a 200 MB initrd does not need twice its size. Bounded: ferry.netboot.timeout=
 * without progress, NB_ATTEMPTS tries with backoff, HTTP_REDIRECTS_MAX redirects, max_size. */
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/inotify.h>
#include <sys/mman.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>
#include "ferry.h"
#include "measure.h"
#include "netboot.h"
#include "stages.h"
#include "../lib/boot/bootcfg.h"
#include "../lib/boot/ipxe.h"
#include "../lib/boot/kexec.h"
#include "../lib/boot/kload.h"
#include "../lib/boot/pe.h"
#include "../lib/crypt/sha.h"
#include "../lib/net/dns.h"

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

/* Bytes as MiB with one decimal, in integers: ferry's printf has no floating point (lib/core/printf.h). */
static const char *nb_mib(uint64_t bytes, char buf[24])
{
	uint64_t tenths = bytes * 10 / 1048576;

	snprintf(buf, 24, "%llu.%llu", (unsigned long long)(tenths / 10), (unsigned long long)(tenths % 10));
	return buf;
}

/* The end of one try: done, or failed for good, or another try after 1 s, 2 s ... */
static void nb_end(struct nb_get *g, int err, bool final, const char *fmt, ...)
{
	va_list ap;
	char buf[1][24];

	nb_close(g);
	if (!err) {
		uint64_t ms = loop_now_ms() - g->t_start;
		if (!g->quiet)
			log_info(STAGE, "%s: %llu bytes in %llu ms (%s MiB/s)", g->url_text, (unsigned long long)g->size,
				 (unsigned long long)ms, nb_mib(ms ? g->size * 1000 / ms : 0, buf[0]));
		if (g->hash)
			sha_final(&g->sha, g->sha256);
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

static void nb_progress(struct nb_get *g, const uint8_t *p, size_t n)
{
	if (g->hash)
		sha_update(&g->sha, p, n);
	g->size += n;
	if (n)
		g->t_progress = loop_now_ms();
}

/* Once a second: the progress line, and the bound without progress. */
static void nb_tick(void *arg, uint32_t events)
{
	struct nb_get *g = arg;
	uint64_t now = loop_now_ms();
	char buf[3][24];

	if (now - g->t_progress >= g->timeout_ms) {
		nb_end(g, -ETIMEDOUT, false, "no progress for %u s (ferry.netboot.timeout=)", g->timeout_ms / 1000);
		return;
	}
	if (!g->quiet && now > g->t_report && (g->size || g->total)) {
		uint64_t rate = (g->size - g->report_size) * 1000 / (now - g->t_report);
		if (g->total)
			log_info(STAGE, "%s %s MiB of %s MiB, %s MiB/s", g->name, nb_mib(g->size, buf[0]),
				 nb_mib(g->total, buf[1]), nb_mib(rate, buf[2]));
		else
			log_info(STAGE, "%s %s MiB, %s MiB/s", g->name, nb_mib(g->size, buf[0]), nb_mib(rate, buf[2]));
	}
	g->t_report = now;
	g->report_size = g->size;
	(void)loop_timer_arm(loop, &g->tick, 1000, nb_tick, g);
}

/* The server's address: an IPv4 or IPv6 literal (names need DNS, which is not here yet). */
static int nb_addr(const struct nb_get *g, const struct url *u, struct sockaddr_storage *ss, socklen_t *len)
{
	struct sockaddr_in *in = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)ss;

	memset(ss, 0, sizeof(*ss));
	if (g->resolved) {
		*ss = g->addr;
		in->sin_port = htons(u->port);  /* sin6_port is at the same place */
		*len = ss->ss_family == AF_INET6 ? sizeof(*in6) : sizeof(*in);
		return 0;
	}
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
			nb_progress(g, s.data, s.len);
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

	if ((r = nb_addr(g, &g->url, &nb_peer, &len)) < 0)
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
	nb_progress(g, p, n);
	return 0;
}

static int http_begin(struct nb_get *g);
static int dns_begin(struct nb_get *g);

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
		g->resolved = false;
		log_info(STAGE, "%s: redirected (%d) to %s", g->url_text, g->http.status, g->http.location);
		if ((r = !g->url.v6 && inet_addr(g->url.host) == INADDR_NONE ? dns_begin(g) : http_begin(g)) < 0) {
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

static void http_again(void *arg, uint32_t events);

/* The source a connection began with, for a destination beyond the link-local scope. While the
 * link's only global address is in DAD (just made by SLAAC, or just from DHCPv6) the kernel takes
 * the link-local one, and while every address of the link is (the link just up, its link-local one
 * too) the loopback's, ::1. A TCP connection keeps the source it began with: no router forwards a
 * link-local one (RFC 4291 2.5.6), nothing answers ::1, and the fetch would stall until
 * ferry.netboot.timeout=. */
enum nb_src { SRC_OK, SRC_LINKLOCAL, SRC_LOOPBACK };

static enum nb_src nb_src(int sock, const struct sockaddr_storage *dst)
{
	const struct in6_addr *d = &((const struct sockaddr_in6 *)dst)->sin6_addr;
	struct sockaddr_in6 me;
	socklen_t ml = sizeof(me);

	if (dst->ss_family != AF_INET6 || IN6_IS_ADDR_LINKLOCAL(d) || IN6_IS_ADDR_V4MAPPED(d) || IN6_IS_ADDR_LOOPBACK(d) ||
	    getsockname(sock, (struct sockaddr *)&me, &ml))
		return SRC_OK;
	if (IN6_IS_ADDR_LINKLOCAL(&me.sin6_addr))
		return SRC_LINKLOCAL;
	return IN6_IS_ADDR_LOOPBACK(&me.sin6_addr) || IN6_IS_ADDR_UNSPECIFIED(&me.sin6_addr) ? SRC_LOOPBACK : SRC_OK;
}

static int http_begin(struct nb_get *g)
{
	struct sockaddr_storage ss;
	enum nb_src src;
	socklen_t len;
	int r;

	if ((r = nb_addr(g, &g->url, &ss, &len)) < 0)
		return r;
	if ((r = http_request(&g->url, g->req, sizeof(g->req))) < 0)
		return r;
	g->req_len = (size_t)r;
	g->req_off = 0;
	http_resp_init(&g->http, g->max_size, http_store, g);
	g->sock = socket(ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (g->sock < 0)
		return -errno;
	/* Room for what arrives while a piece is hashed and stored: the sender need not stop. */
	int rcv = 4 << 20;
	(void)setsockopt(g->sock, SOL_SOCKET, SO_RCVBUF, &rcv, sizeof(rcv));
	if (connect(g->sock, (struct sockaddr *)&ss, len) < 0 && errno != EINPROGRESS)
		return -errno;
	/* Begun again every 100 ms while DAD runs (a second or two), for at most NB_SRC_WAIT_MS: a link
	 * with no global address at all still gets its try from the link-local one (a destination on
	 * the link answers it); from ::1 the try is over, by name. */
	src = nb_src(g->sock, &ss);
	if (src != SRC_OK && loop_now_ms() - g->t_progress < NB_SRC_WAIT_MS) {
		if (!g->src_waited++)
			log_info(STAGE, "%s: waiting for a global IPv6 source address (DAD)", g->url_text);
		close(g->sock);
		g->sock = -1;
		return loop_timer_arm(loop, &g->retx, 100, http_again, g);
	}
	if (src == SRC_LOOPBACK) {
		log_warn(STAGE, "%s: no IPv6 source address after %d s: every address of the link is still in DAD "
				"(or a duplicate)", g->url_text, NB_SRC_WAIT_MS / 1000);
		return -EADDRNOTAVAIL;
	}
	return loop_watch(loop, g->sock, EPOLLOUT, http_writable, g);
}

/* ---- a host name: an A query to the lease's servers, each asked twice, a second apart ---------- */
static void nb_transfer(struct nb_get *g);

/* false: no server left, the try is over (nb_end ran) */
static bool dns_send(struct nb_get *g)
{
	uint8_t q[DNS_PKT_MAX];
	struct sockaddr_in6 to = { .sin6_family = AF_INET6, .sin6_port = htons(DNS_PORT) };
	struct in_addr a4;
	int n;

	/* One IPv6 socket for both families: an IPv4 server as ::ffff:a.b.c.d. */
	if (g->dns_i < 3 && inet_pton(AF_INET, g->dns[g->dns_i], &a4) == 1) {
		to.sin6_addr.s6_addr[10] = to.sin6_addr.s6_addr[11] = 0xff;
		memcpy(&to.sin6_addr.s6_addr[12], &a4, 4);
	} else if (g->dns_i >= 3 || !g->dns[g->dns_i][0] || inet_pton(AF_INET6, g->dns[g->dns_i], &to.sin6_addr) != 1) {
		nb_end(g, -EHOSTUNREACH, false, "host \"%s\": no answer from the name servers (%s%s%s%s%s)", g->url.host,
		       g->dns[0], g->dns[1][0] ? " " : "", g->dns[1], g->dns[2][0] ? " " : "", g->dns[2]);
		return false;
	}
	n = dns_query(q, sizeof(q), g->dns_id, g->url.host, g->dns_type);
	if (n > 0)
		(void)sendto(g->sock, q, (size_t)n, MSG_DONTWAIT, (struct sockaddr *)&to, sizeof(to));
	return true;
}

static void dns_retx(void *arg, uint32_t events)
{
	struct nb_get *g = arg;

	if (++g->dns_tries >= 2) {
		g->dns_tries = 0;
		g->dns_i++;
	}
	if (dns_send(g))
		(void)loop_timer_arm(loop, &g->retx, 1000, dns_retx, g);
}

static void dns_readable(void *arg, uint32_t events)
{
	struct nb_get *g = arg;
	uint8_t a[16];
	const char *why;
	ssize_t n;
	int r;

	while ((n = recv(g->sock, nb_buf, DNS_PKT_MAX, MSG_DONTWAIT)) >= 0) {
		if ((r = dns_answer(nb_buf, (size_t)n, g->dns_id, g->dns_type, a, &why)) == -ESRCH)
			continue;
		if (r == -ENOENT && g->dns_type == DNS_TYPE_A) {
			g->dns_type = DNS_TYPE_AAAA;  /* no IPv4 address: ask for an IPv6 one, same server */
			g->dns_id++;
			g->dns_tries = 0;
			(void)dns_send(g);
			(void)loop_timer_arm(loop, &g->retx, 1000, dns_retx, g);
			continue;
		}
		if (r < 0) {
			nb_end(g, -EHOSTUNREACH, r == -ENOENT, "host \"%s\": %s (from %s)", g->url.host, why, g->dns[g->dns_i]);
			return;
		}
		struct sockaddr_in *in = (struct sockaddr_in *)&g->addr;
		struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)&g->addr;
		memset(&g->addr, 0, sizeof(g->addr));
		if (g->dns_type == DNS_TYPE_AAAA) {
			in6->sin6_family = AF_INET6;
			memcpy(&in6->sin6_addr, a, 16);
		} else {
			in->sin_family = AF_INET;
			memcpy(&in->sin_addr, a, 4);
		}
		g->resolved = true;
		log_info(STAGE, "%s is %s", g->url.host, inet_ntop(g->addr.ss_family, a, (char *)nb_buf, 64));
		(void)loop_unwatch(loop, g->sock);
		close(g->sock);
		g->sock = -1;
		loop_timer_cancel(loop, &g->retx);
		nb_transfer(g);
		return;
	}
}

static int dns_begin(struct nb_get *g)
{
	int r;

	if (!g->dns[0][0])
		return -EHOSTUNREACH;
	if ((g->sock = socket(AF_INET6, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0)) < 0)
		return -errno;
	if ((r = loop_watch(loop, g->sock, EPOLLIN, dns_readable, g)) < 0)
		return r;
	g->dns_i = g->dns_tries = 0;
	g->dns_type = DNS_TYPE_A;
	g->dns_id = (uint16_t)(loop_now_ms() * 2654435761u >> 16);
	(void)dns_send(g);
	return loop_timer_arm(loop, &g->retx, 1000, dns_retx, g);
}

/* ---- one file --------------------------------------------------------------------------------- */
static void nb_transfer(struct nb_get *g)
{
	int r = g->url.scheme == URL_TFTP ? tftp_begin(g) : http_begin(g);

	if (r < 0)
		nb_end(g, r, false, "%s", strerror(-r));
}

static void http_again(void *arg, uint32_t events)
{
	nb_transfer(arg);
}

static void nb_attempt(struct nb_get *g)
{
	const char *why;
	int r;

	g->attempt++;
	g->size = g->total = g->report_size = 0;
	g->redirects = g->src_waited = 0;
	g->t_start = g->t_progress = g->t_report = loop_now_ms();
	sha_init(&g->sha, SHA_256);
	if (ftruncate(g->fd, 0) < 0) {
		nb_end(g, -errno, true, "truncating the file: %s", strerror(errno));
		return;
	}
	if ((r = url_parse(g->url_text, &g->url, &why)) < 0) {
		nb_end(g, r, true, "%s", why);
		return;
	}
	g->resolved = false;
	if (!g->url.v6 && inet_addr(g->url.host) == INADDR_NONE) {
		/* a name: A records from the lease's name servers (IPv4, then IPv6), else AAAA */
		r = dns_begin(g);
		if (r == -EHOSTUNREACH) {
			nb_end(g, r, true, "host \"%s\": a name, and no name server in the lease", g->url.host);
			return;
		}
	} else {
		r = g->url.scheme == URL_TFTP ? tftp_begin(g) : http_begin(g);
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

/* ---- the netboot session: what the URL holds, then its files ---------------------------------- */
/* One netbooted entry: its files in memfds, its command line. */
struct nb_entry {
	char title[128];
	char kernel_url[URL_MAX];
	int kfd;
	int ifd[IPXE_MAX_INITRD];
	char initrd_url[IPXE_MAX_INITRD][URL_MAX];
	size_t ninitrd;
	char cmdline[IPXE_ARGS_MAX + 1024];
};

/* What the lease says, read back from the net stage's IFACE.lease (KEY=value lines). */
struct nb_lease {
	char iface[32], mac_text[18], addr[16], server[16], next_server[16], bootfile[256], hostname[64], dns[64];
	char addr6[46];                   /* DHCPv6's address: a lease with only IPv6 is one too */
	char dns6[140], router6[46];
	uint8_t mac[6];
	uint32_t ip;                      /* host order */
};

static struct {
	struct job *job;
	struct nb_lease lease;
	struct nb_get g;
	int top_fd;                       /* the memfd of the file being looked at, -1 none */
	bool begun;                       /* nb_begin() has set the fields above */
	char top_url[URL_MAX];
	char base_url[URL_MAX];           /* pxelinux: what relative names are from */
	char pxe_names[10][24];
	size_t pxe_n, pxe_i;              /* the pxelinux.cfg/ search */
	unsigned depth;                   /* chains followed */
	struct nb_entry e;
	bool have_entry, loaded;
	int files_i;                      /* -1: the kernel, then each initrd */
	void (*finish)(int ok);
	char outdir[256];                 /* ferry netboot --out: files written there */
} nb;                                 /* zeroed (in .bss, not 26 KiB of .data); nb_begin() sets top_fd */

static struct ipxe_result nb_ipxe;

static int nb_memfd(const char *name)
{
	return memfd_create(name, MFD_CLOEXEC);
}

static void lease_value(char *dst, size_t cap, const char *v)
{
	size_t n = strcspn(v, "\n");

	if (n >= 2 && v[0] == '\'' && v[n - 1] == '\'')
		v++, n -= 2;
	snprintf(dst, cap, "%.*s", (int)n, v);
}

/* The first lease file with an address (ferry.netboot=dhcp: the first with a boot file). */
int nb_lease_read(const char *path, struct nb_lease *l)
{
	char buf[4096];
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;
	struct in_addr a;

	if (fd < 0)
		return -errno;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -EIO;
	buf[n] = 0;
	memset(l, 0, sizeof(*l));
	for (char *line = buf; line && *line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL) {
		static const struct { const char *key; size_t off, cap; } keys[] = {
#define K(k, f) { k "=", offsetof(struct nb_lease, f), sizeof(((struct nb_lease *)0)->f) }
			K("IFACE", iface), K("MAC", mac_text), K("ADDRESS", addr), K("ADDRESS6", addr6), K("SERVER", server),
			K("NEXT_SERVER", next_server), K("BOOTFILE", bootfile), K("HOSTNAME", hostname), K("DNS", dns), K("DNS6", dns6), K("ROUTER6", router6),
#undef K
		};
		for (size_t k = 0; k < sizeof(keys) / sizeof(keys[0]); k++)
			if (!strncmp(line, keys[k].key, strlen(keys[k].key)))
				lease_value((char *)l + keys[k].off, keys[k].cap, line + strlen(keys[k].key));
	}
	if (sscanf(l->mac_text, "%hhx:%hhx:%hhx:%hhx:%hhx:%hhx", &l->mac[0], &l->mac[1], &l->mac[2], &l->mac[3],
		   &l->mac[4], &l->mac[5]) != 6)
		return -ENOENT;
	if (inet_pton(AF_INET, l->addr, &a) != 1 || !a.s_addr) {
		if (!l->addr6[0] && !l->router6[0])
			return -ENOENT;
		a.s_addr = 0;  /* IPv6 only (DHCPv6's address, or SLAAC's from a router): no hex IP for
				* pxelinux's search, the MAC and default remain */
	}
	l->ip = ntohl(a.s_addr);
	return 0;
}

static int nb_lease_find(const char *dir, struct nb_lease *l, bool want_bootfile)
{
	char path[384];
	struct dirent **names;
	int n = scandir(dir, &names, NULL, alphasort), ret = -ENOENT;

	if (n < 0)
		return -errno;
	/* in name order, so the same links give the same choice every boot */
	for (int i = 0; i < n; i++) {
		const char *name = names[i]->d_name;
		size_t len = strlen(name);
		if (ret && len > 6 && !strcmp(name + len - 6, ".lease")) {
			snprintf(path, sizeof(path), "%s/%s", dir, name);
			if (nb_lease_read(path, l) == 0 && (!want_bootfile || l->bootfile[0]))
				ret = 0;
		}
		free(names[i]);
	}
	free(names);
	return ret;
}

static const char *nb_lookup(void *arg, const char *name)
{
	static char ip[16];
	const struct nb_lease *l = &nb.lease;

	(void)arg;
	if (!strcmp(name, "mac") || !strcmp(name, "net0/mac"))
		return l->mac_text;
	if (!strcmp(name, "ip") || !strcmp(name, "net0/ip")) {
		snprintf(ip, sizeof(ip), "%s", l->addr);
		return ip;
	}
	if (!strcmp(name, "next-server") || !strcmp(name, "net0/next-server"))
		return l->next_server[0] ? l->next_server : l->server[0] ? l->server : NULL;
	if (!strcmp(name, "filename") || !strcmp(name, "net0/filename"))
		return l->bootfile[0] ? l->bootfile : NULL;
	if (!strcmp(name, "hostname"))
		return l->hostname[0] ? l->hostname : NULL;
	if (!strcmp(name, "buildarch"))
		return kimg_arch_native() == KARCH_X86_64 ? "x86_64" : kimg_arch_native() == KARCH_AARCH64 ? "arm64" : "arm32";
	return NULL;
}

/* Every downloaded file must match one pin, when any is given. */
static bool nb_pinned(const unsigned char sha[32])
{
	for (size_t i = 0; i < plan->netboot.npins; i++)
		if (!memcmp(plan->netboot.pin[i], sha, 32))
			return true;
	return !plan->netboot.npins;
}

static void nb_hex(const unsigned char *d, char out[65])
{
	for (int i = 0; i < 32; i++)
		snprintf(out + 2 * i, 3, "%02x", d[i]);
}

static void nb_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void nb_fail(const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	log_err(STAGE, "%s; no netboot entry", msg);
	nb.finish(0);
}

/* A name the script or config gave, resolved against the file it came from. */
static int nb_resolve(const char *base, const char *name, char *out, size_t cap)
{
	struct url b, u;
	const char *why;

	if (url_parse(base, &b, &why) < 0 || url_resolve(&b, name, &u, &why) < 0) {
		log_err(STAGE, "%s: \"%s\": %s", base, name, why);
		return -EINVAL;
	}
	return url_text(&u, out, cap) < cap ? 0 : -ENAMETOOLONG;
}

static void nb_fetch(const char *url, int fd, nb_done_fn done);
static void nb_top(const char *url);

/* The entry's files, one after the other: the kernel (unless it was the top file), each initrd. */
static void nb_file_done(struct nb_get *g, int err);

static void nb_next_file(void)
{
	struct nb_entry *e = &nb.e;
	int fd;

	nb.files_i++;
	if (nb.files_i >= (int)e->ninitrd) {
		nb.have_entry = true;
		nb.finish(1);
		return;
	}
	if (nb.files_i < 0) {
		if (e->kfd >= 0) {    /* the top file was the kernel */
			nb_next_file();
			return;
		}
		if ((fd = e->kfd = nb_memfd("ferry-netboot-kernel")) < 0) {
			nb_fail("memfd: %s", strerror(errno));
			return;
		}
		nb_fetch(e->kernel_url, fd, nb_file_done);
		return;
	}
	if ((fd = e->ifd[nb.files_i] = nb_memfd("ferry-netboot-initrd")) < 0) {
		nb_fail("memfd: %s", strerror(errno));
		return;
	}
	nb_fetch(e->initrd_url[nb.files_i], fd, nb_file_done);
}

static bool nb_check_pin(struct nb_get *g)
{
	char hex[65];

	if (!plan->netboot.npins)
		return true;
	nb_hex(g->sha256, hex);
	if (nb_pinned(g->sha256)) {
		log_info(STAGE, "%s: %llu bytes, sha256:%s (pinned)", g->url_text, (unsigned long long)g->size, hex);
		return true;
	}
	nb_fail("%s: sha256:%s matches no ferry.netboot.pin=: refused", g->url_text, hex);
	return false;
}

static void nb_file_done(struct nb_get *g, int err)
{
	if (err) {
		nb_fail("%s: %s", g->url_text, g->why);
		return;
	}
	if (nb_check_pin(g))
		nb_next_file();
}

/* An entry from a kernel URL, a script or a config: its kernel, initrds and command line. */
static int nb_entry_set(const char *title, const char *base, const char *kernel, int kfd,
			const char *const *initrd, size_t ninitrd, const char *args)
{
	struct nb_entry *e = &nb.e;

	memset(e, 0, sizeof(*e));
	e->kfd = kfd;
	for (size_t i = 0; i < IPXE_MAX_INITRD; i++)
		e->ifd[i] = -1;
	snprintf(e->title, sizeof(e->title), "%s", title);
	if (kfd < 0 && nb_resolve(base, kernel, e->kernel_url, sizeof(e->kernel_url)) < 0)
		return -EINVAL;
	if (kfd >= 0)
		snprintf(e->kernel_url, sizeof(e->kernel_url), "%s", kernel);
	if (ninitrd > IPXE_MAX_INITRD)
		return -E2BIG;
	for (size_t i = 0; i < ninitrd; i++)
		if (nb_resolve(base, initrd[i], e->initrd_url[i], sizeof(e->initrd_url[i])) < 0)
			return -EINVAL;
	e->ninitrd = ninitrd;
	snprintf(e->cmdline, sizeof(e->cmdline), "%s%s%s", args ? args : "", args && *args && plan->netboot.append[0] ?
		 " " : "", plan->netboot.append);
	nb.files_i = -2;
	nb_next_file();
	return 0;
}

/* A kernel at the top: ferry.netboot.initrd= and .append= (or a chain's arguments) go with it. */
static void nb_kernel(const char *url, const char *args)
{
	static char list[1024];
	const char *initrd[IPXE_MAX_INITRD];
	size_t n = 0;

	snprintf(list, sizeof(list), "%s", plan->netboot.initrd);
	for (char *s = list, *c; *s && n < IPXE_MAX_INITRD; s = c ? c + 1 : s + strlen(s)) {
		if ((c = strchr(s, ',')))
			*c = 0;
		if (*s)
			initrd[n++] = s;
	}
	int fd = nb.top_fd;
	nb.top_fd = -1;
	if (nb_entry_set("netboot kernel", url, url, fd, initrd, n, args) < 0)
		nb_fail("%s: bad initrd URL", url);
}

static void nb_script(const char *url, const char *buf, size_t len)
{
	struct ipxe_result *r = &nb_ipxe;
	const char *initrd[IPXE_MAX_INITRD];
	int ret = ipxe_run(buf, len, nb_lookup, NULL, r);
	char next[URL_MAX];

	if (ret < 0) {
		nb_fail("%s:%u: %s", url, r->line, r->why);
		return;
	}
	if (r->echo[0])
		log_info(STAGE, "%s: echo: %s", url, r->echo);
	if (r->what == IPXE_EXIT) {
		nb_fail("%s: the script ends without booting", url);
		return;
	}
	if (r->what == IPXE_CHAIN) {
		if (++nb.depth > IPXE_CHAIN_MAX) {
			nb_fail("%s: chain to %s: more than %d chains", url, r->chain, IPXE_CHAIN_MAX);
			return;
		}
		if (nb_resolve(url, r->chain, next, sizeof(next)) < 0) {
			nb_fail("%s: chain: bad URL", url);
			return;
		}
		log_info(STAGE, "%s: chain %s", url, next);
		nb_top(next);
		return;
	}
	for (size_t i = 0; i < r->ninitrd; i++)
		initrd[i] = r->initrd[i];
	if (nb_entry_set("iPXE script", url, r->kernel, -1, initrd, r->ninitrd, r->args) < 0)
		nb_fail("%s: bad kernel or initrd URL", url);
}

static void nb_pxelinux(const char *url, const char *buf, size_t len)
{
	struct boot_list *l = boot_list_new();
	size_t order[BOOT_MAX_ENTRIES], n;
	const char *initrd[BOOT_MAX_INITRD];
	int matched, ret;

	if (!l) {
		nb_fail("%s: no memory", url);
		return;
	}
	ret = extlinux_parse(l, "", buf, len);
	n = boot_order(l, NULL, order, BOOT_MAX_ENTRIES, &matched);
	if (ret < 0 || !n) {
		nb_fail("%s: pxelinux config: %s", url, ret < 0 ? strerror(-ret) : "no bootable entry");
		free(l);
		return;
	}
	const struct boot_entry *e = &l->e[order[0]];
	log_info(STAGE, "%s: pxelinux entry \"%s\"%s", url, e->title, n > 1 ? " (the default; the others are not fetched)" : "");
	/* The parser made every path absolute ("/vmlinuz"); pxelinux reads them from the boot file's
	 * directory, so the leading '/' goes and the name is taken relative to it. */
	static char paths[BOOT_MAX_INITRD + 1][BOOT_PATH];
	snprintf(paths[0], BOOT_PATH, "%s", e->kernel + (e->kernel[0] == '/'));
	for (size_t i = 0; i < e->ninitrd; i++) {
		snprintf(paths[i + 1], BOOT_PATH, "%s", e->initrd[i] + (e->initrd[i][0] == '/'));
		initrd[i] = paths[i + 1];
	}
	if (nb_entry_set(e->title, nb.base_url[0] ? nb.base_url : url, paths[0], -1, initrd, e->ninitrd, e->options) < 0)
		nb_fail("%s: bad kernel or initrd path", url);
	free(l);
}

static void nb_pxe_next(void);

/* The top file is here: what is it? */
static void nb_top_done(struct nb_get *g, int err)
{
	void *map;
	size_t len = (size_t)g->size;
	enum nb_kind kind;

	if (err) {
		if (nb.pxe_n && g->final && nb.pxe_i < nb.pxe_n) {
			log_info(STAGE, "pxelinux: %s: %s", g->url_text, g->why);
			nb_pxe_next();   /* not there: the next name of the search */
			return;
		}
		nb_fail("%s: %s", g->url_text, g->why);
		return;
	}
	if (!nb_check_pin(g))
		return;
	map = len ? mmap(NULL, len, PROT_READ, MAP_PRIVATE, nb.top_fd, 0) : NULL;
	if (len && map == MAP_FAILED) {
		nb_fail("%s: mmap: %s", g->url_text, strerror(errno));
		return;
	}
	kind = nb_detect(map, len);
	log_info(STAGE, "%s: %s", g->url_text, nb_kind_name(kind));
	if (kind == NB_IPXE)
		nb_script(nb.top_url, map, len);
	else if (kind == NB_PXELINUX)
		nb_pxelinux(nb.top_url, map, len);
	else if (kind == NB_KERNEL)
		nb_kernel(nb.top_url, nb.depth ? nb_ipxe.args : NULL);
	else
		nb_fail("%s: neither an iPXE script, a pxelinux config nor a kernel", g->url_text);
	if (len)
		munmap(map, len);
}

/* The lease's IPv4 name servers, then its IPv6 ones, three in all. */
static void nb_dns_servers(struct nb_get *g)
{
	char six[sizeof(nb.lease.dns6)], *save = NULL, *w;
	int n = sscanf(nb.lease.dns, "%15s %15s %15s", g->dns[0], g->dns[1], g->dns[2]);

	memcpy(six, nb.lease.dns6, sizeof(six));
	for (n = n < 0 ? 0 : n, w = strtok_r(six, " ", &save); n < 3 && w; w = strtok_r(NULL, " ", &save))
		snprintf(g->dns[n++], sizeof(g->dns[0]), "%s", w);
}

static void nb_fetch(const char *url, int fd, nb_done_fn done)
{
	struct nb_get *g = &nb.g;
	int ret;

	memset(g, 0, sizeof(*g));
	g->fd = fd;
	nb_dns_servers(g);
	g->hash = plan->netboot.npins > 0;   /* SHA-256 costs a core at 150 MiB/s: only for the pins */
	g->max_size = 1ull << 32;
	g->timeout_ms = plan->netboot.timeout_s * 1000;
	g->done = done;
	if ((ret = nb_get_start(loop, g, url)) < 0)
		nb_fail("%s: %s", url, strerror(-ret));
}

static void nb_top(const char *url)
{
	if (nb.top_fd >= 0)
		close(nb.top_fd);
	if ((nb.top_fd = nb_memfd("ferry-netboot")) < 0) {
		nb_fail("memfd: %s", strerror(errno));
		return;
	}
	snprintf(nb.top_url, sizeof(nb.top_url), "%s", url);
	nb_fetch(url, nb.top_fd, nb_top_done);
}

static void nb_pxe_next(void)
{
	char url[URL_MAX + 64];

	snprintf(url, sizeof(url), "%spxelinux.cfg/%s", nb.base_url, nb.pxe_names[nb.pxe_i++]);
	log_info(STAGE, "pxelinux: trying %s", url);
	nb_top(url);
}

/* The URL the plan gives, or the lease's boot file: next-server + file over TFTP, or a URL. */
static int nb_begin(const char *rundir)
{
	char url[URL_MAX];
	int ret;

	if (!nb.begun) {
		nb.begun = true;
		nb.top_fd = -1;
	}
	if ((ret = nb_lease_find(rundir, &nb.lease, plan->netboot.dhcp)) < 0) {
		log_err(STAGE, "no lease%s in %s", plan->netboot.dhcp ? " with a boot file" : "", rundir);
		return ret;
	}
	if (plan->netboot.dhcp) {
		const char *srv = nb.lease.next_server[0] ? nb.lease.next_server : nb.lease.server;
		int n = strstr(nb.lease.bootfile, "://") ? snprintf(url, sizeof(url), "%s", nb.lease.bootfile) :
			snprintf(url, sizeof(url), "tftp://%s/%s", srv, nb.lease.bootfile + (nb.lease.bootfile[0] == '/'));
		if (n < 0 || (size_t)n >= sizeof(url)) {
			log_err(STAGE, "the lease's boot file (%s) makes a URL of over %zu bytes", nb.lease.iface,
				sizeof(url) - 1);
			return -ENAMETOOLONG;
		}
		log_info(STAGE, "the lease's boot file (%s): %s", nb.lease.iface, url);
	} else {
		snprintf(url, sizeof(url), "%s", plan->netboot.url);
	}
	if (url[strlen(url) - 1] == '/') {
		snprintf(nb.base_url, sizeof(nb.base_url), "%s", url);
		nb.pxe_n = pxelinux_names(nb.lease.mac, nb.lease.ip, nb.pxe_names);
		nb.pxe_i = 0;
		nb_pxe_next();
	} else {
		nb_top(url);
	}
	return 0;
}

/* ---- the job ---------------------------------------------------------------------------------- */
#define NB_RUN "/run/ferry/net"

static struct {
	int fd;                           /* inotify on NB_RUN: a lease file renamed into place */
	bool live;
	struct loop_timer deadline;
} nbw;

static void nb_job_finish(int ok)
{
	job_done(nb.job);   /* a netboot that failed is not the boot's failure: the disks' entries follow */
}

static void nb_wait_end(void)
{
	if (nbw.live) {
		(void)loop_unwatch(loop, nbw.fd);
		close(nbw.fd);
		nbw.live = false;
	}
	loop_timer_cancel(loop, &nbw.deadline);
}

static void nb_lease_event(void *arg, uint32_t events)
{
	char buf[4096];

	while (read(nbw.fd, buf, sizeof(buf)) > 0)
		;
	if (nb_lease_find(NB_RUN, &nb.lease, plan->netboot.dhcp) < 0)
		return;
	nb_wait_end();
	if (nb_begin(NB_RUN) < 0)
		job_done(nb.job);
}

static void nb_lease_deadline(void *arg, uint32_t events)
{
	nb_wait_end();
	log_err(STAGE, "no lease%s after %lu s (ferry.net.timeout=): no netboot entry",
		plan->netboot.dhcp ? " with a boot file" : "", plan->net.timeout_s);
	job_done(nb.job);
}

static int nb_start(struct job *j)
{
	nb.job = j;
	nb.finish = nb_job_finish;
	if (plan->netboot.refused) {
		log_err(STAGE, "refused: %s", plan->netboot.refused);
		return 0;
	}
	log_info(STAGE, "%s%s", plan->netboot.url, plan->netboot.npins ? ", every file pinned" :
		 ", no pins: files are not checked (no TLS either)");
	if (nb_lease_find(NB_RUN, &nb.lease, plan->netboot.dhcp) == 0)
		return nb_begin(NB_RUN) < 0 ? 0 : JOB_PENDING;
	/* No lease yet: wait for the net stage's file, up to ferry.net.timeout= (woken, not polling). */
	(void)mkdir("/run/ferry", 0755);
	(void)mkdir(NB_RUN, 0755);
	if ((nbw.fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC)) < 0 ||
	    inotify_add_watch(nbw.fd, NB_RUN, IN_MOVED_TO | IN_CLOSE_WRITE) < 0 ||
	    loop_watch(loop, nbw.fd, EPOLLIN, nb_lease_event, NULL) < 0 ||
	    loop_timer_arm(loop, &nbw.deadline, plan->net.timeout_s * 1000, nb_lease_deadline, NULL) < 0) {
		log_err(STAGE, "waiting for a lease: %s: no netboot entry", strerror(errno));
		if (nbw.fd >= 0)
			close(nbw.fd);
		return 0;
	}
	nbw.live = true;
	log_info(STAGE, "waiting up to %lu s for a lease", plan->net.timeout_s);
	return JOB_PENDING;
}

static int nb_enabled(void)
{
	return plan->netboot.url[0] && handoff_decide().kexec;
}

struct job job_netboot = {
	.name = "netboot",
	.after = { "net" },
	.start = nb_start,
	.enabled = nb_enabled,
};

/* kexec_boot's netboot entries, ahead of the disks': index i loaded (0), or -ENOENT past the end. */
int netboot_load(size_t i, int refused)
{
	static struct kload_res res;
	static char kernel[64], initrd[IPXE_MAX_INITRD][64];
	const char *ip[IPXE_MAX_INITRD], *step;
	struct nb_entry *e = &nb.e;
	int err;

	if (i > 0 || !nb.have_entry)
		return -ENOENT;
	snprintf(kernel, sizeof(kernel), "/proc/self/fd/%d", e->kfd);
	for (size_t k = 0; k < e->ninitrd; k++) {
		snprintf(initrd[k], sizeof(initrd[k]), "/proc/self/fd/%d", e->ifd[k]);
		ip[k] = initrd[k];
	}
	static const char *iurl[IPXE_MAX_INITRD];
	for (size_t k = 0; k < e->ninitrd; k++)
		iurl[k] = e->initrd_url[k];
	/* measured like a disk's entry (init/measure.c): the bytes downloaded, named by their URLs */
	static struct measure_entry m;
	m = (struct measure_entry){ .kernel = e->kernel_url, .initrd = iurl, .ninitrd = e->ninitrd, .device = "network" };
	struct kload_req r = { .kernel = kernel, .initrd = ip, .ninitrd = e->ninitrd, .cmdline = e->cmdline,
		.arch = kimg_arch_native(), .refused = refused, .measure = measure_kload, .measure_arg = &m };
	static char t[sizeof(e->title) * 4], c[sizeof(e->cmdline) * 4];  /* from the network: escaped */
	log_info("kexec", "netboot entry \"%s\": loading %s with %zu initrd%s, command line \"%s\"",
		 boot_escape(e->title, t, sizeof(t)), e->kernel_url, e->ninitrd, e->ninitrd == 1 ? "" : "s",
		 boot_escape(e->cmdline, c, sizeof(c)));
	res.file_load = -1;
	if ((step = kload(&r, &res, &err))) {
		log_err("kexec", "netboot entry \"%s\": %s (%s): %s%s%s", t, step, e->kernel_url, strerror(-err),
			*kexec_explain(err) ? ": " : "", kexec_explain(err));
		return err ? err : -EINVAL;
	}
	log_info("kexec", "netboot entry \"%s\": %s, %s", t, kimg_fmt_name(res.fmt), kexec_path_name(res.path));
	return 0;
}

void netboot_plan(const struct boot_plan *p, FILE *out)
{
	if (!p->netboot.url[0]) {
		fprintf(out, "netboot: off (no ferry.netboot=)\n");
		return;
	}
	if (p->netboot.refused) {
		fprintf(out, "netboot: refused: %s\n", p->netboot.refused);
		return;
	}
	fprintf(out, "netboot: %s, after a lease (waited for up to ferry.net.timeout=); its entry is tried before the disks'\n",
		p->netboot.dhcp ? "the DHCPv4 lease's boot file (next-server/option 66 + option 67)" : p->netboot.url);
	fprintf(out, "netboot: an iPXE script, a pxelinux config%s or a kernel, told apart by content; chains up to %d\n",
		p->netboot.url[strlen(p->netboot.url) - 1] == '/' ? " (pxelinux.cfg/01-MAC, the hex address shortened, default)" : "",
		IPXE_CHAIN_MAX);
	if (p->netboot.initrd[0])
		fprintf(out, "netboot: with a kernel: initrd %s\n", p->netboot.initrd);
	if (p->netboot.append[0])
		fprintf(out, "netboot: command line plus: %s\n", p->netboot.append);
	fprintf(out, "netboot: each file given up after %u s without progress, %d attempts with backoff; into memory (memfd)\n",
		p->netboot.timeout_s, NB_ATTEMPTS);
	if (p->netboot.npins)
		fprintf(out, "netboot: every file must match one of %zu sha256 pin%s, else refused\n", p->netboot.npins,
			p->netboot.npins == 1 ? "" : "s");
	else
		fprintf(out, "netboot: no ferry.netboot.pin=: files are not checked (no TLS: http:// and tftp:// only)\n");
}

/* ---- ferry netboot (tests, workstations) ------------------------------------------------------ */
static int nb_cli_rc = -1;

static void nb_fetch_done(struct nb_get *g, int err)
{
	char hex[65];

	if (err)
		log_err(STAGE, "%s: %s", g->url_text, g->why);
	else if (g->hash) {
		nb_hex(g->sha256, hex);
		printf("sha256:%s\n", hex);
	}
	nb_cli_rc = err ? 1 : 0;
}

static int nb_copy_out(int fd, const char *name)
{
	char path[512];
	off_t off = 0;
	struct stat st;
	int out, ret = 0;

	snprintf(path, sizeof(path), "%s/%s", nb.outdir, name);
	if (fstat(fd, &st) < 0 || (out = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644)) < 0)
		return -errno;
	while (off < st.st_size)
		if (sendfile(out, fd, &off, (size_t)(st.st_size - off)) <= 0) {
			ret = -errno;
			break;
		}
	close(out);
	return ret;
}

static void nb_cli_finish(int ok)
{
	struct nb_entry *e = &nb.e;
	char name[sizeof(nb.outdir) + 16];
	FILE *f;

	if (!ok) {
		nb_cli_rc = 1;
		return;
	}
	printf("entry: %s\nkernel: %s\n", e->title, e->kernel_url);
	for (size_t i = 0; i < e->ninitrd; i++)
		printf("initrd: %s\n", e->initrd_url[i]);
	printf("cmdline: %s\n", e->cmdline);
	nb_cli_rc = 0;
	if (!nb.outdir[0])
		return;
	nb_cli_rc = nb_copy_out(e->kfd, "kernel") < 0;
	for (size_t i = 0; i < e->ninitrd; i++) {
		snprintf(name, sizeof(name), "initrd%zu", i);
		nb_cli_rc |= nb_copy_out(e->ifd[i], name) < 0;
	}
	snprintf(name, sizeof(name), "%s/cmdline", nb.outdir);
	if ((f = fopen(name, "we"))) {
		fprintf(f, "%s\n", e->cmdline);
		fclose(f);
	}
}

static int nb_usage(void)
{
	fprintf(stderr, "usage: ferry netboot --fetch URL --out FILE [--timeout SECONDS] [--max BYTES] [--quiet] [--sha256] [--dns ADDR]\n"
		"         fetch one file over tftp:// or http:// as the boot would (into FILE instead of a memfd)\n"
		"       ferry netboot --cmdline STRING [--config FILE] [--run-dir DIR] [--out DIR]\n"
		"         resolve ferry.netboot= as the boot would, with the leases in DIR (default /run/ferry/net):\n"
		"         print the entry, and write its kernel, initrds and command line into --out DIR\n");
	return 2;
}

static int nb_run_loop(void)
{
	int ret;

	while (nb_cli_rc < 0)
		if ((ret = loop_once(loop, -1)) < 0 && ret != -EINTR) {
			log_err(STAGE, "loop: %s", strerror(-ret));
			return 1;
		}
	return nb_cli_rc;
}

static int nb_cli_session(const char *cmdline, const char *file, const char *rundir)
{
	static struct ferry_config the_cfg;
	static struct boot_plan the_plan;

	cfg = &the_cfg;
	plan = &the_plan;
	(void)config_plan(cfg, plan, file, cmdline, false);
	for (size_t i = 0; i < cfg->nerrors && i < CFG_MAX_ERRORS; i++)
		log_err(STAGE, "%s", cfg->errors[i]);
	if (cfg->nerrors)
		return 2;
	if (!plan->netboot.url[0]) {
		log_err(STAGE, "no ferry.netboot=");
		return 2;
	}
	if (plan->netboot.refused) {
		log_err(STAGE, "refused: %s", plan->netboot.refused);
		return 1;
	}
	nb.finish = nb_cli_finish;
	if (nb_begin(rundir) < 0)
		return 1;
	return nb_run_loop();
}

int netboot_main(int argc, char **argv)
{
	static struct loop the_loop;
	static struct nb_get g;
	const char *url = NULL, *out = NULL, *cmdline = NULL, *file = NULL, *rundir = "/run/ferry/net";
	int ret;

	g.max_size = 1ull << 32;
	g.timeout_ms = 60000;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--fetch") && i + 1 < argc)
			url = argv[++i];
		else if (!strcmp(argv[i], "--out") && i + 1 < argc)
			out = argv[++i];
		else if (!strcmp(argv[i], "--cmdline") && i + 1 < argc)
			cmdline = argv[++i];
		else if (!strcmp(argv[i], "--config") && i + 1 < argc)
			file = argv[++i];
		else if (!strcmp(argv[i], "--run-dir") && i + 1 < argc)
			rundir = argv[++i];
		else if (!strcmp(argv[i], "--timeout") && i + 1 < argc)
			g.timeout_ms = (unsigned)strtoul(argv[++i], NULL, 10) * 1000;
		else if (!strcmp(argv[i], "--max") && i + 1 < argc)
			g.max_size = strtoull(argv[++i], NULL, 10);
		else if (!strcmp(argv[i], "--quiet"))
			g.quiet = true;
		else if (!strcmp(argv[i], "--sha256"))
			g.hash = true;
		else if (!strcmp(argv[i], "--dns") && i + 1 < argc)
			snprintf(g.dns[0], sizeof(g.dns[0]), "%s", argv[++i]);
		else
			return nb_usage();
	}
	if ((!url && !cmdline) || (url && (!out || !g.timeout_ms)))
		return nb_usage();
	loop = &the_loop;
	log_open(NULL, STDERR_FILENO);
	if ((ret = loop_init(loop)) < 0) {
		log_err(STAGE, "cannot start: %s", strerror(-ret));
		return 1;
	}
	if (cmdline) {
		snprintf(nb.outdir, sizeof(nb.outdir), "%s", out ? out : "");
		return nb_cli_session(cmdline, file, rundir);
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
	ret = nb_run_loop();
	close(g.fd);
	return ret;
}
