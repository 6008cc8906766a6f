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
	T_EQ(l->def, 1);
	T_STREQ(l->def_name, "second");
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
	free(l);
	return T_DONE();
}
