/* What the previous boot's kernel log, as pstore keeps it across a restart (ramoops, efi-pstore:
 * /sys/fs/pstore/dmesg-*), says about dm-verity. Pure: a record's text in, the answer out. */
#ifndef FERRY_PSTORE_H
#define FERRY_PSTORE_H
#include <stddef.h>

enum pstore_verity {
	PSTORE_VERITY_NONE = 0,
	PSTORE_VERITY_RESTART,   /* restart-on-corruption: "Restarting system with command 'dm-verity ..." */
	PSTORE_VERITY_PANIC,     /* panic-on-corruption: "Kernel panic - not syncing: dm-verity ..." */
};

/* Did the boot that wrote this record end because dm-verity found a corrupted block? The answer;
 * with one, block gets the kernel's last "<dev>: data block N is corrupted" line (printable ASCII
 * only, cut to blen - 1), or "" when the record has none. Bytes past len are never read; NULs and
 * other binary bytes in the text are allowed. */
enum pstore_verity pstore_verity(const char *text, size_t len, char *block, size_t blen);

#endif
