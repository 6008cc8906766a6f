/* extlinux.conf: the whole input is the file; then every entry is ordered, described and its
 * command line built, as ferry does before a kexec. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "../../lib/boot/bootcfg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct boot_list l;
	size_t order[BOOT_MAX_ENTRIES];
	char line[1024];
	int matched;

	boot_list_init(&l);
	(void)extlinux_parse(&l, "/boot/extlinux", (const char *)data, size);
	size_t n = boot_order(&l, l.def_name, order, BOOT_MAX_ENTRIES, &matched);
	for (size_t i = 0; i < n; i++) {
		boot_entry_describe(&l.e[order[i]], line, sizeof(line));
		(void)boot_cmdline(l.e[order[i]].options, "root,ro", NULL, line, sizeof(line));
	}
	return 0;
}
