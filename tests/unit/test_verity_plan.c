/* The verity keys in the boot plan: roothash=, systemd.verity_root_{data,hash,options}=, from the
 * file and the command line, each bad value named with its place; locked keeps them in the file. */
#include <stdlib.h>
#include "t.h"
#include "../../lib/core/bootplan.h"

#define R "90db6360a508885fe6ee0a08bb10a46db311d9b42143f6ab5487cb361d207817"
static struct ferry_config c;
static struct boot_plan p;

static int build(const char *file, const char *cmdline)
{
	cfg_free(&c);
	cfg_init(&c, "/etc/ferry.conf");
	cfg_parse_file(&c, file, strlen(file));
	cfg_parse_cmdline(&c, cmdline, strlen(cmdline));
	return bootplan_build(&c, &p, NULL);
}

static bool has_error(const char *s)
{
	for (size_t i = 0; i < c.nerrors && i < CFG_MAX_ERRORS; i++)
		if (strstr(c.errors[i], s))
			return true;
	return false;
}

int main(void)
{
	T_EQ(build("", "root=/dev/vda"), 0);
	T_OK(!p.verity.on);
	T_EQ(build("", "root=/dev/vda roothash=" R " systemd.verity_root_hash=/dev/vdb"), 0);
	T_OK(p.verity.on);
	T_STREQ(p.verity.data, "/dev/vda");
	T_STREQ(p.verity.hash, "/dev/vdb");
	T_STREQ(p.verity.roothash, R);
	T_OK(p.verity.opts.superblock);
	/* the data device is the lower's device; systemd's root=/dev/mapper/root may stay */
	T_EQ(build("", "root=/dev/mapper/root roothash=" R " systemd.verity_root_data=LABEL=sys"), 0);
	T_STREQ(p.root.spec, "LABEL=sys");
	T_EQ(p.root.r.lower.dev.kind, DEVSPEC_LABEL);
	T_OK(p.root.given && p.root.r.lower.present);
	T_EQ(build("", "roothash=" R " systemd.verity_root_data=PARTUUID=ab-01"), 0);
	T_OK(p.root.given);
	T_EQ(build("", "root=/dev/vdc roothash=" R " systemd.verity_root_data=/dev/vda"), 1);
	T_OK(has_error("systemd.verity_root_data=/dev/vda: root=/dev/vdc names another device"));
	/* the file, and the command line's last word wins */
	T_EQ(build("root = /dev/vda\nroothash = " R "\nsystemd.verity_root_options = hash-offset=1048576\n", ""), 0);
	T_OK(p.verity.on && p.verity.opts.hash_offset == 1048576);
	/* errors, named with their place */
	T_EQ(build("", "root=/dev/vda roothash=" R "0"), 1);
	T_OK(has_error("command line: roothash=" R "0: not a root hash"));
	T_EQ(build("", "root=/dev/vda roothash=zz"), 1);
	T_EQ(build("systemd.verity_root_options = ignore-corruption,restart-on-corruption\n", "root=/dev/vda roothash=" R), 1);
	T_OK(has_error("/etc/ferry.conf:1: systemd.verity_root_options=ignore-corruption,restart-on-corruption: "
		       "restart-on-corruption: only one of"));
	/* no device named: systemd's Discoverable Partitions rule, the root hash's first and last 128 bits */
	T_EQ(build("", "roothash=" R), 0);
	T_OK(p.verity.on && p.verity.discovered && p.root.given);
	T_STREQ(p.verity.data, "PARTUUID=90db6360-a508-885f-e6ee-0a08bb10a46d");
	T_STREQ(p.verity.hash, "PARTUUID=b311d9b4-2143-f6ab-5487-cb361d207817");
	T_STREQ(p.root.spec, "PARTUUID=90db6360-a508-885f-e6ee-0a08bb10a46d");
	T_EQ(p.root.r.lower.dev.kind, DEVSPEC_PARTUUID);
	T_EQ(build("", "roothash=" R " systemd.verity_root_hash=/dev/vdb"), 0);
	T_STREQ(p.verity.hash, "/dev/vdb");
	T_EQ(build("", "root=/dev/vda systemd.verity_root_hash=/dev/vdb"), 1);
	T_OK(has_error("systemd.verity_root_hash=/dev/vdb: without roothash="));
	T_EQ(build("", "root=/dev/vda roothash=" R " systemd.verity_root_hash=ubi0:x"), 1);
	T_OK(has_error("systemd.verity_root_hash=ubi0:x: not a device"));
	T_EQ(build("", "root=/dev/vda roothash=" R " systemd.verity_root_options=superblock=no,hash=sha256"), 1);
	T_OK(has_error("superblock=no needs data-block-size="));
	T_EQ(build("", "root=/dev/vda roothash=" R " systemd.verity_root_options=superblock=no,hash=sha1,"
		   "data-block-size=4096,hash-block-size=4096,data-blocks=8,salt=-"), 1);
	T_OK(has_error("roothash= is not the hash's length"));
	T_EQ(build("", "root=/dev/vda roothash=" R " systemd.verity_root_options=root-hash-signature=/r.p7s"), 0);
	T_STREQ(p.verity.opts.signature, "/r.p7s");
	/* a locked file can require a signature; the command line cannot take it back */
	T_EQ(build("locked\nferry.verity.require-signature\nroot = /dev/vda\nroothash = " R "\n",
		   "ferry.verity.require-signature=0"), 1);
	T_OK(has_error("/etc/ferry.conf:2: ferry.verity.require-signature=: roothash= has no root-hash-signature="));
	T_EQ(build("locked\nferry.verity.require-signature\nroot = /dev/vda\n", "roothash=" R), 1);
	T_OK(has_error("no roothash=: no verity lower to sign"));
	T_EQ(build("locked\nferry.verity.require-signature\nroot = /dev/vda\nroothash = " R "\n"
		   "systemd.verity_root_options = root-hash-signature=/etc/root.p7s\n",
		   "systemd.verity_root_options=ignore-corruption"), 0);
	T_OK(p.verity.require_signature);
	T_STREQ(p.verity.opts.signature, "/etc/root.p7s");
	T_EQ(p.verity.opts.mode, VERITY_EIO);
	/* ferry.verity.sigdev=: the signature on a device's filesystem, named like root= */
	T_EQ(build("", "root=/dev/vda roothash=" R " systemd.verity_root_options=root-hash-signature=/r.p7s "
		   "ferry.verity.sigdev=LABEL=boot"), 0);
	T_STREQ(p.verity.sigdev, "LABEL=boot");
	T_STREQ(p.verity.opts.signature, "/r.p7s");
	T_EQ(build("", "root=/dev/vda roothash=" R " ferry.verity.sigdev=LABEL=boot"), 1);
	T_OK(has_error("ferry.verity.sigdev=LABEL=boot: no root-hash-signature= in systemd.verity_root_options=: nothing to read"));
	T_EQ(build("", "root=/dev/vda roothash=" R " systemd.verity_root_options=root-hash-signature=/r.p7s "
		   "ferry.verity.sigdev=ubi0:boot"), 1);
	T_OK(has_error("ferry.verity.sigdev=ubi0:boot: not a device"));
	T_EQ(build("", "root=/dev/vda ferry.verity.sigdev=LABEL=boot"), 1);
	T_OK(has_error("ferry.verity.sigdev=LABEL=boot: without roothash=: no verity lower"));
	/* locked: the command line cannot move the signature to another device */
	T_EQ(build("locked\nroot = /dev/vda\nroothash = " R "\nsystemd.verity_root_options = root-hash-signature=/r.p7s\n"
		   "ferry.verity.sigdev = PARTLABEL=boot\n", "ferry.verity.sigdev=LABEL=usb"), 0);
	T_STREQ(p.verity.sigdev, "PARTLABEL=boot");
	/* locked: the command line cannot give or change the root hash */
	T_EQ(build("locked\nroot = /dev/vda\nroothash = " R "\n", "roothash=" R "ff"), 0);
	T_STREQ(p.verity.roothash, R);
	T_EQ(build("locked\nroot = /dev/vda\n", "roothash=" R " systemd.verity_root_options=ignore-corruption"), 0);
	T_OK(!p.verity.on);
	T_EQ(p.verity.opts.mode, VERITY_EIO);
	cfg_free(&c);
	return T_DONE();
}
