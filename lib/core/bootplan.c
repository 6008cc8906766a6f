/* The boot plan, built from the merged configuration: every value checked here, once, with its
 * place in the messages. The jobs and `ferry plan` only read the result. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "bootplan.h"
#include "watchdog.h"
#include "../storage/devspec.h"
#include "../net/http.h"

static const char *const mode_names[] = { "auto", "switch_root", "kexec" };

const char *bootplan_mode_name(enum boot_mode m)
{
	return m <= BOOT_KEXEC ? mode_names[m] : "?";
}

/* Copy the last value of key into dst; a value that does not fit is an error. */
static void copy_key(struct ferry_config *c, const char *key, char *dst, size_t len)
{
	const struct cfg_item *it = cfg_last(c, key);

	dst[0] = 0;
	if (!it)
		return;
	if (strlen(it->val) >= len) {
		cfg_error(c, it, "longer than %zu characters", len - 1);
		return;
	}
	strcpy(dst, it->val);
}

static void plan_watchdog(struct ferry_config *c, struct boot_plan *p)
{
	const struct cfg_item *it = cfg_last(c, "ferry.watchdog"), *h = cfg_last(c, "ferry.watchdog.handoff");

	if (h && strcmp(h->val, "stop") && strcmp(h->val, "armed"))
		cfg_error(c, h, "expected armed (the default) or stop");
	p->watchdog.stop_at_handoff = h && !strcmp(h->val, "stop");
	if (it && watchdog_parse(it->val, &p->watchdog.seconds, p->watchdog.dev, sizeof(p->watchdog.dev)) < 0) {
		p->watchdog.seconds = 0;
		cfg_error(c, it, "expected SECONDS[,/dev/watchdogN], 1 to %d seconds", WATCHDOG_MAX_S);
	}
}

/* rd.modules_load=NAME[,NAME...] (systemd's initrd key, any number of times): modules loaded first,
 * ahead of what coldplug finds, as a product that knows its root's drivers names them. */
static void plan_modules_load(struct ferry_config *c, struct boot_plan *p)
{
	const struct cfg_item *it = NULL;

	while ((it = cfg_next(c, "rd.modules_load", it))) {
		for (const char *s = it->val; *s; s += *s == ',') {
			size_t n = strcspn(s, ","), ok = strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-");
			if (!n) {
				continue;
			} else if (ok < n || n >= sizeof(p->modules_load[0])) {
				cfg_error(c, it, "expected module names (letters, digits, _ and -) separated by commas");
				break;
			} else if (p->modules_load_n == PLAN_MODULES_LOAD) {
				cfg_error(c, it, "more than %d modules", PLAN_MODULES_LOAD);
				break;
			}
			memcpy(p->modules_load[p->modules_load_n], s, n);
			p->modules_load[p->modules_load_n++][n] = '\0';
			s += n;
		}
	}
}

static void plan_core(struct ferry_config *c, struct boot_plan *p)
{
	const struct cfg_item *it;
	unsigned long v;

	p->mode = BOOT_AUTO;
	if ((it = cfg_last(c, "ferry.boot"))) {
		size_t i;
		for (i = 0; i < sizeof(mode_names) / sizeof(*mode_names) && strcmp(it->val, mode_names[i]); i++)
			;
		if (i < sizeof(mode_names) / sizeof(*mode_names))
			p->mode = (enum boot_mode)i;
		else
			cfg_error(c, it, "not one of switch_root, kexec, auto");
	}
	p->onfail = (struct onfail){ ONFAIL_HALT, 0 };
	if ((it = cfg_last(c, "ferry.onfail")) && onfail_parse(it->val, &p->onfail) < 0) {
		p->onfail = (struct onfail){ ONFAIL_HALT, 0 };
		cfg_error(c, it, "expected shell, reboot[:SECONDS], poweroff or halt");
	}
	copy_key(c, "ferry.shell", p->shell, sizeof(p->shell));
	if (!p->shell[0])
		strcpy(p->shell, "/bin/sh");
	p->modules = true;
	if ((it = cfg_last(c, "ferry.modules"))) {
		if (!strcmp(it->val, "off"))
			p->modules = false;
		else if (!strcmp(it->val, "settle"))
			p->modules_settle = true;
		else if (strcmp(it->val, "on"))
			cfg_error(c, it, "not one of on, off, settle");
	}
	plan_modules_load(c, p);
	(void)cfg_get_bool(c, "ferry.debug", false, &p->debug);
	(void)cfg_get_uint(c, "ferry.timeout", PLAN_TIMEOUT_DEFAULT, 0, 86400, &v);
	p->timeout_s = (unsigned)v;
	(void)cfg_get_uint(c, "ferry.preinit.timeout", PLAN_PREINIT_TIMEOUT_DEFAULT, 1, 86400, &v);
	p->preinit_timeout_s = (unsigned)v;
	plan_watchdog(c, p);
	p->locked = c->locked;
	if (c->allow_line && !c->locked)
		cfg_errorf(c, "%s:%d: locked.allow without locked: nothing is locked", c->file, c->allow_line);
}

static const char *root_why(const char *key, int err)
{
	if (err == -ENAMETOOLONG)
		return "too long";
	if (!strcmp(key, "root") || !strcmp(key, "rootrw"))
		return "not a device (/dev/..., LABEL=, UUID=, PARTUUID=, PARTLABEL=, MAJ:MIN, ubiX:NAME, ubiX_Y)";
	if (!strcmp(key, "rootrwupperdir"))
		return "a directory below the rw mount, without . or .., and not work";
	if (!strcmp(key, "rootrwreset"))
		return "expected yes or no";
	if (!strcmp(key, "rootrwfallback"))
		return "not one of tmpfs, fail";
	if (!strcmp(key, "init") || !strcmp(key, "rootinit") || !strcmp(key, "preinit"))
		return "not an absolute path";
	return "invalid";
}

/* init= as a guess from the name alone (`ferry plan`, which cannot compare with the booted file). */
static bool names_ferry_guess(const char *path)
{
	return !strcmp(path, "/init") || strstr(path, "ferry");
}

static void plan_root(struct ferry_config *c, struct boot_plan *p, bool (*is_self)(const char *))
{
	struct root_params rp = {
		.root = cfg_get(c, "root"), .rootfstype = cfg_get(c, "rootfstype"),
		.rootoptions = cfg_get(c, "rootoptions"), .rootflags = cfg_get(c, "rootflags"),
		.rootinit = cfg_get(c, "rootinit"), .rootrw = cfg_get(c, "rootrw"),
		.rootrwfstype = cfg_get(c, "rootrwfstype"), .rootrwoptions = cfg_get(c, "rootrwoptions"),
		.rootrwreset = cfg_get(c, "rootrwreset"), .rootrwupperdir = cfg_get(c, "rootrwupperdir"),
		.rootrwfallback = cfg_get(c, "rootrwfallback"), .preinit = cfg_get(c, "preinit"),
		.init = cfg_get(c, "init"),
	};
	unsigned long v;
	int ret;

	rp.init_is_ferry = rp.init && (is_self ? is_self : names_ferry_guess)(rp.init);
	copy_key(c, "root", p->root.spec, sizeof(p->root.spec));
	copy_key(c, "rootrw", p->root.rwspec, sizeof(p->root.rwspec));
	p->root.given = p->root.spec[0] != 0;
	copy_key(c, "rootinit", p->root.rootinit, sizeof(p->root.rootinit));
	if (!p->root.rootinit[0])
		strcpy(p->root.rootinit, ROOT_DEFAULT_INIT);
	if ((ret = rootopts_plan(&rp, &p->root.r))) {
		const char *key = p->root.r.bad_key ? p->root.r.bad_key : "root";
		cfg_error(c, cfg_last(c, key), "%s", root_why(key, ret));
	}
	p->root.r.bad_key = NULL;
	p->root.rootwait = cfg_has(c, "rootwait");
	p->root.rw_word = cfg_has(c, "rw");
	(void)cfg_get_uint(c, "rootdelay", 0, 0, 3600, &v);
	p->root.delay_s = (unsigned)v;
}

/* A volume's devices: a block device by path or tag (UBI volumes hold no dm-crypt). */
static bool crypt_devspec_ok(const char *spec)
{
	struct devspec d;

	return devspec_parse(spec, &d) == 0 && d.kind != DEVSPEC_UBI_NAME && d.kind != DEVSPEC_UBI_VOL;
}

static void plan_crypt(struct ferry_config *c, struct boot_plan *p)
{
	const struct cfg_item *it = NULL;

	while ((it = cfg_next(c, "ferry.crypt", it))) {
		struct crypt_spec *s = &p->crypt.v[p->crypt.n];
		const char *why = "";
		char field[64] = "";
		bool dup = false;

		if (p->crypt.n == PLAN_MAX_VOLUMES) {
			cfg_error(c, it, "more than %d ferry.crypt volumes", PLAN_MAX_VOLUMES);
			break;
		}
		memset(s, 0, sizeof(*s));
		if (cryptspec_parse(it->val, s, &why, field, sizeof(field)) < 0) {
			cfg_error(c, it, "%s%s%s", why, *field ? ": " : "", field);
			continue;
		}
		if (!crypt_devspec_ok(s->device) || (s->blobdev[0] && !crypt_devspec_ok(s->blobdev))) {
			cfg_error(c, it, "%s: not a device (/dev/..., LABEL=, UUID=, PARTUUID=, PARTLABEL=, MAJ:MIN)",
				  s->name);
			continue;
		}
		for (size_t i = 0; i < p->crypt.n; i++)
			dup |= !strcmp(p->crypt.v[i].name, s->name);
		if (dup) {
			cfg_error(c, it, "%s is declared twice", s->name);
			continue;
		}
		p->crypt.n++;
	}
	copy_key(c, "ferry.crypt.keep", p->crypt.keep, sizeof(p->crypt.keep));
	copy_key(c, "ferry.crypt.mkfs", p->crypt.mkfs, sizeof(p->crypt.mkfs));
}

bool bootplan_fdtfile_ok(const char *s)
{
	if (!s[0] || s[0] == '/')
		return false;
	for (const char *q = s; *q; q++)
		if (!isalnum((unsigned char)*q) && !strchr("._,+-/", *q))
			return false;
	for (const char *q = s; (q = strstr(q, "..")); q++)
		if ((q == s || q[-1] == '/') && (q[2] == '/' || !q[2]))
			return false;
	return s[strlen(s) - 1] != '/';
}

static void verity_devspec(struct ferry_config *c, const char *key, char *dst)
{
	const struct cfg_item *it = cfg_last(c, key);

	copy_key(c, key, dst, DEVSPEC_MAX);
	if (dst[0] && !crypt_devspec_ok(dst)) {
		cfg_error(c, it, "not a device (/dev/..., LABEL=, UUID=, PARTUUID=, PARTLABEL=, MAJ:MIN)");
		dst[0] = '\0';
	}
}

/* roothash= and systemd's verity_root_* keys. The data device becomes the lower's device; what
 * needs the superblock is checked at boot, everything else here. */
static void plan_verity(struct ferry_config *c, struct boot_plan *p)
{
	const struct cfg_item *rh = cfg_last(c, "roothash"), *op = cfg_last(c, "systemd.verity_root_options");
	const struct cfg_item *dt = cfg_last(c, "systemd.verity_root_data");
	uint8_t root[VERITY_DIGEST_MAX];
	const char *why = "";
	char bad[64];
	int n;

	verity_opts_init(&p->verity.opts);
	(void)cfg_get_bool(c, "ferry.verity.require-signature", false, &p->verity.require_signature);
	verity_devspec(c, "systemd.verity_root_data", p->verity.data);
	verity_devspec(c, "systemd.verity_root_hash", p->verity.hash);
	verity_devspec(c, "ferry.verity.sigdev", p->verity.sigdev);
	if (op && verity_opts_parse(op->val, &p->verity.opts, &why, bad, sizeof(bad)) < 0)
		cfg_error(c, op, "%s%s%s", bad, *bad ? ": " : "", why);
	if (!rh && p->verity.require_signature)
		cfg_error(c, cfg_last(c, "ferry.verity.require-signature"), "no roothash=: no verity lower to sign");
	if (!rh) {
		const struct cfg_item *any = dt ? dt : op ? op : cfg_last(c, "systemd.verity_root_hash");
		if (!any)
			any = cfg_last(c, "ferry.verity.sigdev");
		if (any)
			cfg_error(c, any, "without roothash=: no verity lower");
		return;
	}
	copy_key(c, "roothash", p->verity.roothash, sizeof(p->verity.roothash));
	n = verity_hex(rh->val, root, sizeof(root));
	if (n != 20 && n != 28 && n != 32 && n != 48 && n != 64) {
		cfg_error(c, rh, "not a root hash (hex, 40 to 128 digits)");
		return;
	}
	if (p->verity.sigdev[0] && !p->verity.opts.signature[0])
		cfg_error(c, cfg_last(c, "ferry.verity.sigdev"), "no root-hash-signature= in "
			  "systemd.verity_root_options=: nothing to read from this device");
	if (p->verity.require_signature && !p->verity.opts.signature[0])
		cfg_error(c, cfg_last(c, "ferry.verity.require-signature"), "roothash= has no root-hash-signature= in "
			  "systemd.verity_root_options=");
	if (!p->verity.data[0] && !p->root.given) {
		/* systemd's Discoverable Partitions rule: the data partition's UUID is the root hash's
		 * first 128 bits, the verity partition's its last 128 */
		const char *h = p->verity.roothash;
		size_t n2 = strlen(h);
		snprintf(p->verity.data, sizeof(p->verity.data), "PARTUUID=%.8s-%.4s-%.4s-%.4s-%.12s", h, h + 8,
			 h + 12, h + 16, h + 20);
		if (!p->verity.hash[0])
			snprintf(p->verity.hash, sizeof(p->verity.hash), "PARTUUID=%.8s-%.4s-%.4s-%.4s-%.12s",
				 h + n2 - 32, h + n2 - 24, h + n2 - 20, h + n2 - 16, h + n2 - 12);
		p->verity.discovered = true;
	}
	if (p->verity.data[0]) {
		/* systemd's root= names the mapping (/dev/mapper/root); any other device is a contradiction */
		if (p->root.given && strcmp(p->root.spec, p->verity.data) && strcmp(p->root.spec, "/dev/mapper/root") &&
		    strcmp(p->root.spec, "/dev/mapper/" VERITY_NAME)) {
			cfg_error(c, dt, "root=%s names another device", p->root.spec);
			return;
		}
		strcpy(p->root.spec, p->verity.data);
		(void)devspec_parse(p->root.spec, &p->root.r.lower.dev);
		p->root.r.lower.present = p->root.given = true;
	} else {
		strcpy(p->verity.data, p->root.spec);
		if (!crypt_devspec_ok(p->verity.data)) {
			cfg_error(c, cfg_last(c, "root"), "a verity data device must be a block device");
			return;
		}
	}
	if (!p->verity.opts.superblock) {
		/* every value is in the options: check them now, the sizes at boot */
		struct verity_params vp;
		if (verity_resolve(&p->verity.opts, NULL, p->verity.roothash, UINT64_MAX, UINT64_MAX, false, &vp,
				   &why) == -EINVAL)
			cfg_error(c, op ? op : rh, "%s", why);
	}
	p->verity.on = true;
}

static void plan_kexec(struct ferry_config *c, struct boot_plan *p)
{
	const struct cfg_item *it = NULL;
	struct devspec d;

	while ((it = cfg_next(c, "ferry.kexec.device", it))) {
		/* a directory is a filesystem someone mounted already; the boot checks that it is one */
		bool dir = it->val[0] == '/' && strncmp(it->val, "/dev/", 5);
		if (p->kexec.ndevices == PLAN_MAX_KEXEC_DEVICES) {
			cfg_error(c, it, "more than %d kexec devices", PLAN_MAX_KEXEC_DEVICES);
			break;
		}
		if (strlen(it->val) >= DEVSPEC_MAX || (!dir && devspec_parse(it->val, &d) < 0)) {
			cfg_error(c, it, "not a device (/dev/..., LABEL=, UUID=, PARTUUID=, PARTLABEL=) or a directory");
			continue;
		}
		strcpy(p->kexec.device[p->kexec.ndevices++], it->val);
	}
	copy_key(c, "ferry.kexec.entry", p->kexec.entry, sizeof(p->kexec.entry));
	copy_key(c, "ferry.kexec.append", p->kexec.append, sizeof(p->kexec.append));
	copy_key(c, "ferry.kexec.remove", p->kexec.remove, sizeof(p->kexec.remove));
	copy_key(c, "ferry.fdtfile", p->kexec.fdtfile, sizeof(p->kexec.fdtfile));
	if (p->kexec.fdtfile[0] && !bootplan_fdtfile_ok(p->kexec.fdtfile)) {
		cfg_error(c, cfg_last(c, "ferry.fdtfile"), "not a file name under FDTDIR (VENDOR/NAME.dtb: "
			  "letters, digits, '.', '_', ',', '+', '-' and '/'; no leading '/', no '..')");
		p->kexec.fdtfile[0] = 0;
	}
}

/* ferry.netboot*: the URL checked as the fetch will read it, the pins as 32 bytes each. With
 * locked, the pins are the file's alone (the key is CFG_LOCK) and none means no netboot. */
static void plan_netboot(struct ferry_config *c, struct boot_plan *p)
{
	const struct cfg_item *it = NULL, *n = cfg_last(c, "ferry.net");
	struct url u;
	const char *why;
	unsigned long v;

	copy_key(c, "ferry.netboot", p->netboot.url, sizeof(p->netboot.url));
	copy_key(c, "ferry.netboot.initrd", p->netboot.initrd, sizeof(p->netboot.initrd));
	copy_key(c, "ferry.netboot.append", p->netboot.append, sizeof(p->netboot.append));
	p->netboot.timeout_s = PLAN_NETBOOT_TIMEOUT_DEFAULT;
	if (cfg_get_uint(c, "ferry.netboot.timeout", PLAN_NETBOOT_TIMEOUT_DEFAULT, 0, 3600, &v) == 0) {
		if (v)
			p->netboot.timeout_s = (unsigned)v;
		else
			cfg_error(c, cfg_last(c, "ferry.netboot.timeout"), "expected 1 to 3600 seconds");
	}
	while ((it = cfg_next(c, "ferry.netboot.pin", it))) {
		if (p->netboot.npins == PLAN_MAX_PINS) {
			cfg_error(c, it, "more than %d pins", PLAN_MAX_PINS);
			break;
		}
		if (strncmp(it->val, "sha256:", 7) || verity_hex(it->val + 7, p->netboot.pin[p->netboot.npins], 32) != 32) {
			cfg_error(c, it, "expected sha256: and 64 hex digits");
			continue;
		}
		p->netboot.npins++;
	}
	if (!p->netboot.url[0]) {
		if ((it = cfg_last(c, "ferry.netboot.initrd")) || (it = cfg_last(c, "ferry.netboot.append")))
			cfg_error(c, it, "without ferry.netboot=");
		return;
	}
	it = cfg_last(c, "ferry.netboot");
	p->netboot.dhcp = !strcmp(p->netboot.url, "dhcp");
	if (!p->netboot.dhcp && url_parse(p->netboot.url, &u, &why) < 0)
		cfg_error(c, it, "%s", why);
	for (char *s = p->netboot.initrd, *e; *s; s = *e ? e + 1 : e) {
		char one[1024];
		e = strchr(s, ',') ? strchr(s, ',') : s + strlen(s);
		snprintf(one, sizeof(one), "%.*s", (int)(e - s), s);
		if (url_parse(one, &u, &why) < 0)
			cfg_error(c, cfg_last(c, "ferry.netboot.initrd"), "%s: %s", one, why);
	}
	if (n && !strcmp(n->val, "off"))
		cfg_error(c, it, "ferry.net=off: netboot needs the network");
	else if (p->net.mode == NET_OFF) {
		/* the boot file comes after a lease: no ip=, DHCP on every link (optional: a netboot
		 * without a lease falls back to the disks, as any failed entry does) */
		p->net.wildcard = true;
		p->net.mode = NET_OPTIONAL;
	}
	if (p->locked && !p->netboot.npins)
		p->netboot.refused = "locked and no ferry.netboot.pin= in the config: nothing fetched could be "
			"trusted (no TLS; kexec_file_load's KEXEC_SIG check of a netbooted kernel alone is not used)";
}

/* ferry.menu=SECONDS (CFG_LOCK: with locked, only the file, or a locked.allow naming it, sets it) */
static void plan_menu(struct ferry_config *c, struct boot_plan *p)
{
	unsigned long v;

	(void)cfg_get_uint(c, "ferry.menu", 0, 0, 3600, &v);
	p->menu_s = (unsigned)v;
}

/* ferry.linktest=IFACE1,IFACE2, with its count and bound (both from 1) */
static void plan_linktest(struct ferry_config *c, struct boot_plan *p)
{
	const struct cfg_item *it;
	unsigned long v;
	char why[160];

	(void)cfg_get_uint(c, "ferry.linktest.count", LT_COUNT_DEFAULT, 1, LT_COUNT_MAX, &v);
	p->linktest.count = (unsigned)v;
	(void)cfg_get_uint(c, "ferry.linktest.timeout", LT_TIMEOUT_DEFAULT, 1, LT_TIMEOUT_MAX, &v);
	p->linktest.timeout_s = (unsigned)v;
	if ((it = cfg_last(c, "ferry.linktest")) && lt_conf_pair(it->val, &p->linktest, why, sizeof(why)))
		cfg_error(c, it, "%s", why);
}

static const char *const measure_names[] = { "on", "off", "required" };

const char *bootplan_measure_name(enum measure_mode m)
{
	return (unsigned)m < sizeof(measure_names) / sizeof(*measure_names) ? measure_names[m] : "?";
}

/* ferry.measure= is CFG_LOCK: with locked, only the config can turn measuring off. */
static void plan_measure(struct ferry_config *c, struct boot_plan *p)
{
	const struct cfg_item *it = cfg_last(c, "ferry.measure");
	size_t i;

	p->measure = MEASURE_ON;
	if (!it)
		return;
	for (i = 0; i < sizeof(measure_names) / sizeof(*measure_names) && strcmp(it->val, measure_names[i]); i++)
		;
	if (i < sizeof(measure_names) / sizeof(*measure_names))
		p->measure = (enum measure_mode)i;
	else
		cfg_error(c, it, "not one of on, off, required");
}

int bootplan_build(struct ferry_config *c, struct boot_plan *p, bool (*is_self)(const char *path))
{
	size_t before = c->nerrors;

	memset(p, 0, sizeof(*p));
	plan_core(c, p);
	plan_root(c, p, is_self);
	plan_verity(c, p);
	plan_crypt(c, p);
	plan_kexec(c, p);
	plan_menu(c, p);
	plan_measure(c, p);
	/* the net keys have their own parser (lib/net/netconf.c), shared with `ferry net` */
	(void)netconf_parse(c, &p->net);
	for (int i = 0; i < p->net.nerrs && i < NETCONF_MAX_ERRS; i++)
		cfg_errorf(c, "%s", p->net.errs[i]);
	plan_netboot(c, p);
	plan_linktest(c, p);
	return (int)(c->nerrors - before);
}

/* ferry.boot=kexec: the entries first, on the named devices or else every filesystem, waited for.
 * auto with root=: the root is the target; the named devices (only they: a scan of every disk would
 * find the extlinux.conf that booted this kernel, and loop) come first when there are any. auto
 * without root=: the entries (LinuxBoot) unless the initramfs has a rootinit of its own. A locked
 * config searches only the devices it names. */
struct handoff_plan bootplan_handoff(const struct boot_plan *p, bool rootinit_here)
{
	bool named = p->kexec.ndevices > 0;

	if (p->mode == BOOT_SWITCH_ROOT)
		return (struct handoff_plan){ .why = "ferry.boot=switch_root: no kexec" };
	if (p->mode == BOOT_AUTO && p->root.given && !named)
		return (struct handoff_plan){ .why = "ferry.boot=auto with root=: switch_root (no scan for entries "
					      "unless ferry.kexec.device= names where)" };
	if (p->mode == BOOT_AUTO && !p->root.given && rootinit_here)
		return (struct handoff_plan){ .why = "ferry.boot=auto without root=: the initramfs has its rootinit" };
	if (p->locked && !named && p->netboot.url[0] && !p->netboot.refused)
		return (struct handoff_plan){ .kexec = true, .why = "locked: the ferry.netboot= entries only (no "
					      "ferry.kexec.device= in the config)" };
	if (p->locked && !named)
		return (struct handoff_plan){ .why = "locked and no ferry.kexec.device= in the config: no device is "
					      "searched for entries" };
	if (p->mode == BOOT_KEXEC)
		return (struct handoff_plan){ .kexec = true, .scan_all = !named, .wait = true,
					      .why = named ? "ferry.boot=kexec: the ferry.kexec.device= devices" :
					      "ferry.boot=kexec: every filesystem" };
	if (p->root.given)
		return (struct handoff_plan){ .kexec = true, .wait = true, .why = "ferry.boot=auto with root= and "
					      "ferry.kexec.device=: those devices first, then switch_root" };
	return (struct handoff_plan){ .kexec = true, .scan_all = !named, .wait = named,
				      .why = named ? "ferry.boot=auto without root=: the ferry.kexec.device= devices" :
				      "ferry.boot=auto without root=: every filesystem, looked at once" };
}
