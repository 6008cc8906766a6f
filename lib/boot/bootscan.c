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
	"/syslinux/syslinux.cfg", "/boot/syslinux/syslinux.cfg", "/syslinux.cfg", NULL };

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

static int scan_bls_dir(struct bootscan *s, struct boot_list *l, const char *dir)
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
			if (bls_parse(e, d->d_name, buf, len) == 0 && !strncmp(dir, "/boot/", 6))
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
	int found = -ENOENT;

	if (!one)
		return -ENOMEM;
	for (const char *const *d = bls_dirs; *d; d++) {
		boot_list_init(one);
		int n = scan_bls_dir(s, one, *d);
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
		ret = extlinux_parse(l, dir[0] ? dir : "/", buf, len);
	free(buf);
	scan_stamp(s, l, first, rel);
	scan_note(s, rel, ret, l->n - first);
	if (s->nfiles && !strcmp(s->files[s->nfiles - 1].path, rel) && (l->error[0] || l->undecided[0]))
		snprintf(s->files[s->nfiles - 1].note, sizeof(s->files[0].note), "%s", l->error[0] ? l->error : l->undecided);
	return ret;
}

int bootscan_dir(struct bootscan *s, struct boot_list *out)
{
	struct boot_list *l = boot_list_new();
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
	return found;
}
