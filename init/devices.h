/* The device-waiting service: a job asks "call me when LABEL=x exists" and goes on; each block or
 * UBI uevent re-checks what is still awaited. Nothing sleeps and nothing polls. */
#ifndef FERRY_DEVICES_H
#define FERRY_DEVICES_H
#include <stdbool.h>
#include <stddef.h>

/* Is the device there now? 0 and its node (or UBI source) in out; -ENOENT not yet; -EINVAL a spec
 * that names no device form. */
int dev_resolve_now(const char *spec, char *out, size_t len);
/* The same for a device that will be mounted read-write: tags matched by libblkid's safe probe
 * only (see blk_match_node), never by the 4 KiB shortcut. */
int dev_resolve_now_rw(const char *spec, char *out, size_t len);
/* Does finding spec read the disks (LABEL=, UUID=, PARTUUID=)? dev_wait then probes in a child,
 * out of the loop; dev_resolve_now would probe in place. */
bool dev_reads_disks(const char *spec);

/* dev_resolve_now out of the loop, for specs that read the disks: the walk over the disks in a
 * child, bounded (the first a quarter of timeout_ms); a disk it gets no answer from is set apart
 * (probed on its own) and the walk starts again without it, as dev_wait's scan does. fn(arg, node,
 * 0), fn(arg, NULL, -errno) (-ENOENT: not there, every disk answered), or at timeout_ms (the
 * children killed) fn(arg, DISKS, -ETIMEDOUT) with DISKS the sysnames without an answer ("vdb",
 * "vdb, vdc"; "" not known); always from the loop. No child to be had: looked up on the loop.
 * < 0: nothing started. dev_resolve_at(arg): the disks the lookup for arg has no answer from now
 * (""). dev_resolve_cancel(arg): fn is not called for arg (its children killed). */
int dev_resolve_async(const char *spec, unsigned timeout_ms, void (*fn)(void *arg, const char *node, int err),
		      void *arg);
const char *dev_resolve_at(void *arg);
void dev_resolve_cancel(void *arg);
/* The same, waited for (the handoff, when nothing else runs on the loop): 0, -errno, or -ETIMEDOUT
 * with the disks without an answer in out. */
int dev_resolve_wait(const char *spec, unsigned timeout_ms, char *out, size_t len);

/* Wait for spec. fn(arg, devnode, 0) once it exists (never from inside dev_wait: always from the
 * loop), or fn(arg, NULL, -ETIMEDOUT) after timeout_ms. forever: no deadline, but a line every 5 s
 * says what is still missing. A spec that reads the disks is looked for by scans of every disk as a
 * lookup's walks (the first bounded at a quarter of timeout_ms, at most 15 s; forever: 15 s).
 * Returns 0, or -EINVAL (bad spec) / -ENOSPC / -errno. */
int dev_wait(const char *spec, unsigned timeout_ms, bool forever,
	     void (*fn)(void *arg, const char *devnode, int err), void *arg);
int dev_wait_rw(const char *spec, unsigned timeout_ms, bool forever,
		void (*fn)(void *arg, const char *devnode, int err), void *arg);

/* The default bound of a device wait: ferry.timeout= seconds (default 10), in ms. */
unsigned dev_timeout_ms(void);
/* The modules job has settled (or stopped): device waits whose bound ran out meanwhile get it again
 * from now. */
void dev_waits_modules_settled(void);

#endif
