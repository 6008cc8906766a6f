#include <errno.h>
#include <stdlib.h>
#include "t.h"
#include "../../lib/core/config.h"

static struct ferry_config c;

static void file(const char *s) { cfg_parse_file(&c, s, strlen(s)); }
static void cmdline(const char *s) { cfg_parse_cmdline(&c, s, strlen(s)); }

static void test_cmdline_quoting(void)
{
	cfg_init(&c, "f");
	cmdline("console=ttyS0 root=/dev/vda rootoptions=\"a b,c\" \"ferry.onfail=reboot:5\" rootwait");
	T_STREQ(cfg_get(&c, "root"), "/dev/vda");
	T_STREQ(cfg_get(&c, "rootoptions"), "a b,c");
	T_STREQ(cfg_get(&c, "ferry.onfail"), "reboot:5");
	T_OK(cfg_has(&c, "rootwait"));
	T_OK(!cfg_has(&c, "console"));  /* not ours: ignored */
	T_EQ(c.nerrors, 0);
	cfg_free(&c);
}

static void test_last_wins_and_repeat(void)
{
	const struct cfg_item *it;
	int n = 0;

	cfg_init(&c, "f");
	file("root = /dev/a\nip = dhcp\n");
	cmdline("root=/dev/b ip=eth1:dhcp root=/dev/c -- root=/dev/init-arg");
	T_STREQ(cfg_get(&c, "root"), "/dev/c");
	for (it = NULL; (it = cfg_next(&c, "ip", it)); n++)
		T_OK(n != 0 || !strcmp(it->val, "dhcp"));
	T_EQ(n, 2);
	cfg_free(&c);
}

static void test_file_errors(void)
{
	cfg_init(&c, "/etc/ferry.conf");
	file("# comment\n\n  root = \"/dev/x y\"  \nbogus = 1\nrootrw\nroot = again\nrootwait\nthis is junk\nrootinit=\"/sbin/x\n");
	T_STREQ(cfg_get(&c, "root"), "/dev/x y");
	T_OK(cfg_has(&c, "rootwait"));
	T_EQ(c.nerrors, 5);
	T_STREQ(c.errors[0], "/etc/ferry.conf:4: unknown key \"bogus\"");
	T_STREQ(c.errors[1], "/etc/ferry.conf:5: rootrw needs a value (rootrw = ...)");
	T_STREQ(c.errors[2], "/etc/ferry.conf:6: root is set again (first at line 3)");
	T_STREQ(c.errors[3], "/etc/ferry.conf:8: expected key = value, got \"this is junk\"");
	T_STREQ(c.errors[4], "/etc/ferry.conf:9: rootinit: unbalanced quote in value");
	cfg_free(&c);
}

static void test_locked(void)
{
	cfg_init(&c, "f");
	file("locked\nferry.onfail = reboot\n");
	cmdline("console=ttyS0 ferry.onfail=shell root=/dev/vdb ferry.debug ferry.nosuch=1 quiet locked.allow=root");
	T_OK(c.locked);
	T_STREQ(cfg_get(&c, "ferry.onfail"), "reboot");
	/* the empty allow-list: every word of ours is ignored, each one listed; the kernel's stay alone */
	T_OK(!cfg_has(&c, "root"));
	T_OK(!cfg_has(&c, "ferry.debug"));
	T_EQ(c.nignored, 5);
	T_STREQ(c.ignored[0], "ferry.onfail=shell");
	T_STREQ(c.ignored[1], "root=/dev/vdb");
	T_STREQ(c.ignored[2], "ferry.debug");
	T_STREQ(c.ignored[3], "ferry.nosuch=1");
	T_STREQ(c.ignored[4], "locked.allow=root");
	cfg_free(&c);
	/* locked.allow names what the command line may still set */
	cfg_init(&c, "f");
	file("locked\nlocked.allow = ferry.debug, rootwait ip\nroot = /dev/vda\n");
	cmdline("ferry.debug rootwait root=/dev/vdb init=/bin/sh ip=dhcp");
	T_EQ(c.nerrors, 0);
	T_EQ(c.nallow, 3);
	T_OK(cfg_has(&c, "ferry.debug"));
	T_OK(cfg_has(&c, "rootwait"));
	T_OK(cfg_has(&c, "ip"));
	T_STREQ(cfg_get(&c, "root"), "/dev/vda");
	T_OK(!cfg_has(&c, "init"));
	T_EQ(c.nignored, 2);
	T_STREQ(c.ignored[1], "init=/bin/sh");
	cfg_free(&c);
	/* an allow-list naming no key, or itself, is an error at its line */
	cfg_init(&c, "f");
	file("locked\nlocked.allow = root bogus locked.allow\n");
	T_EQ(c.nerrors, 2);
	T_STREQ(c.errors[0], "f:2: locked.allow: \"bogus\" is not a key the command line can set");
	T_EQ(c.nallow, 1);
	cfg_free(&c);
	/* not locked: the command line wins */
	cfg_init(&c, "f");
	file("ferry.onfail = reboot\n");
	cmdline("ferry.onfail=shell");
	T_STREQ(cfg_get(&c, "ferry.onfail"), "shell");
	cfg_free(&c);
}

static void test_typed(void)
{
	unsigned long v;
	bool b;

	cfg_init(&c, "f");
	cmdline("rootdelay=12 ferry.timeout=-1 ferry.debug rootrwreset=maybe");
	T_EQ(cfg_get_uint(&c, "rootdelay", 0, 0, 3600, &v), 0);
	T_EQ(v, 12);
	T_EQ(cfg_get_uint(&c, "ferry.timeout", 10, 0, 3600, &v), -EINVAL);
	T_EQ(v, 10);
	T_EQ(cfg_get_uint(&c, "ferry.net.timeout", 30, 0, 3600, &v), 0);
	T_EQ(v, 30);
	T_EQ(cfg_get_bool(&c, "ferry.debug", false, &b), 0);
	T_OK(b);
	T_EQ(cfg_get_bool(&c, "rootrwreset", false, &b), -EINVAL);
	T_EQ(c.nerrors, 2);
	T_STREQ(c.errors[0], "command line: ferry.timeout=-1: expected a whole number from 0 to 3600");
	cfg_free(&c);

	/* a lower bound: below it is an error naming the range, the default kept; at it, taken */
	cfg_init(&c, "f");
	cmdline("ferry.linktest.count=0 ferry.linktest.timeout=1");
	T_EQ(cfg_get_uint(&c, "ferry.linktest.count", 5, 1, 100, &v), -EINVAL);
	T_EQ(v, 5);
	T_EQ(cfg_get_uint(&c, "ferry.linktest.timeout", 9, 1, 100, &v), 0);
	T_EQ(v, 1);
	T_EQ(c.nerrors, 1);
	T_STREQ(c.errors[0], "command line: ferry.linktest.count=0: expected a whole number from 1 to 100");
	cfg_free(&c);
}

static void test_big_cmdline(void)
{
	size_t n = 64 * 1024;
	char *s = malloc(n + 1);

	for (size_t i = 0; i < n; i++)
		s[i] = "ip=dhcp \"x"[i % 10];
	s[n] = 0;
	cfg_init(&c, "f");
	cmdline(s);
	T_OK(c.n <= CFG_MAX_ITEMS);
	T_OK(c.nerrors <= 1);
	cfg_free(&c);
	free(s);
}

int main(void)
{
	test_cmdline_quoting();
	test_last_wins_and_repeat();
	test_file_errors();
	test_locked();
	test_typed();
	test_big_cmdline();
	return T_DONE();
}
