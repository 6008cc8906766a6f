/* Netboot URLs and the HTTP/1.1 response parser: see http.h. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "http.h"

static bool host_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
		c == '.' || c == '_';
}

/* Printable ASCII without space: what a path may hold (a request line must stay one line). */
static bool path_ok(const char *p)
{
	for (; *p; p++)
		if ((unsigned char)*p <= 0x20 || (unsigned char)*p >= 0x7f)
			return false;
	return true;
}

static int parse_port(const char *p, size_t n, uint16_t *out)
{
	unsigned v = 0;

	if (!n || n > 5)
		return -EINVAL;
	for (size_t i = 0; i < n; i++) {
		if (p[i] < '0' || p[i] > '9')
			return -EINVAL;
		v = v * 10 + (unsigned)(p[i] - '0');
	}
	if (!v || v > 65535)
		return -EINVAL;
	*out = (uint16_t)v;
	return 0;
}

static int authority(const char *a, size_t n, struct url *u, const char **why)
{
	const char *colon = NULL;
	size_t hn;

	if (memchr(a, '@', n))
		return *why = "user information in a URL is not taken", -EINVAL;
	if (n && a[0] == '[') {
		const char *close = memchr(a, ']', n);
		if (!close)
			return *why = "IPv6 literal without ']'", -EINVAL;
		hn = (size_t)(close - a - 1);
		if (!hn || hn >= sizeof(u->host) || strspn(a + 1, "0123456789abcdefABCDEF:.") < hn)
			return *why = "bad IPv6 literal", -EINVAL;
		memcpy(u->host, a + 1, hn);
		u->host[hn] = 0;
		u->v6 = true;
		if (close + 1 < a + n) {
			if (close[1] != ':')
				return *why = "junk after the IPv6 literal", -EINVAL;
			colon = close + 1;
		}
	} else {
		colon = memchr(a, ':', n);
		hn = colon ? (size_t)(colon - a) : n;
		if (!hn || hn >= sizeof(u->host))
			return *why = "no host", -EINVAL;
		for (size_t i = 0; i < hn; i++)
			if (!host_char(a[i]))
				return *why = "bad character in the host", -EINVAL;
		memcpy(u->host, a, hn);
		u->host[hn] = 0;
	}
	if (colon && parse_port(colon + 1, (size_t)(a + n - colon - 1), &u->port))
		return *why = "bad port", -EINVAL;
	return 0;
}

int url_parse(const char *s, struct url *u, const char **why)
{
	const char *a, *slash;
	size_t pn;
	int r;

	memset(u, 0, sizeof(*u));
	if (!strncasecmp(s, "http://", 7)) {
		u->scheme = URL_HTTP;
		u->port = 80;
		a = s + 7;
	} else if (!strncasecmp(s, "tftp://", 7)) {
		u->scheme = URL_TFTP;
		u->port = 69;
		a = s + 7;
	} else if (!strncasecmp(s, "https://", 8)) {
		return *why = "https: ferry has no TLS (use http:// with ferry.netboot.pin=)", -EPROTONOSUPPORT;
	} else {
		return *why = "not an http:// or tftp:// URL", -EPROTONOSUPPORT;
	}
	slash = strchr(a, '/');
	if (!slash)
		slash = a + strlen(a);
	if ((r = authority(a, (size_t)(slash - a), u, why)))
		return r;
	if (!*slash)
		slash = "/";
	if (strchr(slash, '#'))
		pn = (size_t)(strchr(slash, '#') - slash);
	else
		pn = strlen(slash);
	if (pn >= sizeof(u->path))
		return *why = "path too long", -EINVAL;
	memcpy(u->path, slash, pn);
	u->path[pn] = 0;
	if (!path_ok(u->path))
		return *why = "space or control character in the path", -EINVAL;
	return 0;
}

/* RFC 3986 5.2.4 on a path starting with '/' (the query left alone): "." and ".." segments go,
 * ".." never above the root. */
static void remove_dots(char *path)
{
	char *q = strchr(path, '?'), *in = path + 1, *out = path + 1;
	size_t qlen = q ? strlen(q) : 0;
	char query[URL_MAX];

	if (q) {
		memcpy(query, q, qlen + 1);
		*q = 0;
	}
	while (*in) {
		char *end = strchr(in, '/');
		size_t n = end ? (size_t)(end - in) : strlen(in);
		if (n == 1 && in[0] == '.') {
			/* nothing */
		} else if (n == 2 && in[0] == '.' && in[1] == '.') {
			if (out > path + 1) {
				out--;                      /* the '/' after the last segment */
				while (out > path + 1 && out[-1] != '/')
					out--;
			}
		} else {
			memmove(out, in, n);
			out += n;
			if (end)
				*out++ = '/';
		}
		in += n + (end ? 1 : 0);
	}
	*out = 0;
	if (q)
		memcpy(out, query, qlen + 1);
}

int url_resolve(const struct url *base, const char *loc, struct url *out, const char **why)
{
	char buf[URL_MAX + 300];
	size_t n;
	int ret;

	if (strstr(loc, "://"))
		return url_parse(loc, out, why);
	n = url_text(base, buf, sizeof(buf));
	if (n >= sizeof(buf))
		return *why = "URL too long", -EINVAL;
	/* Cut after the authority (absolute path) or after the path's last '/' (relative). */
	char *path = strchr(strstr(buf, "://") + 3, '/');
	if (!path)
		return *why = "base without path", -EINVAL;
	if (loc[0] == '/') {
		*path = 0;
	} else {
		char *q = strchr(path, '?');
		if (q)
			*q = 0;
		strrchr(path, '/')[1] = 0;
	}
	n = strlen(buf);
	if (n + strlen(loc) >= sizeof(buf))
		return *why = "URL too long", -EINVAL;
	memcpy(buf + n, loc, strlen(loc) + 1);
	if ((ret = url_parse(buf, out, why)))
		return ret;
	remove_dots(out->path);
	return 0;
}

size_t url_text(const struct url *u, char *buf, size_t cap)
{
	const char *scheme = u->scheme == URL_TFTP ? "tftp" : "http";
	unsigned def = u->scheme == URL_TFTP ? 69 : 80;
	char port[8] = "";
	int n;

	if (u->port != def)
		snprintf(port, sizeof(port), ":%u", u->port);
	n = snprintf(buf, cap, "%s://%s%s%s%s%s", scheme, u->v6 ? "[" : "", u->host, u->v6 ? "]" : "", port, u->path);
	return n < 0 ? 0 : (size_t)n;
}

int http_request(const struct url *u, char *buf, size_t cap)
{
	char port[8] = "";
	int n;

	if (u->port != 80)
		snprintf(port, sizeof(port), ":%u", u->port);
	n = snprintf(buf, cap, "GET %s HTTP/1.1\r\nHost: %s%s%s%s\r\nUser-Agent: ferry\r\nAccept: */*\r\n"
		"Connection: close\r\n\r\n", u->path, u->v6 ? "[" : "", u->host, u->v6 ? "]" : "", port);
	if (n < 0 || (size_t)n >= cap)
		return -ENOSPC;
	return n;
}

void http_resp_init(struct http_resp *r, uint64_t max_body, http_body_fn body, void *arg)
{
	memset(r, 0, sizeof(*r));
	r->max_body = max_body;
	r->body = body;
	r->arg = arg;
	r->length = -1;
}

static int fail(struct http_resp *r, int err, const char *why)
{
	r->st = H_FAILED;
	r->why = why;
	return -err;
}

static int status_line(struct http_resp *r, const char *l)
{
	if (strncmp(l, "HTTP/1.", 7) || (l[7] != '0' && l[7] != '1') || l[8] != ' ' ||
	    l[9] < '1' || l[9] > '5' || l[10] < '0' || l[10] > '9' || l[11] < '0' || l[11] > '9' ||
	    (l[12] && l[12] != ' '))
		return fail(r, HTTP_E_PROTO, "not an HTTP/1.x status line");
	r->status = (l[9] - '0') * 100 + (l[10] - '0') * 10 + (l[11] - '0');
	r->st = H_HEADER;
	return 0;
}

static const char *trim(char *v)
{
	size_t n;

	while (*v == ' ' || *v == '\t')
		v++;
	n = strlen(v);
	while (n && (v[n - 1] == ' ' || v[n - 1] == '\t'))
		v[--n] = 0;
	return v;
}

static int header_end(struct http_resp *r)
{
	if (r->status >= 300 && r->status < 400 && r->status != 304) {
		r->st = H_DONE;
		if (!r->location[0])
			return fail(r, HTTP_E_REDIRECT, "redirect without Location");
		return 1;
	}
	if (r->status < 200 || r->status >= 300)
		return fail(r, HTTP_E_STATUS, "status not 2xx");
	if (r->chunked) {
		r->st = H_CHUNK_SIZE;
		return 0;
	}
	if (r->length >= 0 && r->max_body && (uint64_t)r->length > r->max_body)
		return fail(r, HTTP_E_TOOBIG, "Content-Length beyond the limit");
	r->st = H_BODY;
	if (r->length == 0) {
		r->st = H_DONE;
		return 1;
	}
	return 0;
}

static int header(struct http_resp *r, char *l)
{
	char *colon;
	const char *v;

	if (!*l)
		return header_end(r);
	if (++r->headers > HTTP_HEADERS_MAX)
		return fail(r, HTTP_E_LINE, "too many headers");
	if (*l == ' ' || *l == '\t')
		return fail(r, HTTP_E_PROTO, "folded header line");
	colon = strchr(l, ':');
	if (!colon || colon == l)
		return fail(r, HTTP_E_PROTO, "header without ':'");
	*colon = 0;
	v = trim(colon + 1);
	if (!strcasecmp(l, "Content-Length")) {
		char *end;
		unsigned long long n;
		if (!*v || strspn(v, "0123456789") != strlen(v) || strlen(v) > 18)
			return fail(r, HTTP_E_PROTO, "bad Content-Length");
		n = strtoull(v, &end, 10);
		if (r->length >= 0 && (uint64_t)r->length != n)
			return fail(r, HTTP_E_PROTO, "two different Content-Length headers");
		r->length = (int64_t)n;
	} else if (!strcasecmp(l, "Transfer-Encoding")) {
		if (strcasecmp(v, "chunked"))
			return fail(r, HTTP_E_PROTO, "Transfer-Encoding other than chunked");
		r->chunked = true;
	} else if (!strcasecmp(l, "Location")) {
		if (strlen(v) >= sizeof(r->location))
			return fail(r, HTTP_E_REDIRECT, "Location too long");
		strcpy(r->location, v);
	}
	return 0;
}

static int chunk_size(struct http_resp *r, const char *l)
{
	uint64_t v = 0;
	size_t i = 0;

	for (; l[i] && l[i] != ';' && l[i] != ' ' && l[i] != '\t'; i++) {
		int d = (l[i] >= '0' && l[i] <= '9') ? l[i] - '0' : (l[i] | 0x20) >= 'a' && (l[i] | 0x20) <= 'f' ?
			(l[i] | 0x20) - 'a' + 10 : -1;
		if (d < 0 || i >= 15)
			return fail(r, HTTP_E_CHUNK, "bad chunk size");
		v = v * 16 + (unsigned)d;
	}
	if (!i)
		return fail(r, HTTP_E_CHUNK, "empty chunk size");
	if (r->max_body && r->got + v > r->max_body)
		return fail(r, HTTP_E_TOOBIG, "chunked body beyond the limit");
	r->chunk_left = v;
	r->st = v ? H_CHUNK_DATA : H_TRAILER;
	return 0;
}

/* One complete line (CRLF or LF stripped). */
static int line(struct http_resp *r)
{
	r->line[r->line_len] = 0;
	r->line_len = 0;
	switch (r->st) {
	case H_STATUS:
		return status_line(r, r->line);
	case H_HEADER:
		return header(r, r->line);
	case H_CHUNK_SIZE:
		return chunk_size(r, r->line);
	case H_CHUNK_END:
		if (r->line[0])
			return fail(r, HTTP_E_CHUNK, "chunk not followed by CRLF");
		r->st = H_CHUNK_SIZE;
		return 0;
	case H_TRAILER:
		if (!r->line[0]) {
			r->st = H_DONE;
			return 1;
		}
		if (++r->headers > HTTP_HEADERS_MAX)
			return fail(r, HTTP_E_LINE, "too many trailers");
		return 0;
	default:
		return fail(r, HTTP_E_STATE, "line in a body");
	}
}

static int body(struct http_resp *r, const uint8_t *p, size_t n)
{
	if (r->max_body && r->got + n > r->max_body)
		return fail(r, HTTP_E_TOOBIG, "body beyond the limit");
	if (r->body && r->body(r->arg, p, n))
		return fail(r, HTTP_E_WRITE, "cannot store the body");
	r->got += n;
	return 0;
}

int http_feed(struct http_resp *r, const uint8_t *in, size_t len)
{
	size_t i = 0;
	int ret;

	if (r->st == H_DONE)
		return len ? fail(r, HTTP_E_LENGTH, "bytes after the body's end") : 1;
	if (r->st == H_FAILED)
		return fail(r, HTTP_E_STATE, "fed after a failure");
	while (i < len) {
		if (r->st == H_BODY || r->st == H_CHUNK_DATA) {
			uint64_t want = r->st == H_CHUNK_DATA ? r->chunk_left :
				r->length >= 0 ? (uint64_t)r->length - r->got : UINT64_MAX;
			size_t n = len - i < want ? len - i : (size_t)want;
			if ((ret = body(r, in + i, n)))
				return ret;
			i += n;
			if (r->st == H_CHUNK_DATA) {
				if (!(r->chunk_left -= n))
					r->st = H_CHUNK_END;
			} else if (r->length >= 0 && r->got == (uint64_t)r->length) {
				r->st = H_DONE;
				if (i < len)
					return fail(r, HTTP_E_LENGTH, "bytes after Content-Length's end");
				return 1;
			}
			continue;
		}
		uint8_t c = in[i++];
		if (c == '\n') {
			if (r->line_len && r->line[r->line_len - 1] == '\r')
				r->line_len--;
			if ((ret = line(r)))
				return ret < 0 || r->st != H_DONE || i == len ? ret :
					r->status >= 300 && r->status < 400 ? 1 :
					fail(r, HTTP_E_LENGTH, "bytes after the body's end");
			continue;
		}
		if (!c)
			return fail(r, HTTP_E_PROTO, "NUL in a header");
		if (r->line_len >= sizeof(r->line) - 1)
			return fail(r, HTTP_E_LINE, "line too long");
		r->line[r->line_len++] = (char)c;
	}
	return 0;
}

int http_eof(struct http_resp *r)
{
	if (r->st == H_DONE)
		return 1;
	if (r->st == H_BODY && r->length < 0) {
		r->st = H_DONE;
		return 1;
	}
	return fail(r, HTTP_E_TRUNCATED, r->st == H_FAILED ? "after a failure" :
		r->st <= H_HEADER ? "connection closed in the headers" : "connection closed before the body's end");
}

const char *http_strerror(int err)
{
	static const char *const name[] = {
		[HTTP_E_STATUS] = "HTTP status not 2xx",
		[HTTP_E_PROTO] = "malformed response",
		[HTTP_E_LINE] = "header too long or too many",
		[HTTP_E_TOOBIG] = "body too big",
		[HTTP_E_CHUNK] = "malformed chunk",
		[HTTP_E_TRUNCATED] = "body cut short",
		[HTTP_E_LENGTH] = "more bytes than Content-Length",
		[HTTP_E_REDIRECT] = "bad redirect",
		[HTTP_E_WRITE] = "cannot store the body",
		[HTTP_E_STATE] = "response already over",
	};
	if (err < 0)
		err = -err;
	return err > 0 && err < (int)(sizeof(name) / sizeof(name[0])) && name[err] ? name[err] : "unknown";
}
