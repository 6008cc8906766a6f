#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/types.h>
#include "printf.h"

enum fmt_size fmt_size(const char **fmt)
{
	const char *p = *fmt;
	enum fmt_size sz = FMT_INT;

	if (p[0] == 'h' && p[1] == 'h') { sz = FMT_HH; p += 2; }
	else if (p[0] == 'l' && p[1] == 'l') { sz = FMT_LL; p += 2; }
	else if (*p == 'h') { sz = FMT_H; p++; }
	else if (*p == 'l') { sz = FMT_L; p++; }
	else if (*p == 'L' || *p == 'q') { sz = FMT_LL; p++; }
	else if (*p == 'j') { sz = FMT_J; p++; }
	else if (*p == 'z') { sz = FMT_Z; p++; }
	else if (*p == 't') { sz = FMT_T; p++; }
	*fmt = p;
	return sz;
}

struct out {
	FILE *f;
	size_t n;
	size_t total;
	bool err;
	char buf[256];
};

static void flush(struct out *o)
{
	if (o->n && fwrite(o->buf, 1, o->n, o->f) != o->n)
		o->err = true;
	o->n = 0;
}

static void put(struct out *o, const char *s, size_t len)
{
	o->total += len;
	while (len) {
		size_t k = sizeof(o->buf) - o->n;

		if (k > len)
			k = len;
		memcpy(o->buf + o->n, s, k);
		o->n += k;
		s += k;
		len -= k;
		if (o->n == sizeof(o->buf))
			flush(o);
	}
}

static void pad(struct out *o, char c, size_t n)
{
	char chunk[32];

	memset(chunk, c, sizeof(chunk));
	for (; n > sizeof(chunk); n -= sizeof(chunk))
		put(o, chunk, sizeof(chunk));
	put(o, chunk, n);
}

enum { F_LEFT = 1, F_PLUS = 2, F_SPACE = 4, F_ALT = 8, F_ZERO = 16 };
/* The field: [prefix][zeros][body], padded to width with spaces (left or right) or zeros. */
static void field(struct out *o, const char *prefix, size_t zeros, const char *body, size_t len,
		  size_t width, int fl)
{
	size_t plen = strlen(prefix), all = plen + zeros + len;

	if (!(fl & F_LEFT) && !(fl & F_ZERO) && width > all)
		pad(o, ' ', width - all);
	put(o, prefix, plen);
	if (!(fl & F_LEFT) && (fl & F_ZERO) && width > all)
		pad(o, '0', width - all);
	pad(o, '0', zeros);
	put(o, body, len);
	if ((fl & F_LEFT) && width > all)
		pad(o, ' ', width - all);
}

static uintmax_t arg_unsigned(va_list *ap, enum fmt_size sz)
{
	switch (sz) {
	case FMT_HH: return (unsigned char)va_arg(*ap, unsigned int);
	case FMT_H: return (unsigned short)va_arg(*ap, unsigned int);
	case FMT_L: return va_arg(*ap, unsigned long);
	case FMT_LL: return va_arg(*ap, unsigned long long);
	case FMT_J: return va_arg(*ap, uintmax_t);
	case FMT_Z: return va_arg(*ap, size_t);
	case FMT_T: return (uintmax_t)va_arg(*ap, ptrdiff_t);
	default: return va_arg(*ap, unsigned int);
	}
}

static intmax_t arg_signed(va_list *ap, enum fmt_size sz)
{
	switch (sz) {
	case FMT_HH: return (signed char)va_arg(*ap, int);
	case FMT_H: return (short)va_arg(*ap, int);
	case FMT_L: return va_arg(*ap, long);
	case FMT_LL: return va_arg(*ap, long long);
	case FMT_J: return va_arg(*ap, intmax_t);
	case FMT_Z: return (intmax_t)va_arg(*ap, ssize_t);
	case FMT_T: return va_arg(*ap, ptrdiff_t);
	default: return va_arg(*ap, int);
	}
}

static void store_count(va_list *ap, enum fmt_size sz, size_t n)
{
	switch (sz) {
	case FMT_HH: *va_arg(*ap, signed char *) = (signed char)n; break;
	case FMT_H: *va_arg(*ap, short *) = (short)n; break;
	case FMT_L: *va_arg(*ap, long *) = (long)n; break;
	case FMT_LL: *va_arg(*ap, long long *) = (long long)n; break;
	case FMT_J: *va_arg(*ap, intmax_t *) = (intmax_t)n; break;
	case FMT_Z: *va_arg(*ap, size_t *) = n; break;
	case FMT_T: *va_arg(*ap, ptrdiff_t *) = (ptrdiff_t)n; break;
	default: *va_arg(*ap, int *) = (int)n; break;
	}
}

/* A number of the flags, width and precision given (prec < 0: none). */
static void number(struct out *o, uintmax_t v, bool neg, int base, bool upper, int fl, size_t width,
		   int prec)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char buf[3 * sizeof(uintmax_t) + 1], *e = buf + sizeof(buf), *s = e;
	const char *prefix = "";
	size_t zeros = 0;

	for (uintmax_t x = v; x; x /= (unsigned)base)
		*--s = digits[x % (unsigned)base];
	if (prec >= 0)
		fl &= ~F_ZERO;
	else
		prec = 1;
	if ((size_t)prec > (size_t)(e - s))
		zeros = (size_t)prec - (size_t)(e - s);
	if (base == 8 && (fl & F_ALT) && !zeros && (s == e || *s != '0'))
		zeros = 1;
	if (base == 16 && (fl & F_ALT) && v)
		prefix = upper ? "0X" : "0x";
	if (base == 10)
		prefix = neg ? "-" : fl & F_PLUS ? "+" : fl & F_SPACE ? " " : "";
	field(o, prefix, zeros, s, (size_t)(e - s), width, fl);
}

int ferry_vfprintf(FILE *f, const char *fmt, va_list ap_in)
{
	struct out o = { .f = f };
	int saved_errno = errno;
	bool bad = false;
	va_list ap;

	va_copy(ap, ap_in);
	for (const char *p = fmt; *p; p++) {
		const char *lit = p;

		while (*p && *p != '%')
			p++;
		put(&o, lit, (size_t)(p - lit));
		if (!*p)
			break;
		p++;
		int fl = 0;
		for (;; p++) {
			if (*p == '-') fl |= F_LEFT;
			else if (*p == '+') fl |= F_PLUS;
			else if (*p == ' ') fl |= F_SPACE;
			else if (*p == '#') fl |= F_ALT;
			else if (*p == '0') fl |= F_ZERO;
			else break;
		}
		size_t width = 0;
		if (*p == '*') {
			int w = va_arg(ap, int);
			if (w < 0) {
				fl |= F_LEFT;
				width = -(size_t)w;
			} else {
				width = (size_t)w;
			}
			p++;
		} else {
			while (*p >= '0' && *p <= '9')
				width = width * 10 + (size_t)(*p++ - '0');
		}
		int prec = -1;
		if (*p == '.') {
			p++;
			if (*p == '*') {
				prec = va_arg(ap, int);
				if (prec < 0)
					prec = -1;
				p++;
			} else {
				prec = 0;
				while (*p >= '0' && *p <= '9')
					prec = prec < INT_MAX / 10 ? prec * 10 + (*p - '0') : INT_MAX, p++;
			}
		}
		if (*p == '$') {
			bad = true;
			break;
		}
		enum fmt_size sz = fmt_size(&p);
		if (fl & F_LEFT)
			fl &= ~F_ZERO;

		switch (*p) {
		case '%':
			put(&o, "%", 1);
			break;
		case 'd':
		case 'i': {
			intmax_t v = arg_signed(&ap, sz);
			number(&o, v < 0 ? -(uintmax_t)v : (uintmax_t)v, v < 0, 10, false, fl, width, prec);
			break;
		}
		case 'u':
			number(&o, arg_unsigned(&ap, sz), false, 10, false, fl & ~(F_PLUS | F_SPACE), width, prec);
			break;
		case 'o':
			number(&o, arg_unsigned(&ap, sz), false, 8, false, fl, width, prec);
			break;
		case 'x':
		case 'X':
			number(&o, arg_unsigned(&ap, sz), false, 16, *p == 'X', fl, width, prec);
			break;
		case 'p': {
			int pp = (int)(2 * sizeof(void *));
			number(&o, (uintptr_t)va_arg(ap, void *), false, 16, false, fl | F_ALT, width,
			       prec > pp ? prec : pp);
			break;
		}
		case 'c': {
			char c = (char)va_arg(ap, int);
			field(&o, "", 0, &c, 1, width, fl & F_LEFT);
			break;
		}
		case 'm':
		case 's': {
			const char *s = *p == 'm' ? strerror(saved_errno) : va_arg(ap, const char *);
			if (!s)
				s = "(null)";
			size_t len = prec >= 0 ? strnlen(s, (size_t)prec) : strlen(s);
			field(&o, "", 0, s, len, width, fl & F_LEFT);
			break;
		}
		case 'n':
			store_count(&ap, sz, o.total);
			break;
		default:
			/* e f g a and the rest: not supported (printf.h) */
			bad = true;
			break;
		}
		if (bad || !*p)
			break;
	}
	va_end(ap);
	flush(&o);
	if (bad) {
		errno = EINVAL;
		return -1;
	}
	if (o.err)
		return -1;
	if (o.total > INT_MAX) {
		errno = EOVERFLOW;
		return -1;
	}
	return (int)o.total;
}
