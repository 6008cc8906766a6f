/* Boot entries found on disk, in one shape for the three formats ferry reads: BLS Type #1 entries
 * (lib/boot/bls.c), extlinux.conf / syslinux.cfg as U-Boot reads it (lib/boot/extlinux.c) and the grub.cfg
 * subset distributions generate (lib/boot/grubcfg.c). The parsers are pure: buffers in, entries out; the
 * caller reads the files. Paths in an entry are absolute on the filesystem named by `root` ("" = the
 * filesystem the configuration file was read from). */
#ifndef FERRY_BOOTCFG_H
#define FERRY_BOOTCFG_H
#include <stddef.h>
#include <stdio.h>

/* Entries kept per list: an install medium has 80 and more (every kernel x every option set); past
 * this bound the rest are counted in dropped and `ferry plan` and the boot log say so. */
#define BOOT_MAX_ENTRIES 256
#define BOOT_MAX_INITRD  8
#define BOOT_PATH  512
#define BOOT_NAME  256
#define BOOT_OPTS  4096

enum boot_fmt { BOOT_BLS = 1, BOOT_EXTLINUX, BOOT_GRUB };

struct boot_entry {
	enum boot_fmt fmt;
	char title[BOOT_NAME];
	char id[BOOT_NAME];          /* BLS: file name without .conf; extlinux: LABEL; grub: --id */
	char version[BOOT_NAME];
	char kernel[BOOT_PATH];       /* the linux key / KERNEL / linux command */
	char initrd[BOOT_MAX_INITRD][BOOT_PATH];
	size_t ninitrd;
	char options[BOOT_OPTS];
	char devicetree[BOOT_PATH];   /* BLS devicetree, extlinux FDT, grub devicetree: a .dtb file */
	char fdtdir[BOOT_PATH];       /* extlinux FDTDIR: a directory, the board's dtb found in it */
	int uki;                      /* kernel is a unified kernel image (BLS uki, BLS Type #2) */
	char architecture[32];
	char sort_key[BOOT_NAME];
	char machine_id[64];
	char root[BOOT_NAME];        /* grub: device the paths are on ("" = the config's own) */
	char source[BOOT_PATH];      /* configuration file, filled by the caller */
	char device[BOOT_NAME];      /* filesystem the configuration was found on, filled by the caller */
	const char *problem;         /* why this entry cannot be booted; NULL when it can */
	/* grub menu position: index at depth 0 (and 1 inside a submenu), the submenu's title and id */
	int menu_index[2];
	int menu_depth;
	char menu_parent_title[BOOT_NAME];
	char menu_parent_id[BOOT_NAME];
	int tries_done;              /* BLS boot counting: "+LEFT-DONE" in the file name; */
	int tries_left;              /* -1 when the name has no counter */
	const char *src_file;        /* file and line that defined the entry (a static string; NULL: source) */
	unsigned src_line;
	char undecided[BOOT_NAME];   /* grub: "file:line: what" the script could not decide here ("" none) */
};

struct boot_list {
	struct boot_entry e[BOOT_MAX_ENTRIES];
	size_t n;
	int def;                     /* default entry by the format's own rules, -1 none */
	size_t dropped;              /* entries past BOOT_MAX_ENTRIES */
	int timeout;                 /* seconds, -1 when the file names none (informational) */
	char def_name[BOOT_NAME];    /* the default as the file spelled it (grub default=, DEFAULT) */
	char err[BOOT_PATH];         /* the first error not tied to an entry, "FILE:LINE: what" ("" none) */
	char undecided[BOOT_NAME];   /* grub: the first thing outside the entries it could not decide here */
};

struct boot_list *boot_list_new(void);   /* calloc'd, def -1; free() it */
void boot_list_init(struct boot_list *l);
/* boot_list_init clears the list's header only: an entry is cleared when it is added, so a large
 * BOOT_MAX_ENTRIES costs memory only for the entries there are. */
/* A new zeroed entry at the end, or NULL (and dropped++) when the list is full. */
struct boot_entry *boot_list_add(struct boot_list *l, enum boot_fmt fmt);
/* Move src's entries to the end of dst; dst's default is kept, else src's becomes it. */
void boot_list_merge(struct boot_list *dst, const struct boot_list *src);
/* Copy at most n bytes of s (NUL-terminated or not) into dst[size]; -ENAMETOOLONG when cut. */
int boot_copy(char *dst, size_t size, const char *s, size_t n);
/* strverscmp-like comparison as systemd sorts versions: digit runs numerically, '~' lowest. */
int boot_vercmp(const char *a, const char *b);
const char *boot_fmt_name(enum boot_fmt f);

/* BLS Type #1: one entry file. name is the file name ("x.conf"; the id is derived from it).
 * 0, or -EINVAL when the file has no linux key (e->problem says why). */
int bls_parse(struct boot_entry *e, const char *name, const char *buf, size_t len);
/* BLS Type #2: a unified kernel image /EFI/Linux/name. osrel and uname are its .osrel and .uname
 * sections (the caller reads them; either may be empty): the title is PRETTY_NAME, the version uname.
 * path is where the file is on its filesystem. 0, or -EINVAL when name does not end in .efi. */
int bls_uki_entry(struct boot_entry *e, const char *path, const char *name, const char *osrel, size_t olen,
		  const char *uname, size_t ulen);
/* Sort as the Boot Loader Specification says and make the first bootable entry the default. */
void bls_sort(struct boot_list *l);

/* grubenv, GRUB's environment block as grub_envblk_iterate reads it: the "# GRUB Environment Block"
 * line first (else -EINVAL), then name=value lines ('\\' escapes the next character, a newline
 * included), '#' lines and padding skipped; a line cut off at the end of the file is dropped.
 * -E2BIG when more than fits (what fit is kept). */
#define GRUBENV_VARS 64
#define GRUBENV_TEXT 8192
struct grubenv {
	size_t n, used;
	size_t name[GRUBENV_VARS], value[GRUBENV_VARS];   /* offsets into text */
	char text[GRUBENV_TEXT];
};
int grubenv_parse(struct grubenv *env, const char *buf, size_t len);
/* The value of name (n bytes), the last one set, or NULL. */
const char *grubenv_get(const struct grubenv *env, const char *name, size_t n);
/* A variable's value for an expansion, NULL when unset. */
typedef const char *(*boot_getvar)(void *arg, const char *name, size_t n);
const char *grubenv_getvar(void *env, const char *name, size_t n);  /* arg: a struct grubenv */
/* Fedora's blscfg (GRUB): linux, initrd, options and devicetree are GRUB script words, so $name and
 * ${name} are expanded (from grubenv) and an initrd line becomes as many initrds as it has words
 * ("initrd /initramfs.img $tuned_initrd"); an entry without options gets $default_kernelopts, one
 * without devicetree $devicetree, and $early_initrd comes before the initrds. BLS_KEEP_UNSET leaves
 * an unset variable of the options as it is written (for grub.cfg's own variables, expanded by the
 * interpreter that runs blscfg). 0, or -E2BIG/-ENAMETOOLONG (e->problem says why). */
#define BLS_KEEP_UNSET 1
int bls_expand(struct boot_entry *e, boot_getvar get, void *arg, unsigned flags);

/* extlinux.conf / syslinux.cfg. dir: the directory of the file on its filesystem ("/boot/extlinux"),
 * against which relative paths resolve as in U-Boot's sysboot. */
int extlinux_parse(struct boot_list *l, const char *dir, const char *buf, size_t len);
/* The same with INCLUDE and MENU INCLUDE: read(arg, path, &buf, &len) gives a file of the filesystem
 * (malloc'd, 0 or -errno); path is the file's own name there (entries' source and l->err name it).
 * Included files nest up to EXTLINUX_NEST deep (U-Boot's bound); paths resolve against dir. */
#define EXTLINUX_NEST 16
typedef int (*boot_readfn)(void *arg, const char *path, char **buf, size_t *len);
int extlinux_parse_files(struct boot_list *l, const char *dir, const char *path, const char *buf, size_t len,
			 boot_readfn read, void *arg);

/* grub.cfg. Everything that needs the disk goes through these callbacks, each optional. */
struct grub_ops {
	void *arg;
	/* A file on root ("" = the config's filesystem); *buf malloc'd by the callee. 0 or -errno;
	 * -EISDIR a directory, -EFBIG a file too big to read, -EXDEV a device this reader cannot look at
	 * (the script's test or source of it is then undecided, and said so). */
	int (*read_file)(void *arg, const char *root, const char *path, char **buf, size_t *len);
	/* search --fs-uuid|--label|--file: kind "fs-uuid" | "label" | "file". Writes the root to use:
	 * 0 found, < 0 not found, 1 cannot be decided here (ferry plan): root is written as "UUID=v" and
	 * the search taken as found, which the entry's undecided says. Without a callback root becomes
	 * "UUID=v", "LABEL=v" or "FILE=v", undecided. */
	int (*search)(void *arg, const char *kind, const char *value, char *root, size_t len);
	/* blscfg: append the BLS entries of the config's filesystem (sorted) to l. */
	int (*blscfg)(void *arg, struct boot_list *l);
};
/* dir: directory of grub.cfg on its filesystem, the initial $prefix ("/boot/grub"). */
int grub_parse(struct boot_list *l, const char *dir, const char *buf, size_t len, const struct grub_ops *ops);

/* Reading one mounted filesystem (lib/boot/bootscan.c): grub.cfg (/boot/grub, /grub, grub2), then BLS
 * entries (/loader/entries, /boot/loader/entries) unless grub.cfg ran blscfg, then the first of
 * extlinux/extlinux.conf, syslinux/syslinux.cfg (under / and /boot). Entries get source and device. */
#define BOOTSCAN_FILES 8
struct bootscan_file {
	char path[128];
	int ret;                     /* the parser's result */
	size_t entries;
	char note[BOOT_NAME];        /* grub: the list's error, else what it could not decide ("" none) */
};
struct bootscan {
	const char *mnt;             /* where the filesystem is mounted */
	const char *device;          /* its device ("/dev/vda1") */
	/* grub's search --fs-uuid/--label: the device holding it (NULL: root becomes "UUID=v"...) */
	int (*search)(void *arg, const char *kind, const char *value, char *root, size_t len);
	void *search_arg;
	struct bootscan_file files[BOOTSCAN_FILES];  /* what was read, for the log */
	size_t nfiles;
	int bls_done;
};
/* Appends to out; returns how many configurations were found (0: none), or -ENOMEM. */
int bootscan_dir(struct bootscan *s, struct boot_list *out);
/* A whole regular file (at most 1 MiB), NUL-terminated; *buf malloc'd. 0 or -errno. */
int bootscan_read(const char *path, char **buf, size_t *len);

/* Selection (lib/boot/bootsel.c). The order to try: the chosen entry, then every other bootable entry in
 * list order. want: ferry.kexec.entry (index in the list, id or title; NULL/"" = the default).
 * Returns how many indexes were written; *matched is 0 when want named no entry. */
size_t boot_order(const struct boot_list *l, const char *want, size_t *order, size_t max, int *matched);
/* Index of the entry want names, or -1. */
int boot_find(const struct boot_list *l, const char *want);
/* The command line for the second kernel: the entry's options without the words whose key is in
 * remove (comma-separated keys: "quiet" drops quiet and quiet=..., "console=ttyS0" that word only),
 * then the words of append. 0 or -ENAMETOOLONG. */
int boot_cmdline(const char *options, const char *remove, const char *append, char *out, size_t len);
/* One line per entry, for logs and `ferry plan`: "2 [grub] Debian (6.1.0) linux=... initrd=..."
 * Control characters and '\\' in the entry's strings are written as \xHH, so a title cannot split a
 * log line. */
void boot_entry_describe(const struct boot_entry *e, char *out, size_t len);
/* s with control characters, DEL and '\\' as \xHH, cut to fit out[len]; returns out. */
const char *boot_escape(const char *s, char *out, size_t len);
/* The checks every format shares, after expansion: the kernel and each initrd (and device tree) must
 * be a non-empty absolute path, else e->problem names what is wrong. Entries that already have a
 * problem are left as they are. */
void boot_entry_check(struct boot_entry *e);

#endif
