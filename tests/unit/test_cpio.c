/* lib/image/cpio.c: header bytes, padding, data accounting, the trailer, the fd sink. */
#include <errno.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/stat.h>
#include "t.h"
#include "../../lib/image/cpio.h"

struct mem {
	char buf[4096];
	size_t len;
	int fail_after;  /* calls before the sink fails with -ENOSPC; 0: never */
	int calls;
};

static int mem_sink(void *ctx, const void *buf, size_t len)
{
	struct mem *m = ctx;

	if (m->fail_after && ++m->calls > m->fail_after)
		return -ENOSPC;
	if (m->len + len > sizeof(m->buf))
		return -ENOSPC;
	memcpy(m->buf + m->len, buf, len);
	m->len += len;
	return 0;
}

static void test_header(void)
{
	const struct cpio_hdr h = { .ino = 721, .mode = 040755, .uid = 1, .gid = 0xabcdef01,
				    .nlink = 2, .mtime = 0x12345678, .filesize = 0,
				    .devmajor = 3, .devminor = 1, .rdevmajor = 5, .rdevminor = 1,
				    .check = 0xffffffff };
	char out[CPIO_HDR_LEN + 1] = { 0 };

	cpio_format_header(out, &h, 4);
	T_STREQ(out, "070701" "000002D1" "000041ED" "00000001" "ABCDEF01" "00000002" "12345678"
		"00000000" "00000003" "00000001" "00000005" "00000001" "00000004" "FFFFFFFF");
}

static void test_entries(void)
{
	struct mem m = { .len = 0 };
	struct cpio_writer w;
	struct cpio_hdr h = { .mode = 0100644, .nlink = 1, .filesize = 5 };

	cpio_writer_init(&w, mem_sink, &m);
	/* 110 + "ab\0" = 113, padded to 116; 5 bytes of data padded to 8. */
	T_EQ(cpio_write_header(&w, &h, "ab"), 0);
	T_EQ(m.len, 116);
	T_EQ(cpio_write_header(&w, &h, "cd"), -EINVAL);   /* data still owed */
	T_EQ(cpio_write_data(&w, "hel", 3), 0);
	T_EQ(cpio_write_data(&w, "lo!", 3), -EINVAL);     /* one byte too many */
	T_EQ(cpio_write_data(&w, "lo", 2), 0);
	T_EQ(m.len, 124);
	T_MEMEQ(m.buf + 113, "\0\0\0hello\0\0\0", 11);
	T_EQ(w.offset, 124);

	/* A name that ends on a 4-byte boundary gets no padding: 110 + "abcdefghi\0" = 120. */
	h.filesize = 0;
	T_EQ(cpio_write_header(&w, &h, "abcdefghi"), 0);
	T_EQ(m.len, 244);
	T_EQ(cpio_write_header(&w, &h, ""), -EINVAL);

	T_EQ(cpio_write_trailer(&w, 512), 0);
	T_EQ(m.len, 512);
	T_MEMEQ(m.buf + 244, "070701", 6);
	T_MEMEQ(m.buf + 244 + 110, "TRAILER!!!\0", 11);
	T_MEMEQ(m.buf + 244 + 6 + 4 * 8, "00000001", 8);  /* nlink 1, as gen_init_cpio */
	T_OK(m.buf[511] == 0);
}

static void test_entry_and_errors(void)
{
	struct mem m = { .fail_after = 1 };
	struct cpio_writer w;
	const struct cpio_hdr h = { .mode = 0120777, .filesize = 6 };

	cpio_writer_init(&w, mem_sink, &m);
	T_EQ(cpio_write_entry(&w, &h, "link", "/init"), -ENOSPC);  /* the sink's error comes back */
	T_EQ(w.offset, 110);                                      /* only the header went out */

	m = (struct mem){ .len = 0 };
	cpio_writer_init(&w, mem_sink, &m);
	T_EQ(cpio_write_entry(&w, &h, "link", "/init"), 0);
	T_EQ(m.len, 124);   /* 110 + "link\0" -> 115, padded 116; + 6 -> 122, padded 124 */
	T_MEMEQ(m.buf + 116, "/init\0\0\0", 8);
	T_EQ(cpio_write_trailer(&w, 0), 0);
	T_EQ(m.len % 4, 0);
	T_OK(m.len < 512);
}

static void test_fd_sink(void)
{
	char path[] = "/tmp/test_cpio.XXXXXX", back[64];
	int fd = mkstemp(path);
	struct cpio_writer w;
	struct stat st;
	const struct cpio_hdr h = { .mode = 040755, .nlink = 2 };

	T_OK(fd >= 0);
	cpio_writer_init(&w, cpio_sink_fd, &fd);
	T_EQ(cpio_write_entry(&w, &h, "dev", NULL), 0);
	T_EQ(cpio_write_trailer(&w, 512), 0);
	T_EQ(fstat(fd, &st), 0);
	T_EQ(st.st_size, 512);
	T_EQ(pread(fd, back, 6, 0), 6);
	T_MEMEQ(back, "070701", 6);
	close(fd);
	unlink(path);
	fd = -1;
	T_EQ(cpio_sink_fd(&fd, "x", 1), -EBADF);
}

int main(void)
{
	test_header();
	test_entries();
	test_entry_and_errors();
	test_fd_sink();
	return T_DONE();
}
