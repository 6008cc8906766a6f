/* modules.dep and modules.alias as depmod writes them, parsed from buffers: which files a module
 * needs loaded first, and which modules an alias ("pci:v00008086d...", "fs-overlay") names.
 * Pure: no I/O, no loading (init/modules.c loads with finit_module). */
#ifndef FERRY_KMOD_H
#define FERRY_KMOD_H
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#define KMOD_NAME_MAX 64   /* MODULE_NAME_LEN in the kernel, the NUL included */
#define KMOD_DEPTH_MAX 32  /* deeper dependency chains are taken for a loop */

enum kmod_comp { KMOD_COMP_NONE, KMOD_COMP_GZ, KMOD_COMP_XZ, KMOD_COMP_ZST };

struct kmod_module {
	const char *name;   /* normalised: "dm_crypt" */
	const char *path;   /* as modules.dep has it, relative to /lib/modules/<version> */
	size_t *deps;       /* indices into mods, in modules.dep order (load them last to first) */
	size_t ndeps;
	size_t nmissing;    /* dependencies named in modules.dep that have no line of their own */
};

struct kmod_alias {
	const char *pattern; /* normalised, fnmatch-style: '*', '?', '[...]' */
	const char *raw;     /* the pattern as written, for copying the line */
	const char *module;  /* normalised module name */
};
struct modindex;
struct kmod_byname {
	const char *name;
	size_t idx;
};

struct kmod_index {
	struct kmod_module *mods;
	size_t nmods;
	struct kmod_alias *aliases;
	size_t naliases;
	struct kmod_byname *by_name; /* mods sorted by name, for kmod_find */
	size_t *dep_pool;
	char *dep_text, *alias_text;
	/* Set by modindex_to_kmod: modules, dependencies and aliases are read in place from a checked
	 * modules.ferry (lib/core/modindex.c), and none of the arrays above is filled: a module's
	 * fields are read through kmod_name, kmod_path, kmod_ndeps and kmod_dep, which serve both. */
	const struct modindex *ix;
};

/* Both parsers replace what the index held of that file. Lines that make no sense are skipped,
 * as depmod's readers do. 0 or -ENOMEM. */
int kmod_parse_dep(struct kmod_index *x, const char *buf, size_t len);
int kmod_parse_alias(struct kmod_index *x, const char *buf, size_t len);
void kmod_index_free(struct kmod_index *x);

/* Module m (< x->nmods): its normalised name, its path as modules.dep has it, its dependencies
 * (indices, modules.dep order: load them last to first). */
const char *kmod_name(const struct kmod_index *x, size_t m);
const char *kmod_path(const struct kmod_index *x, size_t m);
size_t kmod_ndeps(const struct kmod_index *x, size_t m);
size_t kmod_dep(const struct kmod_index *x, size_t m, size_t i);
/* The module of that name ('-' and '_' alike; a path or file name works too): its index,
 * or -ENOENT. */
ssize_t kmod_find(const struct kmod_index *x, const char *name);
/* The first module of exactly that normalised name (no path forms), or -ENOENT: how an alias's
 * module is resolved. */
ssize_t kmod_find_exact(const struct kmod_index *x, const char *norm);
/* Modules an alias resolves to (the alias normalised first), in modules.alias order, without
 * repeats, at most max: their count. Aliases of modules without a modules.dep line are skipped. */
size_t kmod_alias_lookup(const struct kmod_index *x, const char *alias, size_t *out, size_t max);
/* What modprobe would load for a word: the module of that name if there is one, else every
 * module the word names as an alias (the kernel's requests are mostly aliases: "fs-overlay",
 * "crypto-aes", modaliases from uevents). Their count, at most max. */
size_t kmod_lookup(const struct kmod_index *x, const char *word, size_t *out, size_t max);
/* Whether modules.builtin (buf, len bytes) lists the module of that name. */
int kmod_builtin_has(const char *buf, size_t len, const char *name);
/* The modules to load for mods[mod], dependencies first and mod itself last, skipping those
 * already in out[0..have). Returns the new total, -ENOSPC when max is too small, -ELOOP for a
 * dependency cycle, -ENOENT for a dependency without a modules.dep line. */
ssize_t kmod_load_order(const struct kmod_index *x, size_t mod, size_t *out, size_t have,
			size_t max);

/* "kernel/drivers/md/dm-crypt.ko.xz" -> "dm_crypt": the file name without directory and .ko*
 * suffix, '-' as '_'. -ENAMETOOLONG when it does not fit in outlen, -EINVAL when empty. */
int kmod_name_from_path(const char *path, char *out, size_t outlen);
/* '-' as '_', except inside [...] where a '-' is a range (libkmod's alias_normalize).
 * -ENAMETOOLONG when it does not fit in outlen. */
int kmod_normalize(const char *in, char *out, size_t outlen);
/* fnmatch(3) without flags, for the patterns of modules.alias. */
int kmod_glob_match(const char *pattern, const char *s);
enum kmod_comp kmod_compression(const char *path);
/* Whether a module's path (as modules.dep has it) lies in a directory of the kernel's source whose
 * drivers never provide a block device (drivers/gpu, sound, drivers/input, drivers/hid,
 * drivers/media, drivers/hwmon, ...): such modules can wait while a stage waits for its disks. */
bool kmod_never_disk(const char *path);

#endif
