/* ferry.crypt values: parse, and when accepted build the table and the length for every source. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "../../lib/crypt/cryptspec.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char val[1024], bad[64], table[CRYPT_TABLE_MAX];
	const char *why = NULL;
	struct crypt_spec s;

	if (size >= sizeof(val))
		return 0;
	memcpy(val, data, size);
	val[size] = '\0';
	if (cryptspec_parse(val, &s, &why, bad, sizeof(bad)) < 0) {
		if (!why || strlen(bad) >= sizeof(bad))
			abort();
		return 0;
	}
	for (int src = CRYPT_SRC_KEYFILE; src <= CRYPT_SRC_ENCRYPTED; src++) {
		int n = cryptspec_table(&s, src, 64, 253, 7, table, sizeof(table));
		if (n >= 0 && (size_t)n != strlen(table))
			abort();
	}
	(void)cryptspec_length(&s, size * 1000, &why);
	(void)cryptspec_keydesc(&s, table, sizeof(table));
	return 0;
}
