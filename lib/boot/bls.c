/* Boot Loader Specification Type #1 entries: "key value" lines, '#' comments. Sorting follows the
 * specification (and systemd-boot): entries with a sort-key first, by sort-key, machine-id, then
 * version newest first; the rest by file name, newest first; entries out of boot tries last. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "bootcfg.h"
#include "pe.h"

#if defined(__x86_64__)
#define BLS_ARCH "x64"
#elif defined(__i386__)
#define BLS_ARCH "ia32"
#elif defined(__aarch64__)
#define BLS_ARCH "aa64"
#elif defined(__arm__)
#define BLS_ARCH "arm"
#elif defined(__riscv) && __riscv_xlen == 64
#define BLS_ARCH "riscv64"
#else
#define BLS_ARCH ""
#endif

/* "name+LEFT-DONE.conf" or "name+LEFT.conf": boot counting (systemd-boot). The id is the name
 * without the counter and without ".conf". */
static void bls_id(struct boot_entry *e, const char *name)
{
	size_t n = strlen(name);
	const char *plus;

	if (n > 5 && !strcmp(name + n - 5, ".conf"))
		n -= 5;
	e->tries_left = e->tries_done = -1;
	plus = memrchr(name, '+', n);
	if (plus) {
		char num[32], *end;
		size_t k = (size_t)(name + n - plus - 1);
		if (k > 0 && k < sizeof(num)) {
			memcpy(num, plus + 1, k);
			num[k] = 0;
			long left = strtol(num, &end, 10), done = 0;
			if (end != num && *end == '-')
				done = strtol(end + 1, &end, 10);
			if (end != num && !*end && left >= 0 && done >= 0) {
				e->tries_left = (int)left;
				e->tries_done = (int)done;
				n = (size_t)(plus - name);
			}
		}
	}
	(void)boot_copy(e->id, sizeof(e->id), name, n);
}

/* Append value to a space-joined field (options may repeat). */
static int bls_append(char *dst, size_t size, const char *v, size_t n)
{
	size_t have = strlen(dst);

	if (have && have + 1 < size)
		dst[have++] = ' ';
	return boot_copy(dst + have, size - have, v, n);
}

static int bls_key(struct boot_entry *e, const char *k, size_t kn, const char *v, size_t vn)
{
#define IS(s) (kn == sizeof(s) - 1 && !memcmp(k, s, kn))
	if (IS("title"))        return boot_copy(e->title, sizeof(e->title), v, vn);
	if (IS("version"))      return boot_copy(e->version, sizeof(e->version), v, vn);
	if (IS("machine-id"))   return boot_copy(e->machine_id, sizeof(e->machine_id), v, vn);
	if (IS("sort-key"))     return boot_copy(e->sort_key, sizeof(e->sort_key), v, vn);
	if (IS("linux"))        return boot_copy(e->kernel, sizeof(e->kernel), v, vn);
	if (IS("uki") && !e->kernel[0]) {  /* a unified kernel image instead of linux + initrd */
		e->uki = 1;
		return boot_copy(e->kernel, sizeof(e->kernel), v, vn);
	}
	if (IS("devicetree"))   return boot_copy(e->devicetree, sizeof(e->devicetree), v, vn);
	if (IS("architecture")) return boot_copy(e->architecture, sizeof(e->architecture), v, vn);
	if (IS("options"))      return bls_append(e->options, sizeof(e->options), v, vn);
	if (IS("initrd")) {
		if (e->ninitrd == BOOT_MAX_INITRD)
			return -E2BIG;
		return boot_copy(e->initrd[e->ninitrd++], BOOT_PATH, v, vn);
	}
	if (IS("efi") && !e->kernel[0])
		e->problem = "an EFI program, not a Linux kernel";
	return 0;  /* unknown keys are ignored, as the specification asks */
#undef IS
}

static int bls_line(struct boot_entry *e, const char *p, const char *end)
{
	const char *k, *v;

	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	if (p == end || *p == '#')
		return 0;
	k = p;
	while (p < end && *p != ' ' && *p != '\t')
		p++;
	size_t kn = (size_t)(p - k);
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	v = p;
	while (end > v && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r'))
		end--;
	return bls_key(e, k, kn, v, (size_t)(end - v));
}

int bls_parse(struct boot_entry *e, const char *name, const char *buf, size_t len)
{
	const char *p = buf, *end = buf + len;

	e->fmt = BOOT_BLS;
	bls_id(e, name);
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl : end;
		int r = bls_line(e, p, le);
		if (r == -E2BIG)
			e->problem = "more initrd lines than ferry keeps";
		else if (r < 0)
			e->problem = "a value is too long";
		p = nl ? nl + 1 : end;
	}
	if (!e->title[0])
		(void)boot_copy(e->title, sizeof(e->title), e->id, strlen(e->id));
	if (e->architecture[0] && strcasecmp(e->architecture, BLS_ARCH))
		e->problem = "built for another architecture";
	if (!e->kernel[0]) {
		if (!e->problem)
			e->problem = "no linux or uki key";
		return -EINVAL;
	}
	return 0;
}

int bls_uki_entry(struct boot_entry *e, const char *path, const char *name, const char *osrel, size_t olen,
		  const char *uname, size_t ulen)
{
	size_t n = strlen(name);
	char conf[BOOT_NAME];

	if (n < 5 || strcasecmp(name + n - 4, ".efi") || n - 4 + 6 > sizeof(conf))
		return -EINVAL;
	memcpy(conf, name, n - 4);
	memcpy(conf + n - 4, ".conf", 6);      /* "name+3-1.efi" counts tries as "name+3-1.conf" does */
	e->fmt = BOOT_BLS;
	e->uki = 1;
	bls_id(e, conf);
	if (boot_copy(e->kernel, sizeof(e->kernel), path, strlen(path)))
		e->problem = "a value is too long";
	if (osrel_pretty_name(osrel, olen, e->title, sizeof(e->title)) < 0)
		(void)boot_copy(e->title, sizeof(e->title), e->id, strlen(e->id));
	while (ulen && (uname[ulen - 1] == '\n' || uname[ulen - 1] == '\0'))
		ulen--;
	(void)boot_copy(e->version, sizeof(e->version), uname, ulen);
	return 0;
}

static int bls_cmp(const void *pa, const void *pb)
{
	const struct boot_entry *a = pa, *b = pb;
	int r;

	/* Entries with no tries left go last: their kernel failed to boot the number of times asked. */
	if ((a->tries_left == 0) != (b->tries_left == 0))
		return a->tries_left == 0 ? 1 : -1;
	if (!!a->sort_key[0] != !!b->sort_key[0])
		return a->sort_key[0] ? -1 : 1;
	if (a->sort_key[0]) {
		if ((r = strcmp(a->sort_key, b->sort_key)))
			return r;
		if ((r = strcmp(a->machine_id, b->machine_id)))
			return r;
		if ((r = boot_vercmp(b->version, a->version)))
			return r;
	}
	return boot_vercmp(b->id, a->id);
}

void bls_sort(struct boot_list *l)
{
	qsort(l->e, l->n, sizeof(l->e[0]), bls_cmp);
	l->def = -1;
	for (size_t i = 0; i < l->n; i++)
		if (!l->e[i].problem) {
			l->def = (int)i;
			break;
		}
}

/* ---- grubenv ------------------------------------------------------------------------------------ */
#define GRUBENV_SIG "# GRUB Environment Block\n"

/* One name=value record at p (GRUB's grub_envblk_iterate: the name runs to '=', the value to an
 * unescaped newline). Returns where the next record starts, or NULL when the rest is broken. */
static const char *grubenv_record(struct grubenv *env, const char *p, const char *end, int *full)
{
	const char *name = p, *eq, *v;

	while (p < end && *p != '=')
		p++;
	if (p == end)
		return NULL;
	eq = p++;
	for (v = p; p < end && *p != '\n';)
		p += *p == '\\' ? 2 : 1;
	if (p >= end)
		return NULL;
	size_t nn = (size_t)(eq - name), vn = (size_t)(p - v);
	if (env->n == GRUBENV_VARS || env->used + nn + vn + 2 > sizeof(env->text)) {
		*full = 1;
		return p + 1;
	}
	env->name[env->n] = env->used;
	memcpy(env->text + env->used, name, nn);
	env->used += nn;
	env->text[env->used++] = 0;
	env->value[env->n++] = env->used;
	for (const char *q = v; q < p; q++) {
		if (*q == '\\')
			q++;
		env->text[env->used++] = *q;
	}
	env->text[env->used++] = 0;
	return p + 1;
}

int grubenv_parse(struct grubenv *env, const char *buf, size_t len)
{
	const char *p = buf + sizeof(GRUBENV_SIG) - 1, *end = buf + len;
	int full = 0;

	env->n = env->used = 0;
	if (len < sizeof(GRUBENV_SIG) - 1 || memcmp(buf, GRUBENV_SIG, sizeof(GRUBENV_SIG) - 1))
		return -EINVAL;
	while (p && p < end) {
		if (*p == '#') {
			const char *nl = memchr(p, '\n', (size_t)(end - p));
			p = nl ? nl + 1 : end;
		} else if (*p == '\n')
			p++;
		else
			p = grubenv_record(env, p, end, &full);
	}
	return full ? -E2BIG : 0;
}

const char *grubenv_get(const struct grubenv *env, const char *name, size_t n)
{
	for (size_t i = env->n; i-- > 0;) {
		const char *k = env->text + env->name[i];
		if (strlen(k) == n && !memcmp(k, name, n))
			return env->text + env->value[i];
	}
	return NULL;
}

const char *grubenv_getvar(void *env, const char *name, size_t n)
{
	return env ? grubenv_get(env, name, n) : NULL;
}

/* ---- blscfg's expansion --------------------------------------------------------------------------- */
/* Words written NUL-separated into out[cap]: a word is ended by unquoted white space; one that ends
 * empty (and was not quoted) is no word at all, as in GRUB's script. */
struct bls_words {
	char *out;
	size_t cap, at, start, n;
	int quoted, over;
	boot_getvar get;
	void *arg;
	int keep_quotes, keep_unset;
};

static void bw_put(struct bls_words *w, char c)
{
	if (w->at + 2 > w->cap) {
		w->over = 1;
		return;
	}
	w->out[w->at++] = c;
}

static void bw_end(struct bls_words *w)
{
	if (w->at > w->start || w->quoted) {
		bw_put(w, 0);
		if (!w->over)
			w->n++;
	}
	w->at = w->over ? w->start : w->at;
	w->start = w->at;
	w->quoted = 0;
}

static int bw_namechar(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

/* A variable at s ('$' first); returns its length in s, 0 when it is no variable ("$", "${x"). */
static size_t bw_var(const char *s, size_t n, const char **name, size_t *nn)
{
	size_t k = 1;

	if (n > 1 && s[1] == '{') {
		const char *close = memchr(s + 2, '}', n - 2);
		if (!close || close == s + 2)
			return 0;
		*name = s + 2;
		*nn = (size_t)(close - s - 2);
		return *nn + 3;
	}
	while (k < n && bw_namechar(s[k]))
		k++;
	*name = s + 1;
	*nn = k - 1;
	return k > 1 ? k : 0;
}

/* A variable's value: in double quotes one piece of the word, unquoted split into words. */
static void bw_value(struct bls_words *w, const char *v, int dq)
{
	for (; *v; v++) {
		if (!dq && (*v == ' ' || *v == '\t' || *v == '\n'))
			bw_end(w);
		else
			bw_put(w, *v);
	}
}

static void bls_split(struct bls_words *w, const char *s, size_t n)
{
	char q = 0;   /* the open quote, 0 outside */

	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		const char *name;
		size_t nn, k;
		if (!q && (c == ' ' || c == '\t')) {
			bw_end(w);
			continue;
		}
		if (c == '\\' && q != '\'' && i + 1 < n) {   /* GRUB: the next character as it is */
			if (w->keep_quotes)
				bw_put(w, c);
			bw_put(w, s[++i]);
			continue;
		}
		if ((c == '"' || c == '\'') && (!q || q == c)) {
			q = q ? 0 : c;
			w->quoted = 1;
			if (w->keep_quotes)
				bw_put(w, c);
			continue;
		}
		if (c == '$' && q != '\'' && (k = bw_var(s + i, n - i, &name, &nn))) {
			const char *v = w->get ? w->get(w->arg, name, nn) : NULL;
			if (v)
				bw_value(w, v, q == '"');
			else if (w->keep_unset)
				for (size_t j = 0; j < k; j++)
					bw_put(w, s[i + j]);
			i += k - 1;
			continue;
		}
		bw_put(w, c);
	}
	bw_end(w);
}

/* field = the expanded words of field joined by spaces; returns the number of words. */
static int bls_rewrite(char *field, size_t size, boot_getvar get, void *arg, int keep_quotes, int keep_unset,
		       char *tmp, size_t tcap)
{
	struct bls_words w = { .out = tmp, .cap = tcap, .get = get, .arg = arg, .keep_quotes = keep_quotes,
		.keep_unset = keep_unset };
	size_t at = 0;

	bls_split(&w, field, strlen(field));
	if (w.over)
		return -E2BIG;
	field[0] = 0;
	for (size_t i = 0, off = 0; i < w.n; i++) {
		size_t k = strlen(tmp + off);
		if (at + k + 2 > size)
			return -ENAMETOOLONG;
		if (at)
			field[at++] = ' ';
		memcpy(field + at, tmp + off, k + 1);
		at += k;
		off += k + 1;
	}
	return (int)w.n;
}

/* The words of s, each appended to the initrd list. */
static int bls_initrd_words(char (*out)[BOOT_PATH], size_t *nout, const char *s,
			    const char *prefix, boot_getvar get, void *arg, char *tmp, size_t tcap)
{
	struct bls_words w = { .out = tmp, .cap = tcap, .get = get, .arg = arg };

	bls_split(&w, s, strlen(s));
	if (w.over)
		return -E2BIG;
	for (size_t i = 0, off = 0; i < w.n; i++) {
		size_t k = strlen(tmp + off), pn = strlen(prefix);
		if (*nout == BOOT_MAX_INITRD)
			return -E2BIG;
		if (pn + k >= BOOT_PATH)
			return -ENAMETOOLONG;
		memcpy(out[*nout], prefix, pn);
		memcpy(out[*nout] + pn, tmp + off, k + 1);
		(*nout)++;
		off += k + 1;
	}
	return 0;
}

/* The directory part of path with its '/', as blscfg takes it for $early_initrd and $devicetree. */
static void bls_dirname(const char *path, char *out, size_t len)
{
	const char *slash = strrchr(path, '/');

	(void)boot_copy(out, len, path, slash ? (size_t)(slash - path + 1) : 0);
}

/* initrds: $early_initrd's words (from the first initrd's directory, else the kernel's), then each
 * initrd line's words. */
static int bls_expand_initrds(struct boot_entry *e, boot_getvar get, void *arg, char *tmp, size_t tcap)
{
	static char raw[BOOT_MAX_INITRD][BOOT_PATH];
	char prefix[BOOT_PATH];
	size_t n = 0, nraw = e->ninitrd;
	const char *early = get ? get(arg, "early_initrd", 12) : NULL;
	int r = 0;

	memcpy(raw, e->initrd, sizeof(raw));
	if (early) {
		bls_dirname(nraw ? raw[0] : e->kernel, prefix, sizeof(prefix));
		r = bls_initrd_words(e->initrd, &n, early, prefix, NULL, NULL, tmp, tcap);
	}
	for (size_t i = 0; !r && i < nraw; i++)
		r = bls_initrd_words(e->initrd, &n, raw[i], "", get, arg, tmp, tcap);
	e->ninitrd = n;
	return r;
}

/* linux: its first word is the kernel; words after it go to the kernel before the options, as in
 * the "linux KERNEL OPTIONS" line blscfg writes. */
static int bls_expand_kernel(struct boot_entry *e, boot_getvar get, void *arg, char *tmp, size_t tcap)
{
	static char rest[BOOT_OPTS];
	int n = bls_rewrite(e->kernel, sizeof(e->kernel), get, arg, 0, 0, tmp, tcap);
	char *sp;

	if (n < 0)
		return n;
	if (n <= 1 || !(sp = strchr(e->kernel, ' ')))
		return 0;
	*sp = 0;
	if (snprintf(rest, sizeof(rest), "%s%s%s", sp + 1, e->options[0] ? " " : "", e->options) >= (int)sizeof(rest))
		return -ENAMETOOLONG;
	memcpy(e->options, rest, sizeof(rest));
	return 0;
}

int bls_expand(struct boot_entry *e, boot_getvar get, void *arg, unsigned flags)
{
	static char tmp[BOOT_OPTS * 2];
	const char *v;
	int r;

	if (e->uki)
		return 0;
	if (!e->options[0] && get && (v = get(arg, "default_kernelopts", 18)))
		(void)boot_copy(e->options, sizeof(e->options), v, strlen(v));
	if (!e->devicetree[0] && get && (v = get(arg, "devicetree", 10)) && v[0]) {
		char dir[BOOT_PATH];
		bls_dirname(e->kernel, dir, sizeof(dir));
		if (snprintf(e->devicetree, sizeof(e->devicetree), "%s%s", dir, v) >= (int)sizeof(e->devicetree))
			goto long_value;
	}
	if ((r = bls_rewrite(e->options, sizeof(e->options), get, arg, 1, !!(flags & BLS_KEEP_UNSET), tmp,
			     sizeof(tmp))) < 0)
		goto long_value;
	if ((r = bls_expand_kernel(e, get, arg, tmp, sizeof(tmp))) < 0)
		goto long_value;
	if ((r = bls_rewrite(e->devicetree, sizeof(e->devicetree), get, arg, 0, 0, tmp, sizeof(tmp))) < 0)
		goto long_value;
	if ((r = bls_expand_initrds(e, get, arg, tmp, sizeof(tmp))) < 0) {
		if (!e->problem)
			e->problem = r == -E2BIG ? "more initrds than ferry keeps (after expansion)" :
				"a value is too long (after expansion)";
		return r;
	}
	return 0;
long_value:
	if (!e->problem)
		e->problem = "a value is too long (after expansion)";
	return -ENAMETOOLONG;
}
