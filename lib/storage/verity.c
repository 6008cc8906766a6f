/* dm-verity parameters: superblock, options, root hash, checked into one table line. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "verity.h"

/* cryptsetup's limits for both block sizes (the kernel further refuses one above its page size) */
#define BLOCK_MIN 512u
#define BLOCK_MAX (512u * 1024)
#define MAX_LEVELS 63                /* the kernel's DM_VERITY_MAX_LEVELS */

static const struct { const char *name; size_t size; } digests[] = {
	{ "sha1", 20 }, { "sha224", 28 }, { "sha256", 32 }, { "sha384", 48 }, { "sha512", 64 },
	{ "sha3-256", 32 }, { "sha3-384", 48 }, { "sha3-512", 64 }, { "blake2b-256", 32 },
	{ "blake2b-512", 64 }, { "sm3", 32 }, { "streebog256", 32 }, { "streebog512", 64 },
};

size_t verity_digest_size(const char *alg)
{
	for (size_t i = 0; i < sizeof(digests) / sizeof(*digests); i++)
		if (!strcasecmp(alg, digests[i].name))
			return digests[i].size;
	return 0;
}

static const char *const mode_names[] = {
	[VERITY_EIO] = "eio", [VERITY_IGNORE] = "ignore_corruption",
	[VERITY_RESTART] = "restart_on_corruption", [VERITY_PANIC] = "panic_on_corruption",
};

const char *verity_mode_name(enum verity_mode m)
{
	return m <= VERITY_PANIC ? mode_names[m] : "?";
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int verity_hex(const char *hex, uint8_t *out, size_t max)
{
	size_t n = strlen(hex);

	if (n % 2 || n / 2 > max)
		return -EINVAL;
	for (size_t i = 0; i < n / 2; i++) {
		int hi = hexval(hex[2 * i]), lo = hexval(hex[2 * i + 1]);
		if (hi < 0 || lo < 0)
			return -EINVAL;
		out[i] = (uint8_t)(hi << 4 | lo);
	}
	return (int)(n / 2);
}

/* 8-4-4-4-12 hex digits */
static int parse_uuid(const char *s, uint8_t out[16])
{
	char hex[33];
	size_t n = 0;

	for (size_t i = 0; s[i]; i++) {
		bool dash = i == 8 || i == 13 || i == 18 || i == 23;
		if (dash != (s[i] == '-') || i >= 36)
			return -EINVAL;
		if (!dash)
			hex[n++] = s[i];
	}
	hex[n] = '\0';
	return n == 32 && verity_hex(hex, out, 16) == 16 ? 0 : -EINVAL;
}

static int parse_u64(const char *s, uint64_t *v)
{
	char *end;

	if (!*s || *s < '0' || *s > '9')
		return -EINVAL;
	errno = 0;
	unsigned long long x = strtoull(s, &end, 10);
	if (errno || *end)
		return -EINVAL;
	*v = x;
	return 0;
}

static bool block_size_ok(uint64_t v)
{
	return v >= BLOCK_MIN && v <= BLOCK_MAX && !(v & (v - 1));
}

static int parse_bool(const char *s, bool *b)
{
	if (!strcmp(s, "yes") || !strcmp(s, "true") || !strcmp(s, "1") || !strcmp(s, "on"))
		*b = true;
	else if (!strcmp(s, "no") || !strcmp(s, "false") || !strcmp(s, "0") || !strcmp(s, "off"))
		*b = false;
	else
		return -EINVAL;
	return 0;
}

void verity_opts_init(struct verity_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->superblock = true;
	o->format = -1;
}

static int set_mode(struct verity_opts *o, enum verity_mode m, const char **why)
{
	if (o->mode != VERITY_EIO && o->mode != m) {
		*why = "only one of ignore-corruption, restart-on-corruption, panic-on-corruption";
		return -EINVAL;
	}
	o->mode = m;
	return 0;
}

/* One word, name[=val]. */
static int opt_word(struct verity_opts *o, const char *name, const char *val, const char **why)
{
	static const struct { const char *name; enum verity_mode mode; } modes[] = {
		{ "ignore-corruption", VERITY_IGNORE }, { "restart-on-corruption", VERITY_RESTART },
		{ "panic-on-corruption", VERITY_PANIC },
	};
	uint64_t v;

	for (size_t i = 0; i < sizeof(modes) / sizeof(*modes); i++)
		if (!strcmp(name, modes[i].name)) {
			*why = "takes no value";
			return val ? -EINVAL : set_mode(o, modes[i].mode, why);
		}
	if (!strcmp(name, "ignore-zero-blocks") || !strcmp(name, "check-at-most-once")) {
		*why = "takes no value";
		if (val)
			return -EINVAL;
		if (name[0] == 'i')
			o->ignore_zero_blocks = true;
		else
			o->check_at_most_once = true;
		return 0;
	}
	if (!strncmp(name, "fec-", 4)) {
		*why = "forward error correction is not supported";
		return -EINVAL;
	}
	*why = "needs a value";
	if (!val)
		return strcmp(name, "superblock") ? -EINVAL : (o->superblock = true, 0);
	if (!strcmp(name, "superblock")) {
		*why = "expected yes or no";
		return parse_bool(val, &o->superblock);
	}
	if (!strcmp(name, "hash-offset")) {
		*why = "expected bytes, a multiple of 512";
		if (parse_u64(val, &v) || v % 512)
			return -EINVAL;
		o->hash_offset = v;
		o->hash_offset_set = true;
		return 0;
	}
	if (!strcmp(name, "data-block-size") || !strcmp(name, "hash-block-size")) {
		*why = "expected a power of two, 512 to 524288";
		if (parse_u64(val, &v) || !block_size_ok(v))
			return -EINVAL;
		*(name[0] == 'd' ? &o->data_block_size : &o->hash_block_size) = (uint32_t)v;
		return 0;
	}
	if (!strcmp(name, "data-blocks")) {
		*why = "expected a number of blocks, at least 1";
		if (parse_u64(val, &v) || !v)
			return -EINVAL;
		o->data_blocks = v;
		return 0;
	}
	if (!strcmp(name, "format")) {
		*why = "expected 0 or 1";
		if (strcmp(val, "0") && strcmp(val, "1"))
			return -EINVAL;
		o->format = val[0] - '0';
		return 0;
	}
	if (!strcmp(name, "hash")) {
		*why = "not a hash the kernel knows by that name (sha256, sha1, sha512, ...)";
		if (!verity_digest_size(val) || strlen(val) > VERITY_ALG_MAX)
			return -EINVAL;
		strcpy(o->hash, val);
		return 0;
	}
	if (!strcmp(name, "salt")) {
		int n = !strcmp(val, "-") ? 0 : verity_hex(val, o->salt, sizeof(o->salt));
		*why = "expected hex, at most 256 bytes (- for none)";
		if (n < 0)
			return -EINVAL;
		o->salt_len = (size_t)n;
		o->salt_set = true;
		return 0;
	}
	if (!strcmp(name, "uuid")) {
		*why = "expected a UUID";
		if (parse_uuid(val, o->uuid))
			return -EINVAL;
		o->uuid_set = true;
		return 0;
	}
	if (!strcmp(name, "root-hash-signature")) {
		*why = "expected an absolute path, at most 255 characters";
		if (val[0] != '/' || strlen(val) >= sizeof(o->signature))
			return -EINVAL;
		strcpy(o->signature, val);
		return 0;
	}
	*why = "unknown option";
	return -EINVAL;
}

int verity_opts_parse(const char *s, struct verity_opts *o, const char **why, char *bad, size_t badlen)
{
	char word[512];

	if (badlen)
		bad[0] = '\0';
	while (s && *s) {
		const char *end = strchr(s, ',');
		size_t n = end ? (size_t)(end - s) : strlen(s);
		char *eq;
		int ret;

		if (n >= sizeof(word)) {
			*why = "option too long";
			snprintf(bad, badlen, "%.*s", (int)(n < 32 ? n : 32), s);
			return -EINVAL;
		}
		memcpy(word, s, n);
		word[n] = '\0';
		s = end ? end + 1 : NULL;
		if (!n) {
			*why = "empty option";
			return -EINVAL;
		}
		if ((eq = strchr(word, '=')))
			*eq = '\0';
		if ((ret = opt_word(o, word, eq ? eq + 1 : NULL, why)) < 0) {
			snprintf(bad, badlen, "%s", word);
			return ret;
		}
	}
	return 0;
}

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t le64(const uint8_t *p)
{
	return (uint64_t)le32(p) | (uint64_t)le32(p + 4) << 32;
}

/* struct verity_sb of cryptsetup: signature 0, version 8, hash_type 12, uuid 16, algorithm 32,
 * data_block_size 64, hash_block_size 68, data_blocks 72, salt_size 80, salt 88..344. */
int verity_sb_parse(const uint8_t *buf, size_t len, struct verity_sb *sb, const char **why)
{
	*why = "shorter than 512 bytes";
	if (len < VERITY_SB_SIZE)
		return -EINVAL;
	*why = "no verity superblock (no \"verity\" signature)";
	if (memcmp(buf, "verity\0\0", 8))
		return -ENODATA;
	memset(sb, 0, sizeof(*sb));
	sb->version = le32(buf + 8);
	sb->hash_type = le32(buf + 12);
	memcpy(sb->uuid, buf + 16, 16);
	sb->data_block_size = le32(buf + 64);
	sb->hash_block_size = le32(buf + 68);
	sb->data_blocks = le64(buf + 72);
	sb->salt_size = (uint16_t)(buf[80] | buf[81] << 8);
	*why = "superblock version is not 1";
	if (sb->version != 1)
		return -EINVAL;
	*why = "superblock hash type is not 0 or 1";
	if (sb->hash_type > 1)
		return -EINVAL;
	*why = "superblock algorithm is not a NUL-terminated name";
	if (!memchr(buf + 32, 0, VERITY_ALG_MAX) || !buf[32])
		return -EINVAL;
	memcpy(sb->algorithm, buf + 32, VERITY_ALG_MAX);
	*why = "superblock algorithm is not a hash the kernel knows";
	if (!verity_digest_size(sb->algorithm))
		return -EINVAL;
	*why = "superblock block size is not a power of two from 512 to 524288";
	if (!block_size_ok(sb->data_block_size) || !block_size_ok(sb->hash_block_size))
		return -EINVAL;
	*why = "superblock has no data blocks";
	if (!sb->data_blocks)
		return -EINVAL;
	*why = "superblock salt is longer than 256 bytes";
	if (sb->salt_size > VERITY_SALT_MAX)
		return -EINVAL;
	memcpy(sb->salt, buf + 88, sb->salt_size);
	return 0;
}

/* The superblock's values, each checked against an option that also gives it. */
static int from_sb(const struct verity_opts *o, const struct verity_sb *sb, struct verity_params *p,
		   const char **why)
{
	static const char *const what[] = {
		"data-block-size= does not match the superblock", "hash-block-size= does not match the superblock",
		"data-blocks= does not match the superblock", "format= does not match the superblock",
		"hash= does not match the superblock", "salt= does not match the superblock",
		"uuid= does not match the superblock",
	};
	bool bad[] = {
		o->data_block_size && o->data_block_size != sb->data_block_size,
		o->hash_block_size && o->hash_block_size != sb->hash_block_size,
		o->data_blocks && o->data_blocks != sb->data_blocks,
		o->format >= 0 && (uint32_t)o->format != sb->hash_type,
		o->hash[0] && strcasecmp(o->hash, sb->algorithm),
		o->salt_set && (o->salt_len != sb->salt_size || memcmp(o->salt, sb->salt, o->salt_len)),
		o->uuid_set && memcmp(o->uuid, sb->uuid, 16),
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++)
		if (bad[i]) {
			*why = what[i];
			return -EINVAL;
		}
	p->hash_type = sb->hash_type;
	p->data_block_size = sb->data_block_size;
	p->hash_block_size = sb->hash_block_size;
	p->data_blocks = sb->data_blocks;
	snprintf(p->algorithm, sizeof(p->algorithm), "%s", sb->algorithm);
	memcpy(p->salt, sb->salt, sb->salt_size);
	p->salt_len = sb->salt_size;
	return 0;
}

/* superblock=no: the options give every value (format defaults to 1, as veritysetup's). */
static int from_opts(const struct verity_opts *o, struct verity_params *p, const char **why)
{
	*why = o->data_block_size ? o->hash_block_size ? o->data_blocks ? o->hash[0] ? !o->salt_set ?
	       "superblock=no needs salt= (- for none)" : NULL : "superblock=no needs hash=" :
	       "superblock=no needs data-blocks=" : "superblock=no needs hash-block-size=" :
	       "superblock=no needs data-block-size=";
	if (*why)
		return -EINVAL;
	p->hash_type = o->format >= 0 ? (uint32_t)o->format : 1;
	p->data_block_size = o->data_block_size;
	p->hash_block_size = o->hash_block_size;
	p->data_blocks = o->data_blocks;
	snprintf(p->algorithm, sizeof(p->algorithm), "%s", o->hash);
	memcpy(p->salt, o->salt, o->salt_len);
	p->salt_len = o->salt_len;
	return 0;
}

/* The tree's layout as the kernel computes it (dm-verity-target.c, verity_ctr): levels of hash
 * blocks from hash_start, the top level first. 0, or -EINVAL when it does not fit 64 bits. */
static int tree_end(struct verity_params *p, size_t digest)
{
	unsigned bits = 0, levels = 0;
	uint64_t pos = p->hash_start;

	for (uint64_t per = p->hash_block_size / digest; per > 1; per >>= 1)
		bits++;
	if (!bits)
		return -EINVAL;
	while (bits * levels < 64 && (p->data_blocks - 1) >> (bits * levels))
		levels++;
	if (levels > MAX_LEVELS)
		return -EINVAL;
	for (int i = (int)levels - 1; i >= 0; i--) {
		unsigned shift = (unsigned)(i + 1) * bits;
		uint64_t s = shift >= 64 ? 1 : (p->data_blocks >> shift) + !!(p->data_blocks & ((1ull << shift) - 1));
		if (pos + s < pos)
			return -EINVAL;
		pos += s;
	}
	p->hash_blocks = pos;
	return 0;
}

int verity_resolve(const struct verity_opts *o, const struct verity_sb *sb, const char *roothash,
		   uint64_t data_bytes, uint64_t hash_bytes, bool same, struct verity_params *p,
		   const char **why)
{
	uint64_t data_end, hash_need;
	size_t digest;
	int n, ret;

	memset(p, 0, sizeof(*p));
	if ((ret = sb ? from_sb(o, sb, p, why) : from_opts(o, p, why)))
		return ret;
	digest = verity_digest_size(p->algorithm);
	*why = "roothash= is not the hash's length in hex digits";
	if (!roothash || (n = verity_hex(roothash, p->root, sizeof(p->root))) < 0 || (size_t)n != digest)
		return -EINVAL;
	p->root_len = (size_t)n;
	p->mode = o->mode;
	p->ignore_zero_blocks = o->ignore_zero_blocks;
	p->check_at_most_once = o->check_at_most_once;
	*why = "hash-block-size= is smaller than two digests";
	if (p->hash_block_size / digest < 2)
		return -EINVAL;
	/* With a superblock the tree starts at the first hash block after it (cryptsetup's
	 * VERITY_hash_offset_block); without, hash-offset= is the tree and must be a whole block. */
	if (sb) {
		p->hash_start = (o->hash_offset + VERITY_SB_SIZE + p->hash_block_size - 1) / p->hash_block_size;
	} else {
		*why = "hash-offset= is not a multiple of hash-block-size=";
		if (o->hash_offset % p->hash_block_size)
			return -EINVAL;
		p->hash_start = o->hash_offset / p->hash_block_size;
	}
	*why = "data-blocks= times data-block-size= does not fit 64 bits";
	if (p->data_blocks > UINT64_MAX / p->data_block_size)
		return -EINVAL;
	data_end = p->data_blocks * p->data_block_size;
	*why = "the data device is smaller than data-blocks= times data-block-size=";
	if (data_end > data_bytes)
		return -ENOSPC;
	*why = "hash-offset= is inside the data: with the tree on the data device it must be at or after "
	       "data-blocks= times data-block-size=";
	if (same && o->hash_offset < data_end)
		return -EINVAL;
	*why = "the hash tree does not fit 64 bits";
	if (tree_end(p, digest) || p->hash_blocks > UINT64_MAX / p->hash_block_size)
		return -EINVAL;
	hash_need = p->hash_blocks * p->hash_block_size;
	*why = "the hash device is too small for the hash tree";
	if (hash_need > hash_bytes)
		return -ENOSPC;
	*why = "";
	return 0;
}

uint64_t verity_sectors(const struct verity_params *p)
{
	return p->data_blocks * (p->data_block_size / 512);
}

static size_t put_hex(char *out, const uint8_t *b, size_t n)
{
	static const char digits[] = "0123456789abcdef";

	for (size_t i = 0; i < n; i++) {
		out[2 * i] = digits[b[i] >> 4];
		out[2 * i + 1] = digits[b[i] & 15];
	}
	out[2 * n] = '\0';
	return 2 * n;
}

int verity_table(const struct verity_params *p, unsigned data_maj, unsigned data_min, unsigned hash_maj,
		 unsigned hash_min, const char *sig_key, char *out, size_t len)
{
	char root[2 * VERITY_DIGEST_MAX + 1], salt[2 * VERITY_SALT_MAX + 1], opt[256] = "";
	int nopt = 0, n;
	size_t o = 0;

	put_hex(root, p->root, p->root_len);
	if (p->salt_len)
		put_hex(salt, p->salt, p->salt_len);
	else
		strcpy(salt, "-");
	if (p->mode != VERITY_EIO) {
		o += (size_t)snprintf(opt + o, sizeof(opt) - o, " %s", verity_mode_name(p->mode));
		nopt++;
	}
	if (p->ignore_zero_blocks) {
		o += (size_t)snprintf(opt + o, sizeof(opt) - o, " ignore_zero_blocks");
		nopt++;
	}
	if (p->check_at_most_once) {
		o += (size_t)snprintf(opt + o, sizeof(opt) - o, " check_at_most_once");
		nopt++;
	}
	if (sig_key) {
		if (strlen(sig_key) > 128 || strpbrk(sig_key, " \t\n"))
			return -E2BIG;
		o += (size_t)snprintf(opt + o, sizeof(opt) - o, " root_hash_sig_key_desc %s", sig_key);
		nopt += 2;
	}
	n = snprintf(out, len, "%u %u:%u %u:%u %u %u %llu %llu %s %s %s", p->hash_type, data_maj, data_min,
		     hash_maj, hash_min, p->data_block_size, p->hash_block_size, (unsigned long long)p->data_blocks,
		     (unsigned long long)p->hash_start, p->algorithm, root, salt);
	if (n < 0 || (size_t)n >= len)
		return -E2BIG;
	if (nopt) {
		int m = snprintf(out + n, len - (size_t)n, " %d%s", nopt, opt);
		if (m < 0 || (size_t)m >= len - (size_t)n)
			return -E2BIG;
		n += m;
	}
	return n;
}
