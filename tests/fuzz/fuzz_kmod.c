/* modules.dep and modules.alias: the input is split at the first NUL into the two files; every
 * module's load order is computed and checked (each module after its dependencies, no repeats),
 * and every alias pattern and module name is looked up. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "../../lib/core/kmod.h"

static void check_order(const struct kmod_index *x, size_t mod, size_t *out)
{
	ssize_t n = kmod_load_order(x, mod, out, 0, 64);

	if (n == -ENOSPC || n == -ELOOP || n == -ENOENT)
		return;
	if (n <= 0 || out[n - 1] != mod)
		abort();
	for (ssize_t a = 0; a < n; a++) {
		for (ssize_t b = a + 1; b < n; b++)
			if (out[a] == out[b])
				abort();
		for (size_t d = 0; d < x->mods[out[a]].ndeps; d++)
			for (ssize_t b = a; b < n; b++)
				if (out[b] == x->mods[out[a]].deps[d])
					abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct kmod_index x;
	const char *buf = (const char *)data, *nul = memchr(buf, 0, size);
	size_t dlen = nul ? (size_t)(nul - buf) : size, out[64];

	if (kmod_parse_dep(&x, buf, dlen))
		return 0;
	if (nul && kmod_parse_alias(&x, nul + 1, size - dlen - 1))
		goto out;
	for (size_t i = 0; i < x.nmods && i < 64; i++) {
		if (kmod_find(&x, x.mods[i].name) < 0)
			abort();
		(void)kmod_never_disk(x.mods[i].path);
		check_order(&x, i, out);
	}
	for (size_t i = 0; i < x.naliases && i < 64; i++) {
		size_t n = kmod_alias_lookup(&x, x.aliases[i].raw, out, 64);

		if (n > 64)
			abort();
		(void)kmod_alias_lookup(&x, x.aliases[i].module, out, 8);
		(void)kmod_glob_match(x.aliases[i].pattern, x.aliases[0].raw);
		if (kmod_lookup(&x, x.aliases[i].raw, out, 4) > 4)
			abort();
		(void)kmod_builtin_has(buf, dlen, x.aliases[i].module);
	}
out:
	kmod_index_free(&x);
	return 0;
}
