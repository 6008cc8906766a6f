/* RELRO for a static(-pie) binary: the program's own start code has to do what ld.so does. */
#ifndef FERRY_RELRO_H
#define FERRY_RELRO_H

/* Make this binary's PT_GNU_RELRO range read-only (musl 1.2.3's static-pie start code relocates
 * but never does: the GOT and .data.rel.ro stay writable). 1 when a range was protected, 0 when
 * there is none (a build without -z relro), -errno from mprotect. */
int relro_protect(void);

#endif
