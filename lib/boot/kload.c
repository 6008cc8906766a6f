/* One entry from its files to a loaded kexec image. The kernel file is mapped, identified and, when
 * it is gzip or EFI zboot, inflated with zlib into a memfd (timed on its own, for the benchmark);
 * a UKI's sections are used in place. Then kexec_file_load, or on arm64 kexec_load with ferry's
 * segments: a kernel without CONFIG_KEXEC_FILE answers ENOSYS and the same entry goes that way. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>
#include "fdt.h"
#include "kexec.h"
#include "kload.h"
#include "../core/fileio.h"

#define KERNEL_MAX (512ul << 20)
#define CHUNK (256 * 1024)
#define KEXEC_FILE_NO_INITRAMFS 0x4

/* A byte range ferry owns: mapped from a file or a memfd (munmap'd), or malloc'd (free'd). */
struct blob {
	void *p;
	size_t len;
	int mapped, fd;
};

struct kl {
	const struct kload_req *r;
	struct kload_res *res;
	struct blob file, kernel, initrd, dtb;   /* kernel and initrd may point into file (a UKI) */
	int kernel_own, initrd_own;
	struct kload_span *ispan;                /* with measure: each initrd file inside initrd */
	char cmdline[4096];
	struct kimg k;
};

static uint64_t now_us(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (uint64_t)t.tv_sec * 1000000 + (uint64_t)t.tv_nsec / 1000;
}

static void blob_free(struct blob *b)
{
	if (b->mapped && b->p)
		munmap(b->p, b->len);
	else
		free(b->p);
	if (b->fd >= 0)
		close(b->fd);
	b->p = NULL;
	b->fd = -1;
}

/* A regular file mapped read-only, its fd kept (kexec_file_load can take it as it is). */
static int blob_map(const char *path, struct blob *b)
{
	struct stat st;

	b->fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	if (b->fd < 0)
		return -errno;
	if (fstat(b->fd, &st) < 0)
		return -errno;
	if (!S_ISREG(st.st_mode) || st.st_size <= 0)
		return -EINVAL;
	if ((uint64_t)st.st_size > KERNEL_MAX)
		return -EFBIG;
	b->len = (size_t)st.st_size;
	b->p = mmap(NULL, b->len, PROT_READ, MAP_PRIVATE, b->fd, 0);
	if (b->p == MAP_FAILED) {
		b->p = NULL;
		return -errno;
	}
	b->mapped = 1;
	return 0;
}

/* A memfd holding n bytes written by the caller, mapped back for reading. */
static int memfd_map(struct blob *b)
{
	off_t n = lseek(b->fd, 0, SEEK_END);

	if (n <= 0)
		return n < 0 ? -errno : -EINVAL;
	b->len = (size_t)n;
	b->p = mmap(NULL, b->len, PROT_READ, MAP_PRIVATE, b->fd, 0);
	if (b->p == MAP_FAILED) {
		b->p = NULL;
		return -errno;
	}
	b->mapped = 1;
	return (int)lseek(b->fd, 0, SEEK_SET) < 0 ? -errno : 0;
}

/* gzip in memory into a memfd: -EILSEQ for corrupt data, or -errno. Trailing padding is ignored. */
static int inflate_to(const uint8_t *in, size_t len, struct blob *out)
{
	unsigned char *buf = malloc(CHUNK);
	z_stream z = { 0 };
	int ret = -ENOMEM, r = Z_OK;

	out->fd = memfd_create("ferry-kernel", MFD_CLOEXEC);
	if (out->fd < 0)
		ret = -errno;
	if (out->fd < 0 || !buf || inflateInit2(&z, 16 + MAX_WBITS) != Z_OK)
		goto out;
	z.next_in = (unsigned char *)in;
	z.avail_in = (unsigned)(len > UINT32_MAX ? UINT32_MAX : len);
	for (ret = 0; !ret && r != Z_STREAM_END;) {
		z.next_out = buf;
		z.avail_out = CHUNK;
		r = inflate(&z, Z_NO_FLUSH);
		if (r != Z_OK && r != Z_STREAM_END)
			ret = r == Z_MEM_ERROR ? -ENOMEM : -EILSEQ;   /* Z_BUF_ERROR: cut short */
		else
			ret = fd_write_all(out->fd, buf, CHUNK - z.avail_out);
	}
	inflateEnd(&z);
	if (!ret)
		ret = memfd_map(out);
out:
	free(buf);
	return ret;
}

/* A named refusal of the format, unless the kernel is to judge it: a file ferry does not recognise
 * goes to kexec_file_load as it is (its ENOEXEC is the answer), but never to ferry's own loader. */
static const char *kl_refuse(struct kl *s, const struct kimg *k, int *err)
{
	const char *why = k->fmt == KIMG_UNKNOWN ? NULL : kimg_refusal(k, s->r->arch);

	if (why) {
		*err = -ENOEXEC;
		s->res->refusal = 1;
	}
	return why;
}

/* The kernel itself, inside whatever wraps it. NULL, or the step / refusal. */
static const char *kl_kernel(struct kl *s, int *err)
{
	struct kimg_span span = { 0, s->file.len };
	const uint8_t *at = s->file.p;
	const char *why;

	if ((*err = kimg_detect(at, s->file.len, &s->k)) < 0)
		return "reading the kernel's header (a PE section or zboot payload past the end of the file)";
	s->res->fmt = s->k.fmt;
	if (s->k.fmt == KIMG_UKI) {
		if ((why = kl_refuse(s, &s->k, err)))
			return why;
		span = s->k.kernel;
		struct kimg uki = s->k;
		if ((*err = kimg_detect(at + span.off, span.len, &s->k)) < 0)
			return "reading the header of the UKI's .linux";
		s->k.initrd = uki.initrd, s->k.cmdline = uki.cmdline, s->k.osrel = uki.osrel, s->k.dtb = uki.dtb;
	}
	s->res->inner = s->k.fmt;
	if ((why = kl_refuse(s, &s->k, err)))
		return why;
	s->kernel.p = (uint8_t *)s->file.p + span.off;
	s->kernel.len = span.len;
	if (s->k.fmt == KIMG_GZIP || s->k.fmt == KIMG_ZBOOT) {
		struct kimg_span z = span;       /* gzip: all of it; zboot: its payload */
		if (s->k.fmt == KIMG_ZBOOT)
			z.off += s->k.payload.off, z.len = s->k.payload.len;
		uint64_t t0 = now_us();
		s->kernel.p = NULL;
		*err = inflate_to(at + z.off, z.len, &s->kernel);
		s->res->inflate_us = now_us() - t0;
		s->kernel_own = 1;
		if (*err)
			return "inflating the gzip kernel";
		s->res->inflated_len = s->kernel.len;
		struct kimg in;
		(void)kimg_detect(s->kernel.p, s->kernel.len, &in);
		s->res->inner = in.fmt;
		if (in.fmt != KIMG_ARM64 && s->r->arch == KARCH_AARCH64)
			return *err = -ENOEXEC, s->res->refusal = 1, "the inflated kernel is not an arm64 Image";
		s->k.fmt = in.fmt, s->k.text_offset = in.text_offset, s->k.image_size = in.image_size, s->k.flags = in.flags;
		if ((why = kl_refuse(s, &s->k, err)))
			return why;
	}
	s->res->kernel_len = s->kernel.len;
	return NULL;
}

static int copy_file(int out, const char *path, off_t *total)
{
	unsigned char *buf = malloc(CHUNK);
	int in = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY), ret = 0;
	struct stat st;
	ssize_t n;

	if (in < 0 || !buf) {
		ret = in < 0 ? -errno : -ENOMEM;
		goto out;
	}
	if (fstat(in, &st) < 0 || !S_ISREG(st.st_mode)) {
		ret = -EINVAL;
		goto out;
	}
	while (!ret && (n = read(in, buf, CHUNK)) != 0) {
		if (n < 0)
			ret = errno == EINTR ? 0 : -errno;
		else if (!(ret = fd_write_all(out, buf, (size_t)n)))
			*total += n;
	}
out:
	if (in >= 0)
		close(in);
	free(buf);
	return ret;
}

/* The UKI's .initrd, then the entry's files, each padded to 4 bytes, in one memfd (or nothing). */
static const char *kl_initrd(struct kl *s, int *err)
{
	static const unsigned char zero[4];
	off_t total = 0;

	*err = 0;
	if (!s->k.initrd.len && !s->r->ninitrd)
		return NULL;
	if ((s->initrd.fd = memfd_create("ferry-initrd", MFD_CLOEXEC)) < 0)
		return *err = -errno, "creating a memfd for the initrd";
	if (s->k.initrd.len) {
		*err = fd_write_all(s->initrd.fd, (uint8_t *)s->file.p + s->k.initrd.off, s->k.initrd.len);
		total = (off_t)s->k.initrd.len;
	}
	for (size_t i = 0; !*err && i <= s->r->ninitrd; i++) {
		if (total % 4)
			*err = fd_write_all(s->initrd.fd, zero, (size_t)(4 - total % 4));
		total += total % 4 ? 4 - total % 4 : 0;
		off_t start = total;
		if (!*err && i < s->r->ninitrd)
			*err = copy_file(s->initrd.fd, s->r->initrd[i], &total);
		if (s->ispan && i < s->r->ninitrd)
			s->ispan[i].len = (size_t)(total - start);   /* kl_measure finds where, once mapped */
	}
	if (*err || (*err = memfd_map(&s->initrd)))
		return s->r->ninitrd > 1 || s->k.initrd.len ? "concatenating the initrds" : "opening the initrd";
	s->initrd_own = 1;
	return NULL;
}

/* The measurement sees what was read: the mapped kernel file, and each initrd's bytes where
 * they sit in the memfd the kernel will get (a file read once, no second read to race). */
static const char *kl_measure(struct kl *s, int *err)
{
	struct kload_files f = { { s->file.p, s->file.len }, s->ispan, s->r->ninitrd, s->cmdline };
	size_t off = s->k.initrd.len;

	for (size_t i = 0; i < s->r->ninitrd; i++) {
		off += off % 4 ? 4 - off % 4 : 0;
		s->ispan[i].p = (const uint8_t *)s->initrd.p + off;
		off += s->ispan[i].len;
	}
	return s->r->measure(s->r->measure_arg, &f, err);
}

/* The entry's command line, else the UKI's .cmdline (without its trailing newline). */
static void kl_cmdline(struct kl *s)
{
	const char *c = s->r->cmdline;
	size_t n = c ? strlen(c) : 0;

	if (!n && s->k.cmdline.len) {
		c = (const char *)s->file.p + s->k.cmdline.off;
		n = strnlen(c, s->k.cmdline.len);
		while (n && (c[n - 1] == '\n' || c[n - 1] == ' '))
			n--;
	}
	if (n >= sizeof(s->cmdline))
		n = sizeof(s->cmdline) - 1;
	memcpy(s->cmdline, c ? c : "", n);
	s->cmdline[n] = 0;
}

/* A memfd with the bytes of span, for kexec_file_load, which takes only file descriptors. */
static int span_fd(const void *p, size_t len)
{
	int fd = memfd_create("ferry-kernel", MFD_CLOEXEC), r;

	if (fd < 0)
		return -errno;
	if ((r = fd_write_all(fd, p, len)) || lseek(fd, 0, SEEK_SET) < 0) {
		close(fd);
		return r ? r : -errno;
	}
	return fd;
}

static const char *kl_file_load(struct kl *s, int *err)
{
	int kfd = s->kernel_own ? s->kernel.fd : s->res->fmt == KIMG_UKI ? span_fd(s->kernel.p, s->kernel.len) :
		s->file.fd;
	uint64_t t0;

	if (kfd < 0)
		return *err = kfd, "creating a memfd for the UKI's kernel";
	if (lseek(kfd, 0, SEEK_SET) < 0 || (s->initrd.fd >= 0 && lseek(s->initrd.fd, 0, SEEK_SET) < 0)) {
		*err = -errno;
		goto out;
	}
	if (s->r->dry_run) {
		*err = 0;
		goto out;
	}
	t0 = now_us();
	long r = syscall(SYS_kexec_file_load, kfd, s->initrd.fd, strlen(s->cmdline) + 1, s->cmdline,
			 s->initrd.fd < 0 ? KEXEC_FILE_NO_INITRAMFS : 0);
	*err = r < 0 ? -errno : 0;
	s->res->syscall_us = now_us() - t0;
out:
	if (kfd != s->kernel.fd && kfd != s->file.fd)
		close(kfd);
	return *err ? "kexec_file_load" : NULL;
}

int kload_fdtdir(const char *dir, const char *fdtfile, const char *compatible, char *out, size_t len)
{
	char names[8][256], *buf = NULL;
	size_t blen = 0, n = 0;

	if (fdtfile && fdtfile[0]) {
		snprintf(out, len, "%s/%s", dir, fdtfile);
		return access(out, R_OK) == 0 ? 0 : -ENOENT;
	}
	if (file_read_all(compatible, 4096, &buf, &blen) == 0)
		n = fdt_dtb_names(buf, blen, names, 8);
	free(buf);
	for (size_t i = 0; i < n; i++) {
		snprintf(out, len, "%s/%s", dir, names[i]);
		if (access(out, R_OK) == 0)
			return 0;
		DIR *d = opendir(dir);      /* Debian and the kernel's dtbs_install: dir/VENDOR/NAME.dtb */
		struct dirent *v;
		while (d && (v = readdir(d))) {
			if (v->d_name[0] == '.')
				continue;
			snprintf(out, len, "%s/%s/%s", dir, v->d_name, names[i]);
			if (access(out, R_OK) == 0) {
				closedir(d);
				return 0;
			}
		}
		if (d)
			closedir(d);
	}
	out[0] = 0;
	return -ENOENT;
}

/* The tree for kexec_load: the entry's, the one in FDTDIR, the UKI's .dtb, or the running one. */
static const char *kl_dtb(struct kl *s, int *err)
{
	const struct kload_req *r = s->r;
	char *path = s->res->dtb;
	size_t plen = sizeof(s->res->dtb);

	if (r->devicetree && r->devicetree[0])
		snprintf(path, plen, "%s", r->devicetree);
	else if (r->fdtdir && r->fdtdir[0]) {
		if ((*err = kload_fdtdir(r->fdtdir, r->fdtfile, r->compatible ? r->compatible :
					 "/proc/device-tree/compatible", path, plen)))
			return "finding the board's device tree in FDTDIR (by fdtfile or the board's compatible)";
	} else if (s->k.dtb.len) {
		snprintf(path, plen, "(the UKI's .dtb)");
		if (!(s->dtb.p = malloc(s->k.dtb.len)))
			return *err = -ENOMEM, "copying the UKI's .dtb";
		memcpy(s->dtb.p, (uint8_t *)s->file.p + s->k.dtb.off, s->k.dtb.len);
		s->dtb.len = s->k.dtb.len;
	} else
		snprintf(path, plen, "%s", r->running_fdt ? r->running_fdt : "/sys/firmware/fdt");
	char *buf = NULL;
	if (!s->dtb.p && (*err = file_read_all(path, FDT_MAX_SIZE, &buf, &s->dtb.len)))
		return "reading the device tree";
	if (buf)
		s->dtb.p = buf;
	if (fdt_check(s->dtb.p, s->dtb.len))
		return *err = -EINVAL, "reading the device tree (not a valid flattened device tree)";
	return NULL;
}

/* /chosen for the next kernel; kaslr-seed and rng-seed left out when the pool is not ready. */
static int kl_chosen(struct kl *s, uint64_t initrd, void **out, size_t *olen)
{
	unsigned char seed[64];
	uint64_t kaslr = 0;
	int rnd = getrandom(seed, sizeof(seed), GRND_NONBLOCK) == (ssize_t)sizeof(seed) &&
		  getrandom(&kaslr, sizeof(kaslr), GRND_NONBLOCK) == (ssize_t)sizeof(kaslr);
	struct fdt_chosen c = { .bootargs = s->cmdline, .initrd = s->initrd.len > 0, .initrd_start = initrd,
		.initrd_end = initrd + s->initrd.len, .kaslr = rnd, .kaslr_seed = kaslr,
		.rng_seed = rnd ? seed : NULL, .rng_seed_len = rnd ? sizeof(seed) : 0 };
	int r = fdt_set_chosen(s->dtb.p, s->dtb.len, &c, out, olen);

	explicit_bzero(seed, sizeof(seed));
	explicit_bzero(&kaslr, sizeof(kaslr));
	return r;
}

static const char *kl_segments(struct kl *s, int *err)
{
	struct mem_range ram[IOMEM_MAX_RANGES];
	const char *step;
	char *iomem = NULL;
	size_t ilen, tlen;
	void *tree = NULL;
	int n;

	if (s->k.fmt != KIMG_ARM64)     /* ferry's loader needs the Image header */
		return *err = -ENOEXEC, s->res->refusal = 1, kimg_refusal(&s->k, s->r->arch);
	if ((step = kl_dtb(s, err)))
		return step;
	/* Once to learn the edited tree's size (the addresses do not change it), once for real. */
	if ((*err = kl_chosen(s, 0, &tree, &tlen)))
		return "writing the device tree's /chosen";
	free(tree);
	tree = NULL;
	if ((*err = file_read_all(s->r->iomem ? s->r->iomem : "/proc/iomem", 1 << 20, &iomem, &ilen)))
		return "reading /proc/iomem";
	n = iomem_ram(iomem, ilen, ram, IOMEM_MAX_RANGES);
	free(iomem);
	if (n <= 0)
		return *err = n < 0 ? n : -ENOENT, "reading /proc/iomem (no System RAM)";
	struct arm64_sizes sz = { .text_offset = s->k.text_offset, .image_size = s->k.image_size, .flags = s->k.flags,
		.kernel_len = s->kernel.len, .initrd_len = s->initrd.len, .dtb_len = tlen };
	if ((*err = arm64_layout(ram, (size_t)n, &sz, &s->res->lay)))
		return "placing the segments in System RAM";
	if ((*err = kl_chosen(s, s->res->lay.initrd, &tree, &tlen)))
		return "writing the device tree's /chosen";
	struct arm64_image img = { s->kernel.p, s->initrd.p, tree, s->kernel.len, s->initrd.len, tlen };
	if (s->r->dry_run) {
		s->res->tree = tree;
		s->res->tree_len = tlen;
		return NULL;
	}
	uint64_t t0 = now_us();
	*err = kexec_segments_load(&s->res->lay, &img);
	s->res->syscall_us = now_us() - t0;
	free(tree);
	return *err ? "kexec_load" : NULL;
}

static const char *kl_load(struct kl *s, int *err)
{
	const char *step;
	int needs_dt = (s->r->devicetree && s->r->devicetree[0]) || (s->r->fdtdir && s->r->fdtdir[0]) ||
		       s->k.dtb.len > 0;

	for (;;) {
		struct kexec_path_in in = { s->r->arch, s->res->file_load, needs_dt, s->r->refused };
		s->res->path = kexec_choose_path(&in, &s->res->why);
		if (s->res->path == KEXEC_PATH_NONE)
			return *err = s->r->refused ? -EKEYREJECTED : s->res->file_load == 0 ? -ENOSYS : -ENOEXEC,
			       s->res->why;
		if (s->res->path == KEXEC_PATH_SEGMENTS)
			return kl_segments(s, err);
		step = kl_file_load(s, err);
		if (*err != -ENOSYS) {
			if (!*err)
				s->res->file_load = 1;
			return step;
		}
		s->res->file_load = 0;     /* no CONFIG_KEXEC_FILE: choose again, knowing it */
	}
}

const char *kload(const struct kload_req *r, struct kload_res *res, int *err)
{
	struct kl s = { .r = r, .res = res, .file.fd = -1, .kernel.fd = -1, .initrd.fd = -1, .dtb.fd = -1 };
	const char *step;

	res->inflate_us = res->syscall_us = 0;
	res->title[0] = res->dtb[0] = 0;
	res->fmt = res->inner = KIMG_UNKNOWN;
	res->path = KEXEC_PATH_NONE;
	res->why = "";
	res->refusal = 0;
	res->tree = NULL;
	res->initrd_len = 0;
	*err = 0;
	if ((*err = blob_map(r->kernel, &s.file))) {
		step = "opening the kernel";
		goto out;
	}
	if (r->measure && r->ninitrd && !(s.ispan = calloc(r->ninitrd, sizeof(*s.ispan)))) {
		*err = -ENOMEM;
		step = "the initrd list";
		goto out;
	}
	if ((step = kl_kernel(&s, err)) || (step = kl_initrd(&s, err)))
		goto out;
	if (s.k.osrel.len)
		(void)osrel_pretty_name((const char *)s.file.p + s.k.osrel.off, s.k.osrel.len, res->title,
					sizeof(res->title));
	kl_cmdline(&s);
	memcpy(res->cmdline, s.cmdline, sizeof(res->cmdline));
	res->initrd_len = s.initrd.len;
	if (r->measure && (step = kl_measure(&s, err)))
		goto out;
	step = kl_load(&s, err);
out:
	free(s.ispan);
	if (s.kernel_own)
		blob_free(&s.kernel);
	if (s.initrd_own || s.initrd.fd >= 0)
		blob_free(&s.initrd);
	blob_free(&s.dtb);
	blob_free(&s.file);
	return step;
}

void kload_unload(void)
{
	(void)kexec_unload();
	(void)kexec_segments_unload();
}
