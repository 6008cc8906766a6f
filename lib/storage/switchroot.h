/* Leaving the initramfs (switch_root) or a real root (pivot_root) for the new root. Both check
 * every precondition before changing anything and return the name of the step that failed, with
 * errno in *err; NULL means done: the caller is now inside the new root and execs its init. */
#ifndef FERRY_SWITCHROOT_H
#define FERRY_SWITCHROOT_H

/* The checks alone, in order: "not PID 1", "/ is not ramfs or tmpfs", "the new root is on the
 * same device as /", "<init> is missing in the new root", "<init> is not executable". With
 * need_initramfs 0 the ramfs/tmpfs check is left out (pivot_root works from any root). */
const char *switchroot_check(const char *newroot, const char *init, int need_initramfs, int *err);

/* switch_root: check; move /dev /proc /sys /run into the new root (or detach one the new root has
 * no directory for); move the new root onto /; chroot; chdir /; then, only when all of that
 * worked, the initramfs contents are to go (through an fd opened before, never crossing a mount):
 * with oldroot NULL they are deleted here; else *oldroot gets that fd (-1 on failure), for
 * switchroot_free() when the caller chooses. */
const char *switchroot_enter(const char *newroot, const char *init, int *oldroot, int *err);

/* Delete what is left of the initramfs through oldroot (switchroot_enter's), best effort, and close
 * it: a file left behind only costs memory. */
void switchroot_free(int oldroot);

/* pivot_root, for a ferry started by init= on a real root: check; move /dev /proc /sys /run;
 * make the new root / and detach the old one. Deletes nothing. */
const char *pivotroot_enter(const char *newroot, const char *init, int *err);

#endif
