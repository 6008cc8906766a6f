/* pstore_verity(): the dm-verity end of a boot, read from its kernel log. The lines come from the
 * kernel (6.1): dm-verity-target.c's verity_handle_err() logs "device-mapper: verity: <dev>: data
 * block <n> is corrupted" (or "metadata block"), then kernel_restart("dm-verity device corrupted"),
 * which reboot.c logs as "Restarting system with command '...'", or panic("dm-verity device
 * corrupted"). A record may be cut anywhere and hold anything: every search stays inside len. */
#include <string.h>
#include "pstore.h"

#define CAUSE "dm-verity device corrupted"

/* the first occurrence of s in [p, end), or NULL */
static const char *find(const char *p, const char *end, const char *s)
{
	size_t n = strlen(s);

	for (; (size_t)(end - p) >= n; p++)
		if (*p == *s && !memcmp(p, s, n))
			return p;
	return NULL;
}

static const char *line_start(const char *text, const char *p)
{
	while (p > text && p[-1] != '\n')
		p--;
	return p;
}

static const char *line_end(const char *p, const char *end)
{
	while (p < end && *p != '\n')
		p++;
	return p;
}

/* the text of the line around at, from "device-mapper: " on when it has that, printable only */
static void copy_line(const char *text, const char *end, const char *at, char *out, size_t olen)
{
	const char *s = line_start(text, at), *e = line_end(at, end), *dm = find(s, e, "device-mapper: ");
	size_t n = 0;

	if (dm)
		s = dm;
	for (; s < e && n + 1 < olen; s++)
		if (*s >= 0x20 && *s < 0x7f)
			out[n++] = *s;
	if (olen)
		out[n] = 0;
}

enum pstore_verity pstore_verity(const char *text, size_t len, char *block, size_t blen)
{
	const char *end = text + len, *p, *last = NULL;
	enum pstore_verity r = PSTORE_VERITY_NONE;

	if (blen)
		block[0] = 0;
	for (p = text; (p = find(p, end, CAUSE)); p += sizeof(CAUSE) - 1) {
		const char *s = line_start(text, p);
		if (find(s, p, "Restarting system with command '"))
			r = PSTORE_VERITY_RESTART;
		else if (find(s, p, "Kernel panic - not syncing: "))
			r = PSTORE_VERITY_PANIC;
	}
	if (r == PSTORE_VERITY_NONE)
		return r;
	for (p = text; (p = find(p, end, " block ")); p++) {
		const char *e = line_end(p, end), *c = find(p, e, " is corrupted");
		if (c && find(line_start(text, p), p, "verity"))
			last = p;
	}
	if (last)
		copy_line(text, end, last, block, blen);
	return r;
}
