/* dm-verity: the superblock as veritysetup (cryptsetup 2.6.1) writes it, the options, the
 * resolved layout against the hash device sizes veritysetup made, and the table line. */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include "t.h"
#include "../../lib/storage/verity.h"

/* The first 104 bytes of `veritysetup format --salt=00112233445566778899aabbccddeeff
 * --uuid=12345678-9abc-def0-1234-56789abcdef0 data.img hash.img` for 1 MiB of data (the other
 * 408 bytes of its superblock are zeros). Its root hash and hash device size: */
static const uint8_t sb_head[104] = {
	0x76, 0x65, 0x72, 0x69, 0x74, 0x79, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00,
	0x01, 0x00, 0x00, 0x00, 0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc, 0xde, 0xf0,
	0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc, 0xde, 0xf0, 0x73, 0x68, 0x61, 0x32,
	0x35, 0x36, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x00, 0x00, 0x10, 0x00, 0x00,
	0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77,
	0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff
};
#define ROOT "90db6360a508885fe6ee0a08bb10a46db311d9b42143f6ab5487cb361d207817"
#define HASH_SIZE 16384
#define DATA_SIZE 1048576

static void sb_buf(uint8_t *buf)
{
	memset(buf, 0, VERITY_SB_SIZE);
	memcpy(buf, sb_head, sizeof(sb_head));
}

static int opts(const char *s, struct verity_opts *o, const char **why, char *bad)
{
	verity_opts_init(o);
	*why = "";
	return verity_opts_parse(s, o, why, bad, 64);
}

static void test_superblock(void)
{
	uint8_t buf[VERITY_SB_SIZE];
	struct verity_sb sb;
	const char *why;

	sb_buf(buf);
	T_EQ(verity_sb_parse(buf, sizeof(buf), &sb, &why), 0);
	T_EQ(sb.version, 1);
	T_EQ(sb.hash_type, 1);
	T_STREQ(sb.algorithm, "sha256");
	T_EQ(sb.data_block_size, 4096);
	T_EQ(sb.hash_block_size, 4096);
	T_EQ(sb.data_blocks, 256);
	T_EQ(sb.salt_size, 16);
	T_EQ(sb.salt[0], 0x00);
	T_EQ(sb.salt[15], 0xff);
	T_EQ(sb.uuid[0], 0x12);
	T_EQ(sb.uuid[15], 0xf0);

	T_EQ(verity_sb_parse(buf, 511, &sb, &why), -EINVAL);
	buf[0] = 'V';
	T_EQ(verity_sb_parse(buf, sizeof(buf), &sb, &why), -ENODATA);
	T_OK(strstr(why, "signature") != NULL);
	sb_buf(buf);
	buf[8] = 2;     /* version */
	T_EQ(verity_sb_parse(buf, sizeof(buf), &sb, &why), -EINVAL);
	T_OK(strstr(why, "version") != NULL);
	sb_buf(buf);
	buf[12] = 7;    /* hash type */
	T_EQ(verity_sb_parse(buf, sizeof(buf), &sb, &why), -EINVAL);
	T_OK(strstr(why, "hash type") != NULL);
	sb_buf(buf);
	memcpy(buf + 32, "md4", 4);
	T_EQ(verity_sb_parse(buf, sizeof(buf), &sb, &why), -EINVAL);
	T_OK(strstr(why, "algorithm") != NULL);
	sb_buf(buf);
	memset(buf + 32, 'a', 32);  /* no NUL in the name's 32 bytes */
	T_EQ(verity_sb_parse(buf, sizeof(buf), &sb, &why), -EINVAL);
	sb_buf(buf);
	buf[65] = 0x11; /* data block size 0x1100: not a power of two */
	T_EQ(verity_sb_parse(buf, sizeof(buf), &sb, &why), -EINVAL);
	T_OK(strstr(why, "block size") != NULL);
	sb_buf(buf);
	buf[69] = 0; buf[68] = 0; /* hash block size 0 */
	T_EQ(verity_sb_parse(buf, sizeof(buf), &sb, &why), -EINVAL);
	sb_buf(buf);
	buf[81] = 0x02; /* salt size 0x210 */
	T_EQ(verity_sb_parse(buf, sizeof(buf), &sb, &why), -EINVAL);
	T_OK(strstr(why, "salt") != NULL);
	sb_buf(buf);
	buf[73] = 0;    /* no data blocks */
	T_EQ(verity_sb_parse(buf, sizeof(buf), &sb, &why), -EINVAL);
}

static void test_options(void)
{
	struct verity_opts o;
	const char *why;
	char bad[64];

	T_EQ(opts("", &o, &why, bad), 0);
	T_OK(o.superblock);
	T_EQ(o.format, -1);
	T_EQ(o.mode, VERITY_EIO);
	T_EQ(opts("superblock=no,hash-offset=1048576,data-block-size=1024,hash-block-size=4096,data-blocks=99,"
		  "salt=AbCd,hash=sha1,format=0,root-hash-signature=/etc/root.p7s,restart-on-corruption,"
		  "ignore-zero-blocks,check-at-most-once,uuid=12345678-9abc-def0-1234-56789abcdef0", &o, &why, bad), 0);
	T_OK(!o.superblock);
	T_OK(o.hash_offset_set);
	T_EQ(o.hash_offset, 1048576);
	T_EQ(o.data_block_size, 1024);
	T_EQ(o.hash_block_size, 4096);
	T_EQ(o.data_blocks, 99);
	T_EQ(o.salt_len, 2);
	T_EQ(o.salt[0], 0xab);
	T_EQ(o.salt[1], 0xcd);
	T_STREQ(o.hash, "sha1");
	T_EQ(o.format, 0);
	T_STREQ(o.signature, "/etc/root.p7s");
	T_EQ(o.mode, VERITY_RESTART);
	T_OK(o.ignore_zero_blocks && o.check_at_most_once);
	T_OK(o.uuid_set && o.uuid[0] == 0x12 && o.uuid[15] == 0xf0);
	T_EQ(opts("salt=-", &o, &why, bad), 0);
	T_OK(o.salt_set && !o.salt_len);
	T_EQ(opts("ignore-corruption,ignore-corruption", &o, &why, bad), 0);
	T_EQ(o.mode, VERITY_IGNORE);

	/* each error names the option */
	static const struct { const char *in, *bad, *why; } e[] = {
		{ "superblock=maybe", "superblock", "yes or no" },
		{ "hash-offset=1000", "hash-offset", "512" },
		{ "hash-offset=-512", "hash-offset", "512" },
		{ "hash-offset=99999999999999999999999", "hash-offset", "512" },
		{ "data-block-size=3000", "data-block-size", "power of two" },
		{ "hash-block-size=256", "hash-block-size", "power of two" },
		{ "data-block-size=1048576", "data-block-size", "power of two" },
		{ "data-blocks=0", "data-blocks", "at least 1" },
		{ "data-blocks=12x", "data-blocks", "number" },
		{ "salt=abc", "salt", "hex" },
		{ "salt=zz", "salt", "hex" },
		{ "hash=md4", "hash", "hash" },
		{ "format=2", "format", "0 or 1" },
		{ "root-hash-signature=rel/path", "root-hash-signature", "absolute" },
		{ "ignore-corruption=1", "ignore-corruption", "no value" },
		{ "ignore-corruption,panic-on-corruption", "panic-on-corruption", "only one of" },
		{ "restart-on-corruption,ignore-corruption", "ignore-corruption", "only one of" },
		{ "fec-device=/dev/vdc", "fec-device", "not supported" },
		{ "data-block-size", "data-block-size", "needs a value" },
		{ "uuid=1234", "uuid", "UUID" },
		{ "hash-offset=0,,salt=-", "", "empty" },
		{ "verity=yes", "verity", "unknown option" },
	};
	for (size_t i = 0; i < sizeof(e) / sizeof(*e); i++) {
		int r = opts(e[i].in, &o, &why, bad);
		T_CHECK(r == -EINVAL && !strcmp(bad, e[i].bad) && strstr(why, e[i].why),
			"%s: %d, bad \"%s\", why \"%s\"", e[i].in, r, bad, why);
	}
}

static void test_resolve_superblock(void)
{
	uint8_t buf[VERITY_SB_SIZE];
	struct verity_params p;
	struct verity_opts o;
	struct verity_sb sb;
	const char *why;
	char bad[64], table[VERITY_TABLE_MAX];

	sb_buf(buf);
	T_EQ(verity_sb_parse(buf, sizeof(buf), &sb, &why), 0);
	T_EQ(opts("", &o, &why, bad), 0);
	T_EQ(verity_resolve(&o, &sb, ROOT, DATA_SIZE, HASH_SIZE, false, &p, &why), 0);
	T_EQ(p.hash_start, 1);               /* the first hash block after the superblock */
	T_EQ(p.hash_blocks * 4096, HASH_SIZE); /* veritysetup's hash device: exactly the tree's end */
	T_EQ(verity_sectors(&p), 2048);
	T_EQ(verity_table(&p, 254, 0, 254, 16, NULL, table, sizeof(table)), (int)strlen(table));
	T_STREQ(table, "1 254:0 254:16 4096 4096 256 1 sha256 " ROOT " 00112233445566778899aabbccddeeff");
	/* uppercase root hash is the same hash */
	char up[] = ROOT;
	for (char *c = up; *c; c++)
		if (*c >= 'a' && *c <= 'f')
			*c -= 32;
	T_EQ(verity_resolve(&o, &sb, up, DATA_SIZE, HASH_SIZE, false, &p, &why), 0);
	T_EQ(p.root[0], 0x90);

	/* the devices' sizes */
	T_EQ(verity_resolve(&o, &sb, ROOT, DATA_SIZE - 512, HASH_SIZE, false, &p, &why), -ENOSPC);
	T_OK(strstr(why, "data device is smaller") != NULL);
	T_EQ(verity_resolve(&o, &sb, ROOT, DATA_SIZE, HASH_SIZE - 4096, false, &p, &why), -ENOSPC);
	T_OK(strstr(why, "hash device is too small") != NULL);
	/* the root hash */
	T_EQ(verity_resolve(&o, &sb, ROOT "00", DATA_SIZE, HASH_SIZE, false, &p, &why), -EINVAL);
	T_OK(strstr(why, "roothash=") != NULL);
	T_EQ(verity_resolve(&o, &sb, "xy", DATA_SIZE, HASH_SIZE, false, &p, &why), -EINVAL);
	T_EQ(verity_resolve(&o, &sb, NULL, DATA_SIZE, HASH_SIZE, false, &p, &why), -EINVAL);
	/* options that disagree with the superblock, each named */
	static const struct { const char *in, *why; } e[] = {
		{ "data-block-size=1024", "data-block-size=" }, { "hash-block-size=1024", "hash-block-size=" },
		{ "data-blocks=255", "data-blocks=" }, { "format=0", "format=" }, { "hash=sha1", "hash=" },
		{ "salt=-", "salt=" }, { "salt=00112233445566778899aabbccddeefe", "salt=" },
		{ "uuid=12345678-9abc-def0-1234-56789abcdef1", "uuid=" },
	};
	for (size_t i = 0; i < sizeof(e) / sizeof(*e); i++) {
		T_EQ(opts(e[i].in, &o, &why, bad), 0);
		int r = verity_resolve(&o, &sb, ROOT, DATA_SIZE, HASH_SIZE, false, &p, &why);
		T_CHECK(r == -EINVAL && strstr(why, e[i].why) && strstr(why, "superblock"), "%s: %d %s", e[i].in, r, why);
	}
	/* the same values agree */
	T_EQ(opts("data-block-size=4096,hash-block-size=4096,data-blocks=256,format=1,hash=SHA256,"
		  "salt=00112233445566778899AABBCCDDEEFF,uuid=12345678-9abc-def0-1234-56789abcdef0", &o, &why, bad), 0);
	T_EQ(verity_resolve(&o, &sb, ROOT, DATA_SIZE, HASH_SIZE, false, &p, &why), 0);

	/* the tree appended to the data (veritysetup format --hash-offset=1048576 data.img data.img):
	 * the superblock at 1 MiB, the tree in the block after it */
	T_EQ(opts("hash-offset=1048576", &o, &why, bad), 0);
	T_EQ(verity_resolve(&o, &sb, ROOT, DATA_SIZE + HASH_SIZE, DATA_SIZE + HASH_SIZE, true, &p, &why), 0);
	T_EQ(p.hash_start, 257);
	T_EQ(p.hash_blocks * 4096, DATA_SIZE + HASH_SIZE);
	T_EQ(verity_resolve(&o, &sb, ROOT, DATA_SIZE + HASH_SIZE - 1, DATA_SIZE + HASH_SIZE - 1, true, &p, &why), -ENOSPC);
	T_EQ(opts("hash-offset=4096", &o, &why, bad), 0);
	T_EQ(verity_resolve(&o, &sb, ROOT, DATA_SIZE + HASH_SIZE, DATA_SIZE + HASH_SIZE, true, &p, &why), -EINVAL);
	T_OK(strstr(why, "hash-offset=") && strstr(why, "inside the data"));
}

/* Hash device sizes veritysetup format wrote for 64 MiB of data, salt -, superblock at 0. */
static void test_tree_sizes(void)
{
	static const struct { uint32_t dbs, hbs; const char *alg; int format; uint64_t size; } v[] = {
		{ 1024, 1024, "sha512", 1, 4474880 }, { 4096, 4096, "sha1", 0, 532480 },
		{ 512, 4096, "sha256", 1, 4235264 }, { 4096, 1024, "sha384", 1, 1120256 },
	};
	for (size_t i = 0; i < sizeof(v) / sizeof(*v); i++) {
		struct verity_sb sb = { .version = 1, .hash_type = (uint32_t)v[i].format, .data_block_size = v[i].dbs,
					.hash_block_size = v[i].hbs, .data_blocks = 67108864 / v[i].dbs };
		struct verity_params p;
		struct verity_opts o;
		char root[2 * VERITY_DIGEST_MAX + 1];
		const char *why;

		strcpy(sb.algorithm, v[i].alg);
		memset(root, 'a', 2 * verity_digest_size(v[i].alg));
		root[2 * verity_digest_size(v[i].alg)] = '\0';
		verity_opts_init(&o);
		int r = verity_resolve(&o, &sb, root, 67108864, v[i].size, false, &p, &why);
		T_CHECK(r == 0 && p.hash_blocks * v[i].hbs == v[i].size, "%s %u/%u: %d %s, %llu bytes", v[i].alg,
			v[i].dbs, v[i].hbs, r, why, (unsigned long long)(p.hash_blocks * v[i].hbs));
		T_EQ(verity_resolve(&o, &sb, root, 67108864, v[i].size - 1, false, &p, &why), -ENOSPC);
	}
}

static void test_no_superblock(void)
{
	struct verity_params p;
	struct verity_opts o;
	const char *why;
	char bad[64], table[VERITY_TABLE_MAX];

	/* every value missing in turn is named */
	static const struct { const char *in, *why; } e[] = {
		{ "superblock=no", "data-block-size=" },
		{ "superblock=no,data-block-size=4096", "hash-block-size=" },
		{ "superblock=no,data-block-size=4096,hash-block-size=4096", "data-blocks=" },
		{ "superblock=no,data-block-size=4096,hash-block-size=4096,data-blocks=256", "hash=" },
		{ "superblock=no,data-block-size=4096,hash-block-size=4096,data-blocks=256,hash=sha256", "salt=" },
	};
	for (size_t i = 0; i < sizeof(e) / sizeof(*e); i++) {
		T_EQ(opts(e[i].in, &o, &why, bad), 0);
		int r = verity_resolve(&o, NULL, ROOT, DATA_SIZE, HASH_SIZE, false, &p, &why);
		T_CHECK(r == -EINVAL && strstr(why, e[i].why), "%s: %d %s", e[i].in, r, why);
	}
	T_EQ(opts("superblock=no,data-block-size=4096,hash-block-size=4096,data-blocks=256,hash=sha256,"
		  "salt=00112233445566778899aabbccddeeff,hash-offset=4096,ignore-corruption,check-at-most-once",
		  &o, &why, bad), 0);
	T_EQ(verity_resolve(&o, NULL, ROOT, DATA_SIZE, HASH_SIZE, false, &p, &why), 0);
	T_EQ(p.hash_start, 1);
	T_EQ(p.hash_type, 1);
	T_EQ(verity_table(&p, 8, 0, 8, 16, "ferry:root-verity", table, sizeof(table)), (int)strlen(table));
	T_STREQ(table, "1 8:0 8:16 4096 4096 256 1 sha256 " ROOT " 00112233445566778899aabbccddeeff "
		"4 ignore_corruption check_at_most_once root_hash_sig_key_desc ferry:root-verity");
	T_EQ(verity_table(&p, 8, 0, 8, 16, "two words", table, sizeof(table)), -E2BIG);
	T_EQ(verity_table(&p, 8, 0, 8, 16, NULL, table, 40), -E2BIG);
	/* without a superblock, hash-offset= is the tree itself: whole hash blocks */
	T_EQ(opts("superblock=no,data-block-size=4096,hash-block-size=4096,data-blocks=256,hash=sha256,salt=-,"
		  "hash-offset=512", &o, &why, bad), 0);
	T_EQ(verity_resolve(&o, NULL, ROOT, DATA_SIZE, HASH_SIZE, false, &p, &why), -EINVAL);
	T_OK(strstr(why, "hash-offset=") != NULL);
	/* sha512 root hash for a sha256 tree */
	T_EQ(opts("superblock=no,data-block-size=4096,hash-block-size=4096,data-blocks=256,hash=sha512,salt=-",
		  &o, &why, bad), 0);
	T_EQ(verity_resolve(&o, NULL, ROOT, DATA_SIZE, HASH_SIZE, false, &p, &why), -EINVAL);
	T_OK(strstr(why, "roothash=") != NULL);
	/* huge data-blocks: no overflow */
	T_EQ(opts("superblock=no,data-block-size=524288,hash-block-size=512,data-blocks=18446744073709551615,"
		  "hash=sha512,salt=-", &o, &why, bad), 0);
	char root512[129];
	memset(root512, 'b', 128);
	root512[128] = '\0';
	T_OK(verity_resolve(&o, NULL, root512, UINT64_MAX, UINT64_MAX, false, &p, &why) < 0);
	/* one data block: no tree levels, the root hash is the block's */
	T_EQ(opts("superblock=no,data-block-size=4096,hash-block-size=4096,data-blocks=1,hash=sha256,salt=-",
		  &o, &why, bad), 0);
	T_EQ(verity_resolve(&o, NULL, ROOT, 4096, 0, false, &p, &why), 0);
	T_EQ(p.hash_blocks, 0);
	T_EQ(verity_table(&p, 8, 0, 8, 16, NULL, table, sizeof(table)), (int)strlen(table));
	T_STREQ(table, "1 8:0 8:16 4096 4096 1 0 sha256 " ROOT " -");
}

int main(void)
{
	test_superblock();
	test_options();
	test_resolve_superblock();
	test_tree_sizes();
	test_no_superblock();
	return T_DONE();
}
