/* An entry from its files to what the syscall would get, on the host (dry_run: no syscall): each
 * kernel format unwrapped or refused, the initrds concatenated after a UKI's own, the command line,
 * the choice of syscall, and for kexec_load the device tree chosen (the entry's, FDTDIR by the
 * board's compatible, the UKI's .dtb, the running one) with /chosen written for the layout. */
#include "t.h"
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>
#include "../../lib/boot/fdt.h"
#include "../../lib/boot/kload.h"

static char dir[] = "/tmp/ferry-test-kload-XXXXXX";
static char path[16][256];

static const char *at(int i, const char *name)
{
	snprintf(path[i], sizeof(path[i]), "%s/%s", dir, name);
	return path[i];
}

static void put(const char *p, const void *data, size_t len)
{
	FILE *f = fopen(p, "wb");
	fwrite(data, 1, len, f);
	fclose(f);
}

static size_t gz(uint8_t *out, size_t cap, const uint8_t *in, size_t n)
{
	z_stream z = { 0 };
	deflateInit2(&z, 6, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY);
	z.next_in = (uint8_t *)in, z.avail_in = (unsigned)n, z.next_out = out, z.avail_out = (unsigned)cap;
	deflate(&z, Z_FINISH);
	size_t len = cap - z.avail_out;
	deflateEnd(&z);
	return len;
}

static void le32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static int dtc(const char *model, const char *out)
{
	char cmd[512];
	snprintf(cmd, sizeof(cmd), "echo '/dts-v1/; / { model = \"%s\"; #address-cells = <2>; #size-cells = <2>; "
		 "chosen { bootargs = \"stale\"; }; };' | dtc -q -I dts -O dtb -o %s -", model, out);
	return system(cmd);
}

static uint8_t image[256 * 1024], buf[512 * 1024];
static const char virt_iomem[] = "40000000-bfffffff : System RAM\n  40000000-400fffff : reserved\n";

static struct kload_req req(const char *kernel)
{
	static const char *initrds[2];
	initrds[0] = path[1], initrds[1] = path[2];
	struct kload_req r = { .kernel = kernel, .initrd = initrds, .ninitrd = 2, .cmdline = "console=ttyAMA0",
		.running_fdt = path[3], .iomem = path[4], .arch = KARCH_AARCH64, .dry_run = 1 };
	return r;
}

static const char *tree_model(const struct kload_res *res, uint64_t *start, uint64_t *end, const char **args)
{
	size_t n;
	int ch = fdt_node(res->tree, "/chosen");
	*args = fdt_prop(res->tree, ch, "bootargs", &n);
	T_EQ(fdt_prop_u64(res->tree, ch, "linux,initrd-start", start), 0);
	T_EQ(fdt_prop_u64(res->tree, ch, "linux,initrd-end", end), 0);
	T_OK(fdt_prop(res->tree, ch, "rng-seed", &n) != NULL && n == 64);
	return fdt_prop(res->tree, 0, "model", &n);
}

static void test_formats(void)
{
	struct kload_res res = { .file_load = 1 };
	struct kload_req r = req(path[0]);
	const char *step, *args;
	uint64_t s, e;
	int err;

	/* A raw Image, kexec_file_load present, no tree of its own: the file as it is. */
	step = kload(&r, &res, &err);
	T_OK(step == NULL);
	T_EQ(res.fmt, KIMG_ARM64);
	T_EQ(res.path, KEXEC_PATH_FILE);
	T_EQ(res.initrd_len, 12);                     /* 5 padded to 8, then 3 padded to 4 */
	T_STREQ(res.cmdline, "console=ttyAMA0");
	T_EQ(res.inflate_us, 0);

	/* Image.gz on a kernel without kexec_file_load: inflated, kexec_load with the running tree. */
	size_t zn = gz(buf, sizeof(buf), image, sizeof(image));
	put(at(5, "Image.gz"), buf, zn);
	r = req(path[5]);
	res.file_load = 0;
	step = kload(&r, &res, &err);
	T_OK(step == NULL);
	T_EQ(res.fmt, KIMG_GZIP);
	T_EQ(res.inner, KIMG_ARM64);
	T_EQ(res.inflated_len, sizeof(image));
	T_EQ(res.path, KEXEC_PATH_SEGMENTS);
	T_STREQ(res.dtb, path[3]);
	T_OK(res.tree != NULL);
	if (res.tree) {
		T_STREQ(tree_model(&res, &s, &e, &args), "running");
		T_STREQ(args, "console=ttyAMA0");
		T_EQ(s, res.lay.initrd);
		T_EQ(e, res.lay.initrd + 12);
		T_EQ(res.lay.kernel, 0x40200000);        /* above the reserved first MiB, 2 MiB aligned */
		free(res.tree);
	}

	/* EFI zboot around the same gzip, with the entry's own tree: kexec_load even with file_load. */
	memset(buf + zn, 0, 0x200);
	memmove(buf + 0x200, buf, zn);
	memset(buf, 0, 0x200);
	memcpy(buf, "MZ\0\0zimg", 8);
	le32(buf + 8, 0x200);
	le32(buf + 12, (uint32_t)zn);
	memcpy(buf + 24, "gzip", 5);
	put(at(6, "vmlinuz.efi"), buf, zn + 0x200);
	r = req(path[6]);
	r.devicetree = path[7];
	res.file_load = 1;
	step = kload(&r, &res, &err);
	T_OK(step == NULL);
	T_EQ(res.fmt, KIMG_ZBOOT);
	T_EQ(res.path, KEXEC_PATH_SEGMENTS);
	T_OK(strstr(res.why, "device tree") != NULL);
	if (res.tree) {
		T_STREQ(tree_model(&res, &s, &e, &args), "entry");
		free(res.tree);
	}
	/* ... and a refusal: never kexec_load after a signature refusal. */
	r.refused = 1;
	T_OK(kload(&r, &res, &err) != NULL);
	T_EQ(err, -EKEYREJECTED);

	/* zstd payload: the named refusal. */
	memcpy(buf + 24, "zstd", 5);
	put(path[6], buf, zn + 0x200);
	r = req(path[6]);
	T_STREQ(kload(&r, &res, &err), "EFI zboot with a zstd payload: not supported");
	T_EQ(err, -ENOEXEC);
	/* A corrupt Image.gz. */
	buf[0x200 + zn / 2] ^= 0xff;
	buf[0x200 + zn / 2 + 1] ^= 0xff;
	put(path[5], buf + 0x200, zn);
	r = req(path[5]);
	T_STREQ(kload(&r, &res, &err), "inflating the gzip kernel");
	T_EQ(err, -EILSEQ);
	/* A file ferry does not recognise: kexec_file_load is left to judge it, ferry's loader is not. */
	put(at(12, "unknown"), "not a kernel at all, only some text that is long enough for the headers....", 76);
	r = req(path[12]);
	res.file_load = 1;
	T_OK(kload(&r, &res, &err) == NULL);
	T_EQ(res.path, KEXEC_PATH_FILE);
	res.file_load = 0;
	T_OK(kload(&r, &res, &err) != NULL);
	T_EQ(err, -ENOEXEC);
	T_EQ(res.refusal, 1);
	/* An arm64 Image on x86_64. */
	r = req(path[0]);
	r.arch = KARCH_X86_64;
	T_STREQ(kload(&r, &res, &err), "an arm64 Image: this is not an arm64 machine");
}

/* A UKI: .linux (an Image.gz), .initrd before the entry's, .cmdline when the entry has none, .osrel
 * for the title, .dtb as the tree. */
/* The measurement hook: the kernel file as read (a gzip kernel before inflation, a UKI whole), each
 * entry initrd's own bytes (not the UKI's .initrd, not the padding), the command line the kernel
 * gets; a step it returns stops the load with its error. */
static struct { int calls; size_t klen, n; char kfirst[2], initrd[2][8], cmdline[64]; } seen;
static const char *fake_measure(void *arg, const struct kload_files *f, int *err)
{
	seen.calls++;
	seen.klen = f->kernel.len;
	memcpy(seen.kfirst, f->kernel.p, 2);
	seen.n = f->ninitrd;
	for (size_t i = 0; i < f->ninitrd && i < 2; i++)
		snprintf(seen.initrd[i], sizeof(seen.initrd[i]), "%.*s", (int)f->initrd[i].len, (const char *)f->initrd[i].p);
	snprintf(seen.cmdline, sizeof(seen.cmdline), "%s", f->cmdline);
	if (arg)
		return *err = -ETIMEDOUT, (const char *)arg;
	return NULL;
}

static void test_uki(void)
{
	static uint8_t u[1 << 20];
	static const char osrel[] = "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\n";
	uint8_t dtb[4096];
	FILE *f = fopen(path[7], "rb");
	size_t dn = fread(dtb, 1, sizeof(dtb), f), zn = gz(buf, sizeof(buf), image, sizeof(image));
	fclose(f);
	struct { const char *name; const void *p; size_t n; } s[] = { { ".osrel", osrel, sizeof(osrel) - 1 },
		{ ".cmdline", "root=/dev/uki ro\n", 17 }, { ".linux", buf, zn }, { ".initrd", "UKIINITRD", 9 },
		{ ".dtb", dtb, dn } };
	uint32_t off = 0x400;

	memset(u, 0, sizeof(u));
	u[0] = 'M', u[1] = 'Z', u[0x3c] = 0x40;
	memcpy(u + 0x40, "PE\0\0", 4);
	u[0x44] = 0x64, u[0x45] = 0xaa, u[0x46] = 5;
	for (int i = 0; i < 5; i++) {
		uint8_t *h = u + 0x58 + 40 * i;
		uint32_t raw = ((uint32_t)s[i].n + 511) & ~511u;
		memcpy(h, s[i].name, strlen(s[i].name));
		le32(h + 8, (uint32_t)s[i].n), le32(h + 16, raw), le32(h + 20, off);
		memcpy(u + off, s[i].p, s[i].n);
		off += raw;
	}
	put(at(8, "debian.efi"), u, off);
	struct kload_req r = req(path[8]);
	struct kload_res res = { .file_load = 1 };
	const char *args;
	uint64_t st, en;
	int err;

	r.cmdline = "";
	r.ninitrd = 1;
	T_OK(kload(&r, &res, &err) == NULL);
	T_EQ(res.fmt, KIMG_UKI);
	T_EQ(res.inner, KIMG_ARM64);
	T_EQ(res.inflated_len, sizeof(image));        /* its .linux was an Image.gz */
	T_STREQ(res.title, "Debian GNU/Linux 12 (bookworm)");
	T_STREQ(res.cmdline, "root=/dev/uki ro");
	T_EQ(res.initrd_len, 20);                     /* 9 -> 12, then the entry's 5 -> 8 */
	T_EQ(res.path, KEXEC_PATH_SEGMENTS);          /* its .dtb is a tree of its own */
	T_STREQ(res.dtb, "(the UKI's .dtb)");
	if (res.tree) {
		T_STREQ(tree_model(&res, &st, &en, &args), "entry");
		T_STREQ(args, "root=/dev/uki ro");
		free(res.tree);
	}
	r.cmdline = "quiet";                          /* the entry's options win */
	T_OK(kload(&r, &res, &err) == NULL);
	T_STREQ(res.cmdline, "quiet");
	free(res.tree);
	{
		struct stat sb;
		/* measured: a UKI: the file whole, its .cmdline the one measured, only the entry's initrd listed */
		r = req(path[8]);
		r.measure = fake_measure;
		r.cmdline = "";
		r.ninitrd = 1;
		memset(&seen, 0, sizeof(seen));
		kload(&r, &res, &err);
		free(res.tree);
		T_OK(stat(path[8], &sb) == 0 && seen.klen == (size_t)sb.st_size);
		T_OK(seen.kfirst[0] == 'M' && seen.kfirst[1] == 'Z');
		T_EQ(seen.n, 1);
		T_STREQ(seen.initrd[0], "AAAAA");
		T_STREQ(seen.cmdline, "root=/dev/uki ro");
	}
	u[0x44] = 0x64, u[0x45] = 0x86;               /* an x86_64 UKI on arm64 */
	put(path[8], u, off);
	T_STREQ(kload(&r, &res, &err), "a unified kernel image for another architecture");
}

static void test_measure(void)
{
	struct kload_res res = { .file_load = 1 };
	size_t zn = gz(buf, sizeof(buf), image, sizeof(image));
	put(at(13, "measure.gz"), buf, zn);
	struct kload_req r = req(path[13]);
	struct stat st;
	int err;

	r.measure = fake_measure;
	memset(&seen, 0, sizeof(seen));
	T_OK(kload(&r, &res, &err) == NULL);
	free(res.tree);
	T_EQ(seen.calls, 1);
	T_OK(stat(path[13], &st) == 0 && seen.klen == (size_t)st.st_size);
	T_OK(seen.kfirst[0] == 0x1f && (unsigned char)seen.kfirst[1] == 0x8b);   /* gzip, not inflated */
	T_EQ(seen.n, 2);
	T_STREQ(seen.initrd[0], "AAAAA");
	T_STREQ(seen.initrd[1], "BBB");
	T_STREQ(seen.cmdline, "console=ttyAMA0");

	/* the measurement refuses: no load */
	r = req(path[0]);
	r.measure = fake_measure;
	r.measure_arg = "measuring (TPM: no answer within 2 s)";
	res.tree = NULL;
	T_STREQ(kload(&r, &res, &err), "measuring (TPM: no answer within 2 s)");
	T_EQ(err, -ETIMEDOUT);
	T_OK(res.tree == NULL);
}

static void test_fdtdir(void)
{
	char out[512], cmd[600];
	struct kload_res res = { .file_load = 0 };
	struct kload_req r = req(path[0]);
	int err;

	snprintf(cmd, sizeof(cmd), "mkdir -p %s/dtbs/freescale && cp %s %s/dtbs/freescale/imx8mp-evk.dtb", dir, path[7],
		 dir);
	T_EQ(system(cmd), 0);
	put(at(9, "compatible"), "fsl,imx8mp-evk\0fsl,imx8mp\0", 26);
	T_EQ(kload_fdtdir(at(10, "dtbs"), NULL, path[9], out, sizeof(out)), 0);
	snprintf(cmd, sizeof(cmd), "%s/dtbs/freescale/imx8mp-evk.dtb", dir);
	T_STREQ(out, cmd);
	T_EQ(kload_fdtdir(path[10], "freescale/imx8mp-evk.dtb", "/nonexistent", out, sizeof(out)), 0);
	T_EQ(kload_fdtdir(path[10], "nope.dtb", path[9], out, sizeof(out)), -ENOENT);
	put(at(11, "compat2"), "fsl,other\0", 10);
	T_EQ(kload_fdtdir(path[10], NULL, path[11], out, sizeof(out)), -ENOENT);
	r.fdtdir = path[10];
	r.compatible = path[9];
	T_OK(kload(&r, &res, &err) == NULL);
	T_STREQ(res.dtb, cmd);
	free(res.tree);
	r.compatible = path[11];
	T_OK(kload(&r, &res, &err) != NULL);
	T_EQ(err, -ENOENT);
	/* ferry.fdtfile= names the tree where the board's compatible finds none */
	r.fdtfile = "freescale/imx8mp-evk.dtb";
	T_OK(kload(&r, &res, &err) == NULL);
	T_STREQ(res.dtb, cmd);
	free(res.tree);
	r.fdtfile = "freescale/imx8mq-evk.dtb";          /* and only that tree: no fallback */
	r.compatible = path[9];
	T_STREQ(kload(&r, &res, &err), "finding the board's device tree in FDTDIR (by fdtfile or the board's compatible)");
	T_EQ(err, -ENOENT);
}

int main(void)
{
	if (system("dtc --version >/dev/null 2>&1") != 0 || !mkdtemp(dir)) {
		printf("%s: skipped: dtc (device-tree-compiler) is not installed\n", __FILE__);
		return 0;
	}
	memset(image, 0x5a, sizeof(image));
	memset(image, 0, 64);
	image[0] = 'M', image[1] = 'Z';
	le32(image + 16, 0x30000);                    /* image_size: bigger than the file (BSS) */
	le32(image + 24, 0xa);
	memcpy(image + 56, "ARM\x64", 4);
	put(at(0, "Image"), image, sizeof(image));
	put(at(1, "initrd-a"), "AAAAA", 5);
	put(at(2, "initrd-b"), "BBB", 3);
	T_EQ(dtc("running", at(3, "fdt")), 0);
	put(at(4, "iomem"), virt_iomem, sizeof(virt_iomem) - 1);
	T_EQ(dtc("entry", at(7, "board.dtb")), 0);
	test_formats();
	test_uki();
	test_measure();
	test_fdtdir();
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	T_EQ(system(cmd), 0);
	return T_DONE();
}
