/* The entry list shared by the three parsers, and what ferry does with it: which entry to boot, in
 * which order to fall back, and the command line the second kernel gets. */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "bootcfg.h"

/* The header only: the entries are cleared one by one as they are added (boot_list_add), so the
 * pages of a large list that no entry reaches are never touched. */
void boot_list_init(struct boot_list *l)
{
	l->n = 0;
	l->dropped = 0;
	l->def = -1;
	l->timeout = -1;
	l->def_name[0] = 0;
	l->err[0] = 0;
	l->undecided[0] = 0;
}

struct boot_list *boot_list_new(void)
{
	struct boot_list *l = malloc(sizeof(*l));

	if (l)
		boot_list_init(l);
	return l;
}

struct boot_entry *boot_list_add(struct boot_list *l, enum boot_fmt fmt)
{
	struct boot_entry *e;

	if (l->n == BOOT_MAX_ENTRIES) {
		l->dropped++;
		return NULL;
	}
	e = &l->e[l->n++];
	memset(e, 0, sizeof(*e));
	e->fmt = fmt;
	e->tries_left = e->tries_done = -1;
	return e;
}

void boot_list_merge(struct boot_list *dst, const struct boot_list *src)
{
	size_t base = dst->n;

	for (size_t i = 0; i < src->n; i++) {
		struct boot_entry *e = boot_list_add(dst, src->e[i].fmt);
		if (!e)
			break;
		*e = src->e[i];
	}
	dst->dropped += src->dropped;
	if (!dst->err[0] && src->err[0])
		memcpy(dst->err, src->err, sizeof(dst->err));
	if (dst->def < 0 && src->def >= 0 && base + (size_t)src->def < dst->n)
		dst->def = (int)(base + (size_t)src->def);
}

int boot_copy(char *dst, size_t size, const char *s, size_t n)
{
	const char *z = memchr(s, 0, n);
	int ret = 0;

	if (z)
		n = (size_t)(z - s);
	if (n >= size) {
		n = size - 1;
		ret = -ENAMETOOLONG;
	}
	memcpy(dst, s, n);
	dst[n] = 0;
	return ret;
}

const char *boot_fmt_name(enum boot_fmt f)
{
	static const char *const names[] = { [BOOT_BLS] = "bls", [BOOT_EXTLINUX] = "extlinux", [BOOT_GRUB] = "grub" };

	return f >= BOOT_BLS && f <= BOOT_GRUB ? names[f] : "?";
}

/* Versions as systemd compares them: runs of digits numerically (leading zeros ignored), runs of
 * letters by strcmp, '~' before anything (pre-releases), other characters only separate runs. */
int boot_vercmp(const char *a, const char *b)
{
	for (;;) {
		while (*a && !isalnum((unsigned char)*a) && *a != '~')
			a++;
		while (*b && !isalnum((unsigned char)*b) && *b != '~')
			b++;
		if (*a == '~' || *b == '~') {
			if (*a != '~') return 1;
			if (*b != '~') return -1;
			a++, b++;
			continue;
		}
		if (!*a || !*b)
			return *a ? 1 : *b ? -1 : 0;
		if (isdigit((unsigned char)*a) != isdigit((unsigned char)*b))
			return isdigit((unsigned char)*a) ? 1 : -1;
		const char *ae = a, *be = b;
		if (isdigit((unsigned char)*a)) {
			while (*a == '0') a++;
			while (*b == '0') b++;
			for (ae = a; isdigit((unsigned char)*ae); ae++) ;
			for (be = b; isdigit((unsigned char)*be); be++) ;
			if (ae - a != be - b)
				return ae - a > be - b ? 1 : -1;
		} else {
			for (; isalpha((unsigned char)*ae); ae++) ;
			for (; isalpha((unsigned char)*be); be++) ;
		}
		size_t n = (size_t)(ae - a) < (size_t)(be - b) ? (size_t)(ae - a) : (size_t)(be - b);
		int r = memcmp(a, b, n);
		if (r)
			return r > 0 ? 1 : -1;
		if (ae - a != be - b)
			return ae - a > be - b ? 1 : -1;
		a = ae, b = be;
	}
}

int boot_find(const struct boot_list *l, const char *want)
{
	char *end;

	if (!want || !*want)
		return -1;
	unsigned long idx = strtoul(want, &end, 10);
	if (isdigit((unsigned char)*want) && !*end)
		return idx < l->n ? (int)idx : -1;
	for (size_t i = 0; i < l->n; i++)
		if (!strcmp(l->e[i].id, want))
			return (int)i;
	for (size_t i = 0; i < l->n; i++)
		if (!strcmp(l->e[i].title, want))
			return (int)i;
	return -1;
}

size_t boot_order(const struct boot_list *l, const char *want, size_t *order, size_t max, int *matched)
{
	int first = boot_find(l, want);
	size_t n = 0;

	*matched = !want || !*want || first >= 0;
	if (first < 0 || l->e[first].problem)
		first = l->def;
	if (first >= 0 && !l->e[first].problem && n < max)
		order[n++] = (size_t)first;
	for (size_t i = 0; i < l->n && n < max; i++)
		if ((int)i != first && !l->e[i].problem)
			order[n++] = i;
	return n;
}

/* Next word of a kernel command line; double quotes keep spaces inside one word. */
static const char *cmd_word(const char *p, const char **start, size_t *n)
{
	int q = 0;

	while (*p == ' ' || *p == '\t' || *p == '\n')
		p++;
	*start = p;
	while (*p && (q || (*p != ' ' && *p != '\t' && *p != '\n'))) {
		if (*p == '"')
			q = !q;
		p++;
	}
	*n = (size_t)(p - *start);
	return p;
}

/* Is word (w, n) named by remove ("a,b=1,c")? A bare key drops every value of it. */
static int cmd_removed(const char *w, size_t n, const char *remove)
{
	const char *eq = memchr(w, '=', n);
	size_t kn = eq ? (size_t)(eq - w) : n;

	for (const char *r = remove; r && *r;) {
		const char *c = strchr(r, ',');
		size_t rn = c ? (size_t)(c - r) : strlen(r);
		if (rn && ((rn == kn && !memcmp(r, w, kn)) || (rn == n && !memcmp(r, w, n))))
			return 1;
		r = c ? c + 1 : r + rn;
	}
	return 0;
}

static int cmd_add(char *out, size_t len, size_t *at, const char *w, size_t n)
{
	if (*at + (*at ? 1 : 0) + n >= len)
		return -ENAMETOOLONG;
	if (*at)
		out[(*at)++] = ' ';
	memcpy(out + *at, w, n);
	*at += n;
	out[*at] = 0;
	return 0;
}

int boot_cmdline(const char *options, const char *remove, const char *append, char *out, size_t len)
{
	const char *p = options ? options : "", *w;
	size_t n, at = 0;
	int ret = 0;

	if (!len)
		return -ENAMETOOLONG;
	out[0] = 0;
	while (!ret && (p = cmd_word(p, &w, &n), n))
		if (!cmd_removed(w, n, remove))
			ret = cmd_add(out, len, &at, w, n);
	for (p = append ? append : ""; !ret && (p = cmd_word(p, &w, &n), n);)
		ret = cmd_add(out, len, &at, w, n);
	return ret;
}

/* Append s to out at *at, control characters, DEL and '\\' as \xHH (a title with a newline would
 * otherwise split the log line it is printed in). Stops, NUL-terminated, where out is full. */
static void esc_cat(char *out, size_t len, size_t *at, const char *s)
{
	static const char hex[] = "0123456789abcdef";

	for (; *s && *at + 1 < len; s++) {
		unsigned char c = (unsigned char)*s;
		if (c >= 0x20 && c != 0x7f && c != '\\') {
			out[(*at)++] = (char)c;
			continue;
		}
		if (*at + 4 >= len)
			break;
		out[(*at)++] = '\\';
		out[(*at)++] = 'x';
		out[(*at)++] = hex[c >> 4];
		out[(*at)++] = hex[c & 15];
	}
	out[*at < len ? *at : len - 1] = 0;
}

const char *boot_escape(const char *s, char *out, size_t len)
{
	size_t at = 0;

	if (len)
		out[0] = 0;
	if (len)
		esc_cat(out, len, &at, s);
	return out;
}

/* Literal text (no escaping), as snprintf would cut it. */
static void lit_cat(char *out, size_t len, size_t *at, const char *s)
{
	while (*s && *at + 1 < len)
		out[(*at)++] = *s++;
	out[*at < len ? *at : len - 1] = 0;
}

void boot_entry_describe(const struct boot_entry *e, char *out, size_t len)
{
	size_t at = 0;

	if (!len)
		return;
	out[0] = 0;
	lit_cat(out, len, &at, "[");
	lit_cat(out, len, &at, boot_fmt_name(e->fmt));
	lit_cat(out, len, &at, "] \"");
	esc_cat(out, len, &at, e->title);
	lit_cat(out, len, &at, "\"");
	if (e->version[0]) {
		lit_cat(out, len, &at, " version=");
		esc_cat(out, len, &at, e->version);
	}
	lit_cat(out, len, &at, " id=");
	esc_cat(out, len, &at, e->id);
	lit_cat(out, len, &at, " linux=");
	if (e->root[0]) {
		esc_cat(out, len, &at, e->root);
		lit_cat(out, len, &at, ":");
	}
	esc_cat(out, len, &at, e->kernel);
	for (size_t i = 0; i < e->ninitrd; i++) {
		lit_cat(out, len, &at, i ? "," : " initrd=");
		esc_cat(out, len, &at, e->initrd[i]);
	}
	if (e->devicetree[0]) {
		lit_cat(out, len, &at, " devicetree=");
		esc_cat(out, len, &at, e->devicetree);
	}
	if (e->fdtdir[0]) {
		lit_cat(out, len, &at, " fdtdir=");
		esc_cat(out, len, &at, e->fdtdir);
	}
	if (e->uki)
		lit_cat(out, len, &at, " (unified kernel image)");
	lit_cat(out, len, &at, " options=\"");
	esc_cat(out, len, &at, e->options);
	lit_cat(out, len, &at, "\"");
	if (e->problem) {
		lit_cat(out, len, &at, " (skipped: ");
		lit_cat(out, len, &at, e->problem);
		lit_cat(out, len, &at, ")");
	}
}

/* A path the loader can open: not empty, from the filesystem's root. An unset variable leaves
 * "" ("linux $kernel") or a relative name ("$dir/vmlinuz"), which would be read from wherever
 * the loader happens to be. */
static int path_bad(const char *p)
{
	return !p[0] || p[0] != '/';
}

void boot_entry_check(struct boot_entry *e)
{
	if (e->problem)
		return;
	if (!e->kernel[0])
		e->problem = "the kernel path is empty after expansion (an unset variable?)";
	else if (path_bad(e->kernel))
		e->problem = "the kernel path is relative after expansion: it must start with /";
	for (size_t i = 0; !e->problem && i < e->ninitrd; i++)
		if (path_bad(e->initrd[i]))
			e->problem = e->initrd[i][0] ? "an initrd path is relative after expansion: it must start with /" :
				"an initrd path is empty after expansion (an unset variable?)";
	if (!e->problem && e->devicetree[0] && path_bad(e->devicetree))
		e->problem = "the device tree path is relative after expansion: it must start with /";
	if (!e->problem && e->fdtdir[0] && path_bad(e->fdtdir))
		e->problem = "the FDTDIR path is relative after expansion: it must start with /";
}
