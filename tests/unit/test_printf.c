/* ferry's vfprintf (lib/core/printf.c) against the host C library's vsnprintf, on the formats ferry
 * and libblkid use and the edges of flags, widths and precisions; what it does not do (floating point,
 * positional arguments) is an error. */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include "t.h"
#include "../../lib/core/printf.h"

/* The edges below include flags C leaves without effect ("%-05d", "%05.2d"): on purpose. */
#pragma GCC diagnostic ignored "-Wformat"

static char got[8192];

/* ours into a memory stream: the return value, the text in got */
static int ours(const char *fmt, ...)
{
	va_list ap;
	FILE *f = fmemopen(got, sizeof(got), "w");
	int rc;

	if (!f)
		return -100;
	setvbuf(f, NULL, _IONBF, 0);
	va_start(ap, fmt);
	rc = ferry_vfprintf(f, fmt, ap);
	va_end(ap);
	fclose(f);
	if (rc >= 0 && (size_t)rc < sizeof(got))
		got[rc] = '\0';
	return rc;
}

#define SAME(fmt, ...) do { \
	char want[8192]; \
	int r2 = snprintf(want, sizeof(want), fmt, __VA_ARGS__); \
	int r1 = ours(fmt, __VA_ARGS__); \
	T_CHECK(r1 == r2 && !strcmp(got, want), "'%s': ours %d '%s', libc %d '%s'", fmt, r1, got, r2, want); \
} while (0)

int main(void)
{
	static char big[3000];
	const char *str = "ferry";
	int n1 = 0;

	memset(big, 'b', sizeof(big) - 1);
	/* what ferry's own code prints */
	SAME("%s: %s", "ferry", "root");
	SAME("%u %d %d", 4000000000u, -5, INT_MIN);
	SAME("%02x:%02x:%02x", 0, 0xab, 0x1ff);
	SAME("%zu %zd %zx", (size_t)SIZE_MAX, (ssize_t)-3, (size_t)0xbeef);
	SAME("%llu %llx %lld", ULLONG_MAX, 0x123456789abcdefULL, LLONG_MIN);
	SAME("%lu %ld", ULONG_MAX, LONG_MIN);
	SAME("%.*s|%.40s|%.63s", 3, "abcdef", "short", "");
	SAME("%03llu %6llu %*d %*d", 7ULL, 12345ULL, 5, 42, -5, 42);
	SAME("%-6s|%-30s|%-18s|", "ab", "x", "0123456789012345678901");
	SAME("%o %x 100%%", 8, 255);
	SAME("[%5s][%-5s][%.2s][%5.1s]", "ab", "ab", "abc", "xyz");
	/* libblkid's */
	SAME("%jd %ju %04x %02X %c%c", (intmax_t)-9, (uintmax_t)9, 0x1f, 0xab, 'o', 'k');
	SAME("%" PRIu64 " %" PRIx64 " %" PRId32, UINT64_MAX, (uint64_t)0xdeadbeef, INT32_MIN);
	SAME("%hhu %hhd %hu %hd", 0x1ff, 0x80, 0x1ffff, 0x8000);
	/* flags, widths, precisions */
	SAME("[%+d][% d][%+d][% 5d][%-+5d]", 5, 5, -5, 5, 5);
	SAME("[%05d][%-05d][%05.2d][%.0d][%.0d][%.3d]", -42, 42, 42, 0, 1, -7);
	SAME("[%#x][%#X][%#o][%#o][%#.0o][%#x][%#08x]", 255, 255, 8, 0, 0, 0, 0xab);
	SAME("[%10.4x][%-10.4x][%010x]", 0xab, 0xab, 0xab);
	SAME("[%.*d][%*.*s]", -1, 5, -8, 2, "abc");
	SAME("[%5c][%-3c]", 'x', 'y');
	SAME("%s%s", big, big);
	SAME("%3000s|", "x");
	SAME("%s", "");
	SAME("no conversions%s", "");
	/* %n counts what was printed before it */
	T_EQ(ours("abc%n%s", &n1, "de"), 5);
	T_EQ(n1, 3);
	/* musl's %m, %p and NULL %s (glibc differs: these are checked as musl prints them) */
	errno = ENOENT;
	T_EQ(ours("%m"), (int)strlen(strerror(ENOENT)));
	T_STREQ(got, strerror(ENOENT));
	T_EQ(ours("%p", (void *)0x1234), 18);
	T_STREQ(got, "0x0000000000001234");
	T_EQ(ours("%s", (char *)NULL), 6);
	T_STREQ(got, "(null)");
	/* not supported: an error, errno EINVAL */
	errno = 0;
	T_EQ(ours("x=%f", 1.5), -1);
	T_EQ(errno, EINVAL);
	T_EQ(ours("%Lg", (long double)1), -1);
	T_EQ(ours("%1$s", str), -1);
	T_EQ(ours("abc%"), -1);
	return T_DONE();
}
