/* ferry's own POSIX extended regular expressions, for GRUB's `regexp` command (lib/boot/grubcfg.c),
 * instead of musl's TRE (about 26 KiB). Pure: no allocation, the compiled program lives in struct rx
 * (fixed bounds), matching is a backtracking search with a step budget, so an untrusted grub.cfg
 * can make it fail (named) but never hang or overflow.
 *
 * Supported (as POSIX ERE, REG_EXTENDED without REG_ICASE/REG_NEWLINE, C locale, bytes):
 *   literals; `.` (any byte, newline too); bracket expressions `[...]` `[^...]` with ranges
 *   (byte order), `]` first and `-` first or last literal, backslash literal inside, and the classes
 *   [:alpha:] [:digit:] [:alnum:] [:upper:] [:lower:] [:space:] [:xdigit:] [:punct:] [:blank:]
 *   [:cntrl:] [:print:] [:graph:]; anchors `^` `$` (anywhere: "a^b" never matches); `*` `+` `?`
 *   `{m}` `{m,}` `{m,n}` (m <= n <= 255); groups `(...)` capturing, up to RX_NSUB; alternation `|`;
 *   a backslash before one of . [ ] ( ) * + ? { } | ^ $ \ / - makes it literal; a lone `]` or `}`
 *   is literal.
 * Rejected at compile (never silently matched differently): back-references \1..\9, GNU escapes
 *   (\w \s \b \< \` ...) and any other backslash pair, [= =] and [. .], a repetition with nothing
 *   to repeat (at the start of a branch, after `(`, `|`, `^`, `$` or another repetition: POSIX
 *   leaves these undefined), a repeated group holding an anchor ("(^a)*", whose captures glibc
 *   reports in its own way), empty branches and empty groups ("a|", "()"), "{,n}", unbalanced
 *   parentheses or brackets, a range whose end sorts before its start, more than RX_NSUB groups,
 *   and any pattern whose program exceeds RX_PROG instructions or RX_LOOPS loops.
 *
 * Matching: the leftmost match, and of those the longest (POSIX): the search at each start is
 * exhaustive, so the overall match is exactly POSIX's. Subexpressions: of the equally long matches,
 * the first in backtracking order (alternatives left first, repetitions greedy), which is what
 * glibc's and gnulib's regexec (GRUB's own regexp) report, and not always POSIX: POSIX gives
 * (a|ab)(c|bcd)(d*) on "abcd" the groups "ab" "c" "d", glibc and ferry "a" "bcd" "". A repeated
 * group reports its last iteration; an iteration that matched nothing counts only as a loop's
 * first (so (a*)* on "aa" gives \1 = "aa", as glibc). tests/unit/test_regex.c compares with glibc
 * case by case, tests/fuzz/fuzz_regex.c at random. */
#ifndef FERRY_REGEX_H
#define FERRY_REGEX_H
#include <errno.h>

#define RX_NSUB 9          /* capture groups \1..\9 */
#define RX_PROG 1024       /* instructions of a compiled pattern */
#define RX_SETS 32         /* bracket expressions */
#define RX_LOOPS 64        /* `*`, `+` and `{m,}` loops */
#define RX_STEPS 200000    /* instructions one rx_exec may run */
#define RX_DEPTH 4000      /* backtracking depth one rx_exec may reach */

/* rx_compile: -EINVAL malformed pattern, -ENOTSUP valid POSIX/GNU syntax ferry does not take,
 * -E2BIG too large for the bounds above. rx_exec: -ERANGE when the budget (RX_STEPS, RX_DEPTH) ran out. */
#define RX_ESYNTAX (-EINVAL)
#define RX_EUNSUP (-ENOTSUP)
#define RX_ESIZE (-E2BIG)
#define RX_EBUDGET (-ERANGE)

struct rx_ins {
	unsigned char op, a;
	unsigned short x, y;
};

struct rx {
	unsigned short n;          /* instructions */
	unsigned char nsub;        /* groups in the pattern */
	unsigned char nsets, nloops;
	struct rx_ins ins[RX_PROG];
	unsigned char sets[RX_SETS][32];
};

struct rx_match {
	int so, eo;                /* byte offsets, -1 when the group did not take part */
};

/* 0, or a negative error above. Not reentrant: its scratch space is static (PID 1 is one thread). */
int rx_compile(struct rx *re, const char *pattern);
/* Match s (NUL-terminated): 1 with m[0] the match and m[1..nm-1] the groups (nm <= RX_NSUB + 1),
 * 0 no match, RX_EBUDGET. */
int rx_exec(const struct rx *re, const char *s, struct rx_match *m, int nm);

#endif
