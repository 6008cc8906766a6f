/* ferry's vfscanf (lib/core/scanf.c) against the host C library's, on the formats libblkid uses and
 * the edges around them; and what it does not do (floating point) fails as a matching failure. */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include "t.h"
#include "../../lib/core/scanf.h"

static FILE *open_str(const char *s)
{
	return *s ? fmemopen((void *)s, strlen(s), "r") : fopen("/dev/null", "r");
}

static int ours(const char *s, const char *fmt, ...)
{
	va_list ap;
	FILE *f = open_str(s);
	int rc;

	if (!f)
		return -100;
	va_start(ap, fmt);
	rc = ferry_vfscanf(f, fmt, ap);
	va_end(ap);
	fclose(f);
	return rc;
}

static int scan_file(FILE *f, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = ferry_vfscanf(f, fmt, ap);
	va_end(ap);
	return rc;
}

/* Both scanners on one input with one kind of destination; the results and the values must agree. */
#define SAME(type, s, fmt) do { \
	type a1 = 0, a2 = 0, b1 = 0, b2 = 0; int n1 = -7, n2 = -7; \
	int r1 = ours(s, fmt "%n", &a1, &b1, &n1); \
	int r2 = sscanf(s, fmt "%n", &a2, &b2, &n2); \
	T_CHECK(r1 == r2 && a1 == a2 && b1 == b2 && n1 == n2, \
		"'%s' '%s': ours %d (%lld %lld n=%d), libc %d (%lld %lld n=%d)", s, fmt, r1, \
		(long long)a1, (long long)b1, n1, r2, (long long)a2, (long long)b2, n2); \
} while (0)

#define SAME_STR(s, fmt) do { \
	char a1[1024] = "", a2[1024] = "", b1[1024] = "", b2[1024] = ""; \
	int r1 = ours(s, fmt, a1, b1), r2 = sscanf(s, fmt, a2, b2); \
	T_CHECK(r1 == r2 && !strcmp(a1, a2) && !strcmp(b1, b2), \
		"'%s' '%s': ours %d ('%s' '%s'), libc %d ('%s' '%s')", s, fmt, r1, a1, b1, r2, a2, b2); \
} while (0)

int main(void)
{
	/* libblkid's own formats (lib/path.c, lib/sysfs.c, libblkid/src/devno.c, devname.c, topology/) */
	SAME(int, "42\n", "%d%d");
	SAME(int, "-17", "%d%d");
	SAME(unsigned, "4294967295\n", "%u%u");
	SAME(int, "8:16\n", "%d:%d");
	SAME(int, "259:3", "%d:%d");
	SAME(int, "8 16", "%d:%d");
	SAME(int, "device: 253:0\n", "device: %d:%d");
	SAME(int, "device 253:0\n", "device: %d:%d");
	SAME(long long, "0 2097152 striped 2 128 ", "%lld %lld striped");
	SAME(int, "Stripes 4\n", "Stripes %d%d");
	SAME(int, "Stripe size (KByte) 64\n", "Stripe size (KByte) %d%d");
	SAME(uint64_t, "18446744073709551615\n", "%" SCNu64 "%" SCNu64);
	SAME(int64_t, "-9000000000", "%" SCNd64 "%" SCNd64);
	SAME(unsigned, "2:0:0:0", "%u:%u");
	/* integers: bases, signs, widths, sizes, whitespace */
	SAME(int, "  +12 -0", "%d %d");
	SAME(int, "0x1f 010", "%i %i");
	SAME(int, "0x1f 0X2A", "%x %x");
	SAME(int, "777 8", "%o %o");
	SAME(int, "12345", "%2d%3d");
	SAME(int, "-", "%d%d");
	SAME(int, "abc", "%d%d");
	SAME(int, "", "%d%d");
	SAME(int, "   ", "%d%d");
	SAME(int, "5", "%d%d");
	SAME(short, "70000 -1", "%hd %hd");
	SAME(signed char, "300 7", "%hhd %hhd");
	SAME(long, "-5 6", "%ld %ld");
	SAME(size_t, "123 456", "%zu %zu");
	SAME(int, "7 8", "%*d %d%d");
	SAME(int, "100%", "%d%%%d");
	SAME(int, "1,2", "%d,%d");
	SAME(int, "1;2", "%d,%d");
	/* text */
	SAME_STR("sda1 rest", "%s %s");
	SAME_STR("  leading\ttab", "%s%s");
	SAME_STR("253 dm-0 more\n", "%*d %64[^\n ]%s");
	SAME_STR("whole line here\nnext", "%1023[^\n]%s");
	SAME_STR("abcdef", "%3s%s");
	SAME_STR("]x-y", "%[]x-]%s");
	SAME_STR("a-z0", "%[a-z-]%s");
	SAME_STR("xyz123", "%[^0-9]%[0-9]");
	SAME_STR("123", "%[a-z]%s");
	SAME_STR("", "%s%s");

	/* %c reads exactly its width, whitespace included */
	{
		char c1[4] = "", c2[4] = "";
		T_EQ(ours(" ab", "%c%2c", c1, c1 + 1), 2);
		T_EQ(sscanf(" ab", "%c%2c", c2, c2 + 1), 2);
		T_MEMEQ(c1, c2, 3);
		T_EQ(ours("a", "%2c", c1), EOF);
	}
	/* the character after a field is put back for the stream's next reader */
	{
		FILE *f = fmemopen("12x 34", 6, "r");
		int v = 0;
		T_EQ(scan_file(f, "%d", &v), 1);
		T_EQ(v, 12);
		T_EQ(getc(f), 'x');
		T_EQ(scan_file(f, "%d", &v), 1);
		T_EQ(v, 34);
		T_EQ(getc(f), EOF);
		fclose(f);
	}
	/* floating point is not supported: a matching failure, the conversions before it kept */
	{
		int n = 0;
		double d = -1;
		T_EQ(ours("3 1.5", "%d %lf", &n, &d), 1);
		T_EQ(n, 3);
		T_OK(d == -1);
		T_EQ(ours("1.5", "%f", &d), 0);
	}
	return T_DONE();
}
