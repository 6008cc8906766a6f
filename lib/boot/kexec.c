/* kexec_file_load(2): the kernel reads the image from a file descriptor, checks it (and its
 * signature where the kernel requires one) and keeps it until reboot(LINUX_REBOOT_CMD_KEXEC).
 * Two things it will not do, so ferry does them: inflate a gzip'd arm64 Image.gz (x86 bzImages
 * decompress themselves), and take more than one initrd (they are concatenated into a memfd, as
 * GRUB does, each padded to 4 bytes so the kernel's cpio reader finds the next header). */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/reboot.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>
#include "kexec.h"
#include "../core/fileio.h"

/* From <linux/kexec.h> and <linux/reboot.h>, which the musl sysroot does not carry. */
#define KEXEC_FILE_UNLOAD       0x1
#define KEXEC_FILE_NO_INITRAMFS 0x4
#define REBOOT_CMD_KEXEC        0x45584543
#define CHUNK (128 * 1024)

int kexec_is_gzip(int fd)
{
	unsigned char m[2];

	return pread(fd, m, 2, 0) == 2 && m[0] == 0x1f && m[1] == 0x8b;
}

/* One read's worth of input through inflate; *end set at the end of the gzip member. */
static int gunzip_chunk(z_stream *z, int out, unsigned char *obuf, int *end)
{
	do {
		z->next_out = obuf;
		z->avail_out = CHUNK;
		int r = inflate(z, Z_NO_FLUSH);
		if (r == Z_NEED_DICT || r == Z_DATA_ERROR || r == Z_STREAM_ERROR)
			return -EILSEQ;
		if (r == Z_MEM_ERROR)
			return -ENOMEM;
		int w = fd_write_all(out, obuf, CHUNK - z->avail_out);
		if (w)
			return w;
		if (r == Z_STREAM_END) {
			*end = 1;  /* padding after the member (common in Image.gz) is ignored */
			return 0;
		}
		if (r == Z_BUF_ERROR && z->avail_in == 0)
			return 0;
	} while (z->avail_out == 0 || z->avail_in);
	return 0;
}

int kexec_gunzip(int in, int out)
{
	unsigned char *ibuf = malloc(CHUNK), *obuf = malloc(CHUNK);
	z_stream z = { 0 };
	int ret = -ENOMEM, end = 0;

	if (!ibuf || !obuf || inflateInit2(&z, 16 + MAX_WBITS) != Z_OK)
		goto out;
	ret = 0;
	while (!ret && !end) {
		ssize_t n = read(in, ibuf, CHUNK);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			ret = n < 0 ? -errno : -EILSEQ;  /* the stream ended before the gzip trailer */
			break;
		}
		z.next_in = ibuf;
		z.avail_in = (unsigned)n;
		ret = gunzip_chunk(&z, out, obuf, &end);
	}
	inflateEnd(&z);
out:
	free(ibuf);
	free(obuf);
	return ret;
}

static int copy_fd(int in, int out, off_t *total)
{
	unsigned char *buf = malloc(CHUNK);
	ssize_t n;
	int ret = 0;

	if (!buf)
		return -ENOMEM;
	while ((n = read(in, buf, CHUNK)) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 || (ret = fd_write_all(out, buf, (size_t)n))) {
			ret = n < 0 ? -errno : ret;
			break;
		}
		*total += n;
	}
	free(buf);
	return ret;
}

/* The kernel as a readable fd: the file itself, or its inflated copy in a memfd. */
static const char *open_kernel(struct kexec_image *img, int *fd, int *err)
{
	int in = file_open_regular(img->kernel);  /* named by a boot entry on a disk */

	*err = 0;
	if (in < 0)
		return *err = in, "opening the kernel";
	if (!kexec_is_gzip(in)) {
		*fd = in;
		return NULL;
	}
	img->inflated = 1;
	*fd = memfd_create("ferry-kernel", MFD_CLOEXEC);
	if (*fd < 0) {
		*err = -errno;
		close(in);
		return "creating a memfd for the inflated kernel";
	}
	*err = kexec_gunzip(in, *fd);
	close(in);
	return *err ? "inflating the gzip kernel" : NULL;
}

int kexec_concat(const char *const *paths, size_t n)
{
	static const unsigned char zero[4];
	off_t total = 0;
	int fd, err = 0;

	if ((fd = memfd_create("ferry-initrd", MFD_CLOEXEC)) < 0)
		return -errno;
	for (size_t i = 0; i < n && !err; i++) {
		int in = file_open_regular(paths[i]);
		if (in < 0) {
			err = in;
			break;
		}
		err = copy_fd(in, fd, &total);
		close(in);
		if (!err && total % 4) {
			err = fd_write_all(fd, zero, (size_t)(4 - total % 4));
			total += 4 - total % 4;
		}
	}
	if (err) {
		close(fd);
		return err;
	}
	return fd;
}

/* No initrd: -1. One: the file itself. Several: one memfd. */
static const char *open_initrd(const struct kexec_image *img, int *fd, int *err)
{
	*fd = -1;
	*err = 0;
	if (img->ninitrd == 0)
		return NULL;
	*fd = img->ninitrd == 1 ? file_open_regular(img->initrd[0]) : kexec_concat(img->initrd, img->ninitrd);
	if (*fd < 0) {
		*err = *fd;
		*fd = -1;
		return img->ninitrd == 1 ? "opening the initrd" : "concatenating the initrds";
	}
	return NULL;
}

const char *kexec_load(struct kexec_image *img, int *err)
{
	const char *step, *cmd = img->cmdline ? img->cmdline : "";
	int kfd = -1, ifd = -1;
	struct timespec a, b;

	img->inflated = 0;
	img->syscall_us = 0;
	if ((step = open_kernel(img, &kfd, err)) || (step = open_initrd(img, &ifd, err)))
		goto out;
	clock_gettime(CLOCK_MONOTONIC, &a);
	long r = syscall(SYS_kexec_file_load, kfd, ifd, strlen(cmd) + 1, cmd,
			 ifd < 0 ? KEXEC_FILE_NO_INITRAMFS : 0);
	*err = r < 0 ? -errno : 0;
	clock_gettime(CLOCK_MONOTONIC, &b);
	img->syscall_us = (uint64_t)(b.tv_sec - a.tv_sec) * 1000000 + (uint64_t)((b.tv_nsec - a.tv_nsec) / 1000);
	step = r < 0 ? "kexec_file_load" : NULL;
out:
	if (kfd >= 0)
		close(kfd);
	if (ifd >= 0)
		close(ifd);
	return step;
}

int kexec_unload(void)
{
	return syscall(SYS_kexec_file_load, -1, -1, 0, NULL, KEXEC_FILE_UNLOAD) < 0 ? -errno : 0;
}

int kexec_signature_refused(int err)
{
	return err == -EKEYREJECTED || err == -ENOKEY || err == -EBADMSG;
}

const char *kexec_explain(int err)
{
	switch (-err) {
	case ENOEXEC:
		return "the running kernel does not recognise this image (x86 takes a bzImage, arm64 an Image; "
		       "or the file is not a kernel for this architecture)";
	case EKEYREJECTED:
	case ENOKEY:
	case EBADMSG:
		return "the kernel refused the image's signature (CONFIG_KEXEC_SIG: not signed by a key the running "
		       "kernel trusts); ferry does not fall back to anything unverified";
	case EPERM:
		return "kexec is not permitted: under kernel lockdown the image must carry a signature the running "
		       "kernel trusts (or kernel.kexec_load_disabled=1, or no CAP_SYS_BOOT)";
	case ENOSYS:
		return "the running kernel has no kexec_file_load (CONFIG_KEXEC_FILE)";
	case EBUSY:
		return "another kexec image is being loaded";
	case ENOMEM:
		return "not enough memory to stage the image";
	case EINVAL:
#ifdef __aarch64__
		return "arm64's kexec_file_load takes only a raw Image (ferry inflates Image.gz and unwraps EFI zboot "
		       "before it) and no device tree of its own; or the command line is too long for it";
#else
		return "the kernel rejected the arguments (command line too long for it?)";
#endif
	case EILSEQ:
		return "the gzip data is corrupt or cut short";
	default:
		return "";
	}
}

int kexec_reboot(void)
{
	sync();
	return reboot(REBOOT_CMD_KEXEC) < 0 ? -errno : 0;
}
