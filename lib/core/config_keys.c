/* Every key ferry reads, from /etc/ferry.conf or the kernel command line. The README's reference
 * is this table in prose; tests/host/readme-keys.sh checks that each key here appears there. */
#include <string.h>
#include "config.h"

const struct cfg_key cfg_keys[] = {
	/* core */
	{ "ferry.onfail",      CFG_LOCK, "failure policy: shell | reboot[:SECONDS] | poweroff | halt" },
	{ "ferry.debug",       CFG_FLAG, "more log lines (also ferry.debug=1)" },
	{ "ferry.shell",       CFG_LOCK, "shell run by the shell policy (default /bin/sh)" },
	{ "ferry.modules",     CFG_LOCK, "module loading: on (default) | off | settle" },
	{ "rd.modules_load",   CFG_REPEAT | CFG_LOCK, "NAME[,NAME...]: modules loaded first, ahead of coldplug's (systemd's initrd key)" },
	{ "ferry.timeout",     0, "default bound for device waits, seconds (default 10)" },
	{ "ferry.boot",        CFG_LOCK, "handoff: switch_root | kexec | auto (default auto)" },
	{ "ferry.watchdog",    CFG_LOCK, "SECONDS[,/dev/watchdogN]: arm the watchdog at early, pet it while the boot runs" },
	{ "ferry.watchdog.handoff", CFG_LOCK, "armed (default: left running for the target) | stop (magic close)" },
	{ "locked.allow",      CFG_FILEONLY, "with locked: the keys the command line may still set, KEY KEY ... (default none)" },
	/* root (meta-readonly-rootfs-overlay compatible) */
	{ "root",              0, "read-only lower: /dev/..., LABEL=, UUID=, PARTUUID=, PARTLABEL=, ubiX:name, ubiX_Y" },
	{ "rootfstype",        0, "filesystem type of root= (probed when absent)" },
	{ "rootoptions",       0, "mount options of the lower (default noatime,nodiratime)" },
	{ "rootflags",         0, "alias of rootoptions=" },
	{ "rootinit",          0, "the target init (default /sbin/init)" },
	{ "rootrw",            0, "read-write upper device (absent: tmpfs)" },
	{ "rootrwfstype",      0, "filesystem type of rootrw= (probed when absent)" },
	{ "rootrwoptions",     0, "mount options of the upper (default rw,noatime; mode=755 for tmpfs)" },
	{ "rootrwreset",       0, "yes: empty the upper at this boot (crash-safe)" },
	{ "rootrwupperdir",    0, "upper directory on rootrw (default upperdir; workdir is work)" },
	{ "rootrwfallback",    CFG_LOCK, "rw device missing or unmountable: tmpfs (default) | fail" },
	{ "preinit",           0, "program run with the new root mounted, before the handoff" },
	{ "ferry.preinit.timeout", CFG_LOCK, "seconds preinit= and ferry.crypt.mkfs= may run (default 60), then killed and the policy" },
	{ "init",              0, "init= as the kernel passes it; naming ferry itself means rootinit= runs" },
	{ "rootwait",          CFG_FLAG, "wait for the root device forever (reporting every 5 s)" },
	{ "rootdelay",         0, "seconds to wait before looking for the root device" },
	{ "ro",                CFG_FLAG, "mount the lower read-only (default)" },
	{ "rw",                CFG_FLAG, "accepted for compatibility; the lower is always read-only" },
	/* verity (systemd's names) */
	{ "roothash",          CFG_LOCK, "root hash of a dm-verity lower, hex: the lower is /dev/mapper/root-verity" },
	{ "systemd.verity_root_data", 0, "the verity data device (default root=)" },
	{ "systemd.verity_root_hash", 0, "the device with the hash tree (default the data device, at hash-offset=)" },
	{ "systemd.verity_root_options", CFG_LOCK, "superblock=, hash-offset=, data-block-size=, hash-block-size=, data-blocks=, salt=, hash=, format=, uuid=, *-corruption, ignore-zero-blocks, check-at-most-once" },
	{ "ferry.verity.sigdev", CFG_LOCK, "the device whose filesystem holds root-hash-signature=PATH (default: the initramfs)" },
	{ "ferry.verity.require-signature", CFG_LOCK | CFG_FLAG, "refuse a roothash= without root-hash-signature= (also =1)" },
	/* crypt */
	{ "ferry.crypt",       CFG_REPEAT | CFG_LOCK, "NAME,DEVICE,KEYSOURCE:ARG[,cipher=SPEC][,sector=N][,provision]" },
	{ "ferry.crypt.keep",  CFG_LOCK, "keyring to keep the volume keys in for the target (default: unlink)" },
	{ "ferry.crypt.mkfs",  CFG_LOCK, "command run on a volume provisioned in this boot, device appended (e.g. \"mkfs.ext4 -q\")" },
	/* net */
	{ "ip",                CFG_REPEAT, "kernel ip= (client:server:gw:netmask:hostname:device:autoconf:dns0:dns1, dhcp, off), dracut's dhcp6 | auto6 (IF:dhcp6); one per device and family" },
	{ "ferry.net",         0, "required (the handoff waits) | optional (default with ip=) | off" },
	{ "ferry.net.timeout", 0, "bound for ferry.net=required, seconds (1-3600, default 30)" },
	{ "ferry.net.ipv6",    0, "auto (router advertisements: SLAAC by the kernel, the default route at the link's metric, RDNSS; DHCPv6 on the M flag) | off (default: the kernel's own); an ip= dhcp6/auto6 word wins for its link" },
	{ "ferry.metric",      CFG_REPEAT, "CLASS-OR-IFACE-OR-MAC:N route metric (defaults ethernet 100, wifi 600, wwan 700, ppp 700, other 1000)" },
	{ "ferry.linkclass",   CFG_REPEAT, "IFACE-OR-MAC:CLASS (ethernet | wifi | wwan | ppp | other)" },
	{ "ferry.linktest",    0, "IFACE1,IFACE2: the factory link test at boot (echoes across the cable between them; /run/ferry/linktest for the target)" },
	{ "ferry.linktest.count", 0, "echoes each way for ferry.linktest= (1-1000, default 5)" },
	{ "ferry.linktest.timeout", 0, "bound of ferry.linktest=, seconds, the links' appearing included (1-600, default 5)" },
	{ "ferry.ocotp",       CFG_REPEAT, "IFACE:MAC0|MAC1[@PATH[:OFFSET|imx6|imx8mp]] set a MAC from i.MX OCOTP fuses" },
	/* kexec */
	{ "ferry.kexec.device", CFG_REPEAT, "devices (or mounted directories) to search for boot entries (default: every filesystem)" },
	{ "ferry.kexec.entry", 0, "entry to boot first: index in the logged list, id or title (default: the file's own default)" },
	{ "ferry.kexec.append", 0, "words appended to the entry's command line" },
	{ "ferry.menu",        CFG_LOCK, "SECONDS: the boot menu on the console before a kexec, with a countdown (default 0: no menu)" },
	{ "ferry.kexec.remove", 0, "comma-separated keys (every value) or key=value words removed from the entry's command line" },
	{ "ferry.fdtfile",     0, "U-Boot's fdtfile: the device tree an extlinux FDTDIR entry boots, DIR/NAME (default: by the board's compatible)" },
	/* netboot */
	{ "ferry.netboot",     CFG_LOCK, "URL (tftp:// or http://: an iPXE script, a pxelinux config or a kernel) | dhcp (the lease's boot file)" },
	{ "ferry.netboot.initrd", CFG_LOCK, "comma-separated initrd URLs, for a ferry.netboot= kernel" },
	{ "ferry.netboot.append", CFG_LOCK, "words appended to a netbooted kernel's command line" },
	{ "ferry.netboot.timeout", 0, "seconds without progress before a download is given up (default 60)" },
	{ "ferry.netboot.pin", CFG_REPEAT | CFG_LOCK, "sha256:HEX: every downloaded file must match one pin" },
	{ "ferry.measure",     CFG_LOCK, "TPM 2.0 PCRs 9 (kernel, initrds) and 8 (command line) before a kexec: on (default, when a TPM is there) | off | required" },
	{ NULL, 0, NULL },
};

const struct cfg_key *cfg_key_find(const char *name)
{
	for (const struct cfg_key *k = cfg_keys; k->name; k++)
		if (!strcmp(k->name, name))
			return k;
	return NULL;
}
