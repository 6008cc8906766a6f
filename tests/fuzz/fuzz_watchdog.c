/* ferry.watchdog=SECONDS[,DEVICE]: any text either parses to 1..3600 s and an absolute path that
 * fits, or is refused; never a crash. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "../../lib/core/watchdog.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1), dev[32];
	unsigned sec = 0;

	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = 0;
	if (watchdog_parse(s, &sec, dev, sizeof(dev)) == 0 &&
	    (sec < 1 || sec > WATCHDOG_MAX_S || dev[0] != '/' || strlen(dev) >= sizeof(dev)))
		abort();
	free(s);
	return 0;
}
