/* Parser of gen_init_cpio's list format: see initlist.h for the grammar. */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include "initlist.h"
#include "../core/words.h"

/* Each type's fields, in order, one letter each: N name, L location (file) or target (slink),
 * m mode, u uid, g gid, t device type, j major, n minor; '*' any number of hard-link names. */
static const struct type_spec {
	const char *name;
	unsigned ifmt;
	const char *fields;
} specs[] = {
	[INITLIST_FILE]  = { "file",  S_IFREG,  "NLmug*" },
	[INITLIST_DIR]   = { "dir",   S_IFDIR,  "Nmug" },
	[INITLIST_NOD]   = { "nod",   S_IFCHR,  "Nmugtjn" },
	[INITLIST_SLINK] = { "slink", S_IFLNK,  "NLmug" },
	[INITLIST_PIPE]  = { "pipe",  S_IFIFO,  "Nmug" },
	[INITLIST_SOCK]  = { "sock",  S_IFSOCK, "Nmug" },
};
#define NSPECS (sizeof(specs) / sizeof(specs[0]))

static const char *field_name(char f)
{
	switch (f) {
	case 'N': return "<name>";
	case 'L': return "<location>";
	case 'm': return "<mode>";
	case 'u': return "<uid>";
	case 'g': return "<gid>";
	case 't': return "<dev_type>";
	case 'j': return "<maj>";
	default:  return "<min>";
	}
}

const char *initlist_type_name(enum initlist_type t)
{
	return (unsigned)t < NSPECS && specs[t].name ? specs[t].name : "?";
}

unsigned initlist_mode(const struct initlist_entry *e)
{
	if (e->type == INITLIST_NOD && e->dev_type == 'b')
		return S_IFBLK | e->mode;
	return ((unsigned)e->type < NSPECS ? specs[e->type].ifmt : 0) | e->mode;
}

/* Digits only, in base 8 or 10, at most max: sscanf's %o and %d would also take signs and
 * skip blanks, which gen_init_cpio then prints as 16 hex digits into an 8-digit field. */
static int parse_num(const char *s, unsigned base, unsigned long long max, unsigned *out)
{
	unsigned long long v = 0;

	if (!*s)
		return -EINVAL;
	for (; *s; s++) {
		if (*s < '0' || *s >= (char)('0' + base))
			return -EINVAL;
		v = v * base + (unsigned)(*s - '0');
		if (v > max)
			return -ERANGE;
	}
	*out = (unsigned)v;
	return 0;
}

static int fail(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

static int parse_number_field(struct initlist_entry *e, char f, const char *w,
			      char *err, size_t errlen)
{
	int ret;

	switch (f) {
	case 'm':
		ret = parse_num(w, 8, 07777, &e->mode);
		if (ret)
			return fail(err, errlen, "<mode> '%.40s' is not an octal mode up to 07777", w);
		return 0;
	case 'u':
	case 'g':
		ret = parse_num(w, 10, INT_MAX, f == 'u' ? &e->uid : &e->gid);
		break;
	default:
		ret = parse_num(w, 10, UINT_MAX, f == 'j' ? &e->maj : &e->min);
		break;
	}
	if (ret)
		return fail(err, errlen, "%s '%.40s' is not a decimal number", field_name(f), w);
	return 0;
}

static int parse_field(struct initlist_entry *e, char f, char *w, char *err, size_t errlen)
{
	switch (f) {
	case 'N':
		e->name = w;
		return 0;
	case 'L':
		e->location = w;
		return 0;
	case 't':
		if ((w[0] != 'b' && w[0] != 'c') || w[1])
			return fail(err, errlen, "<dev_type> '%.40s' is not b or c", w);
		e->dev_type = w[0];
		return 0;
	default:
		return parse_number_field(e, f, w, err, errlen);
	}
}

/* The remaining words are hard-link names: move them back to back after the first, so that
 * e->links reads as one NUL-separated list (gen_init_cpio builds the same list for its names). */
static int parse_links(struct initlist_entry *e, char **p, char *err, size_t errlen)
{
	char *dst = NULL, *w;

	while ((w = words_next(p))) {
		size_t len = strlen(w) + 1;

		if (len > INITLIST_WORD_MAX + 1)
			return fail(err, errlen, "hard link name longer than %d characters", INITLIST_WORD_MAX);
		if (!dst)
			e->links = dst = w;
		else
			memmove(dst, w, len);
		dst += len;
		e->nlinks++;
	}
	return 0;
}

static int find_type(const char *w)
{
	for (unsigned t = 1; t < NSPECS; t++)
		if (!strcmp(w, specs[t].name))
			return (int)t;
	return 0;
}

int initlist_parse_line(char *line, struct initlist_entry *e, char *err, size_t errlen)
{
	char *p = line, *w;
	const char *f;
	size_t len;
	int t;

	memset(e, 0, sizeof(*e));
	e->nlinks = 1;
	len = strlen(line);
	if (len && line[len - 1] == '\n')
		len--;
	if (len > INITLIST_LINE_MAX)
		return fail(err, errlen, "line longer than gen_init_cpio's %d characters", INITLIST_LINE_MAX);
	w = words_next(&p);
	if (!w || w[0] == '#')
		return 0;
	t = find_type(w);
	if (!t)
		return fail(err, errlen, "unknown type '%.40s' (file, dir, nod, slink, pipe, sock)", w);
	e->type = (enum initlist_type)t;
	for (f = specs[t].fields; *f && *f != '*'; f++) {
		w = words_next(&p);
		if (!w)
			return fail(err, errlen, "%s: missing %s", specs[t].name, field_name(*f));
		if (strlen(w) > INITLIST_WORD_MAX)
			return fail(err, errlen, "%s: %s longer than %d characters", specs[t].name,
				    field_name(*f), INITLIST_WORD_MAX);
		if (parse_field(e, *f, w, err, errlen))
			return -EINVAL;
	}
	if (*f == '*')
		return parse_links(e, &p, err, errlen) ? -EINVAL : 1;
	w = words_next(&p);
	if (w)
		return fail(err, errlen, "unexpected '%.40s' after %s", w, field_name(f[-1]));
	return 1;
}

static int append(char *out, size_t outlen, size_t *len, const char *s, size_t n)
{
	if (n >= outlen - *len)
		return -ENAMETOOLONG;
	memcpy(out + *len, s, n);
	*len += n;
	out[*len] = '\0';
	return 0;
}

int initlist_expand(const char *in, char *out, size_t outlen, initlist_lookup_fn lookup, void *ctx)
{
	char name[INITLIST_WORD_MAX + 1];
	const char *start, *end, *val;
	size_t len = 0;

	if (!outlen)
		return -ENAMETOOLONG;
	out[0] = '\0';
	while ((start = strstr(in, "${")) && (end = strchr(start + 2, '}'))) {
		size_t n = (size_t)(end - start - 2);

		if (n >= sizeof(name) || append(out, outlen, &len, in, (size_t)(start - in)))
			return -ENAMETOOLONG;
		memcpy(name, start + 2, n);
		name[n] = '\0';
		val = lookup(name, ctx);
		if (val && append(out, outlen, &len, val, strlen(val)))
			return -ENAMETOOLONG;
		in = end + 1;
	}
	if (append(out, outlen, &len, in, strlen(in)))
		return -ENAMETOOLONG;
	return len > INT_MAX ? -ENAMETOOLONG : (int)len;
}
