SUMMARY = "An initramfs with ferry as /init"
DESCRIPTION = "The smallest initramfs that boots a device with ferry: /init, its \
/etc/ferry.conf and the modules the boot needs. Use it from the machine or local.conf: \
INITRAMFS_IMAGE = \"ferry-initramfs\" (and INITRAMFS_IMAGE_BUNDLE = \"1\" to link it \
into the kernel image)."
LICENSE = "MIT"

# Add the kernel modules the root needs (kernel-module-overlay, kernel-module-dm-crypt, ...) with
# FERRY_INITRAMFS_MODULES; ferry loads them from /lib/modules by itself.
FERRY_INITRAMFS_MODULES ?= ""
PACKAGE_INSTALL = "ferry ferry-init ${FERRY_INITRAMFS_MODULES} ${ROOTFS_BOOTSTRAP_INSTALL}"

# Do not pollute the initramfs with rootfs features
IMAGE_FEATURES = ""
IMAGE_LINGUAS = ""
# Don't allow the initramfs to contain a kernel
PACKAGE_EXCLUDE = "kernel-image-*"
IMAGE_NAME_SUFFIX ?= ""

IMAGE_FSTYPES = "${INITRAMFS_FSTYPES}"
inherit core-image

IMAGE_ROOTFS_SIZE = "8192"
IMAGE_ROOTFS_EXTRA_SPACE = "0"

# The kernel opens /dev/console before ferry mounts devtmpfs: the node must be in the archive.
ferry_initramfs_console() {
	mknod -m 0600 ${IMAGE_ROOTFS}/dev/console c 5 1
}
ROOTFS_POSTPROCESS_COMMAND += "ferry_initramfs_console;"
