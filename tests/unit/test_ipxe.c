#include <errno.h>
#include <stdlib.h>
#include "t.h"
#include "../../lib/boot/ipxe.h"

static const char *lookup(void *arg, const char *name)
{
	(void)arg;
	if (!strcmp(name, "net0/mac") || !strcmp(name, "mac"))
		return "52:54:00:12:34:56";
	if (!strcmp(name, "next-server"))
		return "10.0.2.2";
	if (!strcmp(name, "buildarch"))
		return "x86_64";
	return NULL;
}

static struct ipxe_result r;

static int run(const char *s)
{
	return ipxe_run(s, strlen(s), lookup, NULL, &r);
}

int main(void)
{
	/* A generated script (netboot.xyz / MAAS shape). */
	T_EQ(run("#!ipxe\n"
		 "# generated\n"
		 "isset ${net0/ip} || dhcp\n"
		 "set base-url http://${next-server}:8000/${buildarch}\n"
		 "echo Booting from ${base-url}\n"
		 "kernel --name vmlinuz ${base-url}/vmlinuz console=ttyS0 BOOTIF=01-${net0/mac:hexhyp}\n"
		 "initrd ${base-url}/initrd.img\n"
		 "initrd -n extra extra.cpio\n"
		 "boot || goto failed\n"
		 ":failed\n"
		 "echo failed\n"
		 "shell\n"), 0);
	T_EQ(r.what, IPXE_BOOT);
	T_STREQ(r.kernel, "http://10.0.2.2:8000/x86_64/vmlinuz");
	T_STREQ(r.args, "console=ttyS0 BOOTIF=01-52-54-00-12-34-56");
	T_EQ(r.ninitrd, 2);
	T_STREQ(r.initrd[0], "http://10.0.2.2:8000/x86_64/initrd.img");
	T_STREQ(r.initrd[1], "extra.cpio");
	T_STREQ(r.echo, "Booting from http://10.0.2.2:8000/x86_64");

	/* imgargs replaces the arguments; CRLF lines. */
	T_EQ(run("#!ipxe\r\nkernel vmlinuz a=1\r\nimgargs vmlinuz b=2 c\r\nboot\r\n"), 0);
	T_STREQ(r.args, "b=2 c");
	T_STREQ(r.kernel, "vmlinuz");

	/* chain: stops the script with the URL and arguments. */
	T_EQ(run("#!ipxe\nchain --autofree http://10.0.0.1/next.ipxe x=y\necho never\n"), 0);
	T_EQ(r.what, IPXE_CHAIN);
	T_STREQ(r.chain, "http://10.0.0.1/next.ipxe");
	T_STREQ(r.args, "x=y");
	T_STREQ(r.echo, "");

	/* goto, labels, isset/iseq with || and &&. */
	T_EQ(run("#!ipxe\n"
		 "iseq ${buildarch} arm64 && goto arm ||\n"
		 "goto x86\n"
		 ":arm\n"
		 "kernel arm.img\n"
		 "boot\n"
		 ":x86\n"
		 "isset ${nosuch} && kernel wrong ||\n"
		 "isset ${mac} && kernel right\n"
		 "boot\n"), -EINVAL);   /* "||" at the end of a line without a command */
	T_EQ(r.line, 2);
	T_EQ(run("#!ipxe\n"
		 "iseq ${buildarch} arm64 && goto arm\n"
		 "goto x86\n"
		 ":arm\n"
		 "kernel arm.img\n"
		 "boot\n"
		 ":x86\n"
		 "isset ${nosuch} && kernel wrong\n"
		 "isset ${mac} && kernel right\n"
		 "iseq a b || set v ok\n"
		 "boot\n"), 0);
	T_STREQ(r.kernel, "right");
	T_EQ(r.nvars, 1);
	T_STREQ(r.var[0][1], "ok");

	/* Refusals: by name, with the line. */
	T_EQ(run("#!ipxe\ndhcp\nmenu Boot\nitem a A\n"), -ENOTSUP);
	T_EQ(r.line, 3);
	T_STREQ(r.why, "menu: not supported by ferry's iPXE");
	T_EQ(run("#!ipxe\nfrobnicate\n"), -ENOTSUP);
	T_STREQ(r.why, "frobnicate: not an iPXE command ferry knows");
	T_EQ(run("#!ipxe\nsanboot iscsi:10.0.0.1::::iqn\n"), -ENOTSUP);
	T_EQ(run("#!ipxe\ngoto nowhere\n"), -ENOENT);
	T_EQ(run("#!ipxe\n:a\ngoto a\n"), -ELOOP);
	T_EQ(run("#!ipxe\nboot\n"), -EINVAL);
	T_STREQ(r.why, "boot: no kernel loaded");
	T_EQ(run("#!ipxe\nkernel x\n"), -EINVAL);
	T_EQ(r.line, 2);
	T_EQ(run("#!ipxe\nkernel\n"), -EINVAL);
	T_EQ(run("#!ipxe\necho ${unterminated\n"), -EINVAL);
	T_EQ(run("not a script\n"), -EINVAL);
	T_EQ(run("#!ipxe\nexit\nkernel x\nboot\n"), 0);
	T_EQ(r.what, IPXE_EXIT);
	T_EQ(run("#!ipxe\n"), 0);
	T_EQ(r.what, IPXE_EXIT);
	T_EQ(run("#!ipxe\ninitrd a\ninitrd b\ninitrd c\ninitrd d\ninitrd e\ninitrd f\ninitrd g\ninitrd h\ninitrd i\n"), -E2BIG);

	/* What a file is. */
	T_EQ(nb_detect("#!ipxe\n", 7), NB_IPXE);
	T_EQ(nb_detect("# pxelinux\n\nDEFAULT linux\nLABEL linux\n  KERNEL vmlinuz\n", 50), NB_PXELINUX);
	T_EQ(nb_detect("default menu.c32\n", 17), NB_PXELINUX);
	T_EQ(nb_detect("hello world\n", 12), NB_UNKNOWN);
	T_EQ(nb_detect("\x1f\x8b\x08\x00", 4), NB_KERNEL);
	{
		static unsigned char bz[0x300];
		bz[0x1fe] = 0x55; bz[0x1ff] = 0xaa;
		memcpy(bz + 0x202, "HdrS", 4);
		T_EQ(nb_detect(bz, sizeof(bz)), NB_KERNEL);
		bz[0x202] = 'X';
		T_EQ(nb_detect(bz, sizeof(bz)), NB_UNKNOWN);
	}

	/* pxelinux's search order. */
	{
		static const uint8_t mac[6] = { 0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd };
		char names[10][24];
		size_t n = pxelinux_names(mac, 0xC0A80002, names);
		T_EQ(n, 10);
		T_STREQ(names[0], "01-88-99-aa-bb-cc-dd");
		T_STREQ(names[1], "C0A80002");
		T_STREQ(names[2], "C0A8000");
		T_STREQ(names[8], "C");
		T_STREQ(names[9], "default");
		T_EQ(pxelinux_names(mac, 0, names), 2);
	}
	return T_DONE();
}
