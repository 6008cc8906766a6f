/* arm64 kexec_load: /proc/iomem read into usable RAM, the segment layout, the purgatory's bytes,
 * the decision between kexec_file_load and kexec_load, and the syscall. Everything but the syscall
 * is pure and tested on the host. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "kexec_arm64.h"

#define KEXEC_ARCH_AARCH64 (183u << 16)   /* <linux/kexec.h>: KEXEC_ARCH_AARCH64 */
#define KEXEC_ARCH_DEFAULT 0u
#define SZ_2M 0x200000ull
#define RSV_MAX 256

struct kexec_segment_abi {             /* struct kexec_segment in <linux/kexec.h> */
	const void *buf;
	size_t bufsz;
	const void *mem;
	size_t memsz;
};

static uint64_t align_up(uint64_t v, uint64_t a)
{
	return (v + a - 1) & ~(a - 1);
}

/* "  40000000-bfffffff : System RAM": start, end (exclusive) and the name. 0, 1 blank, -EINVAL. */
static int iomem_line(const char *p, const char *end, uint64_t *s, uint64_t *e, const char **name, size_t *nn)
{
	uint64_t v[2] = { 0, 0 };

	while (p < end && *p == ' ')
		p++;
	if (p == end)
		return 1;
	for (int i = 0; i < 2; i++) {
		const char *d = p;
		for (; p < end && ((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f')); p++) {
			if (v[i] >> 60)
				return -EINVAL;
			v[i] = v[i] << 4 | (uint64_t)(*p <= '9' ? *p - '0' : *p - 'a' + 10);
		}
		if (p == d || p == end || *p != (i ? ' ' : '-'))
			return -EINVAL;
		p++;
	}
	if (end - p < 2 || memcmp(p, ": ", 2) || v[1] < v[0] || v[1] == UINT64_MAX)
		return -EINVAL;
	*s = v[0], *e = v[1] + 1, *name = p + 2, *nn = (size_t)(end - p - 2);
	return 0;
}

static int by_start(const void *a, const void *b)
{
	const struct mem_range *x = a, *y = b;

	return x->start < y->start ? -1 : x->start > y->start;
}

/* Cut [s, e) out of the n ranges in r (capacity max). The new count, or -E2BIG. */
static int range_cut(struct mem_range *r, int n, size_t max, uint64_t s, uint64_t e)
{
	for (int i = 0; i < n; i++) {
		if (e <= r[i].start || s >= r[i].end)
			continue;
		if (s > r[i].start && e < r[i].end) {          /* a hole in the middle: split */
			if ((size_t)n == max)
				return -E2BIG;
			r[n].start = e, r[n].end = r[i].end;
			r[i].end = s;
			n++;
		} else if (s <= r[i].start)
			r[i].start = e < r[i].end ? e : r[i].end;
		else
			r[i].end = s;
	}
	return n;
}

int iomem_ram(const char *text, size_t len, struct mem_range *out, size_t max)
{
	static struct mem_range rsv[RSV_MAX];   /* not re-entrant; PID 1 reads /proc/iomem once */
	const char *p = text, *end = text + len, *name;
	size_t nr = 0, nn;
	int n = 0, k;
	uint64_t s, e;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p)), *le = nl ? nl : end;
		int r = iomem_line(p, le, &s, &e, &name, &nn);
		if (r < 0)
			return r;
		if (!r && nn == 10 && !memcmp(name, "System RAM", 10)) {
			if ((size_t)n == max)
				return -E2BIG;
			out[n].start = s, out[n++].end = e;
		} else if (!r && nn == 8 && !memcmp(name, "reserved", 8)) {
			if (nr == RSV_MAX)
				return -E2BIG;
			rsv[nr].start = s, rsv[nr++].end = e;
		}
		p = nl ? nl + 1 : end;
	}
	for (size_t i = 0; i < nr && n >= 0; i++)
		n = range_cut(out, n, max, rsv[i].start, rsv[i].end);
	if (n < 0)
		return n;
	for (int i = k = 0; i < n; i++)            /* drop what the cuts emptied */
		if (out[i].end > out[i].start)
			out[k++] = out[i];
	qsort(out, (size_t)k, sizeof(out[0]), by_start);
	for (int i = n = 0; i < k; i++) {           /* merge touching ranges */
		if (n && out[n - 1].end >= out[i].start) {
			if (out[i].end > out[n - 1].end)
				out[n - 1].end = out[i].end;
		} else
			out[n++] = out[i];
	}
	return n;
}

/* The lowest address >= min, aligned, where size bytes fit in ram without touching used. */
static int place(const struct mem_range *ram, size_t n, const struct mem_range *used, size_t nused,
		 uint64_t size, uint64_t align, uint64_t min, uint64_t *at)
{
	for (size_t i = 0; i < n; i++) {
		uint64_t a = align_up(ram[i].start > min ? ram[i].start : min, align);
		for (int moved = 1; moved && a >= ram[i].start && a < ram[i].end && ram[i].end - a >= size;) {
			moved = 0;
			for (size_t u = 0; u < nused; u++)
				if (a < used[u].end && a + size > used[u].start) {
					a = align_up(used[u].end, align);
					moved = 1;
				}
			if (!moved) {
				*at = a;
				return 0;
			}
		}
	}
	return -ENOMEM;
}

static int place_after(const struct mem_range *ram, size_t n, struct mem_range *used, size_t *nused,
		       uint64_t size, uint64_t min, uint64_t *at)
{
	if (!size) {
		*at = 0;
		return 0;
	}
	if (place(ram, n, used, *nused, size, ARM64_SEG_ALIGN, min, at) &&
	    place(ram, n, used, *nused, size, ARM64_SEG_ALIGN, 0, at))
		return -ENOMEM;
	used[*nused].start = *at;
	used[(*nused)++].end = *at + size;
	return 0;
}

int arm64_layout(const struct mem_range *ram, size_t n, const struct arm64_sizes *in, struct arm64_layout *o)
{
	struct mem_range used[4];
	size_t nused = 0;
	uint64_t size = in->image_size > in->kernel_len ? in->image_size : in->kernel_len;

	memset(o, 0, sizeof(*o));
	if (in->text_offset % ARM64_SEG_ALIGN || in->text_offset >= SZ_2M * 16 || !size || size >> 40 ||
	    (uint64_t)in->initrd_len >> 40 || (uint64_t)in->dtb_len >> 40)
		return -EINVAL;
	o->kernel_memsz = align_up(size, ARM64_SEG_ALIGN);
	uint64_t base;
	if (place(ram, n, NULL, 0, in->text_offset + o->kernel_memsz, SZ_2M, 0, &base))
		return -ENOMEM;
	o->kernel = base + in->text_offset;
	used[nused].start = o->kernel;
	used[nused++].end = o->kernel + o->kernel_memsz;
	o->initrd_memsz = align_up(in->initrd_len, ARM64_SEG_ALIGN);
	o->dtb_memsz = align_up(in->dtb_len, ARM64_SEG_ALIGN);
	o->purgatory_memsz = ARM64_SEG_ALIGN;
	uint64_t kend = used[0].end;
	if (place_after(ram, n, used, &nused, o->initrd_memsz, kend, &o->initrd) ||
	    place_after(ram, n, used, &nused, o->dtb_memsz, kend, &o->dtb) ||
	    place_after(ram, n, used, &nused, o->purgatory_memsz, kend, &o->purgatory))
		return -ENOMEM;
	return 0;
}

static void put_le32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

void arm64_purgatory(uint64_t dtb, uint64_t kernel, uint8_t out[ARM64_PURGATORY_SIZE])
{
	static const uint32_t code[6] = {
		0x580000c0,   /* ldr x0, dtb (pc + 24) */
		0xaa1f03e1,   /* mov x1, xzr */
		0xaa1f03e2,   /* mov x2, xzr */
		0xaa1f03e3,   /* mov x3, xzr */
		0x58000084,   /* ldr x4, kernel (pc + 16) */
		0xd61f0080,   /* br x4 */
	};

	for (int i = 0; i < 6; i++)
		put_le32(out + 4 * i, code[i]);
	put_le32(out + 24, (uint32_t)dtb), put_le32(out + 28, (uint32_t)(dtb >> 32));
	put_le32(out + 32, (uint32_t)kernel), put_le32(out + 36, (uint32_t)(kernel >> 32));
}

/* The assembled lib/boot/arch/aarch64/purgatory.S where the build links it (weak: a build without
 * the arch/ rule uses arm64_purgatory()'s bytes, which the unit test holds equal to it). */
extern const uint8_t ferry_purgatory[] __attribute__((weak));

int kexec_segments_load(const struct arm64_layout *lay, const struct arm64_image *img)
{
	uint8_t purg[ARM64_PURGATORY_SIZE];
	struct kexec_segment_abi seg[4];
	unsigned long nr = 0;

	arm64_purgatory(lay->dtb, lay->kernel, purg);
	if (ferry_purgatory) {          /* the .S's code, with the same two literals after it */
		memcpy(purg, ferry_purgatory, 24);
	}
	seg[nr++] = (struct kexec_segment_abi){ img->kernel, img->kernel_len, (const void *)(uintptr_t)lay->kernel,
		lay->kernel_memsz };
	if (lay->initrd_memsz)
		seg[nr++] = (struct kexec_segment_abi){ img->initrd, img->initrd_len,
			(const void *)(uintptr_t)lay->initrd, lay->initrd_memsz };
	seg[nr++] = (struct kexec_segment_abi){ img->dtb, img->dtb_len, (const void *)(uintptr_t)lay->dtb,
		lay->dtb_memsz };
	seg[nr++] = (struct kexec_segment_abi){ purg, sizeof(purg), (const void *)(uintptr_t)lay->purgatory,
		lay->purgatory_memsz };
	if (syscall(SYS_kexec_load, (unsigned long)lay->purgatory, nr, seg, (unsigned long)KEXEC_ARCH_AARCH64) < 0)
		return -errno;
	return 0;
}

int kexec_segments_unload(void)
{
	return syscall(SYS_kexec_load, 0ul, 0ul, NULL, (unsigned long)KEXEC_ARCH_DEFAULT) < 0 ? -errno : 0;
}

const char *kexec_path_name(enum kexec_path p)
{
	return p == KEXEC_PATH_FILE ? "kexec_file_load" : p == KEXEC_PATH_SEGMENTS ? "kexec_load" : "none";
}

enum kexec_path kexec_choose_path(const struct kexec_path_in *in, const char **why)
{
	if (in->arch == KARCH_ARM)
		return *why = "32-bit ARM has no kexec_file_load, and ferry's kexec_load loader is arm64's only",
		       KEXEC_PATH_NONE;
	if (in->arch != KARCH_AARCH64) {
		if (in->file_load == 0)
			return *why = "the kernel has no kexec_file_load (CONFIG_KEXEC_FILE); ferry's own kexec_load "
				      "loader is for arm64 only", KEXEC_PATH_NONE;
		return *why = "the kernel checks the image (and its signature under CONFIG_KEXEC_SIG)", KEXEC_PATH_FILE;
	}
	if ((in->needs_dt || in->file_load == 0) && in->refused)
		return *why = "an image was refused for its signature or by lockdown: no unverified kexec_load after "
			      "that", KEXEC_PATH_NONE;
	if (in->needs_dt)
		return *why = "the entry names a device tree, which arm64's kexec_file_load cannot take",
		       KEXEC_PATH_SEGMENTS;
	if (in->file_load == 0)
		return *why = "the kernel has no kexec_file_load (ENOSYS: no CONFIG_KEXEC_FILE, as in Debian's arm64 "
			      "kernels)", KEXEC_PATH_SEGMENTS;
	return *why = in->file_load > 0 ? "the kernel checks the image (and its signature under CONFIG_KEXEC_SIG)" :
		      "the kernel checks the image (and its signature under CONFIG_KEXEC_SIG); kexec_load with the "
		      "running tree if it answers ENOSYS", KEXEC_PATH_FILE;
}
