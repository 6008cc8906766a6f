/* grub.cfg as GRUB's script runs it, to the extent distributions generate it: an interpreter rather
 * than a line scanner, because the default entry is decided by script (`if [ "${next_entry}" ]`,
 * `load_env`, `set default="${saved_entry}"`), the kernel's device by `search --set=root`, the command
 * line by functions (Ubuntu's gfxmode sets vt_handoff) and sourced files (CoreOS's ignition.firstboot),
 * and install media build entries in loops.
 *
 * What follows GRUB (grub-core/script/yylex.l, execute.c, argv.c, commands/test.c, regexp.c,
 * configfile.c, normal/context.c, menuentry.c):
 * - words: '...' literal; "..." with \$ \\ \" \<newline> and every other backslash kept; unquoted
 *   \c is c, except \xHH which stays as written (the kernel or dracut decodes it); an unquoted $var
 *   splits on white space, a quoted one does not; an unquoted word that expands to nothing is no
 *   argument; $1..$N, $#, $*, $@ inside functions and entry bodies (an entry's are its title and
 *   extra arguments), $? the last status.
 * - commands before functions before NAME=VALUE; `!` inverts a status; unknown commands succeed.
 * - test/[: GRUB's left-to-right parse: -a binds as juxtaposition, -o splits, ! inverts the next
 *   term, ( ) nest; numbers as strtoul base 0; -pgt/-plt; file tests through read_file.
 * - submenu bodies and configfile run in a new context holding only exported variables (upstream
 *   GRUB; Fedora's patch copies all); configfile has its own menu: once it has entries it is the menu
 *   GRUB shows, and inside an entry its default is what that entry boots. source runs in place.
 *   Both set config_file and config_directory while the file runs.
 * Where ferry differs: an entry's body runs where it is defined (with the variables of that moment,
 * restored afterwards), not after the whole file; no globbing; && || | are no commands.
 *
 * Every loop and recursion is bounded: nesting (GRUB's own 64), files sourced (depth and count),
 * and a budget over the whole run (commands run, statements read); a script past it is what GRUB
 * would hang on, so it is an error naming the loop's file and line, and its entries are dropped. The disk is reached only through struct
 * grub_ops; what they cannot decide (plan time, another device) is said in `undecided`. */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "bootcfg.h"
#include "../core/regex.h"

enum { T_WORD, T_SEP, T_LB, T_RB };
struct gtok {
	int type;
	const char *p;
	size_t n;
	unsigned line;
	int kw;               /* index in g_keywords + 1 when the word is one, else 0 */
};

/* Words the reader looks at in command position (GRUB's reserved words, and the menu commands). */
static const char *const g_keywords[] = { "if", "then", "elif", "else", "fi", "for", "in", "do", "done",
	"while", "until", "function", "menuentry", "submenu", NULL };

struct gscript {
	const char *name;     /* interned file name */
	char *buf;            /* a sourced file's text (owned); NULL for the caller's */
	struct gtok *t;
	size_t nt;
};

#define G_VARS 96
#define G_VAL 1024
#define G_ARGS 64
#define G_STORE (2 * BOOT_OPTS)
#define G_NEST 64            /* GRUB's MAX_RECURSION_DEPTH */
#define G_STEPS 10000        /* commands and loop rounds in one parse (Debian's grub.cfg: ~300) */
#define G_VISITS 1000000     /* statements read, run or skipped (a loop's dry pass over its body) */
#define G_FUNCS 48
#define G_SCRIPTS 32         /* files sourced in one parse */
#define G_SOURCE_DEPTH 8
#define G_LOADED (4u << 20)  /* bytes sourced in one parse */

struct gvar {
	char name[32];
	char val[G_VAL];
	int exported;
};

struct gfunc {
	char name[32];
	const struct gscript *sc;
	size_t start;         /* the body's "{" */
};

struct gs {
	struct boot_list *l;
	const struct grub_ops *ops;
	const struct gscript *sc;   /* the script being read */
	size_t pos;
	struct gscript *scripts[G_SCRIPTS];
	size_t nscripts, loaded;
	struct gvar *vars;
	size_t nvars;
	struct gfunc funcs[G_FUNCS];
	size_t nfuncs;
	char **argv;                /* positional parameters; scoped: inside a function or entry body */
	int argc, scoped;
	struct boot_entry *cur;     /* entry whose body is running */
	size_t first;               /* this parse's first entry */
	int depth, index[2];        /* menu depth and the next index at each depth */
	char ptitle[BOOT_NAME], pid[BOOT_NAME];
	int nest, sdepth, status, loops;
	long steps, visits;
	int brk, cont, ret, stop, replaced;
	unsigned line;              /* of the command running */
	const struct gscript *loop_sc;  /* the innermost loop running, for the budget's error */
	unsigned loop_line;
	char *stores[G_NEST + 2];   /* words of the command at each nesting level, reused */
	char undecided[BOOT_NAME];  /* first undecided thing outside the entries so far */
};

/* The word store for a command at this nesting level: a command's words live while deeper levels
 * run (a function's body, a loop's), never beside another command of the same level. */
static char *g_store(struct gs *s)
{
	int k = s->nest < 0 ? 0 : s->nest > G_NEST + 1 ? G_NEST + 1 : s->nest;

	if (!s->stores[k])
		s->stores[k] = malloc(G_STORE);
	return s->stores[k];
}

static int g_halted(const struct gs *s)
{
	return s->brk || s->ret || s->stop || s->replaced;
}

/* File names outlive the parse (entries point at them): a small append-only table. */
static const char *g_intern(const char *name)
{
	static char names[32][128];
	static size_t n;

	for (size_t i = 0; i < n; i++)
		if (!strcmp(names[i], name))
			return names[i];
	if (n == sizeof(names) / sizeof(names[0]) || strlen(name) >= sizeof(names[0]))
		return "(a file grub read)";
	snprintf(names[n], sizeof(names[0]), "%s", name);
	return names[n++];
}

static const char *g_file(const struct gs *s)
{
	return s->sc ? s->sc->name : "grub.cfg";
}

/* "file:line: what" into out, once. */
static void g_note(const struct gs *s, char *out, size_t len, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (out[0])
		return;
	n = snprintf(out, len, "%s:%u: ", g_file(s), s->line);
	va_start(ap, fmt);
	if (n > 0 && (size_t)n < len)
		vsnprintf(out + n, len - (size_t)n, fmt, ap);
	va_end(ap);
}

#define G_UNDECIDED(s, ...) g_note((s), (s)->cur ? (s)->cur->undecided : (s)->undecided, BOOT_NAME, __VA_ARGS__)

/* ---- tokens: GRUB's lexer (yylex.l) ----------------------------------------------------------- */
static int g_push(struct gscript *sc, size_t *cap, int type, const char *p, size_t n, unsigned line)
{
	if (sc->nt == *cap) {
		size_t nc = *cap ? *cap * 2 : 256;
		struct gtok *t = realloc(sc->t, nc * sizeof(*t));
		if (!t)
			return -ENOMEM;
		sc->t = t, *cap = nc;
	}
	int kw = 0;
	for (int i = 0; type == T_WORD && g_keywords[i] && !kw; i++)
		if (strlen(g_keywords[i]) == n && !memcmp(g_keywords[i], p, n))
			kw = i + 1;
	sc->t[sc->nt++] = (struct gtok){ type, p, n, line, kw };
	return 0;
}

/* A word ends at an unquoted blank, newline, ; { } | & < >; quotes, escapes and ${...} hold it together. */
static size_t g_wordlen(const char *p, size_t len)
{
	size_t i = 0;

	while (i < len && !strchr(" \t\r\n;{}|&<>", p[i])) {
		char c = p[i];
		if (c == '\\')
			i += 2;
		else if (c == '\'' || c == '"') {
			for (i++; i < len && p[i] != c; i++)
				if (c == '"' && p[i] == '\\')
					i++;
			i++;
		} else if (c == '$' && i + 1 < len && p[i + 1] == '{') {
			while (i < len && p[i] != '}')
				i++;
			i++;
		} else
			i++;
	}
	return i < len ? i : len;
}

static int g_tokenize(struct gscript *sc, const char *buf, size_t len)
{
	size_t i = 0, cap = 0;
	unsigned line = 1;
	int r = 0;

	while (!r && i < len) {
		char c = buf[i];
		if (c == ' ' || c == '\t' || c == '\r' || c == 0)
			i++;
		else if (c == '\\' && i + 1 < len && buf[i + 1] == '\n')
			i += 2, line++;
		else if (c == '#')
			while (i < len && buf[i] != '\n')
				i++;
		else if (strchr("\n;{}|&<>", c)) {
			r = g_push(sc, &cap, c == '{' ? T_LB : c == '}' ? T_RB : T_SEP, buf + i, 1, line);
			line += c == '\n';
			i++;
		} else {
			size_t n = g_wordlen(buf + i, len - i);
			r = g_push(sc, &cap, T_WORD, buf + i, n, line);
			for (size_t k = 0; k < n; k++)
				line += buf[i + k] == '\n';
			i += n;
		}
	}
	return r;
}

/* ---- variables ------------------------------------------------------------------------------- */
static struct gvar *g_find(const struct gs *s, const char *name, size_t n)
{
	for (size_t i = 0; i < s->nvars; i++)
		if (strlen(s->vars[i].name) == n && !memcmp(s->vars[i].name, name, n))
			return &s->vars[i];
	return NULL;
}

static const char *g_get(const struct gs *s, const char *name, size_t n)
{
	const struct gvar *v = g_find(s, name, n);
	return v ? v->val : "";
}

static struct gvar *g_set(struct gs *s, const char *name, size_t n, const char *val)
{
	struct gvar *v = g_find(s, name, n);

	if (!n || n >= sizeof(s->vars[0].name) || isdigit((unsigned char)name[0]))
		return NULL;
	if (!v) {
		if (s->nvars == G_VARS)
			return NULL;
		v = &s->vars[s->nvars++];
		v->exported = 0;
		(void)boot_copy(v->name, sizeof(v->name), name, n);
	}
	(void)boot_copy(v->val, G_VAL, val, strlen(val));
	return v;
}

static void g_unset(struct gs *s, const char *name)
{
	struct gvar *v = g_find(s, name, strlen(name));

	if (v)
		*v = s->vars[--s->nvars];
}

/* A copy of the variables, to put back after an entry body or a new context. */
static struct gvar *g_save(const struct gs *s)
{
	struct gvar *c = malloc(sizeof(*c) * (s->nvars ? s->nvars : 1));

	if (c)
		memcpy(c, s->vars, sizeof(*c) * s->nvars);
	return c;
}

static void g_restore(struct gs *s, struct gvar *c, size_t n)
{
	memcpy(s->vars, c, sizeof(*c) * n);
	s->nvars = n;
	free(c);
}

/* A new context (normal/context.c): only exported variables are seen in it. */
static void g_exported_only(struct gs *s)
{
	for (size_t i = 0; i < s->nvars;)
		if (!s->vars[i].exported)
			s->vars[i] = s->vars[--s->nvars];
		else
			i++;
}

/* ---- word expansion: argv.c and execute.c's arglist_to_argv ---------------------------------- */
struct gargs {
	int n;
	char *v[G_ARGS];
	char *store;
	size_t at, cap, len;
	int open, over;
};

static void ga_open(struct gargs *a)
{
	if (a->open)
		return;
	if (a->n == G_ARGS || a->at + 1 >= a->cap) {
		a->over = 1;
		return;
	}
	a->open = 1;
	a->len = 0;
}

static void ga_put(struct gargs *a, char c)
{
	if (c == '\r')
		return;  /* GRUB's getline drops carriage returns */
	ga_open(a);
	if (!a->open)
		return;
	if (a->at + a->len + 2 > a->cap) {
		a->over = 1;
		return;
	}
	a->store[a->at + a->len++] = c;
}

static void ga_end(struct gargs *a)
{
	if (!a->open)
		return;
	a->store[a->at + a->len] = 0;
	a->v[a->n++] = a->store + a->at;
	a->at += a->len + 1;
	a->open = 0;
}

static void ga_puts(struct gargs *a, const char *v, int split)
{
	if (!split) {
		ga_open(a);
		while (*v)
			ga_put(a, *v++);
		return;
	}
	/* grub_script_argv_split_append: the first piece joins the word so far, each other is new */
	while (*v && isspace((unsigned char)*v))
		v++;
	while (*v) {
		while (*v && !isspace((unsigned char)*v))
			ga_put(a, *v++);
		while (*v && isspace((unsigned char)*v))
			v++;
		if (*v)
			ga_end(a);
	}
}

static int g_hex(char c)
{
	return isxdigit((unsigned char)c);
}

/* $name ${name} $N ${N} $? $# $* $@ after the '$': appends the value; returns the characters used. */
static size_t g_dollar(struct gs *s, const char *p, size_t len, struct gargs *a, int split)
{
	size_t i = 0, st = 0, n;
	char num[16];

	if (len && p[0] == '{') {
		for (st = i = 1; i < len && p[i] != '}'; i++)
			;
		n = i - st;
		i = i < len ? i + 1 : i;
	} else if (len && strchr("?#*@", p[0]) && p[0])
		n = i = 1;
	else if (len && isdigit((unsigned char)p[0])) {
		while (i < len && isdigit((unsigned char)p[i]))
			i++;
		n = i;
	} else {
		while (i < len && (isalnum((unsigned char)p[i]) || p[i] == '_') &&
		       (i || !isdigit((unsigned char)p[i])))
			i++;
		n = i;
	}
	const char *v = p + st;
	if (!n) {
		ga_put(a, '$');  /* GRUB: a syntax error; taken as the character */
		return i;
	}
	if (n == 1 && v[0] == '?') {
		snprintf(num, sizeof(num), "%d", s->status);
		ga_puts(a, num, 0);
	} else if (n == 1 && v[0] == '#') {
		if (s->scoped) {
			snprintf(num, sizeof(num), "%d", s->argc);
			ga_puts(a, num, 0);
		}
	} else if (n == 1 && (v[0] == '*' || v[0] == '@')) {
		for (int k = 0; s->scoped && k < s->argc; k++) {
			if (k && (split || v[0] == '@'))
				ga_end(a);
			else if (k)
				ga_put(a, ' ');
			ga_puts(a, s->argv[k], split);
		}
	} else if (isdigit((unsigned char)v[0])) {
		unsigned long k = n < 6 ? strtoul(v, NULL, 10) : 0;
		if (s->scoped && k >= 1 && k <= (unsigned long)s->argc)
			ga_puts(a, s->argv[k - 1], split);
	} else
		ga_puts(a, g_get(s, v, n), split);
	return i;
}

/* "..." from after the opening quote; returns the index after the closing one. */
static size_t g_dq(struct gs *s, const char *p, size_t len, size_t i, struct gargs *a)
{
	ga_open(a);
	while (i < len && p[i] != '"') {
		if (p[i] == '\\' && i + 1 < len && strchr("$\\\"\n", p[i + 1])) {
			if (p[i + 1] != '\n')
				ga_put(a, p[i + 1]);
			i += 2;
		} else if (p[i] == '$') {
			i++;
			i += g_dollar(s, p + i, len - i, a, 0);
		} else
			ga_put(a, p[i++]);
	}
	return i + 1;
}

/* One raw word into zero or more arguments. */
static void g_expand(struct gs *s, const char *p, size_t len, struct gargs *a)
{
	size_t i = 0;

	while (i < len) {
		char c = p[i];
		if (c == '\\') {
			if (i + 1 >= len)
				i++;
			else if (p[i + 1] == '\n')
				i += 2;
			else if (p[i + 1] == 'x' && i + 3 < len && g_hex(p[i + 2]) && g_hex(p[i + 3])) {
				for (int k = 0; k < 4; k++)
					ga_put(a, p[i++]);  /* \xHH is kept as written (wildcard_unescape) */
			} else {
				ga_put(a, p[i + 1]);
				i += 2;
			}
		} else if (c == '\'') {
			ga_open(a);
			for (i++; i < len && p[i] != '\''; i++)
				ga_put(a, p[i]);
			i++;
		} else if (c == '"')
			i = g_dq(s, p, len, i + 1, a);
		else if (c == '$' && i + 1 < len && p[i + 1] == '"')
			i = g_dq(s, p, len, i + 2, a);  /* $"..." (gettext): as "..." */
		else if (c == '$') {
			i++;
			i += g_dollar(s, p + i, len - i, a, 1);
		} else
			ga_put(a, p[i++]);
	}
	ga_end(a);
}

/* ---- reading files --------------------------------------------------------------------------- */
/* "(dev)/path" -> dev and path; a path without a device is on $root (GRUB's rule). */
static const char *g_devpath(const struct gs *s, const char *w, char *dev, size_t dlen)
{
	const char *close;

	if (w[0] != '(' || !(close = strchr(w, ')'))) {
		const char *root = s ? g_get(s, "root", 4) : "";
		(void)boot_copy(dev, dlen, root, strlen(root));
		return w;
	}
	(void)boot_copy(dev, dlen, w + 1, (size_t)(close - w - 1));
	return close + 1;
}

static int g_read(struct gs *s, const char *word, char **buf, size_t *len)
{
	char dev[BOOT_NAME];
	const char *path = g_devpath(s, word, dev, sizeof(dev));

	*buf = NULL;
	*len = 0;
	if (!s->ops || !s->ops->read_file)
		return -ENOSYS;
	int r = s->ops->read_file(s->ops->arg, dev, path, buf, len);
	if (r < 0) {
		free(*buf);
		*buf = NULL;
	}
	return r;
}

/* grubenv: "name=value" lines (a 1024-byte block padded with '#'). */
static int g_load_env(struct gs *s, struct gargs *a)
{
	char path[G_VAL + 16], *buf = NULL;
	size_t len = 0;
	int i = 1, r;

	snprintf(path, sizeof(path), "%s/grubenv", g_get(s, "prefix", 6));
	for (; i < a->n && a->v[i][0] == '-'; i++)
		if ((!strcmp(a->v[i], "-f") || !strcmp(a->v[i], "--file")) && i + 1 < a->n)
			snprintf(path, sizeof(path), "%s", a->v[++i]);
		else if (!strncmp(a->v[i], "--file=", 7))
			snprintf(path, sizeof(path), "%s", a->v[i] + 7);
	if ((r = g_read(s, path, &buf, &len)) < 0) {
		if (r == -EXDEV)
			G_UNDECIDED(s, "load_env %s: on a device not read here (taken as missing)", path);
		return 1;
	}
	for (char *p = buf, *end = buf + len; p < end;) {
		char *nl = memchr(p, '\n', (size_t)(end - p)), *le = nl ? nl : end;
		char *eq = memchr(p, '=', (size_t)(le - p));
		if (*p != '#' && eq) {
			char val[G_VAL];
			(void)boot_copy(val, sizeof(val), eq + 1, (size_t)(le - eq - 1));
			int want = i == a->n;
			for (int k = i; k < a->n; k++)
				want |= strlen(a->v[k]) == (size_t)(eq - p) && !memcmp(a->v[k], p, (size_t)(eq - p));
			if (want)
				(void)g_set(s, p, (size_t)(eq - p), val);
		}
		p = nl ? nl + 1 : end;
	}
	free(buf);
	return 0;
}

/* ---- search ---------------------------------------------------------------------------------- */
static int g_search_one(struct gs *s, const char *kind, const char *value, const char *var)
{
	char root[BOOT_NAME];
	int r = 1;

	if (s->ops && s->ops->search) {
		r = s->ops->search(s->ops->arg, kind, value, root, sizeof(root));
		if (r < 0)
			return 1;  /* no such device: GRUB leaves the variable alone */
	} else
		snprintf(root, sizeof(root), "%s=%s", !strcmp(kind, "fs-uuid") ? "UUID" :
			!strcmp(kind, "label") ? "LABEL" : "FILE", value);
	if (r > 0)
		G_UNDECIDED(s, "search --%s %s: cannot be decided here (taken as found: %s)", kind, value, root);
	if (var)
		(void)g_set(s, var, strlen(var), root);
	return 0;
}

/* search [--no-floppy] [--fs-uuid|-u|--label|-l|--file|-f] [--set[=VAR]] [--hint...] VALUE:
 * without --set nothing is set (GRUB prints the device). */
static int g_search(struct gs *s, struct gargs *a)
{
	const char *kind = "file", *var = NULL, *value = NULL;

	for (int i = 1; i < a->n; i++) {
		const char *w = a->v[i];
		if (!strcmp(w, "--fs-uuid") || !strcmp(w, "-u"))
			kind = "fs-uuid";
		else if (!strcmp(w, "--label") || !strcmp(w, "-l"))
			kind = "label";
		else if (!strcmp(w, "--file") || !strcmp(w, "-f"))
			kind = "file";
		else if (!strncmp(w, "--set=", 6))
			var = w + 6;
		else if (!strcmp(w, "--set") || !strcmp(w, "-s")) {
			var = "root";
			if (i + 2 < a->n && a->v[i + 1][0] != '-')
				var = a->v[++i];
		} else if (w[0] != '-')
			value = w;
	}
	return value ? g_search_one(s, kind, value, var) : 1;
}

static int g_search_kind(struct gs *s, struct gargs *a, const char *kind)
{
	return a->n > 1 ? g_search_one(s, kind, a->v[1], a->n > 2 ? a->v[2] : NULL) : 1;
}

/* ---- the entry's loader commands ------------------------------------------------------------- */
static int g_linux(struct gs *s, struct gargs *a)
{
	struct boot_entry *e = s->cur;
	const char *path;
	size_t at = 0;

	if (!e)
		return 1;
	if (a->n < 2) {
		e->problem = "linux names no kernel (an unset variable?)";
		return 1;
	}
	path = g_devpath(s, a->v[1], e->root, sizeof(e->root));
	if (boot_copy(e->kernel, sizeof(e->kernel), path, strlen(path)) || a->over)
		e->problem = "a value is too long";
	e->options[0] = 0;
	for (int i = 2; i < a->n; i++) {
		size_t k = strlen(a->v[i]);
		if (at + k + 2 >= sizeof(e->options)) {
			e->problem = "a value is too long";
			break;
		}
		at += (size_t)snprintf(e->options + at, sizeof(e->options) - at, "%s%s", i > 2 ? " " : "", a->v[i]);
	}
	return 0;
}

static int g_initrd(struct gs *s, struct gargs *a)
{
	struct boot_entry *e = s->cur;
	char dev[BOOT_NAME];

	if (!e)
		return 1;
	e->ninitrd = 0;
	if (a->n < 2)
		e->problem = "initrd names no file (an unset variable?)";
	for (int i = 1; i < a->n; i++) {
		const char *path = g_devpath(s, a->v[i], dev, sizeof(dev));
		if (e->ninitrd == BOOT_MAX_INITRD) {
			e->problem = "more initrds than ferry keeps";
			break;
		}
		if (boot_copy(e->initrd[e->ninitrd++], BOOT_PATH, path, strlen(path)) || a->over)
			e->problem = "a value is too long";
	}
	return a->n < 2;
}

static int g_devicetree(struct gs *s, struct gargs *a)
{
	char dev[BOOT_NAME];

	if (!s->cur || a->n < 2)
		return 1;
	const char *path = g_devpath(s, a->v[1], dev, sizeof(dev));
	(void)boot_copy(s->cur->devicetree, sizeof(s->cur->devicetree), path, strlen(path));
	return 0;
}

/* GRUB opens a path without a device relative to nothing: "invalid file name". An empty or relative
 * path after expansion (`linux $kernel` with kernel unset) is an error of the entry, never a file
 * looked up somewhere else: boot_entry_check(), the same rule for every format. */

/* ---- test and [ (commands/test.c) ------------------------------------------------------------ */
enum { K_F, K_T, K_U };  /* false, true, undecided: Kleene's three values */
static int k_not(int v) { return v == K_U ? K_U : !v; }
static int k_and(int a, int b) { return a == K_F || b == K_F ? K_F : a == K_U || b == K_U ? K_U : K_T; }
static int k_or(int a, int b) { return a == K_T || b == K_T ? K_T : a == K_U || b == K_U ? K_U : K_F; }

struct tctx {
	int inv, or, and;
};

static void t_upd(struct tctx *c, int v)
{
	c->and = k_and(c->and, c->inv ? k_not(v) : v);
	c->inv = 0;
}

/* grub_strtosl: an int from strtoul base 0, '-' negating. */
static int t_num(const char *v)
{
	return v[0] == '-' ? -(int)strtoul(v + 1, NULL, 0) : (int)strtoul(v, NULL, 0);
}

static int t_file(struct gs *s, const char *op, const char *path, const char **undecided)
{
	char *buf = NULL;
	size_t len = 0;
	int r = g_read(s, path, &buf, &len);

	free(buf);
	if (r == -EXDEV) {
		*undecided = *undecided ? *undecided : path;
		return K_U;
	}
	switch (op[1]) {
	case 'd': return r == -EISDIR;
	case 'e': return r == 0 || r == -EISDIR || r == -EFBIG;
	case 'f': return r == 0 || r == -EFBIG;
	default: return (r == 0 && len) || r == -EFBIG;  /* -s */
	}
}

static int t_parse(struct gs *s, char **v, int *i, int n, int *depth, const char **und)
{
	struct tctx c = { 0, K_F, K_T };

	while (*i < n) {
		if (*i + 2 < n) {
			const char *x = v[*i], *op = v[*i + 1], *y = v[*i + 2];
			int r = -1, cmp = strcmp(x, y);
			if (!strcmp(op, "=") || !strcmp(op, "=="))
				r = cmp == 0;
			else if (!strcmp(op, "!="))
				r = cmp != 0;
			else if (!strcmp(op, "<"))
				r = cmp < 0;
			else if (!strcmp(op, "<="))
				r = cmp <= 0;
			else if (!strcmp(op, ">"))
				r = cmp > 0;
			else if (!strcmp(op, ">="))
				r = cmp >= 0;
			else if (!strcmp(op, "-eq"))
				r = t_num(x) == t_num(y);
			else if (!strcmp(op, "-ne"))
				r = t_num(x) != t_num(y);
			else if (!strcmp(op, "-lt"))
				r = t_num(x) < t_num(y);
			else if (!strcmp(op, "-le"))
				r = t_num(x) <= t_num(y);
			else if (!strcmp(op, "-gt"))
				r = t_num(x) > t_num(y);
			else if (!strcmp(op, "-ge"))
				r = t_num(x) >= t_num(y);
			else if (!strcmp(op, "-pgt") || !strcmp(op, "-plt")) {
				/* numbers after the common prefix, from the digits it ends in (version compare) */
				size_t k = 0;
				while (x[k] && x[k] == y[k])
					k++;
				if (k) {
					k--;
					while (k > 0 && isdigit((unsigned char)x[k]))
						k--;
					k++;
				}
				unsigned long a = strtoul(x + k, NULL, 0), b = strtoul(y + k, NULL, 0);
				r = op[2] == 'g' ? a > b : a < b;
			} else if (!strncmp(op, "-nt", 3) || !strncmp(op, "-ot", 3)) {
				r = K_U;  /* modification times: not known to ferry */
				*und = *und ? *und : x;
			}
			if (r >= 0) {
				t_upd(&c, r);
				*i += 3;
				continue;
			}
		}
		if (*i + 1 < n) {
			const char *op = v[*i];
			if (!strcmp(op, "-d") || !strcmp(op, "-e") || !strcmp(op, "-f") || !strcmp(op, "-s")) {
				t_upd(&c, t_file(s, op, v[*i + 1], und));
				*i += 2;
				continue;
			}
			if (!strcmp(op, "-n") || !strcmp(op, "-z")) {
				t_upd(&c, (v[*i + 1][0] != 0) == (op[1] == 'n'));
				*i += 2;
				continue;
			}
		}
		if (!strcmp(v[*i], ")")) {
			(*i)++;
			if (*depth > 0)
				(*depth)--;
			return k_or(c.or, c.and);
		}
		if (!strcmp(v[*i], "(")) {
			(*i)++;
			(*depth)++;  /* at most G_ARGS deep: GRUB's bound is 100 */
			t_upd(&c, t_parse(s, v, i, n, depth, und));
			continue;
		}
		if (!strcmp(v[*i], "!"))
			c.inv = !c.inv;
		else if (!strcmp(v[*i], "-o")) {
			c.or = k_or(c.or, c.and);
			c.and = K_T;
		} else if (strcmp(v[*i], "-a"))
			t_upd(&c, v[*i][0] != 0);  /* a word alone: true when not empty */
		(*i)++;
	}
	return k_or(c.or, c.and);
}

static int g_test(struct gs *s, struct gargs *a)
{
	int n = a->n - 1, i = 0, depth = 0;
	const char *und = NULL;

	if (n >= 1 && !strcmp(a->v[n], "]"))
		n--;
	int r = t_parse(s, a->v + 1, &i, n, &depth, &und);
	if (r == K_U) {
		G_UNDECIDED(s, "%s ... ]: %s is on a device not read here (taken as false)", a->v[0], und ? und : "a file");
		return 1;
	}
	return r == K_T ? 0 : 1;
}

/* ---- small commands -------------------------------------------------------------------------- */
static int g_set_cmd(struct gs *s, struct gargs *a)
{
	for (int i = 1; i < a->n; i++) {
		char *eq = strchr(a->v[i], '=');
		if (eq)
			(void)g_set(s, a->v[i], (size_t)(eq - a->v[i]), eq + 1);
	}
	return 0;
}

static int g_unset_cmd(struct gs *s, struct gargs *a)
{
	for (int i = 1; i < a->n; i++)
		g_unset(s, a->v[i]);
	return 0;
}

static int g_export(struct gs *s, struct gargs *a)
{
	for (int i = 1; i < a->n; i++) {
		struct gvar *v = g_find(s, a->v[i], strlen(a->v[i]));
		if (!v)
			v = g_set(s, a->v[i], strlen(a->v[i]), "");  /* grub_env_export creates it empty */
		if (v)
			v->exported = 1;
	}
	return a->n > 1 ? 0 : 1;
}

/* regexp [--set [N:]VAR]... REGEXP STRING: POSIX extended; VAR without N takes group 1. */
static int g_regexp(struct gs *s, struct gargs *a)
{
	const char *sets[G_ARGS], *pos[2] = { NULL, NULL };
	int nsets = 0, npos = 0, bounds = 0, r;
	struct rx_match m[RX_NSUB + 1];
	static struct rx re;  /* 7 KiB: not on the stack */

	for (int i = 1; i < a->n; i++) {
		const char *w = a->v[i];
		if (!strncmp(w, "--set=", 6))
			sets[nsets++] = w + 6;
		else if ((!strcmp(w, "--set") || !strcmp(w, "-s")) && i + 1 < a->n)
			sets[nsets++] = a->v[++i];
		else if (npos < 2)
			pos[npos++] = w;
		else
			return 1;
	}
	if (npos != 2)
		return 1;
	/* bounded repetition {n} nests into exponential compile work: generators write none */
	for (const char *p = pos[0]; *p; p++)
		bounds += *p == '{';
	if (bounds > 2 || strlen(pos[0]) > 256)
		return 1;
	if (rx_compile(&re, pos[0]))
		return 1;
	r = rx_exec(&re, pos[1], m, RX_NSUB + 1);
	size_t nsub = re.nsub;
	if (r != 1)
		return 1;  /* no match, or the step budget ran out */
	for (int i = 0; i < nsets; i++) {
		const char *colon = strchr(sets[i], ':'), *var = sets[i];
		unsigned long k = 1;
		if (colon) {
			char *end;
			k = strtoul(sets[i], &end, 10);
			if (end != colon)
				return 1;
			var = colon + 1;
		}
		if (k > nsub || k > RX_NSUB || m[k].so < 0) {
			g_unset(s, var);
			continue;
		}
		char val[G_VAL];
		(void)boot_copy(val, sizeof(val), pos[1] + m[k].so, (size_t)(m[k].eo - m[k].so));
		(void)g_set(s, var, strlen(var), val);
	}
	return 0;
}

/* break [N] / continue [N]: out of N loops (no more than are running). */
static int g_break(struct gs *s, struct gargs *a, int cont)
{
	long n = a->n > 1 ? strtol(a->v[1], NULL, 10) : 1;

	if (n <= 0)
		return 1;
	s->brk = n > s->loops ? s->loops : (int)n;
	s->cont = cont;
	return 0;
}

static int g_return(struct gs *s, struct gargs *a)
{
	if (!s->scoped)
		return 1;  /* "not in function body" */
	s->ret = 1;
	return a->n > 1 ? (int)strtol(a->v[1], NULL, 10) : s->status;
}

static int g_shift(struct gs *s, struct gargs *a)
{
	long n = a->n > 1 ? strtol(a->v[1], NULL, 10) : 1;

	if (!s->scoped || n < 0 || n > s->argc)
		return 1;
	s->argv += n;
	s->argc -= (int)n;
	return 0;
}

static int g_blscfg(struct gs *s, struct gargs *a);
static int g_source(struct gs *s, struct gargs *a);
static int g_configfile(struct gs *s, struct gargs *a);
static int g_true(struct gs *s, struct gargs *a) { return 0; }
static int g_false(struct gs *s, struct gargs *a) { return 1; }
static int g_search_uuid(struct gs *s, struct gargs *a) { return g_search_kind(s, a, "fs-uuid"); }
static int g_search_label(struct gs *s, struct gargs *a) { return g_search_kind(s, a, "label"); }
static int g_search_file(struct gs *s, struct gargs *a) { return g_search_kind(s, a, "file"); }
static int g_break_cmd(struct gs *s, struct gargs *a) { return g_break(s, a, 0); }
static int g_continue_cmd(struct gs *s, struct gargs *a) { return g_break(s, a, 1); }

static const struct {
	const char *name;
	int (*fn)(struct gs *s, struct gargs *a);
} g_cmds[] = {
	{ "set", g_set_cmd }, { "unset", g_unset_cmd }, { "export", g_export }, { "load_env", g_load_env },
	{ "search", g_search }, { "search.fs_uuid", g_search_uuid }, { "search.fs_label", g_search_label },
	{ "search.file", g_search_file },
	{ "linux", g_linux }, { "linuxefi", g_linux }, { "linux16", g_linux },
	{ "initrd", g_initrd }, { "initrdefi", g_initrd }, { "initrd16", g_initrd },
	{ "devicetree", g_devicetree },
	{ "[", g_test }, { "test", g_test }, { "true", g_true }, { "false", g_false },
	{ "regexp", g_regexp }, { "break", g_break_cmd }, { "continue", g_continue_cmd },
	{ "return", g_return }, { "shift", g_shift },
	{ "source", g_source }, { ".", g_source }, { "configfile", g_configfile },
	{ "blscfg", g_blscfg },
};

/* ---- statements ------------------------------------------------------------------------------ */
static const struct gtok *g_peek(const struct gs *s)
{
	return s->pos < s->sc->nt ? &s->sc->t[s->pos] : NULL;
}

static int g_is(const struct gtok *t, const char *w)
{
	return t && t->kw && !strcmp(g_keywords[t->kw - 1], w);  /* w: one of g_keywords */
}

static int g_expect(struct gs *s, const char *w)
{
	if (!g_is(g_peek(s), w))
		return 0;
	s->pos++;
	return 1;
}

static void g_skip_seps(struct gs *s)
{
	const struct gtok *t;

	while ((t = g_peek(s)) && t->type == T_SEP)
		s->pos++;
}

/* One step of the budget: past it the script would never end (GRUB hangs): an error, stop. */
static int g_step(struct gs *s)
{
	if (++s->steps <= G_STEPS)
		return 0;
	if (!s->stop && s->loop_sc && !s->l->err[0])  /* name the loop */
		snprintf(s->l->err, sizeof(s->l->err), "%s:%u: this loop is still running after %d commands "
			 "or %d statements read: it never ends? (GRUB would hang here)", s->loop_sc->name,
			 s->loop_line, G_STEPS, G_VISITS);
	else if (!s->stop)
		g_note(s, s->l->err, sizeof(s->l->err), "still running after %d commands or %d statements "
		       "read (GRUB would hang)", G_STEPS, G_VISITS);
	s->stop = 1;
	return -1;
}

/* Collect (and when run, expand) words up to a separator or brace. */
static void g_words(struct gs *s, int run, struct gargs *a, char *store, size_t cap)
{
	const struct gtok *t;

	*a = (struct gargs){ .store = store, .cap = cap };
	if ((t = g_peek(s)))
		s->line = t->line;
	while ((t = g_peek(s)) && t->type == T_WORD) {
		s->pos++;
		if (run)
			g_expand(s, t->p, t->n, a);
	}
}

static int g_list(struct gs *s, int run, const char *const *stops);

/* { LIST } after a menuentry, submenu or function head. */
static void g_body(struct gs *s, int run)
{
	static const char *const rb[] = { "}", NULL };
	const struct gtok *t = g_peek(s);

	if (!t || t->type != T_LB)
		return;
	s->pos++;
	g_list(s, run, rb);
	t = g_peek(s);
	if (t && t->type == T_RB)
		s->pos++;
}

static struct gfunc *g_func(struct gs *s, const char *name)
{
	for (size_t i = 0; i < s->nfuncs; i++)
		if (!strcmp(s->funcs[i].name, name))
			return &s->funcs[i];
	return NULL;
}

/* A function call (grub_script_function_call): its own positional parameters, loops not inherited. */
static int g_call(struct gs *s, const struct gfunc *f, struct gargs *a)
{
	const struct gscript *sc = s->sc;
	size_t pos = s->pos;
	char **argv = s->argv;
	int argc = s->argc, scoped = s->scoped, loops = s->loops;

	if (s->nest >= G_NEST)
		return 1;  /* "maximum recursion depth exceeded" */
	s->sc = f->sc;
	s->pos = f->start;
	s->argv = a->v + 1;
	s->argc = a->n - 1;
	s->scoped = 1;
	s->loops = 0;
	s->status = 0;
	g_body(s, 1);
	s->ret = 0;
	s->brk = 0;
	s->sc = sc, s->pos = pos, s->argv = argv, s->argc = argc, s->scoped = scoped, s->loops = loops;
	return s->status;
}

static int g_run(struct gs *s, struct gargs *a)
{
	int inv = 0, r = 0;

	if (!strcmp(a->v[0], "!")) {
		if (a->n < 2)
			return 1;
		inv = 1;
		memmove(a->v, a->v + 1, sizeof(a->v[0]) * (size_t)--a->n);
	}
	const struct gfunc *f;
	size_t i;
	for (i = 0; i < sizeof(g_cmds) / sizeof(g_cmds[0]); i++)
		if (a->v[0][0] == g_cmds[i].name[0] && !strcmp(a->v[0], g_cmds[i].name))
			break;
	if (i < sizeof(g_cmds) / sizeof(g_cmds[0]))
		r = g_cmds[i].fn(s, a);
	else if ((f = g_func(s, a->v[0])))
		r = g_call(s, f, a);
	else {
		char *eq = strchr(a->v[0], '=');
		if (eq && eq != a->v[0])  /* name=value */
			(void)g_set(s, a->v[0], (size_t)(eq - a->v[0]), eq + 1);
		r = 0;  /* insmod, echo, load_video...: nothing ferry needs */
	}
	return inv ? !r : r;
}

static void g_simple(struct gs *s, int run)
{
	char *store = run ? g_store(s) : NULL;
	struct gargs a;

	g_words(s, run && store, &a, store, G_STORE);
	if (run && store && a.n && !g_step(s))
		s->status = g_run(s, &a);
	const struct gtok *t = g_peek(s);
	if (t && t->type == T_LB)
		g_body(s, 0);  /* a block after another command is never run */
}

/* if LIST; then LIST; [elif LIST; then LIST;]... [else LIST;] fi */
static void g_if(struct gs *s, int run)
{
	static const char *const then[] = { "then", NULL }, *const arms[] = { "elif", "else", "fi", NULL },
		*const fi[] = { "fi", NULL };
	int taken = 0;

	do {
		s->pos++;  /* "if" or "elif" */
		g_list(s, run && !taken, then);
		int cond = run && !taken && !g_halted(s) && s->status == 0;
		if (!g_expect(s, "then"))
			return;
		g_list(s, cond, arms);
		taken |= cond;
	} while (g_is(g_peek(s), "elif"));
	if (g_expect(s, "else"))
		g_list(s, run && !taken, fi);
	(void)g_expect(s, "fi");
}

/* After a loop's body: break and continue (GRUB's active_breaks). 1: leave the loop. */
static int g_loop_end(struct gs *s)
{
	if (s->brk) {
		if (s->cont && s->brk == 1) {
			s->brk = 0;
			return 0;
		}
		s->brk--;
		return 1;
	}
	return g_halted(s) || g_step(s);
}

/* A loop's run: the innermost loop (its script and line, named when the bound stops it) is this one
 * until g_loop_leave() puts the outer one back. */
struct gloop {
	const struct gscript *sc;
	unsigned line;
};

static struct gloop g_loop_enter(struct gs *s, unsigned line)
{
	struct gloop outer = { s->loop_sc, s->loop_line };

	s->loop_sc = s->sc, s->loop_line = line;
	s->loops++;
	return outer;
}

static void g_loop_leave(struct gs *s, struct gloop outer)
{
	s->loops--;
	s->loop_sc = outer.sc, s->loop_line = outer.line;
}

/* for NAME in WORDS; do LIST; done */
static void g_for(struct gs *s, int run)
{
	static const char *const done[] = { "done", NULL };
	const struct gtok *name;
	char *store = run ? g_store(s) : NULL;
	struct gargs a = { 0 };
	size_t body, end;

	s->pos++;
	name = g_peek(s);
	if (!name || name->type != T_WORD) {
		return;
	}
	s->pos++;
	if (!g_expect(s, "in")) {
		return;
	}
	g_words(s, run && store, &a, store, G_STORE);
	g_skip_seps(s);
	if (!g_expect(s, "do")) {
		return;
	}
	body = s->pos;
	g_list(s, 0, done);
	end = s->pos;
	if (run && store && !g_halted(s)) {
		struct gloop saved = g_loop_enter(s, name->line);
		for (int i = 0; i < a.n; i++) {
			(void)g_set(s, name->p, name->n, a.v[i]);
			s->pos = body;
			g_list(s, 1, done);
			if (g_loop_end(s))
				break;
		}
		g_loop_leave(s, saved);
	}
	s->pos = end;
	(void)g_expect(s, "done");
}

/* while|until LIST; do LIST; done */
static void g_while(struct gs *s, int run)
{
	static const char *const d0[] = { "do", NULL }, *const d1[] = { "done", NULL };
	int until = g_is(g_peek(s), "until");
	unsigned line = g_peek(s)->line;
	size_t cond, body, end;

	s->pos++;
	cond = s->pos;
	g_list(s, 0, d0);
	if (!g_expect(s, "do"))
		return;
	body = s->pos;
	g_list(s, 0, d1);
	end = s->pos;
	if (run && !g_halted(s)) {
		struct gloop saved = g_loop_enter(s, line);
		for (;;) {
			s->pos = cond;
			g_list(s, 1, d0);
			if (g_halted(s) || (s->status == 0) == until)
				break;
			s->pos = body;
			g_list(s, 1, d1);
			if (g_loop_end(s))
				break;
		}
		g_loop_leave(s, saved);
	}
	s->pos = end;
	(void)g_expect(s, "done");
}

/* function NAME { LIST }: defined when parsed, as GRUB's parser does. */
static void g_function(struct gs *s)
{
	const struct gtok *name;

	s->pos++;
	if (!(name = g_peek(s)) || name->type != T_WORD)
		return;
	s->pos++;
	g_skip_seps(s);
	if (name->n < sizeof(s->funcs[0].name)) {
		char n[sizeof(s->funcs[0].name)];
		(void)boot_copy(n, sizeof(n), name->p, name->n);
		struct gfunc *f = g_func(s, n);
		if (!f && s->nfuncs < G_FUNCS)
			f = &s->funcs[s->nfuncs++];
		if (f) {
			memcpy(f->name, n, sizeof(n));
			f->sc = s->sc;
			f->start = s->pos;
		}
	}
	g_body(s, 0);
}

/* menuentry TITLE [ARG]... [--class C]... [--id ID] [--unrestricted] [--users U] [--hotkey K] { ... }:
 * the positional words (title first) are the body's $1... */
static void g_menu_head(struct gargs *a, const char **title, const char **id, struct gargs *pos)
{
	int dashdash = 0;

	*title = *id = NULL;
	pos->n = 0;
	for (int i = 1; i < a->n; i++) {
		const char *w = a->v[i];
		if (dashdash || w[0] != '-' || w[1] != '-') {
			pos->v[pos->n++] = a->v[i];
			continue;
		}
		if (!strcmp(w, "--"))
			dashdash = 1;
		else if (!strncmp(w, "--id=", 5))
			*id = w + 5;
		else if (!strcmp(w, "--id") && i + 1 < a->n)
			*id = a->v[++i];
		else if ((!strcmp(w, "--class") || !strcmp(w, "--users") || !strcmp(w, "--hotkey") ||
			  !strcmp(w, "--source")) && i + 1 < a->n)
			i++;
	}
	*title = pos->n ? pos->v[0] : "";
	if (!*id)
		*id = *title;
}

static void g_position(struct gs *s, struct boot_entry *e)
{
	e->menu_depth = s->depth;
	e->menu_index[0] = s->index[0];
	e->menu_index[1] = s->depth ? s->index[1] : 0;
	(void)boot_copy(e->menu_parent_title, sizeof(e->menu_parent_title), s->ptitle, sizeof(s->ptitle));
	(void)boot_copy(e->menu_parent_id, sizeof(e->menu_parent_id), s->pid, sizeof(s->pid));
}

/* The next index at this depth (entries inside deeper submenus share their parent's). */
static void g_next_index(struct gs *s)
{
	if (s->depth == 0)
		s->index[0]++;
	else if (s->depth == 1)
		s->index[1]++;
}

/* Run a body as GRUB runs a chosen entry: positional parameters, variables put back afterwards. */
static void g_run_body(struct gs *s, struct gargs *pos, struct boot_entry *e)
{
	struct gvar *saved = g_save(s);
	size_t nsaved = s->nvars;
	struct boot_entry *outer = s->cur;
	char **argv = s->argv;
	int argc = s->argc, scoped = s->scoped, loops = s->loops;

	if (!saved) {
		g_body(s, 0);
		return;
	}
	s->argv = pos->v, s->argc = pos->n, s->scoped = 1, s->loops = 0;
	s->cur = e;
	g_body(s, 1);
	s->ret = 0;
	s->brk = 0;
	s->cur = outer;
	s->argv = argv, s->argc = argc, s->scoped = scoped, s->loops = loops;
	g_restore(s, saved, nsaved);
}

static void g_menuentry(struct gs *s, struct gargs *a, unsigned line)
{
	struct gargs pos = { 0 };
	const char *title, *id;
	char chosen[BOOT_NAME * 2 + 2];
	struct boot_entry *e;

	g_menu_head(a, &title, &id, &pos);
	e = boot_list_add(s->l, BOOT_GRUB);
	if (!e) {
		g_body(s, 0);
		g_next_index(s);
		return;
	}
	(void)boot_copy(e->title, sizeof(e->title), title, strlen(title));
	(void)boot_copy(e->id, sizeof(e->id), id, strlen(id));
	g_position(s, e);
	e->src_file = g_file(s);
	e->src_line = line;
	memcpy(e->undecided, s->undecided, sizeof(e->undecided));
	snprintf(chosen, sizeof(chosen), "%s%s%s", s->depth ? s->pid : "", s->depth ? ">" : "", id);
	struct gvar *saved = g_save(s);
	size_t nsaved = s->nvars;
	(void)g_set(s, "chosen", 6, chosen);
	g_run_body(s, &pos, e);
	if (saved)
		g_restore(s, saved, nsaved);
	boot_entry_check(e);
	g_next_index(s);
}

static void g_submenu(struct gs *s, struct gargs *a)
{
	char ptitle[BOOT_NAME], pid[BOOT_NAME];
	struct gargs pos = { 0 };
	const char *title, *id;
	int idx1 = s->index[1];
	struct gvar *saved = g_save(s);
	size_t nsaved = s->nvars;

	g_menu_head(a, &title, &id, &pos);
	memcpy(ptitle, s->ptitle, sizeof(ptitle));
	memcpy(pid, s->pid, sizeof(pid));
	if (s->depth == 0) {
		(void)boot_copy(s->ptitle, sizeof(s->ptitle), title, strlen(title));
		(void)boot_copy(s->pid, sizeof(s->pid), id, strlen(id));
	}
	if (saved)
		g_exported_only(s);  /* grub_env_context_open */
	s->depth++;
	s->index[1] = 0;
	g_run_body(s, &pos, NULL);
	s->depth--;
	s->index[1] = idx1;
	memcpy(s->ptitle, ptitle, sizeof(ptitle));
	memcpy(s->pid, pid, sizeof(pid));
	if (saved)
		g_restore(s, saved, nsaved);
	g_next_index(s);
}

/* menuentry/submenu: the head words, then the body. */
static void g_menu(struct gs *s, int run)
{
	char *store = run ? g_store(s) : NULL;
	int sub = g_is(g_peek(s), "submenu");
	struct gargs a = { 0 };
	unsigned line = g_peek(s)->line;

	g_words(s, run && store, &a, store, G_STORE);
	if (!run || !store || g_step(s))
		g_body(s, 0);
	else if (sub)
		g_submenu(s, &a);
	else
		g_menuentry(s, &a, line);
}

/* ---- source and configfile (commands/configfile.c, normal/main.c) ----------------------------- */
static struct gscript *g_load(struct gs *s, const char *path, char **buf, size_t len)
{
	struct gscript *sc;

	if (s->nscripts == G_SCRIPTS || s->loaded + len > G_LOADED) {
		g_note(s, s->l->err, sizeof(s->l->err), "source %s: more than %d files or %u bytes read "
		       "(a loop that never ends?)", path, G_SCRIPTS, G_LOADED);
		s->stop = 1;
		return NULL;
	}
	if (!(sc = calloc(1, sizeof(*sc))))
		return NULL;
	sc->buf = *buf;
	*buf = NULL;
	sc->name = g_intern(path);
	if (g_tokenize(sc, sc->buf, len)) {
		free(sc->t);
		free(sc->buf);
		free(sc);
		return NULL;
	}
	s->loaded += len;
	s->scripts[s->nscripts++] = sc;
	return sc;
}

/* Run FILE where the command is: config_file and config_directory name it meanwhile. */
static int g_include(struct gs *s, const char *path, int newctx)
{
	char *buf = NULL, old_file[G_VAL], old_dir[G_VAL], dir[G_VAL];
	size_t len;
	int r;

	if (s->sdepth >= G_SOURCE_DEPTH) {
		G_UNDECIDED(s, "%s: files sourced deeper than %d (not read)", path, G_SOURCE_DEPTH);
		return 1;
	}
	if ((r = g_read(s, path, &buf, &len)) < 0) {
		if (r == -EXDEV)
			G_UNDECIDED(s, "%s: on a device not read here (taken as missing)", path);
		return 1;
	}
	struct gscript *sc = g_load(s, path, &buf, len);
	free(buf);
	if (!sc)
		return 1;
	const struct gscript *osc = s->sc;
	size_t opos = s->pos;
	unsigned oline = s->line;
	char **argv = s->argv;
	int argc = s->argc, scoped = s->scoped, loops = s->loops;
	snprintf(old_file, sizeof(old_file), "%s", g_get(s, "config_file", 11));
	snprintf(old_dir, sizeof(old_dir), "%s", g_get(s, "config_directory", 16));
	snprintf(dir, sizeof(dir), "%s", path);
	char *slash = strrchr(dir, '/');
	if (slash)
		*slash = 0;
	struct gvar *v = g_set(s, "config_file", 11, path);
	if (v)
		v->exported = 1;
	if ((v = g_set(s, "config_directory", 16, dir)))
		v->exported = 1;
	s->sc = sc, s->pos = 0, s->sdepth++;
	if (newctx)
		s->argv = NULL, s->argc = 0, s->scoped = 0, s->loops = 0;
	s->status = 0;
	g_list(s, 1, NULL);
	s->sdepth--;
	s->sc = osc, s->pos = opos, s->line = oline;
	s->argv = argv, s->argc = argc, s->scoped = scoped, s->loops = loops;
	s->ret = s->brk = 0;
	(void)g_set(s, "config_file", 11, old_file);
	(void)g_set(s, "config_directory", 16, old_dir);
	return 0;
}

static int g_source(struct gs *s, struct gargs *a)
{
	return a->n == 2 ? g_include(s, a->v[1], 0) : 1;
}

static int g_pick(struct gs *s, size_t first);

/* configfile FILE: a new context (exported variables) with its own menu. Entries there make it the
 * menu GRUB shows, whose default boots: inside an entry body that is what the entry boots; at the
 * top level the menu so far is left and this one is the configuration's. No entries: back here. */
static int g_configfile(struct gs *s, struct gargs *a)
{
	struct gvar *saved;
	size_t nsaved = s->nvars, before = s->l->n;
	struct boot_entry *cur = s->cur;
	int depth = s->depth, index[2] = { s->index[0], s->index[1] };
	char ptitle[BOOT_NAME], pid[BOOT_NAME], und[BOOT_NAME];

	if (a->n != 2 || !(saved = g_save(s)))
		return 1;
	memcpy(ptitle, s->ptitle, sizeof(ptitle));
	memcpy(pid, s->pid, sizeof(pid));
	memcpy(und, s->undecided, sizeof(und));
	g_exported_only(s);
	s->cur = NULL, s->depth = 0, s->index[0] = s->index[1] = 0, s->ptitle[0] = s->pid[0] = 0;
	int r = g_include(s, a->v[1], 1);
	/* a configfile inside that file may have replaced the menu already (fewer entries than before) */
	size_t n = s->l->n > before ? s->l->n - before : 0;
	if (n && !s->stop) {
		int d = g_pick(s, before);
		if (cur) {
			if (d >= 0) {
				const struct boot_entry *e = &s->l->e[d];
				memcpy(cur->root, e->root, sizeof(cur->root));
				memcpy(cur->kernel, e->kernel, sizeof(cur->kernel));
				memcpy(cur->initrd, e->initrd, sizeof(cur->initrd));
				cur->ninitrd = e->ninitrd;
				memcpy(cur->options, e->options, sizeof(cur->options));
				memcpy(cur->devicetree, e->devicetree, sizeof(cur->devicetree));
				cur->problem = e->problem;
				if (!cur->undecided[0])
					memcpy(cur->undecided, e->undecided, sizeof(cur->undecided));
			}
			s->l->n = before;
		} else {
			memmove(&s->l->e[s->first], &s->l->e[before], n * sizeof(s->l->e[0]));
			s->l->n = s->first + n;
			s->replaced = 1;  /* the rest of this file runs only when that menu is left */
		}
	}
	s->cur = cur;
	if (s->replaced) {
		free(saved);
		return r;
	}
	g_restore(s, saved, nsaved);
	s->depth = depth, s->index[0] = index[0], s->index[1] = index[1];
	memcpy(s->ptitle, ptitle, sizeof(ptitle));
	memcpy(s->pid, pid, sizeof(pid));
	if (cur || !s->undecided[0])
		memcpy(s->undecided, und, sizeof(und));  /* inside a body the entry carries it */
	return r;
}

/* ---- blscfg (Fedora's GRUB) ----------------------------------------------------------------- */
/* A BLS line as the generated menu entry runs it: word by word, variables expanded and split. */
static int g_expand_words(struct gs *s, const char *line, struct gargs *a, char *store, size_t cap)
{
	size_t len = strlen(line);

	*a = (struct gargs){ .store = store, .cap = cap };
	for (size_t i = 0; i < len;) {
		if (strchr(" \t\r\n", line[i])) {
			i++;
			continue;
		}
		size_t n = g_wordlen(line + i, len - i);
		n = n ? n : 1;
		g_expand(s, line + i, n, a);
		i += n;
	}
	return a->over;
}

/* blscfg: the BLS entries of the boot filesystem become menu entries here; their options and initrd
 * lines may name grubenv variables ("options $kernelopts", "initrd ... $tuned_initrd"), expanded and
 * split into words as the generated entry's linux and initrd commands would. */
static int g_blscfg(struct gs *s, struct gargs *unused)
{
	size_t first = s->l->n;
	char *store = malloc(G_STORE);
	struct gargs a;

	if (!store || !s->ops || !s->ops->blscfg || s->ops->blscfg(s->ops->arg, s->l) < 0) {
		free(store);
		return 1;
	}
	for (size_t i = first; i < s->l->n; i++) {
		struct boot_entry *e = &s->l->e[i];
		size_t at = 0;
		if (g_expand_words(s, e->options, &a, store, G_STORE))
			e->problem = "a value is too long";
		e->options[0] = 0;
		for (int k = 0; k < a.n && at + strlen(a.v[k]) + 2 < sizeof(e->options); k++)
			at += (size_t)snprintf(e->options + at, sizeof(e->options) - at, "%s%s", at ? " " : "", a.v[k]);
		char initrd[BOOT_MAX_INITRD][BOOT_PATH];
		size_t n = e->ninitrd, out = 0;
		memcpy(initrd, e->initrd, sizeof(initrd));
		for (size_t k = 0; k < n; k++) {
			(void)g_expand_words(s, initrd[k], &a, store, G_STORE);
			for (int w = 0; w < a.n; w++) {
				if (out == BOOT_MAX_INITRD) {
					e->problem = "more initrds than ferry keeps";
					break;
				}
				(void)boot_copy(e->initrd[out++], BOOT_PATH, a.v[w], strlen(a.v[w]));
			}
		}
		e->ninitrd = out;
		g_position(s, e);
		if (!e->undecided[0])
			memcpy(e->undecided, s->undecided, sizeof(e->undecided));
		g_next_index(s);
	}
	free(store);
	return 0;
}

static int g_stop(const struct gtok *t, const char *const *stops)
{
	if (t->type != T_RB && !t->kw)
		return 0;
	for (; stops && *stops; stops++)
		if (t->type == T_RB ? !strcmp(*stops, "}") : g_is(t, *stops))
			return 1;
	return 0;
}

/* Statements until a stop word ("}" stands for the brace) at command position, or the end. */
static int g_list(struct gs *s, int run, const char *const *stops)
{
	const struct gtok *t;

	if (++s->nest > G_NEST) {
		s->pos = s->sc->nt;  /* deeper than GRUB nests: stop reading this script */
		s->nest--;
		return 0;
	}
	while ((t = g_peek(s))) {
		if (++s->visits > G_VISITS && !s->stop) {
			s->line = t->line;
			s->steps = G_STEPS;
			(void)g_step(s);  /* the same error, naming the loop */
		}
		int go = run && !g_halted(s);
		if (g_stop(t, stops))
			break;
		if (t->type != T_WORD) {
			s->pos++;  /* separators, and braces out of place */
			continue;
		}
		if (!t->kw)
			g_simple(s, go);
		else if (g_is(t, "if"))
			g_if(s, go);
		else if (g_is(t, "for"))
			g_for(s, go);
		else if (g_is(t, "while") || g_is(t, "until"))
			g_while(s, go);
		else if (g_is(t, "function"))
			g_function(s);
		else if (g_is(t, "menuentry") || g_is(t, "submenu"))
			g_menu(s, go);
		else if (g_is(t, "then") || g_is(t, "fi") || g_is(t, "else") || g_is(t, "elif") ||
			 g_is(t, "do") || g_is(t, "done") || g_is(t, "in"))
			s->pos++;  /* out of place: skip it so the reader always moves on */
		else
			g_simple(s, go);
	}
	s->nest--;
	return 0;
}

/* ---- the default entry ---------------------------------------------------------------------- */
static int g_item(const char *c, size_t n, int index, const char *title, const char *id)
{
	char num[12];

	snprintf(num, sizeof(num), "%d", index);
	return (strlen(num) == n && !memcmp(num, c, n)) || (strlen(id) == n && !memcmp(id, c, n)) ||
	       (strlen(title) == n && !memcmp(title, c, n));
}

/* default= as GRUB reads it: a number, id or title; "A>B" walks into a submenu; a submenu named
 * alone opens with its own first entry (its default, timeout 0). */
static int g_match(const struct boot_entry *e, const char *d)
{
	const char *gt = strchr(d, '>');

	if (!gt)
		return (e->menu_depth == 0 && g_item(d, strlen(d), e->menu_index[0], e->title, e->id)) ||
		       (e->menu_depth == 1 && e->menu_index[1] == 0 &&
			g_item(d, strlen(d), e->menu_index[0], e->menu_parent_title, e->menu_parent_id));
	return e->menu_depth == 1 &&
	       g_item(d, (size_t)(gt - d), e->menu_index[0], e->menu_parent_title, e->menu_parent_id) &&
	       g_item(gt + 1, strlen(gt + 1), e->menu_index[1], e->title, e->id);
}

/* timeout=: seconds as GRUB writes them, or -1 (none) for anything else; atoi would take "5x"
 * as 5 and is undefined past INT_MAX. */
static int g_seconds(const char *v)
{
	long n = 0;

	if (!*v || strlen(v) > 9 || v[strspn(v, "0123456789")])
		return -1;
	for (; *v; v++)
		n = n * 10 + (*v - '0');
	return (int)n;
}

/* The entry GRUB's menu at [first, n) would boot: default=, else item 0 (GRUB's rule for a default
 * that names nothing), else (ferry) the first bootable. */
static int g_pick(struct gs *s, size_t first)
{
	const char *d = g_get(s, "default", 7);
	struct boot_list *l = s->l;

	for (int pass = 0; pass < 2; pass++)
		for (size_t i = first; i < l->n; i++)
			if (g_match(&l->e[i], pass || !*d ? "0" : d))
				return (int)i;
	for (size_t i = first; i < l->n; i++)
		if (!l->e[i].problem)
			return (int)i;
	return -1;
}

int grub_parse(struct boot_list *l, const char *dir, const char *buf, size_t len, const struct grub_ops *ops)
{
	struct gs s = { .l = l, .ops = ops, .first = l->n };
	static const char *const features[] = { "feature_menuentry_id", "feature_default_font_path",
		"feature_all_video_module", "feature_platform_search_hint", "feature_timeout_style",
		"feature_200_final", "feature_nativedisk_cmd", NULL };
	struct gscript main = { 0 };
	char name[BOOT_PATH];
	int ret;

	s.vars = calloc(G_VARS, sizeof(*s.vars));
	if (!s.vars)
		return -ENOMEM;
	dir = dir ? dir : "/boot/grub";
	snprintf(name, sizeof(name), "%s%sgrub.cfg", dir, dir[0] && dir[strlen(dir) - 1] == '/' ? "" : "/");
	main.name = g_intern(name);
	s.sc = &main;
	ret = g_tokenize(&main, buf, len);
	if (ret)
		goto out;
	/* root and prefix are exported by GRUB's kernel, config_* by normal.mod */
	static const char *const exported[] = { "prefix", "config_directory", "root", "config_file", NULL };
	const char *vals[] = { dir, dir, "", name };
	for (int i = 0; exported[i]; i++) {
		struct gvar *v = g_set(&s, exported[i], strlen(exported[i]), vals[i]);
		if (v)
			v->exported = 1;
	}
	for (const char *const *f = features; *f; f++) {  /* normal.mod sets and exports them */
		struct gvar *v = g_set(&s, *f, strlen(*f), "y");
		if (v)
			v->exported = 1;
	}
	g_list(&s, 1, NULL);
	if (s.stop) {
		l->n = s.first;  /* GRUB would never show this menu */
		ret = -ELOOP;
		goto out;
	}
	const char *d = g_get(&s, "default", 7);
	(void)boot_copy(l->def_name, sizeof(l->def_name), d, strlen(d));
	l->timeout = g_seconds(g_get(&s, "timeout", 7));
	l->def = g_pick(&s, s.first);
	if (!l->undecided[0])
		memcpy(l->undecided, s.undecided, sizeof(l->undecided));
	ret = l->n > s.first ? 0 : -ENOENT;
out:
	for (size_t i = 0; i < s.nscripts; i++) {
		free(s.scripts[i]->t);
		free(s.scripts[i]->buf);
		free(s.scripts[i]);
	}
	for (size_t i = 0; i < sizeof(s.stores) / sizeof(s.stores[0]); i++)
		free(s.stores[i]);
	free(main.t);
	free(s.vars);
	return ret;
}
