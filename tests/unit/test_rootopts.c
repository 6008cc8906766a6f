#include <errno.h>
#include <sys/mount.h>
#include "t.h"
#include "../../lib/storage/rootopts.h"

static void opts(const char *o, const char *type, unsigned long flags, const char *data, int dropped)
{
	unsigned long f;
	char buf[128];
	bool d;

	T_EQ(rootopts_mount_opts(o, type, &f, buf, sizeof(buf), &d), 0);
	T_EQ(f, flags);
	T_STREQ(buf, data);
	T_EQ(d, dropped);
}

static void defaults(void)
{
	struct root_params p = { 0 };
	struct root_plan r;

	T_EQ(rootopts_plan(&p, &r), 0);
	T_OK(!r.lower.present);          /* no root=: bind the current root */
	T_OK(!r.rw.present);             /* no rootrw=: tmpfs */
	T_STREQ(r.rw.fstype, "tmpfs");
	T_STREQ(r.lower.opts, "noatime,nodiratime");
	T_STREQ(r.rw.opts, "rw,noatime,mode=755");
	T_STREQ(r.upperdir, "upperdir");
	T_STREQ(r.init, "/sbin/init");
	T_STREQ(r.preinit, "");
	T_OK(!r.reset);
	T_EQ(r.fallback, ROOT_FALLBACK_TMPFS);
}

static void full(void)
{
	struct root_params p = {
		.root = "PARTLABEL=rootfs", .rootfstype = "squashfs", .rootoptions = "ro,nosuid",
		.rootrw = "LABEL=data", .rootrwfstype = "ext4", .rootrwoptions = "rw,noatime,data=journal",
		.rootrwreset = "yes", .rootrwupperdir = "/upper0/", .rootrwfallback = "fail",
		.preinit = "/sbin/preinit", .rootinit = "/bin/sh", .init = "/init", .init_is_ferry = true,
	};
	struct root_plan r;

	T_EQ(rootopts_plan(&p, &r), 0);
	T_OK(r.lower.present);
	T_EQ(r.lower.dev.kind, DEVSPEC_PARTLABEL);
	T_STREQ(r.lower.dev.value, "rootfs");
	T_STREQ(r.lower.fstype, "squashfs");
	T_STREQ(r.lower.opts, "ro,nosuid");
	T_EQ(r.rw.dev.kind, DEVSPEC_LABEL);
	T_STREQ(r.rw.fstype, "ext4");
	T_STREQ(r.upperdir, "upper0");
	T_OK(r.reset);
	T_EQ(r.fallback, ROOT_FALLBACK_FAIL);
	T_STREQ(r.init, "/bin/sh");      /* init= names ferry: rootinit= runs */
	T_STREQ(r.preinit, "/sbin/preinit");
	p.init_is_ferry = false;
	p.init = "/bin/busybox";
	T_EQ(rootopts_plan(&p, &r), 0);
	T_STREQ(r.init, "/bin/busybox"); /* init= names something else: it runs */
	p.rootoptions = NULL;
	p.rootflags = "nodev";           /* rootflags= is an alias */
	T_EQ(rootopts_plan(&p, &r), 0);
	T_STREQ(r.lower.opts, "nodev");
	p.rootoptions = "noexec";        /* ... and rootoptions= wins over it */
	T_EQ(rootopts_plan(&p, &r), 0);
	T_STREQ(r.lower.opts, "noexec");
}

static void ubi(void)
{
	struct root_params p = { .root = "/dev/ubiblock0_0", .rootrw = "ubi0:overlay" };
	struct root_plan r;

	T_EQ(rootopts_plan(&p, &r), 0);
	T_STREQ(r.lower.fstype, "");     /* probed */
	T_STREQ(r.rw.fstype, "ubifs");   /* blkid cannot probe UBI volumes */
	p.rootrw = "ubi0_1";
	T_EQ(rootopts_plan(&p, &r), 0);
	T_STREQ(r.rw.fstype, "ubifs");
}

static void bad(struct root_params p, const char *key)
{
	struct root_plan r;
	T_OK(rootopts_plan(&p, &r) < 0);
	T_STREQ(r.bad_key, key);
}

static void errors(void)
{
	bad((struct root_params){ .root = "FOO=bar" }, "root");
	bad((struct root_params){ .rootrw = "" , .root = "" , .rootrwupperdir = "a/../b" }, "rootrwupperdir");
	bad((struct root_params){ .rootrwupperdir = ".." }, "rootrwupperdir");
	bad((struct root_params){ .rootrwupperdir = "/" }, "rootrwupperdir");
	bad((struct root_params){ .rootrwupperdir = "work" }, "rootrwupperdir");
	bad((struct root_params){ .rootrwupperdir = "a//b" }, "rootrwupperdir");
	/* the overlay's option separators must not get through: upperdir=x,lowerdir=/ */
	bad((struct root_params){ .rootrwupperdir = "x,lowerdir=/" }, "rootrwupperdir");
	bad((struct root_params){ .rootrwupperdir = "a:b" }, "rootrwupperdir");
	bad((struct root_params){ .rootrwupperdir = "a\\,b" }, "rootrwupperdir");
	bad((struct root_params){ .rootrw = "x:y" }, "rootrw");
	bad((struct root_params){ .rootrwreset = "maybe" }, "rootrwreset");
	bad((struct root_params){ .rootrwfallback = "format" }, "rootrwfallback");
	bad((struct root_params){ .rootinit = "sbin/init" }, "rootinit");
	bad((struct root_params){ .init = "sh" }, "init");
	bad((struct root_params){ .preinit = "pre" }, "preinit");
	bad((struct root_params){ .rootfstype = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" }, "rootfstype");
	struct root_plan r;
	T_EQ(rootopts_plan(&(struct root_params){ .rootrwreset = "no", .rootrwupperdir = "a/b" }, &r), 0);
	T_STREQ(r.upperdir, "a/b");
	T_OK(!r.reset);
}

int main(void)
{
	defaults();
	full();
	ubi();
	errors();
	opts("noatime,nodiratime", "squashfs", MS_NOATIME | MS_NODIRATIME, "", 0);
	opts("rw,noatime,mode=755", "tmpfs", MS_NOATIME, "mode=755", 0);
	opts("rw,noatime,mode=755", "ext4", MS_NOATIME, "", 1);   /* ext4 refuses mode= */
	opts("rw,noatime,mode=755", NULL, MS_NOATIME, "", 1);
	opts("ro,data=journal,,errors=remount-ro", "ext4", MS_RDONLY, "data=journal,errors=remount-ro", 0);
	opts("ro,rw", "ext4", 0, "", 0);                          /* the last word wins */
	opts("", "ext4", 0, "", 0);
	opts(NULL, "ext4", 0, "", 0);
	opts("size=10%,mode=0700,nosuid,nodev", "tmpfs", MS_NOSUID | MS_NODEV, "size=10%,mode=0700", 0);
	unsigned long f;
	char small[8];
	bool d;
	T_EQ(rootopts_mount_opts("data=journal", "ext4", &f, small, sizeof(small), &d), -E2BIG);
	T_EQ(rootopts_mount_opts("abcdef", "ext4", &f, small, sizeof(small), &d), 0);
	T_OK(rootopts_takes_mode("tmpfs"));
	T_OK(!rootopts_takes_mode("ext4"));
	return T_DONE();
}
