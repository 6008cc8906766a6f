/* What a kernel file is, from its first bytes: an arm64 Image, gzip(Image), an EFI zboot container,
 * a unified kernel image (a PE file with .linux, .initrd, .cmdline, .osrel and .dtb sections), an x86
 * bzImage or a 32-bit ARM zImage. Pure: a buffer in, offsets into it out, every one bounds-checked.
 * Whether the running machine can boot it is a separate question (kimg_refusal). */
#ifndef FERRY_PE_H
#define FERRY_PE_H
#include <stddef.h>
#include <stdint.h>

enum kimg_fmt {
	KIMG_UNKNOWN, KIMG_ARM64, KIMG_GZIP, KIMG_ZSTD, KIMG_ZBOOT, KIMG_UKI, KIMG_BZIMAGE, KIMG_ZIMAGE,
	KIMG_PE,          /* an EFI program that is none of the above */
};
enum kimg_arch { KARCH_OTHER, KARCH_X86_64, KARCH_AARCH64, KARCH_ARM };

struct kimg_span {
	size_t off, len;                  /* len 0: absent */
};

struct kimg {
	enum kimg_fmt fmt;
	/* KIMG_ARM64: the boot protocol's header (Documentation/arch/arm64/booting.rst) */
	uint64_t text_offset, image_size, flags;
	/* KIMG_ZBOOT: the compressed payload and its compression ("gzip", "zstd", ...) */
	struct kimg_span payload;
	char comp[16];
	/* KIMG_UKI (and KIMG_PE): the PE machine and the sections a UKI carries */
	uint16_t machine;
	struct kimg_span kernel, initrd, cmdline, osrel, dtb, uname;   /* .linux is "kernel" */
};

#define KIMG_ARM64_BE        1u          /* flags bit 0: a big-endian kernel */
#define KIMG_ARM64_ANYWHERE  (1u << 3)   /* flags bit 3: any 2 MiB aligned base, not only near DRAM's start */
#define PE_MACHINE_X86_64  0x8664
#define PE_MACHINE_ARM64   0xaa64

/* What buf (the file's first len bytes, or all of it for a UKI) is. 0, or -EINVAL when a header it
 * starts with is broken (a PE section or zboot payload past the end). */
int kimg_detect(const void *buf, size_t len, struct kimg *k);
/* NULL when a machine of arch can boot k (after inflation, where that applies), else why not, as
 * the log names it: "EFI zboot with a zstd payload: not supported". */
const char *kimg_refusal(const struct kimg *k, enum kimg_arch arch);
const char *kimg_fmt_name(enum kimg_fmt f);
/* The machine ferry was built for. */
enum kimg_arch kimg_arch_native(void);

/* A PE section by name (".linux"): its bytes within buf. 0, -ENOENT, or -EINVAL for a PE header or
 * section table that does not fit in len. */
int pe_section(const void *buf, size_t len, const char *name, struct kimg_span *s);
/* The same with only the file's first len bytes at hand (the headers); the section's span is checked
 * against the whole file's size flen, for a pread of it. */
int pe_section_file(const void *buf, size_t len, size_t flen, const char *name, struct kimg_span *s);
/* os-release text (a UKI's .osrel): PRETTY_NAME's value, quotes and escapes removed, else NAME's.
 * 0, or -ENOENT when it has neither. */
int osrel_pretty_name(const char *text, size_t len, char *out, size_t size);

#endif
