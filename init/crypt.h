/* The crypt stage: opens every ferry.crypt= volume as its device appears. */
#ifndef FERRY_CRYPT_H
#define FERRY_CRYPT_H
#include <stdio.h>
#include "job.h"

struct boot_plan;
extern struct job job_crypt;

/* `ferry plan`: what the crypt stage would do with the plan's volumes. */
void crypt_plan(const struct boot_plan *p, FILE *out);

#endif
