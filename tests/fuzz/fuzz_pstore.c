/* pstore_verity() on any bytes: never reads past len, the detail is always terminated printable
 * ASCII, and a detail comes only with an answer. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "../../lib/storage/pstore.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *copy = malloc(size ? size : 1), b[96];
	size_t blen = size ? 1 + data[0] % sizeof(b) : sizeof(b);

	if (!copy)
		return 0;
	memcpy(copy, data, size);  /* an exact-size copy: ASan sees any read past the end */
	memset(b, 'Z', sizeof(b));
	enum pstore_verity r = pstore_verity(copy, size, b, blen);
	size_t n = strnlen(b, blen);
	if (n >= blen)
		abort();
	for (size_t i = 0; i < n; i++)
		if (b[i] < 0x20 || b[i] >= 0x7f)
			abort();
	if (r == PSTORE_VERITY_NONE && n)
		abort();
	free(copy);
	return 0;
}
