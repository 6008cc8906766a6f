/* Crash-safe factory reset of the overlay's upper directory on the rw filesystem.
 *
 * The upper is never emptied in place: it is renamed to "<upper>.ferry-trash" in one rename(2),
 * which is the commit point, and the trash is deleted afterwards. A power cut leaves either the old
 * upper untouched or a trash directory that reset_recover() deletes at the next boot, before the
 * overlay is mounted — the overlay never sees half an upper. */
#ifndef FERRY_RESET_H
#define FERRY_RESET_H
#include <stdbool.h>
#include <sys/types.h>

/* A file the running system creates on the rw filesystem's root (/media/rfs/rw/.ferry-reset in
 * the target) to ask for a reset at the next boot. Removed by the reset it asks for. */
#define RESET_MARKER ".ferry-reset"
#define RESET_TRASH_SUFFIX ".ferry-trash"

/* The steps of reset_upper, in order; reset_step() runs one (the unit test stops after each). */
enum reset_step {
	RESET_COMMIT,     /* rename upper -> upper.ferry-trash: from here the old upper is gone */
	RESET_WORK,       /* rename work -> work.ferry-trash (overlay's private state, stale now) */
	RESET_SYNC,       /* fsync the directories so the renames are on disk before anything else */
	RESET_UNMARK,     /* remove the marker file, fsync */
	RESET_DELETE,     /* delete both trash trees, fsync */
	RESET_RECREATE,   /* mkdir upper and work again (empty), fsync */
	RESET_NSTEPS
};

struct reset_dirs {
	int rwfd;            /* the rw filesystem's root directory */
	const char *upper;   /* relative to rwfd, may contain '/' ("a/upper") */
	const char *work;
};

/* The name of a step, for "ferry: root: reset: <step>: <strerror>". */
const char *reset_step_name(enum reset_step s);
int reset_step(const struct reset_dirs *d, enum reset_step s);
/* Finish what an interrupted reset left: delete the trash trees. 1: there was one, 0: none. */
int reset_recover(const struct reset_dirs *d);
/* Does the rw filesystem hold the marker? */
bool reset_requested(int rwfd);
/* The whole reset: recover, then every step. Returns 0, or -errno with *failed naming the step. */
int reset_upper(const struct reset_dirs *d, const char **failed);

/* Delete everything below the directory dfd that lives on device dev, never descending into
 * another mount (shared with lib/storage/switchroot.c, which empties the initramfs). First error kept. */
int reset_clear_dir(int dfd, dev_t dev);

#endif
