/* BLS entries: the input is NUL-separated pairs "file name", "contents"; each becomes an entry,
 * then the list is sorted, ordered and described as ferry would log it. A pair named "grubenv" is
 * GRUB's environment block instead: its variables are expanded into the entries that follow (as
 * Fedora's blscfg does; every other entry with BLS_KEEP_UNSET), and the shared checks run. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "../../lib/boot/bootcfg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct boot_list l;
	static struct grubenv env;
	const char *p = (const char *)data, *end = p + size;
	size_t order[BOOT_MAX_ENTRIES];
	char name[256], line[1024];
	int matched, have_env = 0;
	unsigned k = 0;

	boot_list_init(&l);
	(void)grubenv_parse(&env, p, size);  /* the whole input as a block, for the parser alone */
	env.n = env.used = 0;
	while (p < end) {
		const char *z = memchr(p, 0, (size_t)(end - p));
		size_t n = z ? (size_t)(z - p) : (size_t)(end - p);
		(void)boot_copy(name, sizeof(name), p, n);
		p = z ? z + 1 : end;
		z = memchr(p, 0, (size_t)(end - p));
		n = z ? (size_t)(z - p) : (size_t)(end - p);
		if (!strcmp(name, "grubenv")) {
			have_env = grubenv_parse(&env, p, n) != -EINVAL;
			p = z ? z + 1 : end;
			continue;
		}
		struct boot_entry *e = boot_list_add(&l, BOOT_BLS);
		if (!e)
			break;
		if (bls_parse(e, name, p, n) == 0)  /* not NUL-terminated: the parser must stay inside */
			(void)bls_expand(e, grubenv_getvar, have_env ? &env : NULL, (k++ & 1) ? BLS_KEEP_UNSET : 0);
		boot_entry_check(e);
		p = z ? z + 1 : end;
	}
	bls_sort(&l);
	size_t n = boot_order(&l, l.n ? l.e[0].title : NULL, order, BOOT_MAX_ENTRIES, &matched);
	for (size_t i = 0; i < n; i++) {
		boot_entry_describe(&l.e[order[i]], line, sizeof(line));
		(void)boot_cmdline(l.e[order[i]].options, "quiet,console", "ferry.x=1", line, sizeof(line));
	}
	for (size_t i = 0; i < env.n; i++)
		(void)grubenv_get(&env, env.text + env.name[i], strlen(env.text + env.name[i]));
	return 0;
}
