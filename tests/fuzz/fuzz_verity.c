/* dm-verity: the input's first 512 bytes as a superblock, the rest as systemd.verity_root_options=
 * (then "\n", a root hash); whatever parses is resolved against sizes from the input and turned
 * into a table line, which must be as long as said. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "../../lib/storage/verity.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char text[1024], bad[64], table[VERITY_TABLE_MAX];
	const char *why = NULL, *root = "";
	struct verity_params p;
	struct verity_opts o;
	struct verity_sb sb;
	int have_sb, n;

	if (size < VERITY_SB_SIZE + 16 || size - VERITY_SB_SIZE - 16 >= sizeof(text))
		return 0;
	have_sb = verity_sb_parse(data, VERITY_SB_SIZE, &sb, &why) == 0;
	if (!have_sb && !why)
		abort();
	uint64_t data_bytes, hash_bytes;
	memcpy(&data_bytes, data + VERITY_SB_SIZE, 8);
	memcpy(&hash_bytes, data + VERITY_SB_SIZE + 8, 8);
	memcpy(text, data + VERITY_SB_SIZE + 16, size - VERITY_SB_SIZE - 16);
	text[size - VERITY_SB_SIZE - 16] = '\0';
	char *nl = strchr(text, '\n');
	if (nl) {
		*nl = '\0';
		root = nl + 1;
	}
	verity_opts_init(&o);
	if (verity_opts_parse(text, &o, &why, bad, sizeof(bad)) < 0) {
		if (!why || strlen(bad) >= sizeof(bad))
			abort();
		return 0;
	}
	if (verity_resolve(&o, o.superblock && have_sb ? &sb : NULL, root, data_bytes, hash_bytes,
			   data_bytes == hash_bytes, &p, &why) < 0) {
		if (!why || !*why)
			abort();
		return 0;
	}
	if (p.hash_blocks > hash_bytes / p.hash_block_size || verity_sectors(&p) * 512 > data_bytes)
		abort();
	n = verity_table(&p, 254, 1, 254, 2, o.signature[0] ? "ferry:root-verity" : NULL, table, sizeof(table));
	if (n >= 0 && (size_t)n != strlen(table))
		abort();
	return 0;
}
