/* The last boot's end, from pstore: with a verity lower, a restart (restart-on-corruption) or panic
 * (panic-on-corruption) because dm-verity found a corrupted block is named at the next boot, from
 * the kernel log that pstore (ramoops on boards, efi-pstore on PCs) kept across it. The records are
 * left where they are, for the target's own collector (systemd-pstore); pstore is mounted only for
 * the look and unmounted after, unless it was there already. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include "ferry.h"
#include "verity.h"
#include "../lib/core/fileio.h"
#include "../lib/storage/pstore.h"

#define PSTORE_DIR "/sys/fs/pstore"
#define RECORD_MAX (1024 * 1024)   /* a ramoops record is a few KiB to 64 KiB; efi-pstore's 1 KiB */

void verity_last_boot(void)
{
	bool mounted = false;
	DIR *d;
	struct dirent *e;

	if (mount("pstore", PSTORE_DIR, "pstore", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) == 0)
		mounted = true;
	else if (errno != EBUSY)
		return;  /* no pstore in this kernel (ENODEV), or no /sys/fs/pstore: nothing was kept */
	if (!(d = opendir(PSTORE_DIR)))
		goto out;
	while ((e = readdir(d))) {
		char path[300], block[160], *text;
		size_t len;
		enum pstore_verity r;

		if (strncmp(e->d_name, "dmesg-", 6))
			continue;
		(void)snprintf(path, sizeof(path), PSTORE_DIR "/%s", e->d_name);
		if (file_read_all(path, RECORD_MAX, &text, &len) < 0)
			continue;
		r = pstore_verity(text, len, block, sizeof(block));
		free(text);
		if (r != PSTORE_VERITY_NONE)
			log_warn("root", "verity: the last boot %s because dm-verity found corruption%s%s (pstore %s)",
				 r == PSTORE_VERITY_RESTART ? "restarted" : "panicked", block[0] ? ": " : "", block,
				 e->d_name);
	}
	(void)closedir(d);
out:
	if (mounted)
		(void)umount(PSTORE_DIR);
}
