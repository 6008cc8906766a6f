/* The root job's dm-verity lower (init/verity.c). */
#ifndef FERRY_INIT_VERITY_H
#define FERRY_INIT_VERITY_H
#include <stddef.h>
#include <stdio.h>
#include "job.h"

struct boot_plan;

/* With roothash=: waits for the hash device (JOB_PENDING, then resume() from the loop), maps the
 * data device node on /dev/mapper/root-verity, checks it and puts that path in node. 0 (also
 * without roothash=), JOB_PENDING, or the job's failure. */
int root_verity(struct job *j, char *node, size_t len, void (*resume)(void));
/* With roothash=, at the root job's start: dm_verity (and dm_mod) loaded while the devices are
 * still on their way, not after they appear. */
void root_verity_prepare(void);
/* With roothash=: a restart or panic of the last boot on verity corruption, named from pstore
 * (init/pstore.c). */
void verity_last_boot(void);
/* The verity lines of `ferry plan`. */
void verity_plan(const struct boot_plan *p, FILE *out);

#endif
