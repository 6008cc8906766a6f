/* extlinux.conf as U-Boot reads it: labels, DEFAULT and MENU DEFAULT, relative paths, initrd lists. */
#include "t.h"
#include <errno.h>
#include <stdlib.h>
#include "../../lib/boot/bootcfg.h"

static int parse(struct boot_list *l, const char *dir, const char *text)
{
	boot_list_init(l);
	return extlinux_parse(l, dir, text, strlen(text));
}

/* An in-memory filesystem for INCLUDE: NULL-terminated pairs of path and text. */
static const char *const *files;
static int reads;

static int fake_read(void *arg, const char *path, char **buf, size_t *len)
{
	(void)arg;
	reads++;
	for (const char *const *f = files; f[0]; f += 2)
		if (!strcmp(f[0], path)) {
			*len = strlen(f[1]);
			*buf = strdup(f[1]);
			return *buf ? 0 : -ENOMEM;
		}
	return -ENOENT;
}

static int parse_fs(struct boot_list *l, const char *dir, const char *path, const char *const *fs)
{
	files = fs;
	reads = 0;
	boot_list_init(l);
	for (const char *const *f = fs; f[0]; f += 2)
		if (!strcmp(f[0], path))
			return extlinux_parse_files(l, dir, path, f[1], strlen(f[1]), fake_read, NULL);
	return -99;
}

/* Debian's installer media (debian-cd's boot/x86 files, as on the bookworm netinst ISO):
 * isolinux.cfg includes menu.cfg, which includes stdmenu.cfg, gtk.cfg and txt.cfg and a submenu.
 * "default vesamenu.c32" (the menu program) comes last and names no label, so syslinux's menu starts
 * on the MENU DEFAULT label: the graphical install. */
static void test_debian_isolinux(struct boot_list *l)
{
	static const char *const fs[] = {
		"/isolinux/isolinux.cfg",
		"# D-I config version 2.0\n"
		"# search path for the c32 support libraries (libcom32, libutil etc.)\n"
		"path \n"
		"include menu.cfg\n"
		"default vesamenu.c32\n"
		"prompt 0\n"
		"timeout 0\n",
		"/isolinux/menu.cfg",
		"menu hshift 4\n"
		"menu width 70\n"
		"\n"
		"menu title Debian GNU/Linux installer menu (BIOS mode)\n"
		"include stdmenu.cfg\n"
		"include gtk.cfg\n"
		"include txt.cfg\n"
		"menu begin advanced\n"
		"    menu label ^Advanced options\n"
		"\tmenu title Advanced options\n"
		"\tinclude stdmenu.cfg\n"
		"\tlabel mainmenu\n"
		"\t\tmenu label ^Back..\n"
		"\t\tmenu exit\n"
		"\tinclude adgtk.cfg\n"
		"menu end\n"
		"label help\n"
		"\tmenu label ^Help\n"
		"\ttext help\n"
		"   Display help screens; type 'menu' at boot prompt to return to this menu\n"
		"\tendtext\n"
		"\tconfig prompt.cfg\n",
		"/isolinux/stdmenu.cfg",
		"menu background splash.png\n"
		"menu color title\t* #FFFFFFFF *\n",
		"/isolinux/gtk.cfg",
		"default installgui\n"
		"label installgui\n"
		"\tmenu label ^Graphical install\n"
		"\tmenu default\n"
		"\tkernel /install.amd/vmlinuz\n"
		"\tappend vga=788 initrd=/install.amd/gtk/initrd.gz --- quiet \n",
		"/isolinux/txt.cfg",
		"label install\n"
		"\tmenu label ^Install\n"
		"\tkernel /install.amd/vmlinuz\n"
		"\tappend vga=788 initrd=/install.amd/initrd.gz --- quiet \n",
		"/isolinux/adgtk.cfg",
		"label expertgui\n"
		"\tmenu label Graphical expert install\n"
		"\tkernel /install.amd/vmlinuz\n"
		"\tappend priority=low vga=788 initrd=/install.amd/gtk/initrd.gz --- \n",
		NULL };

	T_EQ(parse_fs(l, "/isolinux", "/isolinux/isolinux.cfg", fs), 0);
	T_EQ(l->n, 5);
	T_STREQ(l->err, "");
	T_EQ(l->def, 0);
	T_STREQ(l->e[0].id, "installgui");
	T_STREQ(l->e[0].title, "^Graphical install");
	T_STREQ(l->e[0].kernel, "/install.amd/vmlinuz");
	T_EQ(l->e[0].ninitrd, 1);
	T_STREQ(l->e[0].initrd[0], "/install.amd/gtk/initrd.gz");
	T_STREQ(l->e[0].options, "vga=788 --- quiet");
	T_STREQ(l->e[0].source, "/isolinux/gtk.cfg");   /* the file and line that defined it */
	T_EQ(l->e[0].src_line, 2);
	T_STREQ(l->e[1].id, "install");
	T_STREQ(l->e[1].source, "/isolinux/txt.cfg");
	T_EQ(l->e[1].src_line, 1);
	T_STREQ(l->e[2].id, "mainmenu");                  /* MENU EXIT: no kernel */
	T_OK(l->e[2].problem != NULL);
	T_STREQ(l->e[3].id, "expertgui");
	T_STREQ(l->e[3].options, "priority=low vga=788 ---");
	T_STREQ(l->e[4].id, "help");                      /* CONFIG prompt.cfg: not a kernel */
	T_OK(l->e[4].problem && strstr(l->e[4].problem, "CONFIG"));
	T_EQ(reads, 6);
}

/* INCLUDE and MENU INCLUDE: a DEFAULT and labels inside included files; relative names from the
 * top file's directory, absolute from the root; a missing file, a loop and nesting past the bound
 * are errors naming the file and line, and the rest is still read. */
static void test_include(struct boot_list *l)
{
	static const char *const fs[] = {
		"/boot/extlinux/extlinux.conf", "timeout 30\nINCLUDE sub/a.conf\nmenu include /boot/b.conf Tag\n"
			"label last\nkernel /k3\n",
		"/boot/extlinux/sub/a.conf", "DEFAULT two\nlabel one\nkernel /k1\n",
		"/boot/b.conf", "\n\nlabel two\nlinux /k2\nappend root=/dev/b\n",
		NULL };
	T_EQ(parse_fs(l, "/boot/extlinux", "/boot/extlinux/extlinux.conf", fs), 0);
	T_EQ(l->n, 3);
	T_EQ(l->def, 1);                                  /* DEFAULT in a.conf names b.conf's label */
	T_STREQ(l->e[1].source, "/boot/b.conf");
	T_EQ(l->e[1].src_line, 3);
	T_STREQ(l->e[1].options, "root=/dev/b");
	T_STREQ(l->e[2].source, "/boot/extlinux/extlinux.conf");
	T_EQ(l->e[2].src_line, 4);
	T_EQ(l->timeout, 3);

	static const char *const missing[] = {
		"/x.conf", "label a\nkernel /k\n\ninclude nosuch.cfg\nlabel b\nkernel /k\n", NULL };
	T_EQ(parse_fs(l, "/", "/x.conf", missing), 0);
	T_EQ(l->n, 2);
	T_STREQ(l->err, "/x.conf:4: INCLUDE /nosuch.cfg: No such file or directory");

	static const char *const loop[] = {
		"/l.conf", "label a\nkernel /k\ninclude l.conf\ninclude l.conf\n", NULL };
	T_EQ(parse_fs(l, "/", "/l.conf", loop), 0);
	T_OK(strstr(l->err, "/l.conf:3: INCLUDE /l.conf: nested more than 16 deep") == l->err);
	T_OK(reads <= 128);                               /* bounded however the includes multiply */
	T_EQ(l->n, reads + 1 < BOOT_MAX_ENTRIES ? (size_t)reads + 1 : BOOT_MAX_ENTRIES);

	/* without a reader (extlinux_parse): INCLUDE is an error, the labels around it stay */
	T_EQ(parse(l, "/", "label a\nkernel /k\ninclude x\n"), 0);
	T_STREQ(l->err, "extlinux.conf:3: INCLUDE /x: no file access here");
}

/* A global APPEND is the command line of every label without one; APPEND - is none (syslinux's
 * record(): "if (!a || (a[0] == '-' && !a[1])) a = \"\""). An APPEND after MENU END is global
 * again. */
static void test_append(struct boot_list *l)
{
	T_EQ(parse(l, "/", "APPEND root=/dev/sda1 quiet initrd=/g.img\n"
		"label inherit\nkernel /k\n"
		"label own\nkernel /k\nappend ro\n"
		"label none\nkernel /k\nappend -\n"
		"label initrd\nkernel /k\ninitrd /own.img\n"
		"menu begin sub\nappend console=ttyS0\nlabel insub\nkernel /k\nmenu end\n"), 0);
	T_EQ(l->n, 5);
	T_STREQ(l->e[0].options, "root=/dev/sda1 quiet");
	T_EQ(l->e[0].ninitrd, 1);
	T_STREQ(l->e[0].initrd[0], "/g.img");
	T_STREQ(l->e[1].options, "ro");
	T_EQ(l->e[1].ninitrd, 0);
	T_STREQ(l->e[2].options, "");
	T_EQ(l->e[2].ninitrd, 0);
	T_STREQ(l->e[3].options, "root=/dev/sda1 quiet initrd=/g.img");   /* as syslinux passes it on */
	T_EQ(l->e[3].ninitrd, 1);
	T_STREQ(l->e[3].initrd[0], "/own.img");           /* INITRD wins over initrd= */
	T_STREQ(l->e[4].options, "console=ttyS0");
	T_EQ(parse(l, "/", "append -\nlabel a\nkernel /k\n"), 0);
	T_STREQ(l->e[0].options, "");
}

/* Loader modules are not Linux kernels: refused by name, never loaded. */
static void test_modules(struct boot_list *l)
{
	T_EQ(parse(l, "/boot/syslinux", "default xen\n"
		"label xen\n  kernel mboot.c32 /xen.gz dom0_mem=1G --- /vmlinuz root=/dev/sda1 --- /initrd.img\n"
		"label menu\n  kernel vesamenu.c32\n"
		"label chain\n  COM32 chain.c32\n  append hd0 1\n"
		"label memtest\n  kernel /memtest86+.bin\n"
		"label dos\n  kernel /freedos.COM\n"
		"label bss\n  BSS /boot.bss\n"
		"label pxe\n  kernel pxelinux.0\n"
		"label linux\n  kernel /vmlinuz\n"), 0);
	T_EQ(l->n, 8);
	T_OK(l->e[0].problem && strstr(l->e[0].problem, "multiboot/COM32 module (mboot.c32"));
	T_STREQ(l->e[0].kernel, "/boot/syslinux/mboot.c32");
	T_OK(l->e[1].problem && strstr(l->e[1].problem, "COM32 module (.c32): not supported"));
	T_OK(l->e[2].problem && strstr(l->e[2].problem, "not supported"));
	T_OK(l->e[3].problem == NULL);                    /* .bin: U-Boot boards name kernels so */
	T_OK(l->e[4].problem && strstr(l->e[4].problem, "COMBOOT"));
	T_OK(l->e[5].problem != NULL);
	T_OK(l->e[6].problem && strstr(l->e[6].problem, "PXE"));
	T_OK(l->e[7].problem == NULL);
	size_t o[BOOT_MAX_ENTRIES];
	int matched;
	size_t n = boot_order(l, NULL, o, BOOT_MAX_ENTRIES, &matched);
	T_OK(n >= 1 && o[0] == 3);                        /* the default is refused: the next bootable one */
}

int main(void)
{
	struct boot_list *l = boot_list_new();

	/* What Debian's u-boot-update writes (separate /boot: paths from the partition root). */
	T_EQ(parse(l, "/extlinux",
		"## /boot/extlinux/extlinux.conf\n"
		"default l0\n"
		"menu title U-Boot menu\n"
		"prompt 0\n"
		"timeout 50\n"
		"\n"
		"label l0\n"
		"\tmenu label Debian GNU/Linux 12 (bookworm) 6.1.0-13-arm64\n"
		"\tlinux /vmlinuz-6.1.0-13-arm64\n"
		"\tinitrd /initrd.img-6.1.0-13-arm64\n"
		"\tfdtdir /dtb-6.1.0-13-arm64/\n"
		"\tappend root=/dev/mmcblk0p2 rootwait ro quiet\n"
		"\n"
		"label l0r\n"
		"\tmenu label Debian GNU/Linux 12 (bookworm) 6.1.0-13-arm64 (rescue target)\n"
		"\tlinux /vmlinuz-6.1.0-13-arm64\n"
		"\tinitrd /initrd.img-6.1.0-13-arm64\n"
		"\tappend root=/dev/mmcblk0p2 rootwait ro single\n"), 0);
	T_EQ(l->n, 2);
	T_EQ(l->def, 0);
	T_EQ(l->timeout, 5);
	T_STREQ(l->e[0].title, "Debian GNU/Linux 12 (bookworm) 6.1.0-13-arm64");
	T_STREQ(l->e[0].id, "l0");
	T_STREQ(l->e[0].kernel, "/vmlinuz-6.1.0-13-arm64");
	T_EQ(l->e[0].ninitrd, 1);
	T_STREQ(l->e[0].initrd[0], "/initrd.img-6.1.0-13-arm64");
	T_STREQ(l->e[0].options, "root=/dev/mmcblk0p2 rootwait ro quiet");
	T_STREQ(l->e[0].fdtdir, "/dtb-6.1.0-13-arm64/");
	T_STREQ(l->e[0].devicetree, "");
	T_STREQ(l->e[1].options, "root=/dev/mmcblk0p2 rootwait ro single");

	/* Keywords without case, MENU DEFAULT, relative paths, comma-separated initrds, FDT. */
	T_EQ(parse(l, "/boot/extlinux",
		"DEFAULT first\r\n"
		"LABEL first\r\n"
		"  KERNEL ../Image\r\n"
		"LABEL second\n"
		"  MENU DEFAULT\n"
		"  LINUX Image.gz\n"
		"  INITRD /boot/ucode.img,initramfs.img\n"
		"  FDT /boot/dtbs/imx8mp-evk.dtb\n"
		"  APPEND console=ttymxc1,115200  root=PARTLABEL=rootfs\n"
		"LABEL local\n"
		"  LOCALBOOT 0\n"), 0);
	T_EQ(l->n, 3);
	/* DEFAULT names a label: it wins over MENU DEFAULT (U-Boot's parse_label_menu takes MENU
	 * DEFAULT only while no DEFAULT is set; syslinux's menu lets a global DEFAULT label win). */
	T_EQ(l->def, 0);
	T_STREQ(l->def_name, "first");
	T_STREQ(l->e[0].kernel, "/boot/extlinux/../Image");
	T_STREQ(l->e[0].title, "first");
	T_STREQ(l->e[1].kernel, "/boot/extlinux/Image.gz");
	T_EQ(l->e[1].ninitrd, 2);
	T_STREQ(l->e[1].initrd[0], "/boot/ucode.img");
	T_STREQ(l->e[1].initrd[1], "/boot/extlinux/initramfs.img");
	T_STREQ(l->e[1].devicetree, "/boot/dtbs/imx8mp-evk.dtb");
	T_STREQ(l->e[1].options, "console=ttymxc1,115200 root=PARTLABEL=rootfs");
	T_OK(l->e[2].problem != NULL);

	/* No DEFAULT (or one naming no label): the first label. syslinux's initrd= in APPEND. */
	T_EQ(parse(l, "/", "default nosuch\nlabel a\nkernel /a\nappend initrd=/i1,/i2 quiet\n"), 0);
	T_EQ(l->def, 0);
	T_EQ(l->e[0].ninitrd, 2);
	T_STREQ(l->e[0].initrd[1], "/i2");
	T_STREQ(l->e[0].options, "quiet");
	T_EQ(parse(l, "/", "label nokernel\nappend x\n"), 0);
	T_OK(l->e[0].problem != NULL);
	T_EQ(parse(l, "/", "# nothing\n"), -ENOENT);
	T_EQ(l->def, -1);
	/* no DEFAULT: the first MENU DEFAULT of the top menu */
	T_EQ(parse(l, "/", "label a\nkernel /a\nlabel b\nkernel /b\nmenu default\nlabel c\nmenu default\nkernel /c\n"), 0);
	T_EQ(l->def, 1);
	T_STREQ(l->def_name, "b");

	/* FDTDIR beside FDT: both kept (U-Boot loads FDT when it is given); relative to the file. */
	T_EQ(parse(l, "/boot/extlinux", "label a\nkernel /Image\nfdtdir ../dtbs\nfdt /b.dtb\n"
		"label b\nkernel /Image\nFDTDIR /usr/lib/linux-image-6.1.0-13-arm64\n"), 0);
	T_STREQ(l->e[0].devicetree, "/b.dtb");
	T_STREQ(l->e[0].fdtdir, "/boot/extlinux/../dtbs");
	T_STREQ(l->e[1].devicetree, "");
	T_STREQ(l->e[1].fdtdir, "/usr/lib/linux-image-6.1.0-13-arm64");

	/* More labels than the list holds: counted, not overflowed. */
	boot_list_init(l);
	for (int i = 0; i < BOOT_MAX_ENTRIES + 3; i++)
		extlinux_parse(l, "/", "label x\nkernel /k\n", 18);
	T_EQ(l->n, BOOT_MAX_ENTRIES);
	T_EQ(l->dropped, 3);
	test_debian_isolinux(l);
	test_include(l);
	test_append(l);
	test_modules(l);
	free(l);
	return T_DONE();
}
