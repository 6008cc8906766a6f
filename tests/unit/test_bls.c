/* BLS Type #1 entries: keys, boot counting in the file name, and the specification's sort order. */
#include "t.h"
#include <errno.h>
#include <stdlib.h>
#include "../../lib/boot/bootcfg.h"

static struct boot_entry *add(struct boot_list *l, const char *name, const char *text)
{
	struct boot_entry *e = boot_list_add(l, BOOT_BLS);
	bls_parse(e, name, text, strlen(text));
	return e;
}

static void test_keys(void)
{
	struct boot_list *l = boot_list_new();
	const char *t = "# comment\n"
		"title      Fedora Linux 39\n"
		"version 6.5.6-300.fc39.x86_64\r\n"
		"machine-id 8ab7e40c3aab4bbc9ba6a4f7c0d5a6b2\n"
		"linux /8ab7/6.5.6/linux\n"
		"initrd /8ab7/6.5.6/microcode.img\n"
		"initrd   /8ab7/6.5.6/initrd  \n"
		"options root=UUID=1234 ro\n"
		"options quiet\n"
		"devicetree /dtb/board.dtb\n"
		"grub_class fedora\n";
	struct boot_entry *e = add(l, "8ab7-6.5.6-300.fc39.x86_64.conf", t);
	T_STREQ(e->title, "Fedora Linux 39");
	T_STREQ(e->id, "8ab7-6.5.6-300.fc39.x86_64");
	T_STREQ(e->version, "6.5.6-300.fc39.x86_64");
	T_STREQ(e->kernel, "/8ab7/6.5.6/linux");
	T_EQ(e->ninitrd, 2);
	T_STREQ(e->initrd[0], "/8ab7/6.5.6/microcode.img");
	T_STREQ(e->initrd[1], "/8ab7/6.5.6/initrd");
	T_STREQ(e->options, "root=UUID=1234 ro quiet");
	T_STREQ(e->devicetree, "/dtb/board.dtb");
	T_OK(e->problem == NULL);
	T_EQ(e->tries_left, -1);

	e = add(l, "efi.conf", "title Shell\nefi /EFI/shell.efi\n");
	T_OK(e->problem != NULL);
	T_STREQ(e->title, "Shell");
	e = add(l, "notitle+3-1.conf", "linux /vmlinuz\narchitecture aa64\n");
	T_STREQ(e->id, "notitle");
	T_STREQ(e->title, "notitle");   /* the id stands in for a missing title */
	T_EQ(e->tries_left, 3);
	T_EQ(e->tries_done, 1);
#ifdef __x86_64__
	T_OK(e->problem != NULL);       /* another architecture's entry is never booted */
#endif
	e = add(l, "x86.conf", "linux /vmlinuz\narchitecture X64\n");
#ifdef __x86_64__
	T_OK(e->problem == NULL);
#endif
	e = add(l, "long.conf", "linux /vmlinuz\ninitrd a\ninitrd b\ninitrd c\ninitrd d\ninitrd e\ninitrd f\n"
		"initrd g\ninitrd h\ninitrd i\n");
	T_OK(e->problem != NULL);
	free(l);
}

/* The order systemd's own test (src/test/test-bootspec.c) expects for these six files. */
static void test_sort(void)
{
	struct boot_list *l = boot_list_new();
	add(l, "a-10.conf", "title A\nversion 10\nmachine-id dd23\nlinux /a\n");
	add(l, "a-5.conf", "title A\nversion 5\nmachine-id dd23\nlinux /a\n");
	add(l, "b.conf", "title B\nversion 3\nmachine-id b754\nlinux /b\n");
	add(l, "c.conf", "title C\nsort-key xxxx\nversion 5\nmachine-id 309d\nlinux /c\n");
	add(l, "cx.conf", "title C\nsort-key xxxx\nversion 10\nmachine-id 309d\nlinux /c\n");
	add(l, "d.conf", "title D\nsort-key kkkk\nversion 100\nmachine-id 81c6\nlinux /d\n");
	bls_sort(l);
	const char *want[] = { "d", "cx", "c", "b", "a-10", "a-5" };
	for (size_t i = 0; i < 6; i++)
		T_STREQ(l->e[i].id, want[i]);
	T_EQ(l->def, 0);

	/* An entry out of tries goes last, and the default skips unbootable entries. */
	boot_list_init(l);
	add(l, "k-6.2+0-3.conf", "linux /k62\n");
	add(l, "k-6.1.conf", "linux /k61\n");
	add(l, "k-6.3.conf", "efi /x.efi\n");
	bls_sort(l);
	T_STREQ(l->e[0].id, "k-6.3");
	T_STREQ(l->e[1].id, "k-6.1");
	T_STREQ(l->e[2].id, "k-6.2");
	T_EQ(l->def, 1);
	free(l);
}

static void test_vercmp(void)
{
	T_OK(boot_vercmp("6.1.0-10", "6.1.0-9") > 0);
	T_OK(boot_vercmp("6.10", "6.9") > 0);
	T_OK(boot_vercmp("1.0~rc1", "1.0") < 0);
	T_OK(boot_vercmp("007", "7") == 0);
	T_OK(boot_vercmp("a", "b") < 0);
	T_OK(boot_vercmp("1.0", "1.0.1") < 0);
	T_OK(boot_vercmp("1a", "1") > 0);
}

/* The uki key (Type #1 naming a UKI) and Type #2 entries, the .efi files in /EFI/Linux. */
static void test_uki(void)
{
	struct boot_list *l = boot_list_new();
	struct boot_entry *e = add(l, "arch.conf", "title Arch\nuki /EFI/Linux/arch-linux.efi\noptions quiet\n");
	static const char osrel[] = "ID=debian\nPRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\n";

	T_OK(e->problem == NULL);
	T_EQ(e->uki, 1);
	T_STREQ(e->kernel, "/EFI/Linux/arch-linux.efi");
	e = add(l, "both.conf", "linux /vmlinuz\nuki /x.efi\n");
	T_EQ(e->uki, 0);                              /* linux given: the uki key does not replace it */
	T_STREQ(e->kernel, "/vmlinuz");
	e = boot_list_add(l, BOOT_BLS);
	T_EQ(bls_uki_entry(e, "/EFI/Linux/debian-6.1.0-13-arm64+3-1.efi", "debian-6.1.0-13-arm64+3-1.efi", osrel,
			   sizeof(osrel) - 1, "6.1.0-13-arm64\n", 15), 0);
	T_STREQ(e->title, "Debian GNU/Linux 12 (bookworm)");
	T_STREQ(e->id, "debian-6.1.0-13-arm64");
	T_STREQ(e->version, "6.1.0-13-arm64");
	T_EQ(e->tries_left, 3);
	T_EQ(e->tries_done, 1);
	T_EQ(e->uki, 1);
	T_STREQ(e->kernel, "/EFI/Linux/debian-6.1.0-13-arm64+3-1.efi");
	e = boot_list_add(l, BOOT_BLS);
	T_EQ(bls_uki_entry(e, "/EFI/Linux/x.EFI", "x.EFI", "", 0, "", 0), 0);
	T_STREQ(e->title, "x");                        /* no .osrel: the id */
	T_EQ(bls_uki_entry(e, "/EFI/Linux/x.txt", "x.txt", "", 0, "", 0), -EINVAL);
	free(l);
}

/* grubenv as grub-editenv writes it (tools: `grub-editenv F set ...`, checked byte for byte in
 * tests/host/bls-syslinux.sh): the signature line, a comment, name=value, '\\' escaping '\\' and a
 * newline, '#' padding to 1024 bytes. What GRUB's grub_envblk_iterate does with the rest: a '#'
 * line is a comment, a record cut off by the end of the block is dropped, the last of a name wins. */
static void test_grubenv(void)
{
	static struct grubenv env;
	char blk[1024];
	const char *text = "# GRUB Environment Block\n"
		"# WARNING: Do not edit this file by tools other than grub-editenv!!!\n"
		"kernelopts=root=/dev/mapper/rhel-root ro crashkernel=auto rhgb quiet\n"
		"tuned_initrd=/tuned-initrd.img\n"
		"weird=a\\\\b\\\nc\n"
		"saved_entry=x\n"
		"saved_entry=y\n";
	size_t n = strlen(text);

	memcpy(blk, text, n);
	memset(blk + n, '#', sizeof(blk) - n);
	T_EQ(grubenv_parse(&env, blk, sizeof(blk)), 0);
	T_STREQ(grubenv_get(&env, "kernelopts", 10), "root=/dev/mapper/rhel-root ro crashkernel=auto rhgb quiet");
	T_STREQ(grubenv_get(&env, "tuned_initrd", 12), "/tuned-initrd.img");
	T_STREQ(grubenv_get(&env, "weird", 5), "a\\b\nc");
	T_STREQ(grubenv_get(&env, "saved_entry", 11), "y");
	T_OK(grubenv_get(&env, "tuned_params", 12) == NULL);
	T_OK(grubenv_get(&env, "kernel", 6) == NULL);     /* a prefix is not the name */
	/* a record the block cuts off is broken: GRUB stops there */
	T_EQ(grubenv_parse(&env, "# GRUB Environment Block\na=1\nb=2", 33), 0);
	T_STREQ(grubenv_get(&env, "a", 1), "1");
	T_OK(grubenv_get(&env, "b", 1) == NULL);
	T_EQ(grubenv_parse(&env, "# GRUB Environment Block\na=\\", 28), 0);
	T_OK(grubenv_get(&env, "a", 1) == NULL);
	/* no signature: GRUB's load_env refuses the whole file */
	T_EQ(grubenv_parse(&env, "kernelopts=x\n", 13), -EINVAL);
	T_EQ(env.n, 0);
	T_EQ(grubenv_parse(&env, "# GRUB Environment Bloc", 23), -EINVAL);
	/* more than it keeps: said, and what fit is kept */
	static char big[GRUBENV_VARS * 8 + 64];
	size_t at = (size_t)snprintf(big, sizeof(big), "# GRUB Environment Block\n");
	for (int i = 0; i < GRUBENV_VARS + 2; i++)
		at += (size_t)snprintf(big + at, sizeof(big) - at, "v%d=%d\n", i, i);
	T_EQ(grubenv_parse(&env, big, at), -E2BIG);
	T_STREQ(grubenv_get(&env, "v0", 2), "0");
}

static struct boot_entry *expand(struct boot_list *l, const char *text, const struct grubenv *env, unsigned fl)
{
	struct boot_entry *e = add(l, "e.conf", text);
	(void)bls_expand(e, grubenv_getvar, (void *)env, fl);
	return e;
}

/* Fedora's blscfg (grub-core/commands/blscfg.c, create_entry): options get $var expanded from the
 * environment (expand_val), and the "linux"/"initrd" lines it writes are GRUB script, so their
 * variables expand too and an initrd line with several words is several initrds. An unset variable
 * is empty; $default_kernelopts stands in for missing options; $early_initrd comes first, from the
 * first initrd's directory. */
static void test_expand(void)
{
	static struct grubenv env;
	static const char blk[] = "# GRUB Environment Block\n"
		"kernelopts=root=/dev/mapper/rhel-root ro crashkernel=auto resume=/dev/mapper/rhel-swap rhgb quiet\n"
		"tuned_params=skew_tick=1 isolcpus=2-3\n"
		"tuned_initrd=/tuned-initrd.img /tuned-2.img\n"
		"qarg=a \"b c\"\n";
	struct boot_list *l = boot_list_new();
	struct boot_entry *e;

	T_EQ(grubenv_parse(&env, blk, sizeof(blk) - 1), 0);
	/* RHEL 8 as installed (kernel-install's 20-grub.install writes these lines) */
	e = expand(l, "title Red Hat Enterprise Linux (4.18.0-513.5.1.el8_9.x86_64) 8.9 (Ootpa)\n"
		"version 4.18.0-513.5.1.el8_9.x86_64\n"
		"linux /vmlinuz-4.18.0-513.5.1.el8_9.x86_64\n"
		"initrd /initramfs-4.18.0-513.5.1.el8_9.x86_64.img $tuned_initrd\n"
		"options $kernelopts $tuned_params\n"
		"id rhel-20231106-4.18.0-513.5.1.el8_9.x86_64\n"
		"grub_users $grub_users\n"
		"grub_arg --unrestricted\n"
		"grub_class kernel\n", &env, 0);
	T_OK(e->problem == NULL);
	T_STREQ(e->kernel, "/vmlinuz-4.18.0-513.5.1.el8_9.x86_64");
	T_EQ(e->ninitrd, 3);
	T_STREQ(e->initrd[0], "/initramfs-4.18.0-513.5.1.el8_9.x86_64.img");
	T_STREQ(e->initrd[1], "/tuned-initrd.img");
	T_STREQ(e->initrd[2], "/tuned-2.img");
	T_STREQ(e->options, "root=/dev/mapper/rhel-root ro crashkernel=auto resume=/dev/mapper/rhel-swap rhgb quiet "
		"skew_tick=1 isolcpus=2-3");
	/* ${name}, quotes kept for the kernel, an unset variable gone with its word */
	e = expand(l, "linux /vmlinuz\ninitrd /i.img $nosuch\noptions ${kernelopts} x=\"$qarg\" $nosuch 'lit$x' end\n",
		   &env, 0);
	T_EQ(e->ninitrd, 1);
	T_STREQ(e->options, "root=/dev/mapper/rhel-root ro crashkernel=auto resume=/dev/mapper/rhel-swap rhgb quiet "
		"x=\"a \"b c\"\" 'lit$x' end");
	/* under grub.cfg's blscfg an unset options variable is left for GRUB's own interpreter */
	e = expand(l, "linux /vmlinuz\noptions $kernelopts $fromcfg\n", &env, BLS_KEEP_UNSET);
	T_OK(strstr(e->options, "quiet $fromcfg") != NULL);
	/* no environment at all: every variable unset; the empty kernel is then the shared check's */
	e = expand(l, "linux $kernel\ninitrd $tuned_initrd\noptions $kernelopts\n", NULL, 0);
	T_STREQ(e->kernel, "");
	T_EQ(e->ninitrd, 0);
	T_STREQ(e->options, "");
	boot_entry_check(e);
	T_OK(e->problem && strstr(e->problem, "kernel path is empty"));
	e = expand(l, "linux $dir/vmlinuz\n", NULL, 0);
	boot_entry_check(e);
	T_STREQ(e->kernel, "/vmlinuz");                   /* "$dir/vmlinuz" with dir unset: still absolute */
	T_OK(e->problem == NULL);
	e = expand(l, "linux vmlinuz-$v\n", NULL, 0);
	boot_entry_check(e);
	T_OK(e->problem && strstr(e->problem, "relative"));
	/* default_kernelopts, early_initrd, devicetree from the environment; extra linux words */
	static struct grubenv env2;
	static const char blk2[] = "# GRUB Environment Block\ndefault_kernelopts=root=LABEL=r\n"
		"early_initrd=ucode.img fw.img\ndevicetree=board.dtb\n";
	T_EQ(grubenv_parse(&env2, blk2, sizeof(blk2) - 1), 0);
	e = expand(l, "linux /k/vmlinuz console=ttyS0\ninitrd /k/initrd\n", &env2, 0);
	T_STREQ(e->kernel, "/k/vmlinuz");
	T_STREQ(e->options, "console=ttyS0 root=LABEL=r");
	T_EQ(e->ninitrd, 3);
	T_STREQ(e->initrd[0], "/k/ucode.img");
	T_STREQ(e->initrd[1], "/k/fw.img");
	T_STREQ(e->initrd[2], "/k/initrd");
	T_STREQ(e->devicetree, "/k/board.dtb");
	/* too many initrds after the split: named */
	static struct grubenv env3;
	static const char blk3[] = "# GRUB Environment Block\nmany=/a /b /c /d /e /f /g /h /i\n";
	T_EQ(grubenv_parse(&env3, blk3, sizeof(blk3) - 1), 0);
	e = add(l, "m.conf", "linux /k\ninitrd $many\n");
	T_EQ(bls_expand(e, grubenv_getvar, &env3, 0), -E2BIG);
	T_OK(e->problem != NULL);
	free(l);
}

int main(void)
{
	test_grubenv();
	test_expand();
	test_keys();
	test_uki();
	test_sort();
	test_vercmp();
	return T_DONE();
}
