/* The C library functions ferry's static binary brings itself, in place of the C library's: the
 * linker takes these before it looks in libc.a. Only in the binary, not in the host builds of lib/
 * (the unit tests compare them with the host's C library), and only with musl: glibc keeps its own. */
#include <stdarg.h>
#include <stdio.h>
#include "../lib/core/printf.h"
#include "../lib/core/scanf.h"

#if !defined(__GLIBC__)

/* musl's printf, fprintf, snprintf, dprintf, asprintf and their v* forms end here. Without floating
 * point (lib/core/printf.h). */
int vfprintf(FILE *restrict f, const char *restrict fmt, va_list ap)
{
	return ferry_vfprintf(f, fmt, ap);
}

/* musl's sscanf, vsscanf and fscanf end here too. Without floating point (lib/core/scanf.h). */
int vfscanf(FILE *restrict f, const char *restrict fmt, va_list ap)
{
	return ferry_vfscanf(f, fmt, ap);
}
#endif
