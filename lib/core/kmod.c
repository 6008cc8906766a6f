/* modules.dep / modules.alias parsing and lookups. The text is copied once and split in place;
 * names and normalised patterns live in a second half of the same allocation. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "kmod.h"
#include "modindex.h"
#include "words.h"

static const char *const suffixes[] = {
	[KMOD_COMP_NONE] = ".ko", [KMOD_COMP_GZ] = ".ko.gz",
	[KMOD_COMP_XZ] = ".ko.xz", [KMOD_COMP_ZST] = ".ko.zst",
};

static int ends_with(const char *s, size_t len, const char *suffix)
{
	size_t n = strlen(suffix);

	return len >= n && !memcmp(s + len - n, suffix, n);
}

enum kmod_comp kmod_compression(const char *path)
{
	size_t len = strlen(path);

	for (int c = KMOD_COMP_ZST; c > KMOD_COMP_NONE; c--)
		if (ends_with(path, len, suffixes[c]))
			return (enum kmod_comp)c;
	return KMOD_COMP_NONE;
}

/* Kernel source directories whose drivers never make a block device: display, sound, input and
 * HID, cameras and tuners, sensors, LEDs, radios. Not watchdogs (ferry.watchdog= opens one early),
 * not buses or anything generic (drivers/usb, drivers/pci, drivers/i2c can lead to a disk). */
static const char *const never_disk_dirs[] = {
	"drivers/gpu/", "drivers/video/", "sound/", "drivers/input/", "drivers/hid/", "drivers/media/",
	"drivers/hwmon/", "drivers/leds/", "drivers/bluetooth/", "net/bluetooth/", "drivers/net/wireless/",
	"net/wireless/", "net/mac80211/", "drivers/iio/",
};

bool kmod_never_disk(const char *path)
{
	for (size_t i = 0; i < sizeof(never_disk_dirs) / sizeof(*never_disk_dirs); i++) {
		const char *d = never_disk_dirs[i], *p = path;

		/* "kernel/drivers/gpu/drm/x.ko": the directory at the start or after a '/' */
		for (; (p = strstr(p, d)); p++)
			if (p == path || p[-1] == '/')
				return true;
	}
	return false;
}

int kmod_normalize(const char *in, char *out, size_t outlen)
{
	int in_bracket = 0;
	size_t i;

	for (i = 0; in[i]; i++) {
		if (i + 1 >= outlen)
			return -ENAMETOOLONG;
		if (in[i] == '[')
			in_bracket = 1;
		else if (in[i] == ']')
			in_bracket = 0;
		out[i] = (in[i] == '-' && !in_bracket) ? '_' : in[i];
	}
	if (!outlen)
		return -ENAMETOOLONG;
	out[i] = '\0';
	return 0;
}

int kmod_name_from_path(const char *path, char *out, size_t outlen)
{
	const char *base = strrchr(path, '/');
	size_t len;

	base = base ? base + 1 : path;
	len = strlen(base);
	for (int c = KMOD_COMP_ZST; c >= KMOD_COMP_NONE; c--) {
		if (ends_with(base, len, suffixes[c])) {
			len -= strlen(suffixes[c]);
			break;
		}
	}
	if (!len)
		return -EINVAL;
	if (len >= outlen)
		return -ENAMETOOLONG;
	for (size_t i = 0; i < len; i++)
		out[i] = base[i] == '-' ? '_' : base[i];
	out[len] = '\0';
	return 0;
}

/* A bracket's next character, a backslash escaping the one after it (as glibc's fnmatch). */
static const char *bracket_char(const char *q, unsigned char *c)
{
	if (*q == '\\' && q[1])
		q++;
	*c = (unsigned char)*q;
	return q + 1;
}

/* One element of a pattern against c: the pattern characters it used when it matches, 0 when not.
 * Brackets as fnmatch(3): [abc], [a-z], [!x] or [^x], a ']' first is literal; an unclosed '['
 * is an ordinary character. */
static size_t match_bracket(const char *p, char ch)
{
	const char *q = p + 1;
	unsigned char c = (unsigned char)ch, lo, hi;
	int neg = 0, hit = 0;

	if (*q == '!' || *q == '^') {
		neg = 1;
		q++;
	}
	do {
		if (!*q)
			return ch == '[';
		q = bracket_char(q, &lo);
		hi = lo;
		if (q[0] == '-' && q[1] && q[1] != ']')
			q = bracket_char(q + 1, &hi);
		hit |= c >= lo && c <= hi;
	} while (*q != ']');
	return hit != neg ? (size_t)(q + 1 - p) : 0;
}

/* A backslash escapes the next character; one at the very end matches nothing, as in glibc. */
static size_t match_one(const char *p, char c)
{
	if (*p == '?')
		return 1;
	if (*p == '[')
		return match_bracket(p, c);
	if (*p == '\\')
		return p[1] && p[1] == c ? 2 : 0;
	return *p == c;
}

/* Greedy with one backtrack point, the last '*': linear in practice, never exponential. */
int kmod_glob_match(const char *p, const char *s)
{
	const char *star_p = NULL, *star_s = NULL;
	size_t n;

	for (;;) {
		if (*p == '*') {
			star_p = ++p;
			star_s = s;
			continue;
		}
		if (!*s)
			return !*p;
		if (*p && (n = match_one(p, *s))) {
			p += n;
			s++;
			continue;
		}
		if (!star_p)
			return 0;
		p = star_p;
		s = ++star_s;
	}
}

static int cmp_byname(const void *a, const void *b)
{
	const struct kmod_byname *x = a, *y = b;
	int c = strcmp(x->name, y->name);

	if (c)
		return c;
	return x->idx < y->idx ? -1 : x->idx > y->idx;
}

const char *kmod_name(const struct kmod_index *x, size_t m)
{
	return x->ix ? modindex_name(x->ix, m) : x->mods[m].name;
}

const char *kmod_path(const struct kmod_index *x, size_t m)
{
	return x->ix ? modindex_path(x->ix, m) : x->mods[m].path;
}

size_t kmod_ndeps(const struct kmod_index *x, size_t m)
{
	return x->ix ? modindex_ndeps(x->ix, m) : x->mods[m].ndeps;
}

size_t kmod_dep(const struct kmod_index *x, size_t m, size_t i)
{
	return x->ix ? modindex_dep(x->ix, m, i) : x->mods[m].deps[i];
}

static size_t nmissing(const struct kmod_index *x, size_t m)
{
	return x->ix ? modindex_nmissing(x->ix, m) : x->mods[m].nmissing;
}

static ssize_t find_normalized(const struct kmod_index *x, const char *name)
{
	size_t lo = 0, hi = x->nmods;

	if (x->ix)
		return modindex_find(x->ix, name);

	/* The first of equal names: depmod keeps one line per module, but a hand-made file may not. */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (strcmp(x->by_name[mid].name, name) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < x->nmods && !strcmp(x->by_name[lo].name, name))
		return (ssize_t)x->by_name[lo].idx;
	return -ENOENT;
}

ssize_t kmod_find_exact(const struct kmod_index *x, const char *norm)
{
	return find_normalized(x, norm);
}

/* The name as given first: a (hand-made) "a.ko.ko" gives the module "a.ko", which must stay
 * findable by its own name. */
ssize_t kmod_find(const struct kmod_index *x, const char *name)
{
	char norm[KMOD_NAME_MAX];
	ssize_t m = -ENOENT;

	if (!kmod_normalize(name, norm, sizeof(norm)))
		m = find_normalized(x, norm);
	if (m < 0 && !kmod_name_from_path(name, norm, sizeof(norm)))
		m = find_normalized(x, norm);
	return m;
}

/* Splits text into lines in place, calling fn for each; returns the count of lines fn took. */
static size_t each_line(char *text, size_t len, void *ctx, int (*fn)(void *ctx, char *line))
{
	size_t taken = 0;
	char *p = text, *end = text + len;

	while (p < end) {
		char *nl = memchr(p, '\n', (size_t)(end - p));

		if (!nl)
			nl = end;
		*nl = '\0';
		taken += fn(ctx, p) > 0;
		p = nl + 1;
	}
	return taken;
}

struct dep_pass {
	struct kmod_index *x;
	char *names;      /* where the next normalised name goes */
	char **words;     /* per module: its dependency words, for resolve_deps */
	size_t ndeps;     /* dependency words seen, for sizing dep_pool */
};

static size_t count_words(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		n += !words_blank(*s) && (words_blank(s[1]) || !s[1]);
	return n;
}

/* "kernel/fs/overlayfs/overlay.ko: dep.ko dep2.ko": records the module, leaves its dependency
 * words (NUL-separated from here on) for resolve_deps. */
static int dep_line(void *ctx, char *line)
{
	struct dep_pass *d = ctx;
	struct kmod_module *m = &d->x->mods[d->x->nmods];
	char *colon = strchr(line, ':');

	while (words_blank(*line))
		line++;
	if (!colon || *line == '#' || colon == line)
		return 0;
	*colon = '\0';
	if (strpbrk(line, " \t") || kmod_name_from_path(line, d->names, KMOD_NAME_MAX))
		return 0;
	memset(m, 0, sizeof(*m));
	m->path = line;
	m->name = d->names;
	d->names += strlen(d->names) + 1;
	d->words[d->x->nmods] = colon + 1;
	d->ndeps += count_words(colon + 1);
	d->x->nmods++;
	return 1;
}

/* Turns each module's dependency words into indices. */
static void resolve_deps(struct kmod_index *x, char **words)
{
	size_t *pool = x->dep_pool;

	for (size_t i = 0; i < x->nmods; i++) {
		struct kmod_module *m = &x->mods[i];
		char *p = words[i], *w;
		char name[KMOD_NAME_MAX];

		m->deps = pool;
		while ((w = words_next(&p))) {
			ssize_t d = -ENOENT;

			if (!kmod_name_from_path(w, name, sizeof(name)))
				d = find_normalized(x, name);
			if (d < 0)
				m->nmissing++;
			else
				m->deps[m->ndeps++] = (size_t)d;
		}
		pool += m->ndeps;
	}
}

static void free_dep(struct kmod_index *x)
{
	free(x->mods);
	free(x->by_name);
	free(x->dep_pool);
	free(x->dep_text);
	x->mods = NULL;
	x->by_name = NULL;
	x->dep_pool = NULL;
	x->dep_text = NULL;
	x->nmods = 0;
	x->ix = NULL;
}

static size_t count_lines(const char *buf, size_t len)
{
	size_t n = 1;

	for (size_t i = 0; i < len; i++)
		n += buf[i] == '\n';
	return n;
}

int kmod_parse_dep(struct kmod_index *x, const char *buf, size_t len)
{
	struct dep_pass d = { .x = x };
	size_t lines = count_lines(buf, len);
	int ret = -ENOMEM;

	free_dep(x);
	d.words = calloc(lines, sizeof(*d.words));
	/* Names are never longer than their paths: the second half of the copy holds them. */
	x->dep_text = malloc(2 * len + 2);
	x->mods = calloc(lines, sizeof(*x->mods));
	if (!x->dep_text || !x->mods || !d.words)
		goto out;
	memcpy(x->dep_text, buf, len);
	x->dep_text[len] = '\0';
	d.names = x->dep_text + len + 1;
	each_line(x->dep_text, len, &d, dep_line);
	x->by_name = calloc(x->nmods + 1, sizeof(*x->by_name));
	x->dep_pool = calloc(d.ndeps + 1, sizeof(*x->dep_pool));
	if (!x->by_name || !x->dep_pool)
		goto out;
	for (size_t i = 0; i < x->nmods; i++)
		x->by_name[i] = (struct kmod_byname){ x->mods[i].name, i };
	qsort(x->by_name, x->nmods, sizeof(*x->by_name), cmp_byname);
	resolve_deps(x, d.words);
	ret = 0;
out:
	if (ret)
		free_dep(x);
	free(d.words);
	return ret;
}

struct alias_pass {
	struct kmod_index *x;
	char *out, *end;  /* where normalised copies go */
};

/* Stores a normalised copy of s, or returns NULL when the space is used up (it cannot be: each copy
 * is no longer than its original, separator included). */
static const char *stash_normalized(struct alias_pass *a, const char *s)
{
	char *dst = a->out;

	if (kmod_normalize(s, dst, (size_t)(a->end - dst)))
		return NULL;
	a->out += strlen(dst) + 1;
	return dst;
}

/* "alias <pattern> <module>"; anything else (comments) is skipped. */
static int alias_line(void *ctx, char *line)
{
	struct alias_pass *a = ctx;
	struct kmod_alias *al = &a->x->aliases[a->x->naliases];
	char *p = line, *kw = words_next(&p), *pat = words_next(&p), *mod = words_next(&p);

	if (!kw || strcmp(kw, "alias") || !pat || !mod || words_next(&p))
		return 0;
	al->raw = pat;
	al->pattern = stash_normalized(a, pat);
	al->module = stash_normalized(a, mod);
	if (!al->pattern || !al->module)
		return 0;
	a->x->naliases++;
	return 1;
}

static void free_alias(struct kmod_index *x)
{
	free(x->aliases);
	free(x->alias_text);
	x->aliases = NULL;
	x->alias_text = NULL;
	x->naliases = 0;
	x->ix = NULL;
}

int kmod_parse_alias(struct kmod_index *x, const char *buf, size_t len)
{
	struct alias_pass a = { .x = x };

	free_alias(x);
	x->alias_text = malloc(2 * len + 2);
	x->aliases = calloc(count_lines(buf, len), sizeof(*x->aliases));
	if (!x->alias_text || !x->aliases) {
		free_alias(x);
		return -ENOMEM;
	}
	memcpy(x->alias_text, buf, len);
	x->alias_text[len] = '\0';
	a.out = x->alias_text + len + 1;
	a.end = x->alias_text + 2 * len + 2;
	each_line(x->alias_text, len, &a, alias_line);
	return 0;
}

void kmod_index_free(struct kmod_index *x)
{
	free_dep(x);
	free_alias(x);
}

static int contains(const size_t *a, size_t n, size_t v)
{
	for (size_t i = 0; i < n; i++)
		if (a[i] == v)
			return 1;
	return 0;
}

size_t kmod_alias_lookup(const struct kmod_index *x, const char *alias, size_t *out, size_t max)
{
	char norm[4096];
	size_t n = 0;

	if (kmod_normalize(alias, norm, sizeof(norm)))
		return 0;
	if (x->ix)
		return modindex_alias_lookup(x->ix, norm, out, max);
	for (size_t i = 0; i < x->naliases && n < max; i++) {
		ssize_t m;

		if (!kmod_glob_match(x->aliases[i].pattern, norm))
			continue;
		m = find_normalized(x, x->aliases[i].module);
		if (m >= 0 && !contains(out, n, (size_t)m))
			out[n++] = (size_t)m;
	}
	return n;
}

struct walk {
	const struct kmod_index *x;
	size_t *out, n, max;
	size_t stack[KMOD_DEPTH_MAX], depth;
};

/* Depth first, dependencies before the module. modules.dep already lists every module's whole
 * closure, last-to-load first; walking each dependency's own line as well keeps the order right
 * for a hand-written file that lists only direct dependencies. */
static int walk(struct walk *w, size_t mod)
{
	int ret;

	if (contains(w->out, w->n, mod))
		return 0;
	if (w->depth == KMOD_DEPTH_MAX || contains(w->stack, w->depth, mod))
		return -ELOOP;
	if (nmissing(w->x, mod))
		return -ENOENT;
	w->stack[w->depth++] = mod;
	for (size_t i = kmod_ndeps(w->x, mod); i-- > 0;) {
		ret = walk(w, kmod_dep(w->x, mod, i));
		if (ret)
			return ret;
	}
	w->depth--;
	if (w->n == w->max)
		return -ENOSPC;
	w->out[w->n++] = mod;
	return 0;
}

ssize_t kmod_load_order(const struct kmod_index *x, size_t mod, size_t *out, size_t have,
			size_t max)
{
	struct walk w = { .x = x, .out = out, .n = have, .max = max };
	int ret;

	if (mod >= x->nmods || have > max)
		return -EINVAL;
	ret = walk(&w, mod);
	return ret ? ret : (ssize_t)w.n;
}

size_t kmod_lookup(const struct kmod_index *x, const char *word, size_t *out, size_t max)
{
	ssize_t m = kmod_find(x, word);

	if (m < 0)
		return kmod_alias_lookup(x, word, out, max);
	if (!max)
		return 0;
	out[0] = (size_t)m;
	return 1;
}

int kmod_builtin_has(const char *buf, size_t len, const char *name)
{
	char want[KMOD_NAME_MAX], have[KMOD_NAME_MAX], path[512];
	const char *end = buf + len;

	if (kmod_name_from_path(name, want, sizeof(want)))
		return 0;
	while (buf < end) {
		const char *nl = memchr(buf, '\n', (size_t)(end - buf));
		size_t n = nl ? (size_t)(nl - buf) : (size_t)(end - buf);

		if (n < sizeof(path)) {
			memcpy(path, buf, n);
			path[n] = '\0';
			if (!kmod_name_from_path(path, have, sizeof(have)) && !strcmp(want, have))
				return 1;
		}
		buf += n + 1;
	}
	return 0;
}
