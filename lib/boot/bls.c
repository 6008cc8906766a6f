/* Boot Loader Specification Type #1 entries: "key value" lines, '#' comments. Sorting follows the
 * specification (and systemd-boot): entries with a sort-key first, by sort-key, machine-id, then
 * version newest first; the rest by file name, newest first; entries out of boot tries last. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "bootcfg.h"
#include "pe.h"

#if defined(__x86_64__)
#define BLS_ARCH "x64"
#elif defined(__i386__)
#define BLS_ARCH "ia32"
#elif defined(__aarch64__)
#define BLS_ARCH "aa64"
#elif defined(__arm__)
#define BLS_ARCH "arm"
#elif defined(__riscv) && __riscv_xlen == 64
#define BLS_ARCH "riscv64"
#else
#define BLS_ARCH ""
#endif

/* "name+LEFT-DONE.conf" or "name+LEFT.conf": boot counting (systemd-boot). The id is the name
 * without the counter and without ".conf". */
static void bls_id(struct boot_entry *e, const char *name)
{
	size_t n = strlen(name);
	const char *plus;

	if (n > 5 && !strcmp(name + n - 5, ".conf"))
		n -= 5;
	e->tries_left = e->tries_done = -1;
	plus = memrchr(name, '+', n);
	if (plus) {
		char num[32], *end;
		size_t k = (size_t)(name + n - plus - 1);
		if (k > 0 && k < sizeof(num)) {
			memcpy(num, plus + 1, k);
			num[k] = 0;
			long left = strtol(num, &end, 10), done = 0;
			if (end != num && *end == '-')
				done = strtol(end + 1, &end, 10);
			if (end != num && !*end && left >= 0 && done >= 0) {
				e->tries_left = (int)left;
				e->tries_done = (int)done;
				n = (size_t)(plus - name);
			}
		}
	}
	(void)boot_copy(e->id, sizeof(e->id), name, n);
}

/* Append value to a space-joined field (options may repeat). */
static int bls_append(char *dst, size_t size, const char *v, size_t n)
{
	size_t have = strlen(dst);

	if (have && have + 1 < size)
		dst[have++] = ' ';
	return boot_copy(dst + have, size - have, v, n);
}

static int bls_key(struct boot_entry *e, const char *k, size_t kn, const char *v, size_t vn)
{
#define IS(s) (kn == sizeof(s) - 1 && !memcmp(k, s, kn))
	if (IS("title"))        return boot_copy(e->title, sizeof(e->title), v, vn);
	if (IS("version"))      return boot_copy(e->version, sizeof(e->version), v, vn);
	if (IS("machine-id"))   return boot_copy(e->machine_id, sizeof(e->machine_id), v, vn);
	if (IS("sort-key"))     return boot_copy(e->sort_key, sizeof(e->sort_key), v, vn);
	if (IS("linux"))        return boot_copy(e->kernel, sizeof(e->kernel), v, vn);
	if (IS("uki") && !e->kernel[0]) {  /* a unified kernel image instead of linux + initrd */
		e->uki = 1;
		return boot_copy(e->kernel, sizeof(e->kernel), v, vn);
	}
	if (IS("devicetree"))   return boot_copy(e->devicetree, sizeof(e->devicetree), v, vn);
	if (IS("architecture")) return boot_copy(e->architecture, sizeof(e->architecture), v, vn);
	if (IS("options"))      return bls_append(e->options, sizeof(e->options), v, vn);
	if (IS("initrd")) {
		if (e->ninitrd == BOOT_MAX_INITRD)
			return -E2BIG;
		return boot_copy(e->initrd[e->ninitrd++], BOOT_PATH, v, vn);
	}
	if (IS("efi") && !e->kernel[0])
		e->problem = "an EFI program, not a Linux kernel";
	return 0;  /* unknown keys are ignored, as the specification asks */
#undef IS
}

static int bls_line(struct boot_entry *e, const char *p, const char *end)
{
	const char *k, *v;

	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	if (p == end || *p == '#')
		return 0;
	k = p;
	while (p < end && *p != ' ' && *p != '\t')
		p++;
	size_t kn = (size_t)(p - k);
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	v = p;
	while (end > v && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r'))
		end--;
	return bls_key(e, k, kn, v, (size_t)(end - v));
}

int bls_parse(struct boot_entry *e, const char *name, const char *buf, size_t len)
{
	const char *p = buf, *end = buf + len;

	e->fmt = BOOT_BLS;
	bls_id(e, name);
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl : end;
		int r = bls_line(e, p, le);
		if (r == -E2BIG)
			e->problem = "more initrd lines than ferry keeps";
		else if (r < 0)
			e->problem = "a value is too long";
		p = nl ? nl + 1 : end;
	}
	if (!e->title[0])
		(void)boot_copy(e->title, sizeof(e->title), e->id, strlen(e->id));
	if (e->architecture[0] && strcasecmp(e->architecture, BLS_ARCH))
		e->problem = "built for another architecture";
	if (!e->kernel[0]) {
		if (!e->problem)
			e->problem = "no linux or uki key";
		return -EINVAL;
	}
	return 0;
}

int bls_uki_entry(struct boot_entry *e, const char *path, const char *name, const char *osrel, size_t olen,
		  const char *uname, size_t ulen)
{
	size_t n = strlen(name);
	char conf[BOOT_NAME];

	if (n < 5 || strcasecmp(name + n - 4, ".efi") || n - 4 + 6 > sizeof(conf))
		return -EINVAL;
	memcpy(conf, name, n - 4);
	memcpy(conf + n - 4, ".conf", 6);      /* "name+3-1.efi" counts tries as "name+3-1.conf" does */
	e->fmt = BOOT_BLS;
	e->uki = 1;
	bls_id(e, conf);
	if (boot_copy(e->kernel, sizeof(e->kernel), path, strlen(path)))
		e->problem = "a value is too long";
	if (osrel_pretty_name(osrel, olen, e->title, sizeof(e->title)) < 0)
		(void)boot_copy(e->title, sizeof(e->title), e->id, strlen(e->id));
	while (ulen && (uname[ulen - 1] == '\n' || uname[ulen - 1] == '\0'))
		ulen--;
	(void)boot_copy(e->version, sizeof(e->version), uname, ulen);
	return 0;
}

static int bls_cmp(const void *pa, const void *pb)
{
	const struct boot_entry *a = pa, *b = pb;
	int r;

	/* Entries with no tries left go last: their kernel failed to boot the number of times asked. */
	if ((a->tries_left == 0) != (b->tries_left == 0))
		return a->tries_left == 0 ? 1 : -1;
	if (!!a->sort_key[0] != !!b->sort_key[0])
		return a->sort_key[0] ? -1 : 1;
	if (a->sort_key[0]) {
		if ((r = strcmp(a->sort_key, b->sort_key)))
			return r;
		if ((r = strcmp(a->machine_id, b->machine_id)))
			return r;
		if ((r = boot_vercmp(b->version, a->version)))
			return r;
	}
	return boot_vercmp(b->id, a->id);
}

void bls_sort(struct boot_list *l)
{
	qsort(l->e, l->n, sizeof(l->e[0]), bls_cmp);
	l->def = -1;
	for (size_t i = 0; i < l->n; i++)
		if (!l->e[i].problem) {
			l->def = (int)i;
			break;
		}
}
