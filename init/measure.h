/* Measured boot (init/measure.c): before a kexec, the kernel file and each initrd are extended into
 * PCR 9 and the command line into PCR 8 of the TPM 2.0's every active bank, each measurement logged
 * and appended to /run/ferry/measurements (README "Measured boot"). */
#ifndef FERRY_MEASURE_H
#define FERRY_MEASURE_H
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct kload_files;
struct boot_plan;

#define MEASURE_LOG "/run/ferry/measurements"
#define MEASURE_PCR_FILES 9
#define MEASURE_PCR_CMDLINE 8
#define MEASURE_TIMEOUT_MS 2000

/* Which entry is loaded: its paths as written (relative to its filesystem) and that filesystem. */
struct measure_entry {
	const char *kernel;
	const char *const *initrd;
	size_t ninitrd;
	const char *device;
};

/* kload's hook (arg: a struct measure_entry). NULL when measured, or nothing to measure with
 * (ferry.measure=off, or on and no TPM); else the step, with *err: -ENODEV (required, no TPM),
 * -ETIMEDOUT (no answer within 2 s), -EREMOTEIO (the TPM refused: its code is logged), -EPROTO,
 * -ENOTSUP (an active bank ferry has no digest for). The entry must then not be booted. */
const char *measure_kload(void *arg, const struct kload_files *f, int *err);
/* An entry was not booted because it could not be measured: no fallback may boot unmeasured. */
bool measure_failed(void);
/* `ferry plan`: what would be measured into which PCR (with the entry's files when known). */
void measure_plan(const struct boot_plan *p, FILE *out);
void measure_plan_entry(const struct boot_plan *p, size_t idx, const char *kernel, const char *const *initrd,
			size_t ninitrd, const char *cmdline, FILE *out);

#endif
