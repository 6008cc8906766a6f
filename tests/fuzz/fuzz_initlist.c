/* The initramfs list: each input line goes through the parser; an accepted entry has its source
 * path expanded (variables taken from the input itself) and is written as a cpio entry, and the
 * writer's padding is checked after every entry. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "../../lib/image/cpio.h"
#include "../../lib/image/initlist.h"

static int null_sink(void *ctx, const void *buf, size_t len)
{
	(void)ctx;
	(void)buf;
	(void)len;
	return 0;
}

static const char *lookup(const char *name, void *ctx)
{
	return strlen(name) % 3 ? ctx : NULL;
}

static void check_entry(struct cpio_writer *w, const struct initlist_entry *e, const char *line)
{
	char out[64], big[INITLIST_WORD_MAX * 2 + 16];
	const char *l = e->links;
	struct cpio_hdr h = { .mode = initlist_mode(e), .nlink = e->nlinks };
	int n;

	if (!e->name || !*e->name || e->mode > 07777 || !e->nlinks)
		abort();
	for (unsigned i = 1; i < e->nlinks; i++, l += strlen(l) + 1)
		if (!*l || l < line)
			abort();
	if (e->location) {
		n = initlist_expand(e->location, out, sizeof(out), lookup, "${x}");
		if (n >= 0 && (size_t)n != strlen(out))
			abort();
		n = initlist_expand(e->location, big, sizeof(big), lookup, "value");
		if (n < 0 || (size_t)n != strlen(big))
			abort();
		h.filesize = (uint32_t)strlen(e->location);
	}
	if (cpio_write_entry(w, &h, e->name, e->location) || w->offset % 4)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *p = (const char *)data, *end = p + size;
	struct cpio_writer w;
	char *line = malloc(size + 1), err[128];

	if (!line)
		return 0;
	cpio_writer_init(&w, null_sink, NULL);
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) + 1 : (size_t)(end - p);
		struct initlist_entry e;
		int ret;

		memcpy(line, p, n);
		line[n] = '\0';
		err[0] = '\0';
		ret = initlist_parse_line(line, &e, err, sizeof(err));
		if (ret < 0 && !err[0])
			abort();
		if (ret > 0)
			check_entry(&w, &e, line);
		p += n;
	}
	if (cpio_write_trailer(&w, 512) || w.offset % 512)
		abort();
	free(line);
	return 0;
}
