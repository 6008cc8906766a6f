/* Handoff by kexec, the LinuxBoot path. The kexec job finds the installed OS's boot entries
 * (grub.cfg, BLS, extlinux.conf) on the devices named by ferry.kexec.device= or on every filesystem
 * libblkid recognises, mounted read-only without replaying a journal, re-checking on each block
 * uevent until it is complete or ferry.timeout= has passed; it logs and publishes them. The handoff
 * then calls kexec_boot(): load the chosen entry with kexec_file_load and fall back through the
 * others; unmount what ferry mounted; reboot into it. What is searched is the plan's decision
 * (bootplan_handoff()). */
#include <dirent.h>
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/statvfs.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "devices.h"
#include "ferry.h"
#include "kexec.h"
#include "netboot.h"
#include "measure.h"
#include "stages.h"
#include "../lib/storage/blk.h"
#include "../lib/boot/bootcfg.h"
#include "../lib/storage/devspec.h"
#include "../lib/boot/kexec.h"
#include "../lib/core/uevent.h"
#include "../lib/boot/kload.h"

#define KX_MAX_FS 16
#define KX_RUN "/run/ferry/kexec"

/* Filesystems looked at: mounted by ferry (mounted = 1) or a directory given as a device. */
static struct kx_fs {
	char dev[BOOT_NAME];
	char mnt[BOOT_NAME];
	int mounted;
	int scanned;
	int probe;          /* 0: not probed yet, 1: its probe is out, 2: answered (or given up) */
	uint64_t since;     /* when its probe started */
} kx_fs[KX_MAX_FS];
static size_t kx_nfs;

/* Read-only and without journal replay: the installed OS must find its disks as it left them. */
static const struct {
	const char *type, *data;
} kx_types[] = {
	{ "ext4", "noload" }, { "ext3", "noload" }, { "ext2", NULL }, { "xfs", "norecovery" },
	{ "btrfs", "rescue=nologreplay" }, { "f2fs", "norecovery" }, { "vfat", NULL }, { "iso9660", NULL },
	{ "squashfs", NULL }, { "erofs", NULL },
};

/* The discovery job's state and result. */
static struct {
	struct job *job;
	struct boot_list *l;         /* the entries found, for kexec_boot() */
	struct handoff_plan h;
	struct loop_timer deadline;
	size_t missing;              /* named devices not there yet */
	bool missed[PLAN_MAX_KEXEC_DEVICES];  /* which, at the last pass */
	bool subscribed;
	struct kx_fs *probing;       /* the filesystem whose probe is out: the pass goes on from it */
	struct kx_tag *looking;      /* the LABEL=/UUID= whose lookup is out: the same */
	bool again;                  /* a uevent came while the pass was stopped: one more, fresh */
	bool rescanning;             /* the menu's rescan (kexec_rescan) is the pass */
	bool final;                  /* the pass at the deadline: nothing new is probed or looked up */
	size_t before;               /* its entry count when it started */
	void (*rescanned)(int added);
} kd = { .deadline = { .fd = -1 } };

/* LABEL= and UUID= (ferry.kexec.device=, grub's search) read every disk: looked up in a bounded
 * child (dev_resolve_async), the pass stopping until the answer is back and going on from the
 * start, where this table gives the answer. Forgotten at each fresh pass: a new disk may hold it. */
static struct kx_tag {
	char spec[BOOT_NAME + 8];
	char node[BOOT_NAME];
	int ret;                     /* 0 found (node), -errno not, 1 the lookup is out */
	uint64_t since;
} kx_tags[8];
static size_t kx_ntags;

static bool kx_busy(void)
{
	return kd.probing || kd.looking;
}

/* A pass runs: discovery, or the menu's rescan. Without one (the handoff) a probe or lookup is
 * waited for, bounded (child_work_wait). */
static bool kx_pass(void)
{
	return (kd.job && kd.job->state == JOB_RUNNING) || kd.rescanning;
}

static const char *kx_data(const char *type, int *known)
{
	*known = 0;
	for (size_t i = 0; i < sizeof(kx_types) / sizeof(kx_types[0]); i++)
		if (!strcmp(kx_types[i].type, type)) {
			*known = 1;
			return kx_types[i].data;
		}
	return NULL;
}

static struct kx_fs *kx_find(const char *dev)
{
	for (size_t i = 0; i < kx_nfs; i++)
		if (!strcmp(kx_fs[i].dev, dev))
			return &kx_fs[i];
	return NULL;
}

/* The probe's answer: mount dev read-only under /run/ferry/kexec/N. f->mnt stays "" when dev
 * holds no filesystem ferry reads (or would not mount). */
static void kx_mount_typed(struct kx_fs *f, int ret, const char *type)
{
	const char *dev = f->dev;
	int known;

	f->probe = 2;
	if (ret < 0)
		return;
	const char *data = kx_data(type, &known);
	if (!known) {
		log_debug("kexec", "%s: %s is not a filesystem ferry reads boot entries from", dev, type);
		return;
	}
	snprintf(f->mnt, sizeof(f->mnt), KX_RUN "/%zu", (size_t)(f - kx_fs));
	(void)mkdir("/run/ferry", 0755);
	(void)mkdir(KX_RUN, 0700);
	if (mkdir(f->mnt, 0700) < 0 && errno != EEXIST) {
		log_warn("kexec", "mkdir %s: %s", f->mnt, strerror(errno));
		f->mnt[0] = 0;
		return;
	}
	if (mount(dev, f->mnt, type, MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, data) < 0) {
		log_warn("kexec", "mounting %s (%s, ro%s%s): %s", dev, type, data ? "," : "", data ? data : "",
			 strerror(errno));
		f->mnt[0] = 0;
		return;
	}
	f->mounted = 1;
	log_debug("kexec", "%s (%s) mounted read-only on %s", dev, type, f->mnt);
}

static bool kx_scan(void);
static void kx_finish(void);
static void kx_resume(void);

/* A probe is back: the filesystem is mounted (or not) and the pass goes on from it. */
static void kx_probed(void *arg, int ret, const char *type)
{
	struct kx_fs *f = arg;

	if (f->probe != 1)
		return;  /* given up at the deadline */
	kd.probing = NULL;
	if (ret == -ETIMEDOUT)
		log_warn("kexec", "probing %s took longer than %u s: skipped", f->dev, plan->timeout_s);
	kx_mount_typed(f, ret, type);
	kx_resume();
}

/* dev's filesystem, mounted once. While a pass runs (discovery, the menu's rescan) the type is
 * probed in a child and f->probe is 1 until the answer (kx_probed); the handoff waits for its
 * probe, bounded by ferry.timeout= (probe_wait). NULL only when the table is full. */
static struct kx_fs *kx_mount(const char *dev)
{
	struct kx_fs *f = kx_find(dev);
	char type[32];
	int ret;

	if (f)
		return f;
	if (kx_nfs == KX_MAX_FS || kd.final)
		return NULL;
	f = &kx_fs[kx_nfs++];
	snprintf(f->dev, sizeof(f->dev), "%s", dev);
	f->since = loop_now_ms();
	if (kx_pass()) {
		if ((ret = probe_async(dev, PROBE_TYPE, NULL, plan->timeout_s, kx_probed, f)) == 0) {
			f->probe = 1;
			kd.probing = f;
			return f;
		}
		log_warn("kexec", "probing %s: %s: skipped", dev, strerror(-ret));
		f->probe = 2;
		return f;
	}
	if ((ret = probe_wait(dev, PROBE_TYPE, NULL, plan->timeout_s, type, sizeof(type))) == -ETIMEDOUT)
		log_warn("kexec", "probing %s took longer than %u s: skipped", dev, plan->timeout_s);
	kx_mount_typed(f, ret, type);
	return f;
}

static void kx_looked(void *arg, const char *node, int err)
{
	struct kx_tag *t = arg;

	if (kd.looking != t)
		return;
	kd.looking = NULL;
	if (err == -ETIMEDOUT)
		log_warn("kexec", "looking up %s took longer than %u s (no answer from %s): taken as not there",
			 t->spec, plan->timeout_s, node && node[0] ? node : "a disk");
	t->ret = err ? err : 0;
	snprintf(t->node, sizeof(t->node), "%s", node && !err ? node : "");
	kx_resume();
}

/* spec (LABEL=, UUID=) during a pass: 0 and its node, -errno not there, 1 its lookup is out (the
 * pass stops; kx_looked resumes it). */
static int kx_lookup(const char *spec, char *node, size_t len)
{
	struct kx_tag *t = NULL;
	int ret;

	for (size_t i = 0; i < kx_ntags; i++)
		if (!strcmp(kx_tags[i].spec, spec))
			t = &kx_tags[i];
	if (t && t->ret <= 0) {
		if (!t->ret && snprintf(node, len, "%s", t->node) >= (int)len)
			return -ENAMETOOLONG;
		return t->ret;
	}
	if (t)
		return 1;
	if (kd.final)
		return -ETIMEDOUT;
	if (kx_ntags == sizeof(kx_tags) / sizeof(*kx_tags)) {
		log_warn("kexec", "%s: more than %zu lookups in one pass: taken as not there", spec,
			 sizeof(kx_tags) / sizeof(*kx_tags));
		return -ENOSPC;
	}
	t = &kx_tags[kx_ntags++];
	snprintf(t->spec, sizeof(t->spec), "%s", spec);
	t->since = loop_now_ms();
	if ((ret = dev_resolve_async(spec, plan->timeout_s * 1000, kx_looked, t)) < 0) {
		static bool said;
		if (!said)  /* no child to be had: as before, on the loop */
			log_warn("kexec", "no child process for looking up %s (%s): looking on the loop, a slow disk "
				 "holds PID 1 meanwhile (said once)", spec, strerror(-ret));
		said = true;
		t->ret = dev_resolve_now(spec, t->node, sizeof(t->node));
		return kx_lookup(spec, node, len);
	}
	t->ret = 1;
	kd.looking = t;
	return 1;
}

/* A ferry.kexec.device= value: a directory (a filesystem already mounted) or a device spec. */
static struct kx_fs *kx_named(const char *spec)
{
	char node[BOOT_NAME];
	struct stat st;

	if (spec[0] == '/' && strncmp(spec, "/dev/", 5) && stat(spec, &st) == 0 && S_ISDIR(st.st_mode)) {
		struct kx_fs *f = kx_find(spec);
		if (f || kx_nfs == KX_MAX_FS)
			return f;
		f = &kx_fs[kx_nfs++];
		snprintf(f->dev, sizeof(f->dev), "%s", spec);
		snprintf(f->mnt, sizeof(f->mnt), "%s", spec);
		return f;
	}
	if ((dev_reads_disks(spec) ? kx_lookup(spec, node, sizeof(node)) : dev_resolve_now(spec, node, sizeof(node))))
		return NULL;
	return kx_mount(node);
}

/* grub's search --fs-uuid/--label: the device node, through libblkid, in a child (kx_lookup).
 * While that is out the file's reading is undone and done again when the answer is back. */
static int kx_search(void *arg, const char *kind, const char *value, char *root, size_t len)
{
	char spec[BOOT_NAME + 8];
	int ret;

	if (kx_busy())
		return -ENOENT;  /* this reading is thrown away */
	snprintf(spec, sizeof(spec), "%s=%s", !strcmp(kind, "label") ? "LABEL" : "UUID", value);
	ret = kx_lookup(spec, root, len);
	return ret > 0 ? -ENOENT : ret;
}

static void kx_scan_fs(struct kx_fs *f, struct boot_list *l)
{
	struct bootscan s = { .mnt = f->mnt, .device = f->dev, .search = kx_search };

	/* the list's header (count, default, error) as it was: a reading stopped by a lookup is undone */
	char hdr[sizeof(*l) - offsetof(struct boot_list, n)];
	int found;

	if (f->scanned || !f->mnt[0] || kx_busy())
		return;
	memcpy(hdr, &l->n, sizeof(hdr));
	found = bootscan_dir(&s, l);
	if (kx_busy()) {
		memcpy(&l->n, hdr, sizeof(hdr));
		return;
	}
	f->scanned = 1;
	if (found <= 0)
		return;
	for (size_t i = 0; i < s.nfiles; i++)
		log_info("kexec", "%s: %s: %zu entr%s%s", f->dev, s.files[i].path, s.files[i].entries,
			 s.files[i].entries == 1 ? "y" : "ies", s.files[i].ret < 0 && s.files[i].ret != -ENOENT ?
			 " (parse error)" : "");
	for (size_t i = 0; i < s.nfiles; i++)
		if (s.files[i].note[0])
			log_warn("kexec", "%s: %s", f->dev, s.files[i].note);
}

/* Every block device with a filesystem, in name order: disks and partitions from /sys/class/block. */
static void kx_scan_all(struct boot_list *l)
{
	struct dirent **names;
	int n = scandir("/sys/class/block", &names, NULL, alphasort);

	for (int i = 0; i < n; i++) {
		const char *d = names[i]->d_name;
		char node[BOOT_NAME + 8];
		/* loop and ram disks are ferry's own or empty; nothing installed boots from them */
		if (d[0] != '.' && strncmp(d, "loop", 4) && strncmp(d, "ram", 3) && strncmp(d, "zram", 4)) {
			snprintf(node, sizeof(node), "/dev/%s", d);
			struct kx_fs *f = kx_busy() ? NULL : kx_mount(node);
			if (f)
				kx_scan_fs(f, l);
		}
		free(names[i]);
	}
	if (n >= 0)
		free(names);
}

/* One pass over the named devices, or every filesystem. true: discovery is complete (nothing to
 * wait for, every named device found, or with a scan of all an entry found). */
static bool kx_scan(void)
{
	kd.missing = 0;
	for (size_t i = 0; i < plan->kexec.ndevices; i++) {
		/* in order: the pass stops at a probe or lookup that is out and goes on when it is back */
		struct kx_fs *f = kx_busy() ? NULL : kx_named(plan->kexec.device[i]);
		if (kx_busy())
			return false;
		kd.missed[i] = !f;
		if (f)
			kx_scan_fs(f, kd.l);
		else
			kd.missing++;
	}
	if (kd.h.scan_all)
		kx_scan_all(kd.l);
	if (kx_busy())
		return false;
	return !kd.h.wait || (kd.h.scan_all ? kd.l->n > 0 : !kd.missing);
}

/* A pass from the start with what was looked up forgotten; while one is stopped, noted for after. */
static bool kx_scan_fresh(void)
{
	if (kx_busy()) {
		kd.again = true;
		return false;
	}
	kd.again = false;
	kx_ntags = 0;
	return kx_scan();
}

static void kx_log_entries(const struct boot_list *l);
static const char *kx_esc(int slot, const char *s);
static void kx_rescan_step(bool fresh);

static void kx_finish(void)
{
	struct kx_fs *f = kd.probing;
	struct kx_tag *t = kd.looking;

	loop_timer_cancel(loop, &kd.deadline);
	if (f) {  /* a probe still out at the deadline: that filesystem is not looked at */
		kd.probing = NULL;
		f->probe = 2;
		probe_cancel(f);
		log_warn("kexec", "probing %s took longer than %llu s: skipped", f->dev,
			 (unsigned long long)(loop_now_ms() - f->since) / 1000);
	}
	if (t) {  /* a lookup: taken as not there, and the pass finished with what is known */
		const char *at = dev_resolve_at(t);
		kd.looking = NULL;
		log_warn("kexec", "looking up %s took longer than %llu s (no answer from %s): taken as not there",
			 t->spec, (unsigned long long)(loop_now_ms() - t->since + 500) / 1000, at[0] ? at : "a disk");
		dev_resolve_cancel(t);
		t->ret = -ETIMEDOUT;
	}
	if (f || t) {  /* no new probe or lookup now: what was not asked yet is not there */
		kd.final = true;
		(void)kx_scan();
		kd.final = false;
	}
	for (size_t i = 0; i < plan->kexec.ndevices; i++)
		if (kd.missed[i])
			log_warn("kexec", "ferry.kexec.device=%s: no such device after %u ms", plan->kexec.device[i],
				 dev_timeout_ms());
	if (kd.l->dropped)
		log_warn("kexec", "more than %d entries: %zu left out", BOOT_MAX_ENTRIES, kd.l->dropped);
	if (kd.l->err[0])
		log_err("kexec", "%s", kx_esc(0, kd.l->err));
	kx_log_entries(kd.l);
}

/* A new or changed block device may hold what is still missing. */
static void kx_uevent(const struct uevent *ev, void *arg)
{
	if (kd.job->state != JOB_RUNNING || !ev->subsystem || strcmp(ev->subsystem, "block") ||
	    (strcmp(ev->action, "add") && strcmp(ev->action, "change")))
		return;
	if (kx_scan_fresh()) {
		kx_finish();
		job_done(kd.job);
	}
}

/* A probe or lookup is back: the pass that stopped at it goes on (then once more, fresh, when a
 * uevent came meanwhile). */
static void kx_resume(void)
{
	bool done;

	if (kd.rescanning) {
		kx_rescan_step(false);
		return;
	}
	if (!kd.job || kd.job->state != JOB_RUNNING)
		return;
	done = kx_scan();
	if (!done && !kx_busy() && kd.again)
		done = kx_scan_fresh();
	if (done) {
		kx_finish();
		job_done(kd.job);
	}
}

static void kx_deadline(void *arg, uint32_t events)
{
	if (kd.job->state != JOB_RUNNING)
		return;
	kx_finish();
	job_done(kd.job);
}

static int kx_start(struct job *j)
{
	int ret;

	kd.job = j;
	kd.h = handoff_decide();
	log_info("kexec", "looking for boot entries: %s", kd.h.why);
	if (!(kd.l = boot_list_new()))
		return job_fail(j, -ENOMEM, "the entry list");
	job_mark("kexec-scan");
	if (kx_scan_fresh()) {
		kx_finish();
		return 0;
	}
	if (!kd.subscribed && (ret = uevent_subscribe(kx_uevent, NULL)) < 0)
		log_warn("kexec", "uevent socket: %s; looking again only at the deadline", strerror(-ret));
	kd.subscribed = true;
	if ((ret = loop_timer_arm(loop, &kd.deadline, dev_timeout_ms(), kx_deadline, NULL)) < 0) {
		kx_finish();
		return 0;
	}
	return JOB_PENDING;
}

static int kx_enabled(void)
{
	return handoff_decide().kexec;
}

/* Discovery: after the root job, so a scan never mounts a device before the root job has (the
 * rw device must be mounted read-write first); the handoff waits for it. */
struct job job_kexec = {
	.name = "kexec",
	.after = { "modules-settle", "crypt", "root" },
	.start = kx_start,
	.enabled = kx_enabled,
};

static void kx_log_entries(const struct boot_list *l)
{
	char line[1024];

	for (size_t i = 0; i < l->n; i++) {
		char at[16] = "";
		if (l->e[i].src_line)
			snprintf(at, sizeof(at), ":%u", l->e[i].src_line);
		boot_entry_describe(&l->e[i], line, sizeof(line));
		log_info("kexec", "entry %zu%s %s:%s%s %s", i, (int)i == l->def ? " (default)" : "", l->e[i].device,
			 kx_esc(0, l->e[i].src_file ? l->e[i].src_file : l->e[i].source), at, line);
		if (l->e[i].undecided[0])
			log_warn("kexec", "entry %zu: not decided here: %s", i, kx_esc(0, l->e[i].undecided));
	}
}

/* The mount holding an entry's files: grub's root when it names a device we can find, else the
 * filesystem the configuration was read from. The handoff is the last step, nothing else runs on
 * the loop: a lookup or probe is waited for here, in a child and bounded by ferry.timeout=. */
static const char *kx_entry_mnt(const struct boot_entry *e, size_t idx)
{
	struct kx_fs *f = NULL;
	char node[BOOT_NAME] = "";
	int ret;

	if (!strncmp(e->root, "/dev/", 5))
		f = kx_mount(e->root);
	else if ((!strncmp(e->root, "UUID=", 5) || !strncmp(e->root, "LABEL=", 6))) {
		if ((ret = dev_resolve_wait(e->root, plan->timeout_s * 1000, node, sizeof(node))) == 0)
			f = kx_mount(node);
		else if (ret == -ETIMEDOUT)
			log_warn("kexec", "entry %zu: looking up %s took longer than %u s (no answer from %s): its "
				 "files are looked for on %s", idx, e->root, plan->timeout_s, node[0] ? node : "a disk",
				 e->device);
	}
	if (!f || !f->mnt[0])
		f = kx_find(e->device);
	return f && f->mnt[0] ? f->mnt : NULL;
}

/* An entry's title (or its command line) for a log line, control characters as \xHH: a quoted grub
 * title with a newline must not split the line. Two slots, for two in one message. */
static const char *kx_esc(int slot, const char *s)
{
	static char buf[2][BOOT_OPTS * 2];

	return boot_escape(s, buf[slot & 1], sizeof(buf[0]));
}

static void kx_fail(const struct boot_entry *e, size_t idx, const char *step, int err)
{
	const char *why = kexec_explain(err), *what = strstr(step, "kernel") || !strncmp(step, "kexec_", 6) ?
		e->kernel : e->initrd[0];

	log_err("kexec", "entry %zu \"%s\": %s (%s%s): %s%s%s", idx, kx_esc(0, e->title), step, what,
		strstr(step, "initrds") ? " ..." : "", strerror(-err), *why ? ": " : "", why);
}

/* kexec_file_load's presence, learnt from the first ENOSYS and kept for the other entries
 * (file_load is set to -1, not known, at the first load: an initialised 5 KiB struct would sit in
 * the binary's .data). */
static struct kload_res kx_res;
static bool kx_res_ready;

/* A kload failure in the log's one shape, naming the file it is about. */
static void kx_load_fail(const struct boot_entry *e, size_t idx, const char *step, int err, const char *dtb)
{
	if (kx_res.refusal)
		log_err("kexec", "entry %zu \"%s\": %s: %s", idx, kx_esc(0, e->title), e->kernel, step);
	else if (strstr(step, "header"))   /* ferry's own reading: the kernel was not asked */
		log_err("kexec", "entry %zu \"%s\": %s (%s): %s", idx, kx_esc(0, e->title), step, e->kernel, strerror(-err));
	else if (strstr(step, "device tree") || strstr(step, "FDTDIR"))
		log_err("kexec", "entry %zu \"%s\": %s (%s): %s", idx, kx_esc(0, e->title), step, dtb, strerror(-err));
	else
		kx_fail(e, idx, step, err);
}

/* Measured boot (init/measure.c): kload hands the files as it read them to measure_kload, before
 * the load syscall; the paths logged are the entry's own, on the filesystem mounted at mnt. */
static void kx_measured(struct kload_req *r, const struct boot_entry *e, const char *mnt)
{
	static const char *rel[BOOT_MAX_INITRD];
	static struct measure_entry m;
	const char *dev = e->device;

	for (size_t i = 0; i < kx_nfs; i++)
		if (!strcmp(kx_fs[i].mnt, mnt))
			dev = kx_fs[i].dev;
	for (size_t i = 0; i < e->ninitrd; i++)
		rel[i] = e->initrd[i];
	m = (struct measure_entry){ .kernel = e->kernel, .initrd = rel, .ninitrd = e->ninitrd, .device = dev };
	r->measure = measure_kload;
	r->measure_arg = &m;
}

/* Load one entry (lib/boot/kload.c does the work). 0 when the kernel holds it, ready for the reboot. */
static int kx_load(const struct boot_entry *e, size_t idx, int refused)
{
	static char kernel[BOOT_PATH + 64], initrd[BOOT_MAX_INITRD][BOOT_PATH + 64], cmd[BOOT_OPTS + 1024],
		dt[BOOT_PATH + 64], fdtdir[BOOT_PATH + 64];
	const char *ip[BOOT_MAX_INITRD], *mnt = kx_entry_mnt(e, idx), *step;
	int err;

	if (!mnt) {
		log_err("kexec", "entry %zu \"%s\": its filesystem (%s) is not mounted", idx, kx_esc(0, e->title),
			e->root[0] ? e->root : e->device);
		return -ENODEV;
	}
	snprintf(kernel, sizeof(kernel), "%s%s", mnt, e->kernel);
	snprintf(dt, sizeof(dt), "%s%s", e->devicetree[0] ? mnt : "", e->devicetree);
	snprintf(fdtdir, sizeof(fdtdir), "%s%s", e->fdtdir[0] ? mnt : "", e->fdtdir);
	for (size_t i = 0; i < e->ninitrd; i++) {
		snprintf(initrd[i], sizeof(initrd[i]), "%s%s", mnt, e->initrd[i]);
		ip[i] = initrd[i];
	}
	if ((err = boot_cmdline(e->options, plan->kexec.remove[0] ? plan->kexec.remove : NULL,
				plan->kexec.append[0] ? plan->kexec.append : NULL, cmd, sizeof(cmd)))) {
		log_err("kexec", "entry %zu \"%s\": command line longer than %zu bytes", idx, kx_esc(0, e->title), sizeof(cmd) - 1);
		return err;
	}
	struct kload_req r = { .kernel = kernel, .initrd = ip, .ninitrd = e->ninitrd, .cmdline = cmd,
		.devicetree = dt, .fdtdir = fdtdir, .fdtfile = plan->kexec.fdtfile[0] ? plan->kexec.fdtfile : NULL,
		.arch = kimg_arch_native(), .refused = refused };
	kx_measured(&r, e, mnt);
	log_info("kexec", "entry %zu \"%s\": loading %s with %zu initrd%s, command line \"%s\"", idx,
		 kx_esc(0, e->title), kernel, e->ninitrd, e->ninitrd == 1 ? "" : "s", kx_esc(1, cmd));
	uint64_t t0 = loop_now_ms();
	if (!kx_res_ready) {
		kx_res.file_load = -1;
		kx_res_ready = true;
	}
	if ((step = kload(&r, &kx_res, &err))) {
		kx_load_fail(e, idx, step, err, kx_res.dtb[0] ? kx_res.dtb : fdtdir);
		return err;
	}
	log_info("kexec", "entry %zu: %s (%s%s%s), %s: %s", idx, kimg_fmt_name(kx_res.fmt),
		 kx_res.fmt != kx_res.inner ? "holding " : "", kx_res.fmt != kx_res.inner ? kimg_fmt_name(kx_res.inner) :
		 "as it is", "", kexec_path_name(kx_res.path), kx_res.why);
	if (kx_res.path == KEXEC_PATH_SEGMENTS)
		log_info("kexec", "entry %zu: device tree %s; Image at 0x%llx, initrd at 0x%llx, tree at 0x%llx", idx,
			 kx_res.dtb, (unsigned long long)kx_res.lay.kernel, (unsigned long long)kx_res.lay.initrd,
			 (unsigned long long)kx_res.lay.dtb);
	char inflated[96] = "";
	if (kx_res.inflated_len)
		snprintf(inflated, sizeof(inflated), ", gzip kernel inflated in %llu.%03llu ms (%zu bytes)",
			 (unsigned long long)(kx_res.inflate_us / 1000), (unsigned long long)(kx_res.inflate_us % 1000),
			 kx_res.inflated_len);
	log_info("kexec", "entry %zu loaded in %llu ms (%s %llu.%03llu ms%s)", idx,
		 (unsigned long long)(loop_now_ms() - t0), kexec_path_name(kx_res.path),
		 (unsigned long long)(kx_res.syscall_us / 1000), (unsigned long long)(kx_res.syscall_us % 1000), inflated);
	return 0;
}

/* Mount points in /proc/self/mounts escape space, tab, newline and backslash as \ooo. */
static void kx_unescape(char *s)
{
	char *o = s;

	for (; *s; s++, o++) {
		if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' && s[2] >= '0' && s[2] <= '7' && s[3] >= '0' && s[3] <= '7') {
			*o = (char)((s[1] - '0') * 64 + (s[2] - '0') * 8 + (s[3] - '0'));
			s += 3;
		} else
			*o = *s;
	}
	*o = 0;
}

/* What kx_readonly_rest made read-only, with the per-mount flags to restore if the kexec fails. */
static struct { char mnt[256]; unsigned long flags; } kx_ro[16];
static size_t kx_nro;

/* Every other block-device filesystem still mounted (a root the root job built, a crypt volume)
 * goes read-only, so the next kernel finds clean filesystems. */
static void kx_readonly_rest(void)
{
	char src[256], mnt[256], type[64], opts[512];
	FILE *f = fopen("/proc/self/mounts", "re");
	struct statvfs sv;

	kx_nro = 0;
	while (f && fscanf(f, "%255s %255s %63s %511s %*d %*d", src, mnt, type, opts) == 4) {
		if (strncmp(src, "/dev/", 5) || (!strncmp(opts, "ro", 2) && (opts[2] == ',' || !opts[2])))
			continue;
		kx_unescape(mnt);
		if (kx_nro == sizeof(kx_ro) / sizeof(*kx_ro) || statvfs(mnt, &sv) < 0) {
			log_warn("kexec", "%s (%s) left read-write: it could not be restored if the kexec failed", mnt, src);
			continue;
		}
		if (mount(NULL, mnt, NULL, MS_REMOUNT | MS_RDONLY, NULL) < 0) {
			log_warn("kexec", "remounting %s (%s) read-only: %s", mnt, src, strerror(errno));
			continue;
		}
		log_debug("kexec", "%s (%s) remounted read-only", mnt, src);
		snprintf(kx_ro[kx_nro].mnt, sizeof(kx_ro[kx_nro].mnt), "%s", mnt);
		/* ST_NOSUID... are the MS_ values: the per-mount flags a plain remount would reset */
		kx_ro[kx_nro++].flags = sv.f_flag & (MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_NOATIME |
						     MS_NODIRATIME | MS_RELATIME | MS_SYNCHRONOUS);
	}
	if (f)
		fclose(f);
}

/* The kexec failed: what went read-only for it is read-write again, for the fallback boot (an
 * overlay whose rw device stayed read-only would fail every write of the target). */
static void kx_restore_rw(void)
{
	for (size_t i = kx_nro; i-- > 0;) {
		if (mount(NULL, kx_ro[i].mnt, NULL, MS_REMOUNT | kx_ro[i].flags, NULL) < 0)
			log_err("kexec", "remounting %s read-write again: %s", kx_ro[i].mnt, strerror(errno));
		else
			log_info("kexec", "%s read-write again for the fallback", kx_ro[i].mnt);
	}
	kx_nro = 0;
}

static void kx_unmount_all(void)
{
	for (size_t i = kx_nfs; i-- > 0;) {
		struct kx_fs *f = &kx_fs[i];
		if (!f->mounted)
			continue;
		if (umount(f->mnt) < 0 && umount2(f->mnt, MNT_DETACH) < 0)
			log_warn("kexec", "unmounting %s: %s", f->mnt, strerror(errno));
		f->mounted = 0;
		f->mnt[0] = 0;
	}
}

static int kx_reboot(void)
{
	int ret;

	kx_unmount_all();
	kx_readonly_rest();
	watchdog_handoff();
	job_mark("kexec-reboot");
	log_info("kexec", "reboot(LINUX_REBOOT_CMD_KEXEC) at %llu ms", (unsigned long long)loop_now_ms());
	ret = kexec_reboot();
	log_err("kexec", "reboot(LINUX_REBOOT_CMD_KEXEC): %s", strerror(-ret));
	kload_unload();
	kx_restore_rw();
	return ret;
}

/* ---- the boot menu's hooks (init/menu.c) ----------------------------------------------------- */
static int kx_chosen = -1;   /* the menu's choice, a list index; -1: none */

struct boot_list *kexec_entries(void)
{
	return kd.l;
}

/* The rescan's pass went as far as it can: stopped at a probe or lookup (kx_resume comes back
 * here), or done: the new entries are logged and the menu told. */
static void kx_rescan_step(bool fresh)
{
	void (*fn)(int added);
	char line[1024];

	(void)(fresh ? kx_scan_fresh() : kx_scan());
	if (!kx_busy() && kd.again)
		(void)kx_scan_fresh();
	if (kx_busy())
		return;
	fn = kd.rescanned;
	kd.rescanning = false;
	kd.rescanned = NULL;
	for (size_t i = kd.before; i < kd.l->n; i++) {
		boot_entry_describe(&kd.l->e[i], line, sizeof(line));
		log_info("kexec", "entry %zu %s:%s %s", i, kd.l->e[i].device, kd.l->e[i].source, line);
	}
	if (fn)
		fn((int)(kd.l->n - kd.before));
}

/* The devices again, as discovery looks at them (only what was not read yet is read), each probe
 * and lookup in a bounded child: done(added) from the loop once the pass is through. One pass at
 * a time: a rescan asked for while one is out makes it look once more. */
int kexec_rescan(void (*done)(int added))
{
	if (!kd.l)
		return -ENOENT;
	if (kd.rescanning) {
		kd.again = true;
		kd.rescanned = done;
		return 0;
	}
	kd.rescanning = true;
	kd.rescanned = done;
	kd.before = kd.l->n;
	kx_rescan_step(true);
	return 0;
}

/* The handoff: a rescan still out is dropped (its probe or lookup killed). */
static void kx_rescan_cancel(void)
{
	if (kd.probing) {
		kd.probing->probe = 2;
		probe_cancel(kd.probing);
		log_warn("kexec", "probing %s: dropped at the handoff", kd.probing->dev);
		kd.probing = NULL;
	}
	if (kd.looking) {
		dev_resolve_cancel(kd.looking);
		log_warn("kexec", "looking up %s: dropped at the handoff", kd.looking->spec);
		kd.looking = NULL;
	}
	kd.rescanning = false;
	kd.rescanned = NULL;
}

void kexec_choose(int idx)
{
	kx_chosen = idx;
}

int kexec_boot(void)
{
	struct boot_list *l = kd.l;
	char chosen[16];
	const char *want = plan->kexec.entry[0] ? plan->kexec.entry : NULL;
	size_t order[BOOT_MAX_ENTRIES], n;
	int matched, ret = -ENOENT, refused = 0;

	if (!l)
		return -ENOENT;  /* discovery did not run */
	kx_rescan_cancel();
	kd.l = NULL;
	if (kx_chosen >= 0 && (size_t)kx_chosen < l->n) {  /* the menu's choice first, then the others */
		snprintf(chosen, sizeof(chosen), "%d", kx_chosen);
		want = chosen;
	}
	n = boot_order(l, want, order, BOOT_MAX_ENTRIES, &matched);
	if (!matched)
		log_warn("kexec", "ferry.kexec.entry=%s names no bootable entry: trying the default first", want);
	if (!n)
		log_msg(plan->mode == BOOT_KEXEC ? LOG_ERR : LOG_INFO, "kexec", "no bootable entry found on %s",
			plan->kexec.ndevices ? "the ferry.kexec.device= devices" : "any filesystem");
	/* ferry.netboot='s entry (init/netboot.c) comes before the disks'. */
	for (size_t i = 0; (ret = netboot_load(i, refused)) != -ENOENT; i++) {
		if (ret == 0) {
			ret = kx_reboot();
			n = 0;  /* the disks are unmounted now: none of theirs can follow */
			break;
		}
		refused |= kexec_signature_refused(ret) || ret == -EPERM;
	}
	for (size_t i = 0; i < n; i++) {
		ret = kx_load(&l->e[order[i]], order[i], refused);
		if (ret == 0) {
			ret = kx_reboot();
			break;  /* the entries' filesystems are unmounted now; nothing else can be loaded */
		}
		/* Under lockdown an image without a trusted signature gives EPERM: the next entry may be
		 * signed, so go on, but like a refused signature it rules out any unverified fallback. */
		refused |= kexec_signature_refused(ret) || ret == -EPERM;
		if (ret == -ENOSYS)
			break;  /* no kexec_file_load in this kernel: no other entry can fare better */
	}
	kx_unmount_all();
	free(l);
	if (refused)
		log_err("kexec", "an image was refused for its signature or by lockdown: no fallback to an unverified boot");
	if (!refused && measure_failed())
		return -ENOTRECOVERABLE;   /* the TPM failed: no fallback boots unmeasured (handoff.c) */
	return refused ? -EKEYREJECTED : ret < 0 ? ret : -ENOENT;
}

/* ---- ferry plan ------------------------------------------------------------------------------- */
static const char *opt(const char *s)
{
	return s[0] ? s : NULL;
}

/* Which syscall an entry would take on this architecture, and why (kexec_choose_path). */
static void kx_plan_path(const struct boot_entry *e, size_t i, FILE *out)
{
	struct kexec_path_in in = { .arch = kimg_arch_native(), .file_load = -1,
		.needs_dt = e->devicetree[0] || e->fdtdir[0] };
	const char *why;
	enum kexec_path p = kexec_choose_path(&in, &why);

	if (e->problem)
		return;
	fprintf(out, "kexec:   entry %zu: %s: %s%s\n", i, kexec_path_name(p), why,
		e->uki && in.arch == KARCH_AARCH64 && !in.needs_dt ? " (kexec_load if the UKI carries a .dtb)" : "");
	if (p == KEXEC_PATH_SEGMENTS || (p == KEXEC_PATH_FILE && in.arch == KARCH_AARCH64))
		fprintf(out, "kexec:   entry %zu: for kexec_load the device tree is %s%s%s%s, its /chosen rewritten "
			"(bootargs, initrd, fresh kaslr-seed and rng-seed)\n", i, e->devicetree[0] ? e->devicetree :
			e->fdtdir[0] ? "the board's .dtb in FDTDIR " : "the running one (/sys/firmware/fdt)",
			e->devicetree[0] ? "" : e->fdtdir, e->devicetree[0] || !e->fdtdir[0] ? "" :
			plan->kexec.fdtfile[0] ? "/" : " (by the board's compatible)",
			e->devicetree[0] || !e->fdtdir[0] ? "" : plan->kexec.fdtfile);
}

static void kx_plan_measure(const struct boot_plan *p, const struct boot_entry *e, size_t i, const char *cmd,
			    FILE *out)
{
	const char *rel[BOOT_MAX_INITRD];

	for (size_t k = 0; k < e->ninitrd; k++)
		rel[k] = e->initrd[k];
	measure_plan_entry(p, i, e->kernel, rel, e->ninitrd, cmd, out);
}

static void kx_plan_dir(const struct boot_plan *p, const char *dir, FILE *out)
{
	struct boot_list *l = boot_list_new();
	struct bootscan s = { .mnt = dir, .device = dir };
	size_t order[BOOT_MAX_ENTRIES], n;
	char line[1024];
	int matched;

	if (!l)
		return;
	(void)bootscan_dir(&s, l);
	for (size_t i = 0; i < s.nfiles; i++)
		fprintf(out, "kexec:   %s: %zu entries%s%s\n", s.files[i].path, s.files[i].entries,
			s.files[i].note[0] ? "; " : "", kx_esc(0, s.files[i].note));
	if (l->err[0])
		fprintf(out, "kexec:   error: %s\n", kx_esc(0, l->err));
	for (size_t i = 0; i < l->n; i++) {
		const struct boot_entry *e = &l->e[i];
		boot_entry_describe(e, line, sizeof(line));
		fprintf(out, "kexec:   entry %zu%s %s\n", i, (int)i == l->def ? " (default)" : "", line);
		if (e->src_line)
			fprintf(out, "kexec:   entry %zu: defined at %s:%u\n", i, kx_esc(0, e->src_file ? e->src_file : e->source),
				e->src_line);
		else
			fprintf(out, "kexec:   entry %zu: defined in %s\n", i, kx_esc(0, e->source));
		if (e->undecided[0])
			fprintf(out, "kexec:   entry %zu: not decided at plan time: %s\n", i, kx_esc(0, e->undecided));
		kx_plan_path(&l->e[i], i, out);
	}
	if (l->dropped)
		fprintf(out, "kexec:   more than %d entries (ferry's bound): %zu left out\n", BOOT_MAX_ENTRIES, l->dropped);
	n = boot_order(l, opt(p->kexec.entry), order, BOOT_MAX_ENTRIES, &matched);
	if (!matched)
		fprintf(out, "kexec:   ferry.kexec.entry=%s names no bootable entry here\n", p->kexec.entry);
	fprintf(out, "kexec:   order:");
	for (size_t i = 0; i < n; i++)
		fprintf(out, " %zu", order[i]);
	fprintf(out, "%s\n", n ? "" : " none");
	if (n && boot_cmdline(l->e[order[0]].options, opt(p->kexec.remove), opt(p->kexec.append), line,
			      sizeof(line)) == 0) {
		fprintf(out, "kexec:   command line of entry %zu: %s\n", order[0], line);
		kx_plan_measure(p, &l->e[order[0]], order[0], line, out);
	}
	free(l);
}

static void kx_plan_devices(const struct boot_plan *p, const struct handoff_plan *h, FILE *out)
{
	struct stat st;

	for (size_t i = 0; i < p->kexec.ndevices; i++) {
		const char *d = p->kexec.device[i];
		if (d[0] == '/' && strncmp(d, "/dev/", 5) && stat(d, &st) == 0 && S_ISDIR(st.st_mode)) {
			fprintf(out, "kexec: %s: a directory, read as a mounted filesystem:\n", d);
			kx_plan_dir(p, d, out);
		} else
			fprintf(out, "kexec: device %s, mounted read-only without journal replay%s\n", d,
				h->wait ? "; waited for up to ferry.timeout=" : "");
	}
	if (h->scan_all)
		fprintf(out, "kexec: every block device with a filesystem libblkid knows, mounted read-only without "
			"journal replay (ext3/4 noload, xfs/f2fs norecovery, btrfs rescue=nologreplay)%s\n",
			h->wait ? "; looked at again on each new device until one has entries (ferry.timeout=)" :
			", looked at once");
}

void kexec_plan(const struct boot_plan *p, FILE *out)
{
	struct handoff_plan h = bootplan_handoff(p, false), here = bootplan_handoff(p, true);

	if (!h.kexec) {
		fprintf(out, "kexec: off: %s\n", h.why);
		return;
	}
	fprintf(out, "kexec: %s%s\n", h.why, here.kexec ? "" : " (unless the initramfs has its rootinit)");
	fprintf(out, "kexec: if no entry boots: %s\n", p->root.given ? "switch_root into root=" :
		"rootinit in the initramfs, else the failure policy");
	kx_plan_devices(p, &h, out);
	fprintf(out, "kexec: on each: grub.cfg (/boot/grub, /grub, grub2), else BLS entries (/loader/entries, "
		"/boot/loader/entries), then extlinux.conf / syslinux.cfg\n");
	fprintf(out, "kexec: first %s, then every other entry in order\n", p->kexec.entry[0] ? p->kexec.entry :
		"the default of the first configuration found");
	fprintf(out, "kexec: command line: the entry's options%s%s%s%s\n", p->kexec.remove[0] ? ", without " : "",
		p->kexec.remove, p->kexec.append[0] ? ", then " : "", p->kexec.append);
	fprintf(out, "kexec: an extlinux FDTDIR's device tree: %s%s\n", p->kexec.fdtfile[0] ? "FDTDIR/" :
		"by the board's compatible (/proc/device-tree/compatible)", p->kexec.fdtfile);
	measure_plan(p, out);
	fprintf(out, "kexec: syscall: kexec_file_load when the kernel has it and the entry names no device tree; "
		"%s\n", kimg_arch_native() == KARCH_AARCH64 ? "else ferry's own kexec_load (never after a signature "
		"or lockdown refusal)" : "ferry's own kexec_load is arm64's only");
	menu_plan(p, out);
}
