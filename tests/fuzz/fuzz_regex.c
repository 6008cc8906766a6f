/* ferry's POSIX ERE (lib/core/regex.c) against glibc's, on any pattern and subject: ferry must
 * stay inside its bounds (ASan) and compile only what glibc compiles (glibc is not asked about
 * what ferry rejects: its regcomp can take gigabytes on those); where ferry's budget did not run
 * out, both must agree on match or no match and on every group's offsets.
 * Input: the pattern (at most 64 bytes), a NUL byte, then the subject (at most 256 bytes). */
#include <regex.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../../lib/core/regex.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct rx re;
	char pat[65], subj[257];
	const uint8_t *nul = memchr(data, 0, size);
	size_t pl = nul ? (size_t)(nul - data) : size, sl = nul ? size - pl - 1 : 0;
	struct rx_match fm[RX_NSUB + 1];
	regmatch_t gm[RX_NSUB + 1];
	regex_t g;
	int fc, gc, fr, gr;

	if (pl > 64 || sl > 256)
		return 0;
	memcpy(pat, data, pl);
	pat[pl] = 0;
	memcpy(subj, nul ? nul + 1 : data, sl);
	subj[sl] = 0;
	fc = rx_compile(&re, pat);
	if (fc && fc != RX_ESYNTAX && fc != RX_EUNSUP && fc != RX_ESIZE)
		abort();
	if (fc)
		return 0;   /* glibc is only asked about what ferry takes: "a++++..." costs it gigabytes */
	gc = regcomp(&g, pat, REG_EXTENDED);
	if (gc) {
		fprintf(stderr, "/%s/: ferry compiles, glibc %d\n", pat, gc);
		abort();
	}
	if (re.nsub != g.re_nsub)
		abort();
	fr = rx_exec(&re, subj, fm, RX_NSUB + 1);
	if (fr != 0 && fr != 1 && fr != RX_EBUDGET)
		abort();
	gr = regexec(&g, subj, RX_NSUB + 1, gm, 0) == 0;
	if (fr != RX_EBUDGET) {
		if (fr != gr) {
			fprintf(stderr, "/%s/ on \"%s\": ferry %d glibc %d\n", pat, subj, fr, gr);
			abort();
		}
		for (int k = 0; fr && k <= re.nsub; k++)
			if (fm[k].so != gm[k].rm_so || fm[k].eo != gm[k].rm_eo) {
				fprintf(stderr, "/%s/ on \"%s\" \\%d: ferry %d-%d glibc %d-%d\n", pat, subj, k,
					fm[k].so, fm[k].eo, (int)gm[k].rm_so, (int)gm[k].rm_eo);
				abort();
			}
	}
	regfree(&g);
	return 0;
}
