/* The root job (init/root.c) and what the handoff and `ferry plan` call. */
#ifndef FERRY_ROOT_H
#define FERRY_ROOT_H
#include <stdbool.h>
#include <stdio.h>
#include "job.h"

struct boot_plan;
extern struct job job_root;

/* What the root job built, for the handoff (which alone leaves for it). */
struct root_result {
	bool built;           /* the new root is complete at newroot (else: no root was built) */
	bool initramfs;       /* / is the initramfs: switch_root; otherwise pivot_root */
	const char *newroot;
	const char *init;     /* the target init, a path inside the new root */
};
const struct root_result *root_result(void);
/* Print what the root job would do with this plan. */
void root_plan(const struct boot_plan *p, FILE *out);

#endif
