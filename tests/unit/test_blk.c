/* blk_probe_type's one-read sniffer against libblkid's full probe, on filesystem images made
 * here (each mkfs that is missing is skipped and said so). */
#include <stdlib.h>
#include <unistd.h>
#include "t.h"
#include "../../lib/blk.h"

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

int main(void)
{
	char img[300], type[32];

	if (!mkdtemp(dir))
		return 1;
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
