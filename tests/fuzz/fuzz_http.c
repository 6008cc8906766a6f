/* The HTTP response parser fed a response in pieces (byte 0: the piece size), then the end of the
 * connection; and the URL parser and resolver on the first line. The body never goes beyond the
 * limit or past what was fed. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "../../lib/net/http.h"

static uint64_t stored;

static int store(void *arg, const uint8_t *p, size_t n)
{
	(void)arg;
	(void)p;
	stored += n;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct http_resp r;
	struct url u, v;
	const char *why;
	char line[URL_MAX + 100], req[URL_MAX + 400];
	size_t step, n;
	int ret = 0;

	if (size < 1)
		return 0;
	step = data[0] ? data[0] : 1;
	n = size - 1 < sizeof(line) - 1 ? size - 1 : sizeof(line) - 1;
	memcpy(line, data + 1, n);
	line[n] = 0;
	if (strchr(line, '\n'))
		*strchr(line, '\n') = 0;
	if (!url_parse(line, &u, &why)) {
		(void)http_request(&u, req, sizeof(req));
		(void)url_resolve(&u, "../x/y?z", &v, &why);
		(void)url_resolve(&u, "/abs", &v, &why);
	}
	if (url_parse("http://10.0.0.1/a/b", &u, &why))
		abort();
	(void)url_resolve(&u, line, &v, &why);

	stored = 0;
	http_resp_init(&r, 4096, store, NULL);
	for (size_t i = 1; i < size && !ret; i += step)
		ret = http_feed(&r, data + i, size - i < step ? size - i : step);
	if (!ret)
		ret = http_eof(&r);
	if (stored > 4096 || stored > size || stored != r.got)
		abort();
	return 0;
}
