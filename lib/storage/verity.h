/* dm-verity, the pure part: the superblock `veritysetup format` writes, systemd's
 * `systemd.verity_root_options=` words, both merged with the root hash into checked parameters
 * (against the devices' sizes), and the kernel's `verity` table line
 * (Documentation/admin-guide/device-mapper/verity.rst). No I/O: buffers and numbers in, a struct
 * or a string out; every error names the parameter. */
#ifndef FERRY_VERITY_H
#define FERRY_VERITY_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define VERITY_SB_SIZE 512
#define VERITY_SALT_MAX 256
#define VERITY_DIGEST_MAX 64         /* sha512 */
#define VERITY_ALG_MAX 32
#define VERITY_PATH_MAX 256
#define VERITY_TABLE_MAX 1024
#define VERITY_NAME "root-verity"    /* /dev/mapper/root-verity */

/* What the kernel does on a block that does not match (the table's optional word). */
enum verity_mode { VERITY_EIO, VERITY_IGNORE, VERITY_RESTART, VERITY_PANIC };

/* The on-disk superblock, decoded (cryptsetup's lib/verity/verity.c, 512 bytes, little-endian). */
struct verity_sb {
	uint32_t version;            /* superblock version: 1 */
	uint32_t hash_type;          /* 0 Chrome OS, 1 normal: the table's <version> */
	uint8_t uuid[16];
	char algorithm[VERITY_ALG_MAX + 1];
	uint32_t data_block_size, hash_block_size;
	uint64_t data_blocks;
	uint16_t salt_size;
	uint8_t salt[VERITY_SALT_MAX];
};

/* systemd.verity_root_options=: a value of 0 (or -1 for format) is "not given". */
struct verity_opts {
	bool superblock;             /* superblock=yes (default) */
	bool hash_offset_set;
	uint64_t hash_offset;        /* bytes into the hash device: the superblock, or the tree */
	uint32_t data_block_size, hash_block_size;
	uint64_t data_blocks;
	int format;                  /* 0 | 1, -1: not given */
	char hash[VERITY_ALG_MAX + 1];
	bool salt_set;
	uint8_t salt[VERITY_SALT_MAX];
	size_t salt_len;
	bool uuid_set;
	uint8_t uuid[16];
	char signature[VERITY_PATH_MAX]; /* root-hash-signature=PATH, "" : none */
	enum verity_mode mode;
	bool ignore_zero_blocks, check_at_most_once;
};

/* Everything the table needs, checked. */
struct verity_params {
	uint32_t hash_type;
	uint32_t data_block_size, hash_block_size;
	uint64_t data_blocks;
	uint64_t hash_start;         /* in hash blocks: the tree's first block on the hash device */
	uint64_t hash_blocks;        /* the tree's end, in hash blocks from the device's start */
	char algorithm[VERITY_ALG_MAX + 1];
	uint8_t salt[VERITY_SALT_MAX];
	size_t salt_len;
	uint8_t root[VERITY_DIGEST_MAX];
	size_t root_len;
	enum verity_mode mode;
	bool ignore_zero_blocks, check_at_most_once;
};

/* Defaults, then each comma-separated word of s. 0, or -EINVAL with *why and bad (the word) set. */
void verity_opts_init(struct verity_opts *o);
int verity_opts_parse(const char *s, struct verity_opts *o, const char **why, char *bad, size_t badlen);

/* The 512 bytes at the superblock's place. 0; -ENODATA: no "verity\0\0" signature; -EINVAL with
 * *why: a field veritysetup would not have written (version, hash type, block size, salt size,
 * algorithm). */
int verity_sb_parse(const uint8_t *buf, size_t len, struct verity_sb *sb, const char **why);

/* The digest size of a hash algorithm the kernel names that way, 0 when unknown. */
size_t verity_digest_size(const char *alg);

/* A hex string into bytes: the length, or -EINVAL (odd, not hex, longer than max bytes). */
int verity_hex(const char *hex, uint8_t *out, size_t max);

/* The options (and the superblock, NULL with superblock=no) and roothash= merged and checked,
 * against the sizes of the devices in bytes; same: the tree is on the data device. 0, or -EINVAL
 * (a value that disagrees or is missing) / -ENOSPC (a device too small) with *why naming the
 * parameter. */
int verity_resolve(const struct verity_opts *o, const struct verity_sb *sb, const char *roothash,
		   uint64_t data_bytes, uint64_t hash_bytes, bool same, struct verity_params *out,
		   const char **why);

/* Where the superblock sits (with superblock=yes): hash-offset= bytes into the hash device. */
static inline uint64_t verity_sb_offset(const struct verity_opts *o)
{
	return o->hash_offset;
}

/* The mapping's length in 512-byte sectors. */
uint64_t verity_sectors(const struct verity_params *p);

/* The table's parameter line, devices as MAJ:MIN; sig_key: the `user` key's description of a
 * root hash signature, NULL for none. The length, or -E2BIG. */
int verity_table(const struct verity_params *p, unsigned data_maj, unsigned data_min, unsigned hash_maj,
		 unsigned hash_min, const char *sig_key, char *out, size_t len);

const char *verity_mode_name(enum verity_mode m);

#endif
