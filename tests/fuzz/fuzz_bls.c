/* BLS entries: the input is NUL-separated pairs "file name", "contents"; each becomes an entry,
 * then the list is sorted, ordered and described as ferry would log it. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "../../lib/boot/bootcfg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct boot_list l;
	const char *p = (const char *)data, *end = p + size;
	size_t order[BOOT_MAX_ENTRIES];
	char name[256], line[1024];
	int matched;

	boot_list_init(&l);
	while (p < end) {
		const char *z = memchr(p, 0, (size_t)(end - p));
		size_t n = z ? (size_t)(z - p) : (size_t)(end - p);
		(void)boot_copy(name, sizeof(name), p, n);
		p = z ? z + 1 : end;
		z = memchr(p, 0, (size_t)(end - p));
		n = z ? (size_t)(z - p) : (size_t)(end - p);
		struct boot_entry *e = boot_list_add(&l, BOOT_BLS);
		if (!e)
			break;
		(void)bls_parse(e, name, p, n);  /* not NUL-terminated: the parser must stay inside */
		p = z ? z + 1 : end;
	}
	bls_sort(&l);
	size_t n = boot_order(&l, l.n ? l.e[0].title : NULL, order, BOOT_MAX_ENTRIES, &matched);
	for (size_t i = 0; i < n; i++) {
		boot_entry_describe(&l.e[order[i]], line, sizeof(line));
		(void)boot_cmdline(l.e[order[i]].options, "quiet,console", "ferry.x=1", line, sizeof(line));
	}
	return 0;
}
