/* Kernel modules without configuration: coldplug from the modaliases in /sys, each new device's
 * from uevents, and the kernel's own requests (ferry is its modprobe helper via /sbin/modprobe).
 * Dependencies come from modules.dep (lib/core/kmod.c); a failing module is logged and the boot goes on. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <linux/module.h>
#include <zlib.h>
#include "ferry.h"
#include "stages.h"
#include "../lib/core/fileio.h"
#include "../lib/core/kmod.h"
#include "../lib/core/uevent.h"

#ifndef MODULE_INIT_COMPRESSED_FILE
#define MODULE_INIT_COMPRESSED_FILE 4
#endif
#define MODULE_MAX (64u << 20)

static struct kmod_index idx;
static signed char *state;   /* per module: 0 not tried, 1 loaded, -1 failed */
static char moddir[160];
static int have_index;
static unsigned nloaded, nfailed;
/* Settling: the job is done once every uevent the kernel has sent is handled (the seqnum in
 * /sys/kernel/uevent_seqnum reached), as drivers loaded for one device add the next ones. */
static unsigned long long seq_seen;
static struct loop_timer settle_timer = { .fd = -1 };
#define SETTLE_BOUND_MS 3000
/* ferry.modules=off for the kernel's modprobe helper, a process of its own that has no plan */
#define MODULES_OFF_NOTE "/run/ferry/modules-off"
static bool loading_off;

/* modules.dep and modules.alias of the running kernel, read once. */
static int modules_index(void)
{
	struct utsname u;
	char path[256], *buf;
	size_t len;
	int ret;

	if (have_index)
		return have_index > 0 ? 0 : -ENOENT;
	have_index = -1;
	uname(&u);
	snprintf(moddir, sizeof(moddir), "/lib/modules/%s", u.release);
	snprintf(path, sizeof(path), "%s/modules.dep", moddir);
	if ((ret = file_read_all(path, MODULE_MAX, &buf, &len)) < 0)
		return ret;
	ret = kmod_parse_dep(&idx, buf, len);
	free(buf);
	if (ret < 0)
		return ret;
	snprintf(path, sizeof(path), "%s/modules.alias", moddir);
	if (file_read_all(path, MODULE_MAX, &buf, &len) == 0) {
		ret = kmod_parse_alias(&idx, buf, len);
		free(buf);
		if (ret < 0)
			return ret;
	}
	state = calloc(idx.nmods ? idx.nmods : 1, 1);
	if (!state)
		return -ENOMEM;
	have_index = 1;
	return 0;
}

/* User-space inflation of .ko.gz, for kernels without MODULE_DECOMPRESS. */
static int load_gz(int fd)
{
	unsigned char in[16384];
	size_t cap = 1 << 20;
	unsigned char *out = malloc(cap);
	z_stream zs = { 0 };
	int ret = -EINVAL, z = Z_OK;

	if (!out || inflateInit2(&zs, 16 + MAX_WBITS) != Z_OK) {
		free(out);
		return -ENOMEM;
	}
	while (z != Z_STREAM_END) {
		ssize_t n = read(fd, in, sizeof(in));
		if (n <= 0)
			goto out;
		zs.next_in = in;
		zs.avail_in = n;
		while (zs.avail_in && z != Z_STREAM_END) {
			if (zs.total_out == cap) {
				unsigned char *bigger = cap < MODULE_MAX ? realloc(out, cap * 2) : NULL;
				if (!bigger) {
					ret = -EFBIG;
					goto out;
				}
				out = bigger;
				cap *= 2;
			}
			zs.next_out = out + zs.total_out;
			zs.avail_out = cap - zs.total_out;
			z = inflate(&zs, Z_NO_FLUSH);
			if (z != Z_OK && z != Z_STREAM_END)
				goto out;
		}
	}
	ret = syscall(SYS_init_module, out, zs.total_out, "") < 0 ? -errno : 0;
out:
	inflateEnd(&zs);
	free(out);
	return ret;
}

static int load_path(const char *relpath)
{
	char path[512];
	enum kmod_comp comp = kmod_compression(relpath);
	int fd, ret;

	snprintf(path, sizeof(path), "%s/%s", moddir, relpath);
	fd = file_open_regular(path);  /* modules.dep may be the root's, not the initramfs's */
	if (fd < 0)
		return fd;
	ret = syscall(SYS_finit_module, fd, "", comp ? MODULE_INIT_COMPRESSED_FILE : 0) < 0 ? -errno : 0;
	/* A kernel without MODULE_DECOMPRESS refuses the flag; gzip we can inflate ourselves. */
	if ((ret == -EINVAL || ret == -EOPNOTSUPP) && comp == KMOD_COMP_GZ && lseek(fd, 0, SEEK_SET) == 0)
		ret = load_gz(fd);
	close(fd);
	return ret == -EEXIST ? 0 : ret;
}

static int load_one(size_t m)
{
	const struct kmod_module *mod = &idx.mods[m];
	int ret;

	if (state[m])
		return state[m] > 0 ? 0 : -EIO;
	ret = load_path(mod->path);
	state[m] = ret == 0 ? 1 : -1;
	if (ret == -ENODEV) {
		/* The driver found none of its hardware: normal for coldplug's CPU and ACPI aliases. */
		log_debug("modules", "%s: no device for it", mod->name);
	} else if (ret < 0) {
		nfailed++;
		log_err("modules", "loading %s (%s): %s", mod->name, mod->path,
			ret == -ENOEXEC ? "not a module for this kernel" : strerror(-ret));
	} else {
		nloaded++;
		log_debug("modules", "loaded %s", mod->name);
	}
	return ret;
}

static int load_with_deps(size_t m)
{
	size_t order[KMOD_DEPTH_MAX * 4];
	ssize_t n = kmod_load_order(&idx, m, order, 0, sizeof(order) / sizeof(*order));
	int ret = 0;

	if (n < 0) {
		log_err("modules", "%s: dependencies in modules.dep: %s", idx.mods[m].name, strerror((int)-n));
		state[m] = -1;
		return (int)n;
	}
	for (ssize_t i = 0; i < n && ret == 0; i++)
		ret = load_one(order[i]);
	return ret;
}

int modules_load(const char *name_or_alias)
{
	char norm[256];
	size_t found[16];
	size_t n;
	ssize_t m;
	int ret;

	if (loading_off)
		return -EPERM;
	if ((ret = modules_index()) < 0)
		return ret;
	if (kmod_normalize(name_or_alias, norm, sizeof(norm)) < 0)
		return -ENAMETOOLONG;
	m = kmod_find(&idx, norm);
	if (m >= 0)
		return load_with_deps(m);
	n = kmod_alias_lookup(&idx, norm, found, sizeof(found) / sizeof(*found));
	if (!n)
		return -ENOENT;
	/* An alias names every module that can serve it (crypto-aes: aes-ce, aes-arm64, aes_generic);
	 * those for hardware that is not there fail with ENODEV. As modprobe does, the request is
	 * served when one of them loaded; the first error counts only when none did. */
	ret = -ENOENT;
	bool loaded = false;
	for (size_t i = 0; i < n && i < sizeof(found) / sizeof(*found); i++) {
		int r = load_with_deps(found[i]);
		if (r == 0)
			loaded = true;
		else if (ret == -ENOENT)
			ret = r;
	}
	return loaded ? 0 : ret;
}

/* Walk /sys/devices for modalias files; depth-bounded, symlinks not followed. */
static void coldplug(int dirfd, int depth)
{
	DIR *d = fdopendir(dirfd);
	struct dirent *e;

	if (!d) {
		close(dirfd);
		return;
	}
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		if (e->d_type == DT_DIR && depth < 16) {
			int fd = openat(dirfd, e->d_name, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
			if (fd >= 0)
				coldplug(fd, depth + 1);
		} else if (e->d_type == DT_REG && !strcmp(e->d_name, "modalias")) {
			char alias[256];
			int fd = openat(dirfd, "modalias", O_RDONLY | O_CLOEXEC);
			ssize_t n = fd >= 0 ? read(fd, alias, sizeof(alias) - 1) : -1;
			if (fd >= 0)
				close(fd);
			if (n <= 1)
				continue;
			alias[n - (alias[n - 1] == '\n')] = 0;
			(void)modules_load(alias);
		}
	}
	closedir(d);
}

static unsigned long long kernel_seqnum(void)
{
	char buf[32];

	return file_read_line("/sys/kernel/uevent_seqnum", buf, sizeof(buf)) == 0 ? strtoull(buf, NULL, 10) : 0;
}

static void settled(void)
{
	loop_timer_cancel(loop, &settle_timer);
	log_info("modules", "%u loaded, %u failed (%zu modules, %zu aliases in %s)", nloaded, nfailed,
		 idx.nmods, idx.naliases, moddir);
	job_done(&job_modules);
}

static void settle_check(void)
{
	if (job_modules.state == JOB_RUNNING && seq_seen >= kernel_seqnum())
		settled();
}

static void settle_bound(void *arg, uint32_t ev)
{
	log_warn("modules", "uevents not settled after %d ms (seen %llu of %llu); going on", SETTLE_BOUND_MS,
		 seq_seen, kernel_seqnum());
	settled();
}

static void on_uevent(const struct uevent *ev, void *arg)
{
	int fd;

	if (!ev) {  /* events were lost: coldplug again, so no device misses its driver */
		if ((fd = open("/sys/devices", O_RDONLY | O_DIRECTORY | O_CLOEXEC)) >= 0)
			coldplug(fd, 0);
		seq_seen = kernel_seqnum();
		settle_check();
		return;
	}
	if (ev->modalias && !strcmp(ev->action, "add"))
		(void)modules_load(ev->modalias);
	if (ev->seqnum_valid && ev->seqnum > seq_seen)
		seq_seen = ev->seqnum;
	settle_check();
}

static int modules_enabled(void)
{
	return plan->modules;
}

/* ferry.modules=off: nothing loads a module in this boot, not the job, not root or crypt, not the
 * kernel's requests through /sbin/modprobe (which see the note). */
void modules_setup(const struct boot_plan *p)
{
	int fd;

	loading_off = !p->modules;
	if (!loading_off)
		return;
	fd = open(MODULES_OFF_NOTE, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		log_err("modules", "writing %s: %s; the kernel's module requests may still load modules",
			MODULES_OFF_NOTE, strerror(errno));
	else
		(void)close(fd);
	log_info("modules", "off (ferry.modules=off): no module is loaded in this boot");
}

static int modules_start(struct job *j)
{
	int ret = modules_index(), fd;

	if (ret < 0) {
		log_info("modules", "no modules for this kernel (%s/modules.dep: %s)", moddir, strerror(-ret));
		return 0;
	}
	/* Subscribe before the walk: a device that appears during it still gets its driver. */
	seq_seen = kernel_seqnum();
	if ((ret = uevent_subscribe(on_uevent, NULL)) < 0)
		log_err("modules", "uevent socket: %s; only coldplug", strerror(-ret));
	fd = open("/sys/devices", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0)
		coldplug(fd, 0);
	log_debug("modules", "coldplug: %u loaded, %u failed", nloaded, nfailed);
	if (ret < 0 || seq_seen >= kernel_seqnum()) {
		settled();
		return JOB_PENDING; /* settled() has called job_done */
	}
	if (loop_timer_arm(loop, &settle_timer, SETTLE_BOUND_MS, settle_bound, NULL) < 0)
		settled();
	return JOB_PENDING;
}

struct job job_modules = {
	.name = "modules",
	.after = { "early" },
	.start = modules_start,
	.enabled = modules_enabled,
};

/* The kernel runs "/sbin/modprobe -q -- NAME" for request_module(); /sbin/modprobe links to ferry. */
int modprobe_main(int argc, char **argv)
{
	const char *name = NULL;
	bool quiet = false;
	int ret;

	for (int i = 1; i < argc; i++)
		if (argv[i][0] != '-' || !strcmp(argv[i], "-"))
			name = argv[i];
		else if (!strcmp(argv[i], "-q") || !strcmp(argv[i], "--quiet"))
			quiet = true;
	if (!name)
		return 2;
	if (access(MODULES_OFF_NOTE, F_OK) == 0)
		return 1;  /* ferry.modules=off: the kernel's request fails, as without a helper */
	log_open("/dev/kmsg", -1);
	ret = modules_load(name);
	/* The kernel asks with -q: a name nothing serves, or modules only for hardware that is not
	 * there (crypto-aes: aesni_intel without AES-NI, while aes_generic is built in), is its answer,
	 * not an error. A module that is there and fails otherwise is always named. */
	if (ret < 0 && ret != -ENOENT && !(quiet && ret == -ENODEV))
		log_err("modprobe", "%s: %s", name, strerror(-ret));
	return ret < 0 ? 1 : 0;
}

void modules_plan(const struct boot_plan *p, FILE *out)
{
	fprintf(out, "modules: load what present devices need from /lib/modules/<release>/ (coldplug from\n"
		     "         /sys modaliases, then uevents), and serve the kernel's requests as /sbin/modprobe%s\n",
		p->modules ? "" : " — OFF (ferry.modules=off): nothing loads a module, not root, crypt or the helper");
}
