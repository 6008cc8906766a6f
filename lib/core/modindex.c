/* modules.ferry: writer and checked reader (see modindex.h for the layout). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include "modindex.h"

#define HDR_LEN 64   /* magic 8, version, size, dep_size, then 5 x (count, offset), 4 spare bytes */
#define MOD_REC 20   /* name, path, dep0, ndeps, nmissing */
#define EXACT_REC 12 /* pattern, module, order */
#define WILD_REC 16  /* pattern, module, order, prefix length */

static uint32_t get32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void put32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)v;
	p[1] = (unsigned char)(v >> 8);
	p[2] = (unsigned char)(v >> 16);
	p[3] = (unsigned char)(v >> 24);
}

static int is_wild(char c)
{
	return c == '*' || c == '?' || c == '[' || c == '\\';
}

static size_t prefix_len(const char *p)
{
	size_t n = 0;

	while (p[n] && !is_wild(p[n]))
		n++;
	return n;
}

/* ---- writer ---- */

struct wal {
	const char *pattern;
	uint32_t mod, order, plen;
};

static int cmp_exact(const void *a, const void *b)
{
	const struct wal *x = a, *y = b;
	int c = strcmp(x->pattern, y->pattern);

	return c ? c : (x->order > y->order) - (x->order < y->order);
}

/* By literal prefix: bytes first, a shorter prefix before a longer one it begins. */
static int cmp_prefix(const char *a, size_t al, const char *b, size_t bl)
{
	int c = memcmp(a, b, al < bl ? al : bl);

	return c ? c : (al > bl) - (al < bl);
}

static int cmp_wild(const void *a, const void *b)
{
	const struct wal *x = a, *y = b;
	int c = cmp_prefix(x->pattern, x->plen, y->pattern, y->plen);

	return c ? c : (x->order > y->order) - (x->order < y->order);
}

struct strpool {
	char *p;
	size_t len, cap;
};

static int64_t str_add(struct strpool *s, const char *str)
{
	size_t n = strlen(str) + 1;

	if (s->len + n > s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 65536;
		while (cap < s->len + n)
			cap *= 2;
		char *p = realloc(s->p, cap);
		if (!p)
			return -ENOMEM;
		s->p = p;
		s->cap = cap;
	}
	memcpy(s->p + s->len, str, n);
	s->len += n;
	return (int64_t)(s->len - n);
}

int modindex_write(const struct kmod_index *x, uint32_t dep_size, unsigned char **out, size_t *outlen)
{
	struct strpool sp = { 0 };
	size_t *rank = calloc(x->nmods + 1, sizeof(*rank));   /* old index -> number by name */
	struct wal *al = calloc(x->naliases + 1, sizeof(*al));
	size_t nexact = 0, nwild = 0, ndeps = 0, ret = -ENOMEM;
	unsigned char *buf = NULL;

	if (!rank || !al)
		goto out;
	for (size_t i = 0; i < x->nmods; i++) {
		rank[x->by_name[i].idx] = i;
		ndeps += x->mods[i].ndeps;
	}
	/* exact aliases at the front of al, wildcard ones at the back */
	for (size_t i = 0; i < x->naliases; i++) {
		/* kmod_alias_lookup resolves the module by its normalised name as written */
		ssize_t m = kmod_find_exact(x, x->aliases[i].module);
		const char *p = x->aliases[i].pattern;
		size_t pl = prefix_len(p);

		if (m < 0)
			continue;
		if (!p[pl])
			al[nexact++] = (struct wal){ p, (uint32_t)rank[m], (uint32_t)i, (uint32_t)pl };
		else
			al[x->naliases - ++nwild] = (struct wal){ p, (uint32_t)rank[m], (uint32_t)i, (uint32_t)pl };
	}
	qsort(al, nexact, sizeof(*al), cmp_exact);
	qsort(al + x->naliases - nwild, nwild, sizeof(*al), cmp_wild);
	if (str_add(&sp, "") < 0)
		goto out;

	size_t mods_off = HDR_LEN, exact_off = mods_off + x->nmods * MOD_REC;
	size_t wild_off = exact_off + nexact * EXACT_REC, deps_off = wild_off + nwild * WILD_REC;
	size_t str_off = deps_off + ndeps * 4;
	uint32_t *soff = calloc(2 * x->nmods + x->naliases + 1, sizeof(*soff));
	if (!soff)
		goto out;
	for (size_t i = 0; i < x->nmods; i++) {
		const struct kmod_module *mod = &x->mods[x->by_name[i].idx];
		int64_t a = str_add(&sp, mod->name), b = str_add(&sp, mod->path);
		if (a < 0 || b < 0) {
			free(soff);
			goto out;
		}
		soff[2 * i] = (uint32_t)a;
		soff[2 * i + 1] = (uint32_t)b;
	}
	for (size_t i = 0; i < nexact + nwild; i++) {
		const struct wal *w = i < nexact ? &al[i] : &al[x->naliases - nwild + (i - nexact)];
		int64_t a = str_add(&sp, w->pattern);
		if (a < 0) {
			free(soff);
			goto out;
		}
		soff[2 * x->nmods + i] = (uint32_t)a;
	}
	size_t total = str_off + sp.len;
	if (total > MODINDEX_MAX) {
		free(soff);
		ret = -EFBIG;
		goto out;
	}
	buf = calloc(1, total);
	if (!buf) {
		free(soff);
		goto out;
	}
	memcpy(buf, MODINDEX_MAGIC, 8);
	uint32_t h[] = { MODINDEX_VERSION, (uint32_t)total, dep_size, (uint32_t)x->nmods, (uint32_t)mods_off,
			 (uint32_t)nexact, (uint32_t)exact_off, (uint32_t)nwild, (uint32_t)wild_off, (uint32_t)ndeps,
			 (uint32_t)deps_off, (uint32_t)sp.len, (uint32_t)str_off };
	for (size_t i = 0; i < sizeof(h) / sizeof(*h); i++)
		put32(buf + 8 + 4 * i, h[i]);
	size_t d = 0;
	for (size_t i = 0; i < x->nmods; i++) {
		const struct kmod_module *mod = &x->mods[x->by_name[i].idx];
		unsigned char *r = buf + mods_off + i * MOD_REC;
		put32(r, soff[2 * i]);
		put32(r + 4, soff[2 * i + 1]);
		put32(r + 8, (uint32_t)d);
		put32(r + 12, (uint32_t)mod->ndeps);
		put32(r + 16, (uint32_t)mod->nmissing);
		for (size_t k = 0; k < mod->ndeps; k++, d++)
			put32(buf + deps_off + 4 * d, (uint32_t)rank[mod->deps[k]]);
	}
	for (size_t i = 0; i < nexact + nwild; i++) {
		const struct wal *w = i < nexact ? &al[i] : &al[x->naliases - nwild + (i - nexact)];
		unsigned char *r = i < nexact ? buf + exact_off + i * EXACT_REC : buf + wild_off + (i - nexact) * WILD_REC;
		put32(r, soff[2 * x->nmods + i]);
		put32(r + 4, w->mod);
		put32(r + 8, w->order);
		if (i >= nexact)
			put32(r + 12, w->plen);
	}
	memcpy(buf + str_off, sp.p, sp.len);
	free(soff);
	*out = buf;
	*outlen = total;
	buf = NULL;
	ret = 0;
out:
	free(buf);
	free(sp.p);
	free(rank);
	free(al);
	return (int)ret;
}

/* ---- reader ---- */

/* A string of the pool: NULL when the offset is out of it (the pool ends in a NUL, checked). */
static const char *str_at(const struct modindex *m, uint32_t off)
{
	return off < m->nstr ? m->str + off : NULL;
}

static int section(const unsigned char *buf, size_t len, const unsigned char *h, size_t rec,
		   uint32_t *count, const unsigned char **at)
{
	uint64_t n = get32(h), off = get32(h + 4);

	if (off < HDR_LEN || off > len || n * rec > len - off)
		return -EBADMSG;
	*count = (uint32_t)n;
	*at = buf + off;
	return 0;
}

int modindex_open(struct modindex *m, const void *vbuf, size_t len)
{
	const unsigned char *buf = vbuf, *strs;
	uint32_t nstr;

	memset(m, 0, sizeof(*m));
	if (len < HDR_LEN || len > MODINDEX_MAX || memcmp(buf, MODINDEX_MAGIC, 8) ||
	    get32(buf + 8) != MODINDEX_VERSION || get32(buf + 12) != len)
		return -EBADMSG;
	m->base = buf;
	m->len = len;
	m->dep_size = get32(buf + 16);
	if (section(buf, len, buf + 20, MOD_REC, &m->nmods, &m->mods) ||
	    section(buf, len, buf + 28, EXACT_REC, &m->nexact, &m->exact) ||
	    section(buf, len, buf + 36, WILD_REC, &m->nwild, &m->wild) ||
	    section(buf, len, buf + 44, 4, &m->ndeps, &m->deps) ||
	    section(buf, len, buf + 52, 1, &nstr, &strs))
		return -EBADMSG;
	if (!nstr || strs[nstr - 1] != '\0')
		return -EBADMSG;
	m->str = (const char *)strs;
	m->nstr = nstr;
	/* modules: names and paths in the pool, names short enough, dependencies in range, by name */
	const char *prev = NULL;
	for (uint32_t i = 0; i < m->nmods; i++) {
		const unsigned char *r = m->mods + (size_t)i * MOD_REC;
		const char *name = str_at(m, get32(r)), *path = str_at(m, get32(r + 4));
		uint64_t d0 = get32(r + 8), nd = get32(r + 12);

		if (!name || !path || !*name || strlen(name) >= KMOD_NAME_MAX || d0 + nd > m->ndeps ||
		    (prev && strcmp(prev, name) > 0))
			return -EBADMSG;
		prev = name;
	}
	for (uint32_t i = 0; i < m->ndeps; i++)
		if (get32(m->deps + 4 * (size_t)i) >= m->nmods)
			return -EBADMSG;
	prev = NULL;
	for (uint32_t i = 0; i < m->nexact; i++) {
		const unsigned char *r = m->exact + (size_t)i * EXACT_REC;
		const char *p = str_at(m, get32(r));

		if (!p || get32(r + 4) >= m->nmods || p[prefix_len(p)] || (prev && strcmp(prev, p) > 0))
			return -EBADMSG;
		prev = p;
	}
	prev = NULL;
	size_t prevlen = 0;
	for (uint32_t i = 0; i < m->nwild; i++) {
		const unsigned char *r = m->wild + (size_t)i * WILD_REC;
		const char *p = str_at(m, get32(r));
		uint32_t pl = get32(r + 12);

		if (!p || get32(r + 4) >= m->nmods || prefix_len(p) != pl || !p[pl] ||
		    (prev && cmp_prefix(prev, prevlen, p, pl) > 0))
			return -EBADMSG;
		prev = p;
		prevlen = pl;
	}
	return 0;
}

/* Module i's record; i < m->nmods (kmod.c asks only for modules it was told of). */
static const unsigned char *mod_rec(const struct modindex *m, size_t i)
{
	return m->mods + i * MOD_REC;
}

const char *modindex_name(const struct modindex *m, size_t i)
{
	return m->str + get32(mod_rec(m, i));
}

const char *modindex_path(const struct modindex *m, size_t i)
{
	return m->str + get32(mod_rec(m, i) + 4);
}

size_t modindex_ndeps(const struct modindex *m, size_t i)
{
	return get32(mod_rec(m, i) + 12);
}

size_t modindex_nmissing(const struct modindex *m, size_t i)
{
	return get32(mod_rec(m, i) + 16);
}

size_t modindex_dep(const struct modindex *m, size_t i, size_t k)
{
	return get32(m->deps + 4 * ((size_t)get32(mod_rec(m, i) + 8) + k));
}

/* Modules are sorted by name, equal names in modules.dep order: the first equal one, as
 * kmod_find_exact answers from the text files. */
ssize_t modindex_find(const struct modindex *m, const char *norm)
{
	size_t lo = 0, hi = m->nmods;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (strcmp(modindex_name(m, mid), norm) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < m->nmods && !strcmp(modindex_name(m, lo), norm) ? (ssize_t)lo : -ENOENT;
}

int modindex_to_kmod(const struct modindex *m, struct kmod_index *x)
{
	kmod_index_free(x);
	x->nmods = m->nmods;
	x->naliases = m->nexact + m->nwild;
	x->ix = m;
	return 0;
}

struct hit {
	uint32_t order, mod;
};

static int cmp_hit(const void *a, const void *b)
{
	const struct hit *x = a, *y = b;

	return (x->order > y->order) - (x->order < y->order);
}

#define HITS_MAX 512

static void add_hit(struct hit *h, size_t *n, const unsigned char *r)
{
	if (*n < HITS_MAX)
		h[(*n)++] = (struct hit){ get32(r + 8), get32(r + 4) };
}

size_t modindex_alias_lookup(const struct modindex *m, const char *alias, size_t *out, size_t max)
{
	struct hit hits[HITS_MAX];
	size_t nh = 0, n = 0, len = strlen(alias);

	/* exact: the first equal pattern by binary search, then its equals */
	size_t lo = 0, hi = m->nexact;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (strcmp(m->str + get32(m->exact + mid * EXACT_REC), alias) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < m->nexact && !strcmp(m->str + get32(m->exact + lo * EXACT_REC), alias); lo++)
		add_hit(hits, &nh, m->exact + lo * EXACT_REC);
	/* wildcards: for each prefix of the word, the patterns with exactly that literal prefix */
	for (size_t pl = 0; pl <= len; pl++) {
		lo = 0;
		hi = m->nwild;
		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2;
			const unsigned char *r = m->wild + mid * WILD_REC;
			if (cmp_prefix(m->str + get32(r), get32(r + 12), alias, pl) < 0)
				lo = mid + 1;
			else
				hi = mid;
		}
		for (; lo < m->nwild; lo++) {
			const unsigned char *r = m->wild + lo * WILD_REC;
			const char *p = m->str + get32(r);
			if (get32(r + 12) != pl || memcmp(p, alias, pl))
				break;
			if (kmod_glob_match(p, alias))
				add_hit(hits, &nh, r);
		}
	}
	qsort(hits, nh, sizeof(*hits), cmp_hit);
	for (size_t i = 0; i < nh && n < max; i++) {
		size_t k;
		for (k = 0; k < n && out[k] != hits[i].mod; k++)
			;
		if (k == n)
			out[n++] = hits[i].mod;
	}
	return n;
}
