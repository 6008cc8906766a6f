/* Handoff by kexec (init/kexec.c): find boot entries on disk, load the chosen one, reboot into it. */
#ifndef FERRY_KEXEC_INIT_H
#define FERRY_KEXEC_INIT_H
#include <stdio.h>

struct ferry_config;

/* Discover, log the entries, try them in order (kexec_file_load; on success unmount what ferry
 * mounted and reboot(LINUX_REBOOT_CMD_KEXEC)). Returns only on failure: -ENOENT no entry found,
 * -EKEYREJECTED a signature was refused, or lockdown refused an image (EPERM): nothing unverified
 * may follow, so no switch_root fallback; other -errno when every entry failed. */
int kexec_handoff(void);
/* `ferry plan`: the rules, and the entries of ferry.kexec.device= values that are directories
 * (a mounted filesystem, read offline). -EINVAL when a kexec key is bad. */
int kexec_plan(const struct ferry_config *c, FILE *out);

#endif
