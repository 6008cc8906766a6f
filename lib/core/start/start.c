/* ferry's own static-pie start code (the Makefile links it instead of musl's rcrt1.o when ferry is built
 * with the bundled musl and HARDEN=1). musl 1.2.3's rcrt1.o applies DT_REL and DT_RELA relative
 * relocations but not DT_RELR (musl 1.2.4 does); the link packs the relative relocations as DT_RELR
 * (README "Building": about 28 KiB less on aarch64), so ferry applies all three itself and then
 * enters musl exactly as rcrt1.o does: __libc_start_main(main, argc, argv, _init, _fini, 0).
 *
 * Until the relocations are applied nothing here may use a relocated pointer: no global data through
 * the GOT, no function pointer, no string table, no stack protector (whose guard on aarch64 and arm is
 * read through the GOT) — ferry_start_c reads only the stack and what the asm hands it (PC-relative),
 * and calls nothing. ferry_start2, a separate function that is never inlined, takes main's address
 * (through the GOT) only afterwards. lib/core/relro.c still makes the RELRO range read-only from main,
 * as before: musl's static-pie start never did. */
#include <elf.h>
#include <link.h>
#include <stddef.h>
#include <stdint.h>

#ifndef DT_RELR
#define DT_RELRSZ 35
#define DT_RELR   36
#endif

#if UINTPTR_MAX > 0xffffffffu
#define R_TYPE(info) ((info) & 0xffffffffu)
#else
#define R_TYPE(info) ((info) & 0xffu)
#endif

#if defined(__x86_64__)
#define R_RELATIVE R_X86_64_RELATIVE
/* the entry: sp (argc, argv, envp, auxv) in the first argument, &_DYNAMIC in the second */
__asm__(".text\n"
	".global _start\n"
	".type _start,%function\n"
	"_start:\n"
	"	xor %rbp,%rbp\n"
	"	mov %rsp,%rdi\n"
	".weak _DYNAMIC\n"
	".hidden _DYNAMIC\n"
	"	lea _DYNAMIC(%rip),%rsi\n"
	"	andq $-16,%rsp\n"
	"	call ferry_start_c\n"
	"	hlt\n");
#elif defined(__aarch64__)
#define R_RELATIVE R_AARCH64_RELATIVE
__asm__(".text\n"
	".global _start\n"
	".type _start,%function\n"
	"_start:\n"
	"	mov x29, #0\n"
	"	mov x30, #0\n"
	"	mov x0, sp\n"
	".weak _DYNAMIC\n"
	".hidden _DYNAMIC\n"
	"	adrp x1, _DYNAMIC\n"
	"	add x1, x1, #:lo12:_DYNAMIC\n"
	"	and sp, x0, #-16\n"
	"	b ferry_start_c\n");
#elif defined(__arm__)
#define R_RELATIVE R_ARM_RELATIVE
__asm__(".text\n"
	".global _start\n"
	".type _start,%function\n"
	"_start:\n"
	"	mov fp, #0\n"
	"	mov lr, #0\n"
	"	ldr a2, 1f\n"
	"	add a2, pc, a2\n"
	"	mov a1, sp\n"
	"2:	and ip, a1, #-16\n"
	"	mov sp, ip\n"
	"	bl ferry_start_c\n"
	".weak _DYNAMIC\n"
	".hidden _DYNAMIC\n"
	".align 2\n"
	"1:	.word _DYNAMIC-2b\n");
#else
#error "lib/core/start/start.c: no entry code for this architecture (build with LIBS=system)"
#endif

int main(int, char **, char **);
void _init(void) __attribute__((weak));
void _fini(void) __attribute__((weak));
int __libc_start_main(int (*)(int, char **, char **), int, char **, void (*)(void), void (*)(void), void (*)(void));

__attribute__((noinline, noreturn, used, no_stack_protector)) void ferry_start2(size_t *sp);
__attribute__((noinline, noreturn, used, no_stack_protector)) void ferry_start2(size_t *sp)
{
	for (;;)
		__libc_start_main(main, (int)sp[0], (char **)(sp + 1), _init, _fini, 0);
}

__attribute__((no_stack_protector, used, noreturn)) void ferry_start_c(size_t *sp, const ElfW(Dyn) *dyn);
__attribute__((no_stack_protector, used, noreturn)) void ferry_start_c(size_t *sp, const ElfW(Dyn) *dyn)
{
	size_t argc = sp[0], i, base = 0, phdr = 0, phnum = 0, phent = 0;
	size_t rel = 0, relsz = 0, rela = 0, relasz = 0, relr = 0, relrsz = 0;
	char **argv = (char **)(sp + 1);
	size_t *auxv;

	for (i = argc + 1; argv[i]; i++)	/* past the environment */
		;
	auxv = (size_t *)(argv + i + 1);
	for (i = 0; auxv[i]; i += 2)	/* if chains, not a switch: no jump table before the relocations */
		if (auxv[i] == AT_PHDR)
			phdr = auxv[i + 1];
		else if (auxv[i] == AT_PHNUM)
			phnum = auxv[i + 1];
		else if (auxv[i] == AT_PHENT)
			phent = auxv[i + 1];
	/* the load bias: where _DYNAMIC is minus where the link put it */
	for (i = 0; i < phnum; i++) {
		const ElfW(Phdr) *ph = (const ElfW(Phdr) *)(phdr + i * phent);
		if (ph->p_type == PT_DYNAMIC) {
			base = (size_t)dyn - ph->p_vaddr;
			break;
		}
	}
	for (; dyn->d_tag != DT_NULL; dyn++)
		if (dyn->d_tag == DT_REL)
			rel = dyn->d_un.d_ptr;
		else if (dyn->d_tag == DT_RELSZ)
			relsz = dyn->d_un.d_val;
		else if (dyn->d_tag == DT_RELA)
			rela = dyn->d_un.d_ptr;
		else if (dyn->d_tag == DT_RELASZ)
			relasz = dyn->d_un.d_val;
		else if (dyn->d_tag == DT_RELR)
			relr = dyn->d_un.d_ptr;
		else if (dyn->d_tag == DT_RELRSZ)
			relrsz = dyn->d_un.d_val;
	/* DT_REL (arm): the addend is in place */
	for (const size_t *r = (const size_t *)(base + rel); relsz; r += 2, relsz -= 2 * sizeof(size_t))
		if (R_TYPE(r[1]) == R_RELATIVE)
			*(size_t *)(base + r[0]) += base;
	/* DT_RELA (x86_64, aarch64): offset, info, addend */
	for (const size_t *r = (const size_t *)(base + rela); relasz; r += 3, relasz -= 3 * sizeof(size_t))
		if (R_TYPE(r[1]) == R_RELATIVE)
			*(size_t *)(base + r[0]) = base + r[2];
	/* DT_RELR: an even entry is an address (relocated, and the next word is the start of a bitmap);
	 * an odd one a bitmap of which of the next 63 (31) words to relocate */
	size_t *where = 0;
	for (const size_t *r = (const size_t *)(base + relr); relrsz; r++, relrsz -= sizeof(size_t)) {
		if (!(*r & 1)) {
			where = (size_t *)(base + *r);
			*where++ += base;
		} else {
			size_t bits = *r;
			for (i = 0; bits >>= 1; i++)
				if (bits & 1)
					where[i] += base;
			where += 8 * sizeof(size_t) - 1;
		}
	}
	/* a compiler barrier: the relocated words are read only after this */
	__asm__ __volatile__("" ::: "memory");
	ferry_start2(sp);
}
