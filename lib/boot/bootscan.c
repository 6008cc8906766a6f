/* The boot configurations of one mounted filesystem, read and parsed into one list: grub.cfg first
 * (it decides the default on Debian and Fedora, and may pull the BLS entries in with blscfg), then
 * the BLS entries (unless grub.cfg already showed them), then extlinux.conf / syslinux.cfg. The
 * configuration found first decides the default; the others' entries follow as fallbacks. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "bootcfg.h"
#include "pe.h"
#include "../core/fileio.h"

#define SCAN_MAX_FILE (1 << 20)  /* a generated grub.cfg is ~10 KiB; refuse anything silly */

static const char *const grub_paths[] = { "/boot/grub/grub.cfg", "/grub/grub.cfg", "/boot/grub2/grub.cfg",
	"/grub2/grub.cfg", NULL };
static const char *const bls_dirs[] = { "/loader/entries", "/boot/loader/entries", NULL };
static const char *const uki_dirs[] = { "/EFI/Linux", "/boot/EFI/Linux", NULL };   /* BLS Type #2 */
static const char *const xl_paths[] = { "/extlinux/extlinux.conf", "/boot/extlinux/extlinux.conf",
	"/syslinux/syslinux.cfg", "/boot/syslinux/syslinux.cfg", "/syslinux.cfg",
	"/boot/isolinux/isolinux.cfg", "/isolinux/isolinux.cfg", NULL };   /* the last two: isolinux's own order */

/* grubenv: where GRUB keeps it beside the BLS entries (Fedora, RHEL: /boot/grub2/grubenv; on EFI
 * before Fedora 34 the ESP's /EFI/<distro>/grubenv, with a symlink in /boot/grub2). */
static const char *const grubenv_paths[] = { "/grub2/grubenv", "/boot/grub2/grubenv", "/grub/grubenv",
	"/boot/grub/grubenv", NULL };
static const char *const grubenv_efi[] = { "/EFI", "/boot/efi/EFI", "/efi/EFI", NULL };
static const char *const grub_dirs[] = { "/grub2", "/boot/grub2", "/grub", "/boot/grub", NULL };

int bootscan_read(const char *path, char **buf, size_t *len)
{
	*buf = NULL;
	return file_read_all(path, SCAN_MAX_FILE, buf, len);
}

static void scan_note(struct bootscan *s, const char *path, int ret, size_t n)
{
	if (s->nfiles == BOOTSCAN_FILES)
		return;
	struct bootscan_file *f = &s->files[s->nfiles++];
	snprintf(f->path, sizeof(f->path), "%s", path);
	f->ret = ret;
	f->entries = n;
	f->note[0] = 0;
}

/* Stamp where the entries came from: the caller's device, and the file. */
static void scan_stamp(struct bootscan *s, struct boot_list *l, size_t first, const char *path)
{
	for (size_t i = first; i < l->n; i++) {
		if (!l->e[i].source[0])
			(void)boot_copy(l->e[i].source, sizeof(l->e[i].source), path, strlen(path));
		(void)boot_copy(l->e[i].device, sizeof(l->e[i].device), s->device, strlen(s->device));
	}
}

/* BLS paths are from the root of $BOOT. Entries under /boot/loader/entries on a root filesystem
 * (where /boot is no partition of its own) mean /boot/...: use that when only it exists. */
static void scan_bls_boot(struct bootscan *s, struct boot_entry *e)
{
	char full[BOOT_PATH + 64], fixed[BOOT_PATH + 8];

	snprintf(full, sizeof(full), "%s%s", s->mnt, e->kernel);
	if (access(full, F_OK) == 0)
		return;
	snprintf(full, sizeof(full), "%s/boot%s", s->mnt, e->kernel);
	if (access(full, F_OK) < 0)
		return;
	snprintf(fixed, sizeof(fixed), "/boot%s", e->kernel);
	(void)boot_copy(e->kernel, sizeof(e->kernel), fixed, sizeof(fixed));
	for (size_t i = 0; i < e->ninitrd; i++) {
		snprintf(fixed, sizeof(fixed), "/boot%s", e->initrd[i]);
		(void)boot_copy(e->initrd[i], BOOT_PATH, fixed, sizeof(fixed));
	}
}

#ifndef SYS_openat2
#define SYS_openat2 437
#endif
struct scan_open_how { unsigned long long flags, mode, resolve; };
#define SCAN_RESOLVE_NO_MAGICLINKS 0x02
#define SCAN_RESOLVE_IN_ROOT 0x10

/* rel on the filesystem at mnt, symlinks resolved inside it (RESOLVE_IN_ROOT: /boot/grub2/grubenv
 * -> ../efi/EFI/fedora/grubenv stays on this disk, and never reaches the running system's files).
 * Kernels before 5.6: symlinks are not followed. At most max bytes, into buf; the length or -errno. */
static ssize_t scan_read_in_root(const char *mnt, const char *rel, char *buf, size_t max)
{
	struct scan_open_how how = { .flags = O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY,
		.resolve = SCAN_RESOLVE_IN_ROOT | SCAN_RESOLVE_NO_MAGICLINKS };
	char full[BOOT_PATH + 64];
	struct stat st;
	ssize_t n = 0, r;
	int dfd = open(mnt, O_PATH | O_DIRECTORY | O_CLOEXEC), fd = -1;

	if (dfd >= 0) {
		fd = (int)syscall(SYS_openat2, dfd, rel[0] == '/' ? rel + 1 : rel, &how, sizeof(how));
		if (fd < 0 && errno == ENOSYS) {
			snprintf(full, sizeof(full), "%s%s", mnt, rel);
			fd = open(full, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY | O_NOFOLLOW);
		}
		close(dfd);
	}
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return -EINVAL;
	}
	while ((size_t)n < max && (r = read(fd, buf + n, max - (size_t)n)) > 0)
		n += r;
	close(fd);
	return n;
}

/* The grubenv GRUB would load beside these entries; 1 when one was read, 0 when there is none. An
 * unreadable or broken one is an error in l->err: GRUB's load_env fails on it and sets nothing. */
static int scan_grubenv(struct bootscan *s, struct boot_list *l, struct grubenv *env)
{
	static char buf[GRUBENV_TEXT * 2];
	char rel[256];
	ssize_t n = -ENOENT;

	for (const char *const *p = grubenv_paths; *p && n == -ENOENT; p++)
		if ((n = scan_read_in_root(s->mnt, *p, buf, sizeof(buf))) != -ENOENT)
			snprintf(rel, sizeof(rel), "%s", *p);
	for (const char *const *e = grubenv_efi; *e && n == -ENOENT; e++) {
		char full[BOOT_PATH + 64];
		struct dirent **names;
		snprintf(full, sizeof(full), "%s%s", s->mnt, *e);
		int k = scandir(full, &names, NULL, alphasort);
		for (int i = 0; i < k; i++) {
			if (n == -ENOENT && names[i]->d_name[0] != '.') {
				if (snprintf(rel, sizeof(rel), "%s/%.200s/grubenv", *e, names[i]->d_name) < (int)sizeof(rel))
					n = scan_read_in_root(s->mnt, rel, buf, sizeof(buf));
			}
			free(names[i]);
		}
		if (k >= 0)
			free(names);
	}
	if (n == -ENOENT)
		return 0;
	int r = n < 0 ? (int)n : grubenv_parse(env, buf, (size_t)n);
	if (r < 0 && !l->err[0])
		snprintf(l->err, sizeof(l->err), "%s: %s", rel, r == -EINVAL ? "not a GRUB environment block "
			 "(no \"# GRUB Environment Block\" line): GRUB's load_env ignores it" : r == -E2BIG ?
			 "more variables than ferry keeps" : strerror(-r));
	if (r == -E2BIG)
		return 1;
	return r < 0 ? 0 : 1;
}

static int scan_has_grub(struct bootscan *s)
{
	char full[BOOT_PATH + 64];

	for (const char *const *d = grub_dirs; *d; d++) {
		snprintf(full, sizeof(full), "%s%s", s->mnt, *d);
		if (access(full, F_OK) == 0)
			return 1;
	}
	return 0;
}

/* How the entries' variables are read: by GRUB (grub.cfg's blscfg, or a grub directory beside the
 * entries: Fedora's layout) from its grubenv, or by systemd-boot, which has no variables. */
struct scan_vars {
	int expand;                  /* 0: systemd-boot's entries, taken as written */
	unsigned flags;              /* BLS_KEEP_UNSET under grub.cfg's blscfg */
	struct grubenv *env;         /* NULL: no grubenv, every variable unset */
};

static void scan_vars_init(struct bootscan *s, struct boot_list *l, struct scan_vars *v, int blscfg)
{
	static struct grubenv env;
	int have = scan_grubenv(s, l, &env);

	v->env = have ? &env : NULL;
	v->expand = blscfg || have || scan_has_grub(s);
	v->flags = blscfg ? BLS_KEEP_UNSET : 0;
}

static int scan_bls_dir(struct bootscan *s, struct boot_list *l, const char *dir, const struct scan_vars *v)
{
	char path[BOOT_PATH + 64], *buf;
	size_t len, first = l->n;
	struct dirent *d;
	DIR *dp;

	snprintf(path, sizeof(path), "%s%s", s->mnt, dir);
	if (!(dp = opendir(path)))
		return -errno;
	while ((d = readdir(dp))) {
		size_t n = strlen(d->d_name);
		if (n < 6 || strcmp(d->d_name + n - 5, ".conf") || d->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s%s/%s", s->mnt, dir, d->d_name);
		if (bootscan_read(path, &buf, &len) < 0)
			continue;
		struct boot_entry *e = boot_list_add(l, BOOT_BLS);
		if (e) {
			int ok = bls_parse(e, d->d_name, buf, len) == 0;
			if (ok && v->expand)
				ok = bls_expand(e, grubenv_getvar, v->env, v->flags) == 0;
			if (ok && !strncmp(dir, "/boot/", 6))
				scan_bls_boot(s, e);
			snprintf(e->source, sizeof(e->source), "%s/%s", dir, d->d_name);
			(void)boot_copy(e->device, sizeof(e->device), s->device, strlen(s->device));
		}
		free(buf);
	}
	closedir(dp);
	bls_sort(l);
	return (int)(l->n - first);
}

/* At most max bytes of a section into a NUL-terminated buf (the caller's size max + 1). */
static size_t uki_pread(int fd, const struct kimg_span *s, char *buf, size_t max)
{
	ssize_t n = s->len ? pread(fd, buf, s->len < max ? s->len : max, (off_t)s->off) : 0;

	buf[n > 0 ? n : 0] = 0;
	return n > 0 ? (size_t)n : 0;
}

/* A Type #2 entry from the UKI's headers, its .osrel and .uname; the rest of the file is not read. */
static int scan_uki_file(const char *full, const char *rel, const char *name, struct boot_entry *e)
{
	static char hdr[16384], osrel[4097], uname[257];
	struct kimg_span so = { 0, 0 }, su = { 0, 0 };
	struct stat st;
	int fd = open(full, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY), ret = 0;

	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		ret = -EINVAL;
		goto out;
	}
	ssize_t n = pread(fd, hdr, sizeof(hdr), 0);
	if (n < 0 || pe_section_file(hdr, (size_t)n, (size_t)st.st_size, ".linux", &so) < 0) {
		ret = -ENOEXEC;
		goto out;
	}
	(void)pe_section_file(hdr, (size_t)n, (size_t)st.st_size, ".osrel", &so);
	(void)pe_section_file(hdr, (size_t)n, (size_t)st.st_size, ".uname", &su);
	size_t on = uki_pread(fd, &so, osrel, sizeof(osrel) - 1), un = uki_pread(fd, &su, uname, sizeof(uname) - 1);
	ret = bls_uki_entry(e, rel, name, osrel, on, uname, un);
out:
	close(fd);
	return ret;
}

static int scan_uki_dir(struct bootscan *s, struct boot_list *l, const char *dir)
{
	char full[BOOT_PATH + 64], rel[BOOT_PATH];
	size_t first = l->n;
	struct dirent *d;
	DIR *dp;

	snprintf(full, sizeof(full), "%s%s", s->mnt, dir);
	if (!(dp = opendir(full)))
		return -errno;
	while ((d = readdir(dp))) {
		size_t n = strlen(d->d_name);
		if (n < 5 || strcasecmp(d->d_name + n - 4, ".efi") || d->d_name[0] == '.')
			continue;
		snprintf(full, sizeof(full), "%s%s/%s", s->mnt, dir, d->d_name);
		snprintf(rel, sizeof(rel), "%s/%s", dir, d->d_name);
		struct boot_entry *e = boot_list_add(l, BOOT_BLS);
		if (!e)
			break;
		if (scan_uki_file(full, rel, d->d_name, e) < 0) {
			memset(e, 0, sizeof(*e));          /* not a UKI (systemd-boot, a shell): no entry */
			l->n--;
			continue;
		}
		(void)boot_copy(e->source, sizeof(e->source), rel, strlen(rel));
		(void)boot_copy(e->device, sizeof(e->device), s->device, strlen(s->device));
	}
	closedir(dp);
	bls_sort(l);
	return (int)(l->n - first);
}

/* The BLS entries of this filesystem, sorted; used directly (with the Type #2 UKIs) and by grub's
 * blscfg (Type #1 only, as GRUB reads them). */
static int scan_bls_types(void *arg, struct boot_list *l, int uki)
{
	struct bootscan *s = arg;
	struct boot_list *one = boot_list_new();
	struct scan_vars v;
	int found = -ENOENT;

	if (!one)
		return -ENOMEM;
	scan_vars_init(s, one, &v, !uki);
	for (const char *const *d = bls_dirs; *d; d++) {
		char err[sizeof(one->err)];
		memcpy(err, one->err, sizeof(err));
		boot_list_init(one);
		memcpy(one->err, err, sizeof(err));
		int n = scan_bls_dir(s, one, *d, &v);
		if (n < 0)
			continue;
		scan_note(s, *d, 0, (size_t)n);
		boot_list_merge(l, one);
		found = 0;
	}
	for (const char *const *d = uki_dirs; uki && *d; d++) {
		boot_list_init(one);
		int n = scan_uki_dir(s, one, *d);
		if (n <= 0)
			continue;
		scan_note(s, *d, 0, (size_t)n);
		boot_list_merge(l, one);
		found = 0;
	}
	free(one);
	s->bls_done = 1;
	return found;
}

static int scan_bls(void *arg, struct boot_list *l)
{
	return scan_bls_types(arg, l, 0);
}

/* grub's view of the disk: root "" or this device is the mounted filesystem; others are not read. */
static int scan_grub_read(void *arg, const char *root, const char *path, char **buf, size_t *len)
{
	struct bootscan *s = arg;
	char full[BOOT_PATH + 64];

	if (root[0] && strcmp(root, s->device))
		return -EXDEV;  /* another device: the script's test or source of it is undecided */
	snprintf(full, sizeof(full), "%s%s", s->mnt, path);
	return bootscan_read(full, buf, len);
}

static int scan_grub_search(void *arg, const char *kind, const char *value, char *root, size_t len)
{
	struct bootscan *s = arg;
	char full[BOOT_PATH + 64];

	if (!strcmp(kind, "file")) {  /* only this filesystem can be looked at from here */
		snprintf(full, sizeof(full), "%s%s", s->mnt, value);
		if (access(full, F_OK) < 0)
			return -ENOENT;
		return boot_copy(root, len, s->device, strlen(s->device));
	}
	if (!s->search)  /* ferry plan: which device holds it is not known here; grub says so */
		return snprintf(root, len, "%s=%s", !strcmp(kind, "fs-uuid") ? "UUID" : "LABEL", value) < (int)len ? 1 : -ENAMETOOLONG;
	return s->search(s->search_arg, kind, value, root, len);
}

/* extlinux's INCLUDE: a file of this filesystem. */
static int scan_xl_read(void *arg, const char *path, char **buf, size_t *len)
{
	struct bootscan *s = arg;
	char full[BOOT_PATH + 64];

	snprintf(full, sizeof(full), "%s%s", s->mnt, path);
	return bootscan_read(full, buf, len);
}

static int scan_one(struct bootscan *s, struct boot_list *l, const char *rel, enum boot_fmt fmt)
{
	struct grub_ops ops = { .arg = s, .read_file = scan_grub_read, .search = scan_grub_search, .blscfg = scan_bls };
	char path[BOOT_PATH + 64], dir[BOOT_PATH], *buf;
	size_t len, first = l->n;
	int ret;

	snprintf(path, sizeof(path), "%s%s", s->mnt, rel);
	if ((ret = bootscan_read(path, &buf, &len)) < 0)
		return ret;
	snprintf(dir, sizeof(dir), "%s", rel);
	*strrchr(dir, '/') = 0;
	if (fmt == BOOT_GRUB)
		ret = grub_parse(l, dir[0] ? dir : "/", buf, len, &ops);
	else
		ret = extlinux_parse_files(l, dir[0] ? dir : "/", rel, buf, len, scan_xl_read, s);
	free(buf);
	scan_stamp(s, l, first, rel);
	scan_note(s, rel, ret, l->n - first);
	if (s->nfiles && !strcmp(s->files[s->nfiles - 1].path, rel) && (l->err[0] || l->undecided[0]))
		snprintf(s->files[s->nfiles - 1].note, sizeof(s->files[0].note), "%.*s", (int)sizeof(s->files[0].note) - 1,
			 l->err[0] ? l->err : l->undecided);
	return ret;
}

int bootscan_dir(struct bootscan *s, struct boot_list *out)
{
	struct boot_list *l = boot_list_new();
	size_t first = out->n;
	int found = 0;

	if (!l)
		return -ENOMEM;
	s->nfiles = 0;
	s->bls_done = 0;
	for (const char *const *p = grub_paths; *p && !found; p++)
		if (scan_one(s, l, *p, BOOT_GRUB) != -ENOENT || l->n) {
			found++;
			boot_list_merge(out, l);
		}
	boot_list_init(l);
	if (!s->bls_done && scan_bls_types(s, l, 1) == 0) {
		found++;
		boot_list_merge(out, l);
	}
	for (const char *const *p = xl_paths; *p; p++) {
		boot_list_init(l);
		if (scan_one(s, l, *p, BOOT_EXTLINUX) != -ENOENT || l->n) {
			found++;
			boot_list_merge(out, l);
			break;  /* U-Boot reads the first one it finds */
		}
	}
	free(l);
	for (size_t i = first; i < out->n; i++)
		boot_entry_check(&out->e[i]);
	return found;
}
