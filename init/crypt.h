/* The crypt stage: opens every ferry.crypt= volume as its device appears. */
#ifndef FERRY_CRYPT_H
#define FERRY_CRYPT_H
#include <stdio.h>
#include "job.h"

struct ferry_config;
extern struct job job_crypt;

/* `ferry plan`: what the crypt stage would do; returns the number of errors found. */
int crypt_plan(const struct ferry_config *c, FILE *out);

#endif
