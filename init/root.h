/* The root job (init/root.c) and what the handoff and `ferry plan` call. */
#ifndef FERRY_ROOT_H
#define FERRY_ROOT_H
#include <stdio.h>
#include "job.h"

struct ferry_config;
extern struct job job_root;

/* switch_root (or pivot_root when ferry runs on a real root) into the root the job built, then
 * exec the target init with ferry's arguments. Returns only on failure (logged, with the step);
 * -ENOENT without a new root (no root= in an initramfs: the handoff runs rootinit in place). */
int root_handoff(void);
/* Print what the root job would do with this configuration; -EINVAL when a parameter is bad. */
int root_plan(const struct ferry_config *c, FILE *out);

#endif
