/* The merged configuration. The file is strict (unknown or repeated keys are errors, reported as
 * file:line); the kernel command line is lenient (it carries the kernel's own words, and bootloaders
 * append, so the last occurrence wins and unknown words are ignored). */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "config.h"

void cfg_init(struct ferry_config *c, const char *file)
{
	memset(c, 0, sizeof(*c));
	c->file = file ? file : "/etc/ferry.conf";
}

void cfg_free(struct ferry_config *c)
{
	for (size_t i = 0; i < c->n; i++) {
		free((char *)c->items[i].key);
		free((char *)c->items[i].val);
	}
	c->n = 0;
}

static void cfg_verror(struct ferry_config *c, const char *fmt, va_list ap)
{
	if (c->nerrors < CFG_MAX_ERRORS)
		vsnprintf(c->errors[c->nerrors], sizeof(c->errors[0]), fmt, ap);
	c->nerrors++;
}

void cfg_errorf(struct ferry_config *c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	cfg_verror(c, fmt, ap);
	va_end(ap);
}

const char *cfg_where(const struct ferry_config *c, const struct cfg_item *it, char *buf, size_t len)
{
	if (!it || it->src == CFG_CMDLINE)
		snprintf(buf, len, "command line");
	else
		snprintf(buf, len, "%s:%d", c->file, it->line);
	return buf;
}

void cfg_error(struct ferry_config *c, const struct cfg_item *it, const char *fmt, ...)
{
	char where[160], msg[160];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	cfg_errorf(c, "%s: %s=%s: %s", cfg_where(c, it, where, sizeof(where)),
		   it ? it->key : "?", it ? it->val : "", msg);
}

static char *dupn(const char *s, size_t n)
{
	char *d = malloc(n + 1);

	if (d) {
		memcpy(d, s, n);
		d[n] = 0;
	}
	return d;
}

/* Store key=val; the caller has checked the key against the registry. */
static int cfg_add(struct ferry_config *c, const char *key, size_t klen, const char *val, size_t vlen,
		   enum cfg_src src, int line)
{
	struct cfg_item *it;

	if (c->n == CFG_MAX_ITEMS) {
		if (!c->full++)
			cfg_errorf(c, "%s: more than %d settings; the rest are ignored",
				   src == CFG_FILE ? c->file : "command line", CFG_MAX_ITEMS);
		return -ENOSPC;
	}
	it = &c->items[c->n];
	it->key = dupn(key, klen);
	it->val = dupn(val, vlen);
	if (!it->key || !it->val) {
		free((char *)it->key);
		free((char *)it->val);
		return -ENOMEM;
	}
	it->src = src;
	it->line = line;
	c->n++;
	return 0;
}

static const struct cfg_key *key_lookup(const char *key, size_t klen)
{
	char name[64];

	if (klen == 0 || klen >= sizeof(name))
		return NULL;
	memcpy(name, key, klen);
	name[klen] = 0;
	return cfg_key_find(name);
}

static const char *trim(const char *s, const char *end, const char **out_end)
{
	while (s < end && isspace((unsigned char)*s))
		s++;
	while (end > s && isspace((unsigned char)end[-1]))
		end--;
	*out_end = end;
	return s;
}

static const struct cfg_item *file_item(const struct ferry_config *c, const char *key)
{
	for (size_t i = 0; i < c->n; i++)
		if (c->items[i].src == CFG_FILE && !strcmp(c->items[i].key, key))
			return &c->items[i];
	return NULL;
}

/* locked.allow = KEY KEY ...: each a key of the registry that the command line may take. */
static void allow_parse(struct ferry_config *c, int lineno, const char *p, const char *end)
{
	c->allow_line = lineno;
	while (p < end) {
		const char *w = p;
		const struct cfg_key *key;

		while (p < end && !isspace((unsigned char)*p) && *p != ',')
			p++;
		key = key_lookup(w, p - w);
		if (p > w && (!key || (key->flags & CFG_FILEONLY)))
			cfg_errorf(c, "%s:%d: locked.allow: \"%.*s\" is not a key the command line can set", c->file,
				   lineno, (int)(p - w > 60 ? 60 : p - w), w);
		else if (p > w && c->nallow == CFG_MAX_ALLOW)
			cfg_errorf(c, "%s:%d: locked.allow: more than %d keys", c->file, lineno, CFG_MAX_ALLOW);
		else if (p > w)
			c->allow[c->nallow++] = key->name;
		while (p < end && (isspace((unsigned char)*p) || *p == ','))
			p++;
	}
}

bool cfg_cmdline_allowed(const struct ferry_config *c, const char *key)
{
	if (!c->locked)
		return true;
	for (size_t i = 0; i < c->nallow; i++)
		if (!strcmp(c->allow[i], key))
			return true;
	return false;
}

/* Grammar, one setting a line:  key = value | key | "locked" | # comment. A value may be wrapped in
 * double quotes (kept verbatim inside, no escapes). */
void cfg_parse_line(struct ferry_config *c, int lineno, const char *line)
{
	const char *end = line + strlen(line), *eq, *k, *kend, *v, *vend;
	const struct cfg_key *key;

	line = trim(line, end, &end);
	if (line == end || *line == '#')
		return;
	eq = memchr(line, '=', end - line);
	k = trim(line, eq ? eq : end, &kend);
	if (!eq && kend - k == 6 && !memcmp(k, "locked", 6)) {
		c->locked = true;
		return;
	}
	for (const char *p = k; p < kend; p++) {
		if (isspace((unsigned char)*p) || !isprint((unsigned char)*p)) {
			cfg_errorf(c, "%s:%d: expected key = value, got \"%.*s\"", c->file, lineno,
				   (int)(end - line > 60 ? 60 : end - line), line);
			return;
		}
	}
	key = key_lookup(k, kend - k);
	if (!key) {
		cfg_errorf(c, "%s:%d: unknown key \"%.*s\"", c->file, lineno, (int)(kend - k > 60 ? 60 : kend - k), k);
		return;
	}
	v = eq ? trim(eq + 1, end, &vend) : end;
	if (!eq)
		vend = v;
	if (vend - v >= 2 && *v == '"' && vend[-1] == '"') {
		v++;
		vend--;
	} else if (memchr(v, '"', vend - v)) {
		cfg_errorf(c, "%s:%d: %s: unbalanced quote in value", c->file, lineno, key->name);
		return;
	}
	if (!eq && !(key->flags & CFG_FLAG)) {
		cfg_errorf(c, "%s:%d: %s needs a value (%s = ...)", c->file, lineno, key->name, key->name);
		return;
	}
	if (!(key->flags & CFG_REPEAT)) {
		const struct cfg_item *prev = file_item(c, key->name);
		if (prev) {
			cfg_errorf(c, "%s:%d: %s is set again (first at line %d)", c->file, lineno, key->name,
				   prev->line);
			return;
		}
	}
	if (cfg_add(c, key->name, strlen(key->name), v, vend - v, CFG_FILE, lineno) == 0 &&
	    !strcmp(key->name, "locked.allow"))
		allow_parse(c, lineno, v, vend);
}

void cfg_parse_file(struct ferry_config *c, const char *buf, size_t len)
{
	char line[1024];
	int lineno = 0;

	for (size_t i = 0; i < len;) {
		const char *nl = memchr(buf + i, '\n', len - i);
		size_t n = nl ? (size_t)(nl - (buf + i)) : len - i;

		lineno++;
		if (memchr(buf + i, 0, n)) {
			cfg_errorf(c, "%s:%d: NUL byte: not a text file?", c->file, lineno);
		} else if (n >= sizeof(line)) {
			cfg_errorf(c, "%s:%d: line longer than %zu characters", c->file, lineno, sizeof(line) - 1);
		} else {
			memcpy(line, buf + i, n);
			line[n] = 0;
			cfg_parse_line(c, lineno, line);
		}
		i += n + 1;
	}
}

/* One command-line word as the kernel splits it (lib/cmdline.c next_arg): a double quote toggles
 * quoting anywhere; quotes around the whole word or around the value are removed. */
static const char *next_word(const char *p, const char *end, const char **k, size_t *klen,
			     const char **v, size_t *vlen)
{
	const char *start, *eq = NULL;
	int inq = 0, quoted = 0;

	while (p < end && (isspace((unsigned char)*p) || !*p))
		p++;
	if (p == end)
		return NULL;
	if (*p == '"') {
		p++;
		inq = quoted = 1;
	}
	start = p;
	for (; p < end && *p; p++) {
		if (isspace((unsigned char)*p) && !inq)
			break;
		if (!eq && *p == '=')
			eq = p;
		if (*p == '"')
			inq = !inq;
	}
	*k = start;
	if (eq) {
		*klen = eq - start;
		*v = eq + 1;
		*vlen = p - (eq + 1);
		if (*vlen && **v == '"') {
			(*v)++;
			(*vlen)--;
			quoted = 1;
		}
		if (quoted && *vlen && (*v)[*vlen - 1] == '"')
			(*vlen)--;
	} else {
		*klen = p - start;
		if (quoted && *klen && start[*klen - 1] == '"')
			(*klen)--;
		*v = NULL;
		*vlen = 0;
	}
	return p;
}

/* A key that is not repeatable is stored once per source: a later word replaces the value, so a
 * command line that repeats a key a thousand times still fits the table. */
static int cmdline_replace(struct ferry_config *c, const char *key, const char *v, size_t vlen)
{
	for (size_t i = 0; i < c->n; i++) {
		struct cfg_item *it = &c->items[i];
		char *val;

		if (it->src != CFG_CMDLINE || strcmp(it->key, key))
			continue;
		if (!(val = dupn(v, vlen)))
			return -ENOMEM;
		free((char *)it->val);
		it->val = val;
		return 0;
	}
	return -ENOENT;
}

void cfg_parse_cmdline(struct ferry_config *c, const char *buf, size_t len)
{
	const char *p = buf, *end = buf + len, *k, *v;
	size_t klen, vlen;

	while ((p = next_word(p, end, &k, &klen, &v, &vlen))) {
		const struct cfg_key *key;

		if (klen == 2 && !v && !memcmp(k, "--", 2))
			break; /* the rest are the init's arguments */
		key = key_lookup(k, klen);
		/* locked: every word of ours (a key of the registry, or any ferry.*) that locked.allow
		 * does not name is ignored, and said so */
		if (c->locked && (key || (klen > 6 && !memcmp(k, "ferry.", 6))) &&
		    !(key && !(key->flags & CFG_FILEONLY) && cfg_cmdline_allowed(c, key->name))) {
			if (c->nignored < CFG_MAX_IGNORED)
				snprintf(c->ignored[c->nignored], sizeof(c->ignored[0]), "%.*s%s%.*s",
					 (int)(klen > 64 ? 64 : klen), k, v ? "=" : "", (int)(vlen > 50 ? 50 : vlen),
					 v ? v : "");
			c->nignored++;
			continue;
		}
		if (!key || (key->flags & CFG_FILEONLY))
			continue;
		if (!v && !(key->flags & CFG_FLAG))
			continue; /* e.g. a bare "root": not ours to guess */
		if (!(key->flags & CFG_REPEAT) && cmdline_replace(c, key->name, v ? v : "", vlen) == 0)
			continue;
		(void)cfg_add(c, key->name, strlen(key->name), v ? v : "", vlen, CFG_CMDLINE, 0);
	}
}

const struct cfg_item *cfg_last(const struct ferry_config *c, const char *key)
{
	for (size_t i = c->n; i-- > 0;)
		if (!strcmp(c->items[i].key, key))
			return &c->items[i];
	return NULL;
}

const char *cfg_get(const struct ferry_config *c, const char *key)
{
	const struct cfg_item *it = cfg_last(c, key);

	return it ? it->val : NULL;
}

bool cfg_has(const struct ferry_config *c, const char *key)
{
	return cfg_last(c, key) != NULL;
}

const struct cfg_item *cfg_next(const struct ferry_config *c, const char *key, const struct cfg_item *prev)
{
	size_t i = prev ? (size_t)(prev - c->items) + 1 : 0;

	for (; i < c->n; i++)
		if (!strcmp(c->items[i].key, key))
			return &c->items[i];
	return NULL;
}

int cfg_get_uint(struct ferry_config *c, const char *key, unsigned long def, unsigned long min,
		 unsigned long max, unsigned long *out)
{
	const struct cfg_item *it = cfg_last(c, key);
	unsigned long v;
	char *end;

	*out = def;
	if (!it)
		return 0;
	errno = 0;
	v = strtoul(it->val, &end, 10);
	if (!*it->val || *end || errno || v < min || v > max || it->val[0] == '-') {
		cfg_error(c, it, "expected a whole number from %lu to %lu", min, max);
		return -EINVAL;
	}
	*out = v;
	return 0;
}

int cfg_get_bool(struct ferry_config *c, const char *key, bool def, bool *out)
{
	static const char *yes[] = { "", "1", "yes", "y", "on", "true" };
	static const char *no[] = { "0", "no", "n", "off", "false" };
	const struct cfg_item *it = cfg_last(c, key);

	*out = def;
	if (!it)
		return 0;
	for (size_t i = 0; i < sizeof(yes) / sizeof(*yes); i++)
		if (!strcmp(it->val, yes[i]))
			return *out = true, 0;
	for (size_t i = 0; i < sizeof(no) / sizeof(*no); i++)
		if (!strcmp(it->val, no[i]))
			return *out = false, 0;
	cfg_error(c, it, "expected yes or no");
	return -EINVAL;
}
