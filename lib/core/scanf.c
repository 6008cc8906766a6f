#include <ctype.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include "printf.h"
#include "scanf.h"

/* The input, one character of lookahead: c is the next character (EOF at the end), taken from the
 * stream only when first looked at; n counts the characters consumed, for %n. */
struct in {
	FILE *f;
	int c;
	bool have;
	size_t n;
};

static int peek(struct in *in)
{
	if (!in->have) {
		in->c = getc(in->f);
		in->have = true;
	}
	return in->c;
}

static void take(struct in *in)
{
	in->have = false;
	in->n++;
}

static void skip_space(struct in *in)
{
	while (peek(in) != EOF && isspace(peek(in)))
		take(in);
}

static void store_int(void *p, enum fmt_size sz, unsigned long long v)
{
	switch (sz) {
	case FMT_HH: *(unsigned char *)p = (unsigned char)v; break;
	case FMT_H: *(unsigned short *)p = (unsigned short)v; break;
	case FMT_INT: *(unsigned int *)p = (unsigned int)v; break;
	case FMT_L: *(unsigned long *)p = (unsigned long)v; break;
	case FMT_LL: *(unsigned long long *)p = v; break;
	case FMT_J: *(uintmax_t *)p = (uintmax_t)v; break;
	case FMT_Z: *(size_t *)p = (size_t)v; break;
	case FMT_T: *(ptrdiff_t *)p = (ptrdiff_t)v; break;
	}
}

static int digit(int c, int base)
{
	int d = isdigit(c) ? c - '0' : isalpha(c) ? tolower(c) - 'a' + 10 : 99;
	return d < base ? d : -1;
}

/* An integer as strtoull reads it (base 0: 0x hex, 0 octal, else decimal), at most width characters.
 * false when no digit was read (a "0x" without hex digits after it reads as 0, as in musl). */
static bool scan_int(struct in *in, int base, size_t width, unsigned long long *out)
{
	unsigned long long v = 0;
	bool neg = false, any = false;
	int d;

	if (width && (peek(in) == '-' || peek(in) == '+')) {
		neg = peek(in) == '-';
		take(in);
		width--;
	}
	if (width && (base == 0 || base == 16) && peek(in) == '0') {
		take(in);
		width--;
		any = true;
		if (width && (peek(in) == 'x' || peek(in) == 'X')) {
			take(in);
			width--;
			base = 16;
		} else if (base == 0) {
			base = 8;
		}
	} else if (base == 0) {
		base = 10;
	}
	while (width && peek(in) != EOF && (d = digit(peek(in), base)) >= 0) {
		v = v * (unsigned)base + (unsigned)d;
		take(in);
		width--;
		any = true;
	}
	*out = neg ? -v : v;
	return any;
}

/* A %[ set: *pp points after the '['; returns false on an unterminated set. */
static bool parse_set(const char **pp, bool set[256])
{
	const unsigned char *p = (const unsigned char *)*pp;
	bool neg = false;

	if (*p == '^') {
		neg = true;
		p++;
	}
	memset(set, 0, 256 * sizeof(*set));
	if (*p == ']')
		set[*p++] = true;
	for (; *p != ']'; p++) {
		if (!*p)
			return false;
		if (p[1] == '-' && p[2] && p[2] != ']') {
			for (unsigned c = p[0]; c <= p[2]; c++)
				set[c] = true;
			p += 2;
		} else {
			set[*p] = true;
		}
	}
	if (neg)
		for (int c = 0; c < 256; c++)
			set[c] = !set[c];
	*pp = (const char *)p + 1;
	return true;
}

int ferry_vfscanf(FILE *f, const char *fmt, va_list ap)
{
	struct in in = { .f = f };
	int done = 0;
	bool set[256];
	bool input_fail = false;

	for (const char *p = fmt; *p; p++) {
		if (isspace((unsigned char)*p)) {
			skip_space(&in);
			continue;
		}
		if (*p != '%' || p[1] == '%') {
			if (*p == '%') {
				p++;
				skip_space(&in);
			}
			if (peek(&in) != (unsigned char)*p) {
				input_fail = peek(&in) == EOF;
				break;
			}
			take(&in);
			continue;
		}
		p++;
		bool suppress = *p == '*';
		if (suppress)
			p++;
		size_t width = 0;
		while (isdigit((unsigned char)*p))
			width = width * 10 + (size_t)(*p++ - '0');
		enum fmt_size sz = fmt_size(&p);
		void *dst = suppress || *p == 'n' ? NULL : va_arg(ap, void *);
		int base;

		switch (*p) {
		case 'n':
			if (!suppress)
				store_int(va_arg(ap, void *), sz, in.n);
			continue;
		case 'c': {
			char *out = dst;
			if (!width)
				width = 1;
			for (size_t i = 0; i < width; i++, take(&in)) {
				if (peek(&in) == EOF) {
					input_fail = true;
					goto out;
				}
				if (out)
					out[i] = (char)peek(&in);
			}
			break;
		}
		case 's':
		case '[': {
			char *out = dst;
			size_t i = 0;
			if (*p == 's') {
				skip_space(&in);
				memset(set, 1, sizeof(set));
				set[0] = false;
				for (int c = 0; c < 256; c++)
					if (isspace(c))
						set[c] = false;
			} else {
				p++;
				if (!parse_set(&p, set))
					goto out;
				p--;
			}
			for (; (!width || i < width) && peek(&in) != EOF && set[peek(&in)]; i++, take(&in))
				if (out)
					out[i] = (char)peek(&in);
			if (!i) {
				input_fail = peek(&in) == EOF;
				goto out;
			}
			if (out)
				out[i] = '\0';
			break;
		}
		case 'd': base = 10; goto integer;
		case 'u': base = 10; goto integer;
		case 'i': base = 0; goto integer;
		case 'o': base = 8; goto integer;
		case 'x': case 'X': base = 16;
		integer: {
			unsigned long long v;
			skip_space(&in);
			if (peek(&in) == EOF) {
				input_fail = true;
				goto out;
			}
			if (!scan_int(&in, base, width ? width : SIZE_MAX, &v))
				goto out;
			if (dst)
				store_int(dst, sz, v);
			break;
		}
		default:
			/* Floating point and the rest: not supported (see scanf.h). */
			goto out;
		}
		if (!suppress)
			done++;
	}
out:
	if (in.have && in.c != EOF)
		ungetc(in.c, f);
	return input_fail && !done ? EOF : done;
}
