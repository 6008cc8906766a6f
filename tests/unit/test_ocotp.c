#include <errno.h>
#include "t.h"
#include "../../lib/net/ocotp.h"

int main(void)
{
	uint8_t nv[0x100] = { 0 }, mac[6];
	static const uint8_t fuse[12] = { 0xff, 0xee, 0xdd, 0xcc, 0xbb, 0x00, 0x66, 0x55, 0x44, 0x33, 0x22, 0x00 };
	static const uint8_t mac0[6] = { 0x00, 0xbb, 0xcc, 0xdd, 0xee, 0xff };
	static const uint8_t mac1[6] = { 0x00, 0x22, 0x33, 0x44, 0x55, 0x66 };
	struct ocotp_spec s;

	/* The example: i.MX8MP, nvmem offset 0x90. */
	memcpy(nv + 0x90, fuse, sizeof(fuse));
	T_EQ(ocotp_mac_decode(nv, sizeof(nv), 0x90, 0, mac), 0);
	T_MEMEQ(mac, mac0, 6);
	T_EQ(ocotp_mac_decode(nv, sizeof(nv), 0x90, 1, mac), 0);
	T_MEMEQ(mac, mac1, 6);
	/* i.MX6 layout is the same words at 0x88. */
	memcpy(nv + 0x88, fuse, sizeof(fuse));
	T_EQ(ocotp_mac_decode(nv, sizeof(nv), OCOTP_OFF_IMX6, 0, mac), 0);
	T_MEMEQ(mac, mac0, 6);
	/* Blank fuses, a short file, a multicast address, a bad selector. */
	T_EQ(ocotp_mac_decode(nv, sizeof(nv), 0xc0, 0, mac), -ENODATA);
	T_EQ(ocotp_mac_decode(nv, 0x9b, 0x90, 0, mac), -ERANGE);
	T_EQ(ocotp_mac_decode(nv, sizeof(nv), sizeof(nv) + 4, 0, mac), -ERANGE);
	nv[0x95] = 0x01;
	T_EQ(ocotp_mac_decode(nv, sizeof(nv), 0x90, 0, mac), -EADDRNOTAVAIL);
	T_EQ(ocotp_mac_decode(nv, sizeof(nv), 0x90, 2, mac), -EINVAL);

	T_EQ(ocotp_parse_spec("eth0:MAC0", &s), 0);
	T_STREQ(s.iface, "eth0");
	T_EQ(s.which, 0);
	T_STREQ(s.path, OCOTP_NVMEM_DEFAULT);
	T_EQ(s.offset, 0x90);
	T_EQ(ocotp_parse_spec("eth1:MAC1@/tmp/x/nvmem:0x88", &s), 0);
	T_EQ(s.which, 1);
	T_STREQ(s.path, "/tmp/x/nvmem");
	T_EQ(s.offset, 0x88);
	T_EQ(ocotp_parse_spec("eth1:MAC1@/tmp/nv:imx6", &s), 0);
	T_EQ(s.offset, OCOTP_OFF_IMX6);
	T_EQ(ocotp_parse_spec("eth1:MAC1@/tmp/nv", &s), 0);
	T_EQ(s.offset, 0x90);
	T_EQ(ocotp_parse_spec("eth0:MAC2", &s), -EINVAL);
	T_EQ(ocotp_parse_spec(":MAC0", &s), -EINVAL);
	T_EQ(ocotp_parse_spec("eth0", &s), -EINVAL);
	T_EQ(ocotp_parse_spec("eth0:MAC0@relative", &s), -EINVAL);
	T_EQ(ocotp_parse_spec("eth0:MAC0@/x:zz", &s), -EINVAL);
	T_EQ(ocotp_parse_spec("averyveryverylongname0:MAC0", &s), -EINVAL);
	return T_DONE();
}
