/* blk_probe_type's one-read sniffer against libblkid's full probe, on filesystem images made
 * here (each mkfs that is missing is skipped and said so). */
#include <blkid/blkid.h>
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
