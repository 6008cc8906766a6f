/* Kernel headers: any file is classified; every span it reports must lie inside the input, a UKI's
 * .linux is classified in turn and its .osrel read, and every format gets an answer for each arch. */
#include <stdint.h>
#include <stdlib.h>
#include "../../lib/boot/pe.h"

static void in_bounds(const struct kimg_span *s, size_t size)
{
	if (s->len && (s->off > size || s->len > size - s->off))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct kimg k, inner;
	char name[256];

	if (kimg_detect(data, size, &k) < 0)
		return 0;
	for (int a = KARCH_OTHER; a <= KARCH_ARM; a++)
		if (!kimg_refusal(&k, (enum kimg_arch)a) && k.fmt == KIMG_UNKNOWN)
			abort();
	const struct kimg_span *s[] = { &k.payload, &k.kernel, &k.initrd, &k.cmdline, &k.osrel, &k.dtb, &k.uname };
	for (size_t i = 0; i < sizeof(s) / sizeof(s[0]); i++)
		in_bounds(s[i], size);
	if (k.fmt == KIMG_UKI) {
		(void)kimg_detect(data + k.kernel.off, k.kernel.len, &inner);
		(void)osrel_pretty_name((const char *)data + k.osrel.off, k.osrel.len, name, sizeof(name));
	}
	return 0;
}
