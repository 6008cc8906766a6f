/* blk_probe_type's one-read sniffer against libblkid's full probe, on filesystem images made
 * here (each mkfs that is missing is skipped and said so). */
#include <blkid/blkid.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <strings.h>
#include <unistd.h>
#include "t.h"
#include "../../lib/storage/blk.h"
#include "../../lib/storage/devspec.h"

static char dir[] = "/tmp/ferry-blk-XXXXXX";

static void same(const char *name, const char *mkfs, const char *want)
{
	char img[300], cmd[1400], quick[32] = "", full[32] = "";

	snprintf(img, sizeof(img), "%s/%s.img", dir, name);
	snprintf(cmd, sizeof(cmd), "rm -f %s; truncate -s 320M %s && %s %s >/dev/null 2>&1", img, img, mkfs, img);
	if (system(cmd)) {
		printf("skipped: %s (%s failed or is missing)\n", name, mkfs);
		return;
	}
	T_EQ(blk_probe_type(img, quick, sizeof(quick)), 0);
	T_EQ(blk_probe_full(img, full, sizeof(full)), 0);
	T_STREQ(quick, full);
	T_STREQ(quick, want);
}

/* libblkid's own answer: does img carry tag=value? */
static int reference(const char *img, const char *tag, const char *value)
{
	blkid_probe pr = blkid_new_probe_from_filename(img);
	const char *v = NULL;
	int match = 0;

	blkid_probe_enable_superblocks(pr, 1);
	blkid_probe_set_superblocks_flags(pr, BLKID_SUBLKS_LABEL | BLKID_SUBLKS_UUID | BLKID_SUBLKS_TYPE);
	if (blkid_do_safeprobe(pr) == 0 && !blkid_probe_lookup_value(pr, tag, &v, NULL) && v)
		match = !strcmp(tag, "LABEL") ? !strcmp(v, value) : !strcasecmp(v, value);
	blkid_free_probe(pr);
	return match;
}

/* blk_match_node agrees with libblkid on LABEL=/UUID= for an image made by mkfs */
static void tags(const char *name, const char *mkfs, const char *const specs[])
{
	char img[300], cmd[1400];

	snprintf(img, sizeof(img), "%s/%s.img", dir, name);
	snprintf(cmd, sizeof(cmd), "rm -f %s; truncate -s 320M %s && %s %s >/dev/null 2>&1", img, img, mkfs, img);
	if (system(cmd)) {
		printf("skipped: tags on %s (%s failed or is missing)\n", name, mkfs);
		return;
	}
	for (int i = 0; specs[i]; i++) {
		struct devspec d;
		struct blk_dev b;
		T_EQ(devspec_parse(specs[i], &d), 0);
		int want = reference(img, devspec_tag(d.kind), d.value);
		T_CHECK(blk_match_node(img, &d, &b) == want, "%s on %s: libblkid says %d", specs[i], name, want);
	}
}

static void put32(unsigned char *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (unsigned char)(v >> 8 * i);
}

/* An md RAID1 member as mdadm leaves it: the filesystem at the start of the leg (what the 4 KiB
 * sniffer reads), the md superblock at the end, 0.90 (64 KiB before the 64 KiB-aligned end) or
 * 1.0 (8 KiB before the 4 KiB-aligned end, with its checksum and the array name "rwdata"). */
static int md_member(const char *img, int v1, off_t size)
{
	unsigned char sb[4096] = { 0 };
	off_t off;
	int fd = open(img, O_WRONLY);

	put32(sb, 0xa92b4efc);
	if (!v1) {
		off = (size & ~(off_t)0xffff) - 0x10000;
		put32(sb + 8, 90);           /* minor_version */
		put32(sb + 20, 0x0123abcd);  /* set_uuid0 */
		put32(sb + 28, 1);           /* level: raid1 */
		put32(sb + 40, 2);           /* raid_disks */
	} else {
		uint64_t sum = 0;
		off = (size & ~(off_t)0xfff) - 0x2000;
		put32(sb + 4, 1);            /* major_version */
		memset(sb + 16, 0x5a, 16);   /* set_uuid */
		memcpy(sb + 32, "rwdata", 6);
		put32(sb + 72, 1);
		put32(sb + 92, 2);
		put32(sb + 144, (uint32_t)(off >> 9));   /* super_offset, in sectors */
		for (int i = 0; i < 256; i += 4)         /* max_dev 0: the checksum covers 256 bytes */
			sum += sb[i] | sb[i + 1] << 8 | sb[i + 2] << 16 | (uint32_t)sb[i + 3] << 24;
		put32(sb + 216, (uint32_t)((sum & 0xffffffff) + (sum >> 32)));
	}
	int ok = fd >= 0 && pwrite(fd, sb, sizeof(sb), off) == (ssize_t)sizeof(sb);
	if (fd >= 0)
		close(fd);
	return ok ? 0 : -1;
}

/* rootrw= and the blob device are mounted read-write: only libblkid's safe probe may say what
 * they are, and a RAID member is refused (writing one leg diverges the mirror). */
static void raid_members(void)
{
	char img[300], cmd[1000], type[32];
	struct devspec d;
	struct blk_dev b;

	for (int v1 = 0; v1 < 2; v1++) {
		snprintf(img, sizeof(img), "%s/md%d.img", dir, v1);
		snprintf(cmd, sizeof(cmd), "rm -f %s; truncate -s 16M %s && mkfs.ext4 -q -F -L rwdata %s", img, img, img);
		if (system(cmd)) {
			printf("skipped: md member (mkfs.ext4 failed or is missing)\n");
			return;
		}
		T_EQ(devspec_parse("LABEL=rwdata", &d), 0);
		T_EQ(blk_match_node(img, &d, &b), 1);              /* a plain ext4 */
		d.rw = true;
		T_EQ(blk_match_node(img, &d, &b), 1);
		T_EQ(blk_identify_rw(img, NULL, type, sizeof(type)), 0);
		T_STREQ(type, "ext4");
		T_EQ(md_member(img, v1, 16 << 20), 0);
		T_EQ(blk_probe_full(img, type, sizeof(type)), 0);
		T_STREQ(type, "linux_raid_member");                 /* libblkid sees the member */
		T_EQ(blk_probe_type(img, type, sizeof(type)), 0);
		T_STREQ(type, "ext4");                              /* the 4 KiB read does not */
		d.rw = false;
		T_EQ(blk_match_node(img, &d, &b), 1);               /* read-only: the quick match stays */
		d.rw = true;
		/* 0.90 has no name; 1.0's array name is "rwdata", so libblkid matches the LABEL= too, and
		 * the type refuses it */
		T_EQ(blk_match_node(img, &d, &b), v1);
		T_EQ(blk_identify_rw(img, NULL, type, sizeof(type)), -EMEDIUMTYPE);
		T_EQ(blk_identify_rw(img, "ext4", type, sizeof(type)), -EMEDIUMTYPE);  /* rootrwfstype= too */
	}
}

int main(void)
{
	char img[300], type[32];

	if (!mkdtemp(dir))
		return 1;
	static const char *const ext_specs[] = { "LABEL=rwdata", "LABEL=rwdat", "LABEL=other",
		"UUID=0d6e5f4a-3333-4b2c-9d8e-fedcba987654", "UUID=0D6E5F4A-3333-4B2C-9D8E-FEDCBA987654",
		"UUID=0d6e5f4a-3333-4b2c-9d8e-fedcba987655", NULL };
	static const char *const vfat_specs[] = { "LABEL=BOOT", "LABEL=boot", "UUID=1234-ABCD", "UUID=1234-abcd", NULL };
	tags("ext4-tags", "mkfs.ext4 -q -F -L rwdata -U 0d6e5f4a-3333-4b2c-9d8e-fedcba987654", ext_specs);
	tags("ext2-tags", "mkfs.ext2 -q -F -L 'rwdata' -U 0d6e5f4a-3333-4b2c-9d8e-fedcba987654", ext_specs);
	tags("ext4-nolabel", "mkfs.ext4 -q -F -U 0d6e5f4a-3333-4b2c-9d8e-fedcba987654", ext_specs);
	tags("vfat-tags", "mkfs.vfat -n BOOT -i 1234ABCD", vfat_specs);
	tags("xfs-tags", "mkfs.xfs -q -f -L rwdata -m uuid=0d6e5f4a-3333-4b2c-9d8e-fedcba987654", ext_specs);
	raid_members();
	same("ext4", "mkfs.ext4 -q -F", "ext4");
	same("ext4-nojournal", "mkfs.ext4 -q -F -O ^has_journal", "ext4");
	same("ext3", "mkfs.ext3 -q -F", "ext3");
	same("ext2", "mkfs.ext2 -q -F", "ext2");
	same("ext3-hugefile", "mkfs.ext3 -q -F -O huge_file", "ext4");
	same("xfs", "mkfs.xfs -q -f", "xfs");
	same("f2fs", "mkfs.f2fs -q -f", "f2fs");
	same("vfat", "mkfs.vfat", "vfat");            /* not sniffed: libblkid answers */
	same("btrfs", "mkfs.btrfs -q -f", "btrfs");  /* its superblock is at 64 KiB: libblkid */
	char cmd[600];
	snprintf(cmd, sizeof(cmd), "mkdir -p %s/sq && echo x > %s/sq/f && mkfs.erofs %s/erofs.img %s/sq >/dev/null 2>&1",
		 dir, dir, dir, dir);
	if (system(cmd) == 0) {
		char quick[32], full[32];
		snprintf(img, sizeof(img), "%s/erofs.img", dir);
		T_EQ(blk_probe_type(img, quick, sizeof(quick)), 0);
		T_EQ(blk_probe_full(img, full, sizeof(full)), 0);
		T_STREQ(quick, "erofs");
		T_STREQ(full, "erofs");
	} else {
		printf("skipped: erofs (mkfs.erofs missing)\n");
	}
	snprintf(cmd, sizeof(cmd), "mkdir -p %s/sq && echo x > %s/sq/f && mksquashfs %s/sq %s/sq.img -quiet -noappend "
		 ">/dev/null 2>&1", dir, dir, dir, dir);
	if (system(cmd) == 0) {
		snprintf(img, sizeof(img), "%s/sq.img", dir);
		T_EQ(blk_probe_type(img, type, sizeof(type)), 0);
		T_STREQ(type, "squashfs");
		struct devspec d;
		struct blk_dev b;
		T_EQ(devspec_parse("LABEL=sq", &d), 0);
		T_EQ(blk_match_node(img, &d, &b), 0);   /* squashfs has no label */
	} else {
		printf("skipped: squashfs (mksquashfs missing)\n");
	}
	/* nothing on it: no type, from either path */
	snprintf(img, sizeof(img), "%s/zero.img", dir);
	snprintf(cmd, sizeof(cmd), "truncate -s 8M %s", img);
	T_EQ(system(cmd), 0);
	T_OK(blk_probe_type(img, type, sizeof(type)) < 0);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	(void)system(cmd);
	return T_DONE();
}
