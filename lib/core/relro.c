/* The ELF header is mapped at the start of the first PT_LOAD (offset 0); its link-time address is
 * that segment's p_vaddr (0 for static-pie, 0x400000 or so for a plain static binary), so the
 * load bias is where __ehdr_start is now minus that. No auxv walk: static-pie has no PT_PHDR. */
#include <elf.h>
#include <errno.h>
#include <link.h>
#include <stdint.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include "relro.h"

extern const ElfW(Ehdr) __ehdr_start;  /* defined by the linker */

int relro_protect(void)
{
	uintptr_t at = (uintptr_t)&__ehdr_start, bias = at, pg = getauxval(AT_PAGESZ);
	const ElfW(Phdr) *ph = (const void *)(at + __ehdr_start.e_phoff);
	size_t n = __ehdr_start.e_phnum;

	if (!pg)
		pg = 4096;
	for (size_t i = 0; i < n; i++)
		if (ph[i].p_type == PT_LOAD && ph[i].p_offset == 0) {
			bias = at - ph[i].p_vaddr;
			break;
		}
	for (size_t i = 0; i < n; i++) {
		if (ph[i].p_type != PT_GNU_RELRO)
			continue;
		/* as ld.so does: both ends rounded down; the linker pads the end to a page */
		uintptr_t s = (bias + ph[i].p_vaddr) & ~(pg - 1);
		uintptr_t e = (bias + ph[i].p_vaddr + ph[i].p_memsz) & ~(pg - 1);
		if (e <= s)
			return 0;
		return mprotect((void *)s, e - s, PROT_READ) ? -errno : 1;
	}
	return 0;
}
