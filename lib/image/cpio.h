/* newc ("070701") cpio archives, written through a caller-supplied sink: the host tool
 * (build/mkinitramfs) and PID 1 share this writer. */
#ifndef FERRY_CPIO_H
#define FERRY_CPIO_H
#include <stddef.h>
#include <stdint.h>

#define CPIO_HDR_LEN 110

/* Every field of a newc header but the magic and the name size (taken from the name). */
struct cpio_hdr {
	uint32_t ino, mode, uid, gid, nlink, mtime, filesize;
	uint32_t devmajor, devminor, rdevmajor, rdevminor;
	uint32_t check;
};

/* Writes all of buf or fails: returns 0 or -errno. */
typedef int (*cpio_sink_fn)(void *ctx, const void *buf, size_t len);

struct cpio_writer {
	cpio_sink_fn sink;
	void *ctx;
	uint64_t offset;   /* bytes written so far; the newc padding is relative to the archive start */
	uint32_t owed;     /* file data still to come for the current entry */
};

/* The 110 header characters for a name of namesize bytes (its NUL included). Pure. */
void cpio_format_header(char out[CPIO_HDR_LEN], const struct cpio_hdr *h, uint32_t namesize);

void cpio_writer_init(struct cpio_writer *w, cpio_sink_fn sink, void *ctx);
/* Header, name (written as given: strip a leading '/' before) and padding. -EINVAL if the
 * previous entry's data is incomplete or the name is empty. */
int cpio_write_header(struct cpio_writer *w, const struct cpio_hdr *h, const char *name);
/* The entry's data, in as many pieces as convenient; padding follows its last byte.
 * -EINVAL for more bytes than h->filesize announced. */
int cpio_write_data(struct cpio_writer *w, const void *buf, size_t len);
/* Header, name and all h->filesize bytes of data in one call. */
int cpio_write_entry(struct cpio_writer *w, const struct cpio_hdr *h, const char *name,
		     const void *data);
/* The TRAILER!!! entry, then zeros up to a multiple of block bytes (gen_init_cpio: 512; 0: none). */
int cpio_write_trailer(struct cpio_writer *w, uint32_t block);

/* A sink for cpio_writer_init: ctx points to an int fd; retries short writes and EINTR. */
int cpio_sink_fd(void *ctx, const void *buf, size_t len);

#endif
