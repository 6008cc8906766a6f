/* Kernel modules without configuration: coldplug from the modaliases in /sys, each new device's
 * from uevents, and the kernel's own requests (ferry is its modprobe helper via /sbin/modprobe).
 * Dependencies come from modules.dep (lib/core/kmod.c); a failing module is logged and the boot goes on. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <pthread.h>
#include <sched.h>
#include <time.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <linux/module.h>
#include <zlib.h>
#include "ferry.h"
#include "stages.h"
#include "../lib/core/fileio.h"
#include "../lib/core/kmod.h"
#include "../lib/core/modindex.h"
#include "../lib/core/uevent.h"
#include "devices.h"

#ifndef MODULE_INIT_COMPRESSED_FILE
#define MODULE_INIT_COMPRESSED_FILE 4
#endif
#define MODULE_MAX (64u << 20)

static struct kmod_index idx;
/* Per module, owned by the loop's thread: */
enum { M_NONE, M_QUEUED, M_RUNNING, M_LIVE, M_FAILED, M_HELD };
static unsigned char *state;
static char moddir[160];
static int have_index;
static unsigned nloaded, nfailed;
/* Settling: the job is done once every uevent the kernel has sent is handled (the seqnum in
 * /sys/kernel/uevent_seqnum reached), as drivers loaded for one device add the next ones. */
static unsigned long long seq_seen;
static struct loop_timer settle_timer = { .fd = -1 };
#define SETTLE_BOUND_MS 3000
/* At the handoff the loads in flight are waited for this long at most. */
#define DRAIN_BOUND_MS 5000
/* ferry.modules=off for the kernel's modprobe helper, a process of its own that has no plan */
#define MODULES_OFF_NOTE "/run/ferry/modules-off"
static bool loading_off;

/* The queue (coldplug and uevents) and its workers. The loop's thread queues modules in load
 * order and hands one to a worker thread once all its dependencies are live; a worker only opens
 * the file and calls finit_module, and reports back through an eventfd. A stage's own request
 * (modules_load: the root's filesystem, dm-crypt, a cipher) does not queue: it loads at once on the
 * loop's thread, beside the workers (a module a worker is loading meanwhile is waited for by the
 * kernel, which then answers EEXIST).
 * Two pools. The urgent queue (disk drivers while a stage waits for disks, the plan's filesystems,
 * rd.modules_load=) has workers of its own, one more than there are CPUs: a load is often long or
 * asleep in the kernel (ata_piix waits for its ports' resets); but a disk driver waits for the
 * rest's loads in flight (pump: the disks' names follow the bus order). The rest of the queue has one worker per CPU at nice BG_NICE: their loads take less
 * of the root's CPU (module init runs in the loading thread; only less, as a non-preemptible
 * kernel's relocation and init do not yield to a nicer thread). */
#define WORKERS_MAX 8
#define URGENT_EXTRA 1    /* urgent workers: one per CPU and this many (3 were no faster on one CPU) */
#define BG_NICE 19
/* Module numbers, written as modules are queued: left uninitialised (malloc), only the pages of the
 * entries used are ever touched (1121 modules of Debian's cloud kernel, a few hundred queued). */
static uint32_t *queue;
static size_t qhead, qtail;           /* every module is queued at most once */
static uint32_t *urgent;
static size_t uhead, utail;           /* disk drivers, ahead of the queue while a stage waits for disks */
/* Held back while the root waits for its disks: modules of the classes that never provide one
 * (kmod_never_disk: drivers/gpu, sound, input, hid, media, hwmon, ...), by their path in modules.dep.
 * They join the queue once ferry.timeout='s bound has passed; a handoff before that leaves them to
 * the target's udev with the rest. A module a disk driver needs is taken out at once. */
static uint32_t *held;
static size_t htail;
static bool holding;
static struct loop_timer hold_timer = { .fd = -1 };
enum { POOL_URGENT, POOL_BG, POOLS };
static struct pool {
	unsigned n, running;          /* running: handed to its workers, result not yet taken */
	pthread_cond_t cv;            /* work for this pool */
	size_t todo[WORKERS_MAX];     /* under mu */
	unsigned ntodo;
} pools[POOLS] = { { .cv = PTHREAD_COND_INITIALIZER }, { .cv = PTHREAD_COND_INITIALIZER } };
static unsigned running;              /* in both pools */
static unsigned running_dev;          /* of those, the loads that may add devices (adds_devices) */
static bool stopping;                 /* the handoff: no new load starts */
/* The root's devices are all there (crypt's too: the root job runs after it): no queued load but
 * the plan's own (its filesystems, rd.modules_load=: urgent[0..uplan)) starts from then, not even
 * another disk's driver, so the root's own work (its probes, mounts and the modules it asks for,
 * loaded on the loop) has the CPU, and the handoff, which waits for the loads in flight, finds none
 * begun since; what is queued is left to the target's udev, or goes on once ferry.timeout= has
 * passed without a handoff. */
static bool paused;
static size_t uplan;
static struct loop_timer pause_timer = { .fd = -1 };
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv_done = PTHREAD_COND_INITIALIZER;
static struct { size_t m; int ret; unsigned pool; } results[2 * WORKERS_MAX];
/* What each background worker is loading (under mu), so a stage that asks for that module can lend
 * it its priority: a load at BG_NICE that the root waits for would otherwise crawl on one CPU
 * behind the disks' drivers (priority inversion). */
static struct { pid_t tid; ssize_t m; bool boosted; } bgw[WORKERS_MAX];
static unsigned nresults;
static int evfd = -1;

static struct modindex map;
static const char *modroot = "", *release;  /* modprobe -d DIR, -S VERSION (tests and bench) */
static const char *index_from = "text";

/* modules.ferry, mapped and checked: 0, or why not (then the text files are read). The index must
 * be of this modules.dep (its size) and pass every check of modindex_open. */
static int index_map(const char *depfile)
{
	char path[256];
	struct stat st, dst;
	void *p;
	int fd, ret;

	snprintf(path, sizeof(path), "%s/modules.ferry", moddir);
	if ((fd = file_open_regular(path)) < 0)
		return fd;
	if (fstat(fd, &st) < 0 || st.st_size <= 0 || st.st_size > MODINDEX_MAX) {
		close(fd);
		return -EBADMSG;
	}
	p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (p == MAP_FAILED)
		return -errno;
	ret = modindex_open(&map, p, (size_t)st.st_size);
	if (ret == 0 && (stat(depfile, &dst) < 0 || dst.st_size != (off_t)map.dep_size))
		ret = -ESTALE;
	if (ret == 0)
		ret = modindex_to_kmod(&map, &idx);
	if (ret < 0) {
		munmap(p, (size_t)st.st_size);
		log_warn("modules", "%s: %s; reading modules.dep and modules.alias instead", path,
			 ret == -EBADMSG ? "corrupt (refused)" : ret == -ESTALE ? "not of this modules.dep" : strerror(-ret));
		return ret;
	}
	index_from = "modules.ferry";
	return 0;
}

/* modules.ferry of the running kernel, else modules.dep and modules.alias, read once. */
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
	snprintf(moddir, sizeof(moddir), "%s/lib/modules/%s", modroot, release ? release : u.release);
	snprintf(path, sizeof(path), "%s/modules.dep", moddir);
	if (index_map(path) == 0)
		goto have;
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
have:
	state = calloc(idx.nmods ? idx.nmods : 1, 1);
	/* uint32_t holds every module number: modules.ferry counts in u32, modules.dep is < 64 MiB */
	queue = malloc((idx.nmods ? idx.nmods : 1) * sizeof(*queue));
	urgent = malloc((idx.nmods ? idx.nmods : 1) * sizeof(*urgent));
	held = malloc((idx.nmods ? idx.nmods : 1) * sizeof(*held));
	if (!state || !queue || !urgent || !held)
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

/* A load's outcome, on the loop's thread. A module loaded meanwhile by a stage's own request is
 * not counted twice. */
static void finish(size_t m, int ret)
{

	if (state[m] == M_LIVE || state[m] == M_FAILED)
		return;
	state[m] = ret == 0 ? M_LIVE : M_FAILED;
	if (ret == -ENODEV) {
		/* The driver found none of its hardware: normal for coldplug's CPU and ACPI aliases. */
		log_debug("modules", "%s: no device for it", kmod_name(&idx, m));
	} else if (ret < 0) {
		nfailed++;
		log_err("modules", "loading %s (%s): %s", kmod_name(&idx, m), kmod_path(&idx, m),
			ret == -ENOEXEC ? "not a module for this kernel" : strerror(-ret));
	} else {
		nloaded++;
		log_debug("modules", "loaded %s", kmod_name(&idx, m));
	}
}

/* A stage waits for module m: the background worker loading it (if one is) gets nice 0 until its
 * next load. Lowering a nice needs CAP_SYS_NICE, which PID 1 has. */
static void boost(size_t m)
{
	pthread_mutex_lock(&mu);
	for (unsigned i = 0; i < WORKERS_MAX; i++)
		if (bgw[i].tid && bgw[i].m == (ssize_t)m && !bgw[i].boosted) {
			bgw[i].boosted = setpriority(PRIO_PROCESS, (id_t)bgw[i].tid, 0) == 0;
			log_debug("modules", "%s: wanted now, its load lent nice 0%s", kmod_name(&idx, m),
				  bgw[i].boosted ? "" : " (refused)");
		}
	pthread_mutex_unlock(&mu);
}

static int load_with_deps(size_t m)
{
	size_t order[KMOD_DEPTH_MAX * 4];
	ssize_t n = kmod_load_order(&idx, m, order, 0, sizeof(order) / sizeof(*order));
	int ret = 0;

	if (n < 0) {
		log_err("modules", "%s: dependencies in modules.dep: %s", kmod_name(&idx, m), strerror((int)-n));
		state[m] = M_FAILED;
		return (int)n;
	}
	for (ssize_t i = 0; i < n && ret == 0; i++) {
		if (state[order[i]] == M_LIVE)
			continue;
		if (state[order[i]] == M_FAILED)
			return -EIO;
		if (state[order[i]] == M_RUNNING)
			boost(order[i]);
		log_debug("modules", "%s: asked for by a stage, loaded now", kmod_name(&idx, order[i]));
		finish(order[i], ret = load_path(kmod_path(&idx, order[i])));
	}
	return ret;
}

static void *worker(void *arg)
{
	struct pool *pl = arg;
	uint64_t one = 1;

	pid_t tid = (pid_t)syscall(SYS_gettid);
	int slot = -1;

	pthread_mutex_lock(&mu);
	/* the background pool's threads only: raising one's nice needs no privilege */
	if (pl == &pools[POOL_BG]) {
		(void)setpriority(PRIO_PROCESS, (id_t)tid, BG_NICE);
		for (slot = 0; slot < WORKERS_MAX && bgw[slot].tid; slot++)
			;
		if (slot < WORKERS_MAX)
			bgw[slot] = (typeof(bgw[0])){ tid, -1, false };
		else
			slot = -1;
	}
	for (;;) {
		while (!pl->ntodo)
			pthread_cond_wait(&pl->cv, &mu);
		size_t m = pl->todo[--pl->ntodo];
		if (slot >= 0) {
			if (bgw[slot].boosted)
				(void)setpriority(PRIO_PROCESS, (id_t)tid, BG_NICE);
			bgw[slot].boosted = false;
			bgw[slot].m = (ssize_t)m;
		}
		pthread_mutex_unlock(&mu);
		int ret = load_path(kmod_path(&idx, m));
		pthread_mutex_lock(&mu);
		if (slot >= 0)
			bgw[slot].m = -1;
		results[nresults].m = m;
		results[nresults].pool = (unsigned)(pl - pools);
		results[nresults++].ret = ret;
		pthread_cond_broadcast(&cv_done);
		(void)!write(evfd, &one, sizeof(one));
	}
	return NULL;
}

/* 1: every dependency is live; 0: one is still to come; -1: one failed. */
static int deps_live(size_t m)
{
	int ready = 1;

	for (size_t i = 0, n = kmod_ndeps(&idx, m); i < n; i++) {
		size_t d = kmod_dep(&idx, m, i);
		if (state[d] == M_FAILED)
			return -1;
		if (state[d] != M_LIVE)
			ready = 0;
	}
	return ready;
}

static void settle_check(void);
static bool gate_wanted(void);
/* While the root waits for its disks (not with ferry.modules=settle, no root= or a kexec: then
 * everything loads before the root job starts anyway) */
static bool holding_wanted(void)
{
	return plan->root.given && !gate_wanted();
}

/* The pool that loads a queue's modules: its own, else the other one when none of its threads
 * could be started; NULL: no worker at all, load on the loop's thread. */
static struct pool *pool_for(unsigned which)
{
	if (pools[which].n)
		return &pools[which];
	return pools[!which].n ? &pools[!which] : NULL;
}

/* May a load add devices while it runs (a bus or host driver, a disk driver: what pump's rule waits
 * for)? A filesystem, a cipher or one of the kernel's library modules never does. */
static bool adds_devices(size_t m)
{
	const char *p = kmod_path(&idx, m);

	return !strstr(p, "/fs/") && !strstr(p, "/crypto/") && !strstr(p, "kernel/lib/");
}

/* Hand ready modules of q[*head..tail) to idle workers of the pool; without workers (none could be
 * started) load them here. quiet: only those that add no device (adds_devices). */
static void pump_one(const uint32_t *q, size_t *head, size_t tail, struct pool *pl, bool quiet)
{
	while (*head < tail && state[q[*head]] != M_QUEUED)
		(*head)++;
	for (size_t i = *head; i < tail && !stopping && (!pl || pl->running < pl->n); i++) {
		size_t m = q[i];
		int r;

		if (state[m] != M_QUEUED || (quiet && adds_devices(m)) || (r = deps_live(m)) == 0)
			continue;
		if (r < 0) {
			state[m] = M_FAILED;
			log_debug("modules", "%s: not loaded, a dependency failed", kmod_name(&idx, m));
			continue;
		}
		if (!pl) {
			finish(m, load_path(kmod_path(&idx, m)));
			continue;
		}
		state[m] = M_RUNNING;
		running++;
		running_dev += adds_devices(m);
		pl->running++;
		log_debug("modules", "%s: to a worker (%s)", kmod_name(&idx, m), pl == &pools[POOL_URGENT] ? "first" :
			  "rest");
		pthread_mutex_lock(&mu);
		pl->todo[pl->ntodo++] = m;
		pthread_cond_signal(&pl->cv);
		pthread_mutex_unlock(&mu);
	}
	while (*head < tail && state[q[*head]] != M_QUEUED)
		(*head)++;
}

/* Is a module of q[head..tail) queued with its dependencies live (it would start now)? One that
 * still waits for a dependency queued in the other pool does not hold that pool back. */
static bool ready_in(const uint32_t *q, size_t head, size_t tail)
{
	for (size_t i = head; i < tail; i++)
		if (state[q[i]] == M_QUEUED && deps_live(q[i]) == 1)
			return true;
	return false;
}

/* A disk driver starts only once no other load that may add devices is in flight (in either pool: a
 * bus driver may be loading in either), and while one waits, of the rest only what adds no device
 * starts (a filesystem, a cipher, a library: rd.modules_load='s squashfs and overlay, named after
 * the disks' drivers, load while the disks' chain runs, not behind it), and nothing of the
 * background queue, so that the disk driver has the next worker. A bus driver
 * still adding its devices (virtio_pci binds every disk before its init returns) would race the disk
 * driver's registration, and the disks' kernel names (vdb, vdc, what root=/dev/vdb and rootrw= name)
 * would follow that race instead of the bus order: a rootrw= could land on another disk. A
 * filesystem, a cipher or a library in flight adds no device: the plan's overlay, queued first,
 * held virtio's chain for 120 ms under TCG while it loaded. */
static void pump(void)
{
	size_t utop = paused && uplan < utail ? uplan : utail;  /* paused: the plan's own only */
	bool disks = ready_in(urgent, uhead, utop);

	pump_one(urgent, &uhead, utop, pool_for(POOL_URGENT), disks && running_dev);
	if (!paused && !disks)
		pump_one(queue, &qhead, qtail, pool_for(POOL_BG), false);
}

/* The drivers of disks (and what they need) go first while crypt or root wait for their devices:
 * virtio_blk, nvme, mmc_block, sd_mod, usb-storage, mtd, md. */
static bool disk_driver(const char *path)
{
	static const char *const dirs[] = { "/drivers/block/", "/drivers/nvme/", "/drivers/mmc/", "/drivers/mtd/",
					    "/drivers/md/", "/drivers/scsi/", "/drivers/usb/storage/" };

	for (size_t i = 0; i < sizeof(dirs) / sizeof(*dirs); i++)
		if (strstr(path, dirs[i]))
			return true;
	return false;
}

/* Results of the workers, on the loop's thread (mu held by the caller). */
static void take_results(void)
{
	while (nresults) {
		nresults--;
		running--;
		running_dev -= adds_devices(results[nresults].m);
		pools[results[nresults].pool].running--;
		finish(results[nresults].m, results[nresults].ret == -EEXIST ? 0 : results[nresults].ret);
	}
}

static void on_worker(void *arg, uint32_t ev)
{
	uint64_t n;

	(void)!read(evfd, &n, sizeof(n));
	pthread_mutex_lock(&mu);
	take_results();
	pthread_mutex_unlock(&mu);
	pump();
	settle_check();
}

/* A modalias of a storage device or controller: PCI class 01 (mass storage: virtio-blk, AHCI,
 * NVMe, IDE), virtio block and SCSI, USB mass storage (interface class 08), an MMC/SD card. */
static bool storage_alias(const char *a)
{
	if (!strncmp(a, "pci:", 4)) {
		const char *bc = strstr(a, "bc");
		return bc && !strncmp(bc, "bc01", 4);
	}
	if (!strncmp(a, "usb:", 4))
		return strstr(a, "ic08") != NULL;
	return !strncmp(a, "virtio:d00000002v", 17) || !strncmp(a, "virtio:d00000008v", 17) ||
	       !strncmp(a, "mmc:block", 9) || !strncmp(a, "scsi:t-0x00", 11);
}

/* Whether the drivers of every disk found go first: while crypt or root wait for disks, unless
 * rd.modules_load= names the modules (a product that names its root's drivers has said which
 * disks matter; the others load with the rest, at BG_NICE). */
static bool disks_guessed(void)
{
	return (plan->root.given || plan->crypt.n) && !plan->modules_load_n;
}

/* Queue a module and what it needs, dependencies first; first: to the front. */
static void enqueue(size_t m, bool first)
{
	size_t order[KMOD_DEPTH_MAX * 4];
	ssize_t n;

	if (state[m] != M_NONE && state[m] != M_HELD)
		return;
	n = kmod_load_order(&idx, m, order, 0, sizeof(order) / sizeof(*order));
	if (n < 0) {
		log_err("modules", "%s: dependencies in modules.dep: %s", kmod_name(&idx, m), strerror((int)-n));
		state[m] = M_FAILED;
		return;
	}
	first = first || (disks_guessed() && disk_driver(kmod_path(&idx, m)));
	bool hold = holding && !first && kmod_never_disk(kmod_path(&idx, m));
	if (hold && state[m] == M_HELD)
		return;
	/* each module enters held once (from M_NONE), and queue or urgent once (from M_NONE or M_HELD) */
	for (ssize_t i = 0; i < n; i++) {
		uint32_t d = (uint32_t)order[i];
		if (state[d] == M_NONE && hold) {
			state[d] = M_HELD;
			held[htail++] = d;
		} else if (state[d] == M_NONE || state[d] == M_HELD) {
			state[d] = M_QUEUED;
			if (first)
				urgent[utail++] = d;
			else
				queue[qtail++] = d;
		}
	}
}

/* The held modules join the queue (ferry.timeout='s bound passed). */
static void hold_release(void *arg, uint32_t ev)
{
	size_t k = 0;

	if (!holding)
		return;
	holding = false;
	loop_timer_cancel(loop, &hold_timer);
	for (size_t i = 0; i < htail; i++)
		if (state[held[i]] == M_HELD) {
			state[held[i]] = M_QUEUED;
			queue[qtail++] = held[i];
			k++;
		}
	log_info("modules", "%zu modules held back (classes that never provide a disk) queued now, %u ms "
		 "after the start", k, dev_timeout_ms());
	pump();
	settle_check();
}

static size_t queued_now(const uint32_t *q, size_t head, size_t tail)
{
	size_t n = 0;

	for (size_t i = head; i < tail; i++)
		n += state[q[i]] == M_QUEUED;
	return n;
}

/* ferry.timeout='s bound since the pause passed and no handoff came: the root failed or a preinit
 * runs long; the queue goes on. */
static void pause_end(void *arg, uint32_t ev)
{
	paused = false;
	log_debug("modules", "ferry.timeout='s bound passed since the root's devices were there: %zu queued "
		  "loads go on", queued_now(queue, qhead, qtail));
	pump();
	settle_check();
}

void modules_root_devices(void)
{
	if (paused || !holding_wanted() || job_modules.state != JOB_RUNNING || stopping ||
	    loop_timer_arm(loop, &pause_timer, dev_timeout_ms(), pause_end, NULL) < 0)
		return;
	paused = true;
	log_debug("modules", "the root's devices are there: %u loads in flight finish, %zu queued wait (the "
		  "plan's own go on)", running, queued_now(queue, qhead, qtail) + queued_now(urgent, uplan, utail));
}

/* A modalias from coldplug or a uevent: its modules go to the back of the queue. */
static void queue_alias(const char *alias)
{
	char norm[256];
	size_t found[128], n;

	if (loading_off || stopping || kmod_normalize(alias, norm, sizeof(norm)) < 0)
		return;
	n = kmod_alias_lookup(&idx, norm, found, sizeof(found) / sizeof(*found));
	bool first = disks_guessed() && storage_alias(norm);
	for (size_t i = 0; i < n; i++)
		enqueue(found[i], first);
	if (n)
		log_debug("modules", "%s: %zu modules queued (%zu waiting)", alias, n, qtail - qhead + utail - uhead);
}

/* The two pools' threads: 0, or -1 when none could be started (then the loop's thread loads). */
static int workers_start(void)
{
	cpu_set_t cpus;
	pthread_attr_t attr;
	unsigned ncpu = 1, want[POOLS];

	if (sched_getaffinity(0, sizeof(cpus), &cpus) == 0 && CPU_COUNT(&cpus) > 1)
		ncpu = (unsigned)CPU_COUNT(&cpus);
	want[POOL_BG] = ncpu < WORKERS_MAX ? ncpu : WORKERS_MAX;
	want[POOL_URGENT] = ncpu + URGENT_EXTRA < WORKERS_MAX ? ncpu + URGENT_EXTRA : WORKERS_MAX;
	if ((evfd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)) < 0 ||
	    loop_watch(loop, evfd, EPOLLIN, on_worker, NULL) < 0) {
		log_err("modules", "eventfd: %s; loading on the loop's thread", strerror(errno));
		return -1;
	}
	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, 64 << 10);
	for (unsigned p = 0; p < POOLS; p++)
		for (; pools[p].n < want[p]; pools[p].n++) {
			pthread_t t;
			if (pthread_create(&t, &attr, worker, &pools[p]))
				break;
			pthread_detach(t);
		}
	pthread_attr_destroy(&attr);
	if (!pools[POOL_URGENT].n && !pools[POOL_BG].n) {
		log_err("modules", "no worker thread; loading on the loop's thread");
		return -1;
	}
	return 0;
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

/* The workers' results so far, without waiting, and the next loads handed out: coldplug keeps the
 * workers busy while it walks. */
static void poll_workers(void)
{
	pthread_mutex_lock(&mu);
	take_results();
	pthread_mutex_unlock(&mu);
	pump();
}

/* The top of /sys/devices where disks and their controllers are (PCI, then the platform bus of
 * SoCs: MMC, NVMe, virtio-mmio), walked before the rest (ACPI's tree, isa, pnp, system: a
 * server's ACPI tree has hundreds of modaliases), so the disks' drivers start first. */
static bool storage_top(const char *name)
{
	return !strncmp(name, "pci", 3) || !strcmp(name, "platform");
}

/* Walk /sys/devices for modalias files; depth-bounded, symlinks not followed. Devices in
 * /sys/devices/virtual have no bus and no modalias, and no power/ directory has one: not entered.
 * The top is walked twice: storage_top's entries, then the others. */
static void coldplug(int dirfd, int depth)
{
	DIR *d = fdopendir(dirfd);
	struct dirent *e;

	if (!d) {
		close(dirfd);
		return;
	}
	for (int pass = depth ? 1 : 0; pass < 2; pass++, rewinddir(d)) {
		while ((e = readdir(d))) {
			if (e->d_name[0] == '.' || (!depth && storage_top(e->d_name) == pass))
				continue;
			if (e->d_type == DT_DIR && depth < 16) {
				if (!strcmp(e->d_name, "power") || (!depth && !strcmp(e->d_name, "virtual")))
					continue;
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
				queue_alias(alias);
				poll_workers();
			}
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
	size_t h = 0;
	for (size_t i = 0; holding && i < htail; i++)
		h += state[held[i]] == M_HELD;
	log_info("modules", "%u loaded, %u failed, %zu held back (%zu modules, %zu aliases in %s, from %s)",
		 nloaded, nfailed, h, idx.nmods, idx.naliases, moddir, index_from);
	job_done(&job_modules);
	if (job_modules_settle.state == JOB_RUNNING)
		job_done(&job_modules_settle);
	dev_waits_modules_settled();
}

static void settle_bound(void *arg, uint32_t ev)
{
	log_warn("modules", "uevents not settled %d ms after the queue emptied (seen %llu of %llu); going on",
		 SETTLE_BOUND_MS, seq_seen, kernel_seqnum());
	settled();
}

/* Settled: nothing queued, nothing loading, and every uevent the kernel has sent handled (bounded
 * from the moment the queue is empty). */
static void settle_check(void)
{
	if (job_modules.state != JOB_RUNNING || qhead < qtail || uhead < utail || running)
		return;
	if (seq_seen >= kernel_seqnum())
		settled();
	else if (!settle_timer.live && loop_timer_arm(loop, &settle_timer, SETTLE_BOUND_MS, settle_bound, NULL) < 0)
		settled();
}

static void on_uevent(const struct uevent *ev, void *arg)
{
	int fd;

	if (!ev) {  /* events were lost: coldplug again, so no device misses its driver */
		if ((fd = open("/sys/devices", O_RDONLY | O_DIRECTORY | O_CLOEXEC)) >= 0)
			coldplug(fd, 0);
		seq_seen = kernel_seqnum();
		pump();
		settle_check();
		return;
	}
	if (ev->modalias && !strcmp(ev->action, "add"))
		queue_alias(ev->modalias);
	if (ev->seqnum_valid && ev->seqnum > seq_seen)
		seq_seen = ev->seqnum;
	pump();
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

/* A filesystem the plan names: its module (fs-TYPE, else TYPE) goes first, beside the disks'
 * drivers (on SMP it loads on another CPU while they probe; on one CPU it costs the disks what it
 * saves after them). A type built into
 * the kernel (ext4, tmpfs) has none and is skipped without a word. */
static void preload_fs(const char *type)
{
	char alias[48];
	size_t found[4], n;
	ssize_t m;

	if (!type[0] || snprintf(alias, sizeof(alias), "fs-%s", type) >= (int)sizeof(alias))
		return;
	n = kmod_alias_lookup(&idx, alias, found, sizeof(found) / sizeof(*found));
	if (!n && (m = kmod_find(&idx, type)) >= 0)
		found[n++] = (size_t)m;
	for (size_t i = 0; i < n; i++) {
		enqueue(found[i], true);
		log_debug("modules", "%s: first, before any disk (the plan's filesystem %s)", kmod_name(&idx, found[i]), type);
	}
}

/* The filesystems the plan names are queued before any device exists: the overlay of a root=, the
 * lower's rootfstype= and the rw's rootrwfstype= (the root job would load them only once the
 * devices are there and probed). rd.modules_load=: the named modules (and their dependencies) go
 * first, ahead of coldplug's. */
static void preload(void)
{
	char norm[64];
	ssize_t m;

	for (unsigned i = 0; i < plan->modules_load_n; i++) {
		if (kmod_normalize(plan->modules_load[i], norm, sizeof(norm)) < 0 || (m = kmod_find(&idx, norm)) < 0)
			log_err("modules", "rd.modules_load=%s: no such module in %s", plan->modules_load[i], moddir);
		else
			enqueue((size_t)m, true);
	}
	if (plan->root.given) {
		preload_fs("overlay");
		preload_fs(plan->root.r.lower.fstype);
		preload_fs(plan->root.r.rw.fstype);
	}
}

static int modules_start(struct job *j)
{
	uint64_t t0 = loop_now_ms(), t1;
	int ret = modules_index(), fd;

	t1 = loop_now_ms();
	if (ret < 0) {
		log_info("modules", "no modules for this kernel (%s/modules.dep: %s)", moddir, strerror(-ret));
		return 0;
	}
	(void)workers_start();
	/* While the root waits for its disks (not with ferry.modules=settle, no root= or a kexec: then
	 * everything loads before the root job starts anyway) */
	holding = holding_wanted();
	if (holding && loop_timer_arm(loop, &hold_timer, dev_timeout_ms(), hold_release, NULL) < 0)
		holding = false;
	preload();
	uplan = utail;
	/* Subscribe before the walk: a device that appears during it still gets its driver. */
	seq_seen = kernel_seqnum();
	if ((ret = uevent_subscribe(on_uevent, NULL)) < 0) {
		log_err("modules", "uevent socket: %s; only coldplug", strerror(-ret));
		seq_seen = ~0ull;
	}
	fd = open("/sys/devices", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0)
		coldplug(fd, 0);
	log_debug("modules", "coldplug: %zu modules queued (%zu of them first), %u + %u workers (first, rest); "
		  "index (%s) read in %llu ms, /sys walked in %llu ms", qtail + utail, utail, pools[POOL_URGENT].n,
		  pools[POOL_BG].n, index_from,
		  (unsigned long long)(t1 - t0), (unsigned long long)(loop_now_ms() - t1));
	pump();
	settle_check();
	return JOB_PENDING;
}

struct job job_modules = {
	.name = "modules",
	.after = { "early" },
	.start = modules_start,
	.enabled = modules_enabled,
};

/* The handoff: no new load starts; the loads in flight finish (bounded by DRAIN_BOUND_MS); what is
 * still queued is left to the target's udev, which loads it from the same uevents. */
void modules_handoff(void)
{
	struct timespec deadline;
	size_t left = 0;

	/* Also after the job settled: a device added since (hotplug) may have a load in flight. */
	stopping = true;
	loop_timer_cancel(loop, &hold_timer);
	loop_timer_cancel(loop, &pause_timer);
	if (job_modules.state != JOB_RUNNING && !running)
		return;
	loop_timer_cancel(loop, &settle_timer);
	clock_gettime(CLOCK_REALTIME, &deadline);
	deadline.tv_sec += DRAIN_BOUND_MS / 1000;
	pthread_mutex_lock(&mu);
	take_results();
	while (running && pthread_cond_timedwait(&cv_done, &mu, &deadline) == 0)
		take_results();
	take_results();
	pthread_mutex_unlock(&mu);
	for (size_t i = qhead; i < qtail; i++)
		left += state[queue[i]] == M_QUEUED;
	for (size_t i = uhead; i < utail; i++)
		left += state[urgent[i]] == M_QUEUED;
	for (size_t i = 0; i < htail; i++)
		left += state[held[i]] == M_HELD;
	if (running)
		log_warn("modules", "handoff: %u loads still running after %d ms", running, DRAIN_BOUND_MS);
	log_info("modules", "handoff: %u loaded, %u failed, %zu queued left to the target's udev (%zu modules, "
		 "%zu aliases in %s, from %s)", nloaded, nfailed, left, idx.nmods, idx.naliases, moddir, index_from);
	if (job_modules.state == JOB_RUNNING) {
		job_done(&job_modules);
		dev_waits_modules_settled();
	}
}

/* ferry.modules=settle, no new root to hand over to (rootinit runs in place, where no udev loads
 * the rest), or a kexec handoff (its scan wants every disk's driver): crypt, root, kexec and the
 * handoff wait until the modules job has settled. */
static bool gate_wanted(void)
{
	return plan->modules && (plan->modules_settle || !plan->root.given || handoff_decide().kexec);
}

static int gate_enabled(void)
{
	return gate_wanted();
}

static int gate_start(struct job *j)
{
	return job_modules.state == JOB_RUNNING || job_modules.state == JOB_WAITING ? JOB_PENDING : 0;
}

struct job job_modules_settle = {
	.name = "modules-settle",
	.after = { "early" },
	.start = gate_start,
	.enabled = gate_enabled,
};

/* modprobe -n [-d DIR] [-S VERSION] NAME: what would be loaded, in order, one path a line
 * (kmod's -n -v prints "insmod PATH"); nothing is loaded. For tests and tests/bench/modules.sh. */
static int modprobe_dry(const char *name)
{
	size_t found[16], order[KMOD_DEPTH_MAX * 4], n, total = 0;
	int ret = modules_index();

	if (ret < 0) {
		fprintf(stderr, "modprobe: %s/modules.dep: %s\n", moddir, strerror(-ret));
		return 1;
	}
	n = kmod_lookup(&idx, name, found, sizeof(found) / sizeof(*found));
	for (size_t i = 0; i < n; i++) {
		ssize_t k = kmod_load_order(&idx, found[i], order, total, sizeof(order) / sizeof(*order));
		if (k < 0)
			continue;
		for (size_t j = total; j < (size_t)k; j++)
			printf("insmod %s/%s\n", moddir, kmod_path(&idx, order[j]));
		total = (size_t)k;
	}
	return n ? 0 : 1;
}

/* The kernel runs "/sbin/modprobe -q -- NAME" for request_module(); /sbin/modprobe links to ferry. */
int modprobe_main(int argc, char **argv)
{
	const char *name = NULL;
	bool quiet = false, dry = false;
	int ret;

	for (int i = 1; i < argc; i++)
		if (argv[i][0] != '-' || !strcmp(argv[i], "-"))
			name = argv[i];
		else if (!strcmp(argv[i], "-q") || !strcmp(argv[i], "--quiet"))
			quiet = true;
		else if (!strcmp(argv[i], "-n") || !strcmp(argv[i], "--dry-run"))
			dry = true;
		else if ((!strcmp(argv[i], "-d") || !strcmp(argv[i], "-S")) && i + 1 < argc) {
			*(argv[i][1] == 'd' ? &modroot : &release) = argv[i + 1];
			i++;
		}
	if (!name)
		return 2;
	if (dry)
		return modprobe_dry(name);
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
	if (p->modules && p->modules_load_n) {
		fprintf(out, "modules: first, ahead of coldplug's (rd.modules_load=):");
		for (unsigned i = 0; i < p->modules_load_n; i++)
			fprintf(out, " %s", p->modules_load[i]);
		fputc('\n', out);
	}
	if (p->modules && p->root.given && !gate_wanted()) {
		fprintf(out, "modules: first: %s, and before any disk exists the filesystems overlay%s%s%s%s\n",
			p->modules_load_n ? "the modules rd.modules_load= names (the other disks' drivers with the rest)" :
			"the drivers of disks as they are found", p->root.r.lower.fstype[0] ? ", " : "", p->root.r.lower.fstype,
			p->root.r.rw.fstype[0] ? ", " : "", p->root.r.rw.fstype);
		fprintf(out, "modules: held back while the root waits for its disks (never a disk: drivers/gpu, sound, "
			"input, hid, media, hwmon, ...): for ferry.timeout=%us, then queued\n", p->timeout_s);
	}
	if (p->modules)
		fprintf(out, "modules: %s\n", p->modules_settle ? "crypt, root and the handoff wait until the modules job "
			"has settled (ferry.modules=settle)" : "crypt and root start at once; at the handoff the loads in "
			"flight finish and the target's udev loads the rest (with a root= and switch_root)");
}
