SUMMARY = "ferry: a small, statically linked PID 1 for the initramfs"
DESCRIPTION = "ferry runs as /init: early mounts, modules, overlayfs root, dm-crypt, \
its own DHCP client, then switch_root, pivot_root or kexec. One static binary \
linked against libblkid, libkeyutils and zlib."
HOMEPAGE = "https://git.example.org/ferry"
SECTION = "base"
# ferry's tree has no licence file yet: set LICENSE and LIC_FILES_CHKSUM here when it has one.
LICENSE = "CLOSED"

# Point FERRY_GIT_URI and SRCREV at your copy of ferry (a bbappend or local.conf), or build a local
# tree with externalsrc: INHERIT += "externalsrc" and EXTERNALSRC:pn-ferry = "/path/to/ferry".
FERRY_GIT_URI ?= "git://git.example.org/ferry.git;protocol=https;branch=main"
SRC_URI = "${FERRY_GIT_URI}"
SRCREV ?= "${AUTOREV}"
PV = "0.0+git${SRCPV}"
S = "${WORKDIR}/git"

# ferry links statically: the static archives of the three libraries must be in the sysroot.
# OE-core builds util-linux without its .a files (DISABLE_STATIC); in local.conf:
#   DISABLE_STATIC:pn-util-linux = ""
# zlib and keyutils ship theirs in their -staticdev packages.
DEPENDS = "util-linux keyutils zlib"
inherit pkgconfig

# The Makefile takes CC, CFLAGS, LDFLAGS and PKG_CONFIG from the environment bitbake exports;
# LIBS=system finds libblkid, libkeyutils and zlib with pkg-config in the recipe sysroot.
# NOSTRIP=1: do_package splits the debug information itself.
EXTRA_OEMAKE = "LIBS=system ARCH=${TARGET_ARCH} CROSS_COMPILE=${TARGET_PREFIX} NOSTRIP=1"

do_compile() {
	oe_runmake ferry
}

do_install() {
	oe_runmake install DESTDIR=${D} PREFIX=${prefix}
	install -D -m 0644 ${S}/configs/ferry.conf ${D}${sysconfdir}/ferry.conf
	# ferry-init: ferry as the initramfs's /init, and the kernel's modprobe helper (ferry answers
	# as modprobe when called by that name), as initramfs-list lays them out
	install -d ${D}/dev ${D}/proc ${D}/sys ${D}/run ${D}/newroot ${D}${base_sbindir}
	ln -sf ${sbindir}/ferry ${D}/init
	ln -sf ${sbindir}/ferry ${D}${base_sbindir}/modprobe
}

PACKAGES =+ "${PN}-init"
FILES:${PN}-init = "/init ${base_sbindir}/modprobe /dev /proc /sys /run /newroot"
RDEPENDS:${PN}-init = "${PN}"
CONFFILES:${PN} = "${sysconfdir}/ferry.conf"
# ferry-init is for the initramfs: in a full root filesystem its /sbin/modprobe would shadow kmod's.
