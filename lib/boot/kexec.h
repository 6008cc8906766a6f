/* Loading a kernel with kexec_file_load(2) and rebooting into it. The kernel verifies what it is
 * given (hash, signature under CONFIG_KEXEC_SIG / lockdown); ferry never uses the unverified
 * kexec_load(2). Returns the name of the failed step with errno kept, NULL when done. */
#ifndef FERRY_KEXEC_H
#define FERRY_KEXEC_H
#include <stddef.h>
#include <stdint.h>

struct kexec_image {
	const char *kernel;          /* path of the kernel (bzImage, Image, or gzip'd Image.gz) */
	const char *const *initrd;   /* paths, concatenated in this order (each padded to 4 bytes) */
	size_t ninitrd;
	const char *cmdline;
	/* filled by kexec_load */
	int inflated;                /* the kernel was gzip and went through zlib into a memfd */
	uint64_t syscall_us;         /* time in kexec_file_load itself: copying, hashing, signature */
};

const char *kexec_load(struct kexec_image *img, int *err);
/* Drop a loaded image (KEXEC_FILE_UNLOAD), e.g. before trying the next entry. */
int kexec_unload(void);
/* The kernel's answer explained: what an errno from kexec_file_load means for the user. */
const char *kexec_explain(int err);
/* EKEYREJECTED, ENOKEY, EBADMSG: the signature was refused. Nothing unverified may follow. */
int kexec_signature_refused(int err);
/* sync, then reboot(LINUX_REBOOT_CMD_KEXEC). Returns -errno only when the kernel refused. */
int kexec_reboot(void);

/* gzip (RFC 1952) from in to out with zlib. 0, -EILSEQ for corrupt data, or -errno. */
int kexec_gunzip(int in, int out);
/* The files concatenated into a new memfd, each padded with zeros to a multiple of 4 bytes (the
 * kernel's cpio reader looks for the next archive there). The fd, or -errno. */
int kexec_concat(const char *const *paths, size_t n);
/* Does the file start with the gzip magic 1f 8b? (pread: the offset is left alone) */
int kexec_is_gzip(int fd);

#endif
