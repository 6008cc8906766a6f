/* Kernel formats by their headers: arm64 Image (also when it carries the EFI stub's "MZ"), gzip,
 * EFI zboot (gzip and zstd payloads), unified kernel images and their sections, x86 bzImage, ARM
 * zImage; the named refusals per architecture; os-release's PRETTY_NAME. */
#include "t.h"
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include "../../lib/boot/pe.h"

static void le32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static void le16(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v, p[1] = (uint8_t)(v >> 8);
}

/* An arm64 Image header as Linux writes it, with the EFI stub's "MZ" and a PE header at 0x40. */
static void arm64_image(uint8_t *b, size_t len)
{
	memset(b, 0, len);
	b[0] = 'M', b[1] = 'Z';
	le32(b + 8, 0);                 /* text_offset */
	le32(b + 16, 0x2210000);        /* image_size */
	le32(b + 24, 0xa);              /* LE, 4K pages, anywhere */
	memcpy(b + 56, "ARM\x64", 4);
	le32(b + 60, 0x40);
	memcpy(b + 0x40, "PE\0\0", 4);
	le16(b + 0x44, 0xaa64);
}

struct sect {
	const char *name;
	const void *data;
	uint32_t len;
};

/* A PE file with these sections (raw sizes rounded to 512, as a linker's file alignment). */
static size_t pe_build(uint8_t *b, size_t cap, uint16_t machine, const struct sect *s, int n)
{
	uint32_t tab = 0x40 + 24, at = 0x400;

	memset(b, 0, cap);
	b[0] = 'M', b[1] = 'Z';
	le32(b + 0x3c, 0x40);
	memcpy(b + 0x40, "PE\0\0", 4);
	le16(b + 0x44, machine);
	le16(b + 0x46, (uint32_t)n);
	le16(b + 0x54, 0);              /* no optional header: the table follows the COFF header */
	for (int i = 0; i < n; i++) {
		uint8_t *h = b + tab + 40 * i;
		uint32_t raw = (s[i].len + 511) & ~511u;
		memcpy(h, s[i].name, strlen(s[i].name));
		le32(h + 8, s[i].len);
		le32(h + 16, raw);
		le32(h + 20, at);
		memcpy(b + at, s[i].data, s[i].len);
		at += raw;
	}
	return at;
}

static void test_arm64(void)
{
	uint8_t b[512];
	struct kimg k;

	arm64_image(b, sizeof(b));
	T_EQ(kimg_detect(b, sizeof(b), &k), 0);
	T_EQ(k.fmt, KIMG_ARM64);                     /* not a PE program: the Image header wins */
	T_EQ(k.image_size, 0x2210000);
	T_EQ(k.text_offset, 0);
	T_OK(k.flags & KIMG_ARM64_ANYWHERE);
	T_OK(kimg_refusal(&k, KARCH_AARCH64) == NULL);
	T_STREQ(kimg_refusal(&k, KARCH_X86_64), "an arm64 Image: this is not an arm64 machine");
	b[24] |= 1;                                  /* big-endian */
	T_EQ(kimg_detect(b, sizeof(b), &k), 0);
	T_STREQ(kimg_refusal(&k, KARCH_AARCH64), "a big-endian arm64 Image: not supported");
	memset(b + 16, 0, 8);
	b[24] = 0;
	T_EQ(kimg_detect(b, sizeof(b), &k), 0);
	T_OK(kimg_refusal(&k, KARCH_AARCH64) != NULL);  /* no image_size: before 3.17 */
	T_EQ(kimg_detect(b, 63, &k), 0);
	T_EQ(k.fmt, KIMG_UNKNOWN);
}

static void test_compressed(void)
{
	uint8_t b[512] = { 0x1f, 0x8b, 8 };
	struct kimg k;

	T_EQ(kimg_detect(b, 3, &k), 0);
	T_EQ(k.fmt, KIMG_GZIP);
	T_OK(kimg_refusal(&k, KARCH_AARCH64) == NULL);
	memcpy(b, "\x28\xb5\x2f\xfd", 4);
	T_EQ(kimg_detect(b, 4, &k), 0);
	T_STREQ(kimg_refusal(&k, KARCH_AARCH64), "a zstd-compressed kernel: not supported");

	/* EFI zboot as Fedora builds it: payload at 0x100, 200 bytes, gzip. */
	memset(b, 0, sizeof(b));
	memcpy(b, "MZ\0\0zimg", 8);
	le32(b + 8, 0x100);
	le32(b + 12, 200);
	memcpy(b + 24, "gzip", 5);
	le32(b + 0x3c, 0x40);
	T_EQ(kimg_detect(b, sizeof(b), &k), 0);
	T_EQ(k.fmt, KIMG_ZBOOT);
	T_EQ(k.payload.off, 0x100);
	T_EQ(k.payload.len, 200);
	T_STREQ(k.comp, "gzip");
	T_OK(kimg_refusal(&k, KARCH_AARCH64) == NULL);
	memcpy(b + 24, "zstd", 5);
	T_EQ(kimg_detect(b, sizeof(b), &k), 0);
	T_STREQ(kimg_refusal(&k, KARCH_AARCH64), "EFI zboot with a zstd payload: not supported");
	memcpy(b + 24, "lzma", 5);
	T_EQ(kimg_detect(b, sizeof(b), &k), 0);
	T_STREQ(kimg_refusal(&k, KARCH_AARCH64), "EFI zboot with a payload other than gzip: not supported");
	memset(b + 24, 'x', 32);                      /* no NUL: the name is cut, not overrun */
	T_EQ(kimg_detect(b, sizeof(b), &k), 0);
	T_EQ(strlen(k.comp), sizeof(k.comp) - 1);
	le32(b + 12, 0x200);                          /* the payload runs past the file */
	T_EQ(kimg_detect(b, sizeof(b), &k), -EINVAL);
}

static void test_uki(void)
{
	static uint8_t b[8192];
	uint8_t inner[512];
	static const char osrel[] = "NAME=\"Debian GNU/Linux\"\nPRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\n";
	arm64_image(inner, sizeof(inner));
	struct sect s[] = { { ".osrel", osrel, sizeof(osrel) - 1 }, { ".cmdline", "root=/dev/vda ro\n", 17 },
		{ ".linux", inner, sizeof(inner) }, { ".initrd", "070701", 6 }, { ".dtb", "\xd0\x0d\xfe\xed", 4 } };
	size_t len = pe_build(b, sizeof(b), 0xaa64, s, 5);
	struct kimg k;
	char name[64];

	T_EQ(kimg_detect(b, len, &k), 0);
	T_EQ(k.fmt, KIMG_UKI);
	T_EQ(k.machine, 0xaa64);
	T_EQ(k.kernel.len, sizeof(inner));
	T_MEMEQ(b + k.kernel.off, inner, sizeof(inner));
	T_EQ(k.initrd.len, 6);                        /* the virtual size, not the padded raw size */
	T_MEMEQ(b + k.initrd.off, "070701", 6);
	T_EQ(k.cmdline.len, 17);
	T_EQ(k.dtb.len, 4);
	T_EQ(k.uname.len, 0);
	T_OK(kimg_refusal(&k, KARCH_AARCH64) == NULL);
	T_STREQ(kimg_refusal(&k, KARCH_X86_64), "a unified kernel image for another architecture");
	T_EQ(osrel_pretty_name((const char *)b + k.osrel.off, k.osrel.len, name, sizeof(name)), 0);
	T_STREQ(name, "Debian GNU/Linux 12 (bookworm)");
	struct kimg inner_k;
	T_EQ(kimg_detect(b + k.kernel.off, k.kernel.len, &inner_k), 0);
	T_EQ(inner_k.fmt, KIMG_ARM64);

	/* An x86_64 UKI around a bzImage. */
	uint8_t bz[0x300] = { 0 };
	bz[0] = 'M', bz[1] = 'Z';
	le16(bz + 0x1fe, 0xaa55);
	memcpy(bz + 0x202, "HdrS", 4);
	struct sect x[] = { { ".linux", bz, sizeof(bz) } };
	len = pe_build(b, sizeof(b), 0x8664, x, 1);
	T_EQ(kimg_detect(b, len, &k), 0);
	T_EQ(k.fmt, KIMG_UKI);
	T_OK(kimg_refusal(&k, KARCH_X86_64) == NULL);
	T_EQ(k.initrd.len, 0);
	T_EQ(kimg_detect(bz, sizeof(bz), &k), 0);
	T_EQ(k.fmt, KIMG_BZIMAGE);
	T_OK(kimg_refusal(&k, KARCH_X86_64) == NULL);
	T_STREQ(kimg_refusal(&k, KARCH_AARCH64), "an x86 bzImage: this is not an x86 machine");

	/* A PE program without .linux (systemd-boot, a shell): named, not loaded. */
	struct sect t[] = { { ".text", "\xc3", 1 } };
	len = pe_build(b, sizeof(b), 0x8664, t, 1);
	T_EQ(kimg_detect(b, len, &k), 0);
	T_EQ(k.fmt, KIMG_PE);
	T_OK(kimg_refusal(&k, KARCH_X86_64) != NULL);
	/* Broken tables: a section past the end, a section count past the end, PE offset past the end. */
	len = pe_build(b, sizeof(b), 0xaa64, s, 5);
	T_EQ(kimg_detect(b, len - 508, &k), 0);      /* only the last section's padding is cut */
	T_EQ(kimg_detect(b, len - 509, &k), -EINVAL);
	le16(b + 0x46, 400);
	T_EQ(kimg_detect(b, len, &k), -EINVAL);
	le32(b + 0x3c, 0x7ffffff0);
	T_EQ(kimg_detect(b, len, &k), -EINVAL);
}

static void test_zimage_osrel(void)
{
	uint8_t b[64] = { 0 };
	struct kimg k;
	char n[16];

	le32(b + 0x24, 0x016f2818);
	T_EQ(kimg_detect(b, sizeof(b), &k), 0);
	T_EQ(k.fmt, KIMG_ZIMAGE);
	T_OK(strstr(kimg_refusal(&k, KARCH_AARCH64), "32-bit ARM zImage") != NULL);
	T_OK(kimg_refusal(&k, KARCH_ARM) != NULL);
	memset(b, 0x41, sizeof(b));
	T_EQ(kimg_detect(b, sizeof(b), &k), 0);
	T_EQ(k.fmt, KIMG_UNKNOWN);
	T_OK(kimg_refusal(&k, KARCH_AARCH64) != NULL);

	T_EQ(osrel_pretty_name("NAME=Fedora\n", 12, n, sizeof(n)), 0);
	T_STREQ(n, "Fedora");
	T_EQ(osrel_pretty_name("PRETTY_NAME='a \"b\"'\r\n", 21, n, sizeof(n)), 0);
	T_STREQ(n, "a \"b\"");
	T_EQ(osrel_pretty_name("PRETTY_NAME=\"x\\\"y\"", 18, n, sizeof(n)), 0);
	T_STREQ(n, "x\"y");
	T_EQ(osrel_pretty_name("PRETTY_NAME=\"a very long name indeed\"", 37, n, sizeof(n)), 0);
	T_EQ(strlen(n), sizeof(n) - 1);               /* cut to the buffer */
	T_EQ(osrel_pretty_name("ID=debian\nPRETTY_NAME=\n", 23, n, sizeof(n)), -ENOENT);
	T_STREQ(n, "");
}

int main(void)
{
	test_arm64();
	test_compressed();
	test_uki();
	test_zimage_osrel();
	return T_DONE();
}
