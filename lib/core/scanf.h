#ifndef FERRY_SCANF_H
#define FERRY_SCANF_H

#include <stdarg.h>
#include <stdio.h>

/* vfscanf(3) for integers and text, without floating point: ferry's static binary uses it as the C
 * library's vfscanf (init/libc.c), so musl's, whose %f pulls in 128-bit long double arithmetic in
 * software on aarch64 (floatscan and libgcc's soft-fp, about 17 KiB), is not linked. Its callers are
 * libblkid's sysfs and /proc readers ("%d", "%u", "%d:%d", "%lld", "%" SCNu64, "%1023[^\n]",
 * "%d %64[^\n ]", literal text).
 *
 * Supported: whitespace and literal characters, %%, the '*' suppression, field widths, the length
 * modifiers hh h l ll j z t (and L as ll), the conversions d i u o x X (with strtoull's bases and
 * signs), s, c, [set] (ranges, ^, a ']' first), n. Any other conversion (e, f, g, a, p, ...) is a
 * matching failure: the conversions done so far are returned. EOF when the input ends (or fails)
 * before the first conversion. The one character read past a field is put back with ungetc. */
int ferry_vfscanf(FILE *f, const char *fmt, va_list ap);

#endif
