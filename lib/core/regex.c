/* POSIX extended regular expressions for GRUB's `regexp` (what is supported: regex.h).
 * The pattern compiles into a small program (a Pike/Thompson-style instruction list); rx_exec runs it
 * with recursive backtracking, every path of it, keeping the longest match, within RX_STEPS and
 * RX_DEPTH. */
#include <string.h>
#include "regex.h"

enum { OP_CHAR, OP_ANY, OP_SET, OP_BOL, OP_EOL, OP_SAVE, OP_SPLIT, OP_JMP, OP_ENTER, OP_MARK, OP_CHK, OP_MATCH };
#define FIRST (1 << 30)   /* mark[]: this is the loop's first iteration (after -1; -2: x+ or x{m,}) */
#define NOWHERE 0xffff

struct rxp {
	struct rx *re;
	const char *p;
	int err, ngroup, depth, anchors;
	struct rx_ins tmp[RX_PROG];
};

static int emit(struct rxp *c, int op, int a, int x, int y)
{
	struct rx *re = c->re;

	if (re->n >= RX_PROG) {
		c->err = RX_ESIZE;
		return -1;
	}
	re->ins[re->n] = (struct rx_ins){ (unsigned char)op, (unsigned char)a, (unsigned short)x,
		(unsigned short)y };
	return re->n++;
}

static int has_target(int op)
{
	return op == OP_SPLIT || op == OP_JMP || op == OP_CHK;
}

/* One SPLIT inserted at `at`: what lies at or after it moves up by one. A jump from before `at` to
 * `at` keeps pointing there (at the new SPLIT); one from inside the moved code follows its code. */
static int insert_split(struct rxp *c, int at)
{
	struct rx *re = c->re;

	if (re->n >= RX_PROG) {
		c->err = RX_ESIZE;
		return -1;
	}
	memmove(&re->ins[at + 1], &re->ins[at], (size_t)(re->n - at) * sizeof(re->ins[0]));
	re->n++;
	for (int i = 0; i < re->n; i++) {
		struct rx_ins *in = &re->ins[i];
		if (i == at || !has_target(in->op))
			continue;
		int lo = i > at ? at : at + 1;
		if (in->x != NOWHERE && in->x >= lo)
			in->x++;
		if (in->op != OP_JMP && in->y != NOWHERE && in->y >= lo)
			in->y++;
	}
	re->ins[at] = (struct rx_ins){ OP_SPLIT, 0, (unsigned short)(at + 1), NOWHERE };
	return at;
}

static int parse_alt(struct rxp *c);

static void set_add(unsigned char *set, int lo, int hi)
{
	for (int ch = lo; ch <= hi; ch++)
		set[ch >> 3] |= (unsigned char)(1u << (ch & 7));
}

static int in_class(const char *name, size_t len, int ch)
{
	static const char *const names[] = { "alpha", "digit", "alnum", "upper", "lower", "space",
		"xdigit", "punct", "blank", "cntrl", "print", "graph" };
	int up = ch >= 'A' && ch <= 'Z', lo = ch >= 'a' && ch <= 'z', dig = ch >= '0' && ch <= '9';
	int graph = ch > 32 && ch < 127;

	for (int k = 0; k < (int)(sizeof(names) / sizeof(names[0])); k++) {
		if (strlen(names[k]) != len || memcmp(names[k], name, len))
			continue;
		switch (k) {
		case 0: return up || lo;
		case 1: return dig;
		case 2: return up || lo || dig;
		case 3: return up;
		case 4: return lo;
		case 5: return ch == ' ' || (ch >= '\t' && ch <= '\r');
		case 6: return dig || (ch >= 'a' && ch <= 'f') || (ch >= 'A' && ch <= 'F');
		case 7: return graph && !(up || lo || dig);
		case 8: return ch == ' ' || ch == '\t';
		case 9: return ch < 32 || ch == 127;
		case 10: return graph || ch == ' ';
		case 11: return graph;
		}
	}
	return -1;
}

/* After '[': the set up to its ']'. */
static int parse_bracket(struct rxp *c)
{
	struct rx *re = c->re;
	const unsigned char *p = (const unsigned char *)c->p;
	unsigned char *set;
	int neg = 0, first = 1;

	if (re->nsets >= RX_SETS)
		return c->err = RX_ESIZE, -1;
	set = re->sets[re->nsets];
	memset(set, 0, 32);
	if (*p == '^')
		neg = 1, p++;
	for (;; first = 0) {
		int lo;
		if (!*p)
			return c->err = RX_ESYNTAX, -1;
		if (*p == ']' && !first)
			break;
		if (p[0] == '[' && (p[1] == '=' || p[1] == '.'))
			return c->err = RX_EUNSUP, -1;
		if (p[0] == '[' && p[1] == ':') {
			const char *name = (const char *)p + 2, *end = strstr(name, ":]");
			if (!end || in_class(name, (size_t)(end - name), 'a') < 0)
				return c->err = RX_ESYNTAX, -1;
			for (int ch = 1; ch < 256; ch++)
				if (in_class(name, (size_t)(end - name), ch))
					set_add(set, ch, ch);
			p = (const unsigned char *)end + 2;
			if (*p == '-' && p[1] != ']')
				return c->err = RX_ESYNTAX, -1;   /* a class cannot start a range */
			continue;
		}
		lo = *p++;
		if (p[0] == '-' && p[1] && p[1] != ']') {
			int hi = p[1];
			if (hi == '[' && (p[2] == '.' || p[2] == '=' || p[2] == ':'))
				return c->err = RX_EUNSUP, -1;
			if (hi < lo)
				return c->err = RX_ESYNTAX, -1;
			set_add(set, lo, hi);
			p += 2;
			if (*p == '-' && p[1] != ']')
				return c->err = RX_ESYNTAX, -1;   /* "a-c-e" */
			continue;
		}
		set_add(set, lo, lo);
	}
	c->p = (const char *)p + 1;
	if (neg)
		for (int k = 0; k < 32; k++)
			set[k] = (unsigned char)~set[k];
	set[0] &= (unsigned char)~1u;                     /* never NUL: the subject ends there */
	return emit(c, OP_SET, re->nsets++, 0, 0);
}

/* One atom; *kind: 1 when a repetition may follow, 0 for an anchor. */
static int parse_atom(struct rxp *c, int *kind)
{
	unsigned char ch = (unsigned char)*c->p++;

	*kind = 1;
	switch (ch) {
	case '(': {
		int g;
		if (c->re->nsub >= RX_NSUB)
			return c->err = RX_EUNSUP, -1;
		if (++c->depth > 64)
			return c->err = RX_ESIZE, -1;
		g = ++c->re->nsub;
		if (emit(c, OP_SAVE, 2 * g, 0, 0) < 0 || parse_alt(c) < 0)
			return -1;
		if (*c->p != ')')
			return c->err = RX_ESYNTAX, -1;
		c->p++;
		c->depth--;
		return emit(c, OP_SAVE, 2 * g + 1, 0, 0);
	}
	case '.':
		return emit(c, OP_ANY, 0, 0, 0);
	case '[':
		return parse_bracket(c);
	case '^':
		*kind = 0;
		c->anchors++;
		return emit(c, OP_BOL, 0, 0, 0);
	case '$':
		*kind = 0;
		c->anchors++;
		return emit(c, OP_EOL, 0, 0, 0);
	case '\\':
		ch = (unsigned char)*c->p++;
		if (!ch || !strchr(".[]()*+?{}|^$\\/-", ch))
			return c->err = ch ? RX_EUNSUP : RX_ESYNTAX, -1;
		return emit(c, OP_CHAR, ch, 0, 0);
	case '*': case '+': case '?': case '{': case ')':
		return c->err = RX_ESYNTAX, -1;
	default:
		return emit(c, OP_CHAR, ch, 0, 0);
	}
}

/* A quantifier at c->p: 1 with *min, *max (-1: unbounded), 0 if none, -1 error. */
static int parse_quant(struct rxp *c, int *min, int *max)
{
	const char *p = c->p;

	switch (*p) {
	case '*': *min = 0, *max = -1; break;
	case '+': *min = 1, *max = -1; break;
	case '?': *min = 0, *max = 1; break;
	case '{': {
		int m = 0, n;
		if (*++p < '0' || *p > '9')
			return c->err = *p == ',' ? RX_EUNSUP : RX_ESYNTAX, -1;
		for (; *p >= '0' && *p <= '9'; p++)
			if ((m = m * 10 + (*p - '0')) > 255)
				return c->err = RX_ESIZE, -1;
		n = m;
		if (*p == ',') {
			n = -1;
			if (*++p >= '0' && *p <= '9')
				for (n = 0; *p >= '0' && *p <= '9'; p++)
					if ((n = n * 10 + (*p - '0')) > 255)
						return c->err = RX_ESIZE, -1;
		}
		if (*p != '}' || (n >= 0 && n < m))
			return c->err = RX_ESYNTAX, -1;
		*min = m, *max = n;
		break;
	}
	default:
		return 0;
	}
	c->p = p + 1;
	return 1;
}

/* Emit the body c->tmp[0..len) (taken from address `from`) at the end of the program. */
static int emit_body(struct rxp *c, int from, int len)
{
	struct rx *re = c->re;
	int at = re->n;

	if (re->n + len > RX_PROG)
		return c->err = RX_ESIZE, -1;
	for (int i = 0; i < len; i++) {
		struct rx_ins in = c->tmp[i];
		if (has_target(in.op)) {
			in.x = (unsigned short)(in.x - from + at);
			if (in.op != OP_JMP)
				in.y = (unsigned short)(in.y - from + at);
		}
		re->ins[re->n++] = in;
	}
	return 0;
}

/* The atom at [a0, n) repeated min..max (-1: unbounded) times. */
static int repeat(struct rxp *c, int a0, int min, int max)
{
	struct rx *re = c->re;
	int len = re->n - a0, exits[256], nexit = 0;

	memcpy(c->tmp, &re->ins[a0], (size_t)len * sizeof(re->ins[0]));
	re->n = (unsigned short)a0;
	for (int i = 0; i < min; i++)
		if (emit_body(c, a0, len) < 0)
			return -1;
	if (max < 0) {
		int l, r = re->nloops;
		if (r >= RX_LOOPS)
			return c->err = RX_ESIZE, -1;
		re->nloops++;
		if (emit(c, OP_ENTER, r, min > 0, 0) < 0 || (l = emit(c, OP_SPLIT, 0, 0, NOWHERE)) < 0 ||
		    emit(c, OP_MARK, r, 0, 0) < 0)
			return -1;
		re->ins[l].x = (unsigned short)(l + 1);
		if (emit_body(c, a0, len) < 0 || emit(c, OP_CHK, r, l, re->n + 1) < 0)
			return -1;
		re->ins[l].y = re->n;
		return 0;
	}
	for (int i = min; i < max; i++) {
		int s = emit(c, OP_SPLIT, 0, 0, NOWHERE);
		if (s < 0)
			return -1;
		re->ins[s].x = (unsigned short)(s + 1);
		exits[nexit++] = s;
		if (emit_body(c, a0, len) < 0)
			return -1;
	}
	for (int i = 0; i < nexit; i++)
		re->ins[exits[i]].y = re->n;
	return 0;
}

/* A branch: atoms with their repetitions, up to '|', ')' or the end. */
static int parse_seq(struct rxp *c)
{
	int n = 0;

	while (*c->p && *c->p != '|' && *c->p != ')') {
		int a0 = c->re->n, anchors = c->anchors, kind, min, max, q;
		if (parse_atom(c, &kind) < 0)
			return -1;
		n++;
		if ((q = parse_quant(c, &min, &max)) < 0)
			return -1;
		if (!q)
			continue;
		if (!kind || (*c->p && strchr("*+?{", *c->p)))
			return c->err = RX_ESYNTAX, -1;     /* "^*", "a**", "a*{2}": undefined in POSIX */
		if (c->anchors != anchors)
			return c->err = RX_EUNSUP, -1;     /* "(^a)*": glibc's captures there are its own */
		if (repeat(c, a0, min, max) < 0)
			return -1;
	}
	if (!n)
		return c->err = RX_ESYNTAX, -1;             /* empty branch or group */
	return 0;
}

static int parse_alt(struct rxp *c)
{
	int at = c->re->n, jumps[128], nj = 0;

	if (parse_seq(c) < 0)
		return -1;
	while (*c->p == '|') {
		int j;
		c->p++;
		if (nj >= 128 || insert_split(c, at) < 0 || (j = emit(c, OP_JMP, 0, NOWHERE, 0)) < 0)
			return c->err = c->err ? c->err : RX_ESIZE, -1;
		jumps[nj++] = j;
		c->re->ins[at].y = c->re->n;
		at = c->re->n;
		if (parse_seq(c) < 0)
			return -1;
	}
	for (int i = 0; i < nj; i++)
		c->re->ins[jumps[i]].x = c->re->n;
	return 0;
}

int rx_compile(struct rx *re, const char *pattern)
{
	static struct rxp c;   /* the scratch copy (tmp) is 6 KiB: not on PID 1's stack */

	memset(re, 0, sizeof(*re) - sizeof(re->sets));
	c = (struct rxp){ .re = re, .p = pattern };
	if (emit(&c, OP_SAVE, 0, 0, 0) < 0 || parse_alt(&c) < 0)
		return c.err ? c.err : RX_ESYNTAX;
	if (*c.p)
		return RX_ESYNTAX;                          /* an unmatched ')' */
	if (emit(&c, OP_SAVE, 1, 0, 0) < 0 || emit(&c, OP_MATCH, 0, 0, 0) < 0)
		return c.err;
	return 0;
}

struct rxm {
	const struct rx *re;
	const unsigned char *s;
	long steps;
	int depth, found;
	int cap[2 * (RX_NSUB + 1)], best[2 * (RX_NSUB + 1)], mark[RX_LOOPS];
};

/* Is the finished match in cap better than best? Only a longer one: of equally long ones the first in
 * backtracking order (alternatives left first, repetitions greedy) stays, as glibc's and gnulib's
 * (GRUB's) regexec choose. */
static int better(const struct rxm *m)
{
	return !m->found || m->cap[1] > m->best[1];
}

static int run(struct rxm *m, int pc, int sp)
{
	const struct rx_ins *ins = m->re->ins;
	int r, old;

	if (++m->depth > RX_DEPTH)
		return RX_EBUDGET;
	for (;;) {
		const struct rx_ins *in = &ins[pc];
		unsigned ch = m->s[sp];
		if (++m->steps > RX_STEPS)
			return RX_EBUDGET;
		switch (in->op) {
		case OP_CHAR:
			if (ch != in->a)
				goto fail;
			sp++, pc++;
			continue;
		case OP_ANY:
			if (!ch)
				goto fail;
			sp++, pc++;
			continue;
		case OP_SET:
			if (!(m->re->sets[in->a][ch >> 3] & (1u << (ch & 7))))
				goto fail;
			sp++, pc++;
			continue;
		case OP_BOL:
			if (sp)
				goto fail;
			pc++;
			continue;
		case OP_EOL:
			if (ch)
				goto fail;
			pc++;
			continue;
		case OP_SAVE:
			old = m->cap[in->a];
			m->cap[in->a] = sp;
			r = run(m, pc + 1, sp);
			m->cap[in->a] = old;
			m->depth--;
			return r;
		case OP_ENTER:
		case OP_MARK:
			old = m->mark[in->a];
			m->mark[in->a] = in->op == OP_ENTER ? -1 - in->x : old == -1 ? sp | FIRST : sp;
			r = run(m, pc + 1, sp);
			m->mark[in->a] = old;
			m->depth--;
			return r;
		case OP_CHK:
			/* An empty iteration: only a first one counts (and ends the loop), as in glibc. */
			if (sp == (m->mark[in->a] & ~FIRST)) {
				if (!(m->mark[in->a] & FIRST))
					goto fail;
				pc = in->y;
			} else {
				pc = in->x;
			}
			continue;
		case OP_SPLIT:
			if ((r = run(m, in->x, sp)) < 0) {
				m->depth--;
				return r;
			}
			pc = in->y;
			continue;
		case OP_JMP:
			pc = in->x;
			continue;
		case OP_MATCH:
			if (better(m)) {
				memcpy(m->best, m->cap, sizeof(m->best));
				m->found = 1;
			}
			goto fail;
		}
	}
fail:
	m->depth--;
	return 0;
}

int rx_exec(const struct rx *re, const char *s, struct rx_match *out, int nm)
{
	struct rxm m = { .re = re, .s = (const unsigned char *)s };
	size_t len = strlen(s);

	for (size_t start = 0; start <= len && !m.found; start++) {
		int r;
		for (int i = 0; i < 2 * (RX_NSUB + 1); i++)
			m.cap[i] = -1;
		m.depth = 0;
		if ((r = run(&m, 0, (int)start)) < 0)
			return r;
	}
	if (!m.found)
		return 0;
	for (int g = 0; g < nm && g <= RX_NSUB; g++) {
		int on = g <= re->nsub && m.best[2 * g] >= 0 && m.best[2 * g + 1] >= 0;
		out[g].so = on ? m.best[2 * g] : -1;
		out[g].eo = on ? m.best[2 * g + 1] : -1;
	}
	return 1;
}
