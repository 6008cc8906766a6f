#include <errno.h>
#include "t.h"
#include "../../lib/storage/devspec.h"

static void ok(const char *s, enum devspec_kind kind, const char *value, const char *canon)
{
	struct devspec d;
	char buf[300];

	T_EQ(devspec_parse(s, &d), 0);
	T_EQ(d.kind, kind);
	T_STREQ(d.value, value);
	T_EQ(devspec_format(&d, buf, sizeof(buf)), 0);
	T_STREQ(buf, canon);
}

static void bad(const char *s, int err)
{
	struct devspec d;
	T_EQ(devspec_parse(s, &d), err);
}

int main(void)
{
	struct devspec d;
	char big[400];

	ok("/dev/vda1", DEVSPEC_PATH, "/dev/vda1", "/dev/vda1");
	ok("/dev/mapper/root", DEVSPEC_PATH, "/dev/mapper/root", "/dev/mapper/root");
	ok("vda2", DEVSPEC_PATH, "/dev/vda2", "/dev/vda2");
	ok("LABEL=rootfs", DEVSPEC_LABEL, "rootfs", "LABEL=rootfs");
	ok("label=rootfs", DEVSPEC_LABEL, "rootfs", "LABEL=rootfs");
	ok("\"LABEL=my root\"", DEVSPEC_LABEL, "my root", "LABEL=my root");
	ok("LABEL=a=b", DEVSPEC_LABEL, "a=b", "LABEL=a=b");
	ok("UUID=0a1b-2C3D", DEVSPEC_UUID, "0a1b-2C3D", "UUID=0a1b-2C3D");
	ok("PARTUUID=8e2a1b4c-01", DEVSPEC_PARTUUID, "8e2a1b4c-01", "PARTUUID=8e2a1b4c-01");
	ok("PARTLABEL=rootfs_a", DEVSPEC_PARTLABEL, "rootfs_a", "PARTLABEL=rootfs_a");
	ok("/dev/disk/by-label/my\\x20disk", DEVSPEC_LABEL, "my disk", "LABEL=my disk");
	ok("/dev/disk/by-partlabel/data", DEVSPEC_PARTLABEL, "data", "PARTLABEL=data");
	ok("/dev/disk/by-uuid/abcd", DEVSPEC_UUID, "abcd", "UUID=abcd");
	ok("/dev/disk/by-partuuid/abcd-02", DEVSPEC_PARTUUID, "abcd-02", "PARTUUID=abcd-02");
	ok("/dev/disk/by-label/x\\x2", DEVSPEC_LABEL, "x\\x2", "LABEL=x\\x2");
	ok("ubi0:overlay", DEVSPEC_UBI_NAME, "overlay", "ubi0:overlay");
	T_EQ(devspec_parse("ubi12:rootfs", &d), 0);
	T_EQ(d.ubi, 12);
	ok("ubi1_3", DEVSPEC_UBI_VOL, "ubi1_3", "ubi1_3");
	T_EQ(devspec_parse("ubi1_3", &d), 0);
	T_EQ(d.ubi, 1);
	T_EQ(d.vol, 3);
	ok("/dev/ubiblock0_1", DEVSPEC_PATH, "/dev/ubiblock0_1", "/dev/ubiblock0_1");
	ok("8:1", DEVSPEC_MAJMIN, "8:1", "8:1");
	T_EQ(devspec_parse("254:16", &d), 0);
	T_EQ(d.major, 254);
	T_EQ(d.minor, 16);

	bad("", -EINVAL);
	bad("\"\"", -EINVAL);
	bad("LABEL=", -EINVAL);
	bad("PARTUUID=", -EINVAL);
	bad("ubi0:", -EINVAL);
	bad("8:", -EINVAL);
	/* 2^32 and beyond wrap a 32-bit unsigned long: tests/host/unit-32bit.sh runs this on armhf */
	bad("4294967296:0", -EINVAL);
	bad("8:4294967297", -EINVAL);
	bad("42949672950:1", -EINVAL);
	T_EQ(devspec_parse("4294967295:0", &d), 0);
	T_EQ(d.major, 4294967295u);
	bad("foo:bar", -EINVAL);
	bad("FOO=bar", -EINVAL);
	bad("a/b", -EINVAL);
	bad("LABEL=a\"b", -EINVAL);
	bad("/dev/disk/by-label/\\x00", -EINVAL);
	bad("99999999999:1", -EINVAL);
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	big[0] = '/';
	bad(big, -ENAMETOOLONG);
	T_STREQ(devspec_tag(DEVSPEC_PARTLABEL), "PARTLABEL");
	T_OK(devspec_tag(DEVSPEC_PATH) == NULL);
	return T_DONE();
}
