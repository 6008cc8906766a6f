/* The network stage: the `net` job, `ferry net`, and its part of `ferry plan`. */
#ifndef FERRY_NET_H
#define FERRY_NET_H
#include <stdio.h>
#include "job.h"

struct ferry_config;
extern struct job job_net;
/* ferry net --cmdline "..." [--config FILE] [--run-dir DIR] [--stay] */
int net_main(int argc, char **argv);
/* What the stage would do; returns the number of errors found offline (printed as "error: ..."). */
int net_plan(const struct ferry_config *c, FILE *out);

#endif
