/* extlinux.conf / syslinux.cfg as U-Boot's distro boot (sysboot, pxe_utils.c) reads them: keywords
 * are matched without case, absolute paths are from the partition root and relative ones from the
 * directory of the file, INITRD may list several files separated by commas. From syslinux
 * (com32/elflink/ldlinux/readconfig.c) and U-Boot alike: INCLUDE and MENU INCLUDE read another file
 * as if it stood there (relative names from the same directory), a global APPEND is the command line
 * of every label without one, and APPEND - is none at all. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "bootcfg.h"

/* INCLUDEs read in all, whatever the nesting: "include a" twice in a file that a includes would
 * otherwise double the work at every level. */
#define XL_MAX_INCLUDES 128

struct xl_state {
	struct boot_list *l;
	struct boot_entry *cur;     /* the LABEL being filled, NULL before the first (and between menus) */
	const char *dir;
	char def[BOOT_NAME];        /* DEFAULT label */
	char menu_def[BOOT_NAME];   /* the first MENU DEFAULT label of the top menu */
	int xl_initrd_line;         /* the current label had an INITRD line */
	int xl_append_line;         /* the current label had an APPEND line */
	char append[BOOT_OPTS];     /* the global APPEND (outside any label) */
	int depth;                  /* MENU BEGIN ... MENU END nesting */
	boot_readfn read;           /* INCLUDE's files; NULL: INCLUDE is an error */
	void *arg;
	const char *file;           /* the file being read, for entries' source and errors */
	unsigned line;
	int nest, includes;
};

/* The list's first error, "FILE:LINE: what". */
static void xl_error(struct xl_state *s, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (s->l->err[0])
		return;
	n = snprintf(s->l->err, sizeof(s->l->err), "%s:%u: ", s->file ? s->file : "extlinux.conf", s->line);
	if (n < 0 || (size_t)n >= sizeof(s->l->err))
		return;
	va_start(ap, fmt);
	(void)vsnprintf(s->l->err + n, sizeof(s->l->err) - (size_t)n, fmt, ap);
	va_end(ap);
}

/* Path as U-Boot's get_relfile sees it: absolute from the partition root, else from dir. */
static int xl_path(char *dst, size_t size, const char *dir, const char *v, size_t n)
{
	char tmp[BOOT_PATH];
	size_t dn = strlen(dir);

	if (n && v[0] == '/')
		return boot_copy(dst, size, v, n);
	if (dn + 1 + n >= sizeof(tmp))
		return -ENAMETOOLONG;
	memcpy(tmp, dir, dn);
	if (!dn || dir[dn - 1] != '/')
		tmp[dn++] = '/';
	memcpy(tmp + dn, v, n);
	return boot_copy(dst, size, tmp, dn + n);
}

static int xl_initrds(struct xl_state *s, const char *v, size_t n)
{
	struct boot_entry *e = s->cur;

	while (n) {
		const char *c = memchr(v, ',', n);
		size_t k = c ? (size_t)(c - v) : n;
		if (k) {
			if (e->ninitrd == BOOT_MAX_INITRD)
				return -E2BIG;
			int r = xl_path(e->initrd[e->ninitrd++], BOOT_PATH, s->dir, v, k);
			if (r)
				return r;
		}
		v += c ? k + 1 : k;
		n -= c ? k + 1 : k;
	}
	return 0;
}

/* APPEND: syslinux takes initrd= from the kernel line when there is no INITRD keyword; "APPEND -"
 * is an empty command line (record() in syslinux's readconfig.c). */
static int xl_append(struct xl_state *s, const char *v, size_t n)
{
	struct boot_entry *e = s->cur;
	size_t at = 0;

	e->options[0] = 0;
	if (n == 1 && v[0] == '-')
		return 0;
	for (size_t i = 0; i < n;) {
		while (i < n && (v[i] == ' ' || v[i] == '\t'))
			i++;
		size_t w = i;
		while (i < n && v[i] != ' ' && v[i] != '\t')
			i++;
		if (i == w)
			break;
		if (i - w > 7 && !memcmp(v + w, "initrd=", 7) && !s->xl_initrd_line) {
			int r = xl_initrds(s, v + w + 7, i - w - 7);
			if (r)
				return r;
			continue;
		}
		if (at + 1 + (i - w) >= sizeof(e->options))
			return -ENAMETOOLONG;
		if (at)
			e->options[at++] = ' ';
		memcpy(e->options + at, v + w, i - w);
		e->options[at += i - w] = 0;
	}
	return 0;
}

/* The label being filled is complete: without an APPEND of its own it takes the global one, as
 * syslinux records a label when the next one (or a menu) begins. */
static void xl_finish(struct xl_state *s)
{
	struct boot_entry *e = s->cur;

	s->cur = NULL;
	if (!e || s->xl_append_line || !s->append[0])
		return;
	s->cur = e;
	if (xl_append(s, s->append, strlen(s->append)) && !e->problem)
		e->problem = "a value is too long";
	s->cur = NULL;
}

static int xl_label(struct xl_state *s, const char *v, size_t n)
{
	struct boot_entry *e;

	xl_finish(s);
	e = boot_list_add(s->l, BOOT_EXTLINUX);
	s->cur = e;
	s->xl_initrd_line = s->xl_append_line = 0;
	if (!e)
		return 0;
	e->src_line = s->line;
	if (s->file)
		(void)boot_copy(e->source, sizeof(e->source), s->file, strlen(s->file));
	(void)boot_copy(e->title, sizeof(e->title), v, n);
	return boot_copy(e->id, sizeof(e->id), v, n);
}

static void xl_buf(struct xl_state *s, const char *buf, size_t len);

/* INCLUDE FILE (and MENU INCLUDE FILE): the file's lines as if they stood here; a name without '/'
 * is from the configuration's directory, as syslinux's working directory and U-Boot's bootdir are.
 * A file that cannot be read is an error, and the rest is read on (syslinux skips it). */
static void xl_include(struct xl_state *s, const char *v, size_t n)
{
	char path[BOOT_PATH], *buf = NULL;
	size_t w = 0, len = 0;
	int r = 0;

	while (w < n && v[w] != ' ' && v[w] != '\t')
		w++;
	if (!w) {
		xl_error(s, "INCLUDE without a file name");
		return;
	}
	if (xl_path(path, sizeof(path), s->dir, v, w)) {
		xl_error(s, "INCLUDE %.*s: the path is too long", (int)w, v);
		return;
	}
	if (s->nest >= EXTLINUX_NEST || s->includes >= XL_MAX_INCLUDES) {
		xl_error(s, "INCLUDE %s: %s", path, s->nest >= EXTLINUX_NEST ? "nested more than 16 deep (an "
			 "INCLUDE loop?)" : "more than 128 INCLUDEs");
		return;
	}
	if (!s->read || (r = s->read(s->arg, path, &buf, &len)) < 0) {
		xl_error(s, "INCLUDE %s: %s", path, s->read ? strerror(-r) : "no file access here");
		return;
	}
	const char *file = s->file;
	unsigned line = s->line;
	s->includes++;
	s->nest++;
	s->file = path;
	s->line = 0;
	xl_buf(s, buf, len);   /* a label begun in the file goes on after it, as in syslinux */
	s->nest--;
	s->file = file;
	s->line = line;
	free(buf);
}

/* A loader module where a kernel should be: syslinux runs it by its file name's extension (KERNEL)
 * or its keyword. None of them is a Linux kernel; never hand one to kexec. */
static const char *xl_module(const char *k, size_t n)
{
	const char *base = memrchr(k, '/', n), *dot;

	base = base ? base + 1 : k;
	n -= (size_t)(base - k);
	dot = memrchr(base, '.', n);
	if (!dot)
		return NULL;
	size_t en = n - (size_t)(dot - base) - 1;
#define EXT(x) (en == sizeof(x) - 1 && !strncasecmp(dot + 1, x, en))
	if (EXT("c32"))
		return (n == 9 && !strncasecmp(base, "mboot.c32", 9)) ? "multiboot/COM32 module (mboot.c32, Xen or "
			"another multiboot kernel): not supported" : "COM32 module (.c32): not supported";
	if (EXT("com") || EXT("cbt"))
		return "COMBOOT program (.com, .cbt): not supported";
	if (EXT("bs") || EXT("bss"))
		return "boot sector image (.bs, .bss): not supported";
	if (EXT("0"))
		return "PXE boot program (.0): not supported";
#undef EXT
	return NULL;
}

static int xl_menu(struct xl_state *s, const char *v, size_t n)
{
	size_t k = 0;

	while (k < n && v[k] != ' ' && v[k] != '\t')
		k++;
	const char *rest = v + k;
	size_t rn = n - k;
	while (rn && (*rest == ' ' || *rest == '\t'))
		rest++, rn--;
	if (k == 5 && !strncasecmp(v, "label", 5) && s->cur)
		return boot_copy(s->cur->title, sizeof(s->cur->title), rest, rn);
	if (k == 7 && !strncasecmp(v, "default", 7) && s->cur && !s->depth && !s->menu_def[0])
		return boot_copy(s->menu_def, sizeof(s->menu_def), s->cur->id, strlen(s->cur->id));
	if (k == 7 && !strncasecmp(v, "include", 7)) {
		/* MENU INCLUDE FILE TAG: the file is a submenu titled TAG */
		size_t w = 0;
		while (w < rn && rest[w] != ' ' && rest[w] != '\t')
			w++;
		int sub = w < rn;
		if (sub) {
			xl_finish(s);
			s->depth++;
		}
		xl_include(s, rest, rn);
		if (sub) {
			xl_finish(s);
			s->depth--;
		}
		return 0;
	}
	if ((k == 5 && !strncasecmp(v, "begin", 5)) || (k == 3 && !strncasecmp(v, "end", 3))) {
		xl_finish(s);   /* the label before is complete; what follows is a menu's, not its */
		s->depth += k == 5 ? 1 : s->depth > 0 ? -1 : 0;
	}
	return 0;  /* MENU TITLE, BACKGROUND, colours: presentation only */
}

/* TIMEOUT counts tenths of a second. */
static int xl_timeout(struct boot_list *l, const char *v, size_t n)
{
	long t = 0;

	for (size_t i = 0; i < n && v[i] >= '0' && v[i] <= '9' && t < 1000000; i++)
		t = t * 10 + (v[i] - '0');
	l->timeout = (int)(t / 10);
	return 0;
}

/* One keyword. Keywords that belong to a label are ignored before the first LABEL. */
static int xl_keyword(struct xl_state *s, const char *k, size_t kn, const char *v, size_t vn)
{
	struct boot_entry *e = s->cur;
#define IS(x) (kn == sizeof(x) - 1 && !strncasecmp(k, x, kn))
	if (IS("label"))   return xl_label(s, v, vn);
	if (IS("default")) return boot_copy(s->def, sizeof(s->def), v, vn);
	if (IS("menu"))    return xl_menu(s, v, vn);
	if (IS("timeout"))
		return xl_timeout(s->l, v, vn);
	if (IS("include")) {
		xl_include(s, v, vn);
		return 0;
	}
	if (IS("append") && !e)
		return boot_copy(s->append, sizeof(s->append), v, vn);
	if (!e)
		return 0;
	if (IS("kernel") || IS("linux")) {
		size_t w = 0;
		while (w < vn && v[w] != ' ' && v[w] != '\t')
			w++;
		const char *mod = xl_module(v, w);
		if (mod)
			e->problem = mod;
		return xl_path(e->kernel, sizeof(e->kernel), s->dir, v, w);
	}
	if (IS("com32") || IS("comboot") || IS("boot") || IS("bss") || IS("pxe") || IS("fdimage") || IS("config")) {
		e->problem = IS("config") ? "CONFIG: another configuration file, not a kernel: not supported" :
			"a syslinux loader module (COM32, COMBOOT, boot sector, PXE, floppy image): not supported";
		size_t w = 0;
		while (w < vn && v[w] != ' ' && v[w] != '\t')
			w++;
		return xl_path(e->kernel, sizeof(e->kernel), s->dir, v, w);
	}
	if (IS("initrd")) {
		s->xl_initrd_line = 1;
		e->ninitrd = 0;
		return xl_initrds(s, v, vn);
	}
	if (IS("append")) {
		s->xl_append_line = 1;
		return xl_append(s, v, vn);
	}
	if (IS("fdt") || IS("devicetree"))
		return xl_path(e->devicetree, sizeof(e->devicetree), s->dir, v, vn);
	if (IS("fdtdir") || IS("devicetreedir"))  /* U-Boot: FDT wins when both are given */
		return xl_path(e->fdtdir, sizeof(e->fdtdir), s->dir, v, vn);
	if (IS("localboot"))
		e->problem = "LOCALBOOT: boots the local disk, not a kernel";
	return 0;
#undef IS
}

static void xl_line(struct xl_state *s, const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	while (end > p && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r'))
		end--;
	if (p == end || *p == '#')
		return;
	const char *k = p;
	while (p < end && *p != ' ' && *p != '\t')
		p++;
	size_t kn = (size_t)(p - k);
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	int r = xl_keyword(s, k, kn, p, (size_t)(end - p));
	if (r && s->cur)
		s->cur->problem = r == -E2BIG ? "more initrds than ferry keeps" : "a value is too long";
}

static void xl_buf(struct xl_state *s, const char *buf, size_t len)
{
	const char *p = buf, *end = buf + len;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		s->line++;
		xl_line(s, p, nl ? nl : end);
		p = nl ? nl + 1 : end;
	}
}

int extlinux_parse(struct boot_list *l, const char *dir, const char *buf, size_t len)
{
	return extlinux_parse_files(l, dir, NULL, buf, len, NULL, NULL);
}

int extlinux_parse_files(struct boot_list *l, const char *dir, const char *path, const char *buf, size_t len,
			 boot_readfn read, void *arg)
{
	static struct xl_state s;
	size_t first = l->n;
	int def = -1, menu_def = -1;

	memset(&s, 0, sizeof(s));
	s.l = l;
	s.dir = dir ? dir : "/";
	s.file = path;
	s.read = read;
	s.arg = arg;
	xl_buf(&s, buf, len);
	xl_finish(&s);
	for (size_t i = first; i < l->n; i++)
		if (!l->e[i].kernel[0] && !l->e[i].problem)
			l->e[i].problem = "no KERNEL or LINUX line";
	/* DEFAULT, when it names a label; else the MENU DEFAULT label (U-Boot's parse_label_menu takes
	 * it only while no DEFAULT is set; syslinux's menu lets a global DEFAULT that names a label win
	 * over it); else the first label. Debian's isolinux.cfg ends with "default vesamenu.c32", the
	 * menu program, which names no label: the MENU DEFAULT of the included gtk.cfg decides. */
	for (size_t i = first; i < l->n; i++) {
		if (def < 0 && s.def[0] && !strcmp(l->e[i].id, s.def))
			def = (int)i;
		if (menu_def < 0 && s.menu_def[0] && !strcmp(l->e[i].id, s.menu_def))
			menu_def = (int)i;
	}
	(void)boot_copy(l->def_name, sizeof(l->def_name), def >= 0 || menu_def < 0 ? s.def : s.menu_def, BOOT_NAME);
	l->def = def >= 0 ? def : menu_def >= 0 ? menu_def : first < l->n ? (int)first : -1;
	return l->n > first ? 0 : -ENOENT;
}
