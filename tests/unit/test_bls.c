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

int main(void)
{
	test_keys();
	test_uki();
	test_sort();
	test_vercmp();
	return T_DONE();
}
