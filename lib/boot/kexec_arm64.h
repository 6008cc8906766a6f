/* ferry's own arm64 loader for kexec_load(2), the only kexec Debian's arm64 kernels have (no
 * CONFIG_KEXEC_FILE), and the only one that takes a device tree of the entry's. Four segments: the
 * Image at a 2 MiB aligned base in System RAM plus its text_offset, the initrd, the device tree with
 * its /chosen written by ferry, and a purgatory of six instructions that puts the tree's address in
 * x0 (kexec_load starts the image with x0 = 0), zeroes x1-x3 and branches to the kernel.
 * The parsers and the layout are pure and run on any host; only kexec_segments_load() is a syscall. */
#ifndef FERRY_KEXEC_ARM64_H
#define FERRY_KEXEC_ARM64_H
#include <stddef.h>
#include <stdint.h>
#include "pe.h"

struct mem_range {
	uint64_t start, end;             /* end exclusive */
};
#define IOMEM_MAX_RANGES 64

/* /proc/iomem's text: the "System RAM" ranges less every "reserved" one (firmware tables, the
 * memory map, reserved-memory nodes), sorted and merged. How many were written, or -EINVAL when a
 * line is not "start-end : name" (-E2BIG past max). */
int iomem_ram(const char *text, size_t len, struct mem_range *out, size_t max);

/* What must be placed. Sizes in bytes; the kernel takes max(image_size, its file size). */
struct arm64_sizes {
	uint64_t text_offset, image_size, flags;
	size_t kernel_len, initrd_len, dtb_len;
};
struct arm64_layout {
	uint64_t kernel, kernel_memsz;   /* kernel: the Image's address (base + text_offset) */
	uint64_t initrd, initrd_memsz;   /* initrd_memsz 0: no initrd */
	uint64_t dtb, dtb_memsz;
	uint64_t purgatory, purgatory_memsz;
};
#define ARM64_SEG_ALIGN  0x10000u     /* 64 KiB: page aligned for 4K, 16K and 64K page kernels */
#define ARM64_PURGATORY_SIZE 40
/* Segments in ram: the kernel at the lowest 2 MiB aligned base where text_offset + its size fits
 * (nearest DRAM's start, as the boot protocol asks when flags bit 3 is clear), the initrd, the tree
 * and the purgatory first-fit above it, then anywhere. 0, or -ENOMEM when something does not fit. */
int arm64_layout(const struct mem_range *ram, size_t n, const struct arm64_sizes *in, struct arm64_layout *out);
/* The purgatory's bytes (ARM64_PURGATORY_SIZE, little-endian instructions and two literals): the
 * same code as lib/boot/arch/aarch64/purgatory.S, which the unit test assembles and compares. */
void arm64_purgatory(uint64_t dtb, uint64_t kernel, uint8_t out[ARM64_PURGATORY_SIZE]);

/* kexec_load(2) with those segments, entry at the purgatory. 0 or -errno. */
struct arm64_image {
	const void *kernel, *initrd, *dtb;
	size_t kernel_len, initrd_len, dtb_len;
};
int kexec_segments_load(const struct arm64_layout *lay, const struct arm64_image *img);
/* Drop an image loaded with kexec_load. */
int kexec_segments_unload(void);

/* Which syscall loads an entry (a pure decision, logged and shown by `ferry plan`). */
enum kexec_path { KEXEC_PATH_NONE, KEXEC_PATH_FILE, KEXEC_PATH_SEGMENTS };
struct kexec_path_in {
	enum kimg_arch arch;
	int file_load;                   /* 1 the kernel has kexec_file_load, 0 it said ENOSYS, -1 not known */
	int needs_dt;                    /* the entry names a device tree (or its UKI carries .dtb) */
	int refused;                     /* an image was refused for its signature or by lockdown */
};
/* kexec_file_load when the kernel has it and the entry needs no tree of its own (the kernel then
 * checks signatures); ferry's kexec_load on arm64 otherwise, never after a refusal. *why says so. */
enum kexec_path kexec_choose_path(const struct kexec_path_in *in, const char **why);
const char *kexec_path_name(enum kexec_path p);

#endif
