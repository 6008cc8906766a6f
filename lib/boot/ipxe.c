/* iPXE scripts, content detection and the pxelinux search order: see ipxe.h. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include "ipxe.h"
#include "pe.h"

#define IPXE_LINE_MAX 4096
#define IPXE_WORDS 128
#define IPXE_MAX_LINES 4096

/* ---- what a file is ----------------------------------------------------------------------------- */
static bool is_text(const unsigned char *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (b[i] < 0x20 && b[i] != '\n' && b[i] != '\r' && b[i] != '\t')
			return false;
	return true;
}

enum nb_kind nb_detect(const void *buf, size_t len)
{
	const unsigned char *b = buf;
	static const char *const keys[] = { "default", "label", "kernel", "linux", "append", "initrd",
		"prompt", "timeout", "menu", "say", "include", "ui" };
	struct kimg k;
	size_t head = len < 4096 ? len : 4096;

	if (len >= 6 && !memcmp(b, "#!ipxe", 6))
		return NB_IPXE;
	if (kimg_detect(buf, len, &k) == 0 && k.fmt != KIMG_UNKNOWN)
		return NB_KERNEL;
	if (!is_text(b, head))
		return NB_UNKNOWN;
	/* The first line that is not blank and not a comment starts with a pxelinux keyword. */
	for (size_t i = 0; i < head;) {
		size_t j = i;
		while (j < head && (b[j] == ' ' || b[j] == '\t'))
			j++;
		if (j < head && b[j] != '\n' && b[j] != '\r' && b[j] != '#') {
			for (size_t c = 0; c < sizeof(keys) / sizeof(keys[0]); c++) {
				size_t kn = strlen(keys[c]);
				if (j + kn < head && !strncasecmp((const char *)b + j, keys[c], kn) &&
				    (b[j + kn] == ' ' || b[j + kn] == '\t' || b[j + kn] == '\n' || b[j + kn] == '\r'))
					return NB_PXELINUX;
			}
			return NB_UNKNOWN;
		}
		while (j < head && b[j] != '\n')
			j++;
		i = j + 1;
	}
	return NB_UNKNOWN;
}

const char *nb_kind_name(enum nb_kind k)
{
	static const char *const names[] = { "unknown content", "iPXE script", "pxelinux config", "kernel" };
	return (unsigned)k < 4 ? names[k] : "unknown content";
}

/* ---- pxelinux ------------------------------------------------------------------------------------- */
size_t pxelinux_names(const uint8_t mac[6], uint32_t ip, char names[10][24])
{
	size_t n = 0;
	char hex[9];

	snprintf(names[n++], 24, "01-%02x-%02x-%02x-%02x-%02x-%02x", mac[0], mac[1], mac[2], mac[3], mac[4], mac[5]);
	if (ip) {
		snprintf(hex, sizeof(hex), "%08X", ip);
		for (size_t l = 8; l >= 1; l--)
			snprintf(names[n++], 24, "%.*s", (int)l, hex);
	}
	snprintf(names[n++], 24, "default");
	return n;
}

/* ---- iPXE ----------------------------------------------------------------------------------------- */
struct run {
	const char *buf;
	size_t len;
	ipxe_lookup_fn lookup;
	void *arg;
	struct ipxe_result *r;
	size_t nlines;
	unsigned line;             /* 1-based, of the command running */
	uint32_t off[IPXE_MAX_LINES];  /* where each line starts */
};

static int err(struct run *x, int e, const char *fmt, ...)
{
	va_list ap;

	x->r->line = x->line;
	va_start(ap, fmt);
	vsnprintf(x->r->why, sizeof(x->r->why), fmt, ap);
	va_end(ap);
	return e;
}

/* Line n (1-based) of the script: its start and length, without the newline (and CR). */
static bool get_line(const struct run *x, unsigned n, const char **p, size_t *len)
{
	size_t a, b;

	if (n < 1 || n > x->nlines)
		return false;
	a = x->off[n - 1];
	b = n < x->nlines ? x->off[n] - 1 : x->len;
	*p = x->buf + a;
	*len = b - a;
	if (*len && (*p)[*len - 1] == '\n')
		(*len)--;
	if (*len && (*p)[*len - 1] == '\r')
		(*len)--;
	return true;
}

static const char *var_get(struct run *x, const char *name)
{
	for (size_t i = 0; i < x->r->nvars; i++)
		if (!strcmp(x->r->var[i][0], name))
			return x->r->var[i][1];
	return x->lookup ? x->lookup(x->arg, name) : NULL;
}

static int var_set(struct run *x, const char *name, const char *val)
{
	size_t i;

	if (strlen(name) >= sizeof(x->r->var[0][0]) || strlen(val) >= sizeof(x->r->var[0][1]))
		return err(x, -E2BIG, "set %s: name or value too long", name);
	for (i = 0; i < x->r->nvars; i++)
		if (!strcmp(x->r->var[i][0], name))
			break;
	if (i == x->r->nvars) {
		if (i == IPXE_MAX_VARS)
			return err(x, -E2BIG, "set %s: more than %d variables", name, IPXE_MAX_VARS);
		x->r->nvars++;
	}
	strcpy(x->r->var[i][0], name);
	strcpy(x->r->var[i][1], val);
	return 0;
}

/* ${name} and ${name:type} expanded into out (an unset name expands to nothing, as in iPXE). */
static int expand(struct run *x, const char *in, size_t n, char *out, size_t cap)
{
	size_t o = 0;

	for (size_t i = 0; i < n;) {
		if (in[i] == '$' && i + 1 < n && in[i + 1] == '{') {
			const char *close = memchr(in + i + 2, '}', n - i - 2);
			char name[128], *type;
			const char *v;
			size_t nn;
			if (!close)
				return err(x, -EINVAL, "${ without }");
			nn = (size_t)(close - in - i - 2);
			if (nn >= sizeof(name))
				return err(x, -E2BIG, "variable name too long");
			memcpy(name, in + i + 2, nn);
			name[nn] = 0;
			if ((type = strchr(name, ':')))
				*type++ = 0;
			v = var_get(x, name);
			for (size_t k = 0; v && v[k]; k++) {
				if (o + 1 >= cap)
					return err(x, -E2BIG, "line too long after expansion");
				out[o++] = type && !strcmp(type, "hexhyp") && v[k] == ':' ? '-' : v[k];
			}
			i = (size_t)(close - in) + 1;
			continue;
		}
		if (o + 1 >= cap)
			return err(x, -E2BIG, "line too long after expansion");
		out[o++] = in[i++];
	}
	out[o] = 0;
	return 0;
}

static size_t split(char *s, char **w, size_t max)
{
	size_t n = 0;

	while (*s && n < max) {
		while (*s == ' ' || *s == '\t')
			*s++ = 0;
		if (!*s)
			break;
		w[n++] = s;
		while (*s && *s != ' ' && *s != '\t')
			s++;
	}
	return n;
}

/* The image commands' options: --name X, -n X, --timeout X, -t X, --autofree, -a, --replace, -r. */
static size_t skip_opts(char **w, size_t n, size_t i)
{
	while (i < n && w[i][0] == '-') {
		if (!strcmp(w[i], "--name") || !strcmp(w[i], "-n") || !strcmp(w[i], "--timeout") || !strcmp(w[i], "-t"))
			i++;
		i++;
	}
	return i;
}

static int join(struct run *x, char *out, size_t cap, char **w, size_t n)
{
	size_t o = 0;

	out[0] = 0;
	for (size_t i = 0; i < n; i++) {
		size_t k = strlen(w[i]);
		if (o + k + 2 > cap)
			return err(x, -E2BIG, "command line too long");
		if (o)
			out[o++] = ' ';
		memcpy(out + o, w[i], k + 1);
		o += k;
	}
	return 0;
}

static int copy_url(struct run *x, char *dst, const char *cmd, char **w, size_t n, size_t i)
{
	if (i >= n)
		return err(x, -EINVAL, "%s: no image URL", cmd);
	if (strlen(w[i]) >= IPXE_URL_MAX)
		return err(x, -E2BIG, "%s: URL too long", cmd);
	strcpy(dst, w[i]);
	return 0;
}

enum { ST_OK = 0, ST_FAIL = 1, ST_STOP = 2 };  /* a command's result; < 0: an error */

static int goto_label(struct run *x, const char *label, unsigned *pc)
{
	for (unsigned l = 1; l <= x->nlines; l++) {
		const char *p;
		size_t n, ln = strlen(label);
		if (!get_line(x, l, &p, &n))
			break;
		while (n && (*p == ' ' || *p == '\t'))
			p++, n--;
		if (n > ln && p[0] == ':' && !memcmp(p + 1, label, ln) && (n == ln + 1 || p[ln + 1] == ' ' || p[ln + 1] == '\t')) {
			*pc = l;
			return ST_OK;
		}
	}
	return err(x, -ENOENT, "goto %s: no such label", label);
}

static const char *const refused[] = { "menu", "item", "choose", "shell", "sanboot", "sanhook", "sanunhook",
	"login", "imgtrust", "imgverify", "prompt", "params", "param", "console", "cpair", "colour", "form",
	"present", "reboot", "poweroff", "ifclose", "vlan", "certstore", "certstat", "ntp", "nslookup", "ping",
	"ipstat", "route", "config", "show", "read", "inc", "imgextract", "imgdecrypt", "fcstat", "iwlist" };

static int command(struct run *x, char **w, size_t n, unsigned *pc)
{
	struct ipxe_result *r = x->r;
	const char *c = w[0];
	size_t i;
	int e;

	if (!strcmp(c, "dhcp") || !strcmp(c, "ifopen") || !strcmp(c, "ifconf") || !strcmp(c, "ifstat") ||
	    !strcmp(c, "sleep") || !strcmp(c, "sync") || !strcmp(c, "imgfree"))
		return ST_OK;   /* the lease is there already; nothing waits */
	if (!strcmp(c, "echo")) {
		i = n > 1 && !strcmp(w[1], "-n") ? 2 : 1;
		return join(x, r->echo, sizeof(r->echo), w + i, n - i) ? -E2BIG : ST_OK;
	}
	if (!strcmp(c, "set")) {
		char val[256];
		if (n < 2)
			return err(x, -EINVAL, "set: no name");
		if ((e = join(x, val, sizeof(val), w + 2, n - 2)) || (e = var_set(x, w[1], val)))
			return e;
		return ST_OK;
	}
	if (!strcmp(c, "clear"))
		return n < 2 ? err(x, -EINVAL, "clear: no name") : var_set(x, w[1], "");
	if (!strcmp(c, "isset"))
		return n > 1 ? ST_OK : ST_FAIL;
	if (!strcmp(c, "iseq"))
		return (n == 3 && !strcmp(w[1], w[2])) || n == 1 ? ST_OK : n == 2 ? (w[1][0] ? ST_FAIL : ST_OK) : ST_FAIL;
	if (!strcmp(c, "goto"))
		return n < 2 ? err(x, -EINVAL, "goto: no label") : goto_label(x, w[1], pc);
	if (!strcmp(c, "exit")) {
		r->what = IPXE_EXIT;
		return ST_STOP;
	}
	if (!strcmp(c, "kernel") || !strcmp(c, "imgload") || !strcmp(c, "imgselect")) {
		i = skip_opts(w, n, 1);
		if ((e = copy_url(x, r->kernel, c, w, n, i)) || (e = join(x, r->args, sizeof(r->args), w + i + 1, n - i - 1)))
			return e;
		return ST_OK;
	}
	if (!strcmp(c, "initrd") || !strcmp(c, "module") || !strcmp(c, "imgfetch")) {
		i = skip_opts(w, n, 1);
		if (r->ninitrd == IPXE_MAX_INITRD)
			return err(x, -E2BIG, "%s: more than %d initrds", c, IPXE_MAX_INITRD);
		if ((e = copy_url(x, r->initrd[r->ninitrd], c, w, n, i)))
			return e;
		r->ninitrd++;
		return ST_OK;
	}
	if (!strcmp(c, "imgargs")) {
		i = skip_opts(w, n, 1) + 1;  /* the image's name, then its arguments */
		return join(x, r->args, sizeof(r->args), w + i, n > i ? n - i : 0) ? -E2BIG : ST_OK;
	}
	if (!strcmp(c, "boot") || !strcmp(c, "imgexec")) {
		if (!r->kernel[0])
			return err(x, -EINVAL, "%s: no kernel loaded", c);
		r->what = IPXE_BOOT;
		return ST_STOP;
	}
	if (!strcmp(c, "chain")) {
		i = skip_opts(w, n, 1);
		if ((e = copy_url(x, r->chain, c, w, n, i)) || (e = join(x, r->args, sizeof(r->args), w + i + 1, n - i - 1)))
			return e;
		r->what = IPXE_CHAIN;
		return ST_STOP;
	}
	for (i = 0; i < sizeof(refused) / sizeof(refused[0]); i++)
		if (!strcmp(c, refused[i]))
			return err(x, -ENOTSUP, "%s: not supported by ferry's iPXE", c);
	return err(x, -ENOTSUP, "%s: not an iPXE command ferry knows", c);
}

/* One line: `cmd || cmd && cmd ...`, left to right as iPXE does. */
static int run_line(struct run *x, char *s, unsigned *pc)
{
	char *w[IPXE_WORDS];
	size_t n = split(s, w, IPXE_WORDS), start = 0;
	int st = ST_OK;
	bool first = true, run = true;

	if (n == IPXE_WORDS)
		return err(x, -E2BIG, "more than %d words", IPXE_WORDS - 1);
	for (size_t i = 0; i <= n; i++) {
		if (i < n && strcmp(w[i], "||") && strcmp(w[i], "&&"))
			continue;
		if (i == start)
			return err(x, -EINVAL, "%s without a command", i < n ? w[i] : "||");
		if (run || first) {
			unsigned before = *pc;
			st = command(x, w + start, i - start, pc);
			if (st < 0 || st == ST_STOP || *pc != before)
				return st;
		}
		first = false;
		if (i < n)
			run = !strcmp(w[i], "||") ? st == ST_FAIL : st == ST_OK;
		start = i + 1;
	}
	return ST_OK;
}

int ipxe_run(const char *buf, size_t len, ipxe_lookup_fn lookup, void *arg, struct ipxe_result *r)
{
	static char line[IPXE_LINE_MAX], exp[IPXE_LINE_MAX];
	static struct run x;
	const char *p;
	size_t n;
	unsigned pc = 2, steps = 0;
	int st;

	memset(r, 0, sizeof(*r));
	x = (struct run){ .buf = buf, .len = len, .lookup = lookup, .arg = arg, .r = r };
	if (len < 6 || memcmp(buf, "#!ipxe", 6))
		return err(&x, -EINVAL, "no #!ipxe on the first line");
	if (memchr(buf, 0, len))
		return err(&x, -EINVAL, "a NUL byte in the script");
	if (len > UINT32_MAX)
		return err(&x, -E2BIG, "script too big");
	for (size_t i = 0; i < len;) {
		const char *nl = memchr(buf + i, '\n', len - i);
		if (x.nlines == IPXE_MAX_LINES)
			return err(&x, -E2BIG, "more than %d lines", IPXE_MAX_LINES);
		x.off[x.nlines++] = (uint32_t)i;
		i = nl ? (size_t)(nl - buf) + 1 : len;
	}
	while (pc <= x.nlines) {
		if (++steps > IPXE_STEPS)
			return err(&x, -ELOOP, "more than %d commands run (a goto loop?)", IPXE_STEPS);
		x.line = pc;
		(void)get_line(&x, pc++, &p, &n);
		while (n && (*p == ' ' || *p == '\t'))
			p++, n--;
		if (!n || *p == '#' || *p == ':')
			continue;
		if (n >= sizeof(line))
			return err(&x, -E2BIG, "line longer than %d bytes", IPXE_LINE_MAX - 1);
		memcpy(line, p, n);
		line[n] = 0;
		if ((st = expand(&x, line, n, exp, sizeof(exp))) < 0 || (st = run_line(&x, exp, &pc)) < 0)
			return st;
		if (st == ST_STOP)
			return 0;
	}
	x.line = x.nlines;
	if (r->kernel[0])
		return err(&x, -EINVAL, "the script ends without boot after kernel %s", r->kernel);
	r->what = IPXE_EXIT;
	return 0;
}
