/* Flattened device trees (devicetree specification v0.4, chapter 5), ferry's own reader and the one
 * edit kexec needs: a new /chosen. Pure: buffers in, buffers out; every offset is checked against the
 * blob's bounds before it is read. Big-endian on the wire, whatever the host. */
#ifndef FERRY_FDT_H
#define FERRY_FDT_H
#include <stddef.h>
#include <stdint.h>

#define FDT_MAGIC 0xd00dfeedu
#define FDT_MAX_SIZE (2u << 20)   /* arm64's boot protocol: the tree must not exceed 2 MiB */

/* The header and block bounds, every token of the structure block, node nesting and property names.
 * NULL when the blob is a tree ferry can read and edit, else what is wrong with it. */
const char *fdt_check(const void *blob, size_t len);
/* Offset (in the structure block) of the node at an absolute path ("/", "/chosen", "/soc/serial"),
 * -ENOENT when there is none. The blob must have passed fdt_check. */
int fdt_node(const void *blob, const char *path);
/* A property of the node at node (from fdt_node): its value and length, or NULL. */
const void *fdt_prop(const void *blob, int node, const char *name, size_t *len);
/* The value of a 4- or 8-byte property as a number; -ENOENT / -EINVAL. */
int fdt_prop_u64(const void *blob, int node, const char *name, uint64_t *v);

/* What kexec puts into /chosen. Whatever the tree had under these names is removed first (a stale
 * initrd range or seed must never reach the next kernel); a NULL / 0-length field is left out. */
struct fdt_chosen {
	const char *bootargs;
	int initrd;                       /* write linux,initrd-start / -end */
	uint64_t initrd_start, initrd_end;
	int kaslr;                        /* write kaslr-seed */
	uint64_t kaslr_seed;
	const unsigned char *rng_seed;    /* random bytes (getrandom): rng-seed */
	size_t rng_seed_len;
};
/* A new blob (malloc'd into *out) with /chosen edited, or created when the tree has none. The memory
 * reservation block, every other node and property are copied as they are. 0, -EINVAL (the input
 * fails fdt_check), -E2BIG (the result would pass FDT_MAX_SIZE) or -ENOMEM. */
int fdt_set_chosen(const void *blob, size_t len, const struct fdt_chosen *c, void **out, size_t *outlen);

/* For U-Boot's FDTDIR: the dtb file names a board's compatible list suggests, most specific first.
 * compatible is the property's value (NUL-separated strings, as in /proc/device-tree/compatible);
 * each "vendor,board" gives "board.dtb". Writes at most max names of size BOOT-sized buffers of 256
 * bytes into names; returns how many. */
size_t fdt_dtb_names(const char *compatible, size_t len, char (*names)[256], size_t max);

#endif
