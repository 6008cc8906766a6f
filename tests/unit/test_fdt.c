/* The device tree reader and the /chosen edit, against trees compiled by dtc and read back by dtc:
 * the result must be a tree dtc accepts, with the new /chosen and everything else as it was. */
#include "t.h"
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>
#include "../../lib/boot/fdt.h"

static char dir[] = "/tmp/ferry-test-fdt-XXXXXX";

static int have_dtc(void)
{
	return system("dtc --version >/dev/null 2>&1") == 0;
}

/* dts text -> blob (malloc'd), through dtc. */
static void *dtc_compile(const char *dts, size_t *len)
{
	char src[128], out[128], cmd[512];
	FILE *f;

	snprintf(src, sizeof(src), "%s/in.dts", dir);
	snprintf(out, sizeof(out), "%s/out.dtb", dir);
	f = fopen(src, "w");
	fputs(dts, f);
	fclose(f);
	snprintf(cmd, sizeof(cmd), "dtc -q -I dts -O dtb -o %s %s", out, src);
	if (system(cmd) != 0)
		return NULL;
	f = fopen(out, "rb");
	void *b = malloc(1 << 20);
	*len = fread(b, 1, 1 << 20, f);
	fclose(f);
	return b;
}

/* blob -> dts text as dtc prints it (static buffer), or NULL when dtc refuses the blob. */
static const char *dtc_decompile(const void *blob, size_t len)
{
	static char text[65536];
	char in[128], cmd[512];
	FILE *f;

	snprintf(in, sizeof(in), "%s/edited.dtb", dir);
	f = fopen(in, "wb");
	fwrite(blob, 1, len, f);
	fclose(f);
	snprintf(cmd, sizeof(cmd), "dtc -q -I dtb -O dts %s 2>/dev/null", in);
	f = popen(cmd, "r");
	size_t n = fread(text, 1, sizeof(text) - 1, f);
	text[n] = 0;
	return pclose(f) == 0 ? text : NULL;
}

static const char board[] =
	"/dts-v1/;\n/memreserve/ 0x48000000 0x10000;\n"
	"/ {\n model = \"ferry test board\";\n compatible = \"fsl,imx8mp-evk\", \"fsl,imx8mp\";\n"
	" #address-cells = <2>; #size-cells = <2>;\n"
	" memory@40000000 { device_type = \"memory\"; reg = <0x0 0x40000000 0x0 0x80000000>; };\n"
	" chosen {\n  bootargs = \"console=old\";\n  linux,initrd-start = <0x44000000>;\n"
	"  linux,initrd-end = <0x44800000>;\n  kaslr-seed = <0xdead 0xbeef>;\n  rng-seed = [01 02 03 04];\n"
	"  stdout-path = \"/soc/serial@9000000\";\n };\n"
	" soc { serial@9000000 { compatible = \"arm,pl011\"; reg = <0x0 0x9000000 0x0 0x1000>; }; };\n"
	"};\n";

static void test_read(const void *b, size_t len)
{
	size_t n;
	uint64_t v;

	T_OK(fdt_check(b, len) == NULL);
	T_EQ(fdt_node(b, "/"), 0);
	int ch = fdt_node(b, "/chosen");
	T_OK(ch > 0);
	T_STREQ(fdt_prop(b, ch, "bootargs", &n), "console=old");
	T_EQ(fdt_prop_u64(b, ch, "linux,initrd-start", &v), 0);
	T_EQ(v, 0x44000000);
	T_EQ(fdt_prop_u64(b, ch, "kaslr-seed", &v), 0);
	T_EQ(v, 0xdead0000beefULL);
	int ser = fdt_node(b, "/soc/serial");             /* the unit address may be left out */
	T_OK(ser > 0);
	T_EQ(fdt_node(b, "/soc/serial@9000000"), ser);
	T_EQ(fdt_node(b, "/soc/serial@1"), -ENOENT);
	T_EQ(fdt_node(b, "/serial"), -ENOENT);            /* not at the root */
	T_EQ(fdt_node(b, "/nope/chosen"), -ENOENT);
	T_STREQ(fdt_prop(b, ser, "compatible", &n), "arm,pl011");
	T_OK(fdt_prop(b, 0, "bootargs", &n) == NULL);     /* /chosen's, not the root's */
	T_STREQ(fdt_prop(b, 0, "model", &n), "ferry test board");
}

static void test_edit(const void *b, size_t len)
{
	unsigned char seed[32];
	struct fdt_chosen c = { .bootargs = "console=ttyAMA0 root=/dev/vda ro", .initrd = 1,
		.initrd_start = 0x148000000ULL, .initrd_end = 0x148123456ULL, .kaslr = 1,
		.kaslr_seed = 0x1122334455667788ULL, .rng_seed = seed, .rng_seed_len = sizeof(seed) };
	void *o;
	size_t olen, n;
	uint64_t v;

	for (size_t i = 0; i < sizeof(seed); i++)
		seed[i] = (unsigned char)(0xa0 + i);
	T_EQ(fdt_set_chosen(b, len, &c, &o, &olen), 0);
	T_OK(fdt_check(o, olen) == NULL);
	int ch = fdt_node(o, "/chosen");
	T_STREQ(fdt_prop(o, ch, "bootargs", &n), "console=ttyAMA0 root=/dev/vda ro");
	T_EQ(fdt_prop_u64(o, ch, "linux,initrd-start", &v), 0);
	T_EQ(v, 0x148000000ULL);
	T_EQ(fdt_prop_u64(o, ch, "linux,initrd-end", &v), 0);
	T_EQ(v, 0x148123456ULL);
	T_EQ(fdt_prop_u64(o, ch, "kaslr-seed", &v), 0);
	T_EQ(v, 0x1122334455667788ULL);
	const void *rng = fdt_prop(o, ch, "rng-seed", &n);
	T_EQ(n, sizeof(seed));
	T_OK(rng && !memcmp(rng, seed, sizeof(seed)));
	T_STREQ(fdt_prop(o, ch, "stdout-path", &n), "/soc/serial@9000000");
	const char *dts = dtc_decompile(o, olen);
	T_OK(dts != NULL);
	if (dts) {
		T_OK(strstr(dts, "bootargs = \"console=ttyAMA0 root=/dev/vda ro\";") != NULL);
		T_OK(strstr(dts, "linux,initrd-start = <0x01 0x48000000>;") != NULL);
		T_OK(strstr(dts, "kaslr-seed = <0x11223344 0x55667788>;") != NULL);
		T_OK(strstr(dts, "rng-seed = <0xa0a1a2a3 0xa4a5a6a7") != NULL);
		T_OK(strstr(dts, "console=old") == NULL);      /* the stale values are gone, */
		T_OK(strstr(dts, "0xdead") == NULL);
		T_OK(strstr(dts, "[01 02 03 04]") == NULL);
		T_OK(strstr(dts, "/memreserve/\t0x0000000048000000 0x0000000000010000;") != NULL);   /* the rest is kept */
		T_OK(strstr(dts, "reg = <0x00 0x40000000 0x00 0x80000000>;") != NULL);
		T_OK(strstr(dts, "compatible = \"arm,pl011\";") != NULL);
		T_OK(strstr(dts, "model = \"ferry test board\";") != NULL);
	}
	/* Editing the edited tree gives the same tree: no duplicates pile up. */
	void *o2;
	size_t o2len;
	T_EQ(fdt_set_chosen(o, olen, &c, &o2, &o2len), 0);
	T_EQ(o2len, olen);
	T_OK(o2 && !memcmp(o, o2, olen));
	free(o2);
	/* Nothing asked for: the stale properties are only removed. */
	struct fdt_chosen none = { 0 };
	T_EQ(fdt_set_chosen(b, len, &none, &o2, &o2len), 0);
	ch = fdt_node(o2, "/chosen");
	T_OK(ch > 0);
	T_OK(fdt_prop(o2, ch, "bootargs", &n) == NULL);
	T_OK(fdt_prop(o2, ch, "linux,initrd-start", &n) == NULL);
	T_OK(fdt_prop(o2, ch, "kaslr-seed", &n) == NULL);
	T_OK(fdt_prop(o2, ch, "rng-seed", &n) == NULL);
	T_OK(fdt_prop(o2, ch, "stdout-path", &n) != NULL);
	free(o2);
	free(o);
}

static void test_no_chosen(void)
{
	size_t len, olen, n;
	void *b = dtc_compile("/dts-v1/;\n/ { model = \"bare\"; cpus { cpu@0 { reg = <0>; }; }; };\n", &len), *o;
	struct fdt_chosen c = { .bootargs = "quiet" };

	T_OK(b != NULL);
	if (!b)
		return;
	T_EQ(fdt_node(b, "/chosen"), -ENOENT);
	T_EQ(fdt_set_chosen(b, len, &c, &o, &olen), 0);
	T_OK(fdt_check(o, olen) == NULL);
	T_STREQ(fdt_prop(o, fdt_node(o, "/chosen"), "bootargs", &n), "quiet");
	T_OK(fdt_node(o, "/cpus/cpu@0") > 0);
	const char *dts = dtc_decompile(o, olen);
	T_OK(dts && strstr(dts, "chosen {") && strstr(dts, "bootargs = \"quiet\";"));
	free(o);
	free(b);
}

/* Two /chosen nodes (chosen@80000000, then chosen): the first, which the kernel's lookup of
 * "/chosen" finds, gets the new properties; the second only loses its stale ones. (The fuzzer's
 * case: both used to get them, past the room reserved for one.) */
static void test_two_chosen(void)
{
	static const uint8_t seed[64] = { 1 };
	size_t len, olen, n;
	void *b = dtc_compile("/dts-v1/;\n/ { chosen@80000000 { bootargs = \"old1\"; kaslr-seed = <0 1>; };\n"
			      "chosen { bootargs = \"old2\"; rng-seed = [00 01]; }; };\n", &len), *o;
	static char args[1024];
	memset(args, 'a', sizeof(args) - 1);
	struct fdt_chosen c = { .bootargs = args, .initrd = 1, .initrd_start = 1, .initrd_end = 2, .kaslr = 1,
				.kaslr_seed = 3, .rng_seed = seed, .rng_seed_len = sizeof(seed) };

	T_OK(b != NULL);
	if (!b)
		return;
	T_EQ(fdt_set_chosen(b, len, &c, &o, &olen), 0);
	T_OK(fdt_check(o, olen) == NULL);
	T_STREQ(fdt_prop(o, fdt_node(o, "/chosen@80000000"), "bootargs", &n), args);
	int second = fdt_node(o, "/chosen");
	const char *dts = dtc_decompile(o, olen);
	T_OK(dts && strstr(dts, "chosen {\n\t};") != NULL);   /* the second one emptied */
	T_OK(second > 0);
	free(o);
	free(b);
}

/* Every cut, every flipped header word: refused by fdt_check, and the edit refuses it too. */
static void test_bad(const void *b, size_t len)
{
	unsigned char *m = malloc(len);
	struct fdt_chosen c = { .bootargs = "x" };
	void *o;
	size_t olen;
	int bad_ok = 1;

	T_OK(fdt_check(b, 39) != NULL);
	for (size_t cut = 0; cut < len; cut += 4)
		bad_ok &= fdt_check(b, cut) != NULL;
	T_OK(bad_ok);
	for (size_t w = 0; w < 10; w++) {
		memcpy(m, b, len);
		m[w * 4] ^= 0x80;                         /* each header field far out of range */
		if (w == 5 || w == 7)
			continue;                         /* a later version (compatible with 17), boot_cpuid_phys */
		T_OK(fdt_check(m, len) != NULL);
		T_EQ(fdt_set_chosen(m, len, &c, &o, &olen), -EINVAL);
	}
	memcpy(m, b, len);
	uint32_t st = (uint32_t)m[8] << 24 | m[9] << 16 | m[10] << 8 | m[11];
	m[st + 3] = 7;                                    /* the root's BEGIN_NODE becomes a bad token */
	T_STREQ(fdt_check(m, len), "a token runs past the structure or strings block");
	memcpy(m, b, len);
	m[st + 3] = 2;                                    /* END_NODE first */
	T_STREQ(fdt_check(m, len), "an END_NODE without its BEGIN_NODE");
	free(m);
}

static void test_dtb_names(void)
{
	char names[4][256];
	static const char compat[] = "fsl,imx8mp-evk\0fsl,imx8mp\0imx8mp\0../x\0";
	size_t n = fdt_dtb_names(compat, sizeof(compat) - 1, names, 4);

	T_EQ(n, 2);
	T_STREQ(names[0], "imx8mp-evk.dtb");
	T_STREQ(names[1], "imx8mp.dtb");                  /* "imx8mp" again is not repeated */
	T_EQ(fdt_dtb_names("a,b/c", 5, names, 4), 0);     /* no path out of FDTDIR */
}

int main(void)
{
	size_t len;
	void *b;

	test_dtb_names();
	if (!have_dtc() || !mkdtemp(dir)) {
		printf("%s: skipped: dtc (device-tree-compiler) is not installed\n", __FILE__);
		return T_DONE();
	}
	b = dtc_compile(board, &len);
	T_OK(b != NULL);
	if (b) {
		test_read(b, len);
		test_edit(b, len);
		test_bad(b, len);
		free(b);
	}
	test_no_chosen();
	test_two_chosen();
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	(void)!system(cmd);
	return T_DONE();
}
