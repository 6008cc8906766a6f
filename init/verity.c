/* The root job's verity step: with roothash=, the lower is /dev/mapper/root-verity, a dm-verity
 * mapping of the data device checked against the hash tree, opened before the root is mounted and
 * trusted only after one read of its first block through the mapping. The root job calls
 * root_verity() first thing once its devices are there; every value comes from the plan. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <linux/fs.h>
#include <keyutils.h>
#include "devices.h"
#include "ferry.h"
#include "stages.h"
#include "verity.h"
#include "../lib/core/fileio.h"
#include "../lib/crypt/dm.h"
#include "../lib/crypt/keys.h"
#include "../lib/storage/devspec.h"
#include "../lib/storage/verity.h"

#define MAPPED "/dev/mapper/" VERITY_NAME
#define SIG_KEY "ferry:" VERITY_NAME "-sig"   /* the user key the table names */
#define SIG_MAX 65536
#define SIG_DIR "/run/ferry/verity-sig"       /* ferry.verity.sigdev=: its filesystem, read-only, for the read */
#define SIG_COPY "/run/ferry/verity-sig.p7s"  /* ... and the signature copied out of it, for PID 1 */

static struct {
	struct job *job;
	void (*resume)(void);
	char hash[DEVSPEC_MAX + 8];     /* the hash device's node, once it is there */
	bool mapped;
	bool created;                   /* the check-mode mapping exists (its check read went out) */
	struct dm_ctl c;                /* ... kept open for the reload, with the signature's key */
	int32_t key;
	uint64_t start_ms;              /* when the mapping's first step began (the devices were there) */
	/* root-hash-signature=: its bytes, read once (from the initramfs, or from ferry.verity.sigdev=) */
	uint8_t sig[SIG_MAX];
	size_t sig_len;
	bool sig_read;
	char signode[DEVSPEC_MAX + 8];  /* ferry.verity.sigdev='s node, once it is there */
	char sigtype[32];               /* ... its filesystem, once probed */
	bool sig_out;                   /* the probe or the bounded read is out */
	bool sig_answered;
	struct sig_answer {
		int ret;                /* 0: copied to SIG_COPY; -errno; -ETIMEDOUT: the bound */
		char step[32];          /* what failed: "mounting", "reading", "copying" */
	} sa;
} vs;

/* The two reads of the disks (the superblock, the first block through the mapping) run in a
 * bounded child: a dying disk holds that child, not the loop. Each is made once; the step that
 * wanted it runs again from vs.resume() when its answer is in. */
enum { VR_SB, VR_CHECK };
struct vread_answer {
	int ret;                        /* bytes read, -errno, or -ETIMEDOUT (the bound) */
	bool opening;                   /* the error is open(2)'s */
	uint8_t buf[VERITY_SB_SIZE];    /* the first bytes read */
};
static struct vread {
	char node[DEVSPEC_MAX + 16];
	uint64_t off;
	uint32_t len;
	bool out, answered;
	struct vread_answer a;
} vr[2];

/* Whole aligned blocks (the check read) are read O_DIRECT: one data block hashed by dm-verity, not
 * the page cache's readahead of four (squashfs and erofs read the device by bios of their own, so
 * those pages would only be hashed and dropped). A device that refuses O_DIRECT (EINVAL, at the
 * open or at the read) is read through the cache. */
static void vread_now(const struct vread *r, struct vread_answer *a)
{
	bool direct = r->off % 4096 == 0 && r->len % 4096 == 0;
	char *buf = direct ? aligned_alloc(4096, r->len) : malloc(r->len);
	int fd = open(r->node, O_RDONLY | O_CLOEXEC | (direct ? O_DIRECT : 0));
	ssize_t n = -1;

	if (fd < 0 && direct && errno == EINVAL)
		fd = open(r->node, O_RDONLY | O_CLOEXEC), direct = false;
	if (buf && fd >= 0 && (n = pread(fd, buf, r->len, (off_t)r->off)) < 0 && direct && errno == EINVAL) {
		(void)close(fd);
		if ((fd = open(r->node, O_RDONLY | O_CLOEXEC)) >= 0)
			n = pread(fd, buf, r->len, (off_t)r->off);
	}
	if (!buf || fd < 0) {
		a->ret = buf ? -errno : -ENOMEM;
		a->opening = fd < 0;
	} else if (n < 0) {
		a->ret = -errno;
	} else {
		a->ret = (int)n;
		memcpy(a->buf, buf, (size_t)n < sizeof(a->buf) ? (size_t)n : sizeof(a->buf));
	}
	if (fd >= 0)
		(void)close(fd);
	free(buf);
}

static int vread_work(int fd, void *arg)
{
	struct vread_answer a = { 0 };

	vread_now(arg, &a);  /* the child's copy */
	return fd_write_all(fd, &a, sizeof(a));
}

static void vread_done(void *arg, const void *res, size_t n, int status)
{
	struct vread *r = arg;

	r->a = (struct vread_answer){ .ret = -EIO };  /* the child died without an answer */
	if (status == CHILD_TIMED_OUT)
		r->a.ret = -ETIMEDOUT;
	else if (n == sizeof(r->a))
		memcpy(&r->a, res, sizeof(r->a));
	r->out = false;
	r->answered = true;
	if (vs.job->state == JOB_RUNNING)
		vs.resume();
}

/* 0: the answer is in r->a; JOB_PENDING: the read is out. Without a child, read here. */
static int vread(struct vread *r, const char *node, uint64_t off, uint32_t len)
{
	if (r->answered)
		return 0;
	if (r->out)
		return JOB_PENDING;
	snprintf(r->node, sizeof(r->node), "%s", node);
	r->off = off;
	r->len = len;
	if (child_work_bounded(vread_work, r, plan->timeout_s * 1000, vread_done, r) == 0) {
		r->out = true;
		return JOB_PENDING;
	}
	r->a = (struct vread_answer){ 0 };
	vread_now(r, &r->a);
	r->answered = true;
	return 0;
}

struct vdev {
	const char *node;
	dev_t rdev;
	uint64_t bytes;
};

static int vdev_open(struct vdev *d, const char *node)
{
	struct stat st;
	int fd = open(node, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY), ret = 0;

	d->node = node;
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) < 0 || !S_ISBLK(st.st_mode))
		ret = errno ? -errno : -ENOTBLK;
	else if (ioctl(fd, BLKGETSIZE64, &d->bytes) < 0)
		ret = -errno;
	d->rdev = st.st_rdev;
	(void)close(fd);
	return ret;
}

/* The superblock at hash-offset= on the hash device. JOB_PENDING while its read is out. */
static int read_sb(const struct vdev *h, struct verity_sb *sb)
{
	uint64_t off = verity_sb_offset(&plan->verity.opts);
	struct vread *r = &vr[VR_SB];
	const char *why = "";
	int ret, n;

	if ((ret = vread(r, h->node, off, VERITY_SB_SIZE)))
		return ret;
	if ((n = r->a.ret) == -ETIMEDOUT)
		return job_fail(vs.job, 0, "verity: reading the superblock of %s took longer than %u s", h->node,
				plan->timeout_s);
	if (n < 0 && r->a.opening)
		return job_fail(vs.job, n, "verity: opening the hash device %s", h->node);
	if (n < 0)
		return job_fail(vs.job, n, "verity: reading the superblock of %s at byte %llu", h->node,
				(unsigned long long)off);
	if ((size_t)n < VERITY_SB_SIZE || (ret = verity_sb_parse(r->a.buf, VERITY_SB_SIZE, sb, &why)) < 0)
		return job_fail(vs.job, 0, "verity: %s at byte %llu of %s%s", (size_t)n < VERITY_SB_SIZE ?
				"the superblock is past the device's end" : why, (unsigned long long)off, h->node,
				ret == -ENODATA ? " (superblock=no when the image has none; hash-offset= says where)" : "");
	return 0;
}

static void unmap(void)
{
	struct dm_ctl c;
	int r;

	if (dm_open(&c) < 0)
		return;
	if ((r = dm_remove(&c, VERITY_NAME)) < 0)
		log_err("root", "verity: removing the mapping: %s", strerror(-r));
	dm_close(&c);
}

/* The table as given, and first with the kernel's default answer to a bad block (EIO): a
 * restart-on- or panic-on-corruption table would restart or panic at the check read instead of
 * letting ferry name a wrong root hash. The chosen mode is loaded once the check passed. */
/* ferry.verity.sigdev=: the signature is on a filesystem of a device, not in the initramfs. That
 * device is waited for, its type probed (probe_async), and then a bounded child mounts it
 * read-only (no journal replay: nothing is written to it), copies root-hash-signature=PATH to
 * SIG_COPY in /run and unmounts it; PID 1 reads the copy. A dying disk holds that child, not the
 * loop; at the bound the step fails by name. */
static void sig_umount(void *arg)
{
	if (umount2(SIG_DIR, MNT_DETACH) == 0 || errno == EINVAL)
		(void)rmdir(SIG_DIR);
}

static int sig_work(int fd, void *arg)
{
	const char *opts = !strncmp(vs.sigtype, "ext", 3) ? "norecovery" : NULL;
	struct sig_answer a = { 0 };
	char path[sizeof(SIG_DIR) + VERITY_PATH_MAX];
	ssize_t n = 0;

	snprintf(path, sizeof(path), SIG_DIR "%s", plan->verity.opts.signature);
	if (mkdir(SIG_DIR, 0700) < 0 && errno != EEXIST) {
		a.ret = -errno;
		snprintf(a.step, sizeof(a.step), "making a mount point for");
	} else if (mount(vs.signode, SIG_DIR, vs.sigtype, MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, opts) < 0) {
		a.ret = -errno;
		snprintf(a.step, sizeof(a.step), "mounting");
	} else {
		/* into the child's copy of vs.sig: PID 1 reads SIG_COPY */
		if ((n = keys_read_file(path, vs.sig, sizeof(vs.sig))) < 0) {
			a.ret = (int)n;
			snprintf(a.step, sizeof(a.step), "reading");
		} else if ((a.ret = file_write_atomic(SIG_COPY, (const char *)vs.sig, (size_t)n)) < 0) {
			snprintf(a.step, sizeof(a.step), "copying");
		}
		sig_umount(NULL);
	}
	return fd_write_all(fd, &a, sizeof(a));
}

static void sig_done(void *arg, const void *res, size_t n, int status)
{
	vs.sa = (struct sig_answer){ .ret = -EIO, .step = "reading" };  /* the child died without an answer */
	if (status == CHILD_TIMED_OUT) {
		vs.sa.ret = -ETIMEDOUT;
		child_when_gone(sig_umount, NULL);  /* it may have mounted before it stalled */
	} else if (n == sizeof(vs.sa)) {
		memcpy(&vs.sa, res, sizeof(vs.sa));
	}
	vs.sig_out = false;
	vs.sig_answered = true;
	if (vs.job->state == JOB_RUNNING)
		vs.resume();
}

static void sig_probed(void *arg, int ret, const char *type)
{
	vs.sig_out = false;
	if (vs.job->state != JOB_RUNNING)
		return;
	if (ret < 0) {
		job_fail(vs.job, ret == -ETIMEDOUT ? 0 : ret, "verity: ferry.verity.sigdev=%s (%s): %s",
			 plan->verity.sigdev, vs.signode, ret == -ETIMEDOUT ? "probing it took too long" :
			 "no filesystem found on it");
		return;
	}
	snprintf(vs.sigtype, sizeof(vs.sigtype), "%s", type);
	vs.resume();
}

static void on_sigdev(void *arg, const char *node, int err)
{
	vs.sig_out = false;
	if (vs.job->state != JOB_RUNNING)
		return;
	if (err) {
		job_fail(vs.job, err, "verity: ferry.verity.sigdev=%s not found within %u s", plan->verity.sigdev,
			 dev_timeout_ms() / 1000);
		return;
	}
	snprintf(vs.signode, sizeof(vs.signode), "%s", node);
	vs.resume();
}

/* 0 once the signature's bytes are in vs.sig (or none is wanted), JOB_PENDING while a step is
 * out, or the job's failure. Runs again from vs.resume() until done. */
static int sig_load(void)
{
	const char *path = plan->verity.opts.signature, *from = SIG_COPY, *dev = plan->verity.sigdev;
	char alias[48];
	ssize_t n;
	int ret;

	if (!path[0] || vs.sig_read)
		return 0;
	if (vs.sig_out)
		return JOB_PENDING;
	if (!dev[0]) {
		from = path;
	} else if (!vs.signode[0]) {
		if ((ret = dev_wait(dev, dev_timeout_ms(), plan->root.rootwait, on_sigdev, NULL)) < 0)
			return job_fail(vs.job, ret, "verity: waiting for ferry.verity.sigdev=%s", dev);
		vs.sig_out = true;  /* until on_sigdev */
		return JOB_PENDING;
	} else if (!vs.sigtype[0]) {
		if ((ret = probe_async(vs.signode, PROBE_TYPE, NULL, plan->timeout_s, sig_probed, NULL)) < 0)
			return job_fail(vs.job, ret, "verity: probing ferry.verity.sigdev=%s (%s)", dev, vs.signode);
		vs.sig_out = true;
		return JOB_PENDING;
	} else if (!vs.sig_answered) {
		snprintf(alias, sizeof(alias), "fs-%s", vs.sigtype);
		(void)modules_load(alias);
		(void)mkdir("/run/ferry", 0755);
		if ((ret = child_work_bounded(sig_work, NULL, plan->timeout_s * 1000, sig_done, NULL)) < 0)
			return job_fail(vs.job, ret, "verity: reading the root hash signature from %s", vs.signode);
		vs.sig_out = true;
		return JOB_PENDING;
	} else if (vs.sa.ret == -ETIMEDOUT) {
		return job_fail(vs.job, 0, "verity: reading the root hash signature %s on %s (%s) took longer "
				"than %u s", path, dev, vs.signode, plan->timeout_s);
	} else if (vs.sa.ret < 0) {
		return job_fail(vs.job, vs.sa.ret, "verity: %s the root hash signature %s on %s (%s, %s)",
				vs.sa.step, path, dev, vs.signode, vs.sigtype);
	}
	n = keys_read_file(from, vs.sig, sizeof(vs.sig));
	if (dev[0])
		(void)unlink(SIG_COPY);
	if (n < 0)
		return job_fail(vs.job, n, "verity: reading the root hash signature %s%s%s", path,
				dev[0] ? " on " : "", dev);
	if (!n)
		return job_fail(vs.job, 0, "verity: the root hash signature %s%s%s is empty", path,
				dev[0] ? " on " : "", dev);
	vs.sig_len = (size_t)n;
	vs.sig_read = true;
	return 0;
}

/* root-hash-signature=: the PKCS#7 bytes as a `user` key in our process keyring, where the
 * kernel's request_key finds it while our table load runs; unlinked right after. 0 without a
 * signature, the key's serial, or the job's failure. */
static int32_t sig_key(void)
{
	int32_t key;

	if (!vs.sig_read)
		return 0;
	key = add_key("user", SIG_KEY, vs.sig, vs.sig_len, KEY_SPEC_PROCESS_KEYRING);
	if (key < 0)
		return job_fail(vs.job, -errno, "verity: adding the root hash signature %s as a user key",
				plan->verity.opts.signature);
	return key;
}

static void unmap_gone(void *arg)
{
	unmap();
}

/* JOB_PENDING while the check read is out: the mapping exists then, vs.c and vs.key are kept for
 * the reload, and map() runs again from vs.resume() to go on from the read's answer. */
static int map(const struct vdev *d, const struct vdev *h, const struct verity_params *vp)
{
	char table[VERITY_TABLE_MAX], first[VERITY_TABLE_MAX], uuid[64];
	struct verity_params eio = *vp;
	struct vread *r = &vr[VR_CHECK];
	struct dm_ctl c;
	const char *step;
	dev_t dev;
	int ret;

	const char *sig = plan->verity.opts.signature[0] ? SIG_KEY : NULL;
	int32_t key;

	eio.mode = VERITY_EIO;
	if (verity_table(vp, major(d->rdev), minor(d->rdev), major(h->rdev), minor(h->rdev), sig, table,
			 sizeof(table)) < 0 ||
	    verity_table(&eio, major(d->rdev), minor(d->rdev), major(h->rdev), minor(h->rdev), sig, first,
			 sizeof(first)) < 0)
		return job_fail(vs.job, -E2BIG, "verity: building the table");
	const struct dm_target t = { 0, verity_sectors(vp), "verity", first };
	if (vs.created) {  /* back from the check read */
		c = vs.c;
		key = vs.key;
		goto checked;
	}
	if ((ret = dm_open(&c)) < 0)
		return job_fail(vs.job, ret, "verity: opening %s (device-mapper missing: dm_mod, dm_verity)", DM_CONTROL);
	if ((key = sig_key()) < 0) {
		dm_close(&c);
		return key;
	}
	/* cryptsetup's prefix: lsblk and udev rules know a verity device by "CRYPT-VERITY-" */
	snprintf(uuid, sizeof(uuid), "CRYPT-VERITY-ferry-%s", VERITY_NAME);
	step = dm_create(&c, VERITY_NAME, uuid, &t, 1, true, &dev);
	ret = -errno;
	if (step) {
		if (key > 0)
			(void)keys_release(key);
		dm_close(&c);
		if (sig && (ret == -EKEYREJECTED || ret == -ENOKEY || ret == -EBADMSG || ret == -EKEYREVOKED))
			return job_fail(vs.job, ret, "verity: the kernel refused the root hash signature %s for %s "
					"(not made by a key in its trusted keyring, or not for roothash=)",
					plan->verity.opts.signature, d->node);
		return job_fail(vs.job, ret, "verity: %s for %s%s", step, d->node, ret != -EINVAL ? "" : sig ?
				" (a kernel without CONFIG_DM_VERITY_VERIFY_ROOTHASH_SIG refuses root_hash_sig_key_desc; "
				"the kernel log says which value it refused)" : " (the kernel log says which value it refused)");
	}
	vs.created = true;
	vs.c = c;
	vs.key = key;
checked:
	/* One read of the first data block through the mapping: a tree that does not lead to
	 * roothash= fails here with EIO, before anything is mounted. */
	if ((ret = vread(r, MAPPED, 0, vp->data_block_size)))
		return ret;
	vs.created = false;
	ret = r->a.ret == (int)vp->data_block_size ? 0 : r->a.ret < 0 ? r->a.ret : -EIO;
	if (ret < 0) {
		if (key > 0)
			(void)keys_release(key);
		dm_close(&c);
		if (ret == -ETIMEDOUT) {
			/* the killed reader holds the mapping open until it is gone: removed then */
			child_when_gone(unmap_gone, NULL);
			return job_fail(vs.job, 0, "verity: reading the first block of " MAPPED " took longer than %u s",
					plan->timeout_s);
		}
		unmap();
		if (ret == -EIO)
			return job_fail(vs.job, 0, "verity: root hash does not match %s (the first block read "
					"through the mapping failed; mapping removed)", d->node);
		return job_fail(vs.job, ret, "verity: reading the first block of " MAPPED);
	}
	if (strcmp(first, table) && (step = dm_reload(&c, VERITY_NAME, &(struct dm_target){ 0, t.length, "verity",
					table }, 1, true))) {
		ret = -errno;
		dm_close(&c);
		unmap();
		if (key > 0)
			(void)keys_release(key);
		return job_fail(vs.job, ret, "verity: %s (%s)", step, verity_mode_name(vp->mode));
	}
	if (key > 0)
		(void)keys_release(key);
	dm_close(&c);
	return 0;
}

static int open_mapping(const char *data_node)
{
	const struct verity_opts *o = &plan->verity.opts;
	struct vdev d, h;
	struct verity_sb sb;
	struct verity_params vp;
	const char *why = "";
	bool same = !vs.hash[0];
	int ret;

	if (!vs.start_ms)
		vs.start_ms = loop_now_ms();
	if ((ret = vdev_open(&d, data_node)) < 0)
		return job_fail(vs.job, ret, "verity: the data device %s", data_node);
	h = d;
	if (!same && (ret = vdev_open(&h, vs.hash)) < 0)
		return job_fail(vs.job, ret, "verity: the hash device %s", vs.hash);
	if (!same && h.rdev == d.rdev)
		same = true;
	if (o->superblock && (ret = read_sb(&h, &sb)))
		return ret;
	if ((ret = verity_resolve(o, o->superblock ? &sb : NULL, plan->verity.roothash, d.bytes, h.bytes, same,
				  &vp, &why)) < 0)
		return job_fail(vs.job, 0, "verity: %s (data %s: %llu bytes, hash %s: %llu bytes)", why, d.node,
				(unsigned long long)d.bytes, h.node, (unsigned long long)h.bytes);
	if ((ret = map(&d, &h, &vp)))
		return ret;
	vs.mapped = true;
	job_mark("verity-mapped");
	log_info("root", "verity: %s (hash %s, %s, %llu blocks of %u, %s%s) on " MAPPED ": first block checked, "
		 "%llu ms after both devices were there", d.node, h.node, vp.algorithm, (unsigned long long)vp.data_blocks,
		 vp.data_block_size, vp.mode == VERITY_EIO ? "EIO on a bad block" : verity_mode_name(vp.mode),
		 o->signature[0] ? ", root hash signature accepted by the kernel" : "",
		 (unsigned long long)(loop_now_ms() - vs.start_ms));
	if (vp.mode == VERITY_IGNORE)
		log_warn("root", "verity: ignore-corruption: bad blocks are logged and read anyway, "
			 "the root hash was not enforced");
	return 0;
}

static void on_hash(void *arg, const char *node, int err)
{
	if (vs.job->state != JOB_RUNNING)
		return;
	if (err) {
		job_fail(vs.job, err, "verity: hash device %s not found within %u s", plan->verity.hash,
			 dev_timeout_ms() / 1000);
		return;
	}
	snprintf(vs.hash, sizeof(vs.hash), "%s", node);
	vs.resume();
}

int root_verity(struct job *j, char *node, size_t len, void (*resume)(void))
{
	const char *spec = plan->verity.hash;
	int ret;

	if (!plan->verity.on || vs.mapped)
		return 0;
	vs.job = j;
	vs.resume = resume;
	if (spec[0] && !vs.hash[0]) {
		/* dev_resolve_now only for a spec read from sysfs (a path, PARTLABEL=, major:minor):
		 * LABEL=, UUID= and PARTUUID= read the disks and go to dev_wait, which probes in a
		 * child (init/devices.c), never on the loop */
		if (dev_reads_disks(spec) || dev_resolve_now(spec, vs.hash, sizeof(vs.hash))) {
			vs.hash[0] = '\0';
			if ((ret = dev_wait(spec, dev_timeout_ms(), plan->root.rootwait, on_hash, NULL)) < 0)
				return job_fail(j, ret, "verity: waiting for systemd.verity_root_hash=%s", spec);
			return JOB_PENDING;
		}
	}
	if ((ret = sig_load()) || (ret = open_mapping(node)))
		return ret;
	snprintf(node, len, "%s", MAPPED);
	return 0;
}

void verity_plan(const struct boot_plan *p, FILE *out)
{
	const struct verity_opts *o = &p->verity.opts;
	char off[48] = "";

	if (!p->verity.on)
		return;
	if (o->hash_offset_set)
		snprintf(off, sizeof(off), " at byte %llu", (unsigned long long)o->hash_offset);
	fprintf(out, "root: lower: verity(%s, hash %s%s, %s, root %.4s…) → %s\n", p->verity.data,
		p->verity.hash[0] ? p->verity.hash : p->verity.data, off,
		o->hash[0] ? o->hash : o->superblock ? "from the superblock" : "?", p->verity.roothash,
		p->root.r.lower.fstype[0] ? p->root.r.lower.fstype : "probed");
	if (p->verity.discovered)
		fprintf(out, "root: verity: no device named: the GPT partitions whose UUIDs are the root hash's first "
			"and last 128 bits (Discoverable Partitions)\n");
	if (o->signature[0])
		fprintf(out, "root: verity: root hash signature %s%s%s, a user key named in the table: the kernel "
			"checks it against its trusted keyring\n", o->signature,
			p->verity.sigdev[0] ? " on the filesystem of " : " in the initramfs",
			p->verity.sigdev);
	else if (p->verity.require_signature)
		fprintf(out, "root: verity: ferry.verity.require-signature, and no root-hash-signature=\n");
	fprintf(out, "root: verity: %s; mapped read-only on " MAPPED " before the mount, its first block read to "
		"check roothash=; on a bad block at run time: %s%s%s\n",
		o->superblock ? "superblock on the hash device" : "no superblock: the options give every value",
		o->mode == VERITY_EIO ? "EIO" : verity_mode_name(o->mode),
		o->ignore_zero_blocks ? ", ignore_zero_blocks" : "", o->check_at_most_once ? ", check_at_most_once" : "");
}

void root_verity_prepare(void)
{
	if (!plan->verity.on)
		return;
	(void)modules_load("dm_verity");
	verity_last_boot();
}
