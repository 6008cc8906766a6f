/* The parts of loading a kernel that run without a kernel to load: gzip inflation (arm64 Image.gz)
 * into a memfd, the gzip check, initrd concatenation, and the explanations of kexec errors.
 * kexec_file_load itself is exercised by the VM scenarios. */
#include "t.h"
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>
#include "../../lib/boot/kexec.h"

static unsigned char *data;
static size_t data_len = 3 * 1024 * 1024 + 123;   /* spans many 128 KiB chunks */

/* gzip of data, as `gzip -9` would write it. */
static size_t gz(unsigned char *out, size_t cap, const unsigned char *in, size_t n)
{
	z_stream z = { 0 };
	deflateInit2(&z, 9, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY);
	z.next_in = (unsigned char *)in;
	z.avail_in = (unsigned)n;
	z.next_out = out;
	z.avail_out = (unsigned)cap;
	deflate(&z, Z_FINISH);
	size_t len = cap - z.avail_out;
	deflateEnd(&z);
	return len;
}

static int memfd_with(const void *p, size_t n)
{
	int fd = memfd_create("t", 0);
	if (write(fd, p, n) != (ssize_t)n)
		return -1;
	lseek(fd, 0, SEEK_SET);
	return fd;
}

static int inflate_from(const unsigned char *p, size_t n, int *out)
{
	int in = memfd_with(p, n), r;
	*out = memfd_create("o", 0);
	r = kexec_gunzip(in, *out);
	close(in);
	return r;
}

static void test_gunzip(void)
{
	size_t cap = data_len + 4096;
	unsigned char *z = malloc(cap + 512), *back = malloc(data_len + 1);
	size_t zn = gz(z, cap, data, data_len);
	int out;

	T_OK(zn > 100 && zn < data_len);
	int in = memfd_with(z, zn);
	T_EQ(kexec_is_gzip(in), 1);
	close(in);
	in = memfd_with(data, 64);
	T_EQ(kexec_is_gzip(in), 0);      /* a bzImage starts with the boot sector, not 1f 8b */
	close(in);

	T_EQ(inflate_from(z, zn, &out), 0);
	T_EQ(lseek(out, 0, SEEK_END), (off_t)data_len);
	T_EQ(pread(out, back, data_len + 1, 0), (ssize_t)data_len);
	T_OK(!memcmp(back, data, data_len));
	close(out);

	memset(z + zn, 0, 512);          /* padding after the member, as in some Image.gz */
	T_EQ(inflate_from(z, zn + 512, &out), 0);
	T_EQ(lseek(out, 0, SEEK_END), (off_t)data_len);
	close(out);

	T_EQ(inflate_from(z, zn / 2, &out), -EILSEQ);   /* truncated */
	close(out);
	z[zn / 2] ^= 0xff;
	z[zn / 2 + 1] ^= 0x55;
	T_EQ(inflate_from(z, zn, &out), -EILSEQ);       /* corrupt */
	close(out);
	T_EQ(inflate_from((const unsigned char *)"", 0, &out), -EILSEQ);
	close(out);
	free(z);
	free(back);
}

static void test_concat(void)
{
	char d[] = "/tmp/test_kexec_gz.XXXXXX", p1[64], p2[64], p3[64];
	unsigned char buf[32];
	T_OK(mkdtemp(d) != NULL);
	snprintf(p1, sizeof(p1), "%s/a", d);
	snprintf(p2, sizeof(p2), "%s/b", d);
	snprintf(p3, sizeof(p3), "%s/missing", d);
	int fd = open(p1, O_CREAT | O_WRONLY, 0600);
	T_EQ(write(fd, "12345", 5), 5);
	close(fd);
	fd = open(p2, O_CREAT | O_WRONLY, 0600);
	T_EQ(write(fd, "abcd", 4), 4);
	close(fd);
	const char *const two[] = { p1, p2 }, *const bad[] = { p1, p3 };
	fd = kexec_concat(two, 2);
	T_OK(fd >= 0);
	T_EQ(pread(fd, buf, sizeof(buf), 0), 12);   /* 5 + 3 zeros + 4 */
	T_MEMEQ(buf, "12345\0\0\0abcd", 12);
	close(fd);
	T_EQ(kexec_concat(bad, 2), -ENOENT);
	/* A FIFO named by a boot entry: refused at once, not an open that blocks PID 1 for ever
	 * (alarm in main turns a block into a failure). */
	T_EQ(mkfifo(p3, 0600), 0);
	T_EQ(kexec_concat(bad, 2), -EINVAL);
	struct kexec_image img = { .kernel = p3 };
	int err = 0;
	T_STREQ(kexec_load(&img, &err), "opening the kernel");
	T_EQ(err, -EINVAL);
	const char *const dir[] = { d };
	T_EQ(kexec_concat(dir, 1), -EISDIR);
	unlink(p3);
	unlink(p1);
	unlink(p2);
	rmdir(d);
}

static void test_explain(void)
{
	T_OK(strstr(kexec_explain(-ENOEXEC), "does not recognise") != NULL);
	T_OK(strstr(kexec_explain(-EPERM), "lockdown") != NULL);
	T_OK(strstr(kexec_explain(-EILSEQ), "gzip") != NULL);
	T_OK(strstr(kexec_explain(-EKEYREJECTED), "signature") != NULL);
	T_EQ(kexec_signature_refused(-EKEYREJECTED), 1);
	T_EQ(kexec_signature_refused(-ENOKEY), 1);
	T_EQ(kexec_signature_refused(-EBADMSG), 1);
	T_EQ(kexec_signature_refused(-ENOEXEC), 0);
	T_EQ(kexec_signature_refused(-EPERM), 0);
}

int main(void)
{
	alarm(60);
	data = malloc(data_len);
	uint32_t x = 12345;
	for (size_t i = 0; i < data_len; i++) {   /* compressible but not trivial, like a kernel */
		x = x * 1103515245 + 12345;
		data[i] = (i % 7) ? (unsigned char)(x >> 24) & 0x1f : (unsigned char)i;
	}
	test_gunzip();
	test_concat();
	test_explain();
	free(data);
	return T_DONE();
}
