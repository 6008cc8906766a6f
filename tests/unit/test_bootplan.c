/* The boot plan: every value checked with its place, and the one handoff decision. */
#include <stdlib.h>
#include "t.h"
#include "../../lib/core/bootplan.h"

static struct ferry_config c;
static struct boot_plan p;

/* Build from a file and a command line; returns the number of plan errors. */
static int build(const char *file, const char *cmdline)
{
	cfg_free(&c);
	cfg_init(&c, "/etc/ferry.conf");
	cfg_parse_file(&c, file, strlen(file));
	cfg_parse_cmdline(&c, cmdline, strlen(cmdline));
	return bootplan_build(&c, &p, NULL);
}

static void test_defaults(void)
{
	T_EQ(build("", ""), 0);
	T_EQ(p.mode, BOOT_AUTO);
	T_EQ(p.onfail.action, ONFAIL_HALT);
	T_STREQ(p.shell, "/bin/sh");
	T_OK(p.modules);
	T_OK(!p.modules_settle);
	T_EQ(p.timeout_s, 10);
	T_OK(!p.root.given);
	T_STREQ(p.root.rootinit, "/sbin/init");
	T_STREQ(p.root.r.init, "/sbin/init");
	T_EQ(p.crypt.n, 0);
	T_EQ(p.kexec.ndevices, 0);
}

static void test_errors_with_place(void)
{
	T_EQ(build("rootinit = /sbin/init\nferry.boot = switchroot\n", ""), 1);
	T_STREQ(c.errors[0], "/etc/ferry.conf:2: ferry.boot=switchroot: not one of switch_root, kexec, auto");
	T_EQ(p.mode, BOOT_AUTO);
	T_EQ(build("", "ferry.boot=switchroot"), 1);
	T_STREQ(c.errors[0], "command line: ferry.boot=switchroot: not one of switch_root, kexec, auto");
	T_EQ(build("", "ferry.modules=settle"), 0);
	T_OK(p.modules && p.modules_settle);
	T_EQ(build("", "ferry.modules=no"), 1);
	T_STREQ(c.errors[0], "command line: ferry.modules=no: not one of on, off, settle");
	T_EQ(build("", "ferry.onfail=sometimes ferry.timeout=x rootdelay=99999"), 3);
	T_EQ(build("", "rootrwupperdir=../x"), 1);
	T_STREQ(c.errors[0], "command line: rootrwupperdir=../x: a directory below the rw mount, without . or .., and not work");
	T_EQ(build("", "root=/dev/vda init=sbin/init"), 1);
	T_STREQ(c.errors[0], "command line: init=sbin/init: not an absolute path");
	T_EQ(build("", "ferry.crypt=a,/dev/vdb,keyfile:/k ferry.crypt=a,/dev/vdc,keyfile:/k"), 1);
	T_STREQ(c.errors[0], "command line: ferry.crypt=a,/dev/vdc,keyfile:/k: a is declared twice");
	T_EQ(p.crypt.n, 1);
	T_EQ(build("", "ferry.kexec.device=LABEL="), 1);
	T_EQ(build("", "ferry.net=sometimes"), 1);
	T_STREQ(c.errors[0], "command line: ferry.net=sometimes: expected required | optional | off");
	T_EQ(build("", "ferry.fdtfile=../etc/x.dtb"), 1);
	T_STREQ(c.errors[0], "command line: ferry.fdtfile=../etc/x.dtb: not a file name under FDTDIR (VENDOR/NAME.dtb: "
		"letters, digits, '.', '_', ',', '+', '-' and '/'; no leading '/', no '..')");
	T_STREQ(p.kexec.fdtfile, "");
	T_EQ(build("", "ferry.fdtfile=/boot/x.dtb"), 1);
	T_EQ(build("", "ferry.fdtfile=a/../../x.dtb"), 1);
	T_EQ(build("", "ferry.fdtfile=freescale/"), 1);
	T_EQ(build("", "ferry.fdtfile=x;reboot.dtb"), 1);
	T_EQ(build("", "ferry.fdtfile=freescale/imx8mq-evk.dtb"), 0);
	T_STREQ(p.kexec.fdtfile, "freescale/imx8mq-evk.dtb");
	T_EQ(build("", "ferry.fdtfile=rockchip/rk3399-rock-pi-4a+.dtb"), 0);
	T_EQ(build("", "ferry.fdtfile=vendor..x.dtb"), 0);  /* ".." inside a name is not a parent */
	T_EQ(build("locked.allow = root\n", ""), 1);
	T_STREQ(c.errors[0], "/etc/ferry.conf:1: locked.allow without locked: nothing is locked");
}

static void test_typed(void)
{
	T_EQ(build("ferry.modules = off\nferry.boot = kexec\nferry.onfail = reboot:3\n",
		   "root=LABEL=r rootrw=/dev/vdb rootrwreset=yes rootwait rootdelay=2 ferry.timeout=4 "
		   "ferry.kexec.device=LABEL=boot ferry.kexec.device=/mnt ferry.kexec.append=quiet"), 0);
	T_OK(!p.modules);
	T_EQ(p.mode, BOOT_KEXEC);
	T_EQ(p.onfail.action, ONFAIL_REBOOT);
	T_EQ(p.onfail.delay_s, 3);
	T_OK(p.root.given);
	T_STREQ(p.root.spec, "LABEL=r");
	T_EQ(p.root.r.lower.dev.kind, DEVSPEC_LABEL);
	T_STREQ(p.root.rwspec, "/dev/vdb");
	T_OK(p.root.r.reset);
	T_OK(p.root.rootwait);
	T_EQ(p.root.delay_s, 2);
	T_EQ(p.timeout_s, 4);
	T_EQ(p.kexec.ndevices, 2);
	T_STREQ(p.kexec.device[1], "/mnt");
	T_STREQ(p.kexec.append, "quiet");
}

/* The handoff: one table, the boot's and the plan's. */
static void test_handoff(void)
{
	struct handoff_plan h;

	build("", "ferry.boot=switch_root");
	T_OK(!bootplan_handoff(&p, false).kexec);
	build("", "root=/dev/vda");
	T_OK(!bootplan_handoff(&p, false).kexec);      /* auto with root=: the root, no scan */
	build("", "root=/dev/vda ferry.kexec.device=LABEL=boot");
	h = bootplan_handoff(&p, false);
	T_OK(h.kexec && !h.scan_all && h.wait);       /* ... unless devices are named: those only */
	build("", "");
	h = bootplan_handoff(&p, false);
	T_OK(h.kexec && h.scan_all && !h.wait);       /* LinuxBoot: every filesystem, once */
	T_OK(!bootplan_handoff(&p, true).kexec);      /* ... unless the initramfs has its rootinit */
	build("", "ferry.boot=kexec root=/dev/vda");
	h = bootplan_handoff(&p, true);
	T_OK(h.kexec && h.scan_all && h.wait);
	/* locked: only the devices the config names, never a scan of every disk */
	build("locked\nferry.boot = kexec\n", "ferry.kexec.device=LABEL=usb");
	T_EQ(p.kexec.ndevices, 0);
	T_OK(!bootplan_handoff(&p, false).kexec);
	build("locked\nferry.boot = kexec\nferry.kexec.device = LABEL=boot\n", "");
	h = bootplan_handoff(&p, false);
	T_OK(h.kexec && !h.scan_all);
}

/* The locked command line: nothing of it reaches the plan. */
static void test_locked_plan(void)
{
	T_EQ(build("locked\nroot = /dev/vda\nrootinit = /sbin/init\nferry.onfail = poweroff\n",
		   "init=/bin/sh rootinit=/bin/sh preinit=/bin/sh root=/dev/vdb rootrwreset=yes "
		   "ferry.kexec.append=init=/bin/sh ferry.onfail=shell"), 0);
	T_EQ(c.nignored, 7);
	T_STREQ(p.root.spec, "/dev/vda");
	T_STREQ(p.root.r.init, "/sbin/init");
	T_STREQ(p.root.r.preinit, "");
	T_OK(!p.root.r.reset);
	T_STREQ(p.kexec.append, "");
	T_EQ(p.onfail.action, ONFAIL_POWEROFF);
	/* ip= is ferry's too: locked, the network stays off */
	T_EQ(build("locked\n", "ip=dhcp ferry.net=required"), 0);
	T_EQ(p.net.mode, NET_OFF);
	T_EQ(build("", "ip=dhcp ferry.net=required"), 0);
	T_EQ(p.net.mode, NET_REQUIRED);
	/* an allowed key is honoured */
	T_EQ(build("locked\nlocked.allow = rootrwreset\nroot = /dev/vda\n", "rootrwreset=yes preinit=/bin/sh"), 0);
	T_OK(p.root.r.reset);
	T_STREQ(p.root.r.preinit, "");
}

/* ferry.measure=: on by default; off and required; a bad value named; locked: the command line
 * cannot turn it off, the config can. */
static void test_measure(void)
{
	T_EQ(build("", ""), 0);
	T_EQ(p.measure, MEASURE_ON);
	T_EQ(build("", "ferry.measure=off"), 0);
	T_EQ(p.measure, MEASURE_OFF);
	T_EQ(build("ferry.measure = required\n", ""), 0);
	T_EQ(p.measure, MEASURE_REQUIRED);
	T_STREQ(bootplan_measure_name(p.measure), "required");
	T_EQ(build("", "ferry.measure=no"), 1);
	T_STREQ(c.errors[0], "command line: ferry.measure=no: not one of on, off, required");
	T_EQ(p.measure, MEASURE_ON);
	T_EQ(build("locked\n", "ferry.measure=off"), 0);
	T_EQ(p.measure, MEASURE_ON);
	T_EQ(build("locked\nferry.measure = off\n", ""), 0);
	T_EQ(p.measure, MEASURE_OFF);
	T_EQ(build("locked\nferry.measure = required\n", "ferry.measure=off"), 0);
	T_EQ(p.measure, MEASURE_REQUIRED);
}

/* rd.modules_load=: every occurrence, commas, empty entries skipped; bad names and too many named */
static void test_modules_load(void)
{
	T_EQ(build("", ""), 0);
	T_EQ(p.modules_load_n, 0);
	T_EQ(build("rd.modules_load = squashfs\n", "rd.modules_load=virtio_blk,,virtio-pci, rd.modules_load=overlay"), 0);
	T_EQ(p.modules_load_n, 4);
	T_STREQ(p.modules_load[0], "squashfs");
	T_STREQ(p.modules_load[1], "virtio_blk");
	T_STREQ(p.modules_load[2], "virtio-pci");
	T_STREQ(p.modules_load[3], "overlay");
	T_EQ(build("", "rd.modules_load=ok,../evil"), 1);
	T_STREQ(c.errors[0], "command line: rd.modules_load=ok,../evil: expected module names (letters, digits, _ and -) "
		"separated by commas");
	T_EQ(p.modules_load_n, 1);
	T_EQ(build("", "rd.modules_load=a,b,c,d,e,f,g,h,i,j,k,l,m,n,o,p,q"), 1);
	T_STREQ(c.errors[0], "command line: rd.modules_load=a,b,c,d,e,f,g,h,i,j,k,l,m,n,o,p,q: more than 16 modules");
	T_EQ(p.modules_load_n, 16);
	T_EQ(build("", "rd.modules_load=0123456789012345678901234567890123456789012345678901234567890123"), 1);
	T_EQ(p.modules_load_n, 0);
}

/* ferry.netboot.pin=: 64 hex digits after sha256:; a bad digit anywhere (the first, found by
 * fuzz_plan, was shifted as -1 before the check) or a short value is an error, no pin kept. */
static void test_pins(void)
{
	static const char good[] = "sha256:0123456789abcdef0123456789ABCDEF0123456789abcdef0123456789abcdef";

	char cmd[128];

	snprintf(cmd, sizeof(cmd), "ferry.netboot.pin=%s", good);
	T_EQ(build("", cmd), 0);
	T_EQ(p.netboot.npins, 1);
	T_EQ(p.netboot.pin[0][0], 0x01);
	T_EQ(p.netboot.pin[0][8], 0x01);
	T_EQ(p.netboot.pin[0][31], 0xef);
	T_EQ(build("", "ferry.netboot.pin=sha256:z123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"), 1);
	T_STREQ(c.errors[0], "command line: ferry.netboot.pin=sha256:z123456789abcdef0123456789abcdef0123456789abcdef"
		"0123456789abcdef: expected sha256: and 64 hex digits");
	T_EQ(p.netboot.npins, 0);
	T_EQ(build("", "ferry.netboot.pin=sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdeg"), 1);
	T_EQ(p.netboot.npins, 0);
	T_EQ(build("", "ferry.netboot.pin=sha2"), 1);
	T_EQ(p.netboot.npins, 0);
}

int main(void)
{
	test_defaults();
	test_pins();
	test_modules_load();
	test_errors_with_place();
	test_typed();
	test_handoff();
	test_locked_plan();
	test_measure();
	cfg_free(&c);
	return T_DONE();
}
