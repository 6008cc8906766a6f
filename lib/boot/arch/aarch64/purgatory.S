/* ferry's arm64 purgatory: the first code the kexec_load image runs, with the MMU off, at the
 * address of its own segment. arm64 starts a kexec_load image with x0 = 0; the boot protocol wants
 * the device tree's physical address in x0 and x1-x3 zero. The two literals after the code are
 * written by ferry when it loads the image (lib/boot/kexec_arm64.c: arm64_purgatory() writes these
 * same bytes, and tests/unit/test_kexec_arm64.c checks that this file assembles to them). */
	.text
	.balign	8			/* the literals then sit at +24 and +32, wherever it is linked */
	.globl	ferry_purgatory
ferry_purgatory:
	ldr	x0, dtb
	mov	x1, xzr
	mov	x2, xzr
	mov	x3, xzr
	ldr	x4, kernel
	br	x4
	.balign	8
dtb:	.quad	0
kernel:	.quad	0
