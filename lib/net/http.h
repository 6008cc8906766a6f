/* Netboot URLs and an HTTP/1.1 GET client's parser. Pure: a URL string in, a request in a buffer
 * out, the response fed in pieces as it arrives; the body goes to a callback. No TLS: an https://
 * URL is refused by name (integrity comes from ferry.netboot.pin=).
 *
 * Bounded everywhere: a status or header line of over HTTP_LINE_MAX bytes, more than
 * HTTP_HEADERS_MAX headers, a body beyond max_body (whatever Content-Length or the chunks say), a
 * chunk size of over 15 hex digits are named errors, as are a body cut short by the connection's end
 * and a Content-Length that differs from the bytes that came (extra bytes are never stored). */
#ifndef FERRY_HTTP_H
#define FERRY_HTTP_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define URL_MAX 1024
#define HTTP_LINE_MAX 2048
#define HTTP_HEADERS_MAX 100
#define HTTP_REDIRECTS_MAX 5

enum url_scheme { URL_HTTP, URL_TFTP };

struct url {
	enum url_scheme scheme;
	char host[256];          /* without brackets for an IPv6 literal */
	bool v6;                 /* host is an IPv6 literal ([...]) */
	uint16_t port;
	char path[URL_MAX];      /* from the first '/', query included; "/" when empty */
};

/* 0, or -EINVAL / -EPROTONOSUPPORT (https, ftp, ...) with *why naming what is wrong. */
int url_parse(const char *s, struct url *u, const char **why);
/* A redirect's Location resolved against base: absolute (http://...), absolute path (/x), or
 * relative (x, against base's directory). Same results as url_parse. */
int url_resolve(const struct url *base, const char *loc, struct url *out, const char **why);
/* The URL as text (for logs and for the iPXE/pxelinux relative names). */
size_t url_text(const struct url *u, char *buf, size_t cap);

/* "GET path HTTP/1.1" with Host, User-Agent, Connection: close. Length, or -ENOSPC. */
int http_request(const struct url *u, char *buf, size_t cap);

enum http_err {
	HTTP_E_STATUS = 1,       /* a status other than 2xx/3xx: resp.status */
	HTTP_E_PROTO,            /* not an HTTP/1.x response, or a malformed header */
	HTTP_E_LINE,             /* a line over HTTP_LINE_MAX, or too many headers */
	HTTP_E_TOOBIG,           /* beyond max_body */
	HTTP_E_CHUNK,            /* a malformed chunk size or framing */
	HTTP_E_TRUNCATED,        /* the connection ended before the body did */
	HTTP_E_LENGTH,           /* bytes after Content-Length's end (it lies) */
	HTTP_E_REDIRECT,         /* a 3xx without a usable Location */
	HTTP_E_WRITE,            /* the body callback failed */
	HTTP_E_STATE,            /* fed after the end */
};

/* 0 to go on; any other value stops the parse with HTTP_E_WRITE. */
typedef int (*http_body_fn)(void *arg, const uint8_t *data, size_t len);

struct http_resp {
	uint64_t max_body;
	http_body_fn body;
	void *arg;
	int status;
	int64_t length;          /* Content-Length, -1: none */
	bool chunked;
	char location[URL_MAX];
	uint64_t got;            /* body bytes passed on */
	/* parser state */
	enum { H_STATUS, H_HEADER, H_BODY, H_CHUNK_SIZE, H_CHUNK_DATA, H_CHUNK_END, H_TRAILER,
		H_DONE, H_FAILED } st;
	char line[HTTP_LINE_MAX];
	size_t line_len;
	unsigned headers;
	uint64_t chunk_left;
	const char *why;
};

void http_resp_init(struct http_resp *r, uint64_t max_body, http_body_fn body, void *arg);
/* Feed bytes as they came. 0: more wanted; 1: complete (2xx body whole, or a 3xx's headers:
 * resp.location says where); -HTTP_E_*. */
int http_feed(struct http_resp *r, const uint8_t *in, size_t len);
/* The connection ended: 1 if that ends a body without length, else -HTTP_E_TRUNCATED. */
int http_eof(struct http_resp *r);
const char *http_strerror(int err);

#endif
