/* The crypt stage: every ferry.crypt= volume is opened as soon as its device (and the device that
 * holds its blob) appears: key from a key file, a CAAM blob, a trusted or an encrypted key blob,
 * or a new one sealed on first boot (provision); dm-crypt mapping; a filesystem check that catches
 * a wrong key before anything writes to the volume. The job is done when every volume is. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <linux/fs.h>
#include <keyutils.h>
#include "devices.h"
#include "ferry.h"
#include "stages.h"
#include "crypt.h"
#include "../lib/storage/blk.h"
#include "../lib/crypt/caam.h"
#include "../lib/crypt/cryptspec.h"
#include "../lib/storage/devspec.h"
#include "../lib/crypt/dm.h"
#include "../lib/crypt/keys.h"

#define CRYPT_MAX_VOLUMES PLAN_MAX_VOLUMES
#define BLOB_DIR "/run/ferry/blob"

struct volume {
	struct crypt_spec s;
	char node[CRYPT_PATH_MAX];      /* the ciphertext device, once it is there */
	char blobnode[CRYPT_PATH_MAX];  /* blobdev=, once it is there */
	char blobpath[CRYPT_PATH_MAX + 64];
	char mapped_path[CRYPT_NAME_MAX + 16];
	enum crypt_src src;             /* resolved (auto: caam or trusted) */
	int32_t key;                    /* kernel key serial, 0 when none */
	unsigned keylen;
	bool created;                   /* a key was made in this boot: the volume is new */
	bool blob_mounted;
	bool blob_probed;               /* blobtype and blob_probe hold the probe's answer */
	int blob_probe;
	char blobtype[32];
	bool ready;                     /* its devices are there */
	bool started;                   /* volume_open ran */
	bool mapped;
	bool done;
	char mark_present[CRYPT_NAME_MAX + 16], mark_mapped[CRYPT_NAME_MAX + 16];
	char msg[320];                  /* what failed, for job_fail */
};

static struct volume vols[CRYPT_MAX_VOLUMES];
static size_t nvols, nleft;
static bool over;  /* the job is done or failed: late callbacks change nothing */

/* Record what failed as "<name>: <what>" and return err. */
static int vfail(struct volume *v, int err, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int vfail(struct volume *v, int err, const char *fmt, ...)
{
	va_list ap;
	int n = snprintf(v->msg, sizeof(v->msg), "%s: ", v->s.name);

	va_start(ap, fmt);
	vsnprintf(v->msg + n, sizeof(v->msg) - n, fmt, ap);
	va_end(ap);
	return err < 0 ? err : -EIO;
}

/* The plan's volumes (checked by lib/core/bootplan.c) into out[]. */
static size_t volumes_from(const struct boot_plan *p, struct volume *out)
{
	for (size_t i = 0; i < p->crypt.n; i++) {
		memset(&out[i], 0, sizeof(out[i]));
		out[i].s = p->crypt.v[i];
	}
	return p->crypt.n;
}

static const char *plan_key(const struct volume *v, char *buf, size_t len)
{
	const char *what = v->s.src == CRYPT_SRC_KEYFILE ? "key file" : "blob";

	snprintf(buf, len, "%s %s %s%s%s", cryptspec_src_name(v->s.src), what, v->s.arg,
		 v->s.blobdev[0] ? " on " : "", v->s.blobdev);
	return buf;
}

void crypt_plan(const struct boot_plan *p, FILE *out)
{
	static struct volume pv[CRYPT_MAX_VOLUMES];
	char key[CRYPT_PATH_MAX * 2 + 32];
	const char *keep = p->crypt.keep[0] ? p->crypt.keep : NULL, *mkfs = p->crypt.mkfs[0] ? p->crypt.mkfs : NULL;
	size_t n = volumes_from(p, pv);

	for (size_t i = 0; i < n; i++) {
		const struct volume *v = &pv[i];
		fprintf(out, "crypt: %s: wait for %s; %s; map /dev/mapper/%s (%s, %u-byte sectors%s)\n",
			v->s.name, v->s.device, plan_key(v, key, sizeof(key)), v->s.name,
			v->s.cipher[0] ? v->s.cipher : cryptspec_default_cipher(v->s.src), v->s.sector,
			v->s.offset ? ", data after an offset" : "");
		if (v->s.provision)
			fprintf(out, "crypt: %s: no blob yet: seal a new %u-byte key, write the blob, map%s%s\n",
				v->s.name, v->s.size ? v->s.size : cryptspec_default_size(v->s.src),
				mkfs ? ", run " : " (no ferry.crypt.mkfs: left unformatted)", mkfs ? mkfs : "");
		if (v->s.check)
			fprintf(out, "crypt: %s: an opened volume must hold %s filesystem, or the key is wrong\n",
				v->s.name, v->s.fstype[0] ? v->s.fstype : "a known");
	}
	if (n > 0)
		fprintf(out, "crypt: keys %s%s\n", keep ? "kept for the target in the user keyring's keyring " :
			"unlinked once the tables are loaded", keep ? keep : "");
}

static int read_proc_crypto_has(const char *alg)
{
	static char buf[64 * 1024];
	int fd = open("/proc/crypto", O_RDONLY | O_CLOEXEC);
	size_t len = 0;
	ssize_t n;

	if (fd < 0)
		return 0;
	while (len < sizeof(buf) && (n = read(fd, buf + len, sizeof(buf) - len)) > 0)
		len += n;
	(void)close(fd);
	return caam_crypto_has(buf, len, alg);
}

/* keyfile: raw bytes, as a logon key (user space can never read a logon key back). */
static int key_keyfile(struct volume *v, const char *desc)
{
	uint8_t key[CRYPT_KEY_MAX];
	ssize_t n = keys_read_file(v->s.arg, key, sizeof(key));
	int ret = 0;

	if (n < 0) {
		ret = vfail(v, n, "reading the key file %s", v->s.arg);
		goto out;
	}
	if (n < CRYPT_KEY_MIN) {
		ret = vfail(v, -EINVAL, "the key file %s holds %zd bytes, fewer than %d", v->s.arg, n, CRYPT_KEY_MIN);
		goto out;
	}
	v->key = keys_add_logon(desc, key, n);
	if (v->key < 0) {
		ret = vfail(v, v->key, "adding the key as a logon key");
		goto out;
	}
	v->keylen = n;
out:
	explicit_bzero(key, sizeof(key));
	return ret;
}

/* The blob's size; 0 when it is missing and provision is set, the one case that makes a new key.
 * Any other trouble (missing without provision, unreadable, empty) stops the volume. */
static ssize_t blob_read(struct volume *v, void *buf, size_t len)
{
	ssize_t n = keys_read_file(v->blobpath, buf, len);

	if (n == -ENOENT)
		return v->s.provision ? 0 : vfail(v, n, "the blob %s is missing (provision is not set)", v->blobpath);
	if (n < 0)
		return vfail(v, n, "reading the blob %s", v->blobpath);
	if (n == 0)
		return vfail(v, -EBADMSG, "the blob %s is empty", v->blobpath);
	return n;
}

/* A new blob is staged as "<blob>.new": it takes its name in blob_commit, once the volume is
 * usable, so that a failed mkfs or a power cut leaves the volume unprovisioned, not a blob for a
 * volume that was never formatted (every later boot would call that a wrong key). */
static int blob_write(struct volume *v, const void *buf, size_t len)
{
	int ret = keys_stage_file(v->blobpath, buf, len);

	if (ret < 0)
		return vfail(v, ret, "writing the new blob %s.new", v->blobpath);
	log_info("crypt", "%s: sealed a new key, blob written to %s.new (final once the volume is usable)",
		 v->s.name, v->blobpath);
	v->created = true;
	return 0;
}

static int caam_get(struct volume *v, const struct caam_dev *d, uint8_t *key, size_t *klen)
{
	uint8_t blob[CAAM_BLOB_MAX];
	size_t blen;
	char msg[CAAM_MSG_MAX];
	ssize_t n = blob_read(v, blob, sizeof(blob));
	int ret;

	if (n == 0) {
		unsigned size = v->s.size ? v->s.size : cryptspec_default_size(CRYPT_SRC_CAAM);
		ret = caam_create(d, size, key, klen, blob, &blen, msg, sizeof(msg));
		if (ret < 0)
			return vfail(v, ret, "creating a CAAM key: %s", *msg ? msg : "refused");
		ret = blob_write(v, blob, blen);
	} else if (n < 0) {
		ret = n;
	} else {
		ret = caam_import(d, blob, n, key, klen, msg, sizeof(msg));
		if (ret < 0)
			ret = vfail(v, ret, "importing the CAAM blob %s (wrong device or corrupt blob): %s",
				    v->blobpath, *msg ? msg : "refused");
	}
	explicit_bzero(blob, sizeof(blob));
	return ret;
}

/* caam: the blob becomes a tagged black key, added as a logon key for tk(cbc(aes)). */
static int key_caam(struct volume *v, const char *desc)
{
	uint8_t key[CAAM_BLACK_KEY_MAX];
	struct caam_dev d;
	size_t klen = 0;
	int ret;

	if (!read_proc_crypto_has("tk(cbc(aes))"))
		return vfail(v, -ENOENT, "/proc/crypto has no tk(cbc(aes)): the CAAM driver is missing");
	if ((ret = caam_dev_open(&d, CAAM_KEYGEN_DEV)) < 0)
		return vfail(v, ret, "opening %s", CAAM_KEYGEN_DEV);
	ret = caam_get(v, &d, key, &klen);
	caam_dev_close(&d);
	if (ret == 0) {
		v->key = keys_add_logon(desc, key, klen);
		ret = v->key < 0 ? vfail(v, v->key, "adding the black key as a logon key") : 0;
		v->keylen = klen;
	}
	explicit_bzero(key, sizeof(key));
	return ret;
}

/* A new trusted/encrypted key was just sealed: its blob is what keyctl read returns. */
static int sealed_blob_save(struct volume *v)
{
	static char blob[KEYS_BLOB_MAX];
	ssize_t n = keys_read_blob(v->key, blob, sizeof(blob));
	int ret;

	if (n < 0)
		return vfail(v, n, "reading the new key's sealed blob");
	ret = blob_write(v, blob, n);
	explicit_bzero(blob, sizeof(blob));
	return ret;
}

/* trusted and encrypted: the kernel unseals; user space only ever sees the sealed blob. */
static int key_sealed(struct volume *v, const char *desc)
{
	static char blob[KEYS_BLOB_MAX];
	bool trusted = v->src == CRYPT_SRC_TRUSTED;
	const char *type = trusted ? "trusted" : "encrypted";
	ssize_t n = blob_read(v, blob, sizeof(blob));
	int ret = 0;

	v->keylen = v->s.size ? v->s.size : cryptspec_default_size(v->src);
	if (n == 0) {
		v->key = trusted ? keys_trusted_new(desc, v->keylen, v->s.keyhandle) :
				   keys_encrypted_new(desc, v->s.master, v->keylen);
		ret = v->key < 0 ? vfail(v, v->key, "sealing a new %s key (is the %s there?)", type,
					 trusted ? "TPM or trusted-key backend" : "master key") :
				   sealed_blob_save(v);
	} else if (n < 0) {
		ret = n;
	} else {
		v->key = trusted ? keys_trusted_load(desc, blob, n, v->s.keyhandle) :
				   keys_encrypted_load(desc, blob, n);
		if (v->key < 0)
			ret = vfail(v, v->key, "unsealing the %s key blob %s (corrupt blob, another %s, or a "
				    "changed policy)", type, v->blobpath, trusted ? "TPM" : "master key");
	}
	explicit_bzero(blob, sizeof(blob));
	return ret;
}

static int key_get(struct volume *v)
{
	char desc[CRYPT_NAME_MAX + 8];

	cryptspec_keydesc(&v->s, desc, sizeof(desc));
	switch (v->src) {
	case CRYPT_SRC_KEYFILE:
		return key_keyfile(v, desc);
	case CRYPT_SRC_CAAM:
		return key_caam(v, desc);
	default:
		return key_sealed(v, desc);
	}
}

/* The key has served its purpose once dm-crypt holds it; keep a link only when asked to. */
static void key_drop(struct volume *v)
{
	const char *keep = plan->crypt.keep[0] ? plan->crypt.keep : NULL;
	int r;

	if (v->key <= 0)
		return;
	if (keep && (r = keys_keep(v->key, keep, KEY_SPEC_USER_KEYRING)) < 0)
		log_warn("crypt", "%s: could not keep the key in keyring %s: %s", v->s.name, keep, strerror(-r));
	if ((r = keys_release(v->key)) < 0)
		log_warn("crypt", "%s: could not unlink the key: %s", v->s.name, strerror(-r));
	v->key = 0;
}

static int dev_sectors(const char *node, uint64_t *sectors)
{
	uint64_t bytes = 0;
	int fd = open(node, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY), ret = 0;  /* a FIFO must not block */

	if (fd < 0)
		return -errno;
	if (ioctl(fd, BLKGETSIZE64, &bytes) < 0)
		ret = -errno;
	(void)close(fd);
	*sectors = bytes / 512;
	return ret;
}

/* The table is checked against the device first: the kernel would only say EINVAL. */
static int volume_map(struct volume *v)
{
	char params[CRYPT_TABLE_MAX], uuid[CRYPT_NAME_MAX + 16];
	struct dm_ctl c;
	struct stat st;
	uint64_t sectors = 0, len;
	const char *why = "", *step;
	dev_t dev;
	int ret;

	if (stat(v->node, &st) < 0)
		return vfail(v, -errno, "%s", v->node);
	if ((ret = dev_sectors(v->node, &sectors)) < 0)
		return vfail(v, ret, "reading the size of %s", v->node);
	len = cryptspec_length(&v->s, sectors, &why);
	if (!len)
		return vfail(v, -ENOSPC, "%s: %s has %llu sectors", why, v->node, (unsigned long long)sectors);
	ret = cryptspec_table(&v->s, v->src, v->keylen, major(st.st_rdev), minor(st.st_rdev), params, sizeof(params));
	if (ret < 0)
		return vfail(v, ret, "building the dm-crypt table");
	if ((ret = dm_open(&c)) < 0)
		return vfail(v, ret, "opening %s (device-mapper missing: dm_mod, dm_crypt)", DM_CONTROL);
	/* cryptsetup's prefix for a headerless volume: lsblk, udev rules and udisks go by "CRYPT-". */
	snprintf(uuid, sizeof(uuid), "CRYPT-PLAIN-%s", v->s.name);
	step = dm_create(&c, v->s.name, uuid, &(struct dm_target){ 0, len, "crypt", params }, 1, false, &dev);
	ret = -errno;
	dm_close(&c);
	explicit_bzero(params, sizeof(params));
	if (step)
		return vfail(v, ret, "%s for %s%s", step, v->node,
			     ret == -EINVAL ? " (cipher or key size refused: the kernel log says which)" : "");
	return 0;
}

static void volume_unmap(struct volume *v)
{
	struct dm_ctl c;
	int r;

	if (dm_open(&c) < 0)
		return;
	if ((r = dm_remove(&c, v->s.name)) < 0)
		log_err("crypt", "%s: removing the mapping: %s", v->s.name, strerror(-r));
	dm_close(&c);
}

static void volume_failed(struct volume *v, int err);
static void volume_usable(struct volume *v);
static void volume_unmap(struct volume *v);

/* An opened volume that holds no filesystem was opened with the wrong key (dm-crypt cannot tell:
 * plain mode has no header). Only reads: the ciphertext is never written. The probe runs in a
 * child (probe_async) and the volume goes on from here. */
static void volume_unmap_gone(void *arg)
{
	volume_unmap(arg);
}

static void volume_checked(void *arg, int r, const char *type)
{
	struct volume *v = arg;
	int err = 1;

	if (over)
		return;
	if (r == -ETIMEDOUT) {
		vfail(v, 0, "probing %s took longer than %u s", v->mapped_path, plan->timeout_s);
		/* the killed probe holds the mapping open until it is gone: removed then */
		child_when_gone(volume_unmap_gone, v);
		volume_failed(v, 0);
		return;
	} else if (r < 0 && r != -ENODATA)
		err = vfail(v, r, "probing %s", v->mapped_path);
	else if (r == -ENODATA)
		err = vfail(v, -EKEYREJECTED, "no filesystem on the opened volume: wrong key "
			    "(or never formatted; check=none skips this test)");
	else if (v->s.fstype[0] && strcmp(type, v->s.fstype))
		err = vfail(v, -EKEYREJECTED, "the opened volume holds %s, not fstype=%s", type, v->s.fstype);
	if (err <= 0) {
		volume_unmap(v);
		volume_failed(v, err);
		return;
	}
	volume_usable(v);
}

/* 1: the check is out; -errno: it could not start. */
static int volume_check(struct volume *v)
{
	int r = probe_async(v->mapped_path, PROBE_TYPE, NULL, plan->timeout_s, volume_checked, v);

	return r < 0 ? vfail(v, r, "probing %s", v->mapped_path) : 1;
}

static void volume_open(struct volume *v);

/* The blob device's probe is back: the volume is opened again, from the loop, with its answer. */
static void blob_probed(void *arg, int r, const char *type)
{
	struct volume *v = arg;

	if (over)
		return;
	if (r == -ETIMEDOUT) {
		vfail(v, 0, "probing %s took longer than %u s", v->blobnode, plan->timeout_s);
		volume_failed(v, 0);
		return;
	}
	v->blob_probed = true;
	v->blob_probe = r;
	snprintf(v->blobtype, sizeof(v->blobtype), "%s", type);
	volume_open(v);
}

/* blobdev=: the filesystem that holds the blob, mounted read-only under /run for as long as the
 * key takes, and read-write only to write a new blob. Its type is probed once, in a child
 * (probe_async): 1 while that probe is out (volume_open runs again when it is back). */
static int blob_mount(struct volume *v)
{
	char dir[CRYPT_NAME_MAX + 32], alias[48];
	const char *type = v->blobtype;
	int r;

	if (!v->s.blobdev[0]) {
		snprintf(v->blobpath, sizeof(v->blobpath), "%s", v->s.arg);
		return 0;
	}
	snprintf(dir, sizeof(dir), BLOB_DIR "/%s", v->s.name);
	snprintf(v->blobpath, sizeof(v->blobpath), "%s/%s", dir, v->s.arg + (v->s.arg[0] == '/'));
	/* provision may write to it: then the safe probe, and never a RAID member */
	if (!v->blob_probed) {
		r = probe_async(v->blobnode, v->s.provision ? PROBE_RW : PROBE_TYPE, NULL, plan->timeout_s,
				blob_probed, v);
		return r < 0 ? vfail(v, r, "no filesystem found on blobdev %s", v->blobnode) : 1;
	}
	r = v->blob_probe;
	if (r == -EMEDIUMTYPE)
		return vfail(v, r, "blobdev %s is a RAID member (%s): refused, provision would write to it",
			     v->blobnode, type);
	if (r < 0)
		return vfail(v, r, "no filesystem found on blobdev %s", v->blobnode);
	snprintf(alias, sizeof(alias), "fs-%s", type);
	(void)modules_load(alias);
	(void)mkdir("/run/ferry", 0755);
	(void)mkdir(BLOB_DIR, 0700);
	if (mkdir(dir, 0700) < 0 && errno != EEXIST)
		return vfail(v, -errno, "creating %s", dir);
	if (mount(v->blobnode, dir, type, MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) < 0)
		return vfail(v, -errno, "mounting blobdev %s (%s)", v->blobnode, type);
	v->blob_mounted = true;
	if (access(v->blobpath, F_OK) < 0 && errno == ENOENT && v->s.provision &&
	    mount(NULL, dir, NULL, MS_REMOUNT | MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) < 0)
		return vfail(v, -errno, "remounting blobdev %s read-write to provision", v->blobnode);
	return 0;
}

static void blob_umount(struct volume *v)
{
	char dir[CRYPT_NAME_MAX + 32];

	if (!v->blob_mounted)
		return;
	snprintf(dir, sizeof(dir), BLOB_DIR "/%s", v->s.name);
	if (umount2(dir, 0) < 0)
		log_warn("crypt", "%s: unmounting %s: %s", v->s.name, dir, strerror(errno));
	else
		(void)rmdir(dir);
	v->blob_mounted = false;
}

/* The staged blob of a volume made in this boot: renamed to its final name (keep) or removed.
 * The blob's filesystem is mounted again for it, read-write since the final name is missing. */
static int blob_commit(struct volume *v, bool keep)
{
	char failure[sizeof(v->msg)];  /* removing runs after a failure: its message stays the one */
	int ret;

	memcpy(failure, v->msg, sizeof(failure));
	if ((ret = blob_mount(v)) == 0) {
		ret = keep ? keys_commit_file(v->blobpath) : keys_discard_file(v->blobpath);
		if (ret < 0)
			ret = vfail(v, ret, "%s the new blob %s.new", keep ? "renaming" : "removing", v->blobpath);
	}
	blob_umount(v);
	if (ret == 0 && keep)
		log_info("crypt", "%s: the volume is usable: blob %s is final", v->s.name, v->blobpath);
	if (!keep) {
		if (ret < 0)
			log_warn("crypt", "%s", v->msg);
		memcpy(v->msg, failure, sizeof(failure));
	}
	return ret;
}

static void volume_failed(struct volume *v, int err)
{
	if (over)
		return;
	over = true;
	job_fail(&job_crypt, err, "%s", v->msg);
}

static void volume_finished(struct volume *v)
{
	v->done = true;
	log_info("crypt", "%s: ready as %s", v->s.name, v->mapped_path);
	if (--nleft == 0 && !over) {
		over = true;
		job_done(&job_crypt);
	}
}

/* Mapped, and formatted when it was new and ferry.crypt.mkfs= asked: a new volume's blob is
 * committed only now. */
static void volume_usable(struct volume *v)
{
	int ret = v->created ? blob_commit(v, true) : 0;

	if (ret < 0) {
		volume_unmap(v);
		volume_failed(v, ret);
		return;
	}
	volume_finished(v);
}

static unsigned long mkfs_timeout;  /* seconds, ferry.preinit.timeout= */

static void mkfs_done(void *arg, int status)
{
	struct volume *v = arg;

	if (status != CHILD_TIMED_OUT && WIFEXITED(status) && WEXITSTATUS(status) == 0) {
		volume_usable(v);
		return;
	}
	volume_unmap(v);
	(void)blob_commit(v, false);  /* unformatted: the next boot provisions it again */
	if (status == CHILD_TIMED_OUT)
		vfail(v, 0, "mkfs on the new volume still running after %lu s (ferry.preinit.timeout): killed",
		      mkfs_timeout);
	else
		vfail(v, 0, "mkfs on the new volume failed (%s %d)", WIFEXITED(status) ? "exit status" : "signal",
		      WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status));
	volume_failed(v, 0);
}

/* ferry.crypt.mkfs="PROGRAM ARGS": the new device is appended; a bare name is looked up in
 * the usual directories, since PID 1 has no PATH to speak of. */
static int volume_mkfs(struct volume *v)
{
	static const char *const dirs[] = { "/sbin", "/usr/sbin", "/bin", "/usr/bin" };
	static char cmd[256], prog[288];
	char *argv[16], *save = NULL;
	const char *val = plan->crypt.mkfs;
	int argc = 0, ret;

	if (!val || !*val)
		return 0;
	snprintf(cmd, sizeof(cmd), "%s", val);
	for (char *w = strtok_r(cmd, " ", &save); w && argc < 14; w = strtok_r(NULL, " ", &save))
		argv[argc++] = w;
	if (!argc)
		return 0;
	snprintf(prog, sizeof(prog), "%s", argv[0]);
	for (size_t i = 0; argv[0][0] != '/' && i < sizeof(dirs) / sizeof(*dirs); i++) {
		snprintf(prog, sizeof(prog), "%s/%s", dirs[i], argv[0]);
		if (access(prog, X_OK) == 0)
			break;
	}
	argv[0] = prog;
	argv[argc++] = v->mapped_path;
	argv[argc] = NULL;
	/* the bound preinit= has: a hung mkfs must not hold the boot for ever */
	mkfs_timeout = plan->preinit_timeout_s;
	log_info("crypt", "%s: new volume: running %s %s", v->s.name, val, v->mapped_path);
	if ((ret = child_spawn_bounded(argv, (unsigned)mkfs_timeout, mkfs_done, v)) < 0)
		return vfail(v, ret, "starting %s", prog);
	return 1;
}

/* master=trusted:ferry:M names volume M's key: an encrypted key cannot be loaded or sealed before
 * M is mapped (and its key kept). The volume M while it is not mapped yet, else NULL. */
static struct volume *master_pending(const struct volume *v)
{
	if (v->src != CRYPT_SRC_ENCRYPTED || strncmp(v->s.master, "trusted:ferry:", 14))
		return NULL;
	/* Only a trusted volume can be waited for: it waits for nobody, so there is no cycle. */
	for (size_t i = 0; i < nvols; i++)
		if (vols[i].src == CRYPT_SRC_TRUSTED && !strcmp(vols[i].s.name, v->s.master + 14))
			return vols[i].mapped ? NULL : &vols[i];
	return NULL;
}

static void volume_try(struct volume *v)
{
	struct volume *m = master_pending(v);

	v->ready = true;
	if (m) {
		log_debug("crypt", "%s: waiting for %s, whose key seals this one", v->s.name, m->s.name);
		return;
	}
	v->started = true;
	volume_open(v);
}

/* m is mapped: open the volumes that were ready but waited for its key. */
static void volumes_waiting_on(struct volume *m)
{
	for (size_t i = 0; i < nvols && !over; i++)
		if (vols[i].ready && !vols[i].started && !master_pending(&vols[i]))
			volume_try(&vols[i]);
}

/* Both devices are there: key, map, then check (an old volume) or format (a new one). */
static void volume_open(struct volume *v)
{
	int ret = blob_mount(v);

	if (ret == 1)
		return;  /* the blob device's probe is out: back here when it answers */
	if (ret == 0)
		ret = key_get(v);
	if (ret == 0)
		ret = volume_map(v);
	key_drop(v);
	blob_umount(v);
	if (ret < 0)
		goto fail;
	job_mark(v->mark_mapped);
	v->mapped = true;
	log_info("crypt", "%s: %s mapped (%s key)", v->s.name, v->node, cryptspec_src_name(v->src));
	volumes_waiting_on(v);
	if (v->created)
		ret = volume_mkfs(v);
	else if (v->s.check)
		ret = volume_check(v);
	if (ret < 0) {
		volume_unmap(v);
		goto fail;
	}
	if (ret == 0)
		volume_usable(v);
	return;
fail:
	if (v->created)
		(void)blob_commit(v, false);
	volume_failed(v, ret);
}

static void on_blobdev(void *arg, const char *node, int err)
{
	struct volume *v = arg;

	if (over)
		return;
	if (err < 0) {
		vfail(v, err, "blobdev %s did not appear within %u s", v->s.blobdev, dev_timeout_ms() / 1000);
		volume_failed(v, err);
		return;
	}
	snprintf(v->blobnode, sizeof(v->blobnode), "%s", node);
	volume_try(v);
}

static void on_device(void *arg, const char *node, int err)
{
	struct volume *v = arg;

	if (over)
		return;
	if (err < 0) {
		vfail(v, err, "device %s did not appear within %u s", v->s.device, dev_timeout_ms() / 1000);
		volume_failed(v, err);
		return;
	}
	job_mark(v->mark_present);
	snprintf(v->node, sizeof(v->node), "%s", node);
	if (!v->s.blobdev[0]) {
		volume_try(v);
	} else if ((err = (v->s.provision ? dev_wait_rw : dev_wait)(v->s.blobdev, dev_timeout_ms(), false,
								     on_blobdev, v)) < 0) {
		vfail(v, err, "waiting for blobdev %s", v->s.blobdev);
		volume_failed(v, err);
	}
}

/* dm_crypt (dm_mod comes as its dependency) and the cipher's parts, before the kernel asks:
 * "aes-xts-plain64" loads crypto-aes and crypto-xts. Built-in ones simply are not found. */
static void modules_prepare(void)
{
	char alias[CRYPT_CIPHER_MAX + 8];

	(void)modules_load("dm_crypt");
	for (size_t i = 0; i < nvols; i++) {
		const char *c = vols[i].s.cipher[0] ? vols[i].s.cipher : cryptspec_default_cipher(vols[i].src);
		const char *dash = strchr(c, '-'), *dash2 = dash ? strchr(dash + 1, '-') : NULL;
		if (!strncmp(c, "capi:", 5) || !dash || !dash2)
			continue;
		snprintf(alias, sizeof(alias), "crypto-%.*s", (int)(dash - c), c);
		(void)modules_load(alias);
		snprintf(alias, sizeof(alias), "crypto-%.*s", (int)(dash2 - dash - 1), dash + 1);
		(void)modules_load(alias);
	}
}

static void volumes_prepare(void)
{
	for (size_t i = 0; i < nvols; i++) {
		struct volume *v = &vols[i];
		v->src = v->s.src;
		if (v->src == CRYPT_SRC_AUTO)
			v->src = access(CAAM_KEYGEN_DEV, F_OK) == 0 ? CRYPT_SRC_CAAM : CRYPT_SRC_TRUSTED;
		if (!v->s.cipher[0])
			snprintf(v->s.cipher, sizeof(v->s.cipher), "%s", cryptspec_default_cipher(v->src));
		snprintf(v->mapped_path, sizeof(v->mapped_path), "/dev/mapper/%.63s", v->s.name);
		snprintf(v->mark_present, sizeof(v->mark_present), "crypt-%.63s-present", v->s.name);
		snprintf(v->mark_mapped, sizeof(v->mark_mapped), "crypt-%.63s-mapped", v->s.name);
	}
}

static int crypt_start(struct job *j)
{
	size_t n = volumes_from(plan, vols);
	int ret;

	nvols = nleft = n;
	volumes_prepare();
	modules_prepare();
	/* The callbacks run from the loop, never from inside dev_wait. */
	for (size_t i = 0; i < nvols; i++)
		if ((ret = dev_wait(vols[i].s.device, dev_timeout_ms(), false, on_device, &vols[i])) < 0)
			return job_fail(j, ret, "%s: waiting for %s", vols[i].s.name, vols[i].s.device);
	return JOB_PENDING;
}

static int crypt_enabled(void)
{
	return plan->crypt.n > 0;
}

struct job job_crypt = {
	.name = "crypt",
	.after = { "modules-settle" },
	.start = crypt_start,
	.enabled = crypt_enabled,
};
