/* Host driver for tests/host/bootcfg-real.sh: read the boot configurations under a directory as
 * ferry reads a mounted filesystem, print every entry, then the one ferry would boot.
 * usage: bootcfg-show DIR [ENTRY [REMOVE [APPEND]]] */
#include <stdio.h>
#include <stdlib.h>
#include "../../lib/boot/bootcfg.h"

int main(int argc, char **argv)
{
	struct boot_list *l = boot_list_new();
	struct bootscan s = { .mnt = argc > 1 ? argv[1] : ".", .device = "/dev/test" };
	size_t order[BOOT_MAX_ENTRIES], n;
	char line[8192];
	int matched;

	if (argc < 2 || !l) {
		fprintf(stderr, "usage: bootcfg-show DIR [ENTRY [REMOVE [APPEND]]]\n");
		return 2;
	}
	int found = bootscan_dir(&s, l);
	for (size_t i = 0; i < s.nfiles; i++)
		printf("file %s: %d, %zu entries\n", s.files[i].path, s.files[i].ret, s.files[i].entries);
	for (size_t i = 0; i < l->n; i++) {
		boot_entry_describe(&l->e[i], line, sizeof(line));
		printf("entry %zu%s %s\n", i, (int)i == l->def ? "*" : "", line);
	}
	n = boot_order(l, argc > 2 ? argv[2] : NULL, order, BOOT_MAX_ENTRIES, &matched);
	if (found <= 0 || !n) {
		printf("chosen: none\n");
		free(l);
		return 1;
	}
	const struct boot_entry *e = &l->e[order[0]];
	boot_cmdline(e->options, argc > 3 ? argv[3] : NULL, argc > 4 ? argv[4] : NULL, line, sizeof(line));
	printf("chosen: %zu%s\nkernel: %s%s%s\n", order[0], matched ? "" : " (entry not matched)",
	       e->root[0] ? e->root : "", e->root[0] ? ":" : "", e->kernel);
	for (size_t i = 0; i < e->ninitrd; i++)
		printf("initrd: %s\n", e->initrd[i]);
	printf("cmdline: %s\n", line);
	free(l);
	return 0;
}
