/* /proc/iomem text into usable RAM, then the arm64 segment layout in it: every range reported must
 * be sorted, non-empty and disjoint, and every segment placed must lie inside one range without
 * overlapping another. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "../../lib/boot/kexec_arm64.h"

static int inside(const struct mem_range *r, int n, uint64_t a, uint64_t len)
{
	for (int i = 0; i < n; i++)
		if (a >= r[i].start && len <= r[i].end - r[i].start && a - r[i].start <= r[i].end - r[i].start - len)
			return 1;
	return !len;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mem_range r[IOMEM_MAX_RANGES];
	struct arm64_layout l;
	uint32_t k[4] = { 0 };

	if (size >= sizeof(k)) {            /* the first 16 bytes choose the sizes */
		memcpy(k, data, sizeof(k));
		data += sizeof(k), size -= sizeof(k);
	}
	int n = iomem_ram((const char *)data, size, r, IOMEM_MAX_RANGES);
	for (int i = 0; i < n; i++)
		if (r[i].start >= r[i].end || (i && r[i].start <= r[i - 1].end))
			abort();
	if (n <= 0)
		return 0;
	struct arm64_sizes in = { .text_offset = (k[0] & 1) ? 0x80000 : 0, .image_size = k[1],
		.kernel_len = k[1] / 2 + 1, .initrd_len = k[2], .dtb_len = k[3] & 0x1fffff };
	if (arm64_layout(r, (size_t)n, &in, &l))
		return 0;
	uint64_t a[4] = { l.kernel, l.initrd, l.dtb, l.purgatory }, s[4] = { l.kernel_memsz, l.initrd_memsz,
		l.dtb_memsz, l.purgatory_memsz };
	for (int i = 0; i < 4; i++) {
		if (!inside(r, n, a[i], s[i]))
			abort();
		for (int j = i + 1; j < 4; j++)
			if (s[i] && s[j] && a[i] < a[j] + s[j] && a[j] < a[i] + s[i])
				abort();
	}
	return 0;
}
