/* Device specifications as root=, rootrw= and ferry.crypt= name them. Pure: a string in, a struct
 * out, no I/O — lib/storage/blk.c turns a parsed spec into a device node. */
#ifndef FERRY_DEVSPEC_H
#define FERRY_DEVSPEC_H
#include <stdbool.h>
#include <stddef.h>

enum devspec_kind {
	DEVSPEC_PATH = 1,   /* /dev/vda1, /dev/mapper/x (also /dev/disk/by-* mapped to the tags below) */
	DEVSPEC_LABEL,      /* LABEL=      filesystem label */
	DEVSPEC_UUID,       /* UUID=       filesystem UUID (case-insensitive) */
	DEVSPEC_PARTUUID,   /* PARTUUID=   GPT partition GUID or MBR "xxxxxxxx-NN" (case-insensitive) */
	DEVSPEC_PARTLABEL,  /* PARTLABEL=  GPT partition name */
	DEVSPEC_MAJMIN,     /* 8:1         major:minor, as the kernel's root= takes it */
	DEVSPEC_UBI_NAME,   /* ubi0:name   UBI volume by name (mounted as given, ubifs) */
	DEVSPEC_UBI_VOL,    /* ubi0_1      UBI volume by number (mounted as given, ubifs) */
};

#define DEVSPEC_MAX 256
struct devspec {
	enum devspec_kind kind;
	char value[DEVSPEC_MAX];   /* path, tag value or UBI volume name, quotes and \xHH removed */
	unsigned major, minor;     /* DEVSPEC_MAJMIN */
	unsigned ubi, vol;         /* DEVSPEC_UBI_NAME (ubi), DEVSPEC_UBI_VOL (ubi, vol) */
	bool rw;                   /* not parsed: set by a caller that will mount it read-write, so
				    * lib/storage/blk.c identifies it by libblkid's safe probe only */
};

/* Parse s. Returns 0, or -EINVAL (empty, unknown form, empty value), -ENAMETOOLONG. */
int devspec_parse(const char *s, struct devspec *d);
/* The blkid tag name of a tag kind ("LABEL", ...), NULL for the other kinds. */
const char *devspec_tag(enum devspec_kind k);
/* Canonical text of d ("LABEL=root", "/dev/vda"), for messages and `ferry plan`. */
int devspec_format(const struct devspec *d, char *out, size_t len);

#endif
