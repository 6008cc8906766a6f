/* lib/core/modindex.c: modules.ferry gives the answers of modules.dep/modules.alias, for a small
 * sample and for every alias of the installed kernel (Debian's cloud kernel on the test machine);
 * a corrupt or truncated index is refused. */
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include "t.h"
#include "../../lib/core/kmod.h"
#include "../../lib/core/modindex.h"

static const char sample_dep[] =
	"kernel/fs/overlayfs/overlay.ko:\n"
	"kernel/drivers/md/dm-crypt.ko: kernel/drivers/md/dm-mod.ko kernel/lib/x.ko\n"
	"kernel/drivers/md/dm-mod.ko:\n"
	"kernel/lib/x.ko:\n"
	"kernel/drivers/block/virtio_blk.ko: kernel/drivers/virtio/virtio.ko\n"
	"kernel/drivers/virtio/virtio.ko:\n"
	"kernel/crypto/aes_generic.ko:\n"
	"kernel/arch/x86/crypto/aesni-intel.ko: kernel/lib/x.ko\n"
	"kernel/fs/lost.ko: kernel/not/there.ko\n";
static const char sample_alias[] =
	"# Aliases extracted from modules themselves.\n"
	"alias fs-overlay overlay\n"
	"alias crypto-aes aesni_intel\n"
	"alias crypto-aes aes_generic\n"
	"alias aes aes_generic\n"
	"alias virtio:d00000002v* virtio_blk\n"
	"alias virtio:d0000000?v* virtio\n"
	"alias pci:v00001AF4d*sv*sd*bc*sc*i* virtio\n"
	"alias *:x dm_mod\n"
	"alias dm-[a-c]rypt dm_crypt\n"
	"alias devname:mapper/control dm-mod\n"
	"alias fs-gone nosuchmodule\n"
	"alias fs-lost lost\n";

/* The names the text lookup gives and the index gives, side by side. */
static int same_answer(const struct kmod_index *t, const struct kmod_index *ix, const char *q)
{
	size_t a[64], b[64];
	size_t na = kmod_alias_lookup(t, q, a, 64), nb = kmod_alias_lookup(ix, q, b, 64);

	if (na != nb)
		return 0;
	for (size_t i = 0; i < na; i++)
		if (strcmp(t->mods[a[i]].name, kmod_name(ix, b[i])))
			return 0;
	return 1;
}

static int same_modules(const struct kmod_index *t, const struct kmod_index *ix)
{
	if (t->nmods != ix->nmods)
		return 0;
	for (size_t i = 0; i < t->nmods; i++) {
		size_t a[128], b[128];
		ssize_t j = kmod_find(ix, t->mods[i].name);
		ssize_t na, nb;

		if (j < 0 || strcmp(kmod_path(ix, j), t->mods[kmod_find(t, t->mods[i].name)].path))
			return 0;
		na = kmod_load_order(t, (size_t)kmod_find(t, t->mods[i].name), a, 0, 128);
		nb = kmod_load_order(ix, (size_t)j, b, 0, 128);
		if (na != nb)
			return 0;
		for (ssize_t k = 0; k < na; k++)
			if (strcmp(t->mods[a[k]].path, kmod_path(ix, b[k])))
				return 0;
	}
	return 1;
}

/* Text and index from the same buffers; the index in *blob (free it). */
static int build(const char *dep, size_t dlen, const char *alias, size_t alen, struct kmod_index *t,
		 struct kmod_index *ix, struct modindex *m, unsigned char **blob, size_t *blen)
{
	if (kmod_parse_dep(t, dep, dlen) || kmod_parse_alias(t, alias, alen))
		return -1;
	if (modindex_write(t, (uint32_t)dlen, blob, blen))
		return -2;
	if (modindex_open(m, *blob, *blen))
		return -3;
	return modindex_to_kmod(m, ix) ? -4 : 0;
}

static void test_sample(void)
{
	struct kmod_index t = { 0 }, ix = { 0 };
	struct modindex m;
	unsigned char *blob = NULL;
	size_t blen = 0, out[8];
	static const char *const q[] = { "fs-overlay", "crypto-aes", "aes", "virtio:d00000002v00001AF4",
		"virtio:d00000001v00001AF4", "pci:v00001AF4d00001001sv00001AF4sd00000002bc01sc00i00", "a:x", ":x",
		"dm-crypt", "dm_crypt", "dm-brypt", "dm-drypt", "devname:mapper/control", "fs-gone", "fs-lost",
		"", "*", "nothing", "virtio:d0000000" };

	T_EQ(build(sample_dep, sizeof(sample_dep) - 1, sample_alias, sizeof(sample_alias) - 1, &t, &ix, &m,
		   &blob, &blen), 0);
	T_EQ(m.nmods, 9);
	T_EQ(m.dep_size, sizeof(sample_dep) - 1);
	T_EQ(m.nexact + m.nwild, 11);   /* fs-gone's module has no modules.dep line */
	for (size_t i = 0; i < sizeof(q) / sizeof(*q); i++)
		T_CHECK(same_answer(&t, &ix, q[i]), "same answer for \"%s\"", q[i]);
	T_OK(same_modules(&t, &ix));
	T_EQ(kmod_alias_lookup(&ix, "crypto-aes", out, 8), 2);
	T_STREQ(kmod_name(&ix, out[0]), "aesni_intel");
	T_STREQ(kmod_name(&ix, out[1]), "aes_generic");
	T_EQ(kmod_alias_lookup(&ix, "crypto-aes", out, 1), 1);
	T_EQ(kmod_alias_lookup(&ix, "virtio:d00000002v00001AF4", out, 8), 2);
	T_STREQ(kmod_name(&ix, out[0]), "virtio_blk");
	T_STREQ(kmod_name(&ix, out[1]), "virtio");
	T_EQ(kmod_load_order(&ix, (size_t)kmod_find(&ix, "lost"), out, 0, 8), -ENOENT);

	/* corrupt: every truncation, every single byte of the header changed, and junk */
	int refused = 1;
	for (size_t n = 0; n < blen; n++)
		refused &= modindex_open(&m, blob, n) == -EBADMSG;
	T_OK(refused);
	refused = 1;
	for (size_t i = 0; i < 64; i++) {
		unsigned char *c = malloc(blen);
		memcpy(c, blob, blen);
		c[i] ^= 0x80;
		/* 16..19: the size of modules.dep, checked against the file by the caller; 60..63: spare */
		int ok = (i >= 16 && i < 20) || i >= 60 || modindex_open(&m, c, blen) == -EBADMSG;
		if (!ok)
			fprintf(stderr, "header byte %zu changed: accepted\n", i);
		refused &= ok;
		free(c);
	}
	T_OK(refused);
	/* a module number out of range in the dependency pool, and a string without its NUL */
	unsigned char *c = malloc(blen);
	memcpy(c, blob, blen);
	uint32_t deps_off = c[48] | c[49] << 8 | c[50] << 16 | (uint32_t)c[51] << 24;
	c[deps_off] = 0xff;
	T_EQ(modindex_open(&m, c, blen), -EBADMSG);
	memcpy(c, blob, blen);
	c[blen - 1] = 'x';
	T_EQ(modindex_open(&m, c, blen), -EBADMSG);
	/* the order of the exact aliases broken: refused (binary search needs it) */
	memcpy(c, blob, blen);
	uint32_t exact_off = c[32] | c[33] << 8 | c[34] << 16 | (uint32_t)c[35] << 24;
	unsigned char rec[12];
	memcpy(rec, c + exact_off, 12);
	memcpy(c + exact_off, c + exact_off + 12, 12);
	memcpy(c + exact_off + 12, rec, 12);
	T_EQ(modindex_open(&m, c, blen), -EBADMSG);
	free(c);
	T_EQ(modindex_open(&m, "FERRYMI1", 8), -EBADMSG);

	kmod_index_free(&t);
	kmod_index_free(&ix);
	free(blob);
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	long n;

	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0 &&
	    (buf = malloc((size_t)n + 1)) && fread(buf, 1, (size_t)n, f) == (size_t)n) {
		*len = (size_t)n;
		fclose(f);
		return buf;
	}
	free(buf);
	fclose(f);
	return NULL;
}

/* Every alias of the installed kernel, asked as written, with its wildcards emptied and with them
 * filled: the index answers as the text files do. */
static void test_installed_kernel(void)
{
	DIR *d = opendir("/lib/modules");
	struct dirent *de = NULL;
	char path[512], q[4096];
	struct kmod_index t = { 0 }, ix = { 0 };
	struct modindex m;
	unsigned char *blob = NULL;
	size_t dlen = 0, alen = 0, blen = 0, asked = 0, differ = 0;
	char *dep = NULL, *alias = NULL;

	while (d && (de = readdir(d)) && de->d_name[0] == '.')
		;
	if (de) {
		snprintf(path, sizeof(path), "/lib/modules/%s/modules.dep", de->d_name);
		dep = slurp(path, &dlen);
		snprintf(path, sizeof(path), "/lib/modules/%s/modules.alias", de->d_name);
		alias = slurp(path, &alen);
	}
	if (!dep || !alias) {
		printf("skipped: no kernel with modules.dep and modules.alias under /lib/modules\n");
		goto out;
	}
	T_EQ(build(dep, dlen, alias, alen, &t, &ix, &m, &blob, &blen), 0);
	T_OK(t.nmods > 100 && t.naliases > 100);
	T_OK(same_modules(&t, &ix));
	for (size_t i = 0; i < t.naliases; i++) {
		const char *p = t.aliases[i].raw;
		for (int form = 0; form < 3; form++) {
			size_t n = 0;
			for (const char *s = p; *s && n + 3 < sizeof(q); s++) {
				if (form && (*s == '*' || *s == '?')) {
					if (form == 2)
						q[n++] = '7', q[n++] = 'z';
					continue;
				}
				q[n++] = *s;
			}
			q[n] = '\0';
			asked++;
			if (!same_answer(&t, &ix, q) && differ++ < 5)
				fprintf(stderr, "differs: %s\n", q);
		}
	}
	T_EQ(differ, 0);
	printf("%s: %zu modules, %zu aliases, %zu lookups the same from modules.ferry (%zu bytes; "
	       "modules.dep %zu, modules.alias %zu)\n", de->d_name, t.nmods, t.naliases, asked, blen, dlen, alen);
out:
	kmod_index_free(&t);
	kmod_index_free(&ix);
	free(blob);
	free(dep);
	free(alias);
	if (d)
		closedir(d);
}

int main(void)
{
	test_sample();
	test_installed_kernel();
	return T_DONE();
}
