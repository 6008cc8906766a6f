/* The boot plan: the merged configuration (lib/core/config.c) checked once and turned into types.
 * PID 1 builds it in `early`; every job reads only this, and `ferry plan` prints it: both from
 * bootplan_build(), so the boot and the plan cannot disagree. Pure: no I/O, no globals. */
#ifndef FERRY_BOOTPLAN_H
#define FERRY_BOOTPLAN_H
#include <stdbool.h>
#include "config.h"
#include "onfail.h"
#include "../crypt/cryptspec.h"
#include "../net/linktest.h"
#include "../net/netconf.h"
#include "../storage/rootopts.h"
#include "../storage/verity.h"

enum boot_mode { BOOT_AUTO, BOOT_SWITCH_ROOT, BOOT_KEXEC };
/* ferry.measure=: on (a TPM that is there is used), off, required (no TPM: the entry is not booted) */
enum measure_mode { MEASURE_ON, MEASURE_OFF, MEASURE_REQUIRED };

#define PLAN_MAX_VOLUMES 8
#define PLAN_MAX_KEXEC_DEVICES 8
#define PLAN_MAX_PINS 16
#define PLAN_NETBOOT_TIMEOUT_DEFAULT 60
#define PLAN_TIMEOUT_DEFAULT 10
#define PLAN_PREINIT_TIMEOUT_DEFAULT 60
#define PLAN_MODULES_LOAD 16

struct boot_plan {
	enum boot_mode mode;            /* ferry.boot= */
	struct onfail onfail;           /* ferry.onfail= */
	char shell[256];                /* ferry.shell= (default /bin/sh) */
	bool modules;                   /* ferry.modules= (off: no module loading anywhere) */
	bool modules_settle;            /* ferry.modules=settle: crypt and root wait until the modules job settles */
	char modules_load[PLAN_MODULES_LOAD][64];  /* rd.modules_load=: loaded first, ahead of coldplug's */
	unsigned modules_load_n;
	bool debug;                     /* ferry.debug */
	unsigned timeout_s;             /* ferry.timeout=: the bound of a device wait */
	unsigned preinit_timeout_s;     /* ferry.preinit.timeout=: the bound of preinit= and ferry.crypt.mkfs= */
	bool locked;

	struct {
		unsigned seconds;           /* ferry.watchdog=SECONDS[,DEVICE]; 0: no watchdog */
		char dev[64];
		bool stop_at_handoff;       /* ferry.watchdog.handoff=stop: the magic close at the handoff */
	} watchdog;

	struct {
		bool given;                 /* root= */
		char spec[DEVSPEC_MAX];     /* root= as written (the device waits take the text) */
		char rwspec[DEVSPEC_MAX];   /* rootrw= as written, "" when absent */
		struct root_plan r;         /* devices parsed, options, upper, reset, fallback, init, preinit */
		bool rootwait;
		bool rw_word;               /* "rw" was given (the lower stays read-only anyway) */
		unsigned delay_s;           /* rootdelay= */
		char rootinit[256];         /* rootinit= (default /sbin/init), run in place without root= */
	} root;

	struct {
		bool on;                    /* roothash= given: the lower is a dm-verity mapping */
		char roothash[2 * VERITY_DIGEST_MAX + 1];
		char data[DEVSPEC_MAX];     /* systemd.verity_root_data= (default root=), as written */
		char hash[DEVSPEC_MAX];     /* systemd.verity_root_hash=, "" : the tree is on the data device */
		struct verity_opts opts;    /* systemd.verity_root_options= */
		bool require_signature;     /* ferry.verity.require-signature */
		char sigdev[DEVSPEC_MAX];   /* ferry.verity.sigdev=: root-hash-signature= is on its filesystem */
		bool discovered;            /* no device named: the GPT partitions whose UUIDs the root hash gives */
	} verity;

	struct {
		struct crypt_spec v[PLAN_MAX_VOLUMES];
		size_t n;
		char keep[CRYPT_NAME_MAX];  /* ferry.crypt.keep=, "" : unlink the keys */
		char mkfs[256];             /* ferry.crypt.mkfs=, "" : none */
	} crypt;

	struct {
		char device[PLAN_MAX_KEXEC_DEVICES][DEVSPEC_MAX]; /* ferry.kexec.device=, in order */
		size_t ndevices;
		char entry[256];            /* ferry.kexec.entry=, "" : the configuration's default */
		char append[1024];          /* ferry.kexec.append= */
		char remove[1024];          /* ferry.kexec.remove= */
		char fdtfile[256];          /* ferry.fdtfile=, "" : FDTDIR's tree by the board's compatible */
	} kexec;

	unsigned menu_s;                /* ferry.menu=SECONDS: the boot menu before a kexec; 0: none */

	struct netconf net;             /* ip=, ferry.net*, ferry.metric, ferry.linkclass, ferry.ocotp */
	struct lt_conf linktest;        /* ferry.linktest=, .count=, .timeout= (init/linktest.c) */

	struct {
		char url[1024];             /* ferry.netboot=: a URL, "dhcp", "" : no netboot */
		bool dhcp;                  /* ferry.netboot=dhcp: the lease's boot file */
		char initrd[1024];          /* ferry.netboot.initrd=: comma-separated URLs (with a kernel URL) */
		char append[1024];          /* ferry.netboot.append= */
		unsigned timeout_s;         /* ferry.netboot.timeout=: without progress (default 60) */
		unsigned char pin[PLAN_MAX_PINS][32];  /* ferry.netboot.pin=sha256:HEX */
		size_t npins;
		const char *refused;        /* why netboot may not run (locked without pins), NULL: it may */
	} netboot;
	enum measure_mode measure;      /* ferry.measure=: PCRs 8 and 9 before a kexec (init/measure.c) */
};

/* Check every key of c and fill p. Each bad value is recorded in c's error list with its place
 * ("/etc/ferry.conf:12: ferry.boot=switchroot: not one of switch_root, kexec, auto"). is_self(path)
 * says whether init= names ferry itself (PID 1 compares the files; NULL: a guess from the name).
 * Returns the number of errors it added. */
int bootplan_build(struct ferry_config *c, struct boot_plan *p, bool (*is_self)(const char *path));
/* ferry.fdtfile=: a relative name under an extlinux FDTDIR, as U-Boot's fdtfile
 * ("freescale/imx8mq-evk.dtb"): name characters and '/', no leading '/', no ".." component. */
bool bootplan_fdtfile_ok(const char *s);

/* The handoff, decided in one place for the boot and `ferry plan`. */
struct handoff_plan {
	bool kexec;          /* look for boot entries first */
	bool scan_all;       /* on every filesystem (else only the ferry.kexec.device= ones) */
	bool wait;           /* wait for the named devices / for entries, up to ferry.timeout= */
	const char *why;     /* the rule that decided, for the log and the plan */
};
/* rootinit_here: rootinit= can run from the initramfs (the boot checks the file). */
struct handoff_plan bootplan_handoff(const struct boot_plan *p, bool rootinit_here);

const char *bootplan_mode_name(enum boot_mode m);
const char *bootplan_measure_name(enum measure_mode m);

#endif
