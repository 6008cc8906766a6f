/* arm64 kexec_load without an arm64 machine: /proc/iomem into usable RAM, the segment layout, the
 * purgatory's bytes (checked against the assembled lib/boot/arch/aarch64/purgatory.S when binutils
 * for aarch64 is installed), and the choice between kexec_file_load and kexec_load. */
#include "t.h"
#include <errno.h>
#include <stdlib.h>
#include "../../lib/boot/kexec_arm64.h"

/* QEMU virt, 2 GiB, booted with -kernel: nested "reserved" entries as arm64 shows them. */
static const char virt_iomem[] =
	"09000000-09000fff : pl011@9000000\n"
	"  09000000-09000fff : 9000000.pl011 pl011@9000000\n"
	"40000000-bfffffff : System RAM\n"
	"  40000000-400fffff : reserved\n"
	"  40210000-4166ffff : Kernel code\n"
	"  41670000-41d1ffff : reserved\n"
	"  41d20000-4205ffff : Kernel data\n"
	"  48000000-483fffff : reserved\n"
	"  bfe00000-bfffffff : reserved\n"
	"4010000000-401fffffff : PCI ECAM\n";

static void test_iomem(void)
{
	struct mem_range r[IOMEM_MAX_RANGES];
	int n = iomem_ram(virt_iomem, sizeof(virt_iomem) - 1, r, IOMEM_MAX_RANGES);

	T_EQ(n, 3);
	T_EQ(r[0].start, 0x40100000);
	T_EQ(r[0].end, 0x41670000);                 /* the running kernel's code stays usable */
	T_EQ(r[1].start, 0x41d20000);
	T_EQ(r[1].end, 0x48000000);
	T_EQ(r[2].start, 0x48400000);
	T_EQ(r[2].end, 0xbfe00000);
	/* Two banks, unsorted, a reserved range across their border, no trailing newline. */
	static const char two[] = "880000000-8ffffffff : System RAM\n80000000-87ffffff : System RAM\n"
		"87f00000-880ffffff : reserved";
	n = iomem_ram(two, sizeof(two) - 1, r, IOMEM_MAX_RANGES);
	T_EQ(n, 2);
	T_EQ(r[0].start, 0x80000000);
	T_EQ(r[0].end, 0x87f00000);
	T_EQ(r[1].start, 0x881000000ULL);
	T_EQ(iomem_ram("40000000-3fffffff : System RAM\n", 31, r, 4), -EINVAL);   /* end before start */
	T_EQ(iomem_ram("40000000 : System RAM\n", 22, r, 4), -EINVAL);
	T_EQ(iomem_ram("1000-1fff : System RAM\n3000-3fff : System RAM\n", 46, r, 1), -E2BIG);
	T_EQ(iomem_ram("00000000-00000000 : reserved\n\n", 30, r, 4), 0);    /* blank lines, no RAM */
	T_EQ(iomem_ram("0-fffffffffffffffff : System RAM\n", 33, r, 4), -EINVAL);  /* 17 hex digits */
}

static int overlaps(uint64_t a, uint64_t an, uint64_t b, uint64_t bn)
{
	return an && bn && a < b + bn && b < a + an;
}

static int inside(const struct mem_range *r, int n, uint64_t a, uint64_t len)
{
	for (int i = 0; i < n; i++)
		if (a >= r[i].start && a + len <= r[i].end)
			return 1;
	return !len;
}

static void test_layout(void)
{
	struct mem_range r[IOMEM_MAX_RANGES];
	int n = iomem_ram(virt_iomem, sizeof(virt_iomem) - 1, r, IOMEM_MAX_RANGES);
	/* Debian's 6.1 arm64 Image: text_offset 0, image_size ~ 34 MiB with BSS, file ~ 31 MiB. */
	struct arm64_sizes in = { .text_offset = 0, .image_size = 0x2210000, .flags = 0xa, .kernel_len = 0x1f00000,
		.initrd_len = 25 * 1024 * 1024 + 7, .dtb_len = 0x100000 + 1 };
	struct arm64_layout l;

	T_EQ(arm64_layout(r, (size_t)n, &in, &l), 0);
	/* 0x40100000 rounds up to 0x40200000, but 34 MiB do not fit below 0x41670000: the next hole,
	 * 0x41d20000, rounded up to 2 MiB. */
	T_EQ(l.kernel, 0x41e00000);
	T_EQ(l.kernel_memsz, 0x2210000);
	T_EQ(l.kernel % 0x200000, 0);
	T_EQ(l.initrd_memsz, 0x1910000);
	T_EQ(l.dtb_memsz, 0x110000);
	T_EQ(l.purgatory_memsz, ARM64_SEG_ALIGN);
	uint64_t a[4] = { l.kernel, l.initrd, l.dtb, l.purgatory }, s[4] = { l.kernel_memsz, l.initrd_memsz,
		l.dtb_memsz, l.purgatory_memsz };
	int ok = 1;
	for (int i = 0; i < 4; i++) {
		ok &= inside(r, n, a[i], s[i]) && a[i] % ARM64_SEG_ALIGN == 0;
		for (int j = i + 1; j < 4; j++)
			ok &= !overlaps(a[i], s[i], a[j], s[j]);
	}
	T_OK(ok);
	T_OK(l.initrd >= l.kernel + l.kernel_memsz);   /* above the kernel, first fit */
	T_EQ(l.initrd, 0x44010000);                    /* right after the kernel, */
	T_EQ(l.dtb, 0x45920000);                       /* then the tree and the purgatory */
	T_EQ(l.purgatory, 0x45a30000);
	/* A bigger initrd no longer fits below the reserved 0x48000000: it goes above, the tree stays low. */
	in.initrd_len = 0x3ff0000 + 1;
	T_EQ(arm64_layout(r, (size_t)n, &in, &l), 0);
	T_EQ(l.initrd, 0x48400000);
	T_EQ(l.dtb, 0x44010000);

	/* text_offset 0x80000 (kernels before 5.8): base 2 MiB aligned, the Image 512 KiB above it. */
	in.text_offset = 0x80000;
	T_EQ(arm64_layout(r, (size_t)n, &in, &l), 0);
	T_EQ(l.kernel, 0x41e80000);
	/* No initrd: no segment for it. */
	in.initrd_len = 0;
	T_EQ(arm64_layout(r, (size_t)n, &in, &l), 0);
	T_EQ(l.initrd_memsz, 0);
	/* Too big for the machine; a text_offset that is not page aligned. */
	in.image_size = 0x100000000ULL;
	T_EQ(arm64_layout(r, (size_t)n, &in, &l), -ENOMEM);
	in.image_size = 0x2210000;
	in.text_offset = 0x80001;
	T_EQ(arm64_layout(r, (size_t)n, &in, &l), -EINVAL);
}

static void test_purgatory(void)
{
	uint8_t p[ARM64_PURGATORY_SIZE];
	static const uint8_t want[ARM64_PURGATORY_SIZE] = {
		0xc0, 0x00, 0x00, 0x58, 0xe1, 0x03, 0x1f, 0xaa, 0xe2, 0x03, 0x1f, 0xaa, 0xe3, 0x03, 0x1f, 0xaa,
		0x84, 0x00, 0x00, 0x58, 0x80, 0x00, 0x1f, 0xd6,
		0x00, 0x00, 0x21, 0x44, 0x01, 0x00, 0x00, 0x00,    /* dtb 0x144210000 */
		0x00, 0x00, 0x00, 0x42, 0x00, 0x00, 0x00, 0x00 };  /* kernel 0x42000000 */

	arm64_purgatory(0x144210000ULL, 0x42000000, p);
	T_MEMEQ(p, want, sizeof(want));
	/* The .S must assemble to the same code (its literals are zero). */
	if (system("aarch64-linux-gnu-as -o /tmp/ferry-purgatory.o lib/boot/arch/aarch64/purgatory.S 2>/dev/null && "
		   "aarch64-linux-gnu-objcopy -O binary -j .text /tmp/ferry-purgatory.o /tmp/ferry-purgatory.bin") != 0) {
		printf("%s: skipped: purgatory.S against the C bytes: aarch64-linux-gnu-as (binutils-aarch64-linux-gnu) "
		       "missing\n", __FILE__);
		return;
	}
	uint8_t s[64];
	FILE *f = fopen("/tmp/ferry-purgatory.bin", "rb");
	size_t n = f ? fread(s, 1, sizeof(s), f) : 0;
	if (f)
		fclose(f);
	T_EQ(n, ARM64_PURGATORY_SIZE);
	arm64_purgatory(0, 0, p);
	T_MEMEQ(s, p, ARM64_PURGATORY_SIZE);
	(void)remove("/tmp/ferry-purgatory.o");
	(void)remove("/tmp/ferry-purgatory.bin");
}

static void test_choose(void)
{
	const char *why;
	struct kexec_path_in in = { .arch = KARCH_AARCH64, .file_load = -1 };

	T_EQ(kexec_choose_path(&in, &why), KEXEC_PATH_FILE);
	in.file_load = 0;                                       /* ENOSYS: Debian's arm64 kernels */
	T_EQ(kexec_choose_path(&in, &why), KEXEC_PATH_SEGMENTS);
	T_OK(strstr(why, "ENOSYS") != NULL);
	in.file_load = 1;
	in.needs_dt = 1;                                        /* the entry's own tree */
	T_EQ(kexec_choose_path(&in, &why), KEXEC_PATH_SEGMENTS);
	T_OK(strstr(why, "device tree") != NULL);
	in.refused = 1;                                         /* never unverified after a refusal */
	T_EQ(kexec_choose_path(&in, &why), KEXEC_PATH_NONE);
	in.needs_dt = 0;
	T_EQ(kexec_choose_path(&in, &why), KEXEC_PATH_FILE);   /* the next entry may be signed */
	in.file_load = 0;
	T_EQ(kexec_choose_path(&in, &why), KEXEC_PATH_NONE);
	struct kexec_path_in x86 = { .arch = KARCH_X86_64, .file_load = 1, .needs_dt = 1 };
	T_EQ(kexec_choose_path(&x86, &why), KEXEC_PATH_FILE);  /* x86 boots without a tree */
	x86.file_load = 0;
	T_EQ(kexec_choose_path(&x86, &why), KEXEC_PATH_NONE);
	struct kexec_path_in arm = { .arch = KARCH_ARM, .file_load = -1 };
	T_EQ(kexec_choose_path(&arm, &why), KEXEC_PATH_NONE);
	T_STREQ(kexec_path_name(KEXEC_PATH_SEGMENTS), "kexec_load");
}

int main(void)
{
	test_iomem();
	test_layout();
	test_purgatory();
	test_choose();
	return T_DONE();
}
