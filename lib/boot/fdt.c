/* Flattened device tree: header and blocks validated once, then walked token by token with every
 * read bounded by the block it belongs to. The /chosen edit copies the structure block token by
 * token into a new blob, leaving out the properties it replaces and adding its own before /chosen's
 * END_NODE (or a whole /chosen before the root's END_NODE). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "fdt.h"

#define TOK_BEGIN 1
#define TOK_END   2
#define TOK_PROP  3
#define TOK_NOP   4
#define TOK_DONE  9
#define HDR_SIZE  40
#define MAX_DEPTH 64

struct fdt_v {
	const uint8_t *b;
	uint32_t st, sz_st, ss, sz_ss;   /* structure and strings blocks: offset, size */
};

struct tok {
	uint32_t type, next;             /* next: offset of the following token */
	const char *name;                /* BEGIN: node name; PROP: property name */
	const uint8_t *data;             /* PROP */
	uint32_t len;
};

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24), p[1] = (uint8_t)(v >> 16), p[2] = (uint8_t)(v >> 8), p[3] = (uint8_t)v;
}

static uint32_t pad4(uint32_t n)
{
	return (n + 3) & ~3u;
}

/* The header's view of the blocks; NULL or what is wrong. */
static const char *fdt_view(const void *blob, size_t len, struct fdt_v *v)
{
	const uint8_t *b = blob;

	if (len < HDR_SIZE)
		return "shorter than a device tree header";
	if (be32(b) != FDT_MAGIC)
		return "no device tree magic (d00dfeed)";
	uint32_t total = be32(b + 4), version = be32(b + 20), last = be32(b + 24);
	if (total > len || total < HDR_SIZE)
		return "totalsize is past the end of the data";
	if (version < 17 || last > 17)
		return "not a version 17 device tree";
	v->b = b;
	v->st = be32(b + 8), v->ss = be32(b + 12);
	v->sz_ss = be32(b + 32), v->sz_st = be32(b + 36);
	if (v->st % 4 || v->st < HDR_SIZE || v->st > total || v->sz_st > total - v->st)
		return "the structure block is outside the blob";
	if (v->ss < HDR_SIZE || v->ss > total || v->sz_ss > total - v->ss)
		return "the strings block is outside the blob";
	uint32_t rsv = be32(b + 16);
	if (rsv % 8 || rsv < HDR_SIZE || rsv > total)
		return "the memory reservation block is outside the blob";
	for (;; rsv += 16) {
		if (total - rsv < 16)
			return "the memory reservation block has no end";
		if (!memcmp(b + rsv, "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0", 16))
			break;
	}
	return NULL;
}

/* The token at off, bounded by the structure and strings blocks. 0, or -EINVAL. */
static int tok_at(const struct fdt_v *v, uint32_t off, struct tok *t)
{
	const uint8_t *s = v->b + v->st;
	uint32_t end = v->sz_st;

	if (off % 4 || off > end || end - off < 4)
		return -EINVAL;
	t->type = be32(s + off);
	off += 4;
	if (t->type == TOK_BEGIN) {
		const uint8_t *z = memchr(s + off, 0, end - off);
		if (!z)
			return -EINVAL;
		t->name = (const char *)(s + off);
		t->next = off + pad4((uint32_t)(z - (s + off)) + 1);
		return t->next <= end ? 0 : -EINVAL;
	}
	if (t->type == TOK_PROP) {
		if (end - off < 8)
			return -EINVAL;
		t->len = be32(s + off);
		uint32_t name = be32(s + off + 4);
		off += 8;
		if (t->len > end - off || name >= v->sz_ss ||
		    !memchr(v->b + v->ss + name, 0, v->sz_ss - name))
			return -EINVAL;
		t->name = (const char *)(v->b + v->ss + name);
		t->data = s + off;
		t->next = off + pad4(t->len);
		return t->next <= end ? 0 : -EINVAL;
	}
	t->next = off;
	return t->type == TOK_END || t->type == TOK_NOP || t->type == TOK_DONE ? 0 : -EINVAL;
}

const char *fdt_check(const void *blob, size_t len)
{
	struct fdt_v v;
	struct tok t;
	const char *why = fdt_view(blob, len, &v);
	uint32_t off = 0;
	int depth = 0, roots = 0;

	if (why)
		return why;
	for (;; off = t.next) {
		if (tok_at(&v, off, &t))
			return "a token runs past the structure or strings block";
		if (t.type == TOK_BEGIN) {
			if (depth == 0 && (roots++ || t.name[0]))
				return "more than one root node, or a root with a name";
			if (++depth > MAX_DEPTH)
				return "nodes nested deeper than 64";
		} else if (t.type == TOK_PROP && depth == 0)
			return "a property outside any node";
		else if (t.type == TOK_END && depth-- == 0)
			return "an END_NODE without its BEGIN_NODE";
		else if (t.type == TOK_DONE)
			return depth || !roots ? "the structure block ends inside a node" : NULL;
	}
}

/* Does a node name ("serial@9000000") match a path component ("serial" or "serial@9000000")? */
static int name_is(const char *name, const char *c, size_t n)
{
	if (strncmp(name, c, n))
		return 0;
	return name[n] == 0 || (name[n] == '@' && !memchr(c, '@', n));
}

int fdt_node(const void *blob, const char *path)
{
	struct fdt_v v;
	struct tok t;
	int depth = 0, matched = 0;
	const char *c = path;

	if (fdt_view(blob, be32((const uint8_t *)blob + 4), &v) || path[0] != '/')
		return -ENOENT;
	for (uint32_t off = 0; !tok_at(&v, off, &t) && t.type != TOK_DONE; off = t.next) {
		if (t.type == TOK_END && depth-- == matched)
			return -ENOENT;  /* left the deepest node matched so far */
		if (t.type != TOK_BEGIN)
			continue;
		if (depth++ != matched)
			continue;
		while (*c == '/')
			c++;
		size_t n = strcspn(c, "/");
		if (depth == 1 && !n)
			return (int)off;          /* "/" */
		if (depth > 1 && !name_is(t.name, c, n))
			continue;
		if (depth > 1) {
			c += n;
			while (*c == '/')
				c++;
		}
		matched = depth;
		if (!*c)
			return (int)off;
	}
	return -ENOENT;
}

const void *fdt_prop(const void *blob, int node, const char *name, size_t *len)
{
	struct fdt_v v;
	struct tok t;
	int depth = 0;

	if (node < 0 || fdt_view(blob, be32((const uint8_t *)blob + 4), &v))
		return NULL;
	for (uint32_t off = (uint32_t)node; !tok_at(&v, off, &t) && t.type != TOK_DONE; off = t.next) {
		if (t.type == TOK_BEGIN)
			depth++;
		else if (t.type == TOK_END && --depth == 0)
			break;
		else if (t.type == TOK_PROP && depth == 1 && !strcmp(t.name, name)) {
			*len = t.len;
			return t.data;
		}
	}
	return NULL;
}

int fdt_prop_u64(const void *blob, int node, const char *name, uint64_t *v)
{
	size_t len;
	const uint8_t *p = fdt_prop(blob, node, name, &len);

	if (!p)
		return -ENOENT;
	if (len == 4)
		*v = be32(p);
	else if (len == 8)
		*v = (uint64_t)be32(p) << 32 | be32(p + 4);
	else
		return -EINVAL;
	return 0;
}

/* ---- writing ------------------------------------------------------------------------------------ */
static const char *const chosen_names[] = { "bootargs", "linux,initrd-start", "linux,initrd-end", "kaslr-seed",
	"rng-seed" };
#define NCHOSEN (sizeof(chosen_names) / sizeof(chosen_names[0]))
#define STRINGS_EXTRA 128                /* the five names with their NULs: 65 bytes */

struct fdt_w {
	uint8_t *p;                       /* the structure block being written */
	uint32_t n;
	uint32_t nameoff[NCHOSEN];        /* where chosen_names are in the new strings block */
	const struct fdt_chosen *c;
};

static void w_bytes(struct fdt_w *w, const void *p, uint32_t n)
{
	memcpy(w->p + w->n, p, n);
	memset(w->p + w->n + n, 0, pad4(n) - n);
	w->n += pad4(n);
}

static void w_tok(struct fdt_w *w, uint32_t tok)
{
	uint8_t b[4];

	put32(b, tok);
	w_bytes(w, b, 4);
}

static void w_prop(struct fdt_w *w, size_t which, const void *data, uint32_t len)
{
	uint8_t h[8];

	w_tok(w, TOK_PROP);
	put32(h, len);
	put32(h + 4, w->nameoff[which]);
	w_bytes(w, h, 8);
	w_bytes(w, data, len);
}

static void w_prop64(struct fdt_w *w, size_t which, uint64_t v)
{
	uint8_t b[8];

	put32(b, (uint32_t)(v >> 32));
	put32(b + 4, (uint32_t)v);
	w_prop(w, which, b, 8);
}

static void w_chosen_props(struct fdt_w *w)
{
	const struct fdt_chosen *c = w->c;

	if (c->bootargs)
		w_prop(w, 0, c->bootargs, (uint32_t)strlen(c->bootargs) + 1);
	if (c->initrd) {
		w_prop64(w, 1, c->initrd_start);
		w_prop64(w, 2, c->initrd_end);
	}
	if (c->kaslr)
		w_prop64(w, 3, c->kaslr_seed);
	if (c->rng_seed && c->rng_seed_len)
		w_prop(w, 4, c->rng_seed, (uint32_t)c->rng_seed_len);
}

static int is_chosen_name(const char *name)
{
	for (size_t i = 0; i < NCHOSEN; i++)
		if (!strcmp(name, chosen_names[i]))
			return 1;
	return 0;
}

/* The structure block copied with /chosen's properties replaced. The new ones go into the first
 * /chosen only (the one the kernel's lookup finds; fdt_set_chosen's room is for one set), and any
 * other loses its stale ones. */
static void w_struct(struct fdt_w *w, const struct fdt_v *v)
{
	struct tok t;
	int depth = 0, in_chosen = 0, seen = 0, written = 0;

	for (uint32_t off = 0; !tok_at(v, off, &t); off = t.next) {
		const uint8_t *raw = v->b + v->st + off;
		/* "chosen@0" too: the kernel's fdt_path_offset("/chosen") would find it first */
		if (t.type == TOK_BEGIN && ++depth == 2 && name_is(t.name, "chosen", 6))
			in_chosen = seen = 1;
		if (t.type == TOK_END) {
			if (in_chosen && depth == 2) {
				if (!written)
					w_chosen_props(w);
				written = 1;
				in_chosen = 0;
			}
			if (depth == 1 && !seen) {  /* the root closes without a /chosen: add one */
				w_tok(w, TOK_BEGIN);
				w_bytes(w, "chosen", 7);
				w_chosen_props(w);
				w_tok(w, TOK_END);
				seen = written = 1;
			}
			depth--;
		}
		if (t.type == TOK_NOP || (t.type == TOK_PROP && in_chosen && depth == 2 && is_chosen_name(t.name)))
			continue;
		memcpy(w->p + w->n, raw, t.next - off);
		w->n += t.next - off;
		if (t.type == TOK_DONE)
			break;
	}
}

/* The old strings, then those of chosen_names the old block lacks. Returns the new block's size. */
static uint32_t w_strings(struct fdt_w *w, const struct fdt_v *v, uint8_t *out)
{
	uint32_t n = v->sz_ss;

	memcpy(out, v->b + v->ss, n);
	for (size_t i = 0; i < NCHOSEN; i++) {
		size_t k = strlen(chosen_names[i]) + 1;
		const uint8_t *at = n ? memmem(out, n, chosen_names[i], k) : NULL;
		if (at) {
			w->nameoff[i] = (uint32_t)(at - out);
			continue;
		}
		memcpy(out + n, chosen_names[i], k);
		w->nameoff[i] = n;
		n += (uint32_t)k;
	}
	return n;
}

int fdt_set_chosen(const void *blob, size_t len, const struct fdt_chosen *c, void **out, size_t *outlen)
{
	struct fdt_v v;
	struct fdt_w w = { .c = c };
	const uint8_t *b = blob;

	*out = NULL;
	if (fdt_check(blob, len) || fdt_view(blob, len, &v))
		return -EINVAL;
	size_t args = c->bootargs ? strlen(c->bootargs) + 1 : 0;
	if (args > FDT_MAX_SIZE || c->rng_seed_len > FDT_MAX_SIZE)
		return -E2BIG;
	uint32_t rsv = be32(b + 16), rsv_len = 16;
	while (memcmp(b + rsv + rsv_len - 16, "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0", 16))
		rsv_len += 16;
	/* An upper bound: the old blocks, a new /chosen node and five properties with their names. */
	size_t extra = 32 + 5 * 12 + pad4((uint32_t)args) + 8 * 3 + pad4((uint32_t)c->rng_seed_len) + 64;
	size_t cap = HDR_SIZE + rsv_len + v.sz_st + extra + v.sz_ss + STRINGS_EXTRA;
	uint8_t *o = calloc(1, cap);
	if (!o)
		return -ENOMEM;
	uint32_t st = HDR_SIZE + rsv_len;
	uint8_t *strings = malloc(v.sz_ss + STRINGS_EXTRA);
	if (!strings) {
		free(o);
		return -ENOMEM;
	}
	uint32_t sz_ss = w_strings(&w, &v, strings);
	w.p = o + st;
	w_struct(&w, &v);
	memcpy(o + st + w.n, strings, sz_ss);
	free(strings);
	memcpy(o + HDR_SIZE, b + rsv, rsv_len);
	uint32_t total = st + w.n + sz_ss;
	put32(o, FDT_MAGIC), put32(o + 4, total), put32(o + 8, st), put32(o + 12, st + w.n);
	put32(o + 16, HDR_SIZE), put32(o + 20, 17), put32(o + 24, 16), put32(o + 28, be32(b + 28));
	put32(o + 32, sz_ss), put32(o + 36, w.n);
	if (total > FDT_MAX_SIZE) {
		free(o);
		return -E2BIG;
	}
	*out = o;
	*outlen = total;
	return 0;
}

size_t fdt_dtb_names(const char *compatible, size_t len, char (*names)[256], size_t max)
{
	const char *p = compatible, *end = compatible + len;
	size_t n = 0;

	while (p < end && n < max) {
		const char *z = memchr(p, 0, (size_t)(end - p));
		size_t k = z ? (size_t)(z - p) : (size_t)(end - p);
		const char *comma = memchr(p, ',', k);
		const char *board = comma ? comma + 1 : p;
		size_t bn = k - (size_t)(board - p);
		int dup = 0;
		if (bn && bn + 5 <= sizeof(names[0]) && !memchr(board, '/', bn) && !(bn <= 2 && board[0] == '.')) {
			memcpy(names[n], board, bn);
			memcpy(names[n] + bn, ".dtb", 5);
			for (size_t i = 0; i < n && !dup; i++)
				dup = !strcmp(names[i], names[n]);
			n += !dup;
		}
		p = z ? z + 1 : end;
	}
	return n;
}
