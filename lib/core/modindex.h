/* modules.ferry: a binary index of modules.dep and modules.alias, written by `mkinitramfs -M`
 * beside them, mapped and searched by PID 1 and the modprobe helper without parsing text.
 *
 * Layout (all integers little-endian u32, every offset from the start of the file):
 *   header   "FERRYMI1", version, file size, size of the modules.dep it was made from,
 *            then (count, offset) of: modules, exact aliases, wildcard aliases, dependency pool,
 *            string pool
 *   modules  { name, path (string offsets), first dep (pool index), ndeps, nmissing }, sorted by
 *            name (equal names in modules.dep order), so a module's number is its rank by name
 *   exact    { pattern, module, order } for aliases without wildcards, sorted by pattern
 *   wildcard { pattern, module, order, prefix length } sorted by the literal prefix (the
 *            characters before the first '*', '?', '[' or '\'): a lookup visits only the patterns
 *            whose prefix begins the word, by binary search for each of the word's prefixes
 *   deps     module numbers, in modules.dep order
 *   strings  NUL-terminated; patterns and names normalised as kmod_normalize does
 * `order` is the alias's line in modules.alias, so answers come in the text files' order.
 *
 * The reader checks everything before it answers anything (magic, version, sizes, every offset and
 * count within the file, strings terminated inside the pool, module numbers in range, the sort
 * orders): a corrupt or truncated index is refused with -EBADMSG, never trusted. Pure: no I/O. */
#ifndef FERRY_MODINDEX_H
#define FERRY_MODINDEX_H
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include "kmod.h"

#define MODINDEX_MAGIC "FERRYMI1"
#define MODINDEX_VERSION 1
#define MODINDEX_MAX (64u << 20)

struct modindex {
	const unsigned char *base;
	size_t len;
	uint32_t dep_size;                /* size of the modules.dep it was written from */
	uint32_t nmods, nexact, nwild, ndeps, nstr;
	const unsigned char *mods, *exact, *wild, *deps;
	const char *str;
};

/* Write the index of x (both parsers run, dep_size: the length of that modules.dep text) into a
 * malloc'd buffer: 0 and *out, *outlen, or -ENOMEM / -EFBIG. */
int modindex_write(const struct kmod_index *x, uint32_t dep_size, unsigned char **out, size_t *outlen);
/* Check buf and set m to read it (buf must stay mapped): 0, or -EBADMSG for anything wrong. */
int modindex_open(struct modindex *m, const void *buf, size_t len);
/* Make x answer from a checked index in place (x->ix; m and its buffer must outlive x): modules,
 * dependencies, names and aliases as kmod_parse_dep and kmod_parse_alias would give them, nothing
 * copied. 0. */
int modindex_to_kmod(const struct modindex *m, struct kmod_index *x);
/* Module i (< m->nmods) of a checked index, read in place: what kmod_name, kmod_path, kmod_ndeps,
 * kmod_dep (k < its ndeps) answer for x->ix. */
const char *modindex_name(const struct modindex *m, size_t i);
const char *modindex_path(const struct modindex *m, size_t i);
size_t modindex_ndeps(const struct modindex *m, size_t i);
size_t modindex_nmissing(const struct modindex *m, size_t i);
size_t modindex_dep(const struct modindex *m, size_t i, size_t k);
/* The first module of exactly that normalised name, or -ENOENT (kmod_find_exact's answer). */
ssize_t modindex_find(const struct modindex *m, const char *norm);
/* The modules an alias names, in modules.alias order, without repeats, at most max: their count
 * (kmod_alias_lookup's answer for the same files). */
size_t modindex_alias_lookup(const struct modindex *m, const char *alias, size_t *out, size_t max);

#endif
