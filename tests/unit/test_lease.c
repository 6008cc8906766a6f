/* lib/net/lease.c: the lease file and resolv.conf, the same as before for ordinary values, and
 * safe for hostile ones (an ip= hostname, an interface name, a run directory). */
#include <arpa/inet.h>
#include "t.h"
#include "../../lib/net/lease.h"

static struct in_addr a4(const char *s)
{
	struct in_addr a;

	inet_pton(AF_INET, s, &a);
	return a;
}

int main(void)
{
	static char buf[4096];
	struct dhcp_route routes[2] = { { a4("0.0.0.0"), a4("10.61.0.1"), 0 }, { a4("198.51.100.0"), a4("10.61.0.2"), 24 } };
	struct in_addr dns[3] = { a4("10.61.0.53"), a4("10.61.0.54"), a4("10.61.0.55") };
	struct lease_info l = {
		.iface = "eth0", .mac = { 0, 0xbb, 0xcc, 0xdd, 0xee, 0xff }, .dhcp = true, .cls = "ethernet",
		.metric = 100, .addr = a4("10.61.0.12"), .mask = a4("255.255.255.0"), .bcast = a4("10.61.0.255"),
		.plen = 24, .routes = routes, .nroutes = 2, .dns = dns, .ndns = 1, .domain = "example.test",
		.hostname = "", .server = a4("10.61.0.1"), .mtu = 1400, .lease = 3600, .t1 = 1800, .t2 = 3150,
		.acquired_ms = 1234,
	};
	struct lease_info s = {
		.iface = "eth1", .cls = "wifi", .metric = 600, .addr = a4("192.168.1.5"), .mask = a4("255.255.255.0"),
		.plen = 24, .dns = dns + 1, .ndns = 2, .hostname = "board",
	};
	const struct lease_info *both[2] = { &l, &s };
	size_t n;

	n = lease_text(&l, buf, sizeof(buf));
	T_EQ(n, strlen(buf));
	T_STREQ(buf, "# ferry lease v1\nIFACE=eth0\nMAC=00:bb:cc:dd:ee:ff\nMETHOD=dhcp\nCLASS=ethernet\nMETRIC=100\n"
		"ADDRESS=10.61.0.12\nPREFIXLEN=24\nNETMASK=255.255.255.0\nBROADCAST=10.61.0.255\n"
		"ROUTER=10.61.0.1\nROUTES='0.0.0.0/0,10.61.0.1 198.51.100.0/24,10.61.0.2'\nDNS='10.61.0.53'\n"
		"DOMAIN='example.test'\nHOSTNAME=''\nSERVER=10.61.0.1\nMTU=1400\nLEASE=3600\nT1=1800\nT2=3150\n"
		"ACQUIRED_MS=1234\n");
	/* Too small: the length it needs, a NUL-terminated prefix. */
	T_EQ(lease_text(&l, buf, 20), n);
	T_EQ(strlen(buf), 19);

	/* Static: DNS up to the first 0.0.0.0, no DHCP keys. */
	dns[2].s_addr = 0;
	s.ndns = 2;
	s.dns = dns + 1;
	lease_text(&s, buf, sizeof(buf));
	T_OK(strstr(buf, "METHOD=static\n") && strstr(buf, "DNS='10.61.0.54'\n") && strstr(buf, "HOSTNAME='board'\n"));
	T_OK(!strstr(buf, "SERVER="));
	T_OK(strstr(buf, "ROUTER=\nROUTES=''\n") != NULL);

	/* Hostile values: quoted so that `. file` runs nothing, control characters dropped. Before
	 * lib/net/lease.c an ip= hostname went into HOSTNAME='...' as it was. */
	s.hostname = "x'$(reboot)'\n`id`";
	s.iface = "e$(id)";
	lease_text(&s, buf, sizeof(buf));
	T_OK(strstr(buf, "\nHOSTNAME='x'\\''$(reboot)'\\''`id`'\n") != NULL);
	T_OK(strstr(buf, "\nIFACE='e$(id)'\n") != NULL);
	s.iface = "eth1";
	s.hostname = "board";

	n = resolv_text(both, 2, "/run/ferry/net", buf, sizeof(buf));
	T_EQ(n, strlen(buf));
	T_STREQ(buf, "# written by ferry from /run/ferry/net/*.lease\nnameserver 10.61.0.53\nnameserver 10.61.0.54\n"
		"search example.test\n");
	/* At most three name servers; 0.0.0.0 skipped; the run directory cannot add a line. */
	l.ndns = 3;
	dns[2] = a4("0.0.0.0");
	s.ndns = 2;
	s.dns = (struct in_addr[]){ a4("0.0.0.0"), a4("9.9.9.9") };
	resolv_text(both, 2, "/x\nnameserver 6.6.6.6", buf, sizeof(buf));
	T_STREQ(buf, "# written by ferry from /xnameserver 6.6.6.6/*.lease\nnameserver 10.61.0.53\n"
		"nameserver 10.61.0.54\nnameserver 9.9.9.9\nsearch example.test\n");
	/* IPv6 from an RA: the lease's three keys; RDNSS after the v4 servers, a link-local one with
	 * its link, and left out when the link's name could not be read back. */
	{
		struct in6_addr v6[4];
		inet_pton(AF_INET6, "fe80::1", &v6[0]);
		inet_pton(AF_INET6, "2001:db8:1::", &v6[1]);
		inet_pton(AF_INET6, "2001:db8:1::53", &v6[2]);
		inet_pton(AF_INET6, "fe80::53", &v6[3]);
		s.router6 = &v6[0], s.prefix6 = &v6[1], s.plen6 = 64, s.dns6 = &v6[2], s.ndns6 = 2;
		l.ndns = 1, s.ndns = 0;
		lease_text(&s, buf, sizeof(buf));
		T_OK(strstr(buf, "\nROUTER6=fe80::1\nPREFIX6=2001:db8:1::/64\nADDRESS6=\nDNS6='2001:db8:1::53 fe80::53'\n") != NULL);
		resolv_text(both, 2, "/r", buf, sizeof(buf));
		T_STREQ(buf, "# written by ferry from /r/*.lease\nnameserver 10.61.0.53\nnameserver 2001:db8:1::53\n"
			"nameserver fe80::53%eth1\nsearch example.test\n");
		s.iface = "e th1";
		resolv_text(both, 2, "/r", buf, sizeof(buf));
		T_OK(!strstr(buf, "fe80"));
		s.router6 = NULL, s.ndns6 = 0, s.iface = "eth1";
	}
	l.domain = "evil\nnameserver 6.6.6.6";
	resolv_text(both, 1, "/r", buf, sizeof(buf));
	T_OK(!strstr(buf, "search") && !strstr(buf, "6.6.6.6"));
	/* ip=eth1:dhcp6 alone, no router: METHOD=none, the DHCPv6 address and boot file URL written */
	{
		struct lease_info v6 = { .iface = "eth1", .none4 = true, .cls = "ethernet", .metric = 100,
					.bootfile = "http://[2001:db8::1]/boot.ipxe" };
		struct in6_addr a6;
		inet_pton(AF_INET6, "2001:db8::42", &a6);
		v6.addr6 = &a6;
		lease_text(&v6, buf, sizeof(buf));
		T_OK(strstr(buf, "\nMETHOD=none\n") != NULL);
		T_OK(strstr(buf, "\nROUTER6=\nPREFIX6=\nADDRESS6=2001:db8::42\nDNS6=''\n") != NULL);
		T_OK(strstr(buf, "\nBOOTFILE='http://[2001:db8::1]/boot.ipxe'\n") != NULL ||
		     strstr(buf, "\nBOOTFILE=http://[2001:db8::1]/boot.ipxe\n") != NULL);
		T_OK(!strstr(buf, "SERVER="));
		v6.addr6 = NULL;
		lease_text(&v6, buf, sizeof(buf));
		T_OK(!strstr(buf, "ADDRESS6"));
	}
	return T_DONE();
}
