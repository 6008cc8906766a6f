/* What a netboot URL holds, and the iPXE scripts and pxelinux search order of netboot. Pure.
 *
 * An iPXE script (#!ipxe) is run as far as generated scripts use it (netboot.xyz, MAAS, Foreman,
 * Tinkerbell): kernel/imgfetch/initrd/module/imgargs/boot/chain, set/clear and ${var} (also
 * ${var:-default}), echo, dhcp (the lease is already there), isset/iseq with || and &&, goto and
 * :labels, sleep, exit. Anything else (menu, choose, shell, sanboot, imgverify ...) is refused by
 * name with the script's name and line. The run is bounded: IPXE_STEPS commands (a goto loop stops). */
#ifndef FERRY_IPXE_H
#define FERRY_IPXE_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define IPXE_URL_MAX 1024
#define IPXE_ARGS_MAX 4096
#define IPXE_MAX_INITRD 8
#define IPXE_MAX_VARS 64
#define IPXE_STEPS 10000
#define IPXE_CHAIN_MAX 4         /* chain depth the caller allows */

enum nb_kind { NB_UNKNOWN, NB_IPXE, NB_PXELINUX, NB_KERNEL };

/* A file's kind by its first bytes: "#!ipxe", a kernel's magic (bzImage, arm64 Image, zImage, PE,
 * gzip, zstd), else text that looks like a pxelinux config (a KERNEL/LINUX/LABEL/DEFAULT/... line). */
enum nb_kind nb_detect(const void *buf, size_t len);
const char *nb_kind_name(enum nb_kind k);

/* Variables the script sees before its own set: net0/mac, mac, ip, next-server, filename ... */
typedef const char *(*ipxe_lookup_fn)(void *arg, const char *name);

struct ipxe_result {
	enum { IPXE_BOOT, IPXE_CHAIN, IPXE_EXIT } what;
	char kernel[IPXE_URL_MAX];   /* as written (relative to the script's URL when relative) */
	char args[IPXE_ARGS_MAX];    /* the kernel's command line (kernel's words, or imgargs) */
	char initrd[IPXE_MAX_INITRD][IPXE_URL_MAX];
	size_t ninitrd;
	char chain[IPXE_URL_MAX];
	char echo[512];              /* the last echo, for the log */
	/* on error */
	unsigned line;
	char why[160];
	/* the script's variables */
	char var[IPXE_MAX_VARS][2][256];
	size_t nvars;
};

/* Run a script. 0 with r->what, or -EINVAL (malformed), -ENOTSUP (a command ferry does not run),
 * -ELOOP (IPXE_STEPS passed), -ENOENT (goto to no label), -E2BIG; r->line and r->why say where
 * and what. "boot" without a kernel, and the end of the script after a kernel, are both handled. */
int ipxe_run(const char *buf, size_t len, ipxe_lookup_fn lookup, void *arg, struct ipxe_result *r);

/* The pxelinux.cfg/ names tried for a URL ending in '/', in order: 01-aa-bb-cc-dd-ee-ff, the
 * address in hex (C0A80102), shortened one digit at a time to "C", then "default". Returns how many
 * (at most 10) were written into names. */
size_t pxelinux_names(const uint8_t mac[6], uint32_t ip_host_order, char names[10][24]);

#endif
