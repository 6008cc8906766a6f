#include <errno.h>
#include "t.h"
#include "../../lib/net/dns.h"

int main(void)
{
	uint8_t q[512], a[4], a6[16];
	const char *why;
	static const uint8_t want[] = "\x12\x34\x01\x00\x00\x01\x00\x00\x00\x00\x00\x00\x04" "boot\x04" "test\x00\x00\x01\x00\x01";
	/* an answer: the question, a CNAME (compressed), then the A record of its target */
	static const uint8_t ans[] = "\x12\x34\x81\x80\x00\x01\x00\x02\x00\x00\x00\x00"
		"\x04" "boot\x04" "test\x00\x00\x01\x00\x01"
		"\xc0\x0c\x00\x05\x00\x01\x00\x00\x00\x3c\x00\x05\x02" "ns\xc0\x11"
		"\xc0\x22\x00\x01\x00\x01\x00\x00\x00\x3c\x00\x04\x0a\x47\x00\x01";

	T_EQ(dns_query(q, sizeof(q), 0x1234, "boot.test", DNS_TYPE_A), (int)sizeof(want) - 1);
	T_MEMEQ(q, want, sizeof(want) - 1);
	T_EQ(dns_query(q, sizeof(q), 1, "boot.test.", DNS_TYPE_A), (int)sizeof(want) - 1);
	T_EQ(dns_query(q, sizeof(q), 1, "a..b", DNS_TYPE_A), -EINVAL);
	T_EQ(dns_query(q, sizeof(q), 1, "a b", DNS_TYPE_A), -EINVAL);
	T_EQ(dns_query(q, sizeof(q), 1, "", DNS_TYPE_A), -EINVAL);
	T_EQ(dns_query(q, 10, 1, "x", DNS_TYPE_A), -EINVAL);

	T_EQ(dns_answer(ans, sizeof(ans) - 1, 0x1234, DNS_TYPE_A, a, &why), 0);
	T_MEMEQ(a, "\x0a\x47\x00\x01", 4);
	T_EQ(dns_answer(ans, sizeof(ans) - 1, 0x1235, DNS_TYPE_A, a, &why), -ESRCH);
	T_EQ(dns_answer(ans, sizeof(ans) - 1, 0x1234, DNS_TYPE_AAAA, a6, &why), -ENOENT);
	for (size_t n = 0; n < sizeof(ans) - 1; n++)   /* every truncation: an error, never a read beyond */
		T_OK(dns_answer(ans, n, 0x1234, DNS_TYPE_A, a, &why) < 0);
	{
		uint8_t b[sizeof(ans)];
		memcpy(b, ans, sizeof(ans));
		b[3] = 0x83;
		T_EQ(dns_answer(b, sizeof(b) - 1, 0x1234, DNS_TYPE_A, a, &why), -ENOENT);
		T_STREQ(why, "no such name (NXDOMAIN)");
		b[3] = 0x82;
		T_EQ(dns_answer(b, sizeof(b) - 1, 0x1234, DNS_TYPE_A, a, &why), -EPROTO);
		b[3] = 0x80; b[2] = 0x83;
		T_EQ(dns_answer(b, sizeof(b) - 1, 0x1234, DNS_TYPE_A, a, &why), -EMSGSIZE);
		memcpy(b, ans, sizeof(ans));
		b[0x2c] = 0xc0; b[0x2d] = 0x2c;   /* the A record's name points at itself: skipped, never followed */
		T_OK(dns_answer(b, sizeof(b) - 1, 0x1234, DNS_TYPE_A, a, &why) <= 0);
	}
	return T_DONE();
}
