/* ferry's vfscanf (lib/core/scanf.c), which reads what libblkid reads from sysfs and /proc, on any
 * input: with the formats libblkid passes it (and a few more), it must stay inside its buffers
 * (ASan), return EOF or a count no larger than the format's conversions, and give what the format
 * says: "%1023[^\n]" the line up to its first newline, "%d:%d" numbers whose digits were there.
 * Input: a format-selector byte, then the text (NUL-terminated here). Any violation aborts. */
#include <ctype.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../../lib/core/scanf.h"

static int scan(const char *s, size_t len, const char *fmt, ...)
{
	va_list ap;
	FILE *f = len ? fmemopen((void *)s, len, "r") : fopen("/dev/null", "r");
	int rc;

	if (!f)
		return -100;
	va_start(ap, fmt);
	rc = ferry_vfscanf(f, fmt, ap);
	va_end(ap);
	fclose(f);
	return rc;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char line[1024], name[65], a[16], b[16];
	int i1 = 0, i2 = 0;
	long long l1 = 0, l2 = 0;
	unsigned u = 0;
	char *s;
	int rc;

	if (!size)
		return 0;
	s = malloc(size);
	memcpy(s, data + 1, size - 1);
	s[size - 1] = 0;
	size_t len = strlen(s);

	switch (data[0] % 8) {
	case 0:
		memset(line, 0x55, sizeof(line));
		rc = scan(s, len, "%1023[^\n]", line);
		if (rc != EOF && rc != 0 && rc != 1)
			abort();
		if (rc == 1) {
			size_t n = strcspn(s, "\n");
			if (n > 1023)
				n = 1023;
			if (strlen(line) != n || memcmp(line, s, n))
				abort();
		}
		break;
	case 1:
		rc = scan(s, len, "%d:%d", &i1, &i2);
		if (rc > 2 || rc < EOF)
			abort();
		if (rc >= 1 && !strpbrk(s, "0123456789"))
			abort();
		if (rc == 2 && !strchr(s, ':'))
			abort();
		break;
	case 2:
		memset(name, 0x55, sizeof(name));
		rc = scan(s, len, "%d %64[^\n ]", &i1, name);
		if (rc > 2 || rc < EOF || (rc == 2 && (strlen(name) > 64 || !name[0] || strchr(name, ' '))))
			abort();
		break;
	case 3:
		rc = scan(s, len, "%lld %lld striped %d %d ", &l1, &l2, &i1, &i2);
		if (rc > 4 || rc < EOF)
			abort();
		break;
	case 4:
		rc = scan(s, len, "device: %d:%d", &i1, &i2);
		if (rc > 2 || rc < EOF || (rc >= 1 && strncmp(s + strspn(s, " \t\n\v\f\r"), "device:", 7)))
			abort();
		break;
	case 5:
		rc = scan(s, len, "%u:%u:%i%n", &u, &u, &i1, &i2);
		if (rc > 3 || rc < EOF || (rc == 3 && (i2 < 0 || (size_t)i2 > len)))
			abort();
		break;
	case 6:
		memset(a, 0x55, sizeof(a));
		memset(b, 0x55, sizeof(b));
		rc = scan(s, len, "%15s %3c", a, b);
		if (rc > 2 || rc < EOF || (rc >= 1 && (strlen(a) > 15 || !a[0])))
			abort();
		for (size_t k = 0; rc >= 1 && a[k]; k++)
			if (isspace((unsigned char)a[k]))
				abort();
		break;
	default:
		/* the format is the input itself, with no destinations: only suppressed conversions and
		 * literals may appear, so cut it at the first '%' not followed by '*' */
		for (char *p = s; (p = strchr(p, '%')); p++)
			if (p[1] != '*' && p[1] != '%') {
				*p = 0;
				break;
			} else {
				p++;
			}
		rc = scan("12 ab:34 [x] 0x1f", 17, s);
		if (rc != EOF && rc != 0)
			abort();
		break;
	}
	free(s);
	return 0;
}
