/* lib/core/kmod.c: names, alias patterns, modules.dep load order, and the installed kernel's files. */
#include <dirent.h>
#include <stdbool.h>
#include <errno.h>
#include <fnmatch.h>
#include <stdlib.h>
#include "t.h"
#include "../../lib/core/kmod.h"

static void test_names(void)
{
	char out[KMOD_NAME_MAX];

	T_EQ(kmod_name_from_path("kernel/drivers/md/dm-crypt.ko", out, sizeof(out)), 0);
	T_STREQ(out, "dm_crypt");
	T_EQ(kmod_name_from_path("/lib/modules/x/virtio_blk.ko.xz", out, sizeof(out)), 0);
	T_STREQ(out, "virtio_blk");
	T_EQ(kmod_name_from_path("a/nf-nat.ko.gz", out, sizeof(out)), 0);
	T_STREQ(out, "nf_nat");
	T_EQ(kmod_name_from_path("zstd-mod.ko.zst", out, sizeof(out)), 0);
	T_STREQ(out, "zstd_mod");
	T_EQ(kmod_name_from_path("dm-crypt", out, sizeof(out)), 0);    /* a bare name, as -M gives */
	T_STREQ(out, "dm_crypt");
	T_EQ(kmod_name_from_path("kernel/.ko", out, sizeof(out)), -EINVAL);
	T_EQ(kmod_name_from_path("dir/", out, sizeof(out)), -EINVAL);
	T_EQ(kmod_name_from_path("abcdef.ko", out, 6), -ENAMETOOLONG);
	T_EQ(kmod_name_from_path("abcde.ko", out, 6), 0);

	T_EQ(kmod_compression("a.ko"), KMOD_COMP_NONE);
	T_EQ(kmod_compression("a.ko.gz"), KMOD_COMP_GZ);
	T_EQ(kmod_compression("a.ko.xz"), KMOD_COMP_XZ);
	T_EQ(kmod_compression("a.ko.zst"), KMOD_COMP_ZST);

	T_EQ(kmod_normalize("char-major-10-236", out, sizeof(out)), 0);
	T_STREQ(out, "char_major_10_236");
	T_EQ(kmod_normalize("usb:v1234p[0-2]*d-", out, sizeof(out)), 0);   /* ranges keep their '-' */
	T_STREQ(out, "usb:v1234p[0-2]*d_");
	T_EQ(kmod_normalize("abc", out, 3), -ENAMETOOLONG);
	T_EQ(kmod_normalize("", out, 0), -ENAMETOOLONG);
}

/* Our matcher against the C library's fnmatch(3), on the shapes modules.alias uses. */
static void test_glob(void)
{
	static const char *const pats[] = {
		"*", "?", "a*", "*a", "a*b*c", "pci:v00008086d*sv*sd*bc*sc*i*", "virtio:d00000002v*",
		"usb:v0BDAp8153d[0-2]*dc*", "[!a]*", "[^a]x", "[]]", "[a-]", "a[", "a\\*b", "**", "",
		"fs_overlay", "x[0-9][0-9]y", "*[ab]", "[z-a]", "a\\", "[\\]]", "[\\!-\\]]*",
	};
	static const char *const strs[] = {
		"", "a", "b", "ab", "abc", "aXbYc", "acb", "pci:v00008086d00001234sv0sd0bc01sc02i03",
		"pci:v00008087d00001234sv0sd0bc01sc02i03", "virtio:d00000002v00001AF4",
		"usb:v0BDAp8153d0201dcFF", "usb:v0BDAp8153d0301dcFF", "]", "-", "a[", "a*b", "aXb",
		"fs_overlay", "x42y", "x4y", "zzb", "ba", "bx", "a\\", "\\", "]x", "\"",
	};

	for (size_t p = 0; p < sizeof(pats) / sizeof(pats[0]); p++)
		for (size_t s = 0; s < sizeof(strs) / sizeof(strs[0]); s++)
			T_CHECK(kmod_glob_match(pats[p], strs[s]) == !fnmatch(pats[p], strs[s], 0),
				"glob '%s' on '%s': ours %d", pats[p], strs[s],
				kmod_glob_match(pats[p], strs[s]));
	/* Many stars on a long miss: linear, not exponential. */
	T_OK(!kmod_glob_match("*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b",
			      "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"));
}

static const char dep_text[] =
	"kernel/a.ko: kernel/b.ko kernel/c.ko\n"
	"kernel/b.ko: kernel/c.ko\n"
	"# a comment\n"
	"kernel/c.ko:\n"
	"  kernel/dm-crypt.ko.xz:  kernel/dm-mod.ko.xz\r\n"
	"kernel/dm-mod.ko.xz:\n"
	"garbage line without colon\n"
	"kernel/loop1.ko: kernel/loop2.ko\n"
	"kernel/loop2.ko: kernel/loop1.ko\n"
	"kernel/broken.ko: kernel/absent.ko\n"
	"kernel/only.ko:";

static const char alias_text[] =
	"# Aliases extracted from modules themselves.\n"
	"alias fs-overlay c\n"
	"alias pci:v00001AF4d*sv*sd*bc*sc*i* a\n"
	"alias pci:v00001AF4d00001001* b\n"
	"alias pci:v*d*sv*sd*bc01sc*i* a\n"
	"alias devname:mapper/control dm_mod\n"
	"alias ghost:* not_in_dep\n"
	"alias too many words here\n"
	"softdep a pre: b\n";

static void test_index(void)
{
	struct kmod_index x = { 0 };
	size_t out[16];
	ssize_t n;

	T_EQ(kmod_parse_dep(&x, dep_text, sizeof(dep_text) - 1), 0);
	T_EQ(x.nmods, 9);
	T_EQ(kmod_find(&x, "a"), 0);
	T_EQ(kmod_find(&x, "dm-crypt"), 3);
	T_EQ(kmod_find(&x, "dm_mod"), 4);
	T_EQ(kmod_find(&x, "only"), 8);
	T_EQ(kmod_find(&x, "garbage"), -ENOENT);
	T_STREQ(x.mods[3].path, "kernel/dm-crypt.ko.xz");
	T_EQ(x.mods[3].ndeps, 1);

	n = kmod_load_order(&x, 0, out, 0, 16);    /* a needs b needs c */
	T_EQ(n, 3);
	T_EQ(out[0], 2);
	T_EQ(out[1], 1);
	T_EQ(out[2], 0);
	n = kmod_load_order(&x, 3, out, (size_t)n, 16);  /* appended; nothing repeated */
	T_EQ(n, 5);
	T_EQ(out[3], 4);
	T_EQ(out[4], 3);
	T_EQ(kmod_load_order(&x, 1, out, 5, 16), 5);     /* b is already there */
	T_EQ(kmod_load_order(&x, 0, out, 0, 2), -ENOSPC);
	T_EQ(kmod_load_order(&x, 5, out, 0, 16), -ELOOP);
	T_EQ(kmod_load_order(&x, 7, out, 0, 16), -ENOENT);
	T_EQ(kmod_load_order(&x, 99, out, 0, 16), -EINVAL);

	T_EQ(kmod_parse_alias(&x, alias_text, sizeof(alias_text) - 1), 0);
	T_EQ(x.naliases, 6);
	T_STREQ(x.aliases[0].raw, "fs-overlay");
	T_STREQ(x.aliases[0].pattern, "fs_overlay");
	T_EQ(kmod_alias_lookup(&x, "fs-overlay", out, 16), 1);
	T_EQ(out[0], 2);
	/* Two patterns name a: it comes once, in file order, before b. */
	T_EQ(kmod_alias_lookup(&x, "pci:v00001AF4d00001001sv00001AF4sd00000002bc01sc00i00", out, 16), 2);
	T_EQ(out[0], 0);
	T_EQ(out[1], 1);
	T_EQ(kmod_alias_lookup(&x, "pci:v00001AF4d00001001sv00001AF4sd00000002bc01sc00i00", out, 1), 1);
	T_EQ(kmod_alias_lookup(&x, "devname:mapper/control", out, 16), 1);
	T_EQ(out[0], 4);
	T_EQ(kmod_alias_lookup(&x, "ghost:x", out, 16), 0);   /* its module has no modules.dep line */
	T_EQ(kmod_alias_lookup(&x, "too", out, 16), 0);

	/* A name wins over an alias; an alias gives all its modules. */
	T_EQ(kmod_lookup(&x, "dm-mod", out, 16), 1);
	T_EQ(out[0], 4);
	T_EQ(kmod_lookup(&x, "pci:v00001AF4d00001001sv0sd0bc01sc00i00", out, 16), 2);
	T_EQ(kmod_lookup(&x, "dm-mod", out, 0), 0);
	T_EQ(kmod_lookup(&x, "nothing", out, 16), 0);

	/* Parsing again replaces; empty input is an empty index. */
	T_EQ(kmod_parse_dep(&x, "", 0), 0);
	T_EQ(x.nmods, 0);
	T_EQ(kmod_find(&x, "a"), -ENOENT);
	kmod_index_free(&x);
	kmod_index_free(&x);
}

static void test_builtin(void)
{
	static const char b[] = "kernel/fs/ext4/ext4.ko\nkernel/drivers/md/dm-mod.ko\n\nkernel/x.ko";

	T_OK(kmod_builtin_has(b, sizeof(b) - 1, "ext4"));
	T_OK(kmod_builtin_has(b, sizeof(b) - 1, "dm_mod"));
	T_OK(kmod_builtin_has(b, sizeof(b) - 1, "x"));          /* the last line has no '\n' */
	T_OK(!kmod_builtin_has(b, sizeof(b) - 1, "ext"));
	T_OK(!kmod_builtin_has(b, 10, "ext4"));                 /* stays inside len */
	T_OK(!kmod_builtin_has("", 0, "ext4"));
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "r");
	char *buf = NULL;

	*len = 0;
	if (!f)
		return NULL;
	buf = malloc(1 << 24);
	if (buf)
		*len = fread(buf, 1, 1 << 24, f);
	fclose(f);
	return buf;
}

/* Every module's load order puts each module after all its modules.dep dependencies. */
static int orders_are_topological(const struct kmod_index *x)
{
	size_t *out = calloc(x->nmods, sizeof(*out));
	int ok = out != NULL;

	for (size_t i = 0; i < x->nmods && ok; i++) {
		ssize_t n = kmod_load_order(x, i, out, 0, x->nmods);

		ok = n > 0 && out[n - 1] == i && (size_t)n == x->mods[i].ndeps + 1;
		for (ssize_t a = 0; a < n && ok; a++)
			for (size_t d = 0; d < x->mods[out[a]].ndeps; d++)
				for (ssize_t b = a; b < n; b++)
					ok &= out[b] != x->mods[out[a]].deps[d];
	}
	free(out);
	return ok;
}

/* The classes that never provide a disk, by the module's directory in the kernel's source. */
static void test_never_disk(void)
{
	T_OK(kmod_never_disk("kernel/drivers/gpu/drm/i915/i915.ko"));
	T_OK(kmod_never_disk("kernel/sound/pci/hda/snd-hda-intel.ko.xz"));
	T_OK(kmod_never_disk("kernel/drivers/input/evdev.ko"));
	T_OK(kmod_never_disk("kernel/drivers/hid/hid-generic.ko.zst"));
	T_OK(kmod_never_disk("kernel/drivers/media/usb/uvc/uvcvideo.ko"));
	T_OK(kmod_never_disk("kernel/drivers/hwmon/coretemp.ko"));
	T_OK(kmod_never_disk("kernel/net/bluetooth/bluetooth.ko"));
	T_OK(kmod_never_disk("drivers/input/serio/serio_raw.ko"));  /* no "kernel/" in front */
	T_OK(kmod_never_disk("updates/dkms/drivers/gpu/x.ko"));
	/* disks, the buses and controllers that lead to them, watchdogs, filesystems */
	T_OK(!kmod_never_disk("kernel/drivers/block/virtio_blk.ko"));
	T_OK(!kmod_never_disk("kernel/drivers/virtio/virtio_pci.ko"));
	T_OK(!kmod_never_disk("kernel/drivers/ata/ata_piix.ko"));
	T_OK(!kmod_never_disk("kernel/drivers/scsi/sd_mod.ko"));
	T_OK(!kmod_never_disk("kernel/drivers/usb/storage/usb-storage.ko"));
	T_OK(!kmod_never_disk("kernel/drivers/usb/host/xhci-pci.ko"));
	T_OK(!kmod_never_disk("kernel/drivers/mmc/host/sdhci.ko"));
	T_OK(!kmod_never_disk("kernel/drivers/md/dm-crypt.ko"));
	T_OK(!kmod_never_disk("kernel/drivers/watchdog/i6300esb.ko"));
	T_OK(!kmod_never_disk("kernel/fs/overlayfs/overlay.ko"));
	/* a directory name inside another word is not the class */
	T_OK(!kmod_never_disk("kernel/drivers/xsound/x.ko"));
	T_OK(!kmod_never_disk("kernel/mydrivers/input/x.ko"));
	T_OK(!kmod_never_disk("kernel/drivers/inputs/x.ko"));
	T_OK(!kmod_never_disk(""));
}

static void test_installed_kernel(void)
{
	DIR *d = opendir("/lib/modules");
	struct dirent *de;
	char path[512];
	struct kmod_index x = { 0 };
	size_t len, out[64];
	char *buf = NULL;
	ssize_t crypt;

	while (d && (de = readdir(d)) && de->d_name[0] == '.')
		;
	if (!d || !de) {
		printf("skipped: no kernel under /lib/modules\n");
		if (d)
			closedir(d);
		return;
	}
	snprintf(path, sizeof(path), "/lib/modules/%s/modules.dep", de->d_name);
	buf = slurp(path, &len);
	T_OK(buf && kmod_parse_dep(&x, buf, len) == 0);
	free(buf);
	snprintf(path, sizeof(path), "/lib/modules/%s/modules.alias", de->d_name);
	buf = slurp(path, &len);
	T_OK(buf && kmod_parse_alias(&x, buf, len) == 0);
	free(buf);
	closedir(d);
	T_OK(x.nmods > 100);
	T_OK(x.naliases > 100);
	crypt = kmod_find(&x, "dm-crypt");
	T_OK(crypt >= 0);
	/* the installed kernel: none of its disk drivers is held back, some of its modules are */
	size_t never = 0, disk_held = 0;
	for (size_t i = 0; i < x.nmods; i++) {
		const char *p = x.mods[i].path;
		bool never_i = kmod_never_disk(p);
		never += never_i;
		disk_held += never_i && (strstr(p, "/drivers/block/") || strstr(p, "/drivers/ata/") ||
					 strstr(p, "/drivers/scsi/") || strstr(p, "/drivers/nvme/") ||
					 strstr(p, "/drivers/md/") || strstr(p, "/drivers/mmc/"));
	}
	T_OK(never > 0);
	T_EQ(disk_held, 0);
	if (crypt >= 0) {
		ssize_t n = kmod_load_order(&x, (size_t)crypt, out, 0, 64);

		T_OK(n >= 2);
		T_OK(n >= 2 && !strcmp(x.mods[out[n - 2]].name, "dm_mod"));
	}
	T_OK(orders_are_topological(&x));
	T_EQ(kmod_alias_lookup(&x, "fs-overlay", out, 64), 1);
	T_STREQ(x.mods[out[0]].name, "overlay");
	T_EQ(kmod_alias_lookup(&x, "virtio:d00000002v00001AF4", out, 64), 1);
	T_STREQ(x.mods[out[0]].name, "virtio_blk");
	kmod_index_free(&x);
}

int main(void)
{
	test_names();
	test_glob();
	test_index();
	test_builtin();
	test_never_disk();
	test_installed_kernel();
	return T_DONE();
}
