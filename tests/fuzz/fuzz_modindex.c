/* modules.ferry. First byte even: the rest is an index as read from disk; it must be refused or,
 * once accepted, answer every lookup and load order without a fault. First byte odd: the rest is
 * modules.dep and modules.alias (split at the first NUL); their index is written, must be accepted,
 * and must answer every alias pattern and module name as the text files do. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "../../lib/core/kmod.h"
#include "../../lib/core/modindex.h"

static void exercise(const struct kmod_index *x)
{
	size_t out[64];

	for (size_t i = 0; i < x->nmods && i < 256; i++) {
		(void)kmod_load_order(x, i, out, 0, 64);
		(void)kmod_alias_lookup(x, kmod_name(x, i), out, 64);
		(void)kmod_find(x, kmod_path(x, i));
	}
}

static void same(const struct kmod_index *t, const struct kmod_index *ix, const char *q)
{
	size_t a[64], b[64];
	size_t na = kmod_alias_lookup(t, q, a, 64), nb = kmod_alias_lookup(ix, q, b, 64);

	if (na != nb)
		abort();
	for (size_t i = 0; i < na; i++)
		if (strcmp(t->mods[a[i]].name, kmod_name(ix, b[i])))
			abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct kmod_index t = { 0 }, ix = { 0 };
	struct modindex m;

	if (!size)
		return 0;
	if (!(data[0] & 1)) {
		/* a copy of exactly the bytes, so ASan sees every read past them */
		unsigned char *buf = malloc(size - 1 ? size - 1 : 1);
		if (!buf)
			return 0;
		memcpy(buf, data + 1, size - 1);
		if (modindex_open(&m, buf, size - 1) == 0 && modindex_to_kmod(&m, &ix) == 0)
			exercise(&ix);
		kmod_index_free(&ix);
		free(buf);
		return 0;
	}
	const char *text = (const char *)data + 1;
	size_t len = size - 1;
	const char *nul = memchr(text, '\0', len);
	size_t dlen = nul ? (size_t)(nul - text) : len;
	unsigned char *blob = NULL;
	size_t blen = 0;

	if (kmod_parse_dep(&t, text, dlen) || kmod_parse_alias(&t, nul ? nul + 1 : "", nul ? len - dlen - 1 : 0))
		goto out;
	if (modindex_write(&t, (uint32_t)dlen, &blob, &blen))
		goto out;
	if (modindex_open(&m, blob, blen) || modindex_to_kmod(&m, &ix))
		abort();   /* an index the writer made must be accepted */
	for (size_t i = 0; i < t.naliases; i++)
		same(&t, &ix, t.aliases[i].raw);
	for (size_t i = 0; i < t.nmods; i++)
		same(&t, &ix, t.mods[i].name);
	exercise(&ix);
out:
	kmod_index_free(&t);
	kmod_index_free(&ix);
	free(blob);
	return 0;
}
