/* Handoff by kexec (init/kexec.c): the discovery job finds boot entries on disk; the handoff loads
 * the chosen one and reboots into it. */
#ifndef FERRY_KEXEC_INIT_H
#define FERRY_KEXEC_INIT_H
#include <stdio.h>
#include "job.h"

struct boot_plan;
/* Discovery, when the handoff plan says kexec: the named devices or every filesystem, re-checked
 * on block uevents until complete or ferry.timeout=; the entries are logged and kept. */
extern struct job job_kexec;

/* The handoff's part: try the discovered entries in order (kexec_file_load; on success unmount what
 * ferry mounted and reboot(LINUX_REBOOT_CMD_KEXEC)). Returns only on failure: -ENOENT no entry
 * found, -EKEYREJECTED a signature was refused, or lockdown refused an image (EPERM): nothing
 * unverified may follow, so no switch_root fallback; other -errno when every entry failed. */
int kexec_boot(void);
/* `ferry plan`: the rules, and the entries of ferry.kexec.device= values that are directories
 * (a mounted filesystem, read offline). */
void kexec_plan(const struct boot_plan *p, FILE *out);

/* The boot menu (init/menu.c): a job after discovery, before the handoff, when ferry.menu= asks. */
extern struct job job_menu;
void menu_plan(const struct boot_plan *p, FILE *out);
/* Its hooks here: the entries found (NULL before discovery and after kexec_boot), a look at the
 * devices again (its probes and lookups in bounded children: done(how many entries it added) from
 * the loop, maybe before kexec_rescan returns; -ENOENT no entries to add to), and the entry the
 * menu chose (tried first). */
struct boot_list *kexec_entries(void);
int kexec_rescan(void (*done)(int added));
void kexec_choose(int idx);

#endif
