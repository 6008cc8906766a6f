/* ferry's POSIX ERE (lib/core/regex.c) against glibc's regcomp/regexec, case by case: every pattern
 * ferry accepts glibc must accept, and then both must agree on match or no match and on every
 * capture offset. Then what ferry rejects on purpose (GNU extensions, undefined repetitions), the
 * step budget on an exponential search, and the GRUB `regexp` idioms with their expected groups. */
#include <regex.h>
#include <stdio.h>
#include <string.h>
#include "t.h"
#include "../../lib/core/regex.h"

/* A pattern and the subjects it is tried on (NULL-terminated). */
static const struct {
	const char *re;
	const char *subj[8];
} cases[] = {
	/* GRUB configs: device and path parsing */
	{ "^\\(([^)]+)\\)", { "(hd0,gpt2)/boot/vmlinuz", "(md/0)", "hd0", "()", "(a)(b)", NULL } },
	{ "^\\((.*)\\)/", { "(hd0,msdos1)/vmlinuz", "(a)/(b)/c", "(x)", "/boot", NULL } },
	{ "^(\\([^)]*\\))?(/.*)$", { "(hd0)/boot/vmlinuz", "/boot/vmlinuz", "(hd0)", "boot", NULL } },
	{ "^([^,]+),(.*)$", { "hd0,gpt2", "hd0,", ",gpt2", "hd0", NULL } },
	{ "^hd([0-9]+),(gpt|msdos)([0-9]+)$", { "hd0,gpt2", "hd12,msdos1", "hd,gpt1", "hd0,gpt", NULL } },
	{ "([^/]+)$", { "/boot/vmlinuz-6.1.0", "/", "vmlinuz", "", NULL } },
	{ "^(.*)/([^/]*)$", { "/boot/grub/grub.cfg", "/x", "x", "a/b/", NULL } },
	{ "vmlinuz-(.*)", { "/boot/vmlinuz-6.1.0-13-amd64", "vmlinuz-", "vmlinuz", NULL } },
	{ "^([0-9]+)\\.([0-9]+)(\\.([0-9]+))?", { "6.1.0", "6.1", "6", "v6.1", "10.20.30-rc1", NULL } },
	{ "^[[:xdigit:]]{8}-[[:xdigit:]]{4}$", { "deadBEEF-0123", "deadbeef-012", "deadbeefx-0123", NULL } },
	{ "^[0-9a-f]{4}-[0-9a-f]{4}", { "1a2b-3c4d", "1a2b3c4d", "1A2B-3C4D", NULL } },
	{ "root=([^ ]+)", { "ro root=/dev/sda1 quiet", "root=", "noroot", "root=UUID=1234", NULL } },
	{ "(^| )quiet( |$)", { "ro quiet", "quiet splash", "ro quietly", "quiet", NULL } },
	{ "^(console|earlycon)=(.*)", { "console=ttyS0,115200", "earlycon=uart", "cons=x", NULL } },
	{ "efi", { "x86_64-efi", "i386-pc", "", NULL } },
	{ "^x86_64-efi$", { "x86_64-efi", "x86_64-efi2", NULL } },
	{ "\\.(efi|EFI)$", { "shimx64.efi", "grubx64.EFI", "efi", "a.efix", NULL } },
	{ "^/EFI/([^/]+)/", { "/EFI/debian/shimx64.efi", "/EFI//x", "/efi/debian/", NULL } },
	/* literals, dot, anchors */
	{ "abc", { "abc", "xabcx", "ab", "aabbcc", "abcabc", NULL } },
	{ "a.c", { "abc", "a.c", "ac", "a\nc", NULL } },
	{ "^$", { "", "a", NULL } },
	{ "^a", { "ab", "ba", NULL } },
	{ "b$", { "ab", "ba", "b\n", NULL } },
	{ "a^b", { "a^b", "ab", NULL } },
	{ "a$b", { "a$b", "ab", NULL } },
	{ "x]y}", { "x]y}", "xy", NULL } },
	/* escapes */
	{ "a\\.b", { "a.b", "axb", NULL } },
	{ "\\(\\)\\[\\]\\{\\}\\*\\+\\?\\|\\^\\$\\\\", { "()[]{}*+?|^$\\", "x", NULL } },
	{ "a\\/b\\-c", { "a/b-c", NULL } },
	/* brackets */
	{ "[abc]+", { "xxbcay", "d", NULL } },
	{ "[^abc]+", { "abxyzc", "abc", "a\nb", NULL } },
	{ "[a-f0-9]+", { "zz09afgz", "G", NULL } },
	{ "[]a]", { "]", "a", "b", NULL } },
	{ "[^]a]", { "]", "a", "b", NULL } },
	{ "[a-]", { "-", "a", "b", NULL } },
	{ "[-a]", { "-", "b", NULL } },
	{ "[--/]+", { ".-/", "a", NULL } },
	{ "[\\]+", { "a\\\\b", "n", NULL } },
	{ "[.*+?]+", { "a.*+?b", "ab", NULL } },
	{ "[[:digit:]]+", { "ab123c", "abc", NULL } },
	{ "[[:alpha:]]+", { "12abC3", "123", NULL } },
	{ "[[:alnum:]_]+", { "--a_1B--", "--", NULL } },
	{ "[[:space:]]+", { "a \t\nb", "ab", NULL } },
	{ "[[:upper:]][[:lower:]]+", { "xHello", "HELLO", NULL } },
	{ "[[:punct:]]+", { "ab!@#c", "abc", NULL } },
	{ "[^[:space:]]+", { "  word  ", "   ", NULL } },
	{ "[[:blank:]]", { "a\tb", "a\nb", NULL } },
	{ "[[:digit:][:upper:]]+", { "abC9Dx", NULL } },
	/* repetition */
	{ "a*", { "", "aaa", "baaa", NULL } },
	{ "a+", { "", "baaab", NULL } },
	{ "ab?c", { "ac", "abc", "abbc", NULL } },
	{ "a{3}", { "aa", "aaa", "aaaa", NULL } },
	{ "a{2,}", { "a", "aa", "aaaaa", NULL } },
	{ "a{2,3}", { "a", "aa", "aaaa", NULL } },
	{ "a{0}b", { "b", "ab", NULL } },
	{ "a{0,1}b", { "b", "ab", "aab", NULL } },
	{ "(ab){2}", { "abab", "ab", "ababab", NULL } },
	{ "(ab){1,2}c", { "abc", "ababc", "abababc", NULL } },
	{ "x(a|b){2,}y", { "xaby", "xay", "xabbay", NULL } },
	{ ".*", { "", "abc", NULL } },
	{ "(.*)(.*)", { "abc", NULL } },
	{ "(a*)(a*)", { "aaa", "b", NULL } },
	{ "(a*)+", { "aa", "b", NULL } },
	{ "(a*)*", { "aa", "b", NULL } },
	{ "(a|b)*", { "abab", "", "c", NULL } },
	{ "(a+|b+)*", { "aabba", NULL } },
	{ "(a|ab)(c|bcd)", { "abcd", "abc", NULL } },
	{ "(a|ab)(c|bcd)(d*)", { "abcd", NULL } },
	{ "(ab|a)(bc|c)", { "abc", NULL } },
	{ "(a*)b", { "aab", "b", "aa", NULL } },
	{ "a(b*)(c*)d", { "abbcd", "ad", "acd", NULL } },
	/* groups and alternation */
	{ "a|b", { "a", "b", "c", NULL } },
	{ "abc|abd", { "abd", "abe", NULL } },
	{ "(a)|(b)", { "b", "a", NULL } },
	{ "x(a|bc|d)y", { "xay", "xbcy", "xdy", "xby", NULL } },
	{ "(((a)))", { "a", NULL } },
	{ "(a(b(c)))", { "abc", "ab", NULL } },
	{ "(a)(b)(c)(d)(e)(f)(g)(h)(i)", { "abcdefghi", "abcdefgh", NULL } },
	{ "^(a|b|c)+$", { "abcab", "abd", NULL } },
	{ "(foo|foobar)", { "foobar", NULL } },
	{ "(foo|foobar)(bar)?", { "foobar", NULL } },
	{ "([0-9]+)-([0-9]+)", { "x12-345y", "12-", NULL } },
	{ "(^a|b$)", { "ab", "cb", "ca", NULL } },
};

/* ferry rejects these (glibc takes most of them): each must fail to compile, never match. */
static const char *const rejected[] = {
	"\\1", "(a)\\1", "\\w+", "\\s", "\\bfoo", "\\<a", "a\\'", "\\n", "[[=a=]]", "[[.a.]]", "*a", "a**",
	"a*{2}", "^*", "(*a)", "a|*b", "a|", "|a", "()", "(|a)", "a{,3}", "a{3,2}", "a{", "a{1", "a{x}",
	"(a", "a)", "[a", "[]", "[z-a]", "[[:foo:]]", "[a-[:digit:]]", "a{256}", "(a)(b)(c)(d)(e)(f)(g)(h)(i)(j)",
	"\\", "a+?", "(a*^)*", "(a|$)+",
};

static int n_cases;

static void compare(const char *pat, const char *subj)
{
	regex_t g;
	regmatch_t gm[RX_NSUB + 1];
	struct rx_match fm[RX_NSUB + 1];
	static struct rx re;
	int fc = rx_compile(&re, pat), gc = regcomp(&g, pat, REG_EXTENDED);

	n_cases++;
	T_CHECK(fc || !gc, "/%s/: ferry compiles it, glibc says %d", pat, gc);
	if (fc || gc) {
		if (!gc)
			regfree(&g);
		return;
	}
	T_CHECK(re.nsub == g.re_nsub, "/%s/: %d groups, glibc %zu", pat, re.nsub, g.re_nsub);
	int fr = rx_exec(&re, subj, fm, RX_NSUB + 1);
	int gr = regexec(&g, subj, RX_NSUB + 1, gm, 0) == 0;
	T_CHECK(fr == gr, "/%s/ on \"%s\": ferry %d, glibc %d", pat, subj, fr, gr);
	for (int k = 0; fr == 1 && gr && k <= (int)g.re_nsub; k++)
		T_CHECK(fm[k].so == gm[k].rm_so && fm[k].eo == gm[k].rm_eo,
			"/%s/ on \"%s\" \\%d: ferry %d-%d, glibc %d-%d", pat, subj, k, fm[k].so, fm[k].eo,
			(int)gm[k].rm_so, (int)gm[k].rm_eo);
	regfree(&g);
}

static void expect(const char *pat, const char *subj, int k, const char *want)
{
	static struct rx re;
	struct rx_match m[RX_NSUB + 1];
	char got[256] = "(unset)";

	T_EQ(rx_compile(&re, pat), 0);
	T_EQ(rx_exec(&re, subj, m, RX_NSUB + 1), 1);
	if (m[k].so >= 0)
		snprintf(got, sizeof(got), "%.*s", m[k].eo - m[k].so, subj + m[k].so);
	T_STREQ(got, want);
}

int main(void)
{
	static struct rx re;
	struct rx_match m[RX_NSUB + 1];
	char big[1001];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		for (int j = 0; cases[i].subj[j]; j++)
			compare(cases[i].re, cases[i].subj[j]);
	T_CHECK(n_cases >= 150, "%d cases against glibc", n_cases);
	for (size_t i = 0; i < sizeof(rejected) / sizeof(rejected[0]); i++) {
		int r = rx_compile(&re, rejected[i]);
		T_CHECK(r < 0, "/%s/ compiles (%d)", rejected[i], r);
	}
	T_EQ(rx_compile(&re, "\\1"), RX_EUNSUP);
	T_EQ(rx_compile(&re, "(a"), RX_ESYNTAX);
	T_EQ(rx_compile(&re, "((a{255}){255}){255}"), RX_ESIZE);

	/* GRUB idioms, the group --set takes */
	expect("^\\(([^)]+)\\)", "(hd0,gpt2)/boot/vmlinuz", 1, "hd0,gpt2");
	expect("^\\((.*)\\)/", "(hd0,msdos1)/vmlinuz", 1, "hd0,msdos1");
	expect("^\\((.*)\\)/", "(a)/(b)/c", 1, "a)/(b");           /* longest: POSIX */
	expect("(a|ab)(c|bcd)(d*)", "abcd", 1, "a");                /* glibc's, not POSIX's "ab" */
	expect("(foo|foobar)(bar)?", "foobar", 2, "bar");
	expect("x(a)?y", "xy", 1, "(unset)");

	/* exponential search: the budget ends it, named, and the next one works */
	memset(big, 'a', 1000);
	big[1000] = 0;
	T_EQ(rx_compile(&re, "(a*)*(a*)*(a*)*b"), 0);
	T_EQ(rx_exec(&re, big, m, RX_NSUB + 1), RX_EBUDGET);
	T_EQ(rx_compile(&re, "(.*)(.*)(.*)(.*)(.*)x"), 0);
	T_EQ(rx_exec(&re, big, m, RX_NSUB + 1), RX_EBUDGET);
	T_EQ(rx_compile(&re, "a+$"), 0);
	T_EQ(rx_exec(&re, big, m, RX_NSUB + 1), 1);
	T_EQ(m[0].eo, 1000);
	return T_DONE();
}
