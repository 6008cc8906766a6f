/* The link test's arguments and figures: pure, so a unit test holds them to their words. */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include "linktest.h"

int lt_parse_bounded(const char *opt, const char *s, unsigned lo, unsigned hi, unsigned *out, char *why,
			 size_t len)
{
	unsigned long v = 0;
	const char *p = s;

	if (!*p) {
		snprintf(why, len, "%s: missing value", opt);
		return -EINVAL;
	}
	for (; *p; p++) {
		if (*p < '0' || *p > '9') {
			snprintf(why, len, "%s %s: not a number", opt, s);
			return -EINVAL;
		}
		if (v <= hi)  /* stop growing once out of range: no overflow, the same answer */
			v = v * 10 + (unsigned long)(*p - '0');
	}
	if (v < lo || v > hi) {
		snprintf(why, len, "%s %s: out of range %u..%u", opt, s, lo, hi);
		return -EINVAL;
	}
	*out = (unsigned)v;
	return 0;
}

static int check_ifname(const char *n, char *why, size_t len)
{
	size_t l = strlen(n);

	/* the kernel's dev_valid_name(): 1..15 bytes, not . or .., no '/', ':' or white space */
	if (!l || l > LT_IFNAME_MAX || !strcmp(n, ".") || !strcmp(n, "..") || strpbrk(n, "/: \t\n\r\v\f")) {
		snprintf(why, len, "interface name \"%s\": not a valid name (1..%d characters, no '/', ':' or space)",
			 n, LT_IFNAME_MAX);
		return -EINVAL;
	}
	return 0;
}

/* --opt VALUE or --opt=VALUE; *i moves past what was used. 1: it was opt, 0: not, -EINVAL. */
static int take_value(const char *opt, int argc, char *const argv[], int *i, const char **val, char *why,
		      size_t len)
{
	size_t ol = strlen(opt);
	const char *a = argv[*i];

	if (strncmp(a, opt, ol))
		return 0;
	if (a[ol] == '=') {
		*val = a + ol + 1;
		return 1;
	}
	if (a[ol])
		return 0;
	if (*i + 1 >= argc) {
		snprintf(why, len, "%s: missing value", opt);
		return -EINVAL;
	}
	*val = argv[++*i];
	return 1;
}

static int parse_option(int argc, char *const argv[], int *i, struct lt_args *a, char *why, size_t len)
{
	const char *v;
	int r;

	if (!strcmp(argv[*i], "-h") || !strcmp(argv[*i], "--help")) {
		a->help = 1;
		return 0;
	}
	if ((r = take_value("--count", argc, argv, i, &v, why, len)))
		return r < 0 ? r : lt_parse_bounded("--count", v, 1, LT_COUNT_MAX, &a->count, why, len);
	if ((r = take_value("--timeout", argc, argv, i, &v, why, len)))
		return r < 0 ? r : lt_parse_bounded("--timeout", v, 1, LT_TIMEOUT_MAX, &a->timeout_s, why, len);
	snprintf(why, len, "unknown option %s", argv[*i]);
	return -EINVAL;
}

int lt_args_parse(int argc, char *const argv[], struct lt_args *a, char *why, size_t len)
{
	int n = 0, ret, opts = 1;

	memset(a, 0, sizeof(*a));
	a->count = LT_COUNT_DEFAULT;
	a->timeout_s = LT_TIMEOUT_DEFAULT;
	if (len)
		why[0] = 0;
	for (int i = 1; i < argc; i++) {
		if (opts && !strcmp(argv[i], "--")) {
			opts = 0;
		} else if (opts && argv[i][0] == '-' && argv[i][1]) {
			if ((ret = parse_option(argc, argv, &i, a, why, len)))
				return ret;
		} else if (n == 2) {
			snprintf(why, len, "too many arguments: %s (two interfaces, IFACE1 IFACE2)", argv[i]);
			return -EINVAL;
		} else {
			if ((ret = check_ifname(argv[i], why, len)))
				return ret;
			a->ifname[n++] = argv[i];
		}
	}
	if (a->help)
		return 0;
	if (n < 2) {
		snprintf(why, len, "missing %s: two interfaces are needed (IFACE1 IFACE2)", n ? "IFACE2" : "IFACE1 and IFACE2");
		return -EINVAL;
	}
	if (!strcmp(a->ifname[0], a->ifname[1])) {
		snprintf(why, len, "%s given twice: the test needs two different interfaces", a->ifname[0]);
		return -EINVAL;
	}
	return 0;
}

void lt_stats_add(struct lt_stats *s, uint64_t rtt_us)
{
	if (!s->received || rtt_us < s->min_us)
		s->min_us = rtt_us;
	if (rtt_us > s->max_us)
		s->max_us = rtt_us;
	s->sum_us += rtt_us;
	s->received++;
}

unsigned lt_stats_lost(const struct lt_stats *s, unsigned count)
{
	return s->received < count ? count - s->received : 0;
}

int lt_stats_line(char *buf, size_t len, const char *from, const char *to, const struct lt_stats *s,
		  unsigned count)
{
	char rtt[80], bad[32] = "";
	unsigned lost = lt_stats_lost(s, count);

	if (s->received)
		snprintf(rtt, sizeof(rtt), "rtt min/avg/max %llu/%llu/%llu us", (unsigned long long)s->min_us,
			 (unsigned long long)((s->sum_us + s->received / 2) / s->received),
			 (unsigned long long)s->max_us);
	else
		snprintf(rtt, sizeof(rtt), "rtt -");
	if (s->corrupt)
		snprintf(bad, sizeof(bad), ", %u corrupt", s->corrupt);
	/* loss rounded up: one echo lost of 1000 is not "0% loss" */
	return snprintf(buf, len, "%s -> %s: %u/%u replies, %u%% loss%s, %s", from, to, s->received, count,
			count ? (lost * 100 + count - 1) / count : 0, bad, rtt);
}

int lt_conf_pair(const char *val, struct lt_conf *c, char *why, size_t len)
{
	const char *comma = strchr(val, ',');
	char n[2][64];

	if (!comma || strchr(comma + 1, ',')) {
		snprintf(why, len, "not two interfaces (IFACE1,IFACE2)");
		return -EINVAL;
	}
	const char *part[2] = { val, comma + 1 };
	size_t l[2] = { (size_t)(comma - val), strlen(comma + 1) };
	for (int i = 0; i < 2; i++) {
		if (l[i] >= sizeof(n[i])) {
			snprintf(why, len, "interface name \"%.20s...\": longer than %d characters", part[i], LT_IFNAME_MAX);
			return -EINVAL;
		}
		memcpy(n[i], part[i], l[i]);
		n[i][l[i]] = 0;
		if (check_ifname(n[i], why, len))
			return -EINVAL;
	}
	if (!strcmp(n[0], n[1])) {
		snprintf(why, len, "%s given twice: the test needs two different interfaces", n[0]);
		return -EINVAL;
	}
	for (int i = 0; i < 2; i++)
		memcpy(c->ifname[i], n[i], l[i] + 1);
	return 0;
}

/* Append to buf as snprintf would at buf + *n: *n counts what the whole text needs. */
static void put(char *buf, size_t len, size_t *n, const char *fmt, ...)
{
	va_list ap;
	int w;

	va_start(ap, fmt);
	w = vsnprintf(*n < len ? buf + *n : NULL, *n < len ? len - *n : 0, fmt, ap);
	va_end(ap);
	*n += w > 0 ? (size_t)w : 0;
}

/* KEY=VALUE, the value in single quotes unless it is only characters no shell treats specially;
 * control characters become '?'. */
static size_t env_put(char *buf, size_t len, size_t n, const char *key, const char *val)
{
	bool plain = *val != 0;

	for (const char *p = val; *p && plain; p++)
		plain = strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.,:/+-@%", *p) != NULL;
	if (plain) {
		put(buf, len, &n, "%s=%s\n", key, val);
		return n;
	}
	put(buf, len, &n, "%s='", key);
	for (const char *p = val; *p; p++)
		if (*p == '\'')
			put(buf, len, &n, "'\\''");
		else
			put(buf, len, &n, "%c", (unsigned char)*p < 0x20 || *p == 0x7f ? '?' : *p);
	put(buf, len, &n, "'\n");
	return n;
}

int lt_env(char *buf, size_t len, const struct lt_result *r)
{
	char v[320];
	size_t n = 0;
	unsigned got = r->st[0].received + r->st[1].received;
	uint64_t sum = r->st[0].sum_us + r->st[1].sum_us, min = 0, max = 0;

	for (int i = 0, any = 0; i < 2; i++)
		if (r->st[i].received) {
			if (!any++ || r->st[i].min_us < min)
				min = r->st[i].min_us;
			if (r->st[i].max_us > max)
				max = r->st[i].max_us;
		}
	if (len)
		buf[0] = 0;
	n = env_put(buf, len, n, "LINKTEST", r->reason[0] ? "fail" : "pass");
	n = env_put(buf, len, n, "LINKTEST_IFACE1", r->ifname[0]);
	n = env_put(buf, len, n, "LINKTEST_IFACE2", r->ifname[1]);
	snprintf(v, sizeof(v), "%u", r->count);
	n = env_put(buf, len, n, "LINKTEST_COUNT", v);
	snprintf(v, sizeof(v), "%u", got);
	n = env_put(buf, len, n, "LINKTEST_RECEIVED", v);
	snprintf(v, sizeof(v), "%u", lt_stats_lost(&r->st[0], r->count) + lt_stats_lost(&r->st[1], r->count));
	n = env_put(buf, len, n, "LINKTEST_LOST", v);
	snprintf(v, sizeof(v), "%u", r->st[0].corrupt + r->st[1].corrupt);
	n = env_put(buf, len, n, "LINKTEST_CORRUPT", v);
	if (got) {
		snprintf(v, sizeof(v), "%llu/%llu/%llu", (unsigned long long)min,
			 (unsigned long long)((sum + got / 2) / got), (unsigned long long)max);
		n = env_put(buf, len, n, "LINKTEST_RTT_US", v);
	} else {
		n = env_put(buf, len, n, "LINKTEST_RTT_US", "-");
	}
	snprintf(v, sizeof(v), "%llu", (unsigned long long)r->ms);
	n = env_put(buf, len, n, "LINKTEST_MS", v);
	lt_stats_line(v, sizeof(v), r->ifname[0], r->ifname[1], &r->st[0], r->count);
	n = env_put(buf, len, n, "LINKTEST_1TO2", v);
	lt_stats_line(v, sizeof(v), r->ifname[1], r->ifname[0], &r->st[1], r->count);
	n = env_put(buf, len, n, "LINKTEST_2TO1", v);
	n = env_put(buf, len, n, "LINKTEST_REASON", r->reason);
	return (int)n;
}
