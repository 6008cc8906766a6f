/* The root parameters of meta-readonly-rootfs-overlay (root=, rootrw=, rootoptions=, ...) turned
 * into a mount plan: what to mount where, with which flags. Pure: strings in, a struct out. */
#ifndef FERRY_ROOTOPTS_H
#define FERRY_ROOTOPTS_H
#include <stdbool.h>
#include <stddef.h>
#include "devspec.h"

/* The parameters as found in the configuration; NULL when absent. */
struct root_params {
	const char *root, *rootfstype, *rootoptions, *rootflags, *rootinit;
	const char *rootrw, *rootrwfstype, *rootrwoptions, *rootrwreset, *rootrwupperdir;
	const char *rootrwfallback, *preinit, *init;
	bool init_is_ferry;   /* init= names ferry itself (the caller compared the files) */
};

/* Where the pieces go, as the layer lays them out (the target sees the same paths). */
#define ROOT_NEWROOT  "/newroot"
#define ROOT_RO_DIR   "/media/rfs/ro"
#define ROOT_RW_DIR   "/media/rfs/rw"
#define ROOT_WORKDIR  "work"
#define ROOT_DEFAULT_INIT "/sbin/init"
#define ROOT_LOWER_OPTS "noatime,nodiratime"
#define ROOT_RW_OPTS    "rw,noatime,mode=755"

enum root_fallback { ROOT_FALLBACK_TMPFS, ROOT_FALLBACK_FAIL };

struct root_mount {
	bool present;            /* a device was named (lower: root=, rw: rootrw=) */
	struct devspec dev;
	char fstype[32];         /* "" : probe the device */
	char opts[256];          /* the option string, before rootopts_mount_opts() */
};

struct root_plan {
	struct root_mount lower; /* !present: bind the current root, read-only */
	struct root_mount rw;    /* !present: tmpfs */
	char upperdir[128];      /* relative to the rw mount, no "..", never "work" */
	char init[256];          /* the target init, inside the new root */
	char preinit[256];       /* "" : none */
	bool reset;
	enum root_fallback fallback;
	const char *bad_key;     /* on -EINVAL: the parameter that was wrong */
};

int rootopts_plan(const struct root_params *p, struct root_plan *out);

/* An option string for mount(2): the MS_* words become *flags, the rest goes to data, except
 * mode= when fstype does not take it (only tmpfs/ramfs do: ext4 refuses the mount).
 * *dropped is set when something was left out. -E2BIG when data does not fit. */
int rootopts_mount_opts(const char *opts, const char *fstype, unsigned long *flags,
			char *data, size_t len, bool *dropped);
/* Does this filesystem take mode= ? */
bool rootopts_takes_mode(const char *fstype);

#endif
