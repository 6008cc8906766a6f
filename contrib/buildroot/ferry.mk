################################################################################
#
# ferry
#
################################################################################

# Point FERRY_SITE and FERRY_VERSION at your copy of ferry, or build a local tree with
# FERRY_OVERRIDE_SRCDIR = /path/to/ferry in local.mk.
FERRY_VERSION = main
FERRY_SITE = https://git.example.org/ferry.git
FERRY_SITE_METHOD = git
# ferry's tree has no licence file yet: set FERRY_LICENSE and FERRY_LICENSE_FILES when it has one.
FERRY_LICENSE = unknown
FERRY_DEPENDENCIES = host-pkgconf util-linux keyutils zlib

# CC, CFLAGS, LDFLAGS, PKG_CONFIG come from TARGET_CONFIGURE_OPTS; LIBS=system finds libblkid,
# libkeyutils and zlib in the staging directory with pkg-config. NOSTRIP=1: Buildroot strips the
# target itself (BR2_STRIP_strip).
FERRY_MAKE_OPTS = LIBS=system ARCH=$(BR2_ARCH) CROSS_COMPILE="$(TARGET_CROSS)" NOSTRIP=1

define FERRY_BUILD_CMDS
	$(TARGET_MAKE_ENV) $(MAKE) $(TARGET_CONFIGURE_OPTS) $(FERRY_MAKE_OPTS) -C $(@D) ferry
endef

ifeq ($(BR2_PACKAGE_FERRY_INIT),y)
define FERRY_INSTALL_INIT
	ln -sf /usr/sbin/ferry $(TARGET_DIR)/init
	ln -sf /usr/sbin/ferry $(TARGET_DIR)/sbin/modprobe
	mkdir -p $(TARGET_DIR)/newroot
endef
endif

define FERRY_INSTALL_TARGET_CMDS
	$(TARGET_MAKE_ENV) $(MAKE) $(TARGET_CONFIGURE_OPTS) $(FERRY_MAKE_OPTS) -C $(@D) \
		DESTDIR=$(TARGET_DIR) PREFIX=/usr install
	$(INSTALL) -D -m 0644 $(@D)/configs/ferry.conf $(TARGET_DIR)/etc/ferry.conf
	$(FERRY_INSTALL_INIT)
endef

$(eval $(generic-package))
