/* extlinux.conf: the input up to the first NUL is the file; after it, NUL-separated pairs "path",
 * "contents" are the filesystem its INCLUDE and MENU INCLUDE lines read (loops and nesting must stay
 * bounded). Then every entry is checked, ordered, described and its command line built, as ferry
 * does before a kexec. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "../../lib/boot/bootcfg.h"

static const char *fs_data, *fs_end;

static int fuzz_read(void *arg, const char *path, char **buf, size_t *len)
{
	const char *p = fs_data;

	(void)arg;
	while (p < fs_end) {
		const char *z = memchr(p, 0, (size_t)(fs_end - p));
		size_t n = z ? (size_t)(z - p) : (size_t)(fs_end - p);
		const char *c = z ? z + 1 : fs_end, *cz = memchr(c, 0, (size_t)(fs_end - c));
		size_t cn = cz ? (size_t)(cz - c) : (size_t)(fs_end - c);
		if (n == strlen(path) && !memcmp(p, path, n)) {
			if (!(*buf = malloc(cn + 1)))
				return -ENOMEM;
			memcpy(*buf, c, cn);
			(*buf)[cn] = 0;
			*len = cn;
			return 0;
		}
		p = cz ? cz + 1 : fs_end;
	}
	return -ENOENT;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct boot_list l;
	size_t order[BOOT_MAX_ENTRIES];
	char line[1024];
	int matched;
	const char *main_end = memchr(data, 0, size);
	size_t mlen = main_end ? (size_t)(main_end - (const char *)data) : size;

	fs_data = main_end ? main_end + 1 : (const char *)data + size;
	fs_end = (const char *)data + size;
	boot_list_init(&l);
	(void)extlinux_parse_files(&l, "/boot/extlinux", "/boot/extlinux/extlinux.conf", (const char *)data, mlen,
				   fuzz_read, NULL);
	for (size_t i = 0; i < l.n; i++)
		boot_entry_check(&l.e[i]);
	size_t n = boot_order(&l, l.def_name, order, BOOT_MAX_ENTRIES, &matched);
	for (size_t i = 0; i < n; i++) {
		boot_entry_describe(&l.e[order[i]], line, sizeof(line));
		(void)boot_cmdline(l.e[order[i]].options, "root,ro", NULL, line, sizeof(line));
	}
	return 0;
}
