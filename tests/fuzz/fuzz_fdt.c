/* Device trees: any blob is checked; one that passes is searched and gets a new /chosen, and the
 * edited tree must pass the check again and hold what was written. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "../../lib/boot/fdt.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const unsigned char seed[16] = { 1, 2, 3 };
	static const char *const paths[] = { "/", "/chosen", "/soc/serial", "/a/b/c", "//chosen/", "/memory@40000000" };
	struct fdt_chosen c = { .bootargs = "console=ttyAMA0", .initrd = 1, .initrd_start = 1, .initrd_end = 2,
		.kaslr = 1, .kaslr_seed = 3, .rng_seed = seed, .rng_seed_len = sizeof(seed) };
	char names[4][256];
	size_t n, olen;
	uint64_t v;
	void *o;

	(void)fdt_dtb_names((const char *)data, size, names, 4);
	if (fdt_check(data, size))
		return 0;
	for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		int node = fdt_node(data, paths[i]);
		if (node >= 0) {
			(void)fdt_prop(data, node, "compatible", &n);
			(void)fdt_prop_u64(data, node, "linux,initrd-start", &v);
		}
	}
	if (fdt_set_chosen(data, size, &c, &o, &olen) == 0) {
		int ch = fdt_node(o, "/chosen");
		const char *args = ch >= 0 ? fdt_prop(o, ch, "bootargs", &n) : NULL;
		if (fdt_check(o, olen) || !args || strcmp(args, "console=ttyAMA0"))
			abort();
		free(o);
	}
	return 0;
}
