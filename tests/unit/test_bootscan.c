/* Reading a mounted filesystem's configurations, on a temporary directory: which files are read in
 * which order, grub's blscfg taking the BLS entries, BLS paths under /boot, grubenv through the
 * read callback, and which configuration decides the default. */
#include "t.h"
#include <errno.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>
#include "../../lib/boot/bootcfg.h"

static char root[64];

static void put(const char *rel, const char *text)
{
	char p[256], *s;
	snprintf(p, sizeof(p), "%s%s", root, rel);
	for (s = p + strlen(root) + 1; (s = strchr(s, '/')); s++) {
		*s = 0;
		mkdir(p, 0755);
		*s = '/';
	}
	FILE *f = fopen(p, "w");
	fputs(text, f);
	fclose(f);
}

/* A minimal UKI: a PE file with .osrel, .uname and .linux sections (or only .text: not a UKI). */
static void put_pe(const char *rel, int uki)
{
	static unsigned char b[4096];
	static const char *const name[] = { ".osrel", ".uname", ".linux" };
	static const char *const data[] = { "PRETTY_NAME=\"Fedora Linux 40\"\n", "6.8.5-301.fc40.x86_64", "kernel" };
	char p[256];

	memset(b, 0, sizeof(b));
	b[0] = 'M', b[1] = 'Z', b[0x3c] = 0x40;
	memcpy(b + 0x40, "PE\0\0", 4);
	b[0x44] = 0x64, b[0x45] = 0x86, b[0x46] = uki ? 3 : 1;
	for (int i = 0; i < (uki ? 3 : 1); i++) {
		unsigned char *h = b + 0x58 + 40 * i;
		unsigned len = (unsigned)strlen(data[i]), at = 0x400 + 0x200 * (unsigned)i;
		memcpy(h, uki ? name[i] : ".text", uki ? strlen(name[i]) : 5);
		h[8] = (unsigned char)len, h[16] = 0, h[17] = 2, h[20] = (unsigned char)at, h[21] = (unsigned char)(at >> 8);
		memcpy(b + at, data[i], len);
	}
	put(rel, "");
	snprintf(p, sizeof(p), "%s%s", root, rel);
	FILE *f = fopen(p, "wb");
	fwrite(b, 1, sizeof(b), f);
	fclose(f);
}

static int scan(struct boot_list *l, struct bootscan *s)
{
	memset(s, 0, sizeof(*s));
	s->mnt = root;
	s->device = "/dev/vdz1";
	boot_list_init(l);
	return bootscan_dir(s, l);
}

int main(void)
{
	struct boot_list *l = boot_list_new();
	struct bootscan s;
	char cmd0[128];

	snprintf(root, sizeof(root), "/tmp/test_bootscan.XXXXXX");
	T_OK(mkdtemp(root) != NULL);
	T_EQ(scan(l, &s), 0);
	T_EQ(l->n, 0);

	/* BLS under /boot/loader/entries on a root filesystem: paths mean /boot/... */
	put("/boot/loader/entries/a-6.1.conf", "title A\nversion 6.1\nlinux /vmlinuz-6.1\ninitrd /initrd-6.1\noptions $kernelopts\n");
	put("/boot/loader/entries/a-6.2.conf", "title A\nversion 6.2\nlinux /vmlinuz-6.2\n");
	put("/boot/vmlinuz-6.1", "k");
	put("/boot/initrd-6.1", "i");
	put("/extlinux/extlinux.conf", "label x\nkernel /x\n");
	T_EQ(scan(l, &s), 2);
	T_EQ(l->n, 3);
	T_STREQ(l->e[0].id, "a-6.2");          /* newest first */
	T_STREQ(l->e[0].kernel, "/vmlinuz-6.2"); /* no /boot/vmlinuz-6.2 either: left as written */
	T_STREQ(l->e[1].kernel, "/boot/vmlinuz-6.1");
	T_STREQ(l->e[1].initrd[0], "/boot/initrd-6.1");
	T_STREQ(l->e[1].source, "/boot/loader/entries/a-6.1.conf");
	T_STREQ(l->e[1].device, "/dev/vdz1");
	T_EQ(l->e[2].fmt, BOOT_EXTLINUX);
	T_EQ(l->def, 0);                         /* the first configuration found decides */

	/* grub.cfg with blscfg and a saved_entry in grubenv: the BLS entries are grub's, once. */
	put("/boot/grub2/grub.cfg", "load_env -f ${config_directory}/grubenv\nset default=\"${saved_entry}\"\nblscfg\n"
		"menuentry 'Other' { search --no-floppy --file --set=root /boot/vmlinuz-6.1; linux /boot/vmlinuz-6.1 x=1 }\n");
	put("/boot/grub2/grubenv", "# GRUB Environment Block\nsaved_entry=a-6.1\nkernelopts=root=/dev/vda2 ro\n####\n");
	T_EQ(scan(l, &s), 2);                    /* grub.cfg and extlinux.conf */
	T_EQ(l->n, 4);
	T_EQ(l->def, 1);
	T_STREQ(l->e[1].id, "a-6.1");
	T_STREQ(l->e[1].options, "root=/dev/vda2 ro");
	T_STREQ(l->e[2].title, "Other");
	T_STREQ(l->e[2].root, "/dev/vdz1");     /* search --file found it here */
	T_STREQ(l->e[2].source, "/boot/grub2/grub.cfg");
	T_EQ(s.nfiles, 3);
	T_STREQ(s.files[0].path, "/boot/loader/entries");
	T_STREQ(s.files[1].path, "/boot/grub2/grub.cfg");

	/* BLS Type #2: UKIs in /EFI/Linux, beside Type #1 entries; a PE file that is no UKI is left out. */
	snprintf(cmd0, sizeof(cmd0), "rm -rf %s/boot/grub2", root);
	T_EQ(system(cmd0), 0);
	put_pe("/boot/EFI/Linux/fedora-6.8.5.efi", 1);
	put_pe("/boot/EFI/Linux/shellx64.efi", 0);
	T_EQ(scan(l, &s), 2);                    /* BLS (both kinds) and extlinux.conf */
	T_EQ(l->n, 4);
	T_EQ(l->e[2].uki, 1);
	T_STREQ(l->e[2].title, "Fedora Linux 40");
	T_STREQ(l->e[2].version, "6.8.5-301.fc40.x86_64");
	T_STREQ(l->e[2].kernel, "/boot/EFI/Linux/fedora-6.8.5.efi");
	T_STREQ(l->e[2].id, "fedora-6.8.5");
	T_STREQ(l->e[2].source, "/boot/EFI/Linux/fedora-6.8.5.efi");
	T_EQ(l->e[3].fmt, BOOT_EXTLINUX);

	/* RHEL 8 on EFI, /boot inside the root filesystem: the BLS entries name grubenv variables, and
	 * /boot/grub2/grubenv is a symlink to the ESP's copy, followed inside this filesystem only (a
	 * relative link, then an absolute one, which must not reach the host's /boot). */
	put("/boot/loader/entries/r-4.18.conf", "title RHEL\nversion 4.18\nlinux /vmlinuz-6.1\n"
		"initrd /initrd-6.1 $tuned_initrd\noptions $kernelopts $tuned_params\n");
	put("/boot/efi/EFI/redhat/grubenv", "# GRUB Environment Block\nkernelopts=root=/dev/mapper/rhel-root ro\n"
		"tuned_initrd=/tuned.img\ntuned_params=\n######\n");
	put("/boot/tuned.img", "t");
	char link[256];
	snprintf(link, sizeof(link), "%s/boot/grub2", root);
	T_EQ(mkdir(link, 0755), 0);
	snprintf(link, sizeof(link), "%s/boot/grub2/grubenv", root);
	T_EQ(symlink("../efi/EFI/redhat/grubenv", link), 0);
	for (int pass = 0; pass < 2; pass++) {
		T_EQ(scan(l, &s), 2);
		int r = boot_find(l, "r-4.18");
		T_OK(r >= 0);
		if (r < 0)
			break;
		T_STREQ(l->e[r].kernel, "/boot/vmlinuz-6.1");
		T_EQ(l->e[r].ninitrd, 2);
		T_STREQ(l->e[r].initrd[0], "/boot/initrd-6.1");
		T_STREQ(l->e[r].initrd[1], "/boot/tuned.img");
		T_STREQ(l->e[r].options, "root=/dev/mapper/rhel-root ro");
		T_OK(l->e[r].problem == NULL);
		T_STREQ(l->err, "");
		unlink(link);
		T_EQ(symlink("/boot/efi/EFI/redhat/grubenv", link), 0);
	}
	/* a grubenv without its signature: GRUB loads nothing from it, and the list says so */
	unlink(link);
	put("/boot/grub2/grubenv", "kernelopts=root=/dev/sda1\n");
	T_EQ(scan(l, &s), 2);
	int r = boot_find(l, "r-4.18");
	T_OK(r >= 0 && !strcmp(l->e[r].options, "") && l->e[r].ninitrd == 1);
	T_OK(strstr(l->err, "/boot/grub2/grubenv: not a GRUB environment block") == l->err);
	/* without a grub directory the entries are systemd-boot's: no variables */
	char rmcmd[256];
	snprintf(rmcmd, sizeof(rmcmd), "rm -rf %s/boot/grub2 %s/boot/efi", root, root);
	T_EQ(system(rmcmd), 0);
	T_EQ(scan(l, &s), 2);
	r = boot_find(l, "r-4.18");
	T_OK(r >= 0 && !strcmp(l->e[r].options, "$kernelopts $tuned_params"));

	/* grub.cfg: an entry whose kernel is an unset variable is named, not loaded from "" (GRUB drops
	 * the empty word, so "linux $kernel root=x" asks for a file named root=x: relative too) */
	put("/boot/grub/grub.cfg", "menuentry 'Unset' { linux $kernel root=x }\n"
		"menuentry 'Relative' { linux vmlinuz-$v }\nmenuentry 'Good' { linux /vmlinuz-6.1 }\n");
	T_EQ(scan(l, &s), 3);
	T_OK(l->e[0].problem && strstr(l->e[0].problem, "relative after expansion"));
	T_OK(l->e[1].problem && strstr(l->e[1].problem, "relative after expansion"));
	T_OK(l->e[2].problem == NULL);
	snprintf(cmd0, sizeof(cmd0), "rm -rf %s/boot/grub", root);
	T_EQ(system(cmd0), 0);

	/* extlinux.conf's INCLUDE reads the file from this filesystem */
	put("/extlinux/extlinux.conf", "default inc\ninclude /extlinux/more.conf\n");
	put("/extlinux/more.conf", "label inc\nkernel /vmlinuz-6.1\n");
	T_EQ(scan(l, &s), 2);
	T_EQ(l->e[l->n - 1].fmt, BOOT_EXTLINUX);
	T_STREQ(l->e[l->n - 1].id, "inc");
	T_STREQ(l->e[l->n - 1].source, "/extlinux/more.conf");
	T_EQ(l->e[l->n - 1].src_line, 1);

	/* A file ferry will not read whole. */
	char *buf;
	size_t len;
	T_EQ(bootscan_read(root, &buf, &len), -EISDIR);
	T_EQ(bootscan_read("/nonexistent/x", &buf, &len), -ENOENT);

	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf %s", root);
	T_EQ(system(cmd), 0);
	free(l);
	return T_DONE();
}
