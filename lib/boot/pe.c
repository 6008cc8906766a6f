/* Kernel formats by their headers. The arm64 Image header (64 bytes, magic "ARM\x64" at 56) comes
 * first: an Image built with the EFI stub also starts with "MZ" and is a PE file. EFI zboot
 * (drivers/firmware/efi/libstub/zboot-header.S): "MZ\0\0", "zimg", payload offset and size, reserved
 * words, the compression name at 24. A UKI is any PE file with a .linux section. */
#include <errno.h>
#include <string.h>
#include "pe.h"

static uint32_t le16(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8;
}

static uint32_t le32(const uint8_t *p)
{
	return le16(p) | le16(p + 2) << 16;
}

static uint64_t le64(const uint8_t *p)
{
	return (uint64_t)le32(p) | (uint64_t)le32(p + 4) << 32;
}

int pe_section(const void *buf, size_t len, const char *name, struct kimg_span *s)
{
	return pe_section_file(buf, len, len, name, s);
}

/* The headers and section table must be in buf[len]; the section itself in the file's flen bytes. */
int pe_section_file(const void *buf, size_t len, size_t flen, const char *name, struct kimg_span *s)
{
	const uint8_t *b = buf;

	if (len < 0x40 || b[0] != 'M' || b[1] != 'Z')
		return -EINVAL;
	uint32_t pe = le32(b + 0x3c);
	if (pe > len || len - pe < 24 || memcmp(b + pe, "PE\0\0", 4))
		return -EINVAL;
	uint32_t nsect = le16(b + pe + 6), opt = le16(b + pe + 20);
	size_t tab = (size_t)pe + 24 + opt;
	if (tab > len || (len - tab) / 40 < nsect)
		return -EINVAL;
	size_t want = strlen(name);
	for (uint32_t i = 0; i < nsect; i++) {
		const uint8_t *h = b + tab + (size_t)i * 40;
		if (want > 8 || memcmp(h, name, want) || (want < 8 && h[want]))
			continue;
		uint32_t vsize = le32(h + 8), raw = le32(h + 16), ptr = le32(h + 20);
		/* The raw size is rounded up to the file alignment; the virtual size is what was put there. */
		size_t n = vsize && vsize <= raw ? vsize : raw;
		if (ptr > flen || n > flen - ptr)
			return -EINVAL;
		s->off = ptr;
		s->len = n;
		return 0;
	}
	return -ENOENT;
}

static int pe_detect(const uint8_t *b, size_t len, struct kimg *k)
{
	static const struct {
		const char *name;
		size_t off;
	} sects[] = {
		{ ".linux", offsetof(struct kimg, kernel) }, { ".initrd", offsetof(struct kimg, initrd) },
		{ ".cmdline", offsetof(struct kimg, cmdline) }, { ".osrel", offsetof(struct kimg, osrel) },
		{ ".dtb", offsetof(struct kimg, dtb) }, { ".uname", offsetof(struct kimg, uname) },
	};
	struct kimg_span probe;
	int r = pe_section(b, len, ".linux", &probe);

	if (r == -EINVAL)
		return -EINVAL;
	k->machine = (uint16_t)le16(b + le32(b + 0x3c) + 4);
	k->fmt = r == 0 ? KIMG_UKI : KIMG_PE;
	for (size_t i = 0; r == 0 && i < sizeof(sects) / sizeof(sects[0]); i++) {
		struct kimg_span *s = (struct kimg_span *)((char *)k + sects[i].off);
		int q = pe_section(b, len, sects[i].name, s);
		if (q == -EINVAL)
			return -EINVAL;
	}
	return 0;
}

static int zboot_detect(const uint8_t *b, size_t len, struct kimg *k)
{
	uint32_t off = le32(b + 8), size = le32(b + 12);

	k->fmt = KIMG_ZBOOT;
	memcpy(k->comp, b + 24, sizeof(k->comp) - 1);
	k->comp[sizeof(k->comp) - 1] = 0;
	if (off > len || size > len - off || size < 18)
		return -EINVAL;
	k->payload.off = off;
	k->payload.len = size;
	return 0;
}

int kimg_detect(const void *buf, size_t len, struct kimg *k)
{
	const uint8_t *b = buf;

	memset(k, 0, sizeof(*k));
	if (len >= 2 && b[0] == 0x1f && b[1] == 0x8b)
		return k->fmt = KIMG_GZIP, 0;
	if (len >= 4 && !memcmp(b, "\x28\xb5\x2f\xfd", 4))
		return k->fmt = KIMG_ZSTD, 0;
	if (len < 64)
		return 0;
	if (!memcmp(b, "MZ\0\0zimg", 8))
		return zboot_detect(b, len, k);
	if (le32(b + 56) == 0x644d5241) {  /* "ARM\x64" */
		k->fmt = KIMG_ARM64;
		k->text_offset = le64(b + 8);
		k->image_size = le64(b + 16);
		k->flags = le64(b + 24);
		return 0;
	}
	if (len > 0x206 && le16(b + 0x1fe) == 0xaa55 && !memcmp(b + 0x202, "HdrS", 4))
		return k->fmt = KIMG_BZIMAGE, 0;
	if (le32(b + 0x24) == 0x016f2818)
		return k->fmt = KIMG_ZIMAGE, 0;
	if (b[0] == 'M' && b[1] == 'Z')
		return pe_detect(b, len, k);
	return 0;
}

const char *kimg_fmt_name(enum kimg_fmt f)
{
	static const char *const names[] = { "unknown", "arm64 Image", "gzip", "zstd", "EFI zboot",
		"unified kernel image", "x86 bzImage", "32-bit ARM zImage", "EFI program" };

	return (unsigned)f < sizeof(names) / sizeof(names[0]) ? names[f] : "unknown";
}

enum kimg_arch kimg_arch_native(void)
{
#if defined(__x86_64__)
	return KARCH_X86_64;
#elif defined(__aarch64__)
	return KARCH_AARCH64;
#elif defined(__arm__)
	return KARCH_ARM;
#else
	return KARCH_OTHER;
#endif
}

static const char *arm64_refusal(const struct kimg *k, enum kimg_arch arch)
{
	if (arch != KARCH_AARCH64)
		return "an arm64 Image: this is not an arm64 machine";
	if (k->flags & KIMG_ARM64_BE)
		return "a big-endian arm64 Image: not supported";
	if (!k->image_size)
		return "an arm64 Image without image_size (Linux before 3.17): not supported";
	return NULL;
}

const char *kimg_refusal(const struct kimg *k, enum kimg_arch arch)
{
	switch (k->fmt) {
	case KIMG_ARM64:
		return arm64_refusal(k, arch);
	case KIMG_GZIP:
		return NULL;    /* inflated, then the kernel inside is asked the same question */
	case KIMG_ZSTD:
		return "a zstd-compressed kernel: not supported";
	case KIMG_ZBOOT:
		if (arch != KARCH_AARCH64)
			return "EFI zboot: only arm64's is unwrapped";
		if (!strcmp(k->comp, "gzip"))
			return NULL;
		return !strcmp(k->comp, "zstd") ? "EFI zboot with a zstd payload: not supported" :
		       "EFI zboot with a payload other than gzip: not supported";
	case KIMG_UKI:
		if ((arch == KARCH_X86_64 && k->machine == PE_MACHINE_X86_64) ||
		    (arch == KARCH_AARCH64 && k->machine == PE_MACHINE_ARM64))
			return NULL;
		return "a unified kernel image for another architecture";
	case KIMG_BZIMAGE:
		return arch == KARCH_X86_64 ? NULL : "an x86 bzImage: this is not an x86 machine";
	case KIMG_ZIMAGE:
		return arch == KARCH_ARM ? "a 32-bit ARM zImage: ferry does not load zImages (kexec_load on armv7) yet" :
		       "a 32-bit ARM zImage: this is not a 32-bit ARM machine";
	case KIMG_PE:
		return "an EFI program, not a kernel ferry can load (no .linux section, no kernel header)";
	default:
		return "not a kernel ferry recognises (no Image, bzImage, gzip, EFI zboot or UKI header)";
	}
}

/* One os-release value: "quoted", 'quoted' or bare, with backslash escapes inside double quotes. */
static int osrel_value(const char *v, size_t n, char *out, size_t size)
{
	size_t o = 0;
	char q = n && (v[0] == '"' || v[0] == '\'') ? v[0] : 0;

	for (size_t i = q ? 1 : 0; i < n; i++) {
		if (q && v[i] == q)
			break;
		if (q == '"' && v[i] == '\\' && i + 1 < n)
			i++;
		if (o + 1 >= size)
			break;
		out[o++] = v[i];
	}
	out[o] = 0;
	return o ? 0 : -ENOENT;
}

static int osrel_find(const char *text, size_t len, const char *key, char *out, size_t size)
{
	const char *p = text, *end = text + len;
	size_t kn = strlen(key);

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p)), *le = nl ? nl : end;
		while (p < le && (*p == ' ' || *p == '\t'))
			p++;
		size_t n = (size_t)(le - p);
		while (n && (p[n - 1] == '\r' || p[n - 1] == ' ' || p[n - 1] == '\0'))
			n--;
		if (n > kn && !memcmp(p, key, kn) && p[kn] == '=' && osrel_value(p + kn + 1, n - kn - 1, out, size) == 0)
			return 0;
		p = nl ? nl + 1 : end;
	}
	return -ENOENT;
}

int osrel_pretty_name(const char *text, size_t len, char *out, size_t size)
{
	if (!size)
		return -ENOENT;
	out[0] = 0;
	if (osrel_find(text, len, "PRETTY_NAME", out, size) == 0 || osrel_find(text, len, "NAME", out, size) == 0)
		return 0;
	out[0] = 0;
	return -ENOENT;
}
