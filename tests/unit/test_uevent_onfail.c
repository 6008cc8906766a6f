#include <errno.h>
#include "t.h"
#include "../../lib/core/uevent.h"
#include "../../lib/core/onfail.h"

static void test_uevent(void)
{
	static const char msg[] = "add@/devices/pci0000:00/0000:00:04.0/virtio1/block/vda\0ACTION=add\0"
		"DEVPATH=/devices/pci0000:00/0000:00:04.0/virtio1/block/vda\0SUBSYSTEM=block\0MAJOR=254\0"
		"MINOR=0\0DEVNAME=vda\0DEVTYPE=disk\0SEQNUM=1234\0";
	struct uevent ev;

	T_EQ(uevent_parse(msg, sizeof(msg) - 1, &ev), 0);
	T_STREQ(ev.action, "add");
	T_STREQ(ev.subsystem, "block");
	T_STREQ(ev.devname, "vda");
	T_STREQ(ev.devtype, "disk");
	T_OK(ev.modalias == NULL);
	T_OK(ev.seqnum_valid && ev.seqnum == 1234);
	T_STREQ(uevent_get(msg, sizeof(msg) - 1, "MAJOR"), "254");
	/* udev's own messages and garbage are refused */
	T_EQ(uevent_parse("libudev\0\xfe\xed", 10, &ev), -EINVAL);
	T_EQ(uevent_parse("add@/x\0ACTION=add", 17, &ev), -EINVAL); /* DEVPATH missing, tail unterminated */
	T_EQ(uevent_parse("", 0, &ev), -EINVAL);
	T_EQ(uevent_parse("add@/x", 6, &ev), -EINVAL);
}

static void test_onfail(void)
{
	struct onfail p;

	T_EQ(onfail_parse("shell", &p), 0);
	T_EQ(p.action, ONFAIL_SHELL);
	T_EQ(onfail_parse("reboot", &p), 0);
	T_EQ(p.action, ONFAIL_REBOOT);
	T_EQ(p.delay_s, ONFAIL_REBOOT_DELAY);
	T_EQ(onfail_parse("reboot:0", &p), 0);
	T_EQ(p.delay_s, 0);
	T_EQ(onfail_parse("reboot:30", &p), 0);
	T_EQ(p.delay_s, 30);
	T_EQ(onfail_parse("poweroff", &p), 0);
	T_EQ(p.action, ONFAIL_POWEROFF);
	T_EQ(onfail_parse("halt", &p), 0);
	T_EQ(onfail_parse("reboot:", &p), -EINVAL);
	T_EQ(onfail_parse("reboot:-1", &p), -EINVAL);
	T_EQ(onfail_parse("reboot:5s", &p), -EINVAL);
	T_EQ(onfail_parse("halt:3", &p), -EINVAL);
	T_EQ(onfail_parse("shel", &p), -EINVAL);
	T_EQ(onfail_parse("", &p), -EINVAL);
	T_STREQ(onfail_name(ONFAIL_POWEROFF), "poweroff");
}

int main(void)
{
	test_uevent();
	test_onfail();
	return T_DONE();
}
