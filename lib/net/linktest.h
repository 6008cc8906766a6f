/* The factory link test's pure parts: its arguments and its figures (init/linktest.c does the rest). */
#ifndef FERRY_LINKTEST_H
#define FERRY_LINKTEST_H
#include <stddef.h>
#include <stdint.h>

#define LT_COUNT_DEFAULT   5
#define LT_COUNT_MAX       1000
#define LT_TIMEOUT_DEFAULT 5           /* seconds, for the whole test */
#define LT_TIMEOUT_MAX     600
#define LT_IFNAME_MAX      15          /* IFNAMSIZ - 1 */

struct lt_args {
	unsigned count, timeout_s;
	const char *ifname[2];
	int help;                          /* -h / --help: print the usage, nothing else */
};

/* argv[0] is "linktest". 0, or -EINVAL with why set to a sentence that names the argument:
 * "unknown option --foo", "--count 0: out of range 1..1000", "missing IFACE2", ... */
int lt_args_parse(int argc, char *const argv[], struct lt_args *a, char *why, size_t len);

/* One direction's echoes. Round-trip times in microseconds (no floating point in ferry). */
struct lt_stats {
	unsigned sent, received, corrupt;  /* corrupt: replies with damaged payloads (not received) */
	uint64_t min_us, max_us, sum_us;
};
void lt_stats_add(struct lt_stats *s, uint64_t rtt_us);
/* Echoes lost out of count (those never sent, at a timeout, too). */
unsigned lt_stats_lost(const struct lt_stats *s, unsigned count);
/* "eth0 -> eth1: 5/5 replies, 0% loss, rtt min/avg/max 31/45/88 us" (", 1 corrupt" when any;
 * "rtt -" with no reply). snprintf's result. */
int lt_stats_line(char *buf, size_t len, const char *from, const char *to, const struct lt_stats *s,
		  unsigned count);

/* The test at boot: ferry.linktest=IFACE1,IFACE2 (ferry.linktest.count=, ferry.linktest.timeout=).
 * ifname[0][0] == 0: no test. */
struct lt_conf {
	char ifname[2][LT_IFNAME_MAX + 1];
	unsigned count, timeout_s;
};
/* "eth0,eth1" into c's names: 0, or -EINVAL with why saying what is wrong with it. */
int lt_conf_pair(const char *val, struct lt_conf *c, char *why, size_t len);
/* A decimal in lo..hi (what = the key or option, for why): 0, or -EINVAL. */
int lt_parse_bounded(const char *what, const char *s, unsigned lo, unsigned hi, unsigned *out, char *why,
		     size_t len);

/* What one test found: the summary and the file for the target. */
struct lt_result {
	char ifname[2][LT_IFNAME_MAX + 1];
	unsigned count;                    /* echoes each way */
	struct lt_stats st[2];             /* [0]: IFACE1 -> IFACE2, [1]: back */
	uint64_t ms;                       /* from the first echo to the last reply */
	char reason[300];                  /* why it failed, "" : it passed */
};
/* /run/ferry/linktest: sourceable KEY=value lines (values in single quotes where the shell needs
 * them), LINKTEST=pass|fail first. snprintf's result. */
int lt_env(char *buf, size_t len, const struct lt_result *r);

#endif
