/* extlinux.conf / syslinux.cfg as U-Boot's distro boot (sysboot, pxe_utils.c) reads them: keywords
 * are matched without case, absolute paths are from the partition root and relative ones from the
 * directory of the file, INITRD may list several files separated by commas. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "bootcfg.h"

struct xl_state {
	struct boot_list *l;
	struct boot_entry *cur;     /* the LABEL being filled, NULL before the first */
	const char *dir;
	char def[BOOT_NAME];        /* DEFAULT / MENU DEFAULT label */
	int xl_initrd_line;         /* the current label had an INITRD line */
};

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

/* APPEND: syslinux takes initrd= from the kernel line when there is no INITRD keyword. */
static int xl_append(struct xl_state *s, const char *v, size_t n)
{
	struct boot_entry *e = s->cur;
	size_t at = 0;

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

static int xl_label(struct xl_state *s, const char *v, size_t n)
{
	struct boot_entry *e = boot_list_add(s->l, BOOT_EXTLINUX);

	s->cur = e;
	s->xl_initrd_line = 0;
	if (!e)
		return 0;
	(void)boot_copy(e->title, sizeof(e->title), v, n);
	return boot_copy(e->id, sizeof(e->id), v, n);
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
	if (k == 7 && !strncasecmp(v, "default", 7) && s->cur)
		return boot_copy(s->def, sizeof(s->def), s->cur->id, strlen(s->cur->id));
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
	if (!e)
		return 0;
	if (IS("kernel") || IS("linux")) {
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
	if (IS("append"))   return xl_append(s, v, vn);
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

int extlinux_parse(struct boot_list *l, const char *dir, const char *buf, size_t len)
{
	struct xl_state s = { .l = l, .dir = dir ? dir : "/" };
	const char *p = buf, *end = buf + len;
	size_t first = l->n;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		xl_line(&s, p, nl ? nl : end);
		p = nl ? nl + 1 : end;
	}
	for (size_t i = first; i < l->n; i++)
		if (!l->e[i].kernel[0] && !l->e[i].problem)
			l->e[i].problem = "no KERNEL or LINUX line";
	(void)boot_copy(l->def_name, sizeof(l->def_name), s.def, sizeof(s.def));
	/* DEFAULT names a label; without one (or naming none) U-Boot boots the first label. */
	l->def = first < l->n ? (int)first : -1;
	for (size_t i = first; s.def[0] && i < l->n; i++)
		if (!strcmp(l->e[i].id, s.def)) {
			l->def = (int)i;
			break;
		}
	return l->n > first ? 0 : -ENOENT;
}
