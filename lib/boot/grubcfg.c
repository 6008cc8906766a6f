/* grub.cfg, the subset distributions generate (grub-mkconfig, Fedora's blscfg): a small interpreter
 * rather than a line scanner, because the default entry is decided by script (`if [ "${next_entry}" ]`,
 * `load_env`, `set default="${saved_entry}"`) and the kernel's device by `search --set=root`.
 * Loops and function bodies are parsed but never run, so the work is linear in the input. The disk
 * is reached only through struct grub_ops. */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "bootcfg.h"

enum { T_WORD, T_SEP, T_LB, T_RB };
struct gtok {
	int type;
	const char *p;
	size_t n;
};

#define G_VARS 64
#define G_VAL 1024
#define G_ARGS 64
#define G_NEST 48
struct gvar {
	char name[32];
	char val[G_VAL];
};

struct gs {
	struct boot_list *l;
	const struct grub_ops *ops;
	struct gtok *t;
	size_t nt, pos;
	struct gvar *vars;
	size_t nvars;
	struct boot_entry *cur;   /* entry whose body is running */
	int depth, index[2];      /* menu depth and the next index at each depth */
	char ptitle[BOOT_NAME], pid[BOOT_NAME];
	int nest, status;
};

/* ---- tokens ---------------------------------------------------------------------------------- */
static int g_push(struct gs *s, size_t *cap, int type, const char *p, size_t n)
{
	if (s->nt == *cap) {
		size_t nc = *cap ? *cap * 2 : 256;
		struct gtok *t = realloc(s->t, nc * sizeof(*t));
		if (!t)
			return -ENOMEM;
		s->t = t, *cap = nc;
	}
	s->t[s->nt++] = (struct gtok){ type, p, n };
	return 0;
}

/* Length of the word at p: quotes and ${...} keep separators inside it. */
static size_t g_wordlen(const char *p, size_t len)
{
	size_t i = 0;

	while (i < len && !strchr(" \t\r\n;{}", p[i])) {
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

static int g_tokenize(struct gs *s, const char *buf, size_t len)
{
	size_t i = 0, cap = 0;
	int r = 0;

	while (!r && i < len) {
		char c = buf[i];
		if (c == ' ' || c == '\t' || c == '\r' || c == 0)
			i++;
		else if (c == '\\' && i + 1 < len && buf[i + 1] == '\n')
			i += 2;
		else if (c == '#')
			while (i < len && buf[i] != '\n')
				i++;
		else if (c == '\n' || c == ';' || c == '{' || c == '}')
			r = g_push(s, &cap, c == '{' ? T_LB : c == '}' ? T_RB : T_SEP, buf + i++, 1);
		else {
			size_t n = g_wordlen(buf + i, len - i);
			r = g_push(s, &cap, T_WORD, buf + i, n);
			i += n;
		}
	}
	return r;
}

/* ---- variables and expansion ----------------------------------------------------------------- */
static const char *g_get(const struct gs *s, const char *name, size_t n)
{
	for (size_t i = 0; i < s->nvars; i++)
		if (strlen(s->vars[i].name) == n && !memcmp(s->vars[i].name, name, n))
			return s->vars[i].val;
	return "";
}

static void g_set(struct gs *s, const char *name, size_t n, const char *val)
{
	size_t i;

	if (!n || n >= sizeof(s->vars[0].name))
		return;
	for (i = 0; i < s->nvars; i++)
		if (strlen(s->vars[i].name) == n && !memcmp(s->vars[i].name, name, n))
			break;
	if (i == s->nvars) {
		if (s->nvars == G_VARS)
			return;
		(void)boot_copy(s->vars[s->nvars++].name, sizeof(s->vars[0].name), name, n);
	}
	(void)boot_copy(s->vars[i].val, G_VAL, val, strlen(val));
}

static void g_unset(struct gs *s, const char *name)
{
	for (size_t i = 0; i < s->nvars; i++)
		if (!strcmp(s->vars[i].name, name)) {
			s->vars[i] = s->vars[--s->nvars];
			return;
		}
}

struct gbuf {
	char *p;
	size_t n, cap;
};

static void gb_put(struct gbuf *b, const char *s, size_t n)
{
	while (n-- && b->n + 1 < b->cap)
		b->p[b->n++] = *s++;
	b->p[b->n] = 0;
}

/* $name, ${name}, $?, $1: appends the value; returns the characters consumed after the '$'. */
static size_t g_dollar(struct gs *s, const char *p, size_t len, struct gbuf *b)
{
	size_t i = 0, st, n;
	char num[12];

	if (len && p[0] == '{') {
		for (st = i = 1; i < len && p[i] != '}'; i++)
			;
		n = i - st;
		i = i < len ? i + 1 : i;
	} else {
		for (st = i; i < len && (isalnum((unsigned char)p[i]) || p[i] == '_'); i++)
			;
		if (i == st && len && p[0] == '?')
			i++;
		n = i - st;
	}
	if (n == 1 && p[st] == '?') {
		snprintf(num, sizeof(num), "%d", s->status);
		gb_put(b, num, strlen(num));
	} else if (n)
		gb_put(b, g_get(s, p + st, n), strlen(g_get(s, p + st, n)));
	else
		gb_put(b, "$", 1);
	return i;
}

/* One word with quotes removed and variables expanded. *quoted: the word had quotes, so an empty
 * result is still an argument. */
static void g_expand(struct gs *s, const char *p, size_t len, char *out, size_t cap, int *quoted)
{
	struct gbuf b = { out, 0, cap };
	char q = 0;

	out[0] = 0;
	*quoted = 0;
	for (size_t i = 0; i < len; i++) {
		char c = p[i];
		if (q == '\'' && c != '\'')
			gb_put(&b, &c, 1);
		else if (c == '\'' || (c == '"' && q != '\'')) {
			q = q ? 0 : c;
			*quoted = 1;
		} else if (c == '\\' && i + 1 < len && (!q || strchr("$\"\\\n", p[i + 1]))) {
			if (p[++i] != '\n')
				gb_put(&b, p + i, 1);
		} else if (c == '$')
			i += g_dollar(s, p + i + 1, len - i - 1, &b);
		else
			gb_put(&b, &c, 1);
	}
}

/* ---- commands ----------------------------------------------------------------------------- */
struct gargs {
	int n;
	char *v[G_ARGS];
};

/* "(dev)/path" -> dev and path; a bare path leaves dev to the caller. */
static const char *g_devpath(const char *w, char *dev, size_t dlen)
{
	const char *close;

	dev[0] = 0;
	if (w[0] != '(' || !(close = strchr(w, ')')))
		return w;
	(void)boot_copy(dev, dlen, w + 1, (size_t)(close - w - 1));
	return close + 1;
}

static int g_read(struct gs *s, const char *word, char **buf, size_t *len)
{
	char dev[BOOT_NAME];
	const char *path = g_devpath(word, dev, sizeof(dev));

	if (!s->ops || !s->ops->read_file)
		return -ENOSYS;
	return s->ops->read_file(s->ops->arg, dev, path, buf, len);
}

/* grubenv: "name=value" lines (a 1024-byte block padded with '#'). */
static int g_load_env(struct gs *s, struct gargs *a)
{
	char path[G_VAL + 16], *buf = NULL;
	size_t len = 0;
	int i = 1;

	snprintf(path, sizeof(path), "%s/grubenv", g_get(s, "prefix", 6));
	for (; i < a->n && a->v[i][0] == '-'; i++)
		if ((!strcmp(a->v[i], "-f") || !strcmp(a->v[i], "--file")) && i + 1 < a->n)
			snprintf(path, sizeof(path), "%s", a->v[++i]);
	if (g_read(s, path, &buf, &len) < 0)
		return 1;
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
				g_set(s, p, (size_t)(eq - p), val);
		}
		p = nl ? nl + 1 : end;
	}
	free(buf);
	return 0;
}

static int g_search_one(struct gs *s, const char *kind, const char *value, const char *var)
{
	char root[BOOT_NAME];

	if (s->ops && s->ops->search) {
		if (s->ops->search(s->ops->arg, kind, value, root, sizeof(root)) < 0)
			return 1;  /* GRUB leaves the variable alone when nothing matches */
	} else
		snprintf(root, sizeof(root), "%s=%s", !strcmp(kind, "fs-uuid") ? "UUID" :
			!strcmp(kind, "label") ? "LABEL" : "FILE", value);
	g_set(s, var, strlen(var), root);
	return 0;
}

/* search [--no-floppy] [--fs-uuid|-u|--label|-l|--file|-f] [--set[=VAR]] [--hint...] VALUE */
static int g_search(struct gs *s, struct gargs *a)
{
	const char *kind = "file", *var = "root", *value = NULL;

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
		else if ((!strcmp(w, "--set") || !strcmp(w, "-s")) && i + 1 < a->n && a->v[i + 1][0] != '-' &&
			 i + 2 < a->n)
			var = a->v[++i];
		else if (w[0] != '-')
			value = w;
	}
	return value ? g_search_one(s, kind, value, var) : 1;
}

static int g_linux(struct gs *s, struct gargs *a)
{
	struct boot_entry *e = s->cur;
	const char *path;
	size_t at = 0;

	if (!e || a->n < 2)
		return 1;
	path = g_devpath(a->v[1], e->root, sizeof(e->root));
	if (path == a->v[1])
		(void)boot_copy(e->root, sizeof(e->root), g_get(s, "root", 4), G_VAL);
	if (boot_copy(e->kernel, sizeof(e->kernel), path, strlen(path)))
		e->problem = "a value is too long";
	e->options[0] = 0;
	for (int i = 2; i < a->n; i++) {
		size_t k = strlen(a->v[i]);
		if (at + k + 2 >= sizeof(e->options)) {
			e->problem = "a value is too long";
			break;
		}
		at += (size_t)snprintf(e->options + at, sizeof(e->options) - at, "%s%s", at ? " " : "", a->v[i]);
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
	for (int i = 1; i < a->n; i++) {
		const char *path = g_devpath(a->v[i], dev, sizeof(dev));
		if (e->ninitrd == BOOT_MAX_INITRD) {
			e->problem = "more initrds than ferry keeps";
			break;
		}
		if (boot_copy(e->initrd[e->ninitrd++], BOOT_PATH, path, strlen(path)))
			e->problem = "a value is too long";
	}
	return 0;
}

static int g_file_test(struct gs *s, const char *op, const char *file)
{
	char *buf = NULL;
	size_t len = 0;
	int r = g_read(s, file, &buf, &len);

	free(buf);
	if (r < 0)
		return 1;
	return !strcmp(op, "-s") ? len == 0 : 0;
}

static int g_test(struct gs *s, struct gargs *a)
{
	int n = a->n - 1, neg = 0;
	char **v = a->v + 1;

	if (!strcmp(a->v[0], "[") && n && !strcmp(v[n - 1], "]"))
		n--;
	if (n && !strcmp(v[0], "!"))
		neg = 1, v++, n--;
	int r = 1;
	if (n == 1)
		r = !v[0][0];
	else if (n == 2 && !strcmp(v[0], "-n"))
		r = !v[1][0];
	else if (n == 2 && !strcmp(v[0], "-z"))
		r = !!v[1][0];
	else if (n == 2 && (!strcmp(v[0], "-s") || !strcmp(v[0], "-f") || !strcmp(v[0], "-e")))
		r = g_file_test(s, v[0], v[1]);
	else if (n == 3 && (!strcmp(v[1], "=") || !strcmp(v[1], "==")))
		r = !!strcmp(v[0], v[2]);
	else if (n == 3 && !strcmp(v[1], "!="))
		r = !strcmp(v[0], v[2]);
	else if (n == 3 && v[1][0] == '-') {
		long x = strtol(v[0], NULL, 10), y = strtol(v[2], NULL, 10);
		const char *op = v[1] + 1;
		r = !(!strcmp(op, "eq") ? x == y : !strcmp(op, "ne") ? x != y : !strcmp(op, "lt") ? x < y :
		      !strcmp(op, "le") ? x <= y : !strcmp(op, "gt") ? x > y : !strcmp(op, "ge") ? x >= y : 0);
	}
	return neg ? !r : r;
}

static int g_set_cmd(struct gs *s, struct gargs *a)
{
	for (int i = 1; i < a->n; i++) {
		char *eq = strchr(a->v[i], '=');
		if (eq)
			g_set(s, a->v[i], (size_t)(eq - a->v[i]), eq + 1);
	}
	return 0;
}

static int g_unset_cmd(struct gs *s, struct gargs *a)
{
	for (int i = 1; i < a->n; i++)
		g_unset(s, a->v[i]);
	return 0;
}

static int g_blscfg(struct gs *s, struct gargs *a);
static int g_true(struct gs *s, struct gargs *a) { return 0; }
static int g_false(struct gs *s, struct gargs *a) { return 1; }
static int g_search_uuid(struct gs *s, struct gargs *a)
{ return a->n > 1 ? g_search_one(s, "fs-uuid", a->v[1], a->n > 2 ? a->v[2] : "root") : 1; }
static int g_search_label(struct gs *s, struct gargs *a)
{ return a->n > 1 ? g_search_one(s, "label", a->v[1], a->n > 2 ? a->v[2] : "root") : 1; }
static int g_search_file(struct gs *s, struct gargs *a)
{ return a->n > 1 ? g_search_one(s, "file", a->v[1], a->n > 2 ? a->v[2] : "root") : 1; }

static const struct {
	const char *name;
	int (*fn)(struct gs *s, struct gargs *a);
} g_cmds[] = {
	{ "set", g_set_cmd }, { "unset", g_unset_cmd }, { "load_env", g_load_env },
	{ "search", g_search }, { "search.fs_uuid", g_search_uuid }, { "search.fs_label", g_search_label },
	{ "search.file", g_search_file },
	{ "linux", g_linux }, { "linuxefi", g_linux }, { "linux16", g_linux },
	{ "initrd", g_initrd }, { "initrdefi", g_initrd }, { "initrd16", g_initrd },
	{ "[", g_test }, { "test", g_test }, { "true", g_true }, { "false", g_false },
	{ "blscfg", g_blscfg },
};

static int g_devicetree(struct gs *s, struct gargs *a)
{
	char dev[BOOT_NAME];

	if (!s->cur || a->n < 2)
		return 1;
	const char *path = g_devpath(a->v[1], dev, sizeof(dev));
	(void)boot_copy(s->cur->devicetree, sizeof(s->cur->devicetree), path, strlen(path));
	return 0;
}

static int g_run(struct gs *s, struct gargs *a)
{
	char *eq = strchr(a->v[0], '=');

	if (eq && eq != a->v[0]) {  /* name=value */
		g_set(s, a->v[0], (size_t)(eq - a->v[0]), eq + 1);
		return 0;
	}
	if (!strcmp(a->v[0], "devicetree"))
		return g_devicetree(s, a);
	for (size_t i = 0; i < sizeof(g_cmds) / sizeof(g_cmds[0]); i++)
		if (!strcmp(a->v[0], g_cmds[i].name))
			return g_cmds[i].fn(s, a);
	return 0;  /* insmod, echo, load_video, terminal_output...: nothing ferry needs */
}

/* ---- statements -------------------------------------------------------------------------- */
static const struct gtok *g_peek(struct gs *s)
{
	return s->pos < s->nt ? &s->t[s->pos] : NULL;
}

static int g_is(const struct gtok *t, const char *w)
{
	return t && t->type == T_WORD && t->n == strlen(w) && !memcmp(t->p, w, t->n);
}

/* Collect (and when run, expand) words up to a separator or brace. */
static void g_words(struct gs *s, int run, struct gargs *a, char *store, size_t cap)
{
	const struct gtok *t;
	size_t at = 0;

	a->n = 0;
	while ((t = g_peek(s)) && t->type == T_WORD) {
		s->pos++;
		if (!run || a->n == G_ARGS || at + 2 > cap)
			continue;
		int quoted;
		g_expand(s, t->p, t->n, store + at, cap - at, &quoted);
		size_t k = strlen(store + at);
		if (!k && !quoted)
			continue;  /* an unquoted empty expansion is no argument, as in sh */
		a->v[a->n++] = store + at;
		at += k + 1;
	}
}

static int g_simple(struct gs *s, int run)
{
	char *store = malloc(2 * BOOT_OPTS);
	struct gargs a;
	int r = 0;

	if (!store) {
		s->pos = s->nt;
		return 1;
	}
	g_words(s, run, &a, store, 2 * BOOT_OPTS);
	if (run && a.n)
		r = s->status = g_run(s, &a);
	free(store);
	return r;
}

static int g_list(struct gs *s, int run, const char *const *stops);

static int g_expect(struct gs *s, const char *w)
{
	if (!g_is(g_peek(s), w))
		return 0;
	s->pos++;
	return 1;
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
		int cond = run && !taken && s->status == 0;
		if (!g_expect(s, "then"))
			return;
		g_list(s, cond, arms);
		taken |= cond;
	} while (g_is(g_peek(s), "elif"));
	if (g_expect(s, "else"))
		g_list(s, run && !taken, fi);
	(void)g_expect(s, "fi");
}

/* while/until/for ... do LIST done: parsed, never run (no generated config needs one at boot). */
static void g_loop(struct gs *s)
{
	static const char *const d0[] = { "do", NULL }, *const d1[] = { "done", NULL };

	s->pos++;
	g_list(s, 0, d0);
	if (g_expect(s, "do"))
		g_list(s, 0, d1);
	(void)g_expect(s, "done");
}

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

static void g_function(struct gs *s)
{
	s->pos += 2;  /* "function" NAME */
	if (s->pos > s->nt)
		s->pos = s->nt;
	g_body(s, 0);
}

/* menuentry TITLE [--class C]... [--id ID] [--unrestricted] [--users U] [--hotkey K] { ... } */
static void g_menu_head(struct gargs *a, const char **title, const char **id)
{
	*title = *id = NULL;
	for (int i = 1; i < a->n; i++) {
		const char *w = a->v[i];
		if (!strncmp(w, "--id=", 5))
			*id = w + 5;
		else if (!strcmp(w, "--id") && i + 1 < a->n)
			*id = a->v[++i];
		else if ((!strcmp(w, "--class") || !strcmp(w, "--users") || !strcmp(w, "--hotkey")) && i + 1 < a->n)
			i++;
		else if (w[0] == '-' && w[1] == '-')
			;
		else if (!*title)
			*title = w;
	}
	if (!*title)
		*title = "";
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

static void g_menuentry(struct gs *s, int run, struct gargs *a)
{
	struct gvar *saved = run ? malloc(sizeof(*saved) * G_VARS) : NULL;
	size_t nsaved = s->nvars;
	struct boot_entry *e = NULL, *outer = s->cur;
	const char *title, *id;

	if (run && saved) {
		memcpy(saved, s->vars, sizeof(*saved) * G_VARS);
		g_menu_head(a, &title, &id);
		e = boot_list_add(s->l, BOOT_GRUB);
		if (e) {
			(void)boot_copy(e->title, sizeof(e->title), title, strlen(title));
			(void)boot_copy(e->id, sizeof(e->id), id, strlen(id));
			g_position(s, e);
			g_set(s, "chosen", 6, title);
		}
	}
	s->cur = e;
	g_body(s, run && e);
	if (e && !e->kernel[0] && !e->problem)
		e->problem = "no linux command";
	s->cur = outer;
	if (saved) {
		memcpy(s->vars, saved, sizeof(*saved) * G_VARS);
		s->nvars = nsaved;
	}
	free(saved);
	g_next_index(s);
}

static void g_submenu(struct gs *s, int run, struct gargs *a)
{
	char ptitle[BOOT_NAME], pid[BOOT_NAME];
	const char *title = "", *id = "";
	int idx1 = s->index[1];

	if (run)
		g_menu_head(a, &title, &id);
	memcpy(ptitle, s->ptitle, sizeof(ptitle));
	memcpy(pid, s->pid, sizeof(pid));
	if (s->depth == 0) {
		(void)boot_copy(s->ptitle, sizeof(s->ptitle), title, strlen(title));
		(void)boot_copy(s->pid, sizeof(s->pid), id, strlen(id));
	}
	s->depth++;
	s->index[1] = 0;
	g_body(s, run);
	s->depth--;
	s->index[1] = idx1;
	memcpy(s->ptitle, ptitle, sizeof(ptitle));
	memcpy(s->pid, pid, sizeof(pid));
	g_next_index(s);
}

/* menuentry/submenu: the head words, then the body. */
static void g_menu(struct gs *s, int run)
{
	char *store = malloc(2 * BOOT_OPTS);
	int sub = g_is(g_peek(s), "submenu");
	struct gargs a = { 0 };

	if (!store) {
		s->pos = s->nt;
		return;
	}
	g_words(s, run, &a, store, 2 * BOOT_OPTS);
	if (sub)
		g_submenu(s, run, &a);
	else
		g_menuentry(s, run, &a);
	free(store);
}

/* A BLS options line as GRUB's blscfg runs it: word by word, variables expanded, empty ones gone. */
static void g_expand_line(struct gs *s, char *line, size_t cap)
{
	char *out = malloc(cap), word[G_VAL];
	size_t at = 0, len = strlen(line);

	if (!out)
		return;
	out[0] = 0;
	for (size_t i = 0; i < len;) {
		if (line[i] == ' ' || line[i] == '\t') {
			i++;
			continue;
		}
		size_t n = g_wordlen(line + i, len - i);
		int quoted;
		n = n ? n : 1;
		g_expand(s, line + i, n, word, sizeof(word), &quoted);
		i += n;
		if ((word[0] || quoted) && at + strlen(word) + 2 < cap)
			at += (size_t)snprintf(out + at, cap - at, "%s%s", at ? " " : "", word);
	}
	memcpy(line, out, at + 1);
	free(out);
}

/* blscfg (Fedora's GRUB): the BLS entries of the boot filesystem become menu entries here; their
 * options may name grubenv variables ("options $kernelopts"), expanded now as GRUB does. */
static int g_blscfg(struct gs *s, struct gargs *a)
{
	size_t first = s->l->n;

	if (!s->ops || !s->ops->blscfg || s->ops->blscfg(s->ops->arg, s->l) < 0)
		return 1;
	for (size_t i = first; i < s->l->n; i++) {
		g_expand_line(s, s->l->e[i].options, sizeof(s->l->e[i].options));
		g_position(s, &s->l->e[i]);
		g_next_index(s);
	}
	return 0;
}

static int g_stop(const struct gtok *t, const char *const *stops)
{
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
		s->pos = s->nt;  /* too deep for anything a generator writes: stop reading */
		s->nest--;
		return 0;
	}
	while ((t = g_peek(s))) {
		if (g_stop(t, stops))
			break;
		if (t->type != T_WORD) {
			s->pos++;  /* separators, and braces out of place */
			continue;
		}
		if (g_is(t, "if"))
			g_if(s, run);
		else if (g_is(t, "while") || g_is(t, "until") || g_is(t, "for"))
			g_loop(s);
		else if (g_is(t, "function"))
			g_function(s);
		else if (g_is(t, "menuentry") || g_is(t, "submenu"))
			g_menu(s, run);
		else if (g_is(t, "then") || g_is(t, "fi") || g_is(t, "else") || g_is(t, "elif") ||
			 g_is(t, "do") || g_is(t, "done"))
			s->pos++;  /* out of place: skip it so the reader always moves on */
		else
			g_simple(s, run);
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

/* default= as GRUB reads it: a number, id or title; "A>B" walks into a submenu. */
static int g_match(const struct boot_entry *e, const char *d)
{
	const char *gt = strchr(d, '>');

	if (!gt)
		return e->menu_depth == 0 && g_item(d, strlen(d), e->menu_index[0], e->title, e->id);
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

static void g_default(struct gs *s, size_t first)
{
	const char *d = g_get(s, "default", 7);
	struct boot_list *l = s->l;

	(void)boot_copy(l->def_name, sizeof(l->def_name), d, strlen(d));
	l->timeout = s->nvars ? g_seconds(g_get(s, "timeout", 7)) : -1;
	l->def = -1;
	for (size_t i = first; i < l->n && l->def < 0; i++)
		if (g_match(&l->e[i], *d ? d : "0"))
			l->def = (int)i;
	/* No match, or item 0 is a submenu: GRUB would show a menu; ferry takes the first bootable. */
	for (size_t i = first; i < l->n && l->def < 0; i++)
		if (!l->e[i].problem)
			l->def = (int)i;
}

int grub_parse(struct boot_list *l, const char *dir, const char *buf, size_t len, const struct grub_ops *ops)
{
	struct gs s = { .l = l, .ops = ops };
	static const char *const features[] = { "feature_menuentry_id", "feature_default_font_path",
		"feature_all_video_module", "feature_platform_search_hint", "feature_timeout_style",
		"feature_200_final", "feature_nativedisk_cmd", NULL };
	size_t first = l->n;
	int ret;

	s.vars = calloc(G_VARS, sizeof(*s.vars));
	if (!s.vars)
		return -ENOMEM;
	ret = g_tokenize(&s, buf, len);
	if (ret)
		goto out;
	dir = dir ? dir : "/boot/grub";
	g_set(&s, "prefix", 6, dir);
	g_set(&s, "config_directory", 16, dir);
	g_set(&s, "root", 4, "");
	for (const char *const *f = features; *f; f++)
		g_set(&s, *f, strlen(*f), "y");
	g_list(&s, 1, NULL);
	g_default(&s, first);
	ret = l->n > first ? 0 : -ENOENT;
out:
	free(s.t);
	free(s.vars);
	return ret;
}
