#include <errno.h>
#include "t.h"
#include "../../lib/net/linktest.h"

static char why[160];
static struct lt_args a;

#define PARSE(...) lt_args_parse(sizeof((char *[]){ "linktest", __VA_ARGS__ }) / sizeof(char *), \
				 (char *[]){ "linktest", __VA_ARGS__ }, &a, why, sizeof(why))

int main(void)
{
	char line[200];
	struct lt_stats s = { 0 };

	/* defaults and both option forms */
	T_EQ(PARSE("eth0", "eth1"), 0);
	T_EQ(a.count, 5); T_EQ(a.timeout_s, 5);
	T_STREQ(a.ifname[0], "eth0"); T_STREQ(a.ifname[1], "eth1");
	T_EQ(PARSE("--count", "1000", "--timeout=600", "eth0", "eth1"), 0);
	T_EQ(a.count, 1000); T_EQ(a.timeout_s, 600);
	T_EQ(PARSE("eth0", "--count=1", "eth1", "--timeout", "1"), 0);
	T_EQ(a.count, 1); T_EQ(a.timeout_s, 1);
	T_EQ(PARSE("--", "-odd", "eth1"), 0);
	T_STREQ(a.ifname[0], "-odd");
	T_EQ(PARSE("--help"), 0);
	T_EQ(a.help, 1);

	/* each error named */
	T_EQ(PARSE("--bogus", "eth0", "eth1"), -EINVAL);
	T_STREQ(why, "unknown option --bogus");
	T_EQ(PARSE("--countx=3", "eth0", "eth1"), -EINVAL);
	T_STREQ(why, "unknown option --countx=3");
	T_EQ(PARSE("eth0"), -EINVAL);
	T_STREQ(why, "missing IFACE2: two interfaces are needed (IFACE1 IFACE2)");
	T_EQ(PARSE("--count", "3"), -EINVAL);
	T_STREQ(why, "missing IFACE1 and IFACE2: two interfaces are needed (IFACE1 IFACE2)");
	T_EQ(PARSE("eth0", "eth1", "eth2"), -EINVAL);
	T_STREQ(why, "too many arguments: eth2 (two interfaces, IFACE1 IFACE2)");
	T_EQ(PARSE("eth0", "eth0"), -EINVAL);
	T_STREQ(why, "eth0 given twice: the test needs two different interfaces");
	T_EQ(PARSE("--count", "0", "eth0", "eth1"), -EINVAL);
	T_STREQ(why, "--count 0: out of range 1..1000");
	T_EQ(PARSE("--count", "1001", "eth0", "eth1"), -EINVAL);
	T_STREQ(why, "--count 1001: out of range 1..1000");
	T_EQ(PARSE("--count", "99999999999999999999999", "eth0", "eth1"), -EINVAL);
	T_STREQ(why, "--count 99999999999999999999999: out of range 1..1000");
	T_EQ(PARSE("--count", "-1", "eth0", "eth1"), -EINVAL);
	T_STREQ(why, "--count -1: not a number");
	T_EQ(PARSE("--count=", "eth0", "eth1"), -EINVAL);
	T_STREQ(why, "--count: missing value");
	T_EQ(PARSE("eth0", "eth1", "--timeout"), -EINVAL);
	T_STREQ(why, "--timeout: missing value");
	T_EQ(PARSE("--timeout", "0", "eth0", "eth1"), -EINVAL);
	T_STREQ(why, "--timeout 0: out of range 1..600");
	T_EQ(PARSE("--timeout", "601", "eth0", "eth1"), -EINVAL);
	T_STREQ(why, "--timeout 601: out of range 1..600");
	T_EQ(PARSE("--timeout", "5s", "eth0", "eth1"), -EINVAL);
	T_STREQ(why, "--timeout 5s: not a number");
	T_EQ(PARSE("eth0", "a-name-of-16-chr"), -EINVAL);
	T_STREQ(why, "interface name \"a-name-of-16-chr\": not a valid name (1..15 characters, no '/', ':' or space)");
	T_EQ(PARSE("eth0", "a-name-of-15-ch"), 0);
	T_EQ(PARSE("eth0", "../x"), -EINVAL);
	T_EQ(PARSE("eth0", ".."), -EINVAL);
	T_EQ(PARSE("eth0", ""), -EINVAL);

	/* figures: integers, avg rounded, loss rounded up */
	lt_stats_line(line, sizeof(line), "lt0", "lt1", &s, 5);
	T_STREQ(line, "lt0 -> lt1: 0/5 replies, 100% loss, rtt -");
	s.sent = 5;
	lt_stats_add(&s, 30); lt_stats_add(&s, 10); lt_stats_add(&s, 21);
	T_EQ(s.min_us, 10); T_EQ(s.max_us, 30); T_EQ(lt_stats_lost(&s, 5), 2);
	lt_stats_line(line, sizeof(line), "lt0", "lt1", &s, 5);
	T_STREQ(line, "lt0 -> lt1: 3/5 replies, 40% loss, rtt min/avg/max 10/20/30 us");
	lt_stats_add(&s, 40); lt_stats_add(&s, 40);
	s.corrupt = 1;
	lt_stats_line(line, sizeof(line), "lt0", "lt1", &s, 5);
	T_STREQ(line, "lt0 -> lt1: 5/5 replies, 0% loss, 1 corrupt, rtt min/avg/max 10/28/40 us");
	memset(&s, 0, sizeof(s));
	for (int i = 0; i < 999; i++)
		lt_stats_add(&s, 100);
	lt_stats_line(line, sizeof(line), "a", "b", &s, 1000);
	T_STREQ(line, "a -> b: 999/1000 replies, 1% loss, rtt min/avg/max 100/100/100 us");

	/* ferry.linktest=IFACE1,IFACE2 */
	struct lt_conf c = { 0 };
	T_EQ(lt_conf_pair("eth0,eth1", &c, why, sizeof(why)), 0);
	T_STREQ(c.ifname[0], "eth0"); T_STREQ(c.ifname[1], "eth1");
	T_EQ(lt_conf_pair("a-name-of-15-ch,b", &c, why, sizeof(why)), 0);
	T_STREQ(c.ifname[0], "a-name-of-15-ch"); T_STREQ(c.ifname[1], "b");
	memset(&c, 0, sizeof(c));
	T_EQ(lt_conf_pair("eth0", &c, why, sizeof(why)), -EINVAL);
	T_STREQ(why, "not two interfaces (IFACE1,IFACE2)");
	T_EQ(c.ifname[0][0], 0);  /* nothing kept from a bad value */
	T_EQ(lt_conf_pair("eth0,eth1,eth2", &c, why, sizeof(why)), -EINVAL);
	T_STREQ(why, "not two interfaces (IFACE1,IFACE2)");
	T_EQ(lt_conf_pair(",eth1", &c, why, sizeof(why)), -EINVAL);
	T_STREQ(why, "interface name \"\": not a valid name (1..15 characters, no '/', ':' or space)");
	T_EQ(lt_conf_pair("eth0,", &c, why, sizeof(why)), -EINVAL);
	T_EQ(lt_conf_pair("eth0,eth0", &c, why, sizeof(why)), -EINVAL);
	T_STREQ(why, "eth0 given twice: the test needs two different interfaces");
	T_EQ(lt_conf_pair("eth0,a-name-of-16-chr", &c, why, sizeof(why)), -EINVAL);
	T_STREQ(why, "interface name \"a-name-of-16-chr\": not a valid name (1..15 characters, no '/', ':' or space)");
	T_EQ(lt_conf_pair("eth0,0123456789012345678901234567890123456789012345678901234567890123456789", &c, why,
			  sizeof(why)), -EINVAL);
	T_STREQ(why, "interface name \"01234567890123456789...\": longer than 15 characters");
	T_EQ(lt_conf_pair("eth0,e th1", &c, why, sizeof(why)), -EINVAL);
	T_EQ(c.ifname[0][0], 0);

	/* /run/ferry/linktest: a pass, both directions' figures, one line a key */
	char env[2048];
	struct lt_result r = { .ifname = { "eth0", "eth1" }, .count = 2, .ms = 3 };
	lt_stats_add(&r.st[0], 40); lt_stats_add(&r.st[0], 60);
	lt_stats_add(&r.st[1], 20); lt_stats_add(&r.st[1], 80);
	r.st[0].sent = r.st[1].sent = 2;
	T_EQ(lt_env(env, sizeof(env), &r), (int)strlen(env));
	T_STREQ(env, "LINKTEST=pass\n"
		"LINKTEST_IFACE1=eth0\n"
		"LINKTEST_IFACE2=eth1\n"
		"LINKTEST_COUNT=2\n"
		"LINKTEST_RECEIVED=4\n"
		"LINKTEST_LOST=0\n"
		"LINKTEST_CORRUPT=0\n"
		"LINKTEST_RTT_US=20/50/80\n"
		"LINKTEST_MS=3\n"
		"LINKTEST_1TO2='eth0 -> eth1: 2/2 replies, 0% loss, rtt min/avg/max 40/50/60 us'\n"
		"LINKTEST_2TO1='eth1 -> eth0: 2/2 replies, 0% loss, rtt min/avg/max 20/50/80 us'\n"
		"LINKTEST_REASON=''\n");
	/* a failure: no reply at all, the reason quoted for the shell, a quote in it escaped */
	memset(&r.st, 0, sizeof(r.st));
	r.ms = 0;
	snprintf(r.reason, sizeof(r.reason), "eth1: it's gone;\n$(reboot)");
	lt_env(env, sizeof(env), &r);
	T_OK(strstr(env, "LINKTEST=fail\n") == env);
	T_OK(strstr(env, "\nLINKTEST_RECEIVED=0\nLINKTEST_LOST=4\n"));
	T_OK(strstr(env, "\nLINKTEST_RTT_US=-\n"));
	T_OK(strstr(env, "\nLINKTEST_2TO1='eth1 -> eth0: 0/2 replies, 100% loss, rtt -'\n"));
	T_OK(strstr(env, "\nLINKTEST_REASON='eth1: it'\\''s gone;?$(reboot)'\n"));
	/* one direction only: the minimum is that direction's */
	memset(&r.st, 0, sizeof(r.st));
	lt_stats_add(&r.st[1], 7);
	lt_env(env, sizeof(env), &r);
	T_OK(strstr(env, "\nLINKTEST_RTT_US=7/7/7\n"));
	/* a buffer too small: cut, NUL-terminated, the length needed returned */
	int need = lt_env(NULL, 0, &r);
	T_EQ(lt_env(env, 10, &r), need);
	T_EQ(strlen(env), 9);
	return T_DONE();
}
