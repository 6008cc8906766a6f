#include <errno.h>
#include <net/if_arp.h>
#include "t.h"
#include "../../lib/net/netpolicy.h"

int main(void)
{
	struct netpolicy p;
	static const uint8_t mac[6] = { 0x00, 0x1b, 0x21, 0xaa, 0xbb, 0xcc };
	static const uint8_t other[6] = { 0x02, 0, 0, 0, 0, 1 };
	struct link_facts eth = { "eth0", ARPHRD_ETHER, NULL, "fec", false };
	struct link_facts wlan = { "wlan0", ARPHRD_ETHER, "wlan", "brcmfmac", true };
	struct link_facts wwan = { "wwan0", ARPHRD_ETHER, "wwan", "qmi_wwan", false };
	struct link_facts rawip = { "wwan1", ARPHRD_NONE, NULL, "qmi_wwan", false };
	struct link_facts ppp = { "ppp0", ARPHRD_PPP, NULL, NULL, false };
	struct link_facts tun = { "tun0", ARPHRD_NONE, NULL, NULL, false };

	T_EQ(netpolicy_classify(&eth), LC_ETHERNET);
	T_EQ(netpolicy_classify(&wlan), LC_WIFI);
	wlan.devtype = NULL;  /* phy80211 alone is enough */
	T_EQ(netpolicy_classify(&wlan), LC_WIFI);
	T_EQ(netpolicy_classify(&wwan), LC_WWAN);
	T_EQ(netpolicy_classify(&rawip), LC_WWAN);
	T_EQ(netpolicy_classify(&ppp), LC_PPP);
	T_EQ(netpolicy_classify(&tun), LC_OTHER);

	netpolicy_init(&p);
	T_EQ(netpolicy_metric(&p, "eth0", mac, LC_ETHERNET), 100);
	T_EQ(netpolicy_metric(&p, "wlan0", mac, LC_WIFI), 600);
	T_EQ(netpolicy_metric(&p, "wwan0", mac, LC_WWAN), 700);
	T_EQ(netpolicy_metric(&p, "x", NULL, LC_OTHER), 1000);

	T_EQ(netpolicy_add_metric(&p, "wifi:300"), 0);
	T_EQ(netpolicy_add_metric(&p, "eth*:50"), 0);
	T_EQ(netpolicy_add_metric(&p, "00:1b:21:*:20"), 0);
	T_EQ(netpolicy_metric(&p, "wlan0", NULL, LC_WIFI), 300);
	T_EQ(netpolicy_metric(&p, "eth1", other, LC_ETHERNET), 50);
	T_EQ(netpolicy_metric(&p, "eth1", mac, LC_ETHERNET), 20);      /* MAC beats name */
	T_EQ(netpolicy_metric(&p, "usb0", other, LC_ETHERNET), 100);
	T_EQ(netpolicy_add_metric(&p, "wifi:350"), 0);                  /* later wins */
	T_EQ(netpolicy_metric(&p, "wlan0", NULL, LC_WIFI), 350);
	T_EQ(netpolicy_add_metric(&p, "00:1B:21:AA:BB:CC:7"), 0);       /* case-insensitive MAC */
	T_EQ(netpolicy_metric(&p, "eth1", mac, LC_ETHERNET), 7);

	/* Globs as fnmatch(3) (the matcher is ferry's own, lib/core/kmod.c): '?', brackets, ranges,
	 * negation, escapes; a MAC case-insensitively. */
	T_EQ(netpolicy_add_metric(&p, "en[ox]?:40"), 0);
	T_EQ(netpolicy_metric(&p, "eno1", other, LC_ETHERNET), 40);
	T_EQ(netpolicy_metric(&p, "enx1", other, LC_ETHERNET), 40);
	T_EQ(netpolicy_metric(&p, "enp1", other, LC_ETHERNET), 100);
	T_EQ(netpolicy_metric(&p, "eno12", other, LC_ETHERNET), 100);
	T_EQ(netpolicy_add_metric(&p, "usb[!0-3]:30"), 0);
	T_EQ(netpolicy_metric(&p, "usb4", other, LC_ETHERNET), 30);
	T_EQ(netpolicy_metric(&p, "usb2", other, LC_ETHERNET), 100);
	T_EQ(netpolicy_add_metric(&p, "wl\\*:33"), 0);  /* an escaped '*' is literal */
	T_EQ(netpolicy_metric(&p, "wl*", NULL, LC_WIFI), 33);
	T_EQ(netpolicy_metric(&p, "wlan0", NULL, LC_WIFI), 350);
	T_EQ(netpolicy_add_metric(&p, "00:1B:2*:9"), -EINVAL);           /* a MAC part is 2 hex digits or * */
	T_EQ(netpolicy_add_metric(&p, "00:1B:*:9"), 0);
	T_EQ(netpolicy_metric(&p, "eth1", mac, LC_ETHERNET), 9);
	T_EQ(netpolicy_metric(&p, "eth1", other, LC_ETHERNET), 50);

	T_EQ(netpolicy_add_metric(&p, "wifi"), -EINVAL);
	T_EQ(netpolicy_add_metric(&p, "wifi:"), -EINVAL);
	T_EQ(netpolicy_add_metric(&p, ":5"), -EINVAL);
	T_EQ(netpolicy_add_metric(&p, "wifi:-5"), -EINVAL);
	T_EQ(netpolicy_add_metric(&p, "wifi:5x"), -EINVAL);
	T_EQ(netpolicy_add_metric(&p, "wifi:99999999999"), -EINVAL);
	T_EQ(netpolicy_add_metric(&p, "00:zz:*:5"), -EINVAL);
	T_EQ(netpolicy_add_metric(&p, "00:11:22:33:44:55:66:5"), -EINVAL);

	T_EQ(netpolicy_add_linkclass(&p, "veth1:wifi"), 0);
	T_EQ(netpolicy_add_linkclass(&p, "veth*:wwan"), 0);
	T_EQ(netpolicy_add_linkclass(&p, "veth1:wifi"), 0);
	T_EQ(netpolicy_add_linkclass(&p, "02:00:*:ppp"), 0);
	T_EQ(netpolicy_link_class(&p, "veth1", NULL, LC_ETHERNET), LC_WIFI);
	T_EQ(netpolicy_link_class(&p, "veth2", NULL, LC_ETHERNET), LC_WWAN);
	T_EQ(netpolicy_link_class(&p, "eth0", NULL, LC_ETHERNET), LC_ETHERNET);
	T_EQ(netpolicy_link_class(&p, "veth1", other, LC_ETHERNET), LC_PPP);
	T_EQ(netpolicy_add_linkclass(&p, "veth1:car"), -EINVAL);
	T_EQ(netpolicy_add_linkclass(&p, "wifi:ethernet"), -EINVAL);
	T_EQ(netpolicy_class_parse("wwan", &(enum link_class){ 0 }), 0);
	T_STREQ(netpolicy_class_name(LC_WWAN), "wwan");
	for (int i = 0; i < NP_MAX_RULES; i++)
		(void)netpolicy_add_metric(&p, "ppp:1");
	T_EQ(netpolicy_add_metric(&p, "ppp:1"), -ENOSPC);
	return T_DONE();
}
