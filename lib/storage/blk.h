/* Finding block devices (and UBI volumes) by a devspec without udev: /sys/class/block is the list,
 * devtmpfs provides the nodes, libblkid reads labels and UUIDs. No I/O beyond sysfs and probing. */
#ifndef FERRY_BLK_H
#define FERRY_BLK_H
#include <stddef.h>
#include "devspec.h"

struct blk_dev {
	char node[DEVSPEC_MAX + 8];  /* what to mount: "/dev/vda2", "ubi0:data" */
	char type[32];               /* filesystem type when the match already probed it, else "" */
};

/* Look for d among the devices present now. 0: found, -ENOENT: not (yet) there, other -errno. */
int blk_find(const struct devspec *d, struct blk_dev *out);
/* Does the block device with this sysfs name ("vda1", from a uevent's DEVNAME or devpath) match d?
 * 1: yes (out filled), 0: no. Checks one device instead of scanning all of them. */
int blk_match_one(const char *sysname, const struct devspec *d, struct blk_dev *out);
/* Does the device (or image) node carry the LABEL=, UUID= or PARTUUID= d names? 1 yes (out->type
 * filled), 0 no. ext2/3/4 and squashfs answer from one 4 KiB read, the rest through libblkid; with
 * d->rw always libblkid's safe probe, which sees a RAID member's superblock at the end of the
 * device (md metadata 0.90/1.0) where the 4 KiB read sees only the filesystem inside. */
int blk_match_node(const char *node, const struct devspec *d, struct blk_dev *out);
/* The filesystem type on a device: squashfs, ext2/3/4, erofs, f2fs and xfs from one 4 KiB read,
 * anything else (or anything ambiguous) through libblkid. -ENODATA when none is recognised. */
int blk_probe_type(const char *node, char *type, size_t len);
/* The same through libblkid's full safe probe only. */
int blk_probe_full(const char *node, char *type, size_t len);
/* For a read-write mount: the safe probe's type in type; -EMEDIUMTYPE when that is a RAID member
 * (writing one leg diverges the mirror), -ENODATA when nothing (or something ambiguous) is found.
 * fstype, when given, is what gets mounted; the probe then only refuses RAID members. */
int blk_identify_rw(const char *node, const char *fstype, char *type, size_t len);

#endif
