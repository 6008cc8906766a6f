#ifndef FERRY_PRINTF_H
#define FERRY_PRINTF_H

#include <stdarg.h>
#include <stdio.h>

/* vfprintf(3) without floating point: ferry's static binary uses it as the C library's vfprintf
 * (init/libc.c), so musl's, whose %f/%g/%a code is 128-bit long double arithmetic done in software on
 * aarch64 (libgcc's addtf3, multf3, subtf3, ...: with musl's fmt_fp about 17 KiB), is not linked.
 * Neither ferry nor the parts of libblkid it links print a floating-point number.
 *
 * Supported as C99 and musl have them: the flags - + space # 0, field width and precision (numbers or
 * '*'), the length modifiers hh h l ll j z t L, the conversions d i u o x X c s p n %, and musl's %m
 * (strerror(errno)); %p is musl's (0x and the address in 16 hex digits), a NULL %s prints "(null)".
 * A floating-point conversion (e f g a, upper case too), a positional argument (%1$s) or an unknown
 * conversion is an error: -1 with errno EINVAL, after the text before it. Output goes to f with
 * fwrite, in pieces of up to 256 bytes; the result is the number of characters, -1 on a write error. */
int ferry_vfprintf(FILE *f, const char *fmt, va_list ap);

/* The length modifier of a printf or scanf conversion at *fmt (hh h l ll j z t; L and q as ll),
 * *fmt moved past it: one parse for both (lib/core/scanf.c). */
enum fmt_size { FMT_INT, FMT_HH, FMT_H, FMT_L, FMT_LL, FMT_J, FMT_Z, FMT_T };
enum fmt_size fmt_size(const char **fmt);

#endif
