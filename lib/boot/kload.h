/* Loading one boot entry for kexec, whatever its kernel's format and whichever syscall the running
 * kernel offers: the kernel file is identified (lib/boot/pe.c), inflated or unwrapped (gzip, EFI
 * zboot, a UKI's .linux/.initrd/.cmdline/.dtb), then loaded by kexec_file_load when the kernel has
 * it and the entry needs no device tree of its own, else (arm64) by ferry's kexec_load loader with
 * the entry's tree or the running one, its /chosen rewritten (lib/boot/kexec_arm64.c, fdt.c).
 * Returns the name of the failed step (a format refusal is the refusal's text, with -ENOEXEC), NULL
 * when the image is loaded and reboot(LINUX_REBOOT_CMD_KEXEC) may follow. */
#ifndef FERRY_KLOAD_H
#define FERRY_KLOAD_H
#include <stddef.h>
#include <stdint.h>
#include "kexec_arm64.h"
#include "pe.h"

/* What kload hands the measurement: the kernel file as read (a UKI whole, a gzip kernel before
 * inflation), each initrd file as read, in order, and the command line the kernel gets. */
struct kload_span { const void *p; size_t len; };
struct kload_files {
	struct kload_span kernel;
	const struct kload_span *initrd;  /* ninitrd of them, the req's files (not a UKI's .initrd) */
	size_t ninitrd;
	const char *cmdline;              /* without a trailing NUL */
};

struct kload_req {
	const char *kernel;               /* path of the kernel file (or UKI) */
	const char *const *initrd;        /* paths, concatenated after a UKI's own .initrd */
	size_t ninitrd;
	const char *cmdline;              /* "" or NULL: a UKI's .cmdline */
	const char *devicetree;           /* the entry's .dtb path, or NULL */
	const char *fdtdir;               /* the entry's FDTDIR, or NULL */
	const char *fdtfile;              /* U-Boot's fdtfile: a name in fdtdir (NULL: from compatible) */
	/* where the running system is described; NULL means the real files */
	const char *compatible;           /* /proc/device-tree/compatible */
	const char *running_fdt;          /* /sys/firmware/fdt */
	const char *iomem;                /* /proc/iomem */
	enum kimg_arch arch;
	int refused;                      /* an earlier image was refused (signature, lockdown) */
	int dry_run;                      /* everything but the syscall (tests, `ferry plan`) */
	/* Measured boot: called with the bytes as read, after every file is read and before any load
	 * syscall; a step returned (with *err) stops the load there. NULL: nothing is measured. */
	const char *(*measure)(void *arg, const struct kload_files *f, int *err);
	void *measure_arg;
};

struct kload_res {
	enum kimg_fmt fmt, inner;         /* the file's format; the kernel's inside it */
	enum kexec_path path;
	const char *why;                  /* why that path (kexec_choose_path) */
	int refusal;                      /* the step returned is a named refusal of the kernel's format */
	int file_load;                    /* in/out across entries: -1 not known, 1 present, 0 ENOSYS */
	char title[256];                  /* a UKI's .osrel PRETTY_NAME, "" otherwise */
	char dtb[600];                    /* the tree given to the kernel (a path), "" for none */
	uint64_t inflate_us, syscall_us;  /* zlib's time; the load syscall's */
	size_t kernel_len, inflated_len;
	struct arm64_layout lay;          /* kexec_load: where the segments went */
	size_t initrd_len;                /* what the next kernel gets */
	char cmdline[4096];
	void *tree;                       /* dry_run with kexec_load: the edited tree (free() it) */
	size_t tree_len;
};

const char *kload(const struct kload_req *r, struct kload_res *res, int *err);
/* Drop whatever is loaded, by either syscall. */
void kload_unload(void);
/* U-Boot's FDTDIR: dir/fdtfile, else the first of the running board's compatible names found as
 * dir/NAME.dtb or dir/VENDOR/NAME.dtb. 0 with the path in out, or -ENOENT. */
int kload_fdtdir(const char *dir, const char *fdtfile, const char *compatible, char *out, size_t len);

#endif
