#include <errno.h>
#include <stdlib.h>
#include "t.h"
#include "../../lib/net/http.h"

static char got[4096];
static size_t ngot;

static int store(void *arg, const uint8_t *p, size_t n)
{
	(void)arg;
	if (ngot + n > sizeof(got))
		return -1;
	memcpy(got + ngot, p, n);
	ngot += n;
	return 0;
}

/* Feed s in pieces of `step` bytes; the first nonzero result. */
static int feed(struct http_resp *r, const char *s, size_t step)
{
	size_t n = strlen(s);
	int ret = 0;

	ngot = 0;
	for (size_t i = 0; i < n && !ret; i += step)
		ret = http_feed(r, (const uint8_t *)s + i, n - i < step ? n - i : step);
	return ret;
}

int main(void)
{
	struct url u, v;
	struct http_resp r;
	const char *why;
	char buf[2048];

	T_EQ(url_parse("http://10.0.0.1/boot/ipxe.txt", &u, &why), 0);
	T_EQ(u.scheme, URL_HTTP);
	T_STREQ(u.host, "10.0.0.1");
	T_EQ(u.port, 80);
	T_STREQ(u.path, "/boot/ipxe.txt");
	T_EQ(url_parse("HTTP://[fd00::1]:8080", &u, &why), 0);
	T_OK(u.v6);
	T_STREQ(u.host, "fd00::1");
	T_EQ(u.port, 8080);
	T_STREQ(u.path, "/");
	url_text(&u, buf, sizeof(buf));
	T_STREQ(buf, "http://[fd00::1]:8080/");
	T_EQ(url_parse("tftp://10.0.0.1/pxelinux.cfg/", &u, &why), 0);
	T_EQ(u.scheme, URL_TFTP);
	T_EQ(u.port, 69);
	T_EQ(url_parse("https://10.0.0.1/x", &u, &why), -EPROTONOSUPPORT);
	T_OK(strstr(why, "no TLS") != NULL);
	T_EQ(url_parse("ftp://x/", &u, &why), -EPROTONOSUPPORT);
	T_EQ(url_parse("http://a@b/", &u, &why), -EINVAL);
	T_EQ(url_parse("http://h:0/", &u, &why), -EINVAL);
	T_EQ(url_parse("http://h:65536/", &u, &why), -EINVAL);
	T_EQ(url_parse("http:///x", &u, &why), -EINVAL);
	T_EQ(url_parse("http://h/a b", &u, &why), -EINVAL);
	T_EQ(url_parse("http://[fd00::1/", &u, &why), -EINVAL);
	T_EQ(url_parse("http://h/x#frag", &u, &why), 0);
	T_STREQ(u.path, "/x");

	/* Redirects: absolute, absolute path, relative. */
	T_EQ(url_parse("http://10.0.0.1:8000/a/b/c?q=1", &u, &why), 0);
	T_EQ(url_resolve(&u, "http://10.0.0.2/z", &v, &why), 0);
	T_STREQ(v.host, "10.0.0.2");
	T_EQ(url_resolve(&u, "/root", &v, &why), 0);
	url_text(&v, buf, sizeof(buf));
	T_STREQ(buf, "http://10.0.0.1:8000/root");
	T_EQ(url_resolve(&u, "d", &v, &why), 0);
	url_text(&v, buf, sizeof(buf));
	T_STREQ(buf, "http://10.0.0.1:8000/a/b/d");
	T_EQ(url_resolve(&u, "../x/./y/../z?p=../q", &v, &why), 0);
	T_STREQ(v.path, "/a/x/z?p=../q");
	T_EQ(url_resolve(&u, "../../../../etc", &v, &why), 0);
	T_STREQ(v.path, "/etc");
	T_EQ(url_resolve(&u, "..", &v, &why), 0);
	T_STREQ(v.path, "/a/");

	T_EQ(url_parse("http://10.0.0.1:8000/k", &u, &why), 0);
	T_OK(http_request(&u, buf, sizeof(buf)) > 0);
	T_STREQ(buf, "GET /k HTTP/1.1\r\nHost: 10.0.0.1:8000\r\nUser-Agent: ferry\r\nAccept: */*\r\nConnection: close\r\n\r\n");
	T_EQ(http_request(&u, buf, 10), -ENOSPC);

	/* Content-Length, whole and byte by byte. */
	static const char ok[] = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nServer: x\r\n\r\nhello";
	for (size_t step = 1; step <= sizeof(ok); step += 7) {
		http_resp_init(&r, 100, store, NULL);
		T_EQ(feed(&r, ok, step), 1);
		T_EQ(ngot, 5);
		T_MEMEQ(got, "hello", 5);
	}
	/* A Content-Length that lies: more bytes than it says, fewer (then the end). */
	http_resp_init(&r, 100, store, NULL);
	T_EQ(feed(&r, "HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nhello", 100), -HTTP_E_LENGTH);
	T_EQ(ngot, 3);
	http_resp_init(&r, 100, store, NULL);
	T_EQ(feed(&r, "HTTP/1.1 200 OK\r\nContent-Length: 30\r\n\r\nhello", 100), 0);
	T_EQ(http_eof(&r), -HTTP_E_TRUNCATED);
	http_resp_init(&r, 100, store, NULL);
	T_EQ(feed(&r, "HTTP/1.1 200 OK\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\n", 100), -HTTP_E_PROTO);
	http_resp_init(&r, 100, store, NULL);
	T_EQ(feed(&r, "HTTP/1.1 200 OK\r\nContent-Length: -3\r\n\r\n", 100), -HTTP_E_PROTO);
	/* Beyond the limit: said, or sent without length. */
	http_resp_init(&r, 4, store, NULL);
	T_EQ(feed(&r, "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n", 100), -HTTP_E_TOOBIG);
	http_resp_init(&r, 4, store, NULL);
	T_EQ(feed(&r, "HTTP/1.0 200 OK\n\nhello", 100), -HTTP_E_TOOBIG);
	/* No length: the body ends with the connection. */
	http_resp_init(&r, 100, store, NULL);
	T_EQ(feed(&r, "HTTP/1.0 200 OK\n\nhello", 3), 0);
	T_EQ(http_eof(&r), 1);
	T_EQ(ngot, 5);

	/* Chunked, with extensions and a trailer, in pieces. */
	static const char ch[] = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
		"4;x=y\r\nWiki\r\n5\r\npedia\r\nE\r\n in\r\n\r\nchunks.\r\n0\r\nX-T: 1\r\n\r\n";
	for (size_t step = 1; step <= sizeof(ch); step += 5) {
		http_resp_init(&r, 100, store, NULL);
		T_EQ(feed(&r, ch, step), 1);
		T_EQ(ngot, 23);
		T_MEMEQ(got, "Wikipedia in\r\n\r\nchunks.", 23);
	}
	/* Endless chunks: stopped at the limit. Bad sizes and framing. */
	http_resp_init(&r, 1000, store, NULL);
	{
		int ret = feed(&r, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n", 100);
		for (int i = 0; i < 1000 && !ret; i++)
			ret = http_feed(&r, (const uint8_t *)"10\r\n0123456789abcdef\r\n", 22);
		T_EQ(ret, -HTTP_E_TOOBIG);
		T_OK(r.got <= 1000);
	}
	http_resp_init(&r, 0, store, NULL);
	T_EQ(feed(&r, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nfffffffffffffffff\r\n", 100), -HTTP_E_CHUNK);
	http_resp_init(&r, 0, store, NULL);
	T_EQ(feed(&r, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", 100), -HTTP_E_CHUNK);
	http_resp_init(&r, 0, store, NULL);
	T_EQ(feed(&r, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabc\r\n", 100), -HTTP_E_CHUNK);
	http_resp_init(&r, 0, store, NULL);
	T_EQ(feed(&r, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nab\r\n", 100), 0);
	T_EQ(http_eof(&r), -HTTP_E_TRUNCATED);
	http_resp_init(&r, 0, store, NULL);
	T_EQ(feed(&r, "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n", 100), -HTTP_E_PROTO);

	/* Redirects: Location kept, the body not stored. */
	http_resp_init(&r, 100, store, NULL);
	T_EQ(feed(&r, "HTTP/1.1 302 Found\r\nLocation: /other\r\nContent-Length: 4\r\n\r\nbody", 100), 1);
	T_EQ(r.status, 302);
	T_STREQ(r.location, "/other");
	T_EQ(ngot, 0);
	http_resp_init(&r, 100, store, NULL);
	T_EQ(feed(&r, "HTTP/1.1 301 Moved\r\n\r\n", 100), -HTTP_E_REDIRECT);

	/* Statuses, garbage, long lines, too many headers, headers cut short. */
	http_resp_init(&r, 100, store, NULL);
	T_EQ(feed(&r, "HTTP/1.1 404 Not Found\r\nContent-Length: 3\r\n\r\nno!", 100), -HTTP_E_STATUS);
	T_EQ(r.status, 404);
	T_EQ(ngot, 0);
	http_resp_init(&r, 100, store, NULL);
	T_EQ(feed(&r, "SSH-2.0-OpenSSH\r\n", 100), -HTTP_E_PROTO);
	http_resp_init(&r, 100, store, NULL);
	T_EQ(feed(&r, "HTTP/1.1 200 OK\r\nbad header\r\n", 100), -HTTP_E_PROTO);
	http_resp_init(&r, 100, store, NULL);
	{
		static char big[HTTP_LINE_MAX + 10];
		memset(big, 'x', sizeof(big) - 1);
		T_EQ(feed(&r, big, 100), -HTTP_E_LINE);
	}
	http_resp_init(&r, 100, store, NULL);
	{
		int ret = feed(&r, "HTTP/1.1 200 OK\r\n", 100);
		for (int i = 0; i < 200 && !ret; i++)
			ret = http_feed(&r, (const uint8_t *)"X-A: b\r\n", 8);
		T_EQ(ret, -HTTP_E_LINE);
	}
	http_resp_init(&r, 100, store, NULL);
	T_EQ(feed(&r, "HTTP/1.1 200 OK\r\nContent-", 100), 0);
	T_EQ(http_eof(&r), -HTTP_E_TRUNCATED);
	T_EQ(http_feed(&r, (const uint8_t *)"x", 1), -HTTP_E_STATE);
	T_STREQ(http_strerror(-HTTP_E_LENGTH), "more bytes than Content-Length");
	return T_DONE();
}
