/* newc cpio writer. The format: a 110-character ASCII header ("070701" and thirteen 8-digit hex
 * fields), the name with its NUL, zeros to a 4-byte boundary, the data, zeros to a 4-byte boundary. */
#include <errno.h>
#include <string.h>
#include <unistd.h>
#include "cpio.h"
#include "../core/fileio.h"

static void put_hex8(char *out, uint32_t v)
{
	static const char digits[] = "0123456789ABCDEF";

	for (int i = 7; i >= 0; i--, v >>= 4)
		out[i] = digits[v & 0xf];
}

void cpio_format_header(char out[CPIO_HDR_LEN], const struct cpio_hdr *h, uint32_t namesize)
{
	const uint32_t fields[13] = {
		h->ino, h->mode, h->uid, h->gid, h->nlink, h->mtime, h->filesize,
		h->devmajor, h->devminor, h->rdevmajor, h->rdevminor, namesize, h->check,
	};

	memcpy(out, "070701", 6);
	for (int i = 0; i < 13; i++)
		put_hex8(out + 6 + 8 * i, fields[i]);
}

void cpio_writer_init(struct cpio_writer *w, cpio_sink_fn sink, void *ctx)
{
	w->sink = sink;
	w->ctx = ctx;
	w->offset = 0;
	w->owed = 0;
}

static int emit(struct cpio_writer *w, const void *buf, size_t len)
{
	int ret;

	if (!len)
		return 0;
	ret = w->sink(w->ctx, buf, len);
	if (ret == 0)
		w->offset += len;
	return ret;
}

static int pad(struct cpio_writer *w, uint32_t align)
{
	static const char zeros[512];
	size_t n = (align - w->offset % align) % align;

	return emit(w, zeros, n);
}

int cpio_write_header(struct cpio_writer *w, const struct cpio_hdr *h, const char *name)
{
	char hdr[CPIO_HDR_LEN];
	size_t namesize = strlen(name) + 1;
	int ret;

	if (w->owed || namesize == 1 || namesize > UINT32_MAX)
		return -EINVAL;
	cpio_format_header(hdr, h, (uint32_t)namesize);
	ret = emit(w, hdr, sizeof(hdr));
	if (!ret)
		ret = emit(w, name, namesize);
	if (!ret)
		ret = pad(w, 4);
	if (!ret)
		w->owed = h->filesize;
	return ret;
}

int cpio_write_data(struct cpio_writer *w, const void *buf, size_t len)
{
	int ret;

	if (len > w->owed)
		return -EINVAL;
	ret = emit(w, buf, len);
	if (ret)
		return ret;
	w->owed -= (uint32_t)len;
	/* A zero-length entry was padded with its name already; padding again is a no-op. */
	return w->owed ? 0 : pad(w, 4);
}

int cpio_write_entry(struct cpio_writer *w, const struct cpio_hdr *h, const char *name,
		     const void *data)
{
	int ret = cpio_write_header(w, h, name);

	if (!ret && h->filesize)
		ret = cpio_write_data(w, data, h->filesize);
	return ret;
}

int cpio_write_trailer(struct cpio_writer *w, uint32_t block)
{
	/* gen_init_cpio's trailer: nlink 1, every other field 0. */
	const struct cpio_hdr h = { .nlink = 1 };
	int ret = cpio_write_header(w, &h, "TRAILER!!!");

	if (!ret && block)
		ret = pad(w, block);
	return ret;
}

int cpio_sink_fd(void *ctx, const void *buf, size_t len)
{
	return fd_write_all(*(const int *)ctx, buf, len);
}
