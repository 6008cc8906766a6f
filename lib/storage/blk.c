/* Block device lookup without udev: sysfs lists the devices, libblkid reads what is on them. */
#include <blkid/blkid.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "blk.h"
#include "../core/fileio.h"

/* KEY=value from a sysfs uevent file */
static int uevent_value(const char *buf, const char *key, char *out, size_t len)
{
	size_t kl = strlen(key);

	for (const char *l = buf; *l; l += strcspn(l, "\n"), l += *l == '\n') {
		size_t n = strcspn(l, "\n");
		if (n > kl && !strncmp(l, key, kl) && l[kl] == '=') {
			if (n - kl - 1 >= len)
				return -ENAMETOOLONG;
			memcpy(out, l + kl + 1, n - kl - 1);
			out[n - kl - 1] = '\0';
			return 0;
		}
	}
	return -ENOENT;
}

/* /sys/<dir>/uevent -> "/dev/<DEVNAME>" (and PARTNAME when asked) */
static int sys_node(const char *dir, char *node, size_t len, char *partname, size_t plen)
{
	char path[300], buf[1024], name[128];
	int ret;

	snprintf(path, sizeof(path), "%s/uevent", dir);
	if ((ret = file_read_line(path, buf, sizeof(buf))) || (ret = uevent_value(buf, "DEVNAME", name, sizeof(name))))
		return ret;
	if (partname && uevent_value(buf, "PARTNAME", partname, plen))
		partname[0] = '\0';
	return snprintf(node, len, "/dev/%s", name) >= (int)len ? -ENAMETOOLONG : 0;
}

static const char *sniff(const char *node, unsigned char *buf, size_t len);

/* LABEL=/UUID= on the filesystems sniff() knows, from the same 4 KiB: ext2/3/4 carry both in the
 * superblock, squashfs neither. 1 match, 0 no match, -1 ask libblkid. */
static int quick_tag(const char *node, const struct devspec *d, struct blk_dev *out)
{
	static const unsigned char zero[16];
	unsigned char b[4096];
	const char *type;
	char v[40];

	if (d->rw || (d->kind != DEVSPEC_LABEL && d->kind != DEVSPEC_UUID) || !(type = sniff(node, b, sizeof(b))))
		return -1;
	if (!strcmp(type, "squashfs"))
		return 0;
	if (strncmp(type, "ext", 3))
		return -1;
	const unsigned char *sb = b + 1024;
	if (d->kind == DEVSPEC_LABEL) {
		memcpy(v, sb + 120, 16);          /* s_volume_name, trailing blanks dropped as libblkid does */
		v[16] = '\0';
		for (size_t n = strlen(v); n && (v[n - 1] == ' ' || v[n - 1] == '\t'); )
			v[--n] = '\0';
	} else {
		const unsigned char *u = sb + 104;  /* s_uuid; all zero: libblkid reports none */
		if (!memcmp(u, zero, 16))
			return 0;
		snprintf(v, sizeof(v), "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
			 u[0], u[1], u[2], u[3], u[4], u[5], u[6], u[7], u[8], u[9], u[10], u[11], u[12], u[13],
			 u[14], u[15]);
	}
	if (d->kind == DEVSPEC_LABEL ? strcmp(v, d->value) : strcasecmp(v, d->value))
		return 0;
	snprintf(out->type, sizeof(out->type), "%s", type);
	return 1;
}

/* Probe node for the tag d names; on a match also note the filesystem type. */
static int probe_tag(const char *node, const struct devspec *d, struct blk_dev *out)
{
	const char *v = NULL, *type = NULL;
	int match = quick_tag(node, d, out);
	blkid_probe pr;

	if (match >= 0)
		return match;
	match = 0;
	if (!(pr = blkid_new_probe_from_filename(node)))
		return 0;
	if (d->kind == DEVSPEC_PARTUUID) {
		/* libblkid reads the parent disk's table for a partition device */
		blkid_probe_enable_superblocks(pr, 0);
		blkid_probe_enable_partitions(pr, 1);
		blkid_probe_set_partitions_flags(pr, BLKID_PARTS_ENTRY_DETAILS);
	} else {
		blkid_probe_enable_superblocks(pr, 1);
		blkid_probe_set_superblocks_flags(pr, BLKID_SUBLKS_LABEL | BLKID_SUBLKS_UUID | BLKID_SUBLKS_TYPE);
	}
	if (blkid_do_safeprobe(pr) == 0) {
		const char *key = d->kind == DEVSPEC_PARTUUID ? "PART_ENTRY_UUID" : devspec_tag(d->kind);
		if (!blkid_probe_lookup_value(pr, key, &v, NULL) && v)
			match = d->kind == DEVSPEC_LABEL ? !strcmp(v, d->value) : !strcasecmp(v, d->value);
		if (match && !blkid_probe_lookup_value(pr, "TYPE", &type, NULL) && type)
			snprintf(out->type, sizeof(out->type), "%s", type);
	}
	blkid_free_probe(pr);
	return match;
}

int blk_match_node(const char *node, const struct devspec *d, struct blk_dev *out)
{
	out->type[0] = '\0';
	if (d->kind != DEVSPEC_LABEL && d->kind != DEVSPEC_UUID && d->kind != DEVSPEC_PARTUUID)
		return 0;
	return probe_tag(node, d, out);
}

int blk_match_one(const char *sysname, const struct devspec *d, struct blk_dev *out)
{
	char dir[300], node[sizeof(out->node)], partname[DEVSPEC_MAX];

	if (!devspec_tag(d->kind))
		return blk_find(d, out) == 0;
	if (strchr(sysname, '/') || !strcmp(sysname, ".") || !strcmp(sysname, ".."))
		return 0;
	snprintf(dir, sizeof(dir), "/sys/class/block/%s", sysname);
	if (sys_node(dir, node, sizeof(node), partname, sizeof(partname)))
		return 0;
	out->type[0] = '\0';
	if (d->kind == DEVSPEC_PARTLABEL) {
		/* the kernel puts a GPT partition's name into the uevent: no probe needed */
		if (strcmp(partname, d->value))
			return 0;
	} else if (!probe_tag(node, d, out)) {
		return 0;
	}
	snprintf(out->node, sizeof(out->node), "%s", node);
	return 1;
}

/* Call fn for each entry of a sysfs class directory until it returns non-zero. */
static int each_entry(const char *dir, int (*fn)(const char *name, const void *ctx, struct blk_dev *out),
		      const void *ctx, struct blk_dev *out)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int ret = 0;

	if (!d)
		return -errno;
	while (!ret && (e = readdir(d)))
		if (e->d_name[0] != '.')
			ret = fn(e->d_name, ctx, out);
	closedir(d);
	return ret;
}

static int match_entry(const char *name, const void *ctx, struct blk_dev *out)
{
	return blk_match_one(name, ctx, out);
}

/* /dev/mapper/NAME does not exist without udev: find the dm-N whose dm/name is NAME */
static int dm_entry(const char *name, const void *ctx, struct blk_dev *out)
{
	char path[300], buf[256];

	snprintf(path, sizeof(path), "/sys/class/block/%s/dm/name", name);
	if (strncmp(name, "dm-", 3) || file_read_line(path, buf, sizeof(buf)) || strcmp(buf, ctx))
		return 0;
	snprintf(out->node, sizeof(out->node), "/dev/%s", name);
	return 1;
}

/* ubiN_M/name == the wanted volume name, for ubiN:name */
static int ubi_entry(const char *name, const void *ctx, struct blk_dev *out)
{
	const struct devspec *d = ctx;
	char path[300], buf[256], prefix[24];

	snprintf(prefix, sizeof(prefix), "ubi%u_", d->ubi);
	snprintf(path, sizeof(path), "/sys/class/ubi/%s/name", name);
	if (strncmp(name, prefix, strlen(prefix)) || file_read_line(path, buf, sizeof(buf)) || strcmp(buf, d->value))
		return 0;
	/* ubifs takes "ubiN:name" itself: mount what the user wrote */
	snprintf(out->node, sizeof(out->node), "ubi%u:%s", d->ubi, d->value);
	return 1;
}

static int find_path(const struct devspec *d, struct blk_dev *out)
{
	struct stat st;

	if (!stat(d->value, &st) && !S_ISDIR(st.st_mode)) {
		snprintf(out->node, sizeof(out->node), "%s", d->value);
		return 0;
	}
	if (!strncmp(d->value, "/dev/mapper/", 12) &&
	    each_entry("/sys/class/block", dm_entry, d->value + 12, out) == 1)
		return 0;
	return -ENOENT;
}

int blk_find(const struct devspec *d, struct blk_dev *out)
{
	char path[300];
	int ret;

	out->type[0] = '\0';
	switch (d->kind) {
	case DEVSPEC_PATH:
		return find_path(d, out);
	case DEVSPEC_MAJMIN:
		snprintf(path, sizeof(path), "/sys/dev/block/%u:%u", d->major, d->minor);
		ret = sys_node(path, out->node, sizeof(out->node), NULL, 0);
		return ret == -ENOENT || ret == -ENOTDIR ? -ENOENT : ret;
	case DEVSPEC_UBI_VOL:
		snprintf(path, sizeof(path), "/sys/class/ubi/%s", d->value);
		if (access(path, F_OK))
			return -ENOENT;
		snprintf(out->node, sizeof(out->node), "%s", d->value);
		return 0;
	case DEVSPEC_UBI_NAME:
		ret = each_entry("/sys/class/ubi", ubi_entry, d, out);
		return ret == 1 ? 0 : ret < 0 && ret != -ENOENT ? ret : -ENOENT;
	default:
		ret = each_entry("/sys/class/block", match_entry, d, out);
		return ret == 1 ? 0 : ret < 0 ? ret : -ENOENT;
	}
}

static uint32_t le32(const unsigned char *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

/* The root filesystems ferry meets most, told apart by the first 4 KiB in one read. libblkid's
 * full probe reads dozens of places (RAID signatures at the end of the disk, ISO and UDF areas):
 * on an eMMC or a virtual disk that is tens of milliseconds. Anything not recognised here, or
 * with a second signature in the same block, goes to libblkid. */
static const char *sniff_type(const unsigned char *b)
{
	const unsigned char *ext = b + 1024;
	int n = 0;
	const char *type = NULL;

	if (le32(b) == 0x73717368)                          /* "hsqs" */
		n++, type = "squashfs";
	if (le32(b + 1024) == 0xE0F5E1E2)
		n++, type = "erofs";
	if (le32(b + 1024) == 0xF2F52010)
		n++, type = "f2fs";
	if (!memcmp(b, "XFSB", 4))
		n++, type = "xfs";
	if (ext[56] == 0x53 && ext[57] == 0xEF) {
		uint32_t compat = le32(ext + 92), incompat = le32(ext + 96), ro = le32(ext + 100);
		n++;
		/* libblkid's names: ext2/ext3 only with their own feature sets (incompat filetype,
		 * recover, meta_bg; ro_compat sparse_super, large_file, btree_dir), else ext4 */
		if (incompat & 0x8)   /* a journal device, not a filesystem */
			return NULL;
		if ((incompat & ~0x16u) || (ro & ~0x7u))
			type = "ext4";
		else
			type = compat & 0x4 ? "ext3" : incompat & 0x4 ? "ext4" : "ext2";
	}
	return n == 1 ? type : NULL;
}

static const char *sniff(const char *node, unsigned char *buf, size_t len)
{
	int fd = open(node, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	ssize_t n;

	if (fd < 0)
		return NULL;
	n = pread(fd, buf, len, 0);
	close(fd);
	return n == (ssize_t)len ? sniff_type(buf) : NULL;
}

int blk_probe_type(const char *node, char *type, size_t len)
{
	unsigned char block[4096];
	const char *quick = sniff(node, block, sizeof(block));

	if (quick)
		return snprintf(type, len, "%s", quick) >= (int)len ? -ENAMETOOLONG : 0;
	return blk_probe_full(node, type, len);
}

/* libblkid's safe probe: every superblock prober, ambiguity refused */
static int probe_full_here(const char *node, char *type, size_t len)
{
	blkid_probe pr = blkid_new_probe_from_filename(node);
	const char *v = NULL;
	int ret = -ENODATA;

	if (!pr)
		return errno ? -errno : -EIO;
	blkid_probe_enable_superblocks(pr, 1);
	blkid_probe_set_superblocks_flags(pr, BLKID_SUBLKS_TYPE);
	if (blkid_do_safeprobe(pr) == 0 && !blkid_probe_lookup_value(pr, "TYPE", &v, NULL) && v)
		ret = snprintf(type, len, "%s", v) >= (int)len ? -ENAMETOOLONG : 0;
	blkid_free_probe(pr);
	return ret;
}

struct probe_answer {
	int ret;
	char type[64];
};

/* The safe probe keeps every area it has read until it ends: about 300 KiB on a small disk, over
 * 1 MiB on one of 64 MiB or more (ZFS's four 256 KiB labels). In PID 1 that would stay its peak
 * resident size, so the probe runs in a forked child, whose pages are its own, and answers
 * through a pipe; here only when no child can be made. */
int blk_probe_full(const char *node, char *type, size_t len)
{
	struct probe_answer a = { .ret = -EIO };
	int p[2], status;
	ssize_t n;
	pid_t pid;

	if (pipe2(p, O_CLOEXEC) < 0)
		return probe_full_here(node, type, len);
	if ((pid = fork()) < 0) {
		close(p[0]);
		close(p[1]);
		return probe_full_here(node, type, len);
	}
	if (pid == 0) {
		close(p[0]);
		a.ret = probe_full_here(node, a.type, sizeof(a.type));
		_exit(write(p[1], &a, sizeof(a)) == (ssize_t)sizeof(a) ? 0 : 1);
	}
	close(p[1]);
	do
		n = read(p[0], &a, sizeof(a));
	while (n < 0 && errno == EINTR);
	close(p[0]);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (n != (ssize_t)sizeof(a))
		return -EIO;
	if (a.ret == 0)
		return snprintf(type, len, "%.*s", (int)sizeof(a.type), a.type) >= (int)len ? -ENAMETOOLONG : 0;
	return a.ret;
}

int blk_identify_rw(const char *node, const char *fstype, char *type, size_t len)
{
	int ret = blk_probe_full(node, type, len);
	size_t n = ret == 0 ? strlen(type) : 0;

	if (ret == 0 && n >= 12 && !strcmp(type + n - 12, "_raid_member"))
		return -EMEDIUMTYPE;
	if (fstype && *fstype)
		return snprintf(type, len, "%s", fstype) >= (int)len ? -ENAMETOOLONG : 0;
	return ret;
}
