/* Measured boot, as GRUB and systemd-boot record a boot for secrets sealed to it: PCR 9 gets the
 * digest of the kernel file as read (a gzip kernel before inflation, a UKI whole), then of each
 * initrd file in order, PCR 8 the digest of the command line's exact bytes (no trailing NUL); in
 * every bank the TPM has active (u-root extended only SHA-256, u-root#2721, leaving the SHA-1 bank
 * a verifier reads unchanged). The TPM is spoken to by lib/boot/tpm.c; a TPM that refuses or does
 * not answer within 2 s stops the entry, which is never booted unmeasured. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>
#include "ferry.h"
#include "measure.h"
#include "../lib/boot/kload.h"
#include "../lib/boot/tpm.h"
#include "../lib/core/fileio.h"

static const char *const tpm_nodes[] = { "/dev/tpmrm0", "/dev/tpm0" };

/* The TPM found at the first entry (its banks asked once), kept for the others. */
static struct {
	int fd;                    /* -1: not open (looked for again at the next entry) */
	const char *node;
	struct tpm_banks banks;
} mt = { .fd = -1 };

/* PID 1 measures one event at a time: the buffers are static (no large zeroed frames). */
static unsigned char mt_cmd[TPM_CMD_MAX], mt_rsp[TPM_RSP_MAX];
static struct sha_ctx mt_ctx[TPM_MAX_BANKS];
static uint64_t mt_hash_us, mt_hashed;       /* for the log: hashing time and bytes, per entry */

/* One measurement: the digest in each bank. */
struct event {
	unsigned pcr;
	const char *kind, *what, *device;      /* "kernel" "/boot/vmlinuz" "/dev/vda1" */
	struct tpm_digest d[TPM_MAX_BANKS];
};

static bool mt_failed;

bool measure_failed(void)
{
	return mt_failed;
}

static uint64_t mt_now_us(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (uint64_t)t.tv_sec * 1000000 + (uint64_t)t.tv_nsec / 1000;
}

static const char *mt_fail(int *err, int e, const char *step)
{
	mt_failed = true;
	*err = e;
	return step;
}

/* One command and its answer, by name on failure. */
static int mt_transact(const char *what, const unsigned char *cmd, size_t n, unsigned char *rsp, ssize_t *got)
{
	if (!n) {
		log_err("measure", "%s: the command does not fit (ferry's bug)", what);
		return -EINVAL;
	}
	*got = tpm_transact(mt.fd, cmd, n, rsp, TPM_RSP_MAX, MEASURE_TIMEOUT_MS);
	if (*got == -ETIMEDOUT)
		log_err("measure", "%s: %s did not answer within %d s", what, mt.node, MEASURE_TIMEOUT_MS / 1000);
	else if (*got < 0)
		log_err("measure", "%s on %s: %s", what, mt.node, strerror((int)-*got));
	return *got < 0 ? (int)*got : 0;
}

static int mt_decoded(const char *what, int ret, uint32_t rc, const char *why)
{
	char name[96];

	if (ret == -EREMOTEIO)
		log_err("measure", "%s: the TPM (%s) refused: %s", what, mt.node, tpm_rc_name(rc, name, sizeof(name)));
	else if (ret)
		log_err("measure", "%s: the TPM (%s) sent %s", what, mt.node, why);
	return ret;
}

/* Open the TPM and learn its active banks. 0, 1 when there is none, or -errno (logged). */
static int mt_open(void)
{
	unsigned char *cmd = mt_cmd, *rsp = mt_rsp;
	const char *why = NULL;
	char name[32];
	uint32_t rc;
	ssize_t got;
	int ret;

	if (mt.fd >= 0)
		return 0;
	for (size_t i = 0; mt.fd < 0 && i < sizeof(tpm_nodes) / sizeof(*tpm_nodes); i++) {
		mt.node = tpm_nodes[i];
		/* O_NONBLOCK: the kernel queues the command and poll() bounds the wait (lib/boot/tpm.c) */
		mt.fd = open(mt.node, O_RDWR | O_NONBLOCK | O_CLOEXEC);
		if (mt.fd < 0 && errno != ENOENT && errno != ENODEV && errno != ENXIO)
			log_warn("measure", "%s: %s", mt.node, strerror(errno));
	}
	if (mt.fd < 0)
		return 1;
	if ((ret = mt_transact("TPM2_GetCapability(TPM_CAP_PCRS)", cmd, tpm_cmd_getcap_pcrs(cmd, TPM_CMD_MAX), rsp, &got)) ||
	    (ret = mt_decoded("TPM2_GetCapability(TPM_CAP_PCRS)", tpm_rsp_getcap_pcrs(rsp, (size_t)got, &mt.banks, &rc, &why),
			      rc, why)))
		goto fail;
	if (!mt.banks.n) {
		log_err("measure", "%s has no active PCR bank", mt.node);
		ret = -EPROTO;
		goto fail;
	}
	for (size_t i = 0; i < mt.banks.n; i++) {
		enum sha_alg a;
		if (tpm_alg_sha(mt.banks.alg[i], &a) < 0) {
			/* extending the others would leave this bank matching a boot that never happened */
			log_err("measure", "%s: the %s bank is active and ferry has no digest for it", mt.node,
				tpm_alg_name(mt.banks.alg[i], name, sizeof(name)));
			ret = -ENOTSUP;
			goto fail;
		}
	}
	return 0;
fail:
	close(mt.fd);
	mt.fd = -1;
	return ret;
}

/* Every bank's digest of n bytes, in one pass over them. */
static void mt_digest(struct event *ev, const void *p, size_t n)
{
	struct sha_ctx *c = mt_ctx;
	const unsigned char *b = p;
	uint64_t t0 = mt_now_us();
	enum sha_alg a;

	for (size_t i = 0; i < mt.banks.n; i++) {
		(void)tpm_alg_sha(mt.banks.alg[i], &a);
		sha_init(&c[i], a);
		ev->d[i].alg = mt.banks.alg[i];
	}
	for (size_t off = 0; off < n; off += 1 << 16) {   /* 64 KiB stays in the cache for every bank */
		size_t k = n - off < 1 << 16 ? n - off : 1 << 16;
		for (size_t i = 0; i < mt.banks.n; i++)
			sha_update(&c[i], b + off, k);
	}
	for (size_t i = 0; i < mt.banks.n; i++)
		sha_final(&c[i], ev->d[i].d);
	mt_hash_us += mt_now_us() - t0;
	mt_hashed += n;
}

static void hex(const unsigned char *d, size_t n, char *out)
{
	static const char x[] = "0123456789abcdef";

	for (size_t i = 0; i < n; i++)
		out[2 * i] = x[d[i] >> 4], out[2 * i + 1] = x[d[i] & 15];
	out[2 * n] = 0;
}

/* The log line (each bank's digest cut to 8 hex digits) and the file's lines (README: one per bank). */
static int mt_record(const struct event *ev)
{
	char line[640], full[2 * SHA_MAX_LEN + 1], bank[32];
	size_t o = 0;
	int fd, ret = 0;
	enum sha_alg a;

	for (size_t i = 0; i < mt.banks.n; i++) {
		(void)tpm_alg_sha(ev->d[i].alg, &a);
		hex(ev->d[i].d, 4, full);
		o += (size_t)snprintf(line + o, o < sizeof(line) ? sizeof(line) - o : 0, "%s%s:%s...", i ? " " : "",
				      tpm_alg_name(ev->d[i].alg, bank, sizeof(bank)), full);
	}
	if (ev->device)
		log_info("measure", "PCR %u %s %s (on %s)", ev->pcr, line, ev->what, ev->device);
	else
		log_info("measure", "PCR %u %s the command line \"%s\"", ev->pcr, line, ev->what);
	(void)mkdir("/run/ferry", 0755);
	if ((fd = open(MEASURE_LOG, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644)) < 0) {
		log_err("measure", "%s: %s", MEASURE_LOG, strerror(errno));
		return -errno;
	}
	for (size_t i = 0; !ret && i < mt.banks.n; i++) {
		(void)tpm_alg_sha(ev->d[i].alg, &a);
		hex(ev->d[i].d, sha_len(a), full);
		int n = snprintf(line, sizeof(line), "%u %s %s %s %s ", ev->pcr, tpm_alg_name(ev->d[i].alg, bank, sizeof(bank)),
				 full, ev->kind, ev->device ? ev->device : "-");
		const struct iovec v[] = { { line, (size_t)n }, { (void *)ev->what, strlen(ev->what) }, { "\n", 1 } };
		if (writev(fd, v, 3) != (ssize_t)(v[0].iov_len + v[1].iov_len + 1))
			ret = -EIO;
	}
	if (close(fd) < 0 || ret) {
		log_err("measure", "%s: %s", MEASURE_LOG, strerror(EIO));
		return -EIO;
	}
	return 0;
}

/* Extend one PCR with the event's digests in every bank, then record it. */
static int mt_extend(const struct event *ev)
{
	unsigned char *cmd = mt_cmd, *rsp = mt_rsp;
	const char *why = NULL;
	char what[48];
	uint32_t rc;
	ssize_t got;
	int ret;

	snprintf(what, sizeof(what), "TPM2_PCR_Extend(PCR %u)", ev->pcr);
	if ((ret = mt_transact(what, cmd, tpm_cmd_pcr_extend(cmd, TPM_CMD_MAX, ev->pcr, ev->d, mt.banks.n), rsp, &got)) ||
	    (ret = mt_decoded(what, tpm_rsp_pcr_extend(rsp, (size_t)got, &rc, &why), rc, why)))
		return ret;
	return mt_record(ev);
}

static const char *mt_event(unsigned pcr, const char *kind, const char *what, const char *device, const void *p,
			    size_t n, int *err)
{
	struct event ev = { .pcr = pcr, .kind = kind, .what = what, .device = device };

	mt_digest(&ev, p, n);
	if ((*err = mt_extend(&ev)))
		return !strcmp(kind, "cmdline") ? "measuring the command line into PCR 8" :
		       !strcmp(kind, "kernel") ? "measuring the kernel into PCR 9" : "measuring an initrd into PCR 9";
	return NULL;
}

const char *measure_kload(void *arg, const struct kload_files *f, int *err)
{
	const struct measure_entry *e = arg;
	uint64_t t0 = mt_now_us();
	const char *step;
	int ret;

	*err = 0;
	mt_hash_us = mt_hashed = 0;
	if (plan->measure == MEASURE_OFF)
		return NULL;
	if ((ret = mt_open()) == 1) {
		if (plan->measure == MEASURE_REQUIRED) {
			log_err("measure", "ferry.measure=required and no TPM (%s, %s)", tpm_nodes[0], tpm_nodes[1]);
			return mt_fail(err, -ENODEV, "measuring the kernel (ferry.measure=required: no TPM)");
		}
		log_info("measure", "no TPM (%s, %s): %s not measured", tpm_nodes[0], tpm_nodes[1], e->kernel);
		return NULL;
	}
	if (ret < 0)
		return mt_fail(err, ret, "measuring the kernel (the TPM failed)");
	if ((step = mt_event(MEASURE_PCR_FILES, "kernel", e->kernel, e->device, f->kernel.p, f->kernel.len, err)))
		goto fail;
	for (size_t i = 0; i < f->ninitrd && i < e->ninitrd; i++)
		if ((step = mt_event(MEASURE_PCR_FILES, "initrd", e->initrd[i], e->device, f->initrd[i].p, f->initrd[i].len, err)))
			goto fail;
	if ((step = mt_event(MEASURE_PCR_CMDLINE, "cmdline", f->cmdline, NULL, f->cmdline, strlen(f->cmdline), err)))
		goto fail;
	log_info("measure", "%zu events in %zu bank%s in %llu ms (hashing %llu bytes: %llu ms)", 2 + f->ninitrd,
		 mt.banks.n, mt.banks.n == 1 ? "" : "s", (unsigned long long)((mt_now_us() - t0) / 1000),
		 (unsigned long long)mt_hashed, (unsigned long long)(mt_hash_us / 1000));
	return NULL;
fail:
	/* the next entry asks again: a TPM that timed out may have come back */
	close(mt.fd);
	mt.fd = -1;
	mt_failed = true;
	return step;
}

void measure_plan(const struct boot_plan *p, FILE *out)
{
	if (p->measure == MEASURE_OFF) {
		fprintf(out, "measure: off (ferry.measure=off): nothing is extended before a kexec\n");
		return;
	}
	fprintf(out, "measure: before each kexec, in every active bank of the TPM 2.0 (%s, else %s; banks from "
		"TPM2_GetCapability): PCR %d <- the kernel file as read, then each initrd in order; PCR %d <- the "
		"command line's bytes; logged and appended to %s\n", tpm_nodes[0], tpm_nodes[1], MEASURE_PCR_FILES,
		MEASURE_PCR_CMDLINE, MEASURE_LOG);
	fprintf(out, "measure: %s; a TPM that refuses or does not answer within %d s stops the entry (the next is "
		"tried, then the failure policy)\n", p->measure == MEASURE_REQUIRED ? "ferry.measure=required: no TPM "
		"stops the entry" : "no TPM: the entry boots unmeasured (ferry.measure=required forbids it)",
		MEASURE_TIMEOUT_MS / 1000);
}

void measure_plan_entry(const struct boot_plan *p, size_t idx, const char *kernel, const char *const *initrd,
			size_t ninitrd, const char *cmdline, FILE *out)
{
	if (p->measure == MEASURE_OFF)
		return;
	fprintf(out, "measure: entry %zu: PCR %d <- %s", idx, MEASURE_PCR_FILES, kernel);
	for (size_t i = 0; i < ninitrd; i++)
		fprintf(out, ", %s", initrd[i]);
	fprintf(out, "; PCR %d <- \"%s\"\n", MEASURE_PCR_CMDLINE, cmdline);
}
